"""Warm runners: `python -m outsourcing_repro.runner ...` forks its work from a pre-imported process.

The runner of one notebook imports papermill, jupytext, nbformat and jupyter_client (and, through
jupyter_client's kernel-spec lookup, IPython): about 1 s of CPU per notebook before any cell runs,
27 times a build. A *runner zygote* (outsourcing_repro.warm, kind "runner") imports them once and
forks one child per notebook. The command make runs is then a thin client: it passes its argument
list, environment, folder and its own stdin, stdout and stderr (the file descriptors themselves,
over the Unix socket) to the zygote, which forks a child that runs `runner.main` on them, exactly as
the command would have in its own process. The client prints nothing of its own, forwards SIGINT,
SIGTERM and SIGHUP to that child, and exits with its status; so make, the build log and the exit
codes (runner's 0, 1, 2 and 124) are what they were.

Isolation is that of warm kernels: each runner is a fresh fork of a process that only imported
modules, and its kernel is forked from the separate kernel zygote. The zygote's socket is keyed by
the same hash of interpreter, checkout, package sources and environment, so a changed module never
meets a stale runner. OSR_WARM_KERNEL=0, or a zygote that cannot start, runs the runner in this
process instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import traceback

from . import warm

# What the runner imports, directly or through papermill's kernel set-up.
RUNNER_PRELOAD = [
    "outsourcing_repro.runner",
    "outsourcing_repro.warm",
    "jupytext",
    "nbformat",
    "papermill",
    "papermill.exceptions",
    "nbclient",
    "nbclient.exceptions",
    "jupyter_client.manager",
    "jupyter_client.kernelspec",
    "jupyter_client.provisioning",
    "traitlets",
    "IPython.paths",
]
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def main(argv: list[str], in_process) -> int:
    """Run the runner on `argv` in a child of the runner zygote; in this process (`in_process`, the
    runner's own main) if there is none."""
    if not warm.enabled():
        return in_process(argv)
    env = dict(os.environ)
    try:
        path = warm.ensure_zygote(env, "runner")
        conn = _connect(path, env)
    except (RuntimeError, OSError) as exc:
        print(f"[notebook] no warm runner ({exc}); running in this process", file=sys.stderr, flush=True)
        return in_process(argv)
    with conn:
        payload = json.dumps({"kind": "run", "argv": argv, "env": env, "cwd": os.getcwd()}).encode()
        sent = socket.send_fds(conn, [payload], [0, 1, 2])
        conn.sendall(payload[sent:])
        conn.shutdown(socket.SHUT_WR)
        return _wait(conn)


def _connect(path, env) -> socket.socket:
    for attempt in (1, 2):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(str(path))
            return conn
        except (ConnectionRefusedError, FileNotFoundError):
            conn.close()
            if attempt == 2:
                raise
            # The zygote went idle (or died) between finding its socket and connecting.
            path.unlink(missing_ok=True)
            path = warm.ensure_zygote(env, "runner")
    raise AssertionError("unreachable")


def _wait(conn: socket.socket) -> int:
    """Read the zygote's {"pid": ...} line, then the child's {"exit": ...} line."""
    pid = None

    def forward(signum, _frame):
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    for signum in FORWARDED:
        signal.signal(signum, forward)
    buffer = b""
    while True:
        try:
            chunk = conn.recv(4096)
        except InterruptedError:
            continue
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            message = json.loads(line)
            if "pid" in message:
                pid = message["pid"]
            if "exit" in message:
                return int(message["exit"])
    print(
        "error: notebook failed: the warm runner ended without an exit status (killed, or a crash in "
        f"native code); see {warm.config.relative(warm.config.BUILD_DIR / 'warm.log')}",
        file=sys.stderr,
    )
    return 1


def become_runner(request: dict, conn: socket.socket, fds: list[int]) -> None:
    """In the forked child: take the client's streams, environment and folder, run the runner,
    send its exit status back, and exit. Never returns."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote ignores it; subprocess.wait needs it
        for signum in FORWARDED:
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # KeyboardInterrupt: papermill cleans up
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        sys.argv = [sys.argv[0], *request["argv"]]
        from . import runner

        code = runner.main(request["argv"])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError):
                stream.flush()
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps({"exit": code}).encode() + b"\n")
        os._exit(code)
