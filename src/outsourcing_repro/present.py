"""Figures and tables as the report shows them: bilingual caption, body, source line.

Every string that came from data passes through `html.escape`, so a label that contains markup is
shown as text and never runs. Report-level numbering ("Figure 3") is done by CSS counters in the
report stylesheet, so inserting a figure renumbers the rest without touching any notebook.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterable

import pandas as pd
from IPython.display import HTML

from . import config

PAPER_NAMES = {
    "A": "Paper A (涂舒 2024)",
    "B": "Paper B (Wenzhou offshore outsourcing)",
    "R": "Growth regressions",
    "C": "Claims audit",
}


def esc(value) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def source_line(*, section: str | None, data_files: Iterable[str], notebook: str,
                claims: Iterable[str] = ()) -> str:
    parts = []
    if section:
        parts.append(f"<span class='src-section'>{esc(section)}</span>")
    files = ", ".join(f"<code>{esc(config.relative(config.resolve(f)))}</code>" for f in data_files)
    if files:
        parts.append(f"data: {files}")
    parts.append(
        f"notebook: <a href='notebooks/{esc(notebook)}.html'><code>{esc(notebook)}</code></a>"
    )
    claims = list(claims)
    if claims:
        links = ", ".join(f"<a href='#claim-{esc(c)}'>{esc(c)}</a>" for c in claims)
        parts.append(f"audited claims: {links}")
    return "<p class='source'>资料来源 Source: " + "; ".join(parts) + "</p>"


def figure(saved: dict, *, fig_id: str, label_zh: str, title_zh: str, title_en: str,
           section: str | None, data_files: Iterable[str], notebook: str, note: str | None = None,
           alt: str | None = None, claims: Iterable[str] = ()) -> HTML:
    """HTML block for one figure. `label_zh` is the paper's own number, e.g. '图1'."""
    caption = (
        f"<figcaption><span class='cap-zh'>{esc(label_zh)} {esc(title_zh)}</span>"
        f"<span class='cap-en'>{esc(title_en)}</span></figcaption>"
    )
    note_html = f"<p class='fig-note'>{esc(note)}</p>" if note else ""
    img = (
        f"<img src='data:image/png;base64,{saved['png_base64']}' "
        f"alt='{esc(alt or title_en)}'/>"
    )
    return HTML(
        f"<figure class='figure' id='{esc(fig_id)}'>{caption}{img}{note_html}"
        f"{source_line(section=section, data_files=data_files, notebook=notebook, claims=claims)}"
        "</figure>"
    )


def write_csv(frame: pd.DataFrame, path) -> Path:
    """CSV with a fixed line terminator and float format, so the same frame gives the same bytes."""
    path = config.resolve(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def table(frame: pd.DataFrame, *, tab_id: str, label_zh: str | None, title_zh: str, title_en: str,
          section: str | None, data_files: Iterable[str], notebook: str, csv_path=None,
          note: str | None = None, formats: dict | None = None, row_classes: Iterable[str] | None = None,
          claims: Iterable[str] = (), row_ids: Iterable[str] | None = None) -> HTML:
    """Write `frame` to CSV (if `csv_path`) and return its HTML block with caption and source line."""
    if csv_path is not None:
        write_csv(frame, csv_path)
    shown = frame.copy()
    for column, fmt in (formats or {}).items():
        shown[column] = shown[column].map(lambda v, f=fmt: "" if pd.isna(v) else f.format(v))
    body = shown.to_html(index=False, escape=True, na_rep="—", border=0, classes="data")
    if row_classes is not None:
        body = _add_row_classes(body, list(row_classes))
    if row_ids is not None:
        body = _add_row_ids(body, list(row_ids))
    label = f"{esc(label_zh)} " if label_zh else ""
    caption = (
        f"<figcaption><span class='cap-zh'>{label}{esc(title_zh)}</span>"
        f"<span class='cap-en'>{esc(title_en)}</span></figcaption>"
    )
    note_html = f"<p class='fig-note'>{esc(note)}</p>" if note else ""
    return HTML(
        f"<figure class='table' id='{esc(tab_id)}'>{caption}<div class='table-wrap'>{body}</div>"
        f"{note_html}{source_line(section=section, data_files=data_files, notebook=notebook, claims=claims)}"
        "</figure>"
    )


def _add_row_ids(body: str, ids: list[str]) -> str:
    """Give each <tr> of the table body an id (e.g. 'claim-b_growth_2016'), in order, so that other
    sections can link to one row."""
    head, sep, rest = body.partition("<tbody>")
    if not sep:
        return body
    chunks = re.split(r"<tr(?=[ >])", rest)
    if len(chunks) - 1 != len(ids):
        raise ValueError(f"{len(ids)} row ids for {len(chunks) - 1} table rows")
    tagged = [chunks[0]] + [f"<tr id='{esc(i)}'" + c for i, c in zip(ids, chunks[1:])]
    return head + sep + "".join(tagged)


def _add_row_classes(body: str, classes: list[str]) -> str:
    """Tag each <tr> of the table body with a class (e.g. the audit verdict), in order."""
    head, sep, rest = body.partition("<tbody>")
    if not sep:
        return body
    out, index = [], 0
    for chunk in rest.split("<tr>"):
        if out:
            cls = esc(classes[index]) if index < len(classes) else ""
            index += 1
            out.append(f"<tr class='{cls}'>" + chunk)
        else:
            out.append(chunk)
    return head + sep + "".join(out)


def note(text_html: str) -> HTML:
    """A paragraph of narrative whose numbers the caller computed; callers escape data themselves."""
    return HTML(f"<div class='narrative'>{text_html}</div>")
