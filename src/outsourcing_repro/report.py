"""Assemble the executed notebooks into reports/report.html and reports/report.pdf.

    python -m outsourcing_repro.report reports/notebooks/a.ipynb reports/notebooks/b.ipynb ...

The notebooks are merged, in the order given, into one notebook framed by a front page, a table of
contents and a reproducibility appendix (SSDE/AEA style); nbconvert renders it with the project's
template (no CDN, no script); WeasyPrint prints the same HTML to an A4 PDF. Figures and tables are
numbered here, once, in document order, and the same numbers are written into the report, the
appendix and each notebook's own page, so "Table 7" means one thing everywhere.

Each executed notebook is also rendered to <html folder>/notebooks/<name>.html (reports/notebooks/
for the real build), the page every source line links to. All files are written to a staging folder
first and moved into place only when all succeeded, so a failed build never replaces the last good
report.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import copy
import csv
import datetime as dt
import hashlib
import html
import io
import multiprocessing
import os
import re
import shlex
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

import nbformat

from . import audit, config, outline, present

KEY_PACKAGES = [
    "pandas",
    "numpy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "pandera",
    "papermill",
    "nbconvert",
    "jupytext",
    "weasyprint",
]
# Everything the report's bytes depend on, for the fingerprint. The benchmark's committed medians
# are printed in the appendix, so they are an input too.
INPUT_GLOBS = [
    "data/**/*.csv",
    "notebooks/*.py",
    "src/outsourcing_repro/**/*.py",
    "src/outsourcing_repro/templates/**/*",
    "src/outsourcing_repro/static/*",
    "src/outsourcing_repro/fonts/*.otf",
    "requirements.lock",
    "outline.yml",
    "Makefile",
    "mk/*.mk",
    "benchmarks/notebook_times.csv",
]
BENCH_TIMES = Path("benchmarks") / "notebook_times.csv"
AUDIT_CSV = Path("reports") / "claims_audit.csv"
# A table with more body rows than this may break across pages (its header row repeats); a
# shorter one moves whole to the next page. 18 rows of one-line cells fill about half an A4 page.
LONG_TABLE_ROWS = 18
# A table with at most this many rows never breaks across pages; a longer one may, between rows.
SHORT_TABLE_ROWS = 5
# A table with more columns than this is printed in a smaller face so that it fits A4 portrait.
WIDE_TABLE_COLUMNS = 7
# Bullets WeasyPrint draws for `list-style-type: disc` and `square` (report.css uses only these two;
# the default third-level 'circle', U+25E6, is not in the font).
LIST_MARKERS = "\u2022\u25aa"
KIND_NAMES = {"figure": ("图", "Figure"), "table": ("表", "Table")}


class ReportError(RuntimeError):
    pass


def parts() -> list[tuple[str, str, str, str]]:
    """The report's parts in order, (id, anchor, Chinese title, English title), from the outline."""
    return [(p.id, p.anchor, p.title_zh, p.title_en) for p in outline.load().parts]


def title_of(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "(untitled)"


def report_date() -> str:
    stamp = dt.datetime.fromtimestamp(config.source_date_epoch(), dt.timezone.utc)
    return stamp.strftime("%Y-%m-%d")


def input_fingerprint() -> str:
    """sha256 over the build's inputs. It names the inputs exactly, as a commit id would, but does
    not change when the rendered report itself is committed (a commit id inside a committed report
    could never match a fresh build of that commit)."""
    digest = hashlib.sha256()
    files = sorted({p for g in INPUT_GLOBS for p in config.PROJ_ROOT.glob(g) if p.is_file()})
    for path in files:
        digest.update(config.relative(path).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def versions() -> list[tuple[str, str]]:
    out = [("python", sys.version.split()[0])]
    for name in KEY_PACKAGES:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, "not installed"))
    return out


def read_csv_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def esc(text) -> str:
    return html.escape(str(text))


plural = audit.plural  # the one counting rule ("1 discrepancy", "5 discrepancies")


# ---------------------------------------------------------------------------------------------
# Claims audit summary (read from reports/claims_audit.csv, never typed)


def audit_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(audit.VERDICTS, 0)
    for row in rows:
        verdict = row.get("verdict", "")
        counts[verdict] = counts.get(verdict, 0) + 1
    return counts


def audit_summary_line(rows: list[dict]) -> str | None:
    """'N claims checked: K consistent, D discrepancies, U not checkable', in the audit's own words
    (audit.counts_phrase), from the rows of the audit's CSV."""
    if not rows:
        return None
    return f"{plural(len(rows), 'claim', 'claims')} checked: {audit.counts_phrase(audit_counts(rows))}"


