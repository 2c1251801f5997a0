"""Matplotlib set-up that renders Chinese with the shipped font, and byte-stable figure files.

Figures are drawn at the size they are printed (at most `PRINT_WIDTH_IN` wide, the A4 text width),
so a font size in a drawing is the size on paper; `save` refuses a figure with any text under
`MIN_PRINT_PT`. The SVG keeps its text as text (svg.fonttype none) in the shipped face: the report
inlines it, so a reader can select and search the words, and the PDF measures them.
"""

from __future__ import annotations

import base64
import functools
import io
import math
import os
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on build machines; also keeps output independent of the host

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.text import Text

from . import config, present


class FontError(RuntimeError):
    pass


class FigureError(ValueError):
    pass


# A4 portrait (210 mm) minus the report's 16 mm side margins (static/report.css @page): 178 mm.
PRINT_WIDTH_IN = 178 / 25.4
# The page height left for a figure and its caption: 297 mm - 38 mm margins - ~25 mm of caption.
PRINT_HEIGHT_IN = 234 / 25.4
MIN_PRINT_PT = 7.0
# The family the report's stylesheet embeds (static/report.css); SVG text names it first.
REPORT_FONT_FAMILY = "Report CJK"


def setup() -> None:
    """Register the CJK subset font and the house style. Call once at the top of a notebook."""
    if not config.FONT_PATH.exists():
        raise FontError(
            f"CJK font missing: {config.relative(config.FONT_PATH)}. Restore it with "
            "`git checkout -- src/outsourcing_repro/fonts/` (or regenerate with `make font`)."
        )
    font_manager.fontManager.addfont(str(config.FONT_PATH))
    if config.FONT_BOLD_PATH.exists():
        # Without it a bold label is measured from a synthetic bold and overflows its box.
        font_manager.fontManager.addfont(str(config.FONT_BOLD_PATH))
    names = {f.name for f in font_manager.fontManager.ttflist}
    if config.FONT_FAMILY not in names:
        raise FontError(f"{config.relative(config.FONT_PATH)} did not register as '{config.FONT_FAMILY}'")
    # A missing glyph would otherwise draw a tofu box and only warn; make it stop the build.
    warnings.filterwarnings("error", message=r"Glyph .* missing from font")
    # "paper" context: 8.8-9.6 pt labels, the sizes of a printed journal figure (figures are drawn at
    # their printed size, see PRINT_WIDTH_IN).
    sns.set_theme(context="paper", style="whitegrid", font=config.FONT_FAMILY)
    matplotlib.rcParams.update(
        {
            # One face for every glyph, Latin too: the text is measured with the font it is shown in
            # (the report embeds this font), so no label outgrows the box drawn around it.
            "font.family": [config.FONT_FAMILY],
            "axes.unicode_minus": False,
            "svg.hashsalt": "outsourcing-repro",  # stable SVG ids across builds
            "svg.fonttype": "none",  # text stays text: selectable, searchable, measurable in the PDF
            "font.style": "normal",  # Chinese typesetting has no italic; a synthetic slant is avoided
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "savefig.pad_inches": 0.03,
            "axes.titlesize": 9.5,
            "axes.titleweight": "bold",
            "legend.fontsize": 8,
        }
    )


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` in one step, so a crash mid-write never leaves a truncated figure behind."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def check_print_size(fig):
    """Fail when `fig` is wider than the printed text block or holds text under MIN_PRINT_PT;
    return the box it is saved with (its tight bounding box, padded by savefig.pad_inches).

    The report prints a figure at its own size, so these two are what a reader of the PDF gets."""
    fig.draw_without_rendering()  # lays it out (text measured) without rasterising it
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
    too_small = sorted(
        {
            (round(t.get_fontsize(), 2), t.get_text()[:40])
            for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_PRINT_PT - 1e-9
        }
    )
    problems = []
    if box.width > PRINT_WIDTH_IN + 0.02:
        problems.append(f"it is {box.width:.2f} in wide, the A4 text block {PRINT_WIDTH_IN:.2f} in")
    if box.height > PRINT_HEIGHT_IN + 0.02:
        problems.append(f"it is {box.height:.2f} in tall, a page leaves {PRINT_HEIGHT_IN:.2f} in")
    if too_small:
        problems.append(
            f"text under {MIN_PRINT_PT:g} pt: " + "; ".join(f"{size} pt '{text}'" for size, text in too_small[:5])
        )
    if problems:
        raise FigureError("figure not printable at its size: " + ", and ".join(problems))
    return box


def inline_svg(svg: str, prefix: str) -> str:
    """The SVG as an element to put inside HTML: no XML prolog, no metadata block, every id prefixed
    (two figures may share a clip path hash, and ids must be unique in one page), and the text in
    the report's embedded face first."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', lambda m: f'xlink:href="#{prefix}-{m.group(1)}"', svg)
    svg = svg.replace(
        f"font-family: '{config.FONT_FAMILY}'",
        f"font-family: '{REPORT_FONT_FAMILY}', '{config.FONT_FAMILY}', sans-serif",
    )
    return svg.strip()


def save(fig, png_path) -> dict:
    """Write `fig` as PNG and SVG with no timestamps, close it, and return paths, the PNG bytes and
    the SVG ready to inline.

    No date, software version or random id goes into either file: PNG without the 'Software' text
    chunk, SVG without dc:date or creator and with ids hashed from `svg.hashsalt`. The drawing
    function that made `fig` (`drawing` records it on the figure) comes back as `producer`."""
    # One box for both files, measured once: with bbox_inches="tight" each savefig would draw the
    # figure twice more to measure it again (five draws a figure, now three).
    box = check_print_size(fig)
    # fig.tight_layout() leaves a placeholder engine behind that lays nothing out but still makes
    # each savefig draw the figure once more first; its layout is done, so it goes.
    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        fig.set_layout_engine(None)
    producer = getattr(fig, "producer", None)
    png_path = config.resolve(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    svg_path = png_path.with_suffix(".svg")
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", metadata={"Software": None}, bbox_inches=box)
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=box)
    plt.close(fig)
    _write_atomically(png_path, png.getvalue())
    _write_atomically(svg_path, svg.getvalue())
    return {
        "png": png_path,
        "svg": svg_path,
        "png_base64": base64.b64encode(png.getvalue()).decode("ascii"),
        "svg_inline": inline_svg(svg.getvalue().decode("utf-8"), png_path.stem),
        "producer": producer,
    }


def drawing(function):
    """Record on each figure the function that drew it (name, file, line), so the report can link a
    figure to its code without the notebook saying so (`save` passes it on)."""
    record = present.producer_record(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        fig = function(*args, **kwargs)
        fig.producer = dict(record)
        return fig

    return wrapper


def inch_canvas(width: float, height: float):
    """(fig, ax): a `width` × `height` inch figure whose one axes fills it, is scaled in inches (one
    data unit = one inch) and draws no frame, so a diagram places boxes at their printed size."""
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")
    return fig, ax


def wrap_zh(text: str, width: int) -> list[str]:
    """Break Chinese text into balanced lines of at most about `width` characters.

    Lines are balanced (13 characters at width 12 give 7 + 6, not 12 + 1) and break after punctuation
    where one is near; a line never starts with a closing mark or an enumeration comma (Chinese
    line-breaking rule), so such a mark stays on the line before.
    """
    no_start = "、，。：；）”"
    lines, rest = [], text
    while len(rest) > width:
        n_lines = math.ceil(len(rest) / width)
        target = math.ceil(len(rest) / n_lines)
        cut = target
        for i in range(min(width, target + 2), int(target * 0.5), -1):
            if rest[i - 1] in "、，：；）":
                cut = i
                break
        while cut < len(rest) and rest[cut] in no_start:
            cut += 1
        lines.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        lines.append(rest)
    return lines
