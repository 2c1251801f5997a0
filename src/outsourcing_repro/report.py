"""Assemble the executed notebooks into reports/report.html and reports/report.pdf.

    python -m outsourcing_repro.report reports/notebooks/a.ipynb reports/notebooks/b.ipynb ...

The notebooks are merged, in the order given, into one notebook framed by a front page, a table of
contents and a reproducibility appendix; nbconvert renders it with the project's template (no CDN,
no script); WeasyPrint prints the same HTML to an A4 PDF. Both files are written to a staging
folder first and moved into place only when both succeeded, so a failed build never replaces the
last good report. Each executed notebook is also rendered to reports/notebooks/<name>.html.
"""
from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import hashlib
import html
import io
import os
import re
import shutil
import tempfile
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import nbformat

from . import config

PARTS = [
    ("A", "part-a", "第一部分 论文A：以新型服务外包培育新质生产力（涂舒，2024）",
     "Part I · Paper A: Cultivating new quality productive forces with new service outsourcing (Tu 2024)"),
    ("B", "part-b", "第二部分 论文B：数字经济背景下的温州离岸服务外包",
     "Part II · Paper B: Wenzhou's offshore service outsourcing in the digital economy"),
    ("R", "part-regressions", "第三部分 增长回归", "Part III · Growth regressions"),
    ("C", "part-audit", "第四部分 数值核查", "Part IV · Claims audit"),
]
KEY_PACKAGES = ["pandas", "numpy", "statsmodels", "matplotlib", "seaborn", "pandera", "papermill",
                "nbconvert", "jupytext", "weasyprint"]
INPUT_GLOBS = ["data/**/*.csv", "notebooks/*.py", "src/outsourcing_repro/**/*.py",
               "src/outsourcing_repro/templates/**/*", "src/outsourcing_repro/static/*",
               "requirements.lock", "Makefile"]


class ReportError(RuntimeError):
    pass


def part_of(name: str) -> str:
    if re.match(r"^(fig|tab)_a\d", name):
        return "A"
    if re.match(r"^(fig|tab)_b\d", name):
        return "B"
    if name.startswith(("reg_", "fig_r", "tab_r")):
        return "R"
    if name.startswith(("audit", "tab_c", "claims")):
        return "C"
    raise ReportError(f"cannot place notebook '{name}' in a part; name it fig_a*/tab_b*/reg_*/audit*")


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


def audit_summary() -> str | None:
    rows = read_csv_rows(config.REPORTS_DIR / "claims_audit.csv")
    if not rows:
        return None
    counts = {"consistent": 0, "discrepancy": 0, "not checkable": 0}
    for row in rows:
        counts[row.get("verdict", "")] = counts.get(row.get("verdict", ""), 0) + 1
    return (f"{len(rows)} claims checked: {counts['consistent']} consistent, "
            f"{counts['discrepancy']} discrepancies, {counts['not checkable']} not checkable")


def raw_html(source: str):
    return nbformat.v4.new_raw_cell(source=source, metadata={"raw_mimetype": "text/html"})


def esc(text) -> str:
    return html.escape(str(text))


def front_page(entries, summary: str | None) -> str:
    n_fig = sum(1 for e in entries if e["name"].startswith("fig_"))
    n_tab = sum(1 for e in entries if e["name"].startswith("tab_"))
    n_other = len(entries) - n_fig - n_tab
    rows = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in versions())
    summary_html = (f"<p><strong>审计摘要 Audit summary:</strong> {esc(summary)}. "
                    "<a href='#part-audit'>Details</a>.</p>" if summary else
                    "<p><strong>审计摘要 Audit summary:</strong> the claims audit is not part of this build.</p>")
    return f"""
<section class="front">
<h1 id="top">服务外包两篇论文的可复现报告<br/><span class="subtitle">A reproducible replication report for two Chinese papers on service outsourcing</span></h1>
<p>This report rebuilds, from data files and through code, the figures and prose tables of
<strong>Paper A</strong>: 涂舒 (2024) 以新型服务外包培育新质生产力：理论逻辑和现实路径, 《当代经济管理》, and of
<strong>Paper B</strong>: an article on Wenzhou's (温州) offshore service outsourcing in the digital economy, 2013–2017
(its title and author are not in the available text). It fits growth regressions on the papers' series and on
public MOFCOM releases, and audits every number the papers print that can be recomputed.</p>
<div class="summary-box">
<p><strong>本次构建 This build:</strong> {n_fig} figures, {n_tab} tables and {n_other} further notebooks
(regressions, audit), each made by one papermill-executed notebook.</p>
{summary_html}
</div>
<table class="plain build-info">
<tr><td>Report date</td><td>{esc(report_date())} (SOURCE_DATE_EPOCH or data freeze date, not the clock)</td></tr>
<tr><td>Input fingerprint</td><td><code>{esc(input_fingerprint())}</code> (sha256 of data, notebooks, package, lock, Makefile)</td></tr>
{rows}
<tr><td>Run time per notebook</td><td>see <a href="#appendix-map">the appendix</a></td></tr>
</table>
</section>
"""