def audit_summary() -> str | None:
    return audit_summary_line(read_csv_rows(config.PROJ_ROOT / AUDIT_CSV))


def audit_block(rows: list[dict]) -> str:
    line = audit_summary_line(rows)
    if line is None:
        return "<p><strong>审计摘要 Audit summary:</strong> the claims audit is not part of this build.</p>"
    by_paper = []
    for paper in sorted({r.get("paper", "") for r in rows}):
        c = audit_counts([r for r in rows if r.get("paper", "") == paper])
        by_paper.append(
            f"<tr><td>{esc('论文' + paper + ' Paper ' + paper)}</td><td>{sum(c.values())}</td>"
            f"<td>{c['consistent']}</td><td>{c['discrepancy']}</td><td>{c['not checkable']}</td></tr>"
        )
    issues = []
    for r in rows:
        if r.get("verdict") != "discrepancy":
            continue
        unit = f" {esc(r.get('unit', ''))}" if r.get("unit") else ""
        recomputed = r.get("recomputed", "")
        with contextlib.suppress(ValueError):  # a recomputed range or text stays as it is
            recomputed = f"{float(recomputed):.4g}"
        issues.append(
            f"<li><a href='#claim-{esc(r['claim_id'])}'><code>{esc(r['claim_id'])}</code></a>: "
            f"stated {esc(r.get('stated', ''))}{unit}, recomputed {esc(recomputed)}{unit}</li>"
        )
    issues_html = (
        f"<p>Discrepancies (details and the explanations tested are in "
        f"<a href='#part-audit'>Part IV</a>):</p><ul class='compact'>{''.join(issues)}</ul>"
        if issues
        else ""
    )
    return (
        f"<p class='audit-line'><strong>审计摘要 Audit summary:</strong> "
        f"<span id='audit-summary'>{esc(line)}</span>.</p>"
        "<table class='plain audit-counts'><thead><tr><th scope='col'>论文 Paper</th><th scope='col'>核查项 Claims</th>"
        "<th scope='col'>一致 Consistent</th><th scope='col'>不一致 Discrepancy</th>"
        "<th scope='col'>无法核查 Not checkable</th></tr></thead>"
        f"<tbody>{''.join(by_paper)}</tbody></table>{issues_html}"
    )


# ---------------------------------------------------------------------------------------------
# Run times (measured by `make bench`, committed in benchmarks/notebook_times.csv)


def timings() -> dict[str, str]:
    """Per-notebook median run times measured by `make bench`. Times of the current build are not
    printed: they differ on every run and would break byte-identical reports."""
    rows = read_csv_rows(config.PROJ_ROOT / BENCH_TIMES)
    return {r["notebook"]: r["median_seconds"] for r in rows if r.get("notebook") and r.get("median_seconds")}


def bench_runs() -> str | None:
    rows = read_csv_rows(config.PROJ_ROOT / BENCH_TIMES)
    runs = sorted({r.get("runs", "") for r in rows if r.get("runs")})
    return "/".join(runs) if runs else None


def total_seconds(entries, times: dict[str, str]) -> tuple[float, int]:
    total, measured = 0.0, 0
    for e in entries:
        try:
            total += float(times[e["name"]])
            measured += 1
        except (KeyError, ValueError):
            continue
    return total, measured


def timing_sentence(entries, times: dict[str, str]) -> str:
    total, measured = total_seconds(entries, times)
    if not measured:
        return (
            "Run times: not measured yet. <code>make bench</code> measures each notebook and "
            f"records the medians in <code>{BENCH_TIMES.as_posix()}</code>; the report then prints them."
        )
    runs = bench_runs()
    runs_text = f" of {runs} runs" if runs else ""
    return (
        f"Run times: the {plural(measured, 'notebook', 'notebooks')} measured take "
        f"{total:.0f} s in sequence (sum of per-notebook medians{runs_text}, "
        f"measured by <code>make bench</code> and committed in <code>{BENCH_TIMES.as_posix()}</code>; "
        "this build's own times are not printed, so identical inputs give identical bytes). "
        "Per notebook: <a href='#appendix-map'>appendix</a>."
    )


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
    return {
        "name": name,
        "nb": nb,
        "part": declared.part,
        "appendix": declared.appendix,
        "anchor": f"nb-{name}",
        "title": title_of(nb),
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


_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)


def _first_output_heading(nb) -> tuple[dict, re.Match] | None:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            m = _HEADING.search(data.get("text/html", ""))
            if m:
                return data, m
    return None


