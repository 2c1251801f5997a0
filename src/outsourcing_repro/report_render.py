"""Rendering: nbconvert turns a notebook into HTML with the project's template (no CDN), the
shipped CJK faces are subset to the characters used and embedded as data URLs, and WeasyPrint
prints the printable HTML (folded code removed) to an A4 PDF.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gc
import html
import io
import json
import re
import unicodedata
from pathlib import Path

from . import config
from .report_facts import report_date
from .report_items import ReportError

# Bullets WeasyPrint draws for `list-style-type: disc` and `square` (report.css uses only these two;
# the default third-level 'circle', U+25E6, is not in the font).
LIST_MARKERS = "\u2022\u25aa"


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
    needed = _needed(text) | set(LIST_MARKERS)
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


def _needed(text: str) -> set[str]:
    """The characters of `text` the face must draw: printable ones and spaces beyond ASCII (a
    no-break space the font lacked would quietly be drawn from a system font)."""
    return {c for c in text if ord(c) > 0x7F and (c.isprintable() or unicodedata.category(c) == "Zs")}


def page_characters(html_text: str) -> str:
    """The characters of a page as a reader meets them: data URLs dropped, entities decoded."""
    return html.unescape(re.sub(r"data:[^'\")]+", "", html_text))


def font_subsets(shown) -> dict[str, str]:
    """The two faces cut to the characters of `shown` (strings, and notebooks, whose JSON holds
    every character of their cells and outputs): {"chars": ..., "regular": url, "bold": url}."""
    text = "".join(
        page_characters(part if isinstance(part, str) else json.dumps(part, ensure_ascii=False)) for part in shown
    )
    return {
        "chars": "".join(sorted(set(text))),
        "regular": font_data_url(text),
        "bold": font_data_url(text, config.FONT_BOLD_PATH),
    }


def with_fonts(pages: dict[str, str], fonts: dict[str, str]) -> dict[str, str]:
    """Put the font subsets into every page's stylesheet. Should a page show a character that the
    subsets were not cut for (one the template or a filter added), they are cut again from the
    rendered pages themselves, so no character is ever drawn from another font."""
    text = "".join(page_characters(p) for p in pages.values())
    if not _needed(text) <= set(fonts["chars"]):
        fonts = font_subsets([*pages.values(), fonts["chars"]])
    return {
        name: page.replace("__FONT_DATA_URL__", fonts["regular"]).replace("__FONT_BOLD_DATA_URL__", fonts["bold"])
        for name, page in pages.items()
    }


@contextlib.contextmanager
def without_gc():
    """Run a block without the cyclic garbage collector, and collect once after it. WeasyPrint and
    nbconvert (through BeautifulSoup) make millions of small objects; the collector's passes over
    them took a fifth of the PDF's time and a quarter of the report's rendering (measured: the same
    bytes, PDF 30 s -> 24 s, rendering 5.1 s -> 3.8 s, peak memory +14 MB)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


@functools.cache
def _exporter():
    """One exporter per process: its Jinja environment compiles the templates once, not once per
    page (six templates a page, 28 pages: a third of the pages' time)."""
    from nbconvert import HTMLExporter

    # No "¶" anchor links: hidden in the report, they would only be dead weight in the PDF.
    return HTMLExporter(
        template_name="report", extra_template_basedirs=[str(config.TEMPLATES_DIR)], exclude_anchor_links=True
    )


def render_html(nb, *, title: str, open_code: bool, css: str, page_header: str = "") -> str:
    with without_gc():
        body, _ = _exporter().from_notebook_node(
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
    # Tagged (pdf_tags): headings, paragraphs, tables and figures are marked as such for screen
    # readers and reflow; measured deterministic, and no slower than untagged.
    with without_gc():
        HTML(string=html_text, base_url=None).write_pdf(str(target), pdf_tags=True)
