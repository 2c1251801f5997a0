"""The report assembler: its pure parts on hand-made inputs, then the real build read as a reviewer
would (the e2e tests use the session's `make report`)."""

from __future__ import annotations

import collections
import csv
import html as html_lib
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from pypdf import PdfReader

from outsourcing_repro import (
    config,
    dataset,
    outline,
    present,
    report_facts,
    report_items,
    report_pages,
    report_render,
    runner_params,
    values,
)

PAPER_B = config.RAW_DATA_DIR / "paper_b_values.csv"
e2e = pytest.mark.e2e


# ---------------------------------------------------------------------------------------------
# Pure parts, on hand-made inputs


def test_audit_summary_counts_each_verdict():
    rows = [
        {"verdict": "consistent"},
        {"verdict": "consistent"},
        {"verdict": "discrepancy"},
        {"verdict": "not checkable"},
    ]
    assert report_facts.audit_summary_line(rows) == "4 claims checked: 2 consistent, 1 discrepancy, 1 not checkable"
    rows.append({"verdict": "discrepancy"})
    assert "2 discrepancies" in report_facts.audit_summary_line(rows)
    assert report_facts.audit_summary_line([]) is None


def _item_output(kind: str, item_id: str, label, rows: int = 3, columns: int = 2, claims=()):
    """A notebook output as present.py makes it: the HTML with its marks, the record as metadata."""
    frame = pd.DataFrame({f"c{i}": range(rows) for i in range(columns)})
    if kind == "table":
        item = present.table(
            frame,
            tab_id=item_id,
            label_zh=label,
            title_zh="标题",
            title_en="Title",
            section=None,
            data_files=[],
            notebook="nb",
            claims=claims,
        )
    else:
        item = present.figure(
            {
                "png_base64": "AA",
                "producer": {
                    "function": "outsourcing_repro.figures.plot_x",
                    "file": "src/outsourcing_repro/figures.py",
                    "line": 7,
                },
            },
            fig_id=item_id,
            label_zh=label,
            title_zh="甲",
            title_en="A",
            section=None,
            data_files=[],
            notebook="nb",
            claims=claims,
        )
    data, metadata = item._repr_mimebundle_()
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata)


def test_items_are_numbered_per_part_from_their_records_and_tables_tagged():
    a = _entry("fig_a1_x", {}, part="A")
    a["nb"].cells.append(
        nbformat.v4.new_code_cell(
            outputs=[
                _item_output("figure", "f", "图1"),
                _item_output("table", "t1", None),
                _item_output(
                    "table",
                    "t2",
                    "表2",
                    rows=report_items.LONG_TABLE_ROWS + 1,
                    columns=report_items.WIDE_TABLE_COLUMNS + 1,
                ),
            ]
        )
    )
    b = _entry("tab_b1_y", {}, part="B")
    b["nb"].cells.append(nbformat.v4.new_code_cell(outputs=[_item_output("table", "t3", "表1", claims=["b_x"])]))
    counters = report_items.number_items([a, b])
    assert counters == {"figure": 1, "table": 3}
    assert [(i["kind"], i["number"], i["id"]) for i in a["items"] + b["items"]] == [
        ("figure", "A1", "f"),
        ("table", "A1", "t1"),
        ("table", "A2", "t2"),
        ("table", "B1", "t3"),
    ]
    html = "".join(o["data"]["text/html"] for e in (a, b) for o in e["nb"].cells[1].outputs)
    assert html.index("Figure A1.") < html.index("Table A1.") < html.index("Table A2.") < html.index("Table B1.")
    # The notebook's own label is kept as the paper's label, not the report's number.
    assert ">论文A 图1</span>" in html and ">论文B 表1</span>" in html
    assert "class='table short' id='t1'" in html and "class='table long wide' id='t2'" in html
    # A figure's caption is below it, a table's above it.
    fig_html = a["nb"].cells[1].outputs[0]["data"]["text/html"]
    assert fig_html.index("<img") < fig_html.index("<figcaption>")
    tab_html = b["nb"].cells[1].outputs[0]["data"]["text/html"]
    assert tab_html.index("<figcaption>") < tab_html.index("<table")
    # Code links: the tracked notebook source and the drawing function with its line.
    linked = report_items.with_links(a["nb"], a["items"], report_items.claim_backrefs([a, b]), "../")
    text = linked.cells[1].outputs[0]["data"]["text/html"]
    assert "href='../notebooks/fig_a1_x.py'" in text
    assert "href='../src/outsourcing_repro/figures.py#L7'" in text