def toc(entries) -> str:
    items = []
    for key, anchor, zh, en in PARTS:
        sub = [e for e in entries if e["part"] == key]
        if not sub:
            continue
        inner = "".join(f"<li><a href='#{esc(e['anchor'])}'>{esc(e['title'])}</a></li>" for e in sub)
        items.append(f"<li><a href='#{anchor}'>{esc(zh)} · {esc(en)}</a><ol>{inner}</ol></li>")
    items.append("<li><a href='#appendix'>附录 可复现性说明 · Appendix: reproducibility</a></li>")
    return f"<nav class='toc' id='toc'><h2 class='first'>目录 Contents</h2><ol>{''.join(items)}</ol></nav>"


def timings() -> dict[str, str]:
    """Per-notebook run times measured by `make bench` (benchmarks/notebook_times.csv). Times of
    the current build are not printed: they differ on every run and would break byte-identical
    reports."""
    rows = read_csv_rows(config.PROJ_ROOT / "benchmarks" / "notebook_times.csv")
    return {r["notebook"]: r["median_seconds"] for r in rows if "notebook" in r}


def appendix(entries) -> str:
    times = timings()
    rows = []
    for e in entries:
        outputs = ", ".join(f"<code>{esc(o)}</code>" for o in e["outputs"]) or "—"
        rows.append(
            f"<tr><td><a href='#{esc(e['anchor'])}'>{esc(e['title'])}</a></td>"
            f"<td><code>notebooks/{esc(e['name'])}.py</code></td><td>{outputs}</td>"
            f"<td>{esc(times.get(e['name'], 'not measured'))}</td></tr>"
        )
    return f"""
<h2 id="appendix">附录 可复现性说明 · Appendix: reproducibility</h2>
<h3 id="appendix-availability">Data availability</h3>
<p>All data are in <code>data/</code> of the replication package. <code>data/raw/</code> holds numbers
transcribed from the two papers, each with its verbatim quote and section; <code>data/external/</code>
holds values from the Ministry of Commerce (商务部, MOFCOM) service-outsourcing press releases as
reprinted by public news pages, each with its URL and quote. See <code>data/README.md</code> for
sources, licences and the transcription checks.</p>
<h3 id="appendix-map">Figures and tables, their notebooks and outputs</h3>
<table class="plain"><thead><tr><th>Item</th><th>Notebook</th><th>Output files</th><th>Run time (s, median of <code>make bench</code>)</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h3 id="appendix-requirements">Computational requirements</h3>
<p>Python ≥ 3.10 with the exact pins of <code>requirements.lock</code> (conda: <code>environment.yml</code>);
GNU make; no network after set-up; no system font (the CJK font ships with the package). Measured on a
2-core, 24 GiB machine; see <code>reports/benchmarks.csv</code> for whole-build timings.</p>
<h3 id="appendix-rerun">How to rerun one notebook with other parameters</h3>
<pre>.venv/bin/python -m outsourcing_repro.runner notebooks/reg_growth.py /tmp/reg.ipynb \\
    -p series wenzhou_offshore_execution -p start_year 2014 -p cov_type HC3</pre>
<p>The runner checks each parameter against the notebook's declared types and ranges before it starts
a kernel. <code>make report</code> reruns only what changed.</p>
"""


