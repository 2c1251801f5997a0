"""Figures and tables as the report shows them: bilingual caption, body, source line, and the
machine-readable record of what each item is.

Every displayed item carries metadata in its notebook output (`output.metadata["outsourcing_repro"]
["item"]`): kind, id, the paper's own label, captions in Chinese and English, source section, data
files, notebook, audited claims and the function that drew it. The report reads that record; it never
parses the HTML to find items. The HTML carries two empty marks the report fills from the record:
the report's number (`<span class='item-no' data-item='ID'></span>`) and the code links
(`<span class='code-links' data-item='ID'></span>`), which need the tracked notebook source the
report knows from the executed notebook.

Every string that came from data passes through `html.escape`, so a label that contains markup is
shown as text and never runs. Figure captions go below the figure and table captions above the
table, as Chinese journals print them.
"""

from __future__ import annotations

import base64
import csv
import functools
import html
import inspect
import io
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import config

PAPER_NAMES = {
    "A": "Paper A (涂舒 2024)",
    "B": "Paper B (Wenzhou offshore outsourcing)",
    "R": "Growth regressions",
    "C": "Claims audit",
}
METADATA_KEY = "outsourcing_repro"
COLUMN_HEADERS = config.COLUMN_HEADERS_PATH


def esc(value) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


class Item:
    """One displayed figure or table: its HTML and its record. IPython shows the HTML and stores the
    record as the output's metadata; `.data` is the HTML, as with IPython.display.HTML."""

    def __init__(self, data: str, record: dict):
        self.data = data
        self.record = record

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.data}, {METADATA_KEY: {"item": self.record}}

    def _repr_html_(self):
        return self.data

    def __repr__(self) -> str:
        # IPython stores this as the output's text/plain beside the HTML; the default repr carries a
        # memory address, which differs from run to run and would change the executed notebook's bytes.
        return f"<{self.record.get('kind', 'item')} {self.record.get('id', '')}>"


class Block:
    """Narrative HTML with no item record (a note)."""

    def __init__(self, data: str):
        self.data = data

    def _repr_html_(self):
        return self.data

    def __repr__(self) -> str:
        return "<note>"  # stable text/plain, as for Item


def item_marks(item_id: str) -> tuple[str, str]:
    """The two marks the report fills: the report number and the code links."""
    return (
        f"<span class='item-no' data-item='{esc(item_id)}'></span>",
        f"<span class='code-links' data-item='{esc(item_id)}'></span>",
    )


