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

from . import config, outline

KEY_PACKAGES = ["pandas", "numpy", "statsmodels", "matplotlib", "seaborn", "pandera", "papermill",
                "nbconvert", "jupytext", "weasyprint"]
# Everything the report's bytes depend on, for the fingerprint. The benchmark's committed medians
# are printed in the appendix, so they are an input too.
INPUT_GLOBS = ["data/**/*.csv", "notebooks/*.py", "src/outsourcing_repro/**/*.py",
               "src/outsourcing_repro/templates/**/*", "src/outsourcing_repro/static/*",
               "src/outsourcing_repro/fonts/*.otf", "requirements.lock", "outline.yml", "Makefile", "mk/*.mk",
               "benchmarks/notebook_times.csv"]
BENCH_TIMES = Path("benchmarks") / "notebook_times.csv"
AUDIT_CSV = Path("reports") / "claims_audit.csv"
# A table with more body rows than this may break across pages (its header row repeats); a
# shorter one moves whole to the next page. 18 rows of one-line cells fill about half an A4 page.
LONG_TABLE_ROWS = 18
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


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# ---------------------------------------------------------------------------------------------
# Claims audit summary (read from reports/claims_audit.csv, never typed)

VERDICTS = ("consistent", "discrepancy", "not checkable")


def audit_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for row in rows:
        verdict = row.get("verdict", "")
        counts[verdict] = counts.get(verdict, 0) + 1
    return counts


def audit_summary_line(rows: list[dict]) -> str | None:
    """'N claims checked: K consistent, D discrepancies, U not checkable', as the audit states it."""
    if not rows:
        return None
    c = audit_counts(rows)
    return (f"{len(rows)} claims checked: {c['consistent']} consistent, "
            f"{plural(c['discrepancy'], 'discrepancy', 'discrepancies')}, "
            f"{c['not checkable']} not checkable")


def audit_summary() -> str | None:
    return audit_summary_line(read_csv_rows(config.PROJ_ROOT / AUDIT_CSV))


def audit_block(rows: list[dict]) -> str:
    line = audit_summary_line(rows)
    if line is None:
        return ("<p><strong>审计摘要 Audit summary:</strong> the claims audit is not part of this "
                "build.</p>")
    by_paper = []
    for paper in sorted({r.get("paper", "") for r in rows}):
        c = audit_counts([r for r in rows if r.get("paper", "") == paper])
        by_paper.append(
            f"<tr><td>{esc('论文' + paper + ' Paper ' + paper)}</td><td>{sum(c.values())}</td>"
            f"<td>{c['consistent']}</td><td>{c['discrepancy']}</td><td>{c['not checkable']}</td></tr>")
    issues = []
    for r in rows:
        if r.get("verdict") != "discrepancy":
            continue
        unit = f" {esc(r.get('unit', ''))}" if r.get("unit") else ""
        recomputed = r.get("recomputed", "")
        try:
            recomputed = f"{float(recomputed):.4g}"
        except ValueError:
            pass
        issues.append(f"<li><a href='#claim-{esc(r['claim_id'])}'><code>{esc(r['claim_id'])}</code></a>: "
                      f"stated {esc(r.get('stated', ''))}{unit}, recomputed {esc(recomputed)}{unit}</li>")
    issues_html = (f"<p>Discrepancies (details and the explanations tested are in "
                   f"<a href='#part-audit'>Part IV</a>):</p><ul class='compact'>{''.join(issues)}</ul>"
                   if issues else "")
    return (f"<p class='audit-line'><strong>审计摘要 Audit summary:</strong> "
            f"<span id='audit-summary'>{esc(line)}</span>.</p>"
            "<table class='plain audit-counts'><thead><tr><th></th><th>claims</th><th>consistent</th>"
            "<th>discrepancy</th><th>not checkable</th></tr></thead>"
            f"<tbody>{''.join(by_paper)}</tbody></table>{issues_html}")


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
        return ("Run times: not measured yet. <code>make bench</code> measures each notebook and "
                f"records the medians in <code>{BENCH_TIMES.as_posix()}</code>; the report then prints them.")
    runs = bench_runs()
    runs_text = f" of {runs} runs" if runs else ""
    return (f"Run times: the {plural(measured, 'notebook', 'notebooks')} measured take "
            f"{total:.0f} s in sequence (sum of per-notebook medians{runs_text}, "
            f"measured by <code>make bench</code> and committed in <code>{BENCH_TIMES.as_posix()}</code>; "
            "this build's own times are not printed, so identical inputs give identical bytes). "
            "Per notebook: <a href='#appendix-map'>appendix</a>.")


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
        raise ReportError(f"{config.relative(path)} records no inputs/outputs; it was executed by an "
                          "older runner: rerun it with `make`")
    return {"name": name, "nb": nb, "part": declared.part, "appendix": declared.appendix,
            "anchor": f"nb-{name}", "title": title_of(nb), "source": meta.get("source", declared.source),
            "params": dict(meta.get("parameters", {})), "inputs": sorted(set(meta["inputs"])),
            "outputs": sorted(set(meta["outputs"])), "items": []}


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


