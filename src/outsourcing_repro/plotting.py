"""Matplotlib set-up that renders Chinese with the shipped font, and byte-stable figure files."""
from __future__ import annotations

import base64
import io
import os
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on build machines; also keeps output independent of the host

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from . import config  # noqa: E402


class FontError(RuntimeError):
    pass


def setup() -> None:
    """Register the CJK subset font and the house style. Call once at the top of a notebook."""
    if not config.FONT_PATH.exists():
        raise FontError(
            f"CJK font missing: {config.relative(config.FONT_PATH)}. Restore it with "
            "`git checkout -- src/outsourcing_repro/fonts/` (or regenerate with `make font`)."
        )
    font_manager.fontManager.addfont(str(config.FONT_PATH))
    names = {f.name for f in font_manager.fontManager.ttflist}
    if config.FONT_FAMILY not in names:
        raise FontError(f"{config.relative(config.FONT_PATH)} did not register as '{config.FONT_FAMILY}'")
    # A missing glyph would otherwise draw a tofu box and only warn; make it stop the build.
    warnings.filterwarnings("error", message=r"Glyph .* missing from font")
    sns.set_theme(context="notebook", style="whitegrid", font=config.FONT_FAMILY)
    matplotlib.rcParams.update(
        {
            # List, not string: matplotlib falls back glyph by glyph, Latin from DejaVu, Chinese from Noto.
            "font.family": ["DejaVu Sans", config.FONT_FAMILY],
            "axes.unicode_minus": False,
            "svg.hashsalt": "outsourcing-repro",  # stable SVG ids across builds
            "svg.fonttype": "path",  # SVGs carry glyph outlines, so they render without the font
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
        }
    )


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` in one step, so a crash mid-write never leaves a truncated figure behind."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def save(fig, png_path) -> dict:
    """Write `fig` as PNG and SVG with no timestamps, close it, and return paths and the PNG bytes.

    No date, software version or random id goes into either file: PNG without the 'Software' text
    chunk, SVG without dc:date or creator and with ids hashed from `svg.hashsalt`."""
    png_path = config.resolve(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    svg_path = png_path.with_suffix(".svg")
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    _write_atomically(png_path, png.getvalue())
    _write_atomically(svg_path, svg.getvalue())
    return {"png": png_path, "svg": svg_path, "png_base64": base64.b64encode(png.getvalue()).decode("ascii")}
