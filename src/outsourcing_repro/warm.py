"""Warm kernels: one pre-imported process per build, forked into a fresh kernel for each notebook.

Starting a kernel and importing pandas, matplotlib, statsmodels and the package costs about 2 s per
notebook; the notebook's own work is often less. A *zygote* pays it once: a process that imports
all of that, runs no notebook code, and forks one child per request. The child becomes an ordinary
ipykernel on the connection file the runner's kernel manager wrote. So each notebook still runs in a
fresh process that no other notebook touched (a fork of a process that only imported modules), and
nothing a notebook changes (globals, module attributes, matplotlib's rcParams) reaches the next.

The runner starts the zygote on first use, through a lock, so notebooks started together under
`make -j` share one. It serves on a Unix socket in a private folder (mode 0700) named after a hash
of everything its imports depend on: the interpreter, the checkout, the package's source files
and the environment. A changed module or another environment therefore gets a new zygote, never a
stale one. It exits after IDLE_SECONDS without a request. Set OSR_WARM_KERNEL=0 to start every
kernel the ordinary way (also the fallback where fork is unavailable).

    python -m outsourcing_repro.warm serve kernel <socket>   # what the runner starts
    python -m outsourcing_repro.warm serve runner <socket>   # what `python -m ...runner` starts
    python -m outsourcing_repro.warm ensure kernel           # what the runner zygote starts
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import config

IDLE_SECONDS = 20
START_TIMEOUT = 120
ENV_SWITCH = "OSR_WARM_KERNEL"
# Variables that differ between make's recipes of one build but change nothing a kernel imports.
_VOLATILE = {
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "MAKE_TERMOUT",
    "MAKE_TERMERR",
    "PWD",
    "OLDPWD",
    "SHLVL",
    "_",
    "JPY_PARENT_PID",
    "JPY_SESSION_NAME",
    "MAKE_RESTARTS",
}
PRELOAD = [
    "numpy",
    "pandas",
    "scipy.stats",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "statsmodels.api",
    "pandera",
    "IPython",
    "ipykernel.kernelapp",
    # What the kernel application imports as it starts (its debugger alone pulls in debugpy, 0.17 s).
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "matplotlib_inline.backend_inline",
]


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1") != "0" and hasattr(os, "fork")


def package_modules() -> list[str]:
    """The package's modules a notebook may import (not the build's own)."""
    skip = {"__init__", "__main__", "report", "runner", "makerules", "warm"}
    return sorted(p.stem for p in config.PACKAGE_DIR.glob("*.py") if p.stem not in skip)


def key(env: dict[str, str] | None = None) -> str:
    env = dict(os.environ if env is None else env)
    digest = hashlib.sha256()
    digest.update(f"{sys.executable}\0{sys.prefix}\0{config.PROJ_ROOT}\0".encode())
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(config.PACKAGE_DIR)).encode() + b"\0" + path.read_bytes())
    digest.update(config.OUTLINE_FILE.read_bytes() if config.OUTLINE_FILE.exists() else b"")
    for name in sorted(set(env) - _VOLATILE):
        digest.update(f"{name}={env[name]}\0".encode())
    return digest.hexdigest()[:20]


def socket_path(env: dict[str, str] | None = None, kind: str = "kernel") -> Path:
    folder = Path(tempfile.gettempdir()) / f"osr-warm-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder / f"{kind}-{key(env)}.sock"


# -- The zygote -------------------------------------------------------------------------------------


def _preload(kind: str) -> None:
    import importlib

    if kind == "runner":
        from .warm_runner import RUNNER_PRELOAD

        names = RUNNER_PRELOAD
    else:
        os.environ.setdefault("MPLBACKEND", "Agg")
        # debugpy, imported with ipykernel's debugger, would print a warning about frozen modules.
        os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        names = PRELOAD + [f"outsourcing_repro.{m}" for m in package_modules()]
    for name in names:
        importlib.import_module(name)


def _become_kernel(request: dict) -> None:
    """In the forked child: take the runner's environment and folder, then serve as a kernel."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses must be waited for
    os.setsid()
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    devnull = os.open(os.devnull, os.O_RDWR)
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600) if request.get("log") else devnull
    os.dup2(devnull, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.argv = ["ipykernel_launcher", "-f", request["connection_file"]]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=sys.argv[1:])
    os._exit(0)