def disambiguate_titles(entries) -> None:
    """Give notebooks run from one parameterised source (reg_growth.py, once per series) their own
    titles: the shared heading would make the contents and the PDF bookmarks a column of identical
    lines. The distinguishing text is the first heading the notebook prints (the series name), else
    the parameters that differ. That printed heading is then hidden in the report, where the
    notebook's own heading now says it."""
    by_title: dict[str, list[dict]] = {}
    for e in entries:
        by_title.setdefault(e["title"], []).append(e)
    for title, group in by_title.items():
        if len(group) < 2:
            continue
        keys = sorted({k for e in group for k in e["params"]})
        differing = [
            k
            for k in keys
            if k != "notebook_name"
            and len({str(e["params"].get(k)) for e in group}) > 1
            and not _param_paths(group[0]["params"].get(k))
        ]
        zh, _, en = title.partition(" · ")
        zh_head, en_head = zh.split("：", 1)[0], en.split(":", 1)[0]
        for e in group:
            found = _first_output_heading(e["nb"])
            if found:
                data, m = found
                sub = html.unescape(re.sub(r"<[^>]+>", "", m.group(3))).strip()
                attrs = m.group(2)
                if re.search(r"\bclass\s*=", attrs):
                    attrs = re.sub(r"\bclass\s*=\s*(['\"])(.*?)\1", r"class='\2 nb-subtitle'", attrs, count=1)
                else:
                    attrs += " class='nb-subtitle'"
                data["text/html"] = (
                    data["text/html"][: m.start()] + f"<h{m.group(1)}{attrs}>{m.group(3)}"
                    f"</h{m.group(1)}>" + data["text/html"][m.end() :]
                )
            else:
                sub = ", ".join(f"{k} = {e['params'].get(k)}" for k in differing) or e["name"]
            sub_zh, _, sub_en = sub.partition(" · ")
            if zh_head and en_head and sub_zh and sub_en:
                e["title"] = f"{zh_head}：{sub_zh} · {en_head}: {sub_en}"
            else:
                e["title"] = f"{title} — {sub}"
            for cell in e["nb"].cells:
                if cell.cell_type == "markdown" and re.search(r"^#+ ", cell.source, re.M):
                    cell.source = re.sub(
                        r"^(#+) .*$",
                        lambda h, title=e["title"]: f"{h.group(1)} {title}",
                        cell.source,
                        count=1,
                        flags=re.M,
                    )
                    break


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


# ---------------------------------------------------------------------------------------------
# Rerunning one notebook with other parameters: a real command, derived from a real notebook


def rerun_example(entries, out_dir: str = "/tmp/rerun") -> tuple[str, list[str]] | None:
    """A runner command that reruns one notebook of this build with one parameter changed and its
    outputs sent to `out_dir`. It is built from the notebook's recorded parameters and its declared
    contract, so it stays valid as notebooks change (tests/test_report.py runs it)."""
    from . import runner

    for e in entries:
        source = config.PROJ_ROOT / e["source"]
        if not source.exists():
            continue
        try:
            declared = runner.declared_parameters(source)
        except runner.ParameterError:
            continue
        choice = next(
            (
                d
                for d in declared.values()
                if d.choices and len(d.choices) > 1 and str(e["params"].get(d.name, d.default)) not in e["name"]
            ),
            None,
        )
        if choice is None:
            continue
        current = str(e["params"].get(choice.name, choice.default))
        new_value = next(c for c in choice.choices if c != current)
        args = ["-p", choice.name, new_value]
        changed = [f"{choice.name} = {new_value} (the build used {current})"]
        for name in declared:
            if name == choice.name or name not in e["params"]:
                continue
            value = e["params"][name]
            if value in e["outputs"]:
                value = f"{out_dir}/{Path(value).name}"
            elif value == declared[name].default:
                continue
            args += ["-p", name, str(value)]
        command = [
            ".venv/bin/python",
            "-m",
            "outsourcing_repro.runner",
            e["source"],
            f"{out_dir}/{e['name']}.ipynb",
            *args,
        ]
        return shlex.join(command), changed
    return None


def format_command(command: str) -> str:
    """Break a long shell command before each -p, with continuation backslashes."""
    return command.replace(" -p ", " \\\n    -p ")


# ---------------------------------------------------------------------------------------------
# The frame: front page, contents, appendix


def raw_html(source: str):
    return nbformat.v4.new_raw_cell(source=source, metadata={"raw_mimetype": "text/html"})


