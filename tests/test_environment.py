"""The lock, environment.yml and the Makefile agree, so pip and conda users get the same pins."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from outsourcing_repro import config

ROOT = config.PROJ_ROOT
PIN = re.compile(r"^\s*-?\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def pins(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) for line in text.splitlines() if (m := PIN.match(line))}


def test_environment_yml_has_exactly_the_lock_pins():
    lock = pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    env = pins((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert lock, "requirements.lock has no pins"
    assert env == lock, {k: (lock.get(k), env.get(k)) for k in set(lock) | set(env) if lock.get(k) != env.get(k)}


def test_every_direct_dependency_is_pinned():
    direct = [
        line.split("#")[0].strip().lower()
        for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
    ]
    lock = pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    missing = [d for d in direct if d and d not in lock]
    assert not missing, f"direct dependencies missing from the lock: {missing}"


def test_make_alone_prints_help_with_every_documented_target():
    out = subprocess.run(["make"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for target in ["setup", "report", "html", "pdf", "notebooks", "test", "clean"]:
        assert re.search(rf"^\s+{target}\s+\S", out, re.M), f"'make' help lacks '{target}'"


def test_kernel_is_registered_inside_the_environment():
    import sys
    from pathlib import Path

    kernel = Path(sys.prefix) / "share" / "jupyter" / "kernels" / config.KERNEL_NAME / "kernel.json"
    assert kernel.exists(), f"kernel '{config.KERNEL_NAME}' not registered in {sys.prefix}"


@pytest.mark.skipif(
    not os.environ.get("PYTHONDONTWRITEBYTECODE"), reason="Python writes the bytecode of what it imports itself"
)
def test_set_up_compiled_the_installed_packages_to_bytecode():
    """uv installs without bytecode unless told (pip compiles by default). Where
    PYTHONDONTWRITEBYTECODE is set (the CI machines), every process of every build would otherwise
    compile each module it imports again. pandas/tests is never imported by a build, so only set-up
    compiles it."""
    import importlib.util
    from pathlib import Path

    import pandas

    sources = sorted(Path(pandas.__file__).parent.rglob("*.py"))
    assert len(sources) > 100
    missing = [s for s in sources if not Path(importlib.util.cache_from_source(str(s))).exists()]
    assert not missing, f"{len(missing)} of {len(sources)} pandas modules have no bytecode, e.g. {missing[0]}"
