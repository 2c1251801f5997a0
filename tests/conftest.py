"""Shared fixtures. The end-to-end build runs once per session and the report tests read its output."""

from __future__ import annotations

import os
import subprocess

import pytest

from outsourcing_repro import config

ROOT = config.PROJ_ROOT


def have_seeds() -> bool:
    return all((config.SEEDS_DIR / name).exists() for name in config.PAPER_SEEDS.values())


needs_seeds = pytest.mark.skipif(not have_seeds(), reason=f"paper texts not found in {config.SEEDS_DIR}")


@pytest.fixture(scope="session")
def built_report():
    """Run the real pipeline (`make report`) once; return the reports folder."""
    env = dict(os.environ)
    result = subprocess.run(["make", "report"], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"make report failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return config.REPORTS_DIR