def render_template(name: str, **values) -> str:
    """One of the report's own templates (templates/report/*.html.j2), autoescaped."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.TEMPLATES_DIR / "report")),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(name).render(**values)


def front_page(entries, counters: dict[str, int], audit_rows: list[dict]) -> str:
    part_rows = []
    for key, anchor, zh, en in parts():
        sub = [e for e in entries if e["part"] == key]
        if not sub:
            continue
        n_fig = sum(1 for e in sub for i in e["items"] if i["kind"] == "figure")
        n_tab = sum(1 for e in sub for i in e["items"] if i["kind"] == "table")
        part_rows.append(
            {
                "anchor": anchor,
                "zh": zh,
                "en": en.split(" · ", 1)[-1],
                "figures": plural(n_fig, "figure", "figures"),
                "tables": plural(n_tab, "table", "tables"),
                "notebooks": plural(len(sub), "notebook", "notebooks"),
            }
        )
    return render_template(
        "front.html.j2",
        parts=part_rows,
        audit=audit_block(audit_rows),
        n_figures=plural(counters["figure"], "figure", "figures"),
        n_tables=plural(counters["table"], "table", "tables"),
        n_notebooks=plural(len(entries), "notebook", "notebooks"),
        date=report_date(),
        fingerprint=input_fingerprint(),
        software=versions(),
        timing=timing_sentence(entries, timings()),
    )


# Material the outline marks `appendix: true` (the per-series regressions) follows the main text
# under its own heading, so Part III reads as a paper does: the combined table in the text, each
# series' detail behind it.
DETAIL_APPENDIX = ("appendix-detail", "附录A 各序列增长回归详情", "Appendix A · Growth regressions, series by series")


def sections(entries) -> list[tuple[str, str, str, list[dict]]]:
    """(anchor, Chinese title, English title, entries) in document order: each part's main-text
    notebooks, then one appendix section with every notebook the outline marks as appendix."""
    out = []
    for key, anchor, zh, en in parts():
        sub = [e for e in entries if e["part"] == key and not e.get("appendix")]
        if sub:
            out.append((anchor, zh, en, sub))
    detail = [e for e in entries if e.get("appendix")]
    if detail:
        out.append((*DETAIL_APPENDIX, detail))
    return out


def document_order(entries) -> list[dict]:
    return [e for *_, sub in sections(entries) for e in sub]


def toc(entries) -> str:
    items = []
    for anchor, zh, en, sub in sections(entries):
        inner = "".join(f"<li><a href='#{esc(e['anchor'])}'>{esc(e['title'])}</a></li>" for e in sub)
        items.append(
            f"<li class='part'><a href='#{anchor}'>{esc(zh)}<br/><span class='en'>{esc(en)}</span></a>"
            f"<ol>{inner}</ol></li>"
        )
    appendix_items = "".join(f"<li><a href='#{a}'>{esc(t)}</a></li>" for a, t in APPENDIX_SECTIONS)
    items.append(
        f"<li class='part'><a href='#appendix'>附录 可复现性说明<br/><span class='en'>Appendix: "
        f"reproducibility</span></a><ol>{appendix_items}</ol></li>"
    )
    reference_items = "".join(f"<li><a href='#{a}'>{esc(t)}</a></li>" for a, t in REFERENCE_SECTIONS)
    items.append(
        f"<li class='part'><a href='#references'>参考文献<br/><span class='en'>References</span></a>"
        f"<ol>{reference_items}</ol></li>"
    )
    return (
        f"<nav class='toc' id='toc' aria-label='Contents'><h2 class='toc-title'>目录 Contents</h2>"
        f"<ol class='toc-parts'>{''.join(items)}</ol></nav>"
    )


def sidebar(entries) -> str:
    """Contents that stay in view on wide screens (a fixed sidebar; print and phones hide it), an
    offline search over the page (shown only when scripts run: the page needs none), and the
    always-near links back to the top and to the contents."""
    items = []
    for anchor, zh, _en, sub in sections(entries):
        if sub:
            inner = "".join(f"<li><a href='#{esc(e['anchor'])}'>{esc(e['title'])}</a></li>" for e in sub)
            items.append(f"<li><a href='#{anchor}' lang='zh-Hans'>{esc(zh)}</a><ol>{inner}</ol></li>")
    items.append("<li><a href='#appendix'>附录 Appendix</a></li><li><a href='#references'>参考文献 References</a></li>")
    return (
        "<nav class='sidebar' aria-label='Sidebar contents'>"
        "<form class='search' id='search' role='search' hidden onsubmit='return false'>"
        "<label for='q'>搜索 Search</label> <input type='search' id='q' autocomplete='off' "
        "placeholder='温州, 2,964, claim id…'/><ol id='hits' aria-live='polite'></ol></form>"
        f"<p class='sidebar-title'><a href='#top'>目录 Contents</a></p><ol>{''.join(items)}</ol></nav>"
        "<p class='corner'><a href='#toc'>目录 Contents</a> <a href='#top'>↑ 顶部 Top</a></p>"
    )


REFERENCE_SECTIONS = [
    ("references-sources", "论文与数据 Papers and data"),
    ("references-mofcom", "商务部数据页面 MOFCOM pages used"),
    ("references-software", "软件 Software"),
]
APPENDIX_SECTIONS = [
    ("appendix-availability", "数据可得性 Data availability and provenance"),
    ("appendix-map", "图表与程序 Figures and tables, their notebooks and output files"),
    ("appendix-requirements", "计算环境 Computational requirements"),
    ("appendix-rerun", "重新运行 How to rerun one notebook with other parameters"),
]


def _files(paths: list[str], strip: str) -> str:
    """File list for the appendix map: the common folder prefix dropped, and an SVG written beside
    its PNG shown as a second extension of the same line."""
    shown: list[str] = []
    for p in paths:
        p = p[len(strip) :] if p.startswith(strip) else p
        if p.endswith(".svg") and p[:-4] + ".png" in shown:
            shown[shown.index(p[:-4] + ".png")] += " · .svg"
            continue
        shown.append(p)
    return "<br/>".join(f"<code>{breakable(p)}</code>" for p in shown) or "—"


def breakable(text: str) -> str:
    """Escaped text with line-break opportunities (zero-width spaces) after / and _, so that long
    file names wrap at their joints in narrow cells; WeasyPrint ignores <wbr>."""
    return re.sub(r"([/_])", "\\1\u200b", esc(text))


def _pattern(paths: list[str]) -> list[str]:
    if len(paths) <= 3:
        return paths
    # Character by character on purpose: the common start and end of file names, not of folders.
    prefix = os.path.commonprefix(paths)  # noqa: RUF071
    suffix = os.path.commonprefix([p[::-1] for p in paths])[::-1]  # noqa: RUF071
    return [f"{prefix}*{suffix} ({len(paths)} files)"]


def appendix(entries, example) -> str:
    times = timings()
    rows = []
    for e in entries:
        seconds = times.get(e["name"])
        data = [p for p in e["inputs"] if p.startswith("data/")]
        upstream = _pattern([p for p in e["inputs"] if p.startswith("reports/")])
        inputs = _files(data, "data/")
        if upstream:
            inputs = (inputs if data else "") + ("<br/>" if data else "") + _files(upstream, "")
        items = (
            "<br/>".join(
                items_label([i for i in e["items"] if i["kind"] == k])
                for k in ("figure", "table")
                if any(i["kind"] == k for i in e["items"])
            )
            or "—"
        )
        rows.append(
            f"<tr><td class='items'>{items}</td>"
            f"<td><a href='#{esc(e['anchor'])}'>{breakable(e['name'])}</a><br/>"
            f"<a href='../{esc(e['source'])}'><code>{breakable(e['source'])}</code></a></td>"
            f"<td>{inputs}</td><td>{_files(e['outputs'], 'reports/')}</td>"
            f"<td class='num'>{esc(seconds) if seconds else '—'}</td></tr>"
        )
    total, measured = total_seconds(entries, times)
    total_row = (
        f"<tr class='total'><td colspan='4'>Total, {plural(measured, 'notebook', 'notebooks')} "
        f"run one after another</td><td class='num'>{total:.1f}</td></tr>"
        if measured
        else ""
    )
    if example:
        command, changed = example
        rerun = f"""