_FIGURE_TAG = re.compile(r"<figure\b(?P<attrs>[^>]*)>(?P<cap>\s*<figcaption\b[^>]*>)?", re.S)


def _attr(attrs: str, name: str) -> str:
    m = re.search(rf"\b{name}\s*=\s*(['\"])(.*?)\1", attrs, re.S)
    return m.group(2) if m else ""


_PAPER_LABEL = re.compile(r"(<span class=(['\"])cap-zh\2>)\s*((?:论文[AB]\s*)?[图表]\d+(?:（续）)?)")


def _number_html(text: str, counters: dict[str, int], items: list, paper: str | None) -> str:
    """Number each <figure class='figure|table'> of one output and tag long and wide tables.

    The report's number ("Figure 3.") leads the caption. The label a notebook gives its item
    (图1, 表2) is the number within its paper; it is kept, marked as such ("论文B 图1") so that it
    is not read as the report's number."""
    out, pos = [], 0
    for m in _FIGURE_TAG.finditer(text):
        classes = _attr(m.group("attrs"), "class").split()
        kind = next((k for k in ("figure", "table") if k in classes), None)
        out.append(text[pos:m.start()])
        pos = m.end()
        if kind is None:
            out.append(m.group(0))
            continue
        counters[kind] += 1
        number = counters[kind]
        end = text.find("</figure>", m.end())
        body = text[m.end(): end if end >= 0 else len(text)]
        extra = []
        if kind == "table":
            rows = body.split("<tbody", 1)[-1].count("<tr")
            header = body.split("</thead>", 1)[0] if "</thead>" in body else ""
            columns = header.rsplit("<tr", 1)[-1].count("<th") if header else 0
            if rows > LONG_TABLE_ROWS:
                extra.append("long")
            if columns > WIDE_TABLE_COLUMNS:
                extra.append("wide")
        attrs = m.group("attrs")
        if extra:
            new_class = " ".join(classes + extra)
            attrs = re.sub(r"\bclass\s*=\s*(['\"]).*?\1", f"class='{new_class}'", attrs, count=1, flags=re.S)
        label = f"<span class='item-no'>{KIND_NAMES[kind][1]} {number}.</span> "
        caption = m.group("cap") or ""
        if caption:
            out.append(f"<figure{attrs}>{caption}{label}")
            tail = text[pos:end if end >= 0 else len(text)]
            marked = _PAPER_LABEL.sub(
                lambda c: f"{c.group(1)}<span class='paper-label'>"
                          f"{c.group(3) if c.group(3).startswith('论文') or not paper else paper + ' ' + c.group(3)}"
                          "</span>", tail, count=1)
            out.append(marked)
            pos = end if end >= 0 else len(text)
        else:
            out.append(f"<figure{attrs}><p class='item-no-line'>{label}</p>")
        items.append({"kind": kind, "number": number, "id": _attr(m.group("attrs"), "id")})
    out.append(text[pos:])
    return "".join(out)