def entry_for(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    name = path.stem
    params = nb.metadata.get("outsourcing_repro", {}).get("parameters", {})
    outputs = sorted(v for k, v in params.items() if isinstance(v, str) and v.startswith("reports/"))
    return {"name": name, "nb": nb, "part": part_of(name), "anchor": f"nb-{name}",
            "title": title_of(nb), "outputs": outputs}


def merged_notebook(entries):
    summary = audit_summary()
    cells = [raw_html(front_page(entries, summary)), raw_html(toc(entries))]
    for key, anchor, zh, en in PARTS:
        sub = [e for e in entries if e["part"] == key]
        if not sub:
            continue
        cells.append(raw_html(f"<h2 id='{anchor}'>{esc(zh)}<br/><small>{esc(en)}</small></h2>"))
        for e in sub:
            cells.append(raw_html(f"<div class='nb-anchor' id='{esc(e['anchor'])}'></div>"))
            for cell in e["nb"].cells:
                # Code cells that print nothing (imports, parameters) stay in the per-notebook page.
                if cell.cell_type == "code" and not cell.get("outputs"):
                    continue
                cells.append(cell)
    cells.append(raw_html(appendix(entries)))
    merged = nbformat.v4.new_notebook(cells=cells)
    merged.metadata = {"kernelspec": {"name": config.KERNEL_NAME, "display_name": config.KERNEL_NAME,
                                      "language": "python"},
                       "language_info": {"name": "python"}}
    for index, cell in enumerate(merged.cells):
        cell["id"] = f"report-{index:04d}"
    return merged


def font_data_url(text: str) -> str:
    """Subset the shipped font to the characters in `text`; fail loudly on any it lacks."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    if not config.FONT_PATH.exists():
        raise ReportError(f"CJK font missing: {config.relative(config.FONT_PATH)}; restore it with "
                          "`git checkout -- src/outsourcing_repro/fonts/`")
    # recalcTimestamp=False: otherwise fontTools stamps the clock into the subset's head table.
    font = TTFont(config.FONT_PATH, recalcTimestamp=False)
    cmap = font.getBestCmap()
    needed = {c for c in text if ord(c) > 0x7F and c.isprintable()}
    missing = sorted(c for c in needed if ord(c) not in cmap)
    if missing:
        listing = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:20])
        raise ReportError(f"the report uses characters the font {config.relative(config.FONT_PATH)} "
                          f"lacks: {listing}. Run `make font` to regenerate the subset.")
    options = subset.Options()
    options.layout_features = ["*"]
    options.recalc_timestamp = False
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in needed | {chr(c) for c in range(0x20, 0x7F)}])
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return "data:font/otf;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def render_html(nb, *, title: str, open_code: bool, css: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(config.TEMPLATES_DIR)])
    body, _ = exporter.from_notebook_node(nb, resources={
        "report_title": title, "report_date": report_date(), "open_code": open_code, "report_css": css,
    })
    return body


def with_font(html_text: str, css_template: str) -> str:
    """Put the font subset for this page's characters into its stylesheet."""
    url = font_data_url(re.sub(r"data:[^'\")]+", "", html_text))
    return html_text.replace("__FONT_DATA_URL__", url)


def write_pdf(html_text: str, target: Path) -> None:
    from weasyprint import HTML

    # No base_url: every resource is a data: URL, and relative links (notebooks/x.html) stay
    # relative to the PDF. A base_url would turn them into file:///<checkout>/... links, which
    # differ between checkouts and point nowhere on a reader's machine.
    HTML(string=html_text, base_url=None).write_pdf(str(target))


def build(notebooks: list[Path], html_out: Path, pdf_out: Path) -> None:
    started = time.perf_counter()
    missing = [p for p in notebooks if not p.exists()]
    if missing:
        raise ReportError(f"executed notebook(s) missing: {', '.join(map(config.relative, missing))}")
    entries = [entry_for(p) for p in notebooks]
    css = (config.PACKAGE_DIR / "static" / "report.css").read_text(encoding="utf-8")
    (config.BUILD_DIR / "staging").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=config.BUILD_DIR / "staging") as tmp:
        _build_in(Path(tmp), entries, css, html_out, pdf_out)
    write_checksums()
    print(f"[report] wrote {config.relative(html_out)} and {config.relative(pdf_out)} "
          f"in {time.perf_counter() - started:.1f} s", flush=True)


def _build_in(staging: Path, entries, css: str, html_out: Path, pdf_out: Path) -> None:

    print(f"[report] assembling {len(entries)} notebooks", flush=True)
    merged = merged_notebook(entries)
    page = with_font(render_html(merged, title="服务外包两篇论文的可复现报告 · Replication report",
                                 open_code=False, css=css), css)
    (staging / "report.html").write_text(page, encoding="utf-8")
    print("[report] printing PDF", flush=True)
    write_pdf(page, staging / "report.pdf")

    for e in entries:
        single = with_font(render_html(e["nb"], title=e["title"], open_code=True, css=css), css)
        (staging / f"{e['name']}.html").write_text(single, encoding="utf-8")

    # Publish: nothing above touched reports/, so a failure leaves the last good report in place.
    for e in entries:
        os.replace(staging / f"{e['name']}.html", config.EXECUTED_NOTEBOOKS_DIR / f"{e['name']}.html")
    html_out.parent.mkdir(parents=True, exist_ok=True)
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
    # fontTools (inside WeasyPrint) and matplotlib take dates from SOURCE_DATE_EPOCH when it is set.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(config.source_date_epoch()))
    try:
        build(args.notebooks, args.html, args.pdf)
    except ReportError as exc:
        print(f"error: report not built: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