<p>Every notebook takes its inputs and outputs as parameters, checked against the contract in its
<code>parameters</code> cell (types, ranges, allowed values) before a kernel starts. This command, derived
from the build's own records, reruns one notebook with {esc("; ".join(changed))} and writes every output to
<code>/tmp/rerun/</code>, leaving <code>reports/</code> untouched:</p>
<pre id="rerun-command">{esc(format_command(command))}</pre>
<p>A parameter outside its contract stops the runner with a message naming the parameter and what it
accepts, before any code runs. To rebuild one item of the report itself: <code>make
reports/notebooks/&lt;name&gt;.ipynb</code>; <code>make report</code> reruns only what changed.</p>"""
    else:
        rerun = (
            "<p>No notebook of this build declares a parameter with allowed values; see README.md for the "
            "runner's usage.</p>"
        )
    return render_template(
        "appendix.html.j2",
        bench_times=BENCH_TIMES.as_posix(),
        rows="".join(rows),
        total_row=total_row,
        software=versions(),
        timing=timing_sentence(entries, times),
        rerun=rerun,
    )


# ---------------------------------------------------------------------------------------------
# References: generated from data/report/references.csv, the MOFCOM pages in data/external and the
# software of this build. Each data file has an anchor (#ref-data-...) the items' source lines link to.


def references_html() -> str:
    rows = read_csv_rows(config.REFERENCES_PATH)
    if not rows:
        raise ReportError(
            f"{config.relative(config.REFERENCES_PATH)} is missing or empty: the report's "
            "reference list is generated from it"
        )
    for n, row in enumerate(rows, start=2):
        for column in ("ref_id", "kind", "citation"):
            if not row.get(column):
                raise ReportError(f"{config.relative(config.REFERENCES_PATH)}, line {n}, column '{column}': empty")
    entries = []
    for row in rows:
        url = row.get("url", "")
        link = f" <a href='{esc(url)}'>{esc(url)}</a>" if url else ""
        files = [f for f in row.get("files", "").split() if f]
        file_html = ", ".join(f"<code id='ref-{esc(present.ref_id(f))}'>{esc(f)}</code>" for f in files)
        entries.append(
            f"<li id='ref-{esc(row['ref_id'])}'>{esc(row['citation'])}{link}"
            + (f"<br/><span class='ref-files'>Data files: {file_html}</span>" if files else "")
            + "</li>"
        )
    pages: dict[str, list[dict]] = {}
    for path in sorted(config.EXTERNAL_DATA_DIR.glob("*.csv")):
        for r in read_csv_rows(path):
            if r.get("source_url"):
                pages.setdefault(r["source_url"], []).append(r)
    page_items = []
    for url in sorted(pages):
        used = pages[url]
        years = sorted({r.get("year", "") for r in used if r.get("year")})
        metrics = sorted({r.get("metric", "") for r in used if r.get("metric")})
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (years[0] if years else "")
        page_items.append(
            f"<li><a href='{esc(url)}'>{esc(url)}</a> · {len(used)} "
            f"{'value' if len(used) == 1 else 'values'}, {esc(span)}: "
            f"<span lang='zh-Hans'>{esc('、'.join(metrics))}</span></li>"
        )
    software = "".join(f"<li>{esc(k)} {esc(v)}</li>" for k, v in versions())
    return f"""