def number_items(entries) -> dict[str, int]:
    """Number figures and tables in document order; the numbers go into the HTML itself (not CSS
    counters), so the appendix, the notebook pages and text search all see the same numbers."""
    counters = {"figure": 0, "table": 0}
    for e in entries:
        e["nb"] = copy.deepcopy(e["nb"])
        e["items"] = []
        paper = {"A": "论文A", "B": "论文B"}.get(e["part"])
        for cell in e["nb"].cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/html" in data:
                    data["text/html"] = _number_html(data["text/html"], counters, e["items"], paper)
    return counters


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
        differing = [k for k in keys if k != "notebook_name"
                     and len({str(e["params"].get(k)) for e in group}) > 1
                     and not _param_paths(group[0]["params"].get(k))]
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
                data["text/html"] = (data["text/html"][:m.start()] + f"<h{m.group(1)}{attrs}>{m.group(3)}"
                                     f"</h{m.group(1)}>" + data["text/html"][m.end():])
            else:
                sub = ", ".join(f"{k} = {e['params'].get(k)}" for k in differing) or e["name"]
            sub_zh, _, sub_en = sub.partition(" · ")
            if zh_head and en_head and sub_zh and sub_en:
                e["title"] = f"{zh_head}：{sub_zh} · {en_head}: {sub_en}"
            else:
                e["title"] = f"{title} — {sub}"
            for cell in e["nb"].cells:
                if cell.cell_type == "markdown" and re.search(r"^#+ ", cell.source, re.M):
                    cell.source = re.sub(r"^(#+) .*$", lambda h: f"{h.group(1)} {e['title']}", cell.source,
                                         count=1, flags=re.M)
                    break


def items_label(items: list[dict]) -> str:
    """'Figure 3; Tables 4–5' with links to each item."""
    parts = []
    for kind in ("figure", "table"):
        mine = [i for i in items if i["kind"] == kind]
        if not mine:
            continue
        en = KIND_NAMES[kind][1]
        links = ", ".join(f"<a href='#{esc(i['id'])}'>{i['number']}</a>" if i["id"] else str(i["number"])
                          for i in mine)
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
        choice = next((d for d in declared.values() if d.choices and len(d.choices) > 1
                       and str(e["params"].get(d.name, d.default)) not in e["name"]), None)
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
        command = [".venv/bin/python", "-m", "outsourcing_repro.runner", e["source"],
                   f"{out_dir}/{e['name']}.ipynb", *args]
        return shlex.join(command), changed
    return None


def format_command(command: str) -> str:
    """Break a long shell command before each -p, with continuation backslashes."""
    return command.replace(" -p ", " \\\n    -p ")


# ---------------------------------------------------------------------------------------------
# The frame: front page, contents, appendix

def raw_html(source: str):
    return nbformat.v4.new_raw_cell(source=source, metadata={"raw_mimetype": "text/html"})


def front_page(entries, counters: dict[str, int], audit_rows: list[dict]) -> str:
    times = timings()
    what = []
    for key, anchor, zh, en in parts():
        sub = [e for e in entries if e["part"] == key]
        if not sub:
            continue
        n_fig = sum(1 for e in sub for i in e["items"] if i["kind"] == "figure")
        n_tab = sum(1 for e in sub for i in e["items"] if i["kind"] == "table")
        what.append(f"<li><a href='#{anchor}'>{esc(zh)}</a> · {esc(en.split(' · ', 1)[-1])}: "
                    f"{plural(n_fig, 'figure', 'figures')}, {plural(n_tab, 'table', 'tables')} "
                    f"from {plural(len(sub), 'notebook', 'notebooks')}</li>")
    software = " · ".join(f"{esc(k)} {esc(v)}" for k, v in versions())
    return f"""
<section class="front" id="front">
<h1 id="top" class="title">服务外包两篇论文的可复现报告<br/><span class="subtitle">A reproducible replication report for two Chinese papers on service outsourcing</span></h1>
<p class="lede">This report rebuilds, from data files and through code, the figures and prose tables of
<strong>Paper A</strong>: 涂舒 (2024) 以新型服务外包培育新质生产力：理论逻辑和现实路径, 《当代经济管理》, and of
<strong>Paper B</strong>: an article on Wenzhou's (温州) offshore service outsourcing in the digital economy, 2013–2017
(its title and author are not in the available text). It fits growth regressions on the papers' series and on
public MOFCOM releases, and audits every number the papers print that can be recomputed.</p>
<div class="summary-box">
<p><strong>复现内容 What is reproduced:</strong> {plural(counters['figure'], 'figure', 'figures')} and
{plural(counters['table'], 'table', 'tables')}, each made by one papermill-executed notebook
({plural(len(entries), 'notebook', 'notebooks')} in all):</p>
<ul class="compact">{''.join(what)}</ul>
{audit_block(audit_rows)}
</div>
<h4 class="build-head">构建信息 Build information</h4>
<table class="plain build-info">
<tr><td>Report date</td><td>{esc(report_date())} (SOURCE_DATE_EPOCH or the data freeze date, not the clock)</td></tr>
<tr><td>Input fingerprint</td><td><code class="hash">{esc(input_fingerprint())}</code><br/>sha256 of data, notebooks, package, fonts, lock file, Makefile and benchmark medians</td></tr>
<tr><td>Software</td><td>{software}</td></tr>
<tr><td>Run time</td><td>{timing_sentence(entries, times)}</td></tr>
</table>
</section>
"""


