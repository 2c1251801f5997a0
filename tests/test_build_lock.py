"""One build at a time in a checkout: a second make waits for the first, says for what, and never
publishes a report made from a mix of both (the Makefile's build-lock block, tools/build_lock.py).

All but the last test run the real Makefile in a temporary copy of the project, on a goal from an
extra makefile that only sleeps and logs when it starts and ends; the last runs two `make report`
at once in a copy.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from clean_builds import verify_build

from outsourcing_repro import config

vb = verify_build()

SLOW_MK = """\
slow:
\t@echo "start $$(date +%s.%N)" >> $(LOG)
\t@sleep $(SLEEP)
\t@echo "end $$(date +%s.%N)" >> $(LOG)
nested:
\t@$(MAKE) -f Makefile -f slow.mk slow LOG=$(LOG) SLEEP=0
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    copy = vb.copy_project(tmp_path_factory.mktemp("build-lock") / "project")
    (copy / "slow.mk").write_text(SLOW_MK, encoding="utf-8")
    return copy


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return {**env, **extra}


def _start(project: Path, *goals: str, log: Path, sleep: float = 0, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        ["make", "-f", "Makefile", "-f", "slow.mk", *goals, f"LOG={log}", f"SLEEP={sleep}"],
        cwd=project,
        env=env or _env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _holding(project: Path, proc: subprocess.Popen, timeout: float = 20) -> None:
    """Wait until `proc` (a make) holds the lock: its pid is written in the lock file."""
    deadline = time.monotonic() + timeout
    lock = project / ".build.lock"
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text(encoding="utf-8").startswith(f"{proc.pid} "):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the first make never took the lock")


def _released(project: Path, timeout: float = 10) -> None:
    """Wait until nobody holds the lock. A killed make's holder lets go when it sees the make end;
    a make started before that would rightly wait, which is not what a test of nesting asks."""
    import fcntl

    deadline = time.monotonic() + timeout
    with open(project / ".build.lock", "a+") as fh:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                assert time.monotonic() < deadline, "the killed make's lock was never released"
                time.sleep(0.05)
                continue
            fcntl.flock(fh, fcntl.LOCK_UN)
            return


def _times(log: Path) -> list[tuple[str, float]]:
    return [(word, float(t)) for word, t in (line.split() for line in log.read_text().splitlines())]


def test_a_second_build_waits_for_the_first_and_says_for_what(project, tmp_path):
    log = tmp_path / "log"
    first = _start(project, "slow", log=log, sleep=3)
    _holding(project, first)
    second = _start(project, "slow", log=log)
    _out2, err2 = second.communicate(timeout=60)
    _out1, err1 = first.communicate(timeout=60)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert (
        "[build] waiting: `make slow` (since " in err2
        and f"(pid {first.pid}); this build (make slow) starts when it ends" in err2
    ), err2
    assert "the other build has ended" in err2
    assert "waiting" not in err1
    (s1, _t_start1), (e1, t_end1), (s2, t_start2), (e2, _) = _times(log)
    assert (s1, e1, s2, e2) == ("start", "end", "start", "end")
    assert t_start2 >= t_end1, "the second build started before the first had ended"


def test_the_lock_goes_with_a_killed_build(project, tmp_path):
    log = tmp_path / "log"
    first = _start(project, "slow", log=log, sleep=60)
    _holding(project, first)
    second = _start(project, "slow", log=log)
    time.sleep(1.5)
    assert second.poll() is None, "the second build did not wait"
    os.killpg(first.pid, signal.SIGKILL)  # make and its recipe, as a closed terminal would
    first.wait()
    killed = time.monotonic()
    second.communicate(timeout=30)
    assert second.returncode == 0
    assert time.monotonic() - killed < 10
    assert [w for w, _ in _times(log)] == ["start", "start", "end"]


def test_goals_that_build_nothing_here_dry_runs_and_nested_makes_do_not_wait(project, tmp_path):
    log = tmp_path / "log"
    first = _start(project, "slow", log=log, sleep=30)
    _holding(project, first)
    try:
        for command in (
            ["make", "help"],
            ["make", "-n", "report"],
            ["make", "-q", "-f", "Makefile", "-f", "slow.mk", "slow", f"LOG={log}", "SLEEP=0"],
        ):
            started = time.monotonic()
            result = subprocess.run(command, cwd=project, env=_env(), capture_output=True, text=True, timeout=20)
            assert "waiting" not in result.stderr, command
            assert time.monotonic() - started < 10, command
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    _released(project)
    # A make run by a make that holds the lock (a recursive make) goes ahead.
    nested = _start(project, "nested", log=log)
    _, err = nested.communicate(timeout=30)
    assert nested.returncode == 0, err
    assert "waiting" not in err


def test_a_build_started_right_after_another_ends_does_not_wait(project, tmp_path):
    """The holder lets go the moment its make ends (a pidfd), not at its next poll: ten builds in a
    row, each started as the one before exits, never wait (with polling every 0.1 s, most did)."""
    log = tmp_path / "log"
    for _ in range(10):
        proc = _start(project, "slow", log=log)
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "[build] waiting" not in err, err


def test_a_build_says_once_that_quotes_are_checked_against_their_values_only(project, tmp_path):
    log = tmp_path / "log"
    absent = _start(project, "slow", "nested", log=log, env=_env(PAPERS_DIR=str(tmp_path / "no-papers")))
    _, err = absent.communicate(timeout=30)
    assert absent.returncode == 0, err
    assert err.count("checks quotes against their own values only") == 1, err
    assert "set PAPERS_DIR" in err
    papers = tmp_path / "papers"
    papers.mkdir()
    for name in config.PAPER_SEEDS.values():
        (papers / name).write_text("text", encoding="utf-8")
    present = _start(project, "slow", log=log, env=_env(PAPERS_DIR=str(papers)))
    _, err = present.communicate(timeout=30)
    assert present.returncode == 0 and "values only" not in err, err


@pytest.mark.e2e
def test_two_make_reports_at_once_publish_one_report(tmp_path):
    """`make report` twice at once in one checkout: the second waits, then finds the report up to date
    (it executes no notebook and assembles nothing), and the report is the first build's."""
    copy = vb.copy_project(tmp_path / "project")
    only = ["fig_b1_wenzhou_execution"]
    env = vb.build_env(copy)
    command = vb.make_command("report", vb.VENV, only=only)
    first = subprocess.Popen(command, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _holding(copy, first, timeout=60)
    second = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    out1, err1 = first.communicate(timeout=900)
    assert first.returncode == 0, err1[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    assert "[build] waiting: `make report" in second.stderr
    assert "[notebook]" in out1 and "[report] wrote reports/report.html" in out1
    assert "[notebook]" not in second.stdout  # nothing left to execute
    assert "[report]" not in second.stdout  # nor to assemble
    assert (copy / "reports" / "report.html").exists() and (copy / "reports" / "report.pdf").exists()