<h2 id="references"><span lang="zh-Hans">参考文献</span> References</h2>
<h3 id="references-sources"><span lang="zh-Hans">论文与数据</span> Papers and data</h3>
<ol class="references">{"".join(entries)}</ol>
<h3 id="references-mofcom"><span lang="zh-Hans">商务部数据页面</span> MOFCOM pages used ({len(pages)})</h3>
<p>Every page a value in <code>data/external/</code> was read from, with the values taken from it.</p>
<ol class="references mofcom-pages">{"".join(page_items)}</ol>
<h3 id="references-software"><span lang="zh-Hans">软件</span> Software (versions of this build)</h3>
<ol class="references software">{software}</ol>
"""


def merged_notebook(entries, counters, audit_rows, example):
    cells = [raw_html(sidebar(entries)), raw_html(front_page(entries, counters, audit_rows)), raw_html(toc(entries))]
    backrefs = claim_backrefs(entries)
    for anchor, zh, en, sub in sections(entries):
        cells.append(
            raw_html(
                f"<h2 id='{anchor}' class='part-title'><span lang='zh-Hans'>{esc(zh)}</span><br/>"
                f"<small lang='en'>{esc(en)}</small></h2>"
            )
        )
        for e in sub:
            # Print breaks pages at parts only (h2); a notebook follows the one before it.
            cells.append(raw_html(f"<div class='nb-anchor' id='{esc(e['anchor'])}'></div>"))
            nb = with_links(e["nb"], e["items"], backrefs, "../")
            for cell in nb.cells:
                # Code cells that print nothing (imports, parameters) stay in the per-notebook page.
                if cell.cell_type == "code" and not cell.get("outputs"):
                    continue
                cells.append(cell)
    cells.append(raw_html(appendix(entries, example)))
    cells.append(raw_html(references_html()))
    merged = nbformat.v4.new_notebook(cells=cells)
    merged.metadata = {
        "kernelspec": {"name": config.KERNEL_NAME, "display_name": config.KERNEL_NAME, "language": "python"},
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(merged.cells):
        cell["id"] = f"report-{index:04d}"
    return merged


def notebook_page_header(e) -> str:
    """The top of a notebook's own page: back link, what it ran with, how to rerun it."""
    params = "".join(
        f"<tr><td><code>{esc(k)}</code></td><td><code>{esc(v)}</code></td></tr>" for k, v in sorted(e["params"].items())
    )
    return f"""
<nav class="back"><a href="../report.html#{esc(e["anchor"])}">← 返回报告 Back to the report</a></nav>
<div class="summary-box nb-info">
<p><strong>已执行的笔记本 Executed notebook</strong> <code>{esc(e["source"])}</code> · {items_label_plain(e["items"])}
· rebuild with <code>make reports/notebooks/{esc(e["name"])}.ipynb</code></p>
<table class="plain params"><thead><tr><th>Parameter</th><th>Value in this build</th></tr></thead>
<tbody>{params}</tbody></table>
</div>
"""


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


