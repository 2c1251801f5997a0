"""Every path of the project, in one place.

Notebooks receive their input and output paths as papermill parameters, relative to the project
root; the runner executes them with the root as working directory, so `resolve()` turns a parameter
into an absolute path without any notebook knowing where it lives.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[2]

DATA_DIR = PROJ_ROOT / "data"
RAW_DATA_DIR = DATA_DIR / "raw"
EXTERNAL_DATA_DIR = DATA_DIR / "external"
# How the report shows things: bilingual column headers with units, the reference list's entries.
REPORT_DATA_DIR = DATA_DIR / "report"
COLUMN_HEADERS_PATH = REPORT_DATA_DIR / "column_headers.csv"
REFERENCES_PATH = REPORT_DATA_DIR / "references.csv"

NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = PROJ_ROOT / "reports"
FIGURES_DIR = REPORTS_DIR / "figures"
TABLES_DIR = REPORTS_DIR / "tables"
EXECUTED_NOTEBOOKS_DIR = REPORTS_DIR / "notebooks"
BUILD_DIR = PROJ_ROOT / "build"
TIMINGS_DIR = BUILD_DIR / "timings"
# The papers are not redistributed; the maintainer checks read them from beside the checkout.
SEEDS_DIR = Path(os.environ.get("PAPERS_DIR") or PROJ_ROOT.parent / "shared" / "seeds")

PACKAGE_DIR = Path(__file__).resolve().parent
FONT_PATH = PACKAGE_DIR / "fonts" / "NotoSansSC-Subset.otf"
FONT_BOLD_PATH = PACKAGE_DIR / "fonts" / "NotoSansSC-Bold-Subset.otf"  # same characters, weight 700
FONT_FAMILY = "Noto Sans SC Subset"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

KERNEL_NAME = "outsourcing-repro"

PAPER_SEEDS = {
    "A": "000_d7825293525fc8ef.txt",
    "B": "004_933c1eb2c6c294dd.txt",
}

# The report's date comes from SOURCE_DATE_EPOCH when set (reproducible-builds.org convention),
# otherwise from the data freeze date below, never from the clock: two builds of the same inputs
# must give the same bytes.
DATA_FREEZE_EPOCH = 1795305600  # 2026-11-22T00:00:00Z, when data/ was last revised


def source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else DATA_FREEZE_EPOCH


def resolve(path: str | os.PathLike) -> Path:
    """Turn a parameter path (relative to the project root) into an absolute path."""
    p = Path(path)
    return p if p.is_absolute() else PROJ_ROOT / p


def relative(path: str | os.PathLike) -> str:
    """Project-relative POSIX path, for messages and source lines (never an absolute machine path)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(PROJ_ROOT).as_posix()
    except ValueError:
        return p.as_posix()
