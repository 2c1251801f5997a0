"""The shipped CJK font subset covers what the project writes, and a character it lacks stops the
build with a message that names the character, instead of printing a tofu box."""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
import unicodedata

import nbformat
import pytest
from fontTools.ttLib import TTFont

from outsourcing_repro import config, report_items, report_render

TEXT_SUFFIXES = {".csv", ".md", ".txt", ".json"}


@pytest.fixture(scope="module")
def cmap() -> dict[int, str]:
    return TTFont(config.FONT_PATH).getBestCmap()


def shown(text: str) -> set[str]:
    """Characters a renderer must draw: printable ones and spaces (a no-break space counts)."""
    return {c for c in text if c.isprintable() or unicodedata.category(c) == "Zs"}


def uncovered(chars: set[str], cmap) -> list[str]:
    return sorted(f"{c} (U+{ord(c):04X})" for c in chars if ord(c) not in cmap)


@pytest.fixture(scope="module")
def absent(cmap) -> str:
    """A real CJK ideograph (Extension A) that the subset leaves out."""
    return next(chr(code) for code in range(0x3400, 0x4DC0) if code not in cmap)


def test_the_font_covers_every_character_in_data(cmap):
    files = [p for p in sorted(config.DATA_DIR.rglob("*")) if p.is_file() and p.suffix in TEXT_SUFFIXES]
    assert files, "no data files found"
    missing = {}
    for path in files:
        gaps = uncovered(shown(path.read_text(encoding="utf-8-sig")), cmap)
        if gaps:
            missing[config.relative(path)] = gaps[:10]
    assert not missing, f"characters without a glyph (run `make font`): {missing}"


def test_the_font_covers_ascii_and_the_list_markers(cmap):
    assert not uncovered({chr(c) for c in range(0x20, 0x7F)} | set(report_render.LIST_MARKERS), cmap)


@pytest.mark.e2e
def test_the_font_covers_every_character_the_report_shows(built_report, cmap):
    pages = [built_report / "report.html", *sorted((built_report / "notebooks").glob("*.html"))]
    for page in pages:
        text = html.unescape(re.sub(r"data:[^'\")]+", "", page.read_text(encoding="utf-8")))
        assert not uncovered(shown(text), cmap), config.relative(page)


def test_a_missing_character_is_named(absent):
    with pytest.raises(report_items.ReportError) as failure:
        report_render.font_data_url(f"服务外包 {absent} report")
    message = str(failure.value)
    assert absent in message and f"U+{ord(absent):04X}" in message
    assert "make font" in message


def test_a_missing_no_break_space_is_not_silently_drawn_from_a_system_font(cmap):
    if 0xA0 in cmap:
        pytest.skip("the subset maps U+00A0")
    with pytest.raises(report_items.ReportError, match="U\\+00A0"):
        report_render.font_data_url("a\u00a0b")


def test_the_subset_keeps_only_what_the_page_uses_and_the_code_face(cmap):
    url = report_render.font_data_url("服务外包")
    import base64

    font = TTFont(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    kept = font.getBestCmap()
    assert {ord(c) for c in "服务外包"} <= set(kept)
    assert ord("国") not in kept  # in the shipped subset, not on this page
    assert "hwid" in {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}


def test_the_report_build_fails_on_a_missing_character_and_writes_nothing(absent, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"### 论文B 图9 探针{absent} · Probe")])
    # Named as a notebook of the outline (the report places only those), with nothing else in it.
    nb.metadata["outsourcing_repro"] = {
        "source": "notebooks/fig_b1_wenzhou_execution.py",
        "parameters": {},
        "inputs": [],
        "outputs": [],
    }
    source = tmp_path / "fig_b1_wenzhou_execution.ipynb"
    nbformat.write(nb, source)
    html_out, pdf_out = tmp_path / "out" / "report.html", tmp_path / "out" / "report.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "outsourcing_repro.report", str(source), "--html", str(html_out), "--pdf", str(pdf_out)],
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert f"U+{ord(absent):04X}" in result.stderr and "report not built" in result.stderr
    assert not html_out.exists() and not pdf_out.exists()
    assert not (tmp_path / "out" / "notebooks" / "fig_b1_wenzhou_execution.html").exists()


def test_a_figure_with_a_missing_character_fails(absent):
    import matplotlib.pyplot as plt

    from outsourcing_repro import plotting

    plotting.setup()
    fig, ax = plt.subplots()
    ax.set_title(f"服务外包 {absent}")
    try:
        with pytest.raises(UserWarning, match="missing from font"):
            fig.savefig(io.BytesIO(), format="png")
    finally:
        plt.close(fig)
