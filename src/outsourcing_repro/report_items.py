"""The report's entries and items: each executed notebook as an entry (its part and place from the
outline, its parameters, inputs and outputs from the runner's metadata), and the figures and tables
it displayed, read from the records present.py attached (metadata key `outsourcing_repro`).

Items are numbered here, once, in document order and per part, and the numbers are written into the
marks present.py left in each item's HTML, with the code links and, on each audited claim's row, the
links back to the items that show it. Nothing is parsed out of rendered HTML to find an item.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from . import config, outline, present
from .present import esc

# A table with more body rows than this may break across pages (its header row repeats); a
# shorter one moves whole to the next page. 18 rows of one-line cells fill about half an A4 page.
LONG_TABLE_ROWS = 18
# A table with at most this many rows never breaks across pages; a longer one may, between rows.
SHORT_TABLE_ROWS = 5
# A table with more columns than this is printed in a smaller face so that it fits A4 portrait.
WIDE_TABLE_COLUMNS = 7
KIND_NAMES = {"figure": ("图", "Figure"), "table": ("表", "Table")}


class ReportError(RuntimeError):
    pass


def title_of(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "(untitled)"


# ---------------------------------------------------------------------------------------------
# Notebooks: entries, their files, and the numbering of figures and tables


def entry_for(path: Path) -> dict:
    """One executed notebook: its part and place from the outline, its parameters, inputs and
    outputs from the metadata the runner recorded (the notebook's declared roles)."""
    nb = nbformat.read(path, as_version=4)
    name = path.stem
    try:
        declared = outline.load().entry(name)
    except KeyError as exc:
        raise ReportError(exc.args[0]) from None
    meta = nb.metadata.get("outsourcing_repro", {})
    if "inputs" not in meta or "outputs" not in meta:
        raise ReportError(
            f"{config.relative(path)} records no inputs/outputs; it was executed by an "
            "older runner: rerun it with `make`"
        )
    title = title_of(nb)
    if declared.series is not None:
        title = series_title(title, outline.load().series_by_id(declared.series))
        retitle(nb, title)
    return {
        "name": name,
        "nb": nb,
        "part": declared.part,
        "appendix": declared.appendix,
        "anchor": f"nb-{name}",
        "title": title,
        "source": meta.get("source", declared.source),
        "params": dict(meta.get("parameters", {})),
        "inputs": sorted(set(meta["inputs"])),
        "outputs": sorted(set(meta["outputs"])),
        "items": [],
    }


def _param_paths(value) -> list[str]:
    """Project paths in one parameter value (a comma-separated list counts as several)."""
    if not isinstance(value, str):
        return []
    parts = [p.strip() for p in value.split(",")] if "," in value else [value.strip()]
    return [p for p in parts if p.startswith(("data/", "reports/", "notebooks/"))]


def in_outline_order(entries: list[dict]) -> list[dict]:
    """The entries in the order the outline gives (the command line may list them in any order)."""
    order = {e.name: i for i, e in enumerate(outline.load().entries())}
    return sorted(entries, key=lambda e: order[e["name"]])


# Report numbers: one scheme, by part. Figure A1 is the first figure of Part I (Paper A), Table B3
# the third table of Part II, Figure R2 the second of Part III. The number says where an item is;
# the paper's own label (论文B 图1) stays beside it as the item's provenance, not as a second number.
PART_LETTERS = {"A": "A", "B": "B", "R": "R", "C": "C"}
PAPER_LABEL_PREFIX = {"A": "论文A", "B": "论文B"}
META = "outsourcing_repro"


def item_records(nb) -> list[tuple[dict, dict]]:
    """(output, record) for every figure or table a notebook displayed, in order, read from the
    metadata present.py attached to the output."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get(META, {}).get("item")
            if record and "text/html" in output.get("data", {}):
                found.append((output, record))
    return found


def number_items(entries) -> dict[str, int]:
    """Number figures and tables in document order, per part, from the items' records. The numbers
    are written into the HTML (into the marks present.py left), so the appendix, the notebook
    pages and text search all see the same numbers."""
    counters = {"figure": 0, "table": 0}
    per_part: dict[tuple[str, str], int] = {}
    headers = present.column_headers()
    for e in entries:
        e["nb"] = copy.deepcopy(e["nb"])
        e["items"] = []
        for output, record in item_records(e["nb"]):
            kind = record["kind"]
            counters[kind] += 1
            key = (e["part"], kind)
            per_part[key] = per_part.get(key, 0) + 1
            number = f"{PART_LETTERS.get(e['part'], e['part'])}{per_part[key]}"
            item = dict(record, number=number, notebook=e["name"], source=e["source"])
            e["items"].append(item)
            output["data"]["text/html"] = fill_item(output["data"]["text/html"], item, e["part"], headers)
    return counters


def table_classes(item: dict) -> list[str]:
    extra = []
    if item.get("rows", 0) > LONG_TABLE_ROWS:
        extra.append("long")
    if item.get("rows", 0) <= SHORT_TABLE_ROWS:
        extra.append("short")
    if item.get("columns", 0) > WIDE_TABLE_COLUMNS:
        extra.append("wide")
    return extra


def fill_item(text: str, item: dict, part: str, headers: dict | None = None) -> str:
    """Fill the marks present.py left in one item's HTML: its number, its paper label, the classes
    print needs (long, short, wide). Literal replacements of the marks, not parsing."""
    ident = esc(item["id"])
    kind = item["kind"]
    text = text.replace(
        f"<span class='item-no' data-item='{ident}'></span>",
        f"<span class='item-no' data-item='{ident}'>{KIND_NAMES[kind][1]} {item['number']}.</span> ",
        1,
    )
    prefix = PAPER_LABEL_PREFIX.get(part)
    label = item.get("paper_label")
    if label and prefix and not label.startswith("论文"):
        text = text.replace(
            f"<span class='paper-label' data-item='{ident}' lang='zh-Hans'>{esc(label)}</span>",
            f"<span class='paper-label' data-item='{ident}' lang='zh-Hans'>{prefix} {esc(label)}</span>",
            1,
        )
    if kind == "table":
        headers = headers or {}
        for column in item.get("column_names") or []:
            if column in headers:
                mark = f"data-col='{esc(column)}'>{esc(column)}</th>"
                text = text.replace(mark, f"data-col='{esc(column)}'>{present.header_html(column, headers)}</th>")
        extra = table_classes(item)
        if extra:
            text = text.replace(
                f"<figure class='table' id='{ident}'>", f"<figure class='table {' '.join(extra)}' id='{ident}'>", 1
            )
    return text


def code_links(item: dict, up: str) -> str:
    """Links to the tracked notebook source and to the drawing function (file and line), relative
    to the page that shows them (`up` leads from that page to the project root)."""
    links = [f"<a href='{esc(up + item['source'])}'><code>{esc(item['source'])}</code></a>"]
    producer = item.get("producer")
    if producer:
        links.append(
            f"<a href='{esc(up + producer['file'])}#L{int(producer['line'])}'>"
            f"<code>{esc(producer['function'].rsplit('.', 1)[-1])}</code> "
            f"(<code>{esc(producer['file'])}:{int(producer['line'])}</code>)</a>"
        )
    return ", ".join(links)


def claim_backrefs(entries) -> dict[str, list[dict]]:
    """Audited claim -> the items that show it (from the items' records)."""
    shown: dict[str, list[dict]] = {}
    for e in entries:
        for item in e["items"]:
            for claim in item.get("claims") or []:
                shown.setdefault(claim, []).append(item)
    return shown


def with_links(nb, items: list[dict], backrefs: dict[str, list[dict]], up: str, report_page: str = ""):
    """A copy of `nb` with its marks filled: code links (relative to a page `up` below the project
    root) and, on each audited claim's row, links to the figures and tables that show it."""
    nb = copy.deepcopy(nb)
    marks = {
        f"<span class='code-links' data-item='{esc(i['id'])}'></span>": f"<span class='code-links' data-item='{esc(i['id'])}'>{code_links(i, up)}</span>"
        for i in items
    }
    for claim, shown in backrefs.items():
        links = ", ".join(
            f"<a href='{report_page}#{esc(i['id'])}'>{KIND_NAMES[i['kind']][1]} {esc(i['number'])}</a>" for i in shown
        )
        marks[f"<span class='backrefs' data-for='claim-{esc(claim)}'></span>"] = (
            f"<span class='backrefs' data-for='claim-{esc(claim)}'> <span class='shown-in'>→ shown in {links}</span></span>"
        )
    for output, _ in item_records(nb):
        text = output["data"]["text/html"]
        for mark, filled in marks.items():
            if mark in text:
                text = text.replace(mark, filled)
        output["data"]["text/html"] = text
    return nb


def series_title(title: str, series: outline.Series) -> str:
    """The title of one run of a notebook run once per series (reg_growth.py): its own heading's
    subject (before '：' and ':') with the series the outline declares, so the contents and the PDF
    bookmarks are not a column of identical lines."""
    zh, _, en = title.partition(" · ")
    f = series.fields
    return f"{zh.split('：', 1)[0]}：{f['label_zh']} · {en.split(':', 1)[0]}: {f['label_en']} ({f['unit']})"


def retitle(nb, title: str) -> None:
    """Put `title` in the notebook's first markdown heading (the heading the report shows)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.search(r"^#+ ", cell.source, re.M):
            cell.source = re.sub(r"^(#+) .*$", lambda h: f"{h.group(1)} {title}", cell.source, count=1, flags=re.M)
            return


def items_label(items: list[dict]) -> str:
    """'Figure 3; Tables 4–5' with links to each item."""
    parts = []
    for kind in ("figure", "table"):
        mine = [i for i in items if i["kind"] == kind]
        if not mine:
            continue
        en = KIND_NAMES[kind][1]
        links = ", ".join(f"<a href='#{esc(i['id'])}'>{i['number']}</a>" if i["id"] else str(i["number"]) for i in mine)
        parts.append(f"{en}{'s' if len(mine) > 1 else ''} {links}")
    return "; ".join(parts) or "—"


def items_label_plain(items: list[dict]) -> str:
    """'report Figure 7; report Tables 25, 26', each number linking to the item in the report."""
    parts = []
    for kind in ("figure", "table"):
        mine = [i for i in items if i["kind"] == kind]
        if mine:
            en = KIND_NAMES[kind][1]
            links = ", ".join(
                f"<a href='../report.html#{esc(i['id'])}'>{i['number']}</a>" if i["id"] else str(i["number"])
                for i in mine
            )
            parts.append(f"report {en}{'s' if len(mine) > 1 else ''} {links}")
    return "; ".join(parts) or "no figure or table"