def serve(path: Path, kind: str = "kernel") -> None:
    """Serve fork requests on `path`: a kernel zygote forks kernels, a runner zygote forks the
    runner of one notebook (outsourcing_repro.warm_runner), which gets the client's stdin, stdout
    and stderr passed over the socket."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    if kind == "runner":
        _prestart_kernel_zygote()
    _preload(kind)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    server.bind(str(tmp))
    server.listen(16)
    os.replace(tmp, path)  # only a fully ready zygote is ever found at `path`
    server.settimeout(IDLE_SECONDS)
    try:
        while True:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                break
            with conn:
                data, fds, _, _ = socket.recv_fds(conn, 65536, 3)
                request = json.loads(data + _read_all(conn))
                for stream in (sys.stdout, sys.stderr):
                    stream.flush()  # nothing buffered here may be printed again by a child
                pid = os.fork()
                if pid == 0:
                    server.close()
                    try:
                        if request.get("kind") == "run":
                            from .warm_runner import become_runner

                            become_runner(request, conn, fds)
                        conn.close()
                        _become_kernel(request)
                    finally:
                        os._exit(1)
                for fd in fds:
                    os.close(fd)
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    finally:
        path.unlink(missing_ok=True)
        server.close()


def _prestart_kernel_zygote() -> None:
    """Start the kernel zygote the runners will ask for while this one imports (in a helper that
    takes the usual start lock and exits when it is ready), so that the first notebooks of a build
    wait for one start-up, not two in a row. The kernels' environment is the runner's, pinned as the
    runner pins it; were it to differ, the first runner would start its own kernel zygote."""
    from .runner import deterministic_environment

    env = dict(os.environ)
    deterministic_environment(env)
    subprocess.Popen(
        [sys.executable, "-m", "outsourcing_repro.warm", "ensure", "kernel"],
        env=env,
        cwd=config.PROJ_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


# -- The runner's side ------------------------------------------------------------------------------


def _request(path: Path, payload: dict) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(30)
        s.connect(str(path))
        s.sendall(json.dumps(payload).encode())
        s.shutdown(socket.SHUT_WR)
        return json.loads(_read_all(s))


def ensure_zygote(env: dict[str, str], kind: str = "kernel") -> Path:
    """The socket of a ready zygote of `kind` for `env`, started now if there is none."""
    path = socket_path(env, kind)
    if path.exists():
        return path
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            log = config.BUILD_DIR / "warm.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "ab") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "outsourcing_repro.warm", "serve", kind, str(path)],
                    env=env,
                    cwd=config.PROJ_ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=out,
                    start_new_session=True,
                )
            deadline = time.monotonic() + START_TIMEOUT
            while not path.exists():
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the warm kernel did not start; see {config.relative(log)}")
                time.sleep(0.05)
    return path


class ForkedKernel:
    """What jupyter_client's provisioner needs of a kernel process, for one the zygote forked."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            try:
                with open(f"/proc/{self.pid}/stat") as fh:
                    gone = fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
            except FileNotFoundError:
                gone = True
            except OSError:
                gone = False
            if not gone and not Path("/proc").is_dir():
                try:
                    os.kill(self.pid, 0)
                except ProcessLookupError:
                    gone = True
            if gone:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum):
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


def provisioner_class():
    from jupyter_client.provisioning import LocalProvisioner

    class WarmProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            connection_file = cmd[cmd.index("-f") + 1]
            env = dict(kwargs.get("env") or os.environ)
            payload = {
                "connection_file": connection_file,
                "env": env,
                "cwd": str(kwargs.get("cwd") or os.getcwd()),
                "log": None,
            }
            path = ensure_zygote(env)
            try:
                reply = _request(path, payload)
            except (ConnectionRefusedError, FileNotFoundError):
                # The zygote went idle (or died) between finding its socket and connecting: start another.
                path.unlink(missing_ok=True)
                reply = _request(ensure_zygote(env), payload)
            self.process = ForkedKernel(reply["pid"])
            self.pid = reply["pid"]
            self.pgid = reply["pid"]  # the child made itself a session (and group) leader
            return self.connection_info

        async def wait(self):
            # The kernel is the zygote's child, not ours: poll rather than waitpid.
            import asyncio

            while self.process is not None and self.process.poll() is None:
                await asyncio.sleep(0.02)
            self.process = None
            return 0

    return WarmProvisioner


def manager_class(base):
    """`base` (a jupyter_client kernel manager class) with kernels forked from the zygote."""
    import uuid

    provisioner = provisioner_class()

    class WarmKernelManager(base):
        async def _async_pre_start_kernel(self, **kw):
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            if self.provisioner is None:
                self.provisioner = provisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

    return WarmKernelManager


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 3 and argv[0] == "serve" and argv[1] in ("kernel", "runner"):
        serve(Path(argv[2]), argv[1])
        return 0
    if argv == ["ensure", "kernel"]:
        ensure_zygote(dict(os.environ), "kernel")
        return 0
    print(__doc__.split("\n\n")[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