def toc(entries) -> str:
    items = []
    for key, anchor, zh, en in parts():
        sub = [e for e in entries if e["part"] == key]
        if not sub:
            continue
        inner = "".join(f"<li><a href='#{esc(e['anchor'])}'>{esc(e['title'])}</a></li>" for e in sub)
        items.append(f"<li class='part'><a href='#{anchor}'>{esc(zh)}<br/><span class='en'>{esc(en)}</span></a>"
                     f"<ol>{inner}</ol></li>")
    appendix_items = "".join(f"<li><a href='#{a}'>{esc(t)}</a></li>" for a, t in APPENDIX_SECTIONS)
    items.append(f"<li class='part'><a href='#appendix'>附录 可复现性说明<br/><span class='en'>Appendix: "
                 f"reproducibility</span></a><ol>{appendix_items}</ol></li>")
    return (f"<nav class='toc' id='toc'><h2 class='toc-title'>目录 Contents</h2>"
            f"<ol class='toc-parts'>{''.join(items)}</ol></nav>")


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
        p = p[len(strip):] if p.startswith(strip) else p
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
    prefix = os.path.commonprefix(paths)
    suffix = os.path.commonprefix([p[::-1] for p in paths])[::-1]
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
        items = "<br/>".join(items_label([i for i in e["items"] if i["kind"] == k]) for k in ("figure", "table")
                             if any(i["kind"] == k for i in e["items"])) or "—"
        rows.append(
            f"<tr><td class='items'>{items}</td>"
            f"<td><a href='#{esc(e['anchor'])}'>{breakable(e['name'])}</a><br/><code>{breakable(e['source'])}</code> · "
            f"<a href='notebooks/{esc(e['name'])}.html'>executed</a></td>"
            f"<td>{inputs}</td><td>{_files(e['outputs'], 'reports/')}</td>"
            f"<td class='num'>{esc(seconds) if seconds else '—'}</td></tr>"
        )
    total, measured = total_seconds(entries, times)
    total_row = (f"<tr class='total'><td colspan='4'>Total, {plural(measured, 'notebook', 'notebooks')} "
                 f"run one after another</td><td class='num'>{total:.1f}</td></tr>" if measured else "")
    if example:
        command, changed = example
        rerun = f"""
<p>Every notebook takes its inputs and outputs as parameters, checked against the contract in its
<code>parameters</code> cell (types, ranges, allowed values) before a kernel starts. This command, derived
from the build's own records, reruns one notebook with {esc('; '.join(changed))} and writes every output to
<code>/tmp/rerun/</code>, leaving <code>reports/</code> untouched:</p>
<pre id="rerun-command">{esc(format_command(command))}</pre>
<p>A parameter outside its contract stops the runner with a message naming the parameter and what it
accepts, before any code runs. To rebuild one item of the report itself: <code>make
reports/notebooks/&lt;name&gt;.ipynb</code>; <code>make report</code> reruns only what changed.</p>"""
    else:
        rerun = ("<p>No notebook of this build declares a parameter with allowed values; see README.md for the "
                 "runner's usage.</p>")
    return f"""
<h2 id="appendix">附录 可复现性说明<br/><small>Appendix: reproducibility (SSDE/AEA template)</small></h2>
<h3 id="appendix-availability">数据可得性 Data availability and provenance</h3>
<p>All data are in <code>data/</code> of the replication package; nothing is downloaded during a build.
<code>data/raw/</code> holds the numbers transcribed from the two papers, each with its verbatim quote and
the section it comes from (a test checks every quote against the paper text); <code>data/external/</code>
holds values from the Ministry of Commerce (商务部, MOFCOM) service-outsourcing releases as reprinted by
public news pages, each with its URL and quote; <code>data/claims/</code> is the ledger of the claims
audited in Part IV. <code>data/README.md</code> gives sources, licences and caveats.</p>
<h3 id="appendix-map">图表与程序 Figures and tables, their notebooks and output files</h3>
<p>Read from each executed notebook's recorded parameters. Item numbers are those of this report; data
files are under <code>data/</code>, outputs under <code>reports/</code>. Run time: median seconds per notebook
as measured by <code>make bench</code> (<code>{BENCH_TIMES.as_posix()}</code>), not the time of this build;
— means not measured.</p>
<table class="plain map"><colgroup><col class="c-items"/><col class="c-nb"/><col class="c-data"/><col class="c-out"/><col class="c-time"/></colgroup>
<thead><tr><th>Items</th><th>Notebook and program</th><th>Data</th><th>Output files</th><th class="num">Run time (s)</th></tr></thead>
<tbody>{''.join(rows)}{total_row}</tbody></table>
<h3 id="appendix-requirements">计算环境 Computational requirements</h3>
<ul>
<li>Software: Python ≥ 3.10 with the exact pins of <code>requirements.lock</code> (conda:
<code>environment.yml</code>); GNU make. This build: {esc(' · '.join(f'{k} {v}' for k, v in versions()))}.</li>
<li>No network after set-up; no system font (a CJK font subset under the SIL Open Font License ships
with the package).</li>
<li>Hardware: a laptop suffices. {timing_sentence(entries, times)} Whole-build timings and peak memory:
<code>make bench</code> writes them to <code>reports/benchmarks.csv</code>.</li>
</ul>
<h3 id="appendix-rerun">重新运行 How to rerun one notebook with other parameters</h3>
{rerun}
"""


