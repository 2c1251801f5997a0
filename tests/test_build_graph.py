"""Rebuilds decided by content, on the real build: a touched but unchanged input reruns nothing;
a changed module reruns the notebooks that import it (as a fresh interpreter shows) and no others."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from outsourcing_repro import config, outline

pytestmark = pytest.mark.e2e
RAN = re.compile(r"^\[notebook\] (\S+) \.\.\.", re.M)

LOADED = """
import ast, sys
before = set(sys.modules)
for node in ast.parse(open(sys.argv[1], encoding="utf-8").read()).body:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        exec(compile(ast.Module([node], []), "nb", "exec"), {})
print(" ".join(sorted(m for m in set(sys.modules) - before if m.startswith("outsourcing_repro."))))
"""


def make(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(["make", *args], cwd=config.PROJ_ROOT, capture_output=True, text=True, env=env)


def test_touching_inputs_without_changing_them_reruns_nothing(built_report):
    assert make("report").returncode == 0
    started = time.perf_counter()
    noop = make("report")
    noop_seconds = time.perf_counter() - started
    assert noop.returncode == 0 and not RAN.search(noop.stdout) and "[report]" not in noop.stdout
    touched = (
        sorted(config.DATA_DIR.rglob("*.csv"))
        + sorted(config.PACKAGE_DIR.glob("*.py"))
        + sorted(config.NOTEBOOKS_DIR.glob("*.py"))
        + [config.OUTLINE_FILE]
    )
    for path in touched:
        os.utime(path)
    started = time.perf_counter()
    result = make("report")
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert not RAN.search(result.stdout), f"touching reran: {RAN.findall(result.stdout)}"
    assert "[report]" not in result.stdout
    assert noop_seconds < 1.0 and seconds < 5.0, (noop_seconds, seconds)


# Stands in for the runner: prints the runner's start line and touches the executed notebook and its
# outputs without changing their bytes, as a rerun after a comment-only edit would leave them.
FAKE_RUNNER = """#!/usr/bin/env bash
echo "[notebook] $1 ..."
touch -c "$2"
shift 2
while [ $# -ge 3 ] && [ "$1" = "-p" ]; do
  case "$3" in reports/*,*) ;; reports/*) touch -c "$3" ;; esac
  shift 3
done
"""


@pytest.mark.parametrize("module", ["paper_b", "regression"])
def test_a_changed_module_reruns_exactly_its_importers(built_report, module, tmp_path):
    importers = set()
    for entry in outline.load().entries():
        loaded = subprocess.run(
            [sys.executable, "-c", LOADED, str(config.resolve(entry.source))],
            capture_output=True,
            text=True,
            check=True,
            cwd=config.PROJ_ROOT,
        ).stdout.split()
        if f"outsourcing_repro.{module}" in loaded:
            importers.add(entry.source + " " + entry.name)
    fake = tmp_path / "runner.sh"
    fake.write_text(FAKE_RUNNER, encoding="utf-8")
    fake.chmod(0o755)
    path = config.PACKAGE_DIR / f"{module}.py"
    original = path.read_bytes()
    ran = []
    try:
        path.write_bytes(original + b"\n# an edit that changes the bytes\n")
        edited = make(f"RUN={fake}", "notebooks")
        path.write_bytes(original)
        restored = make(f"RUN={fake}", "notebooks")
    finally:
        path.write_bytes(original)
    for result in (edited, restored):
        assert result.returncode == 0, result.stderr
        ran.append(RAN.findall(result.stdout))
    # The modules a notebook loads at its imports (a lazy import inside a function, which the
    # rules count too, is not loaded by this probe; these two modules have none).
    expected = {i.split()[0] for i in importers}
    assert set(ran[0]) == expected and len(ran[0]) == len(importers), ran[0]
    assert sorted(ran[1]) == sorted(ran[0]), "restoring the bytes reruns the same notebooks"
    assert len(ran[0]) < len(outline.load().entries())