def data_url(path: Path) -> str:
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def frame_csv_url(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(buf.getvalue().encode("utf-8")).decode("ascii")


def source_line(
    *,
    section: str | None,
    data_files: Iterable[str],
    notebook: str,
    claims: Iterable[str] = (),
    item_id: str | None = None,
    downloads: Iterable[tuple[str, str]] = (),
) -> str:
    """'Source: section; data: files; code: links; audited claims: ids; download: CSV'.

    Each data file links to the reference list (#ref-data-...); the code links are filled in by the
    report from the item record (the tracked notebook source and the drawing function's file:line)."""
    parts = []
    if section:
        parts.append(f"<span class='src-section'>{esc(section)}</span>")
    files = ", ".join(
        f"<a href='#ref-{esc(ref_id(config.relative(config.resolve(f))))}'><code>{esc(config.relative(config.resolve(f)))}</code></a>"
        for f in data_files
    )
    if files:
        parts.append(f"data: {files}")
    if item_id is not None:
        parts.append(f"code: {item_marks(item_id)[1]}")
    else:
        parts.append(f"notebook: <code>{esc(notebook)}</code>")
    claims = list(claims)
    if claims:
        links = ", ".join(f"<a href='#claim-{esc(c)}'>{esc(c)}</a>" for c in claims)
        parts.append(f"audited claims: {links}")
    downloads = list(downloads)
    download_html = ""
    if downloads:
        # Embedded as data: URLs, so the download works from the one file, offline; print hides it.
        links = ", ".join(
            f"<a class='csv' download='{esc(name)}' href='{url}'>{esc(name)}</a>" for name, url in downloads
        )
        download_html = f"<p class='downloads'><span lang='zh-Hans'>下载数据</span> Download CSV: {links}</p>"
    return "<p class='source'><span lang='zh-Hans'>资料来源</span> Source: " + "; ".join(parts) + "</p>" + download_html


def ref_id(path: str) -> str:
    """Anchor of a data file in the reference list: 'data/raw/a_b.csv' -> 'data-raw-a_b-csv'."""
    return re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")


def caption(item_id: str, label_zh: str | None, title_zh: str, title_en: str) -> str:
    """Report number, the paper's own label (filled in by the report, e.g. '论文B 图1'), then the
    Chinese caption and the English one."""
    number, _ = item_marks(item_id)
    label = (
        f"<span class='paper-label' data-item='{esc(item_id)}' lang='zh-Hans'>{esc(label_zh)}</span> "
        if label_zh
        else ""
    )
    return (
        f"<figcaption>{number}{label}<span class='cap-zh' lang='zh-Hans'>{esc(title_zh)}</span>"
        f"<span class='cap-en' lang='en'>{esc(title_en)}</span></figcaption>"
    )


def producer_record(function) -> dict:
    """The function that builds a figure or a table: its dotted name, file and the line of its
    `def`, which the report turns into a code link."""
    source = Path(inspect.getsourcefile(function)).resolve()
    lines, first = inspect.getsourcelines(function)
    line = first + next(i for i, text in enumerate(lines) if text.lstrip().startswith("def "))
    return {"function": f"{function.__module__}.{function.__name__}", "file": config.relative(source), "line": line}


def building(function):
    """Decorate a function that returns a table's frame: the frame carries the function
    (frame.attrs['producer']) and table() records it, so the report links a table to the code that
    builds it as it links a figure to its drawing function (plotting.drawing)."""
    record = producer_record(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        frame = function(*args, **kwargs)
        if isinstance(frame, pd.DataFrame):
            frame.attrs["producer"] = dict(record)
        return frame

    return wrapper


def _record(
    kind: str,
    item_id: str,
    label_zh,
    title_zh,
    title_en,
    section,
    data_files,
    notebook,
    claims,
    producer=None,
    csv_path=None,
) -> dict:
    return {
        "kind": kind,
        "id": item_id,
        "paper_label": label_zh or None,
        "title_zh": title_zh,
        "title_en": title_en,
        "section": section or None,
        "data_files": [config.relative(config.resolve(f)) for f in data_files],
        "notebook": notebook,
        "claims": list(claims),
        "producer": producer,
        "csv": config.relative(config.resolve(csv_path)) if csv_path is not None else None,
    }


def figure(
    saved: dict,
    *,
    fig_id: str,
    label_zh: str,
    title_zh: str,
    title_en: str,
    section: str | None,
    data_files: Iterable[str],
    notebook: str,
    note: str | None = None,
    alt: str | None = None,
    claims: Iterable[str] = (),
) -> Item:
    """HTML block for one figure: the SVG inline (its text selectable), then the caption below it.
    `label_zh` is the paper's own number, e.g. '图1'. The data the figure is drawn from is offered
    as CSV downloads (the data files themselves, embedded)."""
    data_files, claims = list(data_files), list(claims)
    note_html = f"<p class='fig-note'>{esc(note)}</p>" if note else ""
    svg = saved.get("svg_inline")
    if svg:
        body = svg.replace("<svg ", f"<svg role='img' aria-label='{esc(alt or title_en)}' ", 1)
    else:
        body = f"<img src='data:image/png;base64,{saved['png_base64']}' alt='{esc(alt or title_en)}'/>"
    downloads = [(Path(f).name, data_url(config.resolve(f))) for f in data_files if config.resolve(f).exists()]
    record = _record(
        "figure",
        fig_id,
        label_zh,
        title_zh,
        title_en,
        section,
        data_files,
        notebook,
        claims,
        producer=saved.get("producer"),
    )
    return Item(
        f"<figure class='figure' id='{esc(fig_id)}'><div class='fig-body'>{body}</div>"
        f"{caption(fig_id, label_zh, title_zh, title_en)}{note_html}"
        f"{source_line(section=section, data_files=data_files, notebook=notebook, claims=claims, item_id=fig_id, downloads=downloads)}"
        "</figure>",
        record,
    )


def write_csv(frame: pd.DataFrame, path) -> Path:
    """CSV with a fixed line terminator and float format, so the same frame gives the same bytes."""
    path = config.resolve(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def column_headers() -> dict[str, tuple[str, str, str]]:
    """Variable name -> (Chinese header, English header, unit), from data/report/column_headers.csv."""
    if not COLUMN_HEADERS.exists():
        return {}
    with COLUMN_HEADERS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for n, row in enumerate(rows, start=2):
        if not row.get("column") or not (row.get("header_zh") or row.get("header_en")):
            raise ValueError(
                f"{config.relative(COLUMN_HEADERS)}, line {n}: a row needs 'column' and a "
                "header (header_zh or header_en)"
            )
    return {r["column"]: (r["header_zh"], r["header_en"], r.get("unit", "")) for r in rows}


def header_html(column: str, headers: dict) -> str:
    """A column header in words: Chinese, English, unit on its own line; a name without a mapping
    is shown as it is (tests/test_report.py fails on a header that looks like a variable name)."""
    if column not in headers:
        return esc(column)
    zh, en, unit = headers[column]
    unit_html = f"<span class='unit'>({esc(unit)})</span>" if unit else ""
    return f"<span lang='zh-Hans'>{esc(zh)}</span> <span lang='en'>{esc(en)}</span>{unit_html}"


# A cell that is a number: signed, grouped, with a unit sign or a bound, maybe marked derived (†).
NUMERIC = re.compile(r"^(?:[<>≤≥≈~]\s?)?[−\-+]?[\d,]*\.?\d+(?:[eE][−\-+]?\d+)?\s*%?\s*[†*]?$")


def table_html(shown: pd.DataFrame, *, row_classes=None, row_ids=None) -> str:
    """A journal table: numbers right-aligned (class 'num'), each header naming its column,
    the derived rows' class kept for the symbol the stylesheet draws."""
    numeric_cols = []
    for column in shown.columns:
        cells = [str(v) for v in shown[column] if not (isinstance(v, float) and pd.isna(v)) and str(v) not in ("", "—")]
        numeric_cols.append(bool(cells) and all(NUMERIC.match(c.strip()) for c in cells))
    num_class = " class='num'"
    # The header cell names its column; the report puts the words in (column_headers.csv) when it
    # renders, so editing the mapping re-renders the report without re-running a notebook.
    head = "".join(
        f"<th scope='col'{num_class if num else ''} data-col='{esc(c)}'>{esc(c)}</th>"
        for c, num in zip(shown.columns, numeric_cols)
    )
    row_classes = list(row_classes) if row_classes is not None else None
    row_ids = list(row_ids) if row_ids is not None else None
    if row_ids is not None and len(row_ids) != len(shown):
        raise ValueError(f"{len(row_ids)} row ids for {len(shown)} table rows")
    rows = []
    for index, (_, row) in enumerate(shown.iterrows()):
        attrs = ""
        if row_ids is not None:
            attrs += f" id='{esc(row_ids[index])}'"
        if row_classes is not None:
            attrs += f" class='{esc(row_classes[index]) if index < len(row_classes) else ''}'"
        cells = []
        for position, (value, num) in enumerate(zip(row, numeric_cols)):
            text = "—" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            # A row with an id (an audited claim) gets a mark the report fills with links back to
            # the figures and tables that show it.
            mark = (
                f"<span class='backrefs' data-for='{esc(row_ids[index])}'></span>"
                if row_ids is not None and position == 0
                else ""
            )
            cells.append(f"<td{num_class if num else ''}>{esc(text)}{mark}</td>")
        rows.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    return f"<table class='data'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def table(
    frame: pd.DataFrame,
    *,
    tab_id: str,
    label_zh: str | None,
    title_zh: str,
    title_en: str,
    section: str | None,
    data_files: Iterable[str],
    notebook: str,
    csv_path=None,
    note: str | None = None,
    formats: dict | None = None,
    row_classes: Iterable[str] | None = None,
    claims: Iterable[str] = (),
    row_ids: Iterable[str] | None = None,
) -> Item:
    """Write `frame` to CSV (if `csv_path`) and return its HTML block: caption above, the table in
    its own scrolling box, note and source line below, the frame offered as a CSV download."""
    data_files, claims = list(data_files), list(claims)
    if csv_path is not None:
        write_csv(frame, csv_path)
    shown = frame.copy()
    for column, fmt in (formats or {}).items():
        shown[column] = shown[column].map(lambda v, f=fmt: "" if pd.isna(v) else f.format(v))
    body = table_html(shown, row_classes=row_classes, row_ids=row_ids)
    note_html = f"<p class='fig-note'>{esc(note)}</p>" if note else ""
    name = Path(csv_path).name if csv_path is not None else f"{tab_id}.csv"
    record = _record(
        "table",
        tab_id,
        label_zh,
        title_zh,
        title_en,
        section,
        data_files,
        notebook,
        claims,
        producer=frame.attrs.get("producer"),
        csv_path=csv_path,
    )
    record["rows"], record["columns"] = len(frame), len(frame.columns)
    record["column_names"] = [str(c) for c in shown.columns]
    return Item(
        f"<figure class='table' id='{esc(tab_id)}'>{caption(tab_id, label_zh, title_zh, title_en)}"
        f"<div class='table-wrap' tabindex='0' role='region' aria-label='{esc(title_en)} ({esc(tab_id)})'>{body}</div>"
        f"{note_html}{source_line(section=section, data_files=data_files, notebook=notebook, claims=claims, item_id=tab_id, downloads=[(name, frame_csv_url(frame))])}"
        "</figure>",
        record,
    )


def note(text_html: str) -> Block:
    """A paragraph of narrative whose numbers the caller computed; callers escape data themselves."""
    return Block(f"<div class='narrative'>{text_html}</div>")