def merged_notebook(entries, counters, audit_rows, example):
    cells = [raw_html(front_page(entries, counters, audit_rows)), raw_html(toc(entries))]
    for key, anchor, zh, en in parts():
        sub = [e for e in entries if e["part"] == key]
        if not sub:
            continue
        cells.append(raw_html(f"<h2 id='{anchor}' class='part-title'>{esc(zh)}<br/><small>{esc(en)}</small></h2>"))
        for index, e in enumerate(sub):
            # In print each notebook starts a page, except the first, which follows its part title.
            start = " page-start" if index else ""
            cells.append(raw_html(f"<div class='nb-anchor{start}' id='{esc(e['anchor'])}'></div>"))
            for cell in e["nb"].cells:
                # Code cells that print nothing (imports, parameters) stay in the per-notebook page.
                if cell.cell_type == "code" and not cell.get("outputs"):
                    continue
                cells.append(cell)
    cells.append(raw_html(appendix(entries, example)))
    merged = nbformat.v4.new_notebook(cells=cells)
    merged.metadata = {"kernelspec": {"name": config.KERNEL_NAME, "display_name": config.KERNEL_NAME,
                                      "language": "python"},
                       "language_info": {"name": "python"}}
    for index, cell in enumerate(merged.cells):
        cell["id"] = f"report-{index:04d}"
    return merged