def test_a_table_built_by_a_decorated_function_links_that_function():
    @present.building
    def built_here():
        return pd.DataFrame({"年份 Year": [2016, 2017]})

    frame = built_here().rename(columns=str)  # pandas carries attrs through ordinary operations
    item = present.table(
        frame, tab_id="t", label_zh=None, title_zh="标题", title_en="Title", section=None, data_files=[], notebook="nb"
    )
    data, metadata = item._repr_mimebundle_()
    entry = _entry("tab_b1_y", {}, part="B")
    entry["nb"].cells.append(
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data=data, metadata=metadata)])
    )
    report_items.number_items([entry])
    linked = report_items.with_links(entry["nb"], entry["items"], {}, "../")
    text = linked.cells[1].outputs[0]["data"]["text/html"]
    line = 1 + Path(__file__).read_text(encoding="utf-8").splitlines().index("    def built_here():")
    assert f"href='../tests/test_report.py#L{line}'" in text and "<code>built_here</code>" in text
    plain = present.table(
        pd.DataFrame({"a": [1]}),
        tab_id="u",
        label_zh=None,
        title_zh="甲",
        title_en="A",
        section=None,
        data_files=[],
        notebook="nb",
    )
    assert plain._repr_mimebundle_()[1][present.METADATA_KEY]["item"]["producer"] is None


def test_a_claim_row_links_back_to_the_items_that_show_it():
    b = _entry("tab_b1_y", {}, part="B")
    b["nb"].cells.append(nbformat.v4.new_code_cell(outputs=[_item_output("table", "t3", "表1", claims=["b_x"])]))
    audit = _entry("audit_claims", {}, part="C")
    rows = present.table(
        pd.DataFrame({"claim": ["b_x"]}),
        tab_id="tab-c1",
        label_zh=None,
        title_zh="核查",
        title_en="Audit",
        section=None,
        data_files=[],
        notebook="audit_claims",
        row_ids=["claim-b_x"],
    )
    data, metadata = rows._repr_mimebundle_()
    audit["nb"].cells.append(
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data=data, metadata=metadata)])
    )
    report_items.number_items([b, audit])
    linked = report_items.with_links(audit["nb"], audit["items"], report_items.claim_backrefs([b, audit]), "../")
    assert "<a href='#t3'>Table B1</a>" in linked.cells[1].outputs[0]["data"]["text/html"]


def _entry(name: str, params: dict, title: str = "t", part: str = "R") -> dict:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"### {title}")])
    return {
        "name": name,
        "nb": nb,
        "part": part,
        "anchor": f"nb-{name}",
        "title": title,
        "source": f"notebooks/{name}.py",
        "params": params,
        "inputs": [],
        "outputs": [],
        "items": [],
    }


def test_each_series_run_is_titled_with_the_series_the_outline_declares(built_report):
    """reg_growth.py runs once per series under one heading; each run's title (contents, PDF
    bookmarks, the notebook's heading) names its own series, read from outline.yml."""
    declared = outline.load()
    runs = [e for e in declared.entries() if e.series is not None]
    assert len(runs) >= 2
    titles = set()
    for e in runs:
        entry = report_items.entry_for(config.resolve(e.executed))
        fields = declared.series_by_id(e.series).fields
        assert fields["label_zh"] in entry["title"] and fields["label_en"] in entry["title"], entry["title"]
        assert f"({fields['unit']})" in entry["title"]
        first = next(c for c in entry["nb"].cells if c.cell_type == "markdown")
        assert first.source.splitlines()[0].endswith(entry["title"])
        titles.add(entry["title"])
    assert len(titles) == len(runs), "two series runs share a title"


def test_a_series_title_keeps_the_notebooks_subject():
    series = outline.Series("s", "paper_b", "x.csv", {"label_zh": "甲序列", "label_en": "Series A", "unit": "万元"})
    title = report_items.series_title("增长回归：单一序列 · Growth regression: one series", series)
    assert title == "增长回归：甲序列 · Growth regression: Series A (万元)"


