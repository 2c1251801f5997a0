"""After set-up, the build needs no network: `make report` succeeds inside a network namespace that
has nothing but a loopback interface (tests/clean_builds.py, second build)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from clean_builds import clean_builds, failure_text, offline_wrapper

PROBE = (
    "import socket\n"
    "for host, port in [('1.1.1.1', 53), ('8.8.8.8', 443), ('pypi.org', 443)]:\n"
    "    try:\n"
    "        socket.create_connection((host, port), timeout=3).close()\n"
    "        print('REACHED', host)\n"
    "    except OSError as exc:\n"
    "        print('blocked', host, type(exc).__name__)\n"
)


@pytest.fixture(scope="module")
def wrapper():
    prefix, how = offline_wrapper()
    if prefix is None:
        pytest.skip(f"cannot cut the network for a build: {how}")
    return prefix


def test_the_sandbox_really_has_no_network(wrapper):
    """Without this, a passing offline build would prove nothing."""
    out = subprocess.run([*wrapper, sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "REACHED" not in out.stdout, out.stdout
    assert out.stdout.count("blocked") == 3


@pytest.mark.e2e
def test_make_report_builds_without_network(wrapper):
    _, offline = clean_builds()
    assert offline.offline, "the second clean build did not run in the sandbox"
    assert offline.result.returncode == 0, failure_text(offline)
    assert (offline.reports / "report.html").stat().st_size > 0
    assert (offline.reports / "report.pdf").stat().st_size > 0
    assert "outsourcing_repro.runner" in offline.result.stdout  # notebooks really executed in there