# ---------------------------------------------------------------------------------------------
# Rendering


def font_data_url(text: str, font_path: Path = config.FONT_PATH) -> str:
    """Subset a shipped face to the characters in `text`; fail loudly on any it lacks."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    if not font_path.exists():
        raise ReportError(
            f"CJK font missing: {config.relative(font_path)}; restore it with "
            "`git checkout -- src/outsourcing_repro/fonts/`"
        )
    # recalcBBoxes=False: recomputing the bounds of every CFF glyph on save took most of the
    # build's time; the font-wide box of the full font still contains every glyph kept.
    # recalcTimestamp=False: otherwise save() stamps the clock into the head table, and two builds
    # of the same inputs differ (tests/test_reproducible.py).
    font = TTFont(font_path, recalcBBoxes=False, recalcTimestamp=False)
    cmap = font.getBestCmap()
    # Printable characters and spaces (a no-break space the font lacked would quietly be drawn
    # from a system font), plus the list markers WeasyPrint draws, which are not in the text.
    needed = {c for c in text if ord(c) > 0x7F and (c.isprintable() or unicodedata.category(c) == "Zs")}
    needed |= set(LIST_MARKERS)
    missing = sorted(c for c in needed if ord(c) not in cmap)
    if missing:
        listing = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:20])
        raise ReportError(
            f"the report uses characters the font {config.relative(font_path)} "
            f"lacks: {listing}. Run `make font` to regenerate the subset."
        )
    options = subset.Options()
    options.layout_features = ["*"]  # keeps 'hwid', the half-width forms used as the code face
    options.recalc_timestamp = False
    options.recalc_bounds = False
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in needed | {chr(c) for c in range(0x20, 0x7F)}])
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return "data:font/otf;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def page_characters(html_text: str) -> str:
    """The characters of a page as a reader meets them: data URLs dropped, entities decoded."""
    return html.unescape(re.sub(r"data:[^'\")]+", "", html_text))


def with_font(pages: dict[str, str]) -> dict[str, str]:
    """Put one font subset, cut to the characters of all pages together, into every page's
    stylesheet (one subsetting instead of one per page: it is the slow step)."""
    text = "".join(page_characters(p) for p in pages.values())
    url, bold = font_data_url(text), font_data_url(text, config.FONT_BOLD_PATH)
    return {
        name: page.replace("__FONT_DATA_URL__", url).replace("__FONT_BOLD_DATA_URL__", bold)
        for name, page in pages.items()
    }


def render_html(nb, *, title: str, open_code: bool, css: str, page_header: str = "") -> str:
    from nbconvert import HTMLExporter

    # No "¶" anchor links: hidden in the report, they would only be dead weight in the PDF.
    exporter = HTMLExporter(
        template_name="report", extra_template_basedirs=[str(config.TEMPLATES_DIR)], exclude_anchor_links=True
    )
    body, _ = exporter.from_notebook_node(
        nb,
        resources={
            "report_title": title,
            "report_date": report_date(),
            "open_code": open_code,
            "report_css": css,
            "page_header": page_header,
        },
    )
    return unique_heading_ids(body)


def unique_heading_ids(page: str) -> str:
    """nbconvert derives a heading's id from its text, so twelve regression notebooks give twelve
    headings "估计与检验 · Estimates and tests" with one id. Number the repeats (id-2, id-3, ...):
    duplicate ids are invalid HTML and would send every link to the first of them."""
    seen: dict[str, int] = {}

    def renumber(m: re.Match) -> str:
        ident = m.group(3)
        seen[ident] = seen.get(ident, 0) + 1
        if seen[ident] == 1:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{ident}-{seen[ident]}{m.group(2)}"

    return re.sub(r"(<h[1-6]\b[^>]*?\sid=)([\"'])(.*?)\2", renumber, page)


# The folded code of the HTML report. Print CSS hides it (details.code { display: none }), but
# WeasyPrint would still parse and style its ~29,000 highlighting spans: two thirds of the PDF's time.
_CODE_BLOCK = re.compile(r"<details class=\"code\"[^>]*>.*?</details>", re.S)


def printable_html(html_text: str) -> str:
    """The report's HTML as the PDF shows it: the folded code blocks, which print hides, removed
    before WeasyPrint sees them (the PDF is byte-identical either way, and three times faster)."""
    return _CODE_BLOCK.sub("", html_text)


def write_pdf(html_text: str, target: Path) -> None:
    from weasyprint import HTML

    html_text = printable_html(html_text)
    # No base URL: links to the notebook pages stay relative ("notebooks/x.html"), so the PDF names
    # no folder of the machine that built it and works wherever the reports/ folder is copied.
    # Every image and font is a data: URL, so nothing else needs one.
    HTML(string=html_text, base_url=None).write_pdf(str(target))


def build(notebooks: list[Path], html_out: Path, pdf_out: Path) -> None:
    started = time.perf_counter()
    missing = [p for p in notebooks if not p.exists()]
    if missing:
        raise ReportError(f"executed notebook(s) missing: {', '.join(map(config.relative, missing))}")
    entries = document_order(in_outline_order([entry_for(p) for p in notebooks]))
    css = (config.PACKAGE_DIR / "static" / "report.css").read_text(encoding="utf-8")
    (config.BUILD_DIR / "staging").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=config.BUILD_DIR / "staging") as tmp:
        _build_in(Path(tmp), entries, css, html_out, pdf_out)
    if html_out.resolve().parent == config.REPORTS_DIR.resolve():
        write_checksums()
    print(
        f"[report] wrote {config.relative(html_out)} and {config.relative(pdf_out)} "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def _write_pages(staging: Path, entries, css: str) -> list[str]:
    """Render each notebook's own page into `staging`, with one font subset cut to the characters
    of all of them; return the page names."""
    backrefs = claim_backrefs(entries)
    pages = {
        e["name"]: render_html(
            with_links(e["nb"], e["items"], backrefs, "../../", "../report.html"),
            title=e["title"],
            open_code=True,
            css=css,
            page_header=notebook_page_header(e),
        )
        for e in entries
    }
    for name, page in with_font(pages).items():
        (staging / f"{name}.html").write_text(page, encoding="utf-8")
    return list(pages)


def _build_in(staging: Path, entries, css: str, html_out: Path, pdf_out: Path) -> None:
    print(f"[report] assembling {len(entries)} notebooks", flush=True)
    counters = number_items(entries)
    disambiguate_titles(entries)
    merged = merged_notebook(entries, counters, read_csv_rows(config.PROJ_ROOT / AUDIT_CSV), rerun_example(entries))
    # The notebook pages and the report (HTML, then PDF) are independent once the items are
    # numbered: on a machine with a second core the pages are rendered in a forked worker while
    # this process renders the report. The bytes are the same either way.
    from nbconvert import HTMLExporter  # noqa: F401  imported before the fork, so the worker has it

    pool = None
    if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        pages_done = pool.submit(_write_pages, staging, entries, css) if pool else None
        report = with_font(
            {
                "report": render_html(
                    merged, title="服务外包两篇论文的可复现报告 · Replication report", open_code=False, css=css
                )
            }
        )["report"]
        (staging / "report.html").write_text(report, encoding="utf-8")
        print("[report] printing PDF", flush=True)
        write_pdf(report, staging / "report.pdf")
        if pages_done is None:
            _write_pages(staging, entries, css)
        else:
            pages_done.result()
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)

    # Publish: nothing above touched the targets, so a failure leaves the last good report in place.
    # The notebook pages go to notebooks/ beside the report, where its source lines point.
    pages_dir = html_out.parent / "notebooks"
    pages_dir.mkdir(parents=True, exist_ok=True)
    for e in entries:
        os.replace(staging / f"{e['name']}.html", pages_dir / f"{e['name']}.html")
    pdf_out.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging / "report.pdf", pdf_out)
    os.replace(staging / "report.html", html_out)


CHECKSUMMED = ["report.html", "report.pdf", "claims_audit.csv", "figures/*", "tables/*", "notebooks/*"]


def write_checksums() -> Path:
    """reports/SHA256SUMS over every generated file a reviewer might compare (sha256sum -c format)."""
    reports = config.REPORTS_DIR
    files = sorted({p for g in CHECKSUMMED for p in reports.glob(g) if p.is_file() and not p.name.startswith(".")})
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(reports).as_posix()}" for p in files]
    target = reports / "SHA256SUMS"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Assemble executed notebooks into HTML and PDF.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--html", type=Path, default=config.REPORTS_DIR / "report.html")
    parser.add_argument("--pdf", type=Path, default=config.REPORTS_DIR / "report.pdf")
    args = parser.parse_args(argv)
    # fontTools (inside WeasyPrint too) and matplotlib take their dates from SOURCE_DATE_EPOCH.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(config.source_date_epoch()))
    try:
        build(args.notebooks, args.html, args.pdf)
    except ReportError as exc:
        print(f"error: report not built: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