def test_run_times_come_from_the_benchmark_file(tmp_path, monkeypatch):
    times = tmp_path / "notebook_times.csv"
    times.write_text("notebook,median_seconds,runs\nfig_a1_x,4.5,3\ntab_b1_y,2.25,3\n", encoding="utf-8")
    monkeypatch.setattr(report_facts, "BENCH_TIMES", times)
    entries = [_entry("fig_a1_x", {}), _entry("tab_b1_y", {}), _entry("tab_b2_z", {})]
    assert report_facts.total_seconds(entries, report_facts.timings()) == (6.75, 2)
    sentence = report_pages.timing_sentence(entries, report_facts.timings())
    assert "2 notebooks measured take 7 s" in sentence and "of 3 runs" in sentence
    page = report_pages.appendix(entries, None)
    assert "<td class='num'>4.5</td>" in page and "<td class='num'>—</td>" in page  # tab_b2_z: not measured
    assert "<td class='num'>6.8</td>" in page  # the total row
    monkeypatch.setattr(report_facts, "BENCH_TIMES", tmp_path / "absent.csv")
    assert "not measured yet" in report_pages.timing_sentence(entries, report_facts.timings())


def test_file_names_wrap_at_their_joints_and_stay_escaped():
    assert report_pages.breakable("a/b_c<") == "a/\u200bb_\u200bc&lt;"


# ---------------------------------------------------------------------------------------------
# The real build