def notebook_page_header(e) -> str:
    """The top of a notebook's own page: back link, what it ran with, how to rerun it."""
    params = "".join(f"<tr><td><code>{esc(k)}</code></td><td><code>{esc(v)}</code></td></tr>"
                     for k, v in sorted(e["params"].items()))
    return f"""
<nav class="back"><a href="../report.html#{esc(e['anchor'])}">← 返回报告 Back to the report</a></nav>
<div class="summary-box nb-info">
<p><strong>已执行的笔记本 Executed notebook</strong> <code>{esc(e['source'])}</code> · {items_label_plain(e['items'])}
· rebuild with <code>make reports/notebooks/{esc(e['name'])}.ipynb</code></p>
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
            links = ", ".join(f"<a href='../report.html#{esc(i['id'])}'>{i['number']}</a>" if i["id"]
                              else str(i["number"]) for i in mine)
            parts.append(f"report {en}{'s' if len(mine) > 1 else ''} {links}")
    return "; ".join(parts) or "no figure or table"


# ---------------------------------------------------------------------------------------------
# Rendering

def font_data_url(text: str) -> str:
    """Subset the shipped font to the characters in `text`; fail loudly on any it lacks."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    if not config.FONT_PATH.exists():
        raise ReportError(f"CJK font missing: {config.relative(config.FONT_PATH)}; restore it with "
                          "`git checkout -- src/outsourcing_repro/fonts/`")
    # recalcBBoxes=False: recomputing the bounds of every CFF glyph on save took most of the
    # build's time; the font-wide box of the full font still contains every glyph kept.
    # recalcTimestamp=False: otherwise save() stamps the clock into the head table, and two builds
    # of the same inputs differ (tests/test_reproducible.py).
    font = TTFont(config.FONT_PATH, recalcBBoxes=False, recalcTimestamp=False)
    cmap = font.getBestCmap()
    # Printable characters and spaces (a no-break space the font lacked would quietly be drawn
    # from a system font), plus the list markers WeasyPrint draws, which are not in the text.
    needed = {c for c in text if ord(c) > 0x7F and (c.isprintable() or unicodedata.category(c) == "Zs")}
    needed |= set(LIST_MARKERS)
    missing = sorted(c for c in needed if ord(c) not in cmap)
    if missing:
        listing = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:20])
        raise ReportError(f"the report uses characters the font {config.relative(config.FONT_PATH)} "
                          f"lacks: {listing}. Run `make font` to regenerate the subset.")
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
    url = font_data_url("".join(page_characters(p) for p in pages.values()))
    return {name: page.replace("__FONT_DATA_URL__", url) for name, page in pages.items()}


def render_html(nb, *, title: str, open_code: bool, css: str, page_header: str = "") -> str:
    from nbconvert import HTMLExporter

    # No "¶" anchor links: hidden in the report, they would only be dead weight in the PDF.
    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(config.TEMPLATES_DIR)],
                            exclude_anchor_links=True)
    body, _ = exporter.from_notebook_node(nb, resources={
        "report_title": title, "report_date": report_date(), "open_code": open_code, "report_css": css,
        "page_header": page_header,
    })
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
    entries = in_outline_order([entry_for(p) for p in notebooks])
    css = (config.PACKAGE_DIR / "static" / "report.css").read_text(encoding="utf-8")
    (config.BUILD_DIR / "staging").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=config.BUILD_DIR / "staging") as tmp:
        _build_in(Path(tmp), entries, css, html_out, pdf_out)
    if html_out.resolve().parent == config.REPORTS_DIR.resolve():
        write_checksums()
    print(f"[report] wrote {config.relative(html_out)} and {config.relative(pdf_out)} "
          f"in {time.perf_counter() - started:.1f} s", flush=True)


def _write_pages(staging: Path, entries, css: str) -> list[str]:
    """Render each notebook's own page into `staging`, with one font subset cut to the characters
    of all of them; return the page names."""
    pages = {e["name"]: render_html(e["nb"], title=e["title"], open_code=True, css=css,
                                    page_header=notebook_page_header(e)) for e in entries}
    for name, page in with_font(pages).items():
        (staging / f"{name}.html").write_text(page, encoding="utf-8")
    return list(pages)


def _build_in(staging: Path, entries, css: str, html_out: Path, pdf_out: Path) -> None:
    print(f"[report] assembling {len(entries)} notebooks", flush=True)
    counters = number_items(entries)
    disambiguate_titles(entries)
    merged = merged_notebook(entries, counters, read_csv_rows(config.PROJ_ROOT / AUDIT_CSV),
                             rerun_example(entries))
    # The notebook pages and the report (HTML, then PDF) are independent once the items are
    # numbered: on a machine with a second core the pages are rendered in a forked worker while
    # this process renders the report. The bytes are the same either way.
    from nbconvert import HTMLExporter  # noqa: F401  imported before the fork, so the worker has it

    pool = None
    if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        pages_done = pool.submit(_write_pages, staging, entries, css) if pool else None
        report = with_font({"report": render_html(merged, title="服务外包两篇论文的可复现报告 · Replication report",
                                                  open_code=False, css=css)})["report"]
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
    files = sorted({p for g in CHECKSUMMED for p in reports.glob(g)
                    if p.is_file() and not p.name.startswith(".")})
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(reports).as_posix()}"
             for p in files]
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
