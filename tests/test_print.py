"""The PDF as printed on A4, measured: the smallest word anywhere (figures included, their text is
text), how much of each page is left blank, and the bold face embedded."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from outsourcing_repro import config, plotting

pytestmark = pytest.mark.e2e
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) not installed",
)

# Noto Sans CJK's ascender + descender, in ems: pdftotext's word box is this tall for a 1 pt face.
WORD_BOX_EM = 1.448
MIN_PT = plotting.MIN_PRINT_PT
BLANK_LIMIT = 0.40  # a page is "blank" when its largest empty band is more than this share of it
BLANK_PAGES_LIMIT = 0.05


def words(pdf: Path) -> list[tuple[int, str, float, bool]]:
    """(page, word, font size in pt, laid out horizontally) for every word pdftotext finds; the size
    is read from the box height, which only a horizontal word of two or more letters shows reliably."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = []
    for number, page in enumerate(xml.split("<page ")[1:], start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        ):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            word = m.group(5)
            wide = len(word) >= 2 and (x1 - x0) > (y1 - y0)
            out.append((number, word, (y1 - y0) / WORD_BOX_EM, wide))
    return out


def printed_sizes(pdf: Path) -> list[tuple[float, int, str]]:
    """(size in pt as printed, page, text) for every text run: the font size times the scale of the
    text and graphics matrices, so a run inside a scaled or rotated SVG counts at its printed size
    (pdftotext's word boxes cannot tell a rotated axis label's size from its length)."""
    out = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):

        def visit(text, cm, tm, font, size, number=number):
            if not text.strip():
                return
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            out.append((size * math.sqrt(abs(a * d - b * c)), number, text.strip()[:40]))

        page.extract_text(visitor_text=visit)
    return out


def test_no_text_in_the_pdf_is_under_7_pt(built_report):
    found = printed_sizes(built_report / "report.pdf")
    assert len(found) > 2000
    small = sorted(f for f in found if f[0] < MIN_PT - 0.05)
    assert not small, f"text under {MIN_PT} pt: {[(round(s, 2), p, t) for s, p, t in small[:10]]}"


@needs_poppler
def test_words_in_figures_are_at_least_7_pt_by_their_boxes(built_report):
    """The same measure as a reader's tool takes it: pdftotext's word boxes, for words on the
    figure pages that are laid out horizontally (a box wider than tall)."""
    found = [(page, word, size) for page, word, size, wide in words(built_report / "report.pdf") if wide]
    figure_words = {"extrapolation", "Factory-less", "未列名", "Upstream"}
    pages = {page for page, word, _ in found if word in figure_words}
    assert pages, "no figure word found in the PDF's text"
    small = sorted((round(size, 2), page, word) for page, word, size in found if page in pages and size < MIN_PT - 0.1)
    assert not small, small[:10]


@needs_poppler
def test_figure_text_is_text_in_the_pdf(built_report):
    """Every figure is vector with its words as text: words drawn only inside figures are found."""
    text = " ".join(w for _, w, _, _ in words(built_report / "report.pdf"))
    for inside_a_figure in ("extrapolation", "未列名", "Factory-less"):
        assert inside_a_figure in text, inside_a_figure


def blank_share(png: Path) -> float:
    """The largest band of empty rows inside the A4 text block, as a share of its height."""
    image = Image.open(png).convert("L")
    width, height = image.size
    pixels = image.load()
    top, bottom = int(height * 18 / 297), int(height * (1 - 20 / 297))
    left, right = int(width * 16 / 210), int(width * (1 - 16 / 210))
    best = run = 0
    for y in range(top, bottom):
        inked = any(pixels[x, y] < 220 for x in range(left, right, 2))
        run = 0 if inked else run + 1
        best = max(best, run)
    return best / (bottom - top)


