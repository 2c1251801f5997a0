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

This module is the build (merging, staging, publishing, checksums, the command line). Its stages:
report_items (entries, item records, numbering, links), report_facts (what the report says about its
own build), report_pages (front page, contents, appendix, references) and report_render (nbconvert,
the embedded fonts, the PDF).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from . import config
from .present import esc
from .report_facts import AUDIT_CSV, read_csv_rows, rerun_example
from .report_items import (
    ReportError,
    claim_backrefs,
    entry_for,
    in_outline_order,
    number_items,
    with_links,
)
from .report_pages import (
    appendix,
    document_order,
    front_page,
    notebook_page_header,
    raw_html,
    references_html,
    sections,
    sidebar,
    toc,
)
from .report_render import font_subsets, render_html, with_fonts, write_pdf


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


REPORT_TITLE = "服务外包两篇论文的可复现报告 · Replication report"


def _write_pages(staging: Path, entries, css: str, fonts: dict[str, str]) -> None:
    """Render each notebook's own page into `staging`, with the report's font subsets."""
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
    for name, page in with_fonts(pages, fonts).items():
        (staging / f"{name}.html").write_text(page, encoding="utf-8")


def _build_in(staging: Path, entries, css: str, html_out: Path, pdf_out: Path) -> None:
    print(f"[report] assembling {len(entries)} notebooks", flush=True)
    counters = number_items(entries)
    merged = merged_notebook(entries, counters, read_csv_rows(config.PROJ_ROOT / AUDIT_CSV), rerun_example(entries))
    # What the report and the pages can show, read from their sources before any is rendered, so the
    # font subsets (the slow step before the PDF) are cut while the report renders.
    templates = sorted(p for p in config.TEMPLATES_DIR.rglob("*") if p.is_file())
    shown = [merged, css, REPORT_TITLE, *(p.read_text(encoding="utf-8") for p in templates)]
    shown += [part for e in entries for part in (e["nb"], e["title"], notebook_page_header(e))]
    # Independent once the items are numbered: on a machine with more cores, a forked child cuts the
    # font subsets while this process renders the report, then another renders the notebook pages
    # while it prints the PDF. The bytes are the same either way.
    from nbconvert import HTMLExporter  # noqa: F401  imported before the fork, so the children have it

    cutting = _Forked(font_subsets, shown)
    try:
        report_html = render_html(merged, title=REPORT_TITLE, open_code=False, css=css)
        fonts = cutting.result()
    finally:
        cutting.stop()  # nothing once the result is in; ends the child if rendering failed
    # The pages only once the report is rendered: they have the PDF's time to finish, and would
    # otherwise slow the report's rendering on two cores. The child writes them itself and exits.
    pages = _Forked(_write_pages, staging, entries, css, fonts)
    try:
        report = with_fonts({"report": report_html}, fonts)["report"]
        (staging / "report.html").write_text(report, encoding="utf-8")
        print("[report] printing PDF", flush=True)
        write_pdf(report, staging / "report.pdf")
        pages.result()
    finally:
        pages.stop()

    # Publish: nothing above touched the targets, so a failure leaves the last good report in place.
    # The notebook pages go to notebooks/ beside the report, where its source lines point.
    pages_dir = html_out.parent / "notebooks"
    pages_dir.mkdir(parents=True, exist_ok=True)
    for e in entries:
        os.replace(staging / f"{e['name']}.html", pages_dir / f"{e['name']}.html")
    pdf_out.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging / "report.pdf", pdf_out)
    os.replace(staging / "report.html", html_out)


class _Forked:
    """`function(*args)` in a forked child that exits as soon as it has sent its result back (an idle
    pool worker would share this process's pages, and every page WeasyPrint then writes here would be
    copied first: 3 s of a 27 s PDF). In this process, when it would be the only core or there is no
    fork. `result()` returns the value or raises the child's exception."""

    def __init__(self, function, *args):
        self.child = None
        if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            self.value, self.error = None, None
            try:
                self.value = function(*args)
            except Exception as exc:  # raised by result(), as from a child
                self.error = exc
            return
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.child = context.Process(target=_send_result, args=(send, function, args), daemon=True)
        self.child.start()
        send.close()

    def result(self):
        if self.child is not None:
            try:
                self.value, self.error = self.receive.recv()
            except EOFError:
                self.value, self.error = None, ReportError(f"a report worker died (exit {self.child.exitcode})")
            self.child.join()
            self.child = None
        if self.error is not None:
            raise self.error
        return self.value

    def stop(self) -> None:
        if self.child is not None:
            self.child.terminate()
            self.child.join()
            self.child = None


def _send_result(send, function, args) -> None:
    try:
        send.send((function(*args), None))
    except Exception as exc:
        send.send((None, exc))


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
