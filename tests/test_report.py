"""End-to-end: the real pipeline builds both reports; they carry the Chinese titles and no CDN."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from outsourcing_repro import config, dataset, values

pytestmark = pytest.mark.e2e
PAPER_B = config.RAW_DATA_DIR / "paper_b_values.csv"


def fig_b1_title() -> str:
    # The title as the notebook prints it; the data row's section anchors it to the paper.
    return "温州离岸服务外包产业近五年发展数据"


def test_html_has_the_figure_with_its_chinese_title(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    assert fig_b1_title() in page
    assert re.search(r"<figure[^>]*id=.fig-b1.[^>]*>.*?<img[^>]*src=.data:image/png;base64,", page, re.S)


def test_html_loads_nothing_from_another_host(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    remote = re.findall(r"""(?:src|href)\s*=\s*["']?(https?:)?//""", page)
    assert not remote, f"remote references: {remote[:5]}"
    assert "<script" not in page.lower()
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page)


def test_html_numbers_match_the_data(built_report):
    page = (built_report / "report.html").read_text(encoding="utf-8")
    frame = dataset.load(PAPER_B, "paper_values")
    stated = values.get(frame, "b_growth_2016")
    assert f"stated {stated:.2f}%" in page


def test_pdf_has_the_chinese_title_as_text(built_report):
    reader = PdfReader(built_report / "report.pdf")
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert fig_b1_title() in text.replace(" ", "").replace("\n", "")
    assert 2 <= len(reader.pages) <= 200


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_pdf_embeds_every_font(built_report):
    out = subprocess.run(["pdffonts", str(built_report / "report.pdf")], capture_output=True, text=True,
                         check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts in the PDF"
    assert any("Report-CJK" in r for r in rows)
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), f"font not embedded as subset with unicode map: {row}"


def test_second_make_report_executes_nothing(built_report):
    result = subprocess.run(["make", "-n", "report"], cwd=config.PROJ_ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "outsourcing_repro.runner" not in result.stdout
    assert "outsourcing_repro.report" not in result.stdout, result.stdout
