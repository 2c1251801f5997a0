"""One build at a time in a checkout: take the build lock for the make that runs this, or wait for it.

The Makefile runs this once, while it reads itself, for every make that builds something here:

    python -I -S tools/build_lock.py --make-pid $$PPID --goals "report"

Two makes in one checkout would write the same files under reports/ at once, and a report could be
assembled from the notebooks of both. So the first takes an exclusive flock(2) on `.build.lock` at
the project root (not under build/, which `make clean` deletes) and a second one says what it waits
for and waits until the first has ended. A small process forked from here holds the lock for as long
as that make runs and lets go the moment it ends (within a tenth of a second where Linux's pidfd is
not available), also when it is interrupted or killed, so the lock never outlives its build. A make
started by a make that already holds the lock (the same checkout, e.g. a recursive make) goes
ahead without waiting.

Once the lock is held, it also says once for the whole build what the data checks will cover: where
the papers' texts are absent, quotes are checked against their own values only.

Standard library only, and few imports of it (a no-op `make report` pays for this script's start):
it runs before `make setup` has made the virtualenv, with the virtualenv's Python once there is one.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCK = os.path.join(ROOT, ".build.lock")
POLL_SECONDS = 0.1
# Goals that load no data file: no word about the paper texts for them.
NO_DATA_GOALS = {"setup", "clean"}


def _alive(pid: int) -> bool:
    """Whether `pid` still runs. A make that has exited but is not yet reaped by its parent (a zombie,
    e.g. under a script that waits for it later) has ended: its build is over."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:  # no /proc (macOS): ask ps
        import subprocess

        state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return not state.startswith("Z")


def _ancestors(pid: int) -> set[int]:
    """`pid` and its ancestors (Linux /proc; elsewhere just `pid`)."""
    seen = set()
    while pid > 1 and pid not in seen:
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as fh:
                stat = fh.read()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return seen


def _owner(fd: int) -> tuple[int | None, str]:
    """(pid, description) of the build that holds the lock, as it wrote them into the lock file."""
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 4096).decode("utf-8", errors="replace").strip()
    pid_text, _, description = text.partition(" ")
    return (int(pid_text) if pid_text.isdigit() else None), (description or "another build")


def _hold_until_exit(fd: int, make_pid: int) -> None:
    """In a forked child: keep `fd` (and with it the lock) open until `make_pid` has ended."""
    os.setsid()  # out of make's process group: a Ctrl-C to make is not ours to act on
    devnull = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):  # never keep make's output pipes open (a caller waits for their end)
        os.dup2(devnull, std)
    os.closerange(3, fd)
    os.closerange(fd + 1, 1 << 16)
    try:
        # Linux: a pidfd turns readable the moment that process ends, so the lock is free at once (a
        # make started right after this one would otherwise wait up to POLL_SECONDS for it).
        import select

        select.select([os.pidfd_open(make_pid)], [], [])
    except (AttributeError, OSError):
        while _alive(make_pid):
            time.sleep(POLL_SECONDS)
    os._exit(0)


def papers_notice() -> str | None:
    """The one line a build prints when quotes cannot be checked against the papers, else None."""
    sys.path.insert(0, os.path.join(ROOT, "src"))
    from outsourcing_repro import config  # stdlib only; where the paper texts live is said there

    missing = [paper for paper, name in config.PAPER_SEEDS.items() if not (config.SEEDS_DIR / name).is_file()]
    if not missing:
        return None
    which = (
        "the papers' texts" if len(missing) == len(config.PAPER_SEEDS) else "the text of paper " + " and ".join(missing)
    )
    return (
        f"[data] {which} not found in {config.relative(config.SEEDS_DIR)}: this build checks quotes against "
        "their own values only (set PAPERS_DIR to the folder of the paper texts to check them against the "
        "papers as well)"
    )


def _arguments(argv: list[str]) -> tuple[int, str]:
    """(--make-pid, --goals); argparse alone would double this script's start-up time."""
    try:
        options = dict(zip(argv[::2], argv[1::2]))
        return int(options["--make-pid"]), options.get("--goals", "")
    except (KeyError, ValueError):
        raise SystemExit("usage: build_lock.py --make-pid PID [--goals GOALS]") from None


def main(argv: list[str] | None = None) -> int:
    make_pid, goals = _arguments(sys.argv[1:] if argv is None else argv)
    goals = goals.strip() or "(default goal)"

    fd = os.open(LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid, description = _owner(fd)
        if pid is not None and pid in _ancestors(make_pid):
            return 0  # inside the build that holds it
        started = time.monotonic()
        print(
            f"[build] waiting: {description} is running in this checkout (pid {pid}); this build "
            f"(make {goals}) starts when it ends. Lock: {os.path.basename(LOCK)}",
            file=sys.stderr,
            flush=True,
        )
        fcntl.flock(fd, fcntl.LOCK_EX)
        print(
            f"[build] the other build has ended after {time.monotonic() - started:.0f} s; starting",
            file=sys.stderr,
            flush=True,
        )
    since = time.strftime("%H:%M:%S UTC", time.gmtime())
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{make_pid} `make {goals}` (since {since})\n".encode())
    if os.fork() == 0:
        _hold_until_exit(fd, make_pid)
    os.close(fd)  # the child's copy keeps the lock

    if set(goals.split()) - NO_DATA_GOALS:
        notice = papers_notice()
        if notice:
            print(notice, file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
