"""The tooling a well-kept package has: ruff settings, git hooks and a citation file that work.

The hooks are exercised for real, by pre-commit in a scratch git repository: an executed notebook
and a lint error are refused, clean code passes. CITATION.cff is checked by cffconvert, which pins
an old jsonschema that the lock cannot have, so it runs from a venv of its own (kept in build/).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from outsourcing_repro import config

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = config.PROJ_ROOT
BIN = Path(sys.executable).parent
CFFCONVERT = "cffconvert==2.0.0"


def test_make_help_lists_lab_and_lint():
    out = subprocess.run(["make"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for target in ["lab", "lint"]:
        assert re.search(rf"^\s+{target}\s+\S", out, re.M), f"'make' help lacks '{target}'"


def test_ruff_reads_its_settings_from_pyproject():
    out = subprocess.run(
        [str(BIN / "ruff"), "check", "--show-settings", "tests/test_tooling.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT / "pyproject.toml") in out
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    assert f"line_length = {settings['line-length']}" in out


# --- pre-commit hooks, run for real ------------------------------------------------------------

EXECUTED = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "a",
            "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": ["3\n"]}],
            "source": ["print(1 + 2)"],
        }
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture
def scratch_repo(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in [".pre-commit-config.yaml", "pyproject.toml"]:
        shutil.copy(ROOT / name, repo / name)
    (repo / ".venv").symlink_to(Path(sys.prefix))  # the hooks run .venv/bin/ruff, as in the checkout
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))

    def run_hooks(name: str, text: str) -> subprocess.CompletedProcess:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
        subprocess.run(["git", "add", name], cwd=repo, check=True)
        return subprocess.run(
            [str(BIN / "pre-commit"), "run", "--files", name], cwd=repo, env=env, capture_output=True, text=True
        )

    return run_hooks


def test_the_hooks_refuse_an_executed_notebook(scratch_repo):
    result = scratch_repo("notebooks/analysis.ipynb", json.dumps(EXECUTED))
    assert result.returncode != 0, result.stdout
    assert "no .ipynb committed" in result.stdout and "Failed" in result.stdout, result.stdout
    assert "jupytext percent .py" in result.stdout


def test_the_hooks_refuse_a_lint_error_and_pass_clean_code(scratch_repo):
    refused = scratch_repo("src/pkg/bad.py", '"""A module with a bug."""\n\n\ndef f():\n    return undefined_name\n')
    assert refused.returncode != 0
    assert "F821" in refused.stdout, refused.stdout  # undefined name: no --fix can mend it
    clean = scratch_repo("src/pkg/good.py", '"""A clean module."""\n\n\ndef f():\n    return 1\n')
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.count("Passed") >= 2, clean.stdout


# --- CITATION.cff ------------------------------------------------------------------------------


def test_the_citation_names_this_version_and_the_two_papers():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["version"] == project["version"]
    assert cff["license"] == "MIT" and (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    papers = [r for r in cff["references"] if r["type"] == "article"]
    assert len(papers) == 2
    seed_a = config.SEEDS_DIR / config.PAPER_SEEDS["A"]
    if seed_a.exists():  # the title and date as the paper's own first page gives them
        first_page = seed_a.read_text(encoding="utf-8")[:2000]
        assert f"题目：{papers[0]['title']}" in first_page
        assert f"网络首发日期：{papers[0]['date-published']}" in first_page


@pytest.mark.e2e  # builds a venv from the package index on its first run (then reuses it)
def test_cffconvert_accepts_the_citation_file():
    venv = config.BUILD_DIR / "tools" / "cffconvert"
    cffconvert = venv / "bin" / "cffconvert"
    if not cffconvert.exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", CFFCONVERT], check=True)
    result = subprocess.run(
        [str(cffconvert), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def _makeflags(goal: str) -> str:
    database = subprocess.run(["make", "-pn", goal], cwd=ROOT, capture_output=True, text=True).stdout
    return next(line for line in database.splitlines() if line.startswith("MAKEFLAGS ="))


def test_make_test_shows_pytest_as_it_runs_while_builds_stay_synced():
    # --output-sync holds a recipe's output until it ends: right for notebooks run side by side, wrong
    # for a ten-minute pytest run that would print nothing until the end.
    assert "-O" not in _makeflags("test-fast")
    assert "-Otarget" in _makeflags("report")


def test_make_uses_every_core_and_a_make_inside_a_make_shares_its_parents_jobs():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    top = subprocess.run(["make", "-pn", "help"], cwd=ROOT, env=env, capture_output=True, text=True).stdout
    # One job more than cores: a notebook's core idles while its kernel starts and shuts down.
    assert f" -j{len(os.sched_getaffinity(0)) + 1} " in next(
        line for line in top.splitlines() if line.startswith("MAKEFLAGS =")
    )
    # -n runs only the `+` recipe (no build, no lock); the inner make must keep the outer one's job slots.
    nested = subprocess.run(
        ["make", "-j2", "-n", "--eval", "nested: ; +@$(MAKE) -pn help | grep '^MAKEFLAGS ='", "nested"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert nested.returncode == 0 and "jobserver" not in nested.stderr, nested.stderr
    assert "-j2 " in nested.stdout and "--jobserver-auth" in nested.stdout, nested.stdout
