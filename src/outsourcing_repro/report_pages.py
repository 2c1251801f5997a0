"""The frame of the report around the notebooks: front page, contents, sidebar, the sections in
document order, the reproducibility appendix, the reference list, and the header of each notebook's
own page. The front page and the appendix are templates (templates/report/*.html.j2).
"""

from __future__ import annotations

import contextlib
import os
import re

import nbformat

from . import config, outline, present, report_facts
from .audit import plural
from .present import esc
from .report_facts import (
    audit_counts,
    audit_summary_line,
    bench_runs,
    format_command,
    input_fingerprint,
    read_csv_rows,
    report_date,
    timings,
    total_seconds,
    versions,
)
from .report_items import ReportError, items_label, items_label_plain


def parts() -> list[tuple[str, str, str, str]]:
    """The report's parts in order, (id, anchor, Chinese title, English title), from the outline."""
    return [(p.id, p.anchor, p.title_zh, p.title_en) for p in outline.load().parts]


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


def timing_sentence(entries, times: dict[str, str]) -> str:
    total, measured = total_seconds(entries, times)
    if not measured:
        return (
            "Run times: not measured yet. <code>make bench</code> measures each notebook and "
            f"records the medians in <code>{report_facts.BENCH_TIMES.as_posix()}</code>; the report then prints them."
        )
    runs = bench_runs()
    runs_text = f" of {runs} runs" if runs else ""
    return (
        f"Run times: the {plural(measured, 'notebook', 'notebooks')} measured take "
        f"{total:.0f} s in sequence (sum of per-notebook medians{runs_text}, "
        f"measured by <code>make bench</code> and committed in <code>{report_facts.BENCH_TIMES.as_posix()}</code>; "
        "this build's own times are not printed, so identical inputs give identical bytes). "
        "Per notebook: <a href='#appendix-map'>appendix</a>."
    )


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
        bench_times=report_facts.BENCH_TIMES.as_posix(),
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
