"""Shared fixtures. The end-to-end build runs once per session and the report tests read its output."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from outsourcing_repro import config

ROOT = config.PROJ_ROOT


def have_seeds() -> bool:
    return all((config.SEEDS_DIR / name).exists() for name in config.PAPER_SEEDS.values())


needs_seeds = pytest.mark.skipif(not have_seeds(), reason=f"paper texts not found in {config.SEEDS_DIR}")


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