@needs_poppler
def test_at_most_5_percent_of_pages_are_mostly_blank(built_report, tmp_path):
    pdf = built_report / "report.pdf"
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    texts = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    blank = []
    for index, png in enumerate(pages):
        share = blank_share(png)
        text = texts[index] if index < len(texts) else ""
        # A part's title page ends where the part's first notebook does not fit; the last page ends
        # the document. Neither is padding.
        lines = [line.strip() for line in text.splitlines() if line.strip() and "Replication report" not in line]
        is_part_start = bool(lines) and re.match(r"第[一二三四五六七八九十]部分|附录A", lines[0]) is not None
        if share > BLANK_LIMIT and not is_part_start and index != len(pages) - 1:
            blank.append((index + 1, round(share, 2)))
    assert len(blank) <= BLANK_PAGES_LIMIT * len(pages), f"{len(blank)} of {len(pages)} pages mostly blank: {blank}"


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_pdffonts_shows_the_bold_face_embedded(built_report):
    out = subprocess.run(
        ["pdffonts", str(built_report / "report.pdf")], capture_output=True, text=True, check=True
    ).stdout
    rows = out.splitlines()[2:]
    bold = [r for r in rows if "Bold" in r.split()[0]]
    assert bold and all(re.search(r"\byes\s+yes\s+yes\b", r) for r in bold), out


def test_the_bold_face_covers_what_the_regular_face_covers():
    regular = set(TTFont(config.FONT_PATH).getBestCmap())
    bold_font = TTFont(config.FONT_BOLD_PATH)
    assert bold_font["OS/2"].usWeightClass == 700
    assert bold_font["name"].getDebugName(1) == config.FONT_FAMILY
    assert regular - set(bold_font.getBestCmap()) == set()


class _Captions(HTMLParser):
    """Each table's caption (its number, Chinese and English titles) and its first body cell."""

    def __init__(self):
        super().__init__()
        self.tables, self._field, self._in_table = [], None, False

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "figure" and cls.split()[:1] == ["table"]:
            self.tables.append({"no": "", "zh": "", "en": "", "cell": None})
            self._in_table = True
        elif self._in_table and tag == "span" and cls in ("item-no", "paper-label", "cap-zh", "cap-en"):
            self._field = {"item-no": "no", "paper-label": "no", "cap-zh": "zh", "cap-en": "en"}[cls]
        elif self._in_table and tag == "td" and self.tables[-1]["cell"] is None:
            self.tables[-1]["cell"] = ""
            self._field = "cell"

    def handle_endtag(self, tag):
        if tag in ("span", "td"):
            self._field = None
        elif tag == "figure":
            self._in_table = False

    def handle_data(self, data):
        if self._in_table and self._field:
            self.tables[-1][self._field] += data


def _squeeze(text: str) -> str:
    """Text without spaces, line breaks and the zero-width break points claim ids carry."""
    return re.sub(r"[\s\u200b]+", "", text)


def test_every_table_caption_stays_on_the_page_of_its_first_row(built_report):
    """A caption is never left alone at a page foot: its number, both titles and the table's first
    body cell are printed on one page (a two-line caption once broke between its lines)."""
    parser = _Captions()
    parser.feed((built_report / "report.html").read_text(encoding="utf-8"))
    tables = [t for t in parser.tables if t["no"] and t["cell"]]
    assert len(tables) >= 40, len(tables)
    pages = [_squeeze(p.extract_text() or "") for p in PdfReader(built_report / "report.pdf").pages]
    apart = []
    for t in tables:
        head = _squeeze(t["no"] + t["zh"])
        found = [i for i, page in enumerate(pages) if head in page]
        assert found, f"{t['no']} {t['zh']} not found in the PDF"
        page = pages[found[-1]]
        after = page[page.index(head) :]
        # The English title may be cut by a line break the extraction closes up; its first words do.
        if _squeeze(t["en"])[:12] not in after or _squeeze(t["cell"])[:8] not in after:
            apart.append(f"{t['no']} p. {found[-1] + 1}")
    assert not apart, f"captions parted from their tables: {apart}"


def test_the_pdf_is_tagged_with_its_structure_and_language(built_report):
    """Screen readers and reflow need the structure tree: headings, tables and figures tagged."""
    reader = PdfReader(built_report / "report.pdf")
    root = reader.trailer["/Root"]
    assert root.get("/MarkInfo", {}).get("/Marked"), "the PDF is not tagged"
    wanted = {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/P"}
    tags, todo = set(), [root["/StructTreeRoot"]]
    while todo and not wanted <= tags:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                tags.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                todo.extend(kids if isinstance(kids, list) else [kids])
        elif isinstance(node, list):
            todo.extend(node)
    assert wanted <= tags, sorted(tags)
    assert str(root.get("/Lang", "")).startswith(("en", "zh")), root.get("/Lang")
