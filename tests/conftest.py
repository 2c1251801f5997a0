"""Shared fixtures. The end-to-end build runs once per session and the report tests read its output."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import pytest

from outsourcing_repro import config
from outsourcing_repro.schemas import SCHEMAS

ROOT = config.PROJ_ROOT


def have_seeds() -> bool:
    return all((config.SEEDS_DIR / name).exists() for name in config.PAPER_SEEDS.values())


needs_seeds = pytest.mark.skipif(not have_seeds(), reason=f"paper texts not found in {config.SEEDS_DIR}")


HEADER = list(SCHEMAS["paper_values"].columns)

# A valid row of a paper_values file (its quote prints its value), for tests that write data files.
PAPER_VALUES_ROW = dict(
    value_id="b_x_2014",
    paper="B",
    section="§三",
    entity="温州",
    metric="执行额",
    metric_en="execution",
    year="2014",
    period="",
    value="4032.9",
    unit="万美元",
    kind="level",
    quote="执行金额为 4032.9万美元",
    note="",
)


def write_csv(tmp_path, rows: list[dict], header: list[str] = HEADER, name: str = "values.csv"):
    """`rows` as a UTF-8 CSV file `name` in `tmp_path` (missing cells empty); its path."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built_report():
    """Run the real pipeline (`make report`) once; return the reports folder."""
    # A fresh top-level make, on every core: under `make test` a parent make's MAKEFLAGS/MAKELEVEL
    # would make it a sub-make whose parent's job slots it cannot reach (it would run one job).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    result = subprocess.run(["make", "report"], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"make report failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return config.REPORTS_DIR


# The browser tests' Chromium: Debian's, driven by Playwright's Python package (no `playwright
# install`, which downloads), with nothing in the background that would go online.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