def notebooks_in_report_order() -> list[str]:
    out = subprocess.run(
        ["make", "-s", "--eval", "print-notebooks: ; @echo $(NOTEBOOKS)", "print-notebooks"],
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [Path(p).stem for p in out.split()]


def fig_b1_title() -> str:
    # The title as the notebook prints it; the data row's section anchors it to the paper.
    return "温州离岸服务外包产业近五年发展数据"


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return "".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@e2e
def test_html_has_the_figure_with_its_chinese_title(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    assert fig_b1_title() in page
    # The figure is inline SVG whose words are text (selectable, searchable), in the embedded face.
    figure = re.search(r"<figure[^>]*id=.fig-b1.[^>]*>(.*?)</figure>", page, re.S).group(1)
    assert "<svg " in figure and "<img" not in figure
    assert re.search(r"<text[^>]*font-family: 'Report CJK'[^>]*>温州 Wenzhou", figure)


@e2e
def test_html_loads_nothing_from_another_host(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    remote = re.findall(r"""(?:\bsrc\s*=|<link\b[^>]*\bhref\s*=)\s*["']?(https?:)?//""", page)
    assert not remote, f"remote references: {remote[:5]}"
    # Links to other hosts are the reference list's sources (a reader follows them; nothing loads them).
    before_references = page.split('<h2 id="references">')[0]
    outside = re.findall(r"""<a\b[^>]*href=["']https?://([^"'/]+)""", before_references)
    assert not outside, f"links to other hosts outside the reference list: {outside[:5]}"
    # One inline script (the offline search); none loaded from anywhere, none that fetches.
    assert not re.search(r"<script[^>]*\bsrc=", page, re.I)
    assert not re.search(r"fetch\(|XMLHttpRequest|import\(", page)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page)


@e2e
def test_html_numbers_match_the_data(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    frame = dataset.load(PAPER_B, "paper_values")
    stated = values.get(frame, "b_growth_2016")
    assert f"stated {stated:.2f}%" in page


@e2e
def test_every_notebook_is_in_the_report_in_outline_order_appendix_material_last(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    from outsourcing_repro import outline

    entries = outline.load().entries()
    names = [e.name for e in entries if not e.appendix] + [e.name for e in entries if e.appendix]
    assert set(names) == set(notebooks_in_report_order())
    # Part III's main text carries the combined table and then the Wenzhou fit; the other series'
    # detail follows in 附录A.
    at = {
        i: re.search(rf"id=[\"']{i}[\"']", page).start()
        for i in (
            "nb-tab_r1_growth_regressions",
            "nb-reg_growth_wenzhou_offshore_execution",
            "appendix-detail",
            "nb-reg_growth_paper_a_contract_per_employee",
        )
    }
    assert list(at.values()) == sorted(at.values()), at
    positions = [m.start() if (m := re.search(rf"id=[\"']nb-{n}[\"']", page)) else -1 for n in names]
    assert all(p >= 0 for p in positions), [n for n, p in zip(names, positions) if p < 0]
    assert positions == sorted(positions)


@e2e
def test_figures_and_tables_are_numbered_one_to_n_within_each_part(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    for kind in ("Figure", "Table"):
        found = re.findall(rf"<span class=.item-no. data-item=.[^'\"]+.>{kind} ([A-Z])(\d+)\.</span>", page)
        assert found, kind
        for part in sorted({p for p, _ in found}):
            numbers = [int(n) for p, n in found if p == part]
            assert numbers == list(range(1, len(numbers) + 1)), (kind, part)
    n_figures = len(re.findall(r"<figure[^>]*class=.figure\b", page))
    assert len(re.findall(r"<span class=.item-no. data-item=.[^'\"]+.>Figure [A-Z]\d+\.", page)) == n_figures
    # One scheme: no caption carries a report-wide serial number beside the part's number.
    assert not re.search(r"<figcaption>[^<]*(Figure|Table) \d+\.", page)


@e2e
def test_front_page_audit_summary_is_read_from_the_audit(built_report):
    rows = list(csv.DictReader((built_report / "claims_audit.csv").open(encoding="utf-8")))
    verdicts = collections.Counter(r["verdict"] for r in rows)
    d = verdicts["discrepancy"]
    expected = (
        f"{len(rows)} claims checked: {verdicts['consistent']} consistent, "
        f"{d} {'discrepancy' if d == 1 else 'discrepancies'}, {verdicts['not checkable']} not checkable"
    )
    page = (built_report / "report.html").read_text(encoding="utf-8")
    assert re.search(rf"<span id=[\"']audit-summary[\"']>{re.escape(expected)}</span>", page)
    for row in rows:
        if row["verdict"] == "discrepancy":
            assert re.search(rf"href=[\"']#claim-{re.escape(row['claim_id'])}[\"']", page.split('id="toc"')[0])
    assert squash(expected) in squash(pdf_text(built_report / "report.pdf"))


def tracked_files() -> set[str]:
    out = subprocess.run(["git", "ls-files"], cwd=config.PROJ_ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def relative_links(page: str) -> set[str]:
    links = {html_lib.unescape(h) for h in re.findall(r"href=['\"]([^'\"]+)['\"]", page)}
    return {h for h in links if not h.startswith(("#", "data:", "http://", "https://", "mailto:"))}


@e2e
def test_every_relative_link_resolves_to_a_tracked_file(built_report):
    """The committed report works from a fresh clone: a relative link may only point to a file git
    tracks (reports/notebooks/ is not tracked), and a line anchor to a line the file has."""
    page = (built_report / "report.html").read_text(encoding="utf-8")
    tracked = tracked_files()
    links = relative_links(page)
    sources = {f"../notebooks/{Path(s).name}" for s in config.PROJ_ROOT.glob("notebooks/*.py")}
    assert sources <= {link.split("#")[0] for link in links}, "a notebook's source is never linked"
    assert any(re.search(r"/figures_\w+\.py#L", link) for link in links), "no figure links the function that draws it"
    for link in links:
        path, _, anchor = link.partition("#")
        target = (built_report / path).resolve().relative_to(config.PROJ_ROOT.resolve()).as_posix()
        assert target in tracked, f"{link}: not a tracked file"
        if anchor.startswith("L"):
            lines = (config.PROJ_ROOT / target).read_text(encoding="utf-8").splitlines()
            assert lines[int(anchor[1:]) - 1].lstrip().startswith("def "), link


@e2e
def test_each_notebook_page_shows_its_code_and_links_back(built_report):
    for name in notebooks_in_report_order():
        text = (built_report / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        assert re.search(r"<details class=[\"']code[\"'] open", text), name  # code shown, not folded
        assert "../report.html#nb-" in text  # and a way back


@e2e
def test_appendix_maps_every_output_file_to_its_notebook(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    appendix = page.split('id="appendix-map"')[1].split('id="appendix-requirements"')[0].replace("\u200b", "")
    for name in notebooks_in_report_order():
        nb = nbformat.read(built_report / "notebooks" / f"{name}.ipynb", as_version=4)
        params = nb.metadata["outsourcing_repro"]["parameters"]
        source = Path(nb.metadata["outsourcing_repro"]["source"]).name
        assert re.search(rf"href=[\"']\.\./notebooks/{re.escape(source)}[\"']", appendix), name
        for value in params.values():
            if isinstance(value, str) and value.startswith("reports/") and Path(value).stem.startswith(name):
                assert config.resolve(value).exists(), value
                assert value.removeprefix("reports/") in appendix, value


@e2e
def test_the_rerun_example_in_the_report_runs(built_report, tmp_path):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    block = re.search(r'<pre id="rerun-command">(.*?)</pre>', page, re.S)
    assert block, "no rerun example in the appendix"
    command = html_lib.unescape(block.group(1)).replace("\\\n", " ").replace("/tmp/rerun", str(tmp_path))
    argv = shlex.split(command)
    assert argv[:3] == [".venv/bin/python", "-m", "outsourcing_repro.runner"]
    # The parameter it changes is one the notebook declares, with an allowed value.
    declared = runner_params.declared_parameters(config.PROJ_ROOT / argv[3])
    pairs = dict(zip(argv[6::3], argv[7::3]))
    changed = argv[6]
    assert declared[changed].choices and pairs[changed] in declared[changed].choices
    before = {p: p.stat().st_mtime_ns for p in (config.REPORTS_DIR / "tables").glob("*")}
    result = subprocess.run(argv, cwd=config.PROJ_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / Path(argv[4]).name).exists()
    assert before == {p: p.stat().st_mtime_ns for p in (config.REPORTS_DIR / "tables").glob("*")}


@e2e
def test_pdf_has_the_chinese_titles_as_text(built_report):
    text = squash(pdf_text(built_report / "report.pdf"))
    for title in (
        fig_b1_title(),
        "服务外包两篇论文的可复现报告",
        "第一部分论文A",
        "第二部分论文B",
        "第三部分增长回归",
        "第四部分数值核查",
        "附录可复现性说明",
    ):
        assert squash(title) in text, title
    reader = PdfReader(built_report / "report.pdf")
    assert 10 <= len(reader.pages) <= 300
    for pdf_page in reader.pages:  # A4 portrait, 210 × 297 mm
        assert (
            round(float(pdf_page.mediabox.width) * 25.4 / 72),
            round(float(pdf_page.mediabox.height) * 25.4 / 72),
        ) == (210, 297)
    # Page numbers in the footer: "n / N" on every page.
    last = reader.pages[-1].extract_text() or ""
    assert f"{len(reader.pages)} / {len(reader.pages)}" in last


@e2e
def test_pdf_links_name_no_folder_of_the_build_machine(built_report):
    reader = PdfReader(built_report / "report.pdf")
    uris = []
    for pdf_page in reader.pages:
        for annot in pdf_page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    assert uris, "the PDF links to no source file"
    tracked = tracked_files()
    for uri in uris:
        if uri.startswith(("http://", "https://")):
            continue  # the reference list's pages
        target = (built_report / uri.split("#")[0]).resolve().relative_to(config.PROJ_ROOT.resolve()).as_posix()
        assert target in tracked, uri
    assert str(config.PROJ_ROOT) not in (built_report / "report.pdf").read_bytes().decode("latin-1")


def _outline(reader, items, depth=0, out=None):
    out = [] if out is None else out
    for item in items:
        if isinstance(item, list):
            _outline(reader, item, depth + 1, out)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    return out


@e2e
def test_pdf_contents_page_numbers_match_the_bookmarks(built_report):
    reader = PdfReader(built_report / "report.pdf")
    marks = _outline(reader, reader.outline)
    titles = {squash(t): page for _, t, page in marks}
    # Every part and every notebook is bookmarked.
    page = (built_report / "report.html").read_text(encoding="utf-8")
    for name in notebooks_in_report_order():
        heading = re.search(rf"<a href=.#nb-{name}.>(.*?)</a>", page).group(1)
        assert squash(html_lib.unescape(heading)) in titles, name
    # The printed contents give, in order, the same pages as the bookmarks of the same headings.
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    first_part = next(p for _, t, p in marks if squash(t).startswith("第一部分"))
    toc_start = next(i + 1 for i, p in enumerate(reader.pages) if "目录Contents" in squash(p.extract_text() or ""))
    text = subprocess.run(
        [
            "pdftotext",
            "-layout",
            "-f",
            str(toc_start),
            "-l",
            str(first_part - 1),
            str(built_report / "report.pdf"),
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    printed = [int(n) for n in re.findall(r"\.{3,}\s*(\d+)\s*$", text, re.M)]
    contents = [m for m in marks if m[2] >= first_part]  # bookmarks after the front matter
    assert len(printed) == len(contents), (printed, [t for _, t, _ in contents])
    assert printed == [p for _, _, p in contents]


@e2e
def test_pdf_splits_no_figure_or_short_table_across_pages(built_report):
    """Each figure and table ends with its source line, so its caption and that line fall on one
    page unless the item may break: a long table (class 'long'), or an item taller than a page,
    which then starts at the top of a page (moved whole, then continued)."""
    page = (built_report / "report.html").read_text(encoding="utf-8")
    headers, breakable = {}, set()  # "Table 7." -> the text of its first header cell; long tables
    for m in re.finditer(
        r"class=[\"']table([^\"']*)[\"'][^>]*>\s*<figcaption[^>]*>\s*"
        r"<span class=[\"']item-no[\"'][^>]*>Table ([A-Z]\d+)\.(.*?)</figure>",
        page,
        re.S,
    ):
        first_th = re.search(r"<th[^>]*>(.*?)</th>", m.group(3), re.S)
        if first_th:
            headers[f"Table {m.group(2)}."] = html_lib.unescape(re.sub(r"<[^>]+>", "", first_th.group(1)))
        if "short" not in m.group(1).split():
            breakable.add(f"Table {m.group(2)}.")
    reader = PdfReader(built_report / "report.pdf")
    texts = [p.extract_text() or "" for p in reader.pages]
    events = [
        (i, m.group(0).strip(), m.start())
        for i, t in enumerate(texts)
        for m in re.finditer(r"(?:Figure|Table) [A-Z]\d+\. |资料来源", t)
    ]
    captions = [k for k, e in enumerate(events) if e[1] != "资料来源"]
    n_items = len(re.findall(r"<span class=[\"']item-no[\"'][^>]*>", page))
    assert len(captions) == n_items, "a caption number is missing from the PDF text"
    for k in captions:
        page_no, label, start = events[k]
        source = next((e for e in events[k + 1 :] if e[1] == "资料来源"), None)
        assert source is not None, f"{label}: no source line after it"
        if source[0] == page_no:
            continue
        if label not in breakable:
            assert start == 0, f"{label} is split across pages {page_no + 1}–{source[0] + 1} without starting a page"
        # Broken between rows, with the header row repeated on every continuation page.
        assert label in headers, f"{label}: a figure split across pages"
        for j in range(page_no + 1, source[0] + 1):
            assert squash(headers[label]) in squash(texts[j]), f"{label}: page {j + 1} lacks its header row"


@e2e
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_pdf_embeds_every_font(built_report):
    out = subprocess.run(
        ["pdffonts", str(built_report / "report.pdf")], capture_output=True, text=True, check=True
    ).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts in the PDF"
    assert all("Report-CJK" in r for r in rows), "a font other than the shipped one was used"
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), f"font not embedded as subset with unicode map: {row}"


@e2e
def test_second_make_report_executes_nothing(built_report):
    # Other tests edit and restore inputs (a restored file's stamp is newer than the report, which
    # then rebuilds once): the first make brings the tree up to date, the second must find nothing.
    subprocess.run(["make", "report"], cwd=config.PROJ_ROOT, capture_output=True, text=True, check=True)
    result = subprocess.run(["make", "-n", "report"], cwd=config.PROJ_ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "outsourcing_repro.runner" not in result.stdout
    assert "outsourcing_repro.report" not in result.stdout, result.stdout


def test_pdf_input_drops_only_the_folded_code_that_print_hides(tmp_path):
    """The PDF is printed from the report without its folded code blocks (WeasyPrint would style
    every highlighting span and then hide them). That is safe only while print CSS hides them."""
    css = (config.PACKAGE_DIR / "static" / "report.css").read_text(encoding="utf-8")
    page = (
        f"<html lang='en'><head><style>{css}</style></head><body><main><h2>结果 Results</h2>"
        '<details class="code" open><summary>代码 Code</summary><pre><span>x = 1</span></pre></details>'
        "<figure class='table' id='t1'><p>表1 Table 1</p></figure>"
        '<details class="code"><summary>代码 Code</summary><pre>print(&lt;/b&gt;)</pre></details>'
        "<details><summary>备注 Note</summary><p>kept</p></details><p>正文 text</p></main></body></html>"
    )
    printable = report_render.printable_html(page)
    assert 'class="code"' not in printable and "x = 1" not in printable
    for kept in ("<h2>结果 Results</h2>", "<figure class='table' id='t1'>", "<p>kept</p>", "<p>正文 text</p>"):
        assert kept in printable
    report_render.write_pdf(page, tmp_path / "printable.pdf")
    from weasyprint import HTML

    HTML(string=page).write_pdf(tmp_path / "full.pdf", pdf_tags=True)
    assert (tmp_path / "printable.pdf").read_bytes() == (tmp_path / "full.pdf").read_bytes()


@e2e
def test_every_input_the_fingerprint_names_rebuilds_the_report(built_report):
    """The report prints a fingerprint of the files in report_facts.INPUT_GLOBS. A file hashed there but
    not a prerequisite of the report could change without `make report` noticing: the committed
    report would then carry a stale fingerprint and differ from a clean build of the same commit."""
    files = sorted({p for g in report_facts.INPUT_GLOBS for p in config.PROJ_ROOT.glob(g) if p.is_file()})
    assert len(files) > 50
    not_tracked = []
    for path in files:
        rel = config.relative(path)
        # -q: exit 1 when out of date; -W: as if this one file's bytes had just changed, which is
        # when its content stamp is rewritten (under -q the stamps are hashed for real, so -W on
        # the file itself, whose bytes are unchanged, rightly rebuilds nothing).
        stamp = f"build/stamps/{rel}.sha256"
        result = subprocess.run(
            ["make", "-q", "-W", stamp, "reports/report.html"], cwd=config.PROJ_ROOT, capture_output=True, text=True
        )
        if result.returncode != 1:
            not_tracked.append(f"{rel} (make -q exit {result.returncode})")
    assert not not_tracked, "hashed into the fingerprint but not a prerequisite: " + ", ".join(not_tracked)


@e2e
def test_table_headers_are_words_not_variable_names(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    headers = {
        html_lib.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)
    }
    assert "" not in headers, "an empty table header"
    names = sorted(h for h in headers if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", h))
    assert not names, f"headers that are variable names (map them in data/report/column_headers.csv): {names}"


@e2e
def test_every_displayed_item_records_the_function_that_builds_it(built_report):
    # Issue 14: each figure and table links its code. The record is the executed notebook's own
    # output metadata, so this reads what the report reads, for every item of every notebook.
    import json

    missing, seen = [], 0
    for path in sorted((built_report / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                record = output.get("metadata", {}).get(present.METADATA_KEY, {}).get("item")
                if record:
                    seen += 1
                    producer = record.get("producer") or {}
                    if not producer.get("file", "").startswith("src/outsourcing_repro/") or producer.get("line", 0) < 1:
                        missing.append((path.name, record["id"]))
    assert seen >= 50, seen
    assert missing == []


@e2e
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the font subsets are cut in a child only with two cores")
def test_a_failed_rendering_ends_the_font_child_and_publishes_nothing(built_report, tmp_path, monkeypatch):
    """The font subsets are cut in a forked child while the report renders; if rendering fails,
    that child is stopped at once, not left running until the process exits."""
    import multiprocessing

    from outsourcing_repro import report

    def broken(*args, **kwargs):
        raise RuntimeError("rendering failed on purpose")

    monkeypatch.setattr(report, "render_html", broken)
    notebooks = sorted((built_report / "notebooks").glob("*.ipynb"))
    with pytest.raises(RuntimeError, match="on purpose"):
        report.build(notebooks, tmp_path / "report.html", tmp_path / "report.pdf")
    assert multiprocessing.active_children() == []
    assert list(tmp_path.iterdir()) == []
