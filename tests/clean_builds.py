"""Two clean builds of the project, shared by test_reproducible.py and test_offline.py.

Both start from one snapshot of the tree (tools/verify_build.py copies the tracked files plus the
working-tree changes) placed in two folders with different names. The second build differs from
the first in everything that must not matter: its folder, its time zone and locale, and the network,
which it does not have: it runs in a new network namespace (`unshare -rn`, or `unshare -n` as root)
with only a loopback interface, which the Jupyter kernel needs to talk to papermill.

The builds run once per test session, side by side (about the time of one `make report` on two
cores). Set VERIFY_ONLY to a
space-separated list of notebook names to build a smaller report while developing.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Brings the namespace's loopback up (SIOCSIFFLAGS with IFF_UP|IFF_LOOPBACK|IFF_RUNNING), then execs
# the build; done in Python so that no iproute2 is needed.
_LOOPBACK_UP = (
    "import fcntl, os, socket, struct, sys\n"
    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "fcntl.ioctl(s, 0x8914, struct.pack('16sH', b'lo', 0x1 | 0x8 | 0x40))\n"
    "os.execvp(sys.argv[1], sys.argv[1:])\n"
)


def verify_build():
    spec = importlib.util.spec_from_file_location("verify_build", ROOT / "tools" / "verify_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def offline_wrapper() -> tuple[list[str] | None, str]:
    """(command prefix that runs a program without network, description) or (None, why not)."""
    if shutil.which("unshare") is None:
        return None, "`unshare` (util-linux) is not installed"
    reasons = []
    for flags in (["-rn"], ["-n"]):
        prefix = ["unshare", *flags, sys.executable, "-c", _LOOPBACK_UP]
        probe = subprocess.run([*prefix, "true"], capture_output=True, text=True)
        if probe.returncode == 0:
            return prefix, f"unshare {' '.join(flags)} (new network namespace, loopback only)"
        reasons.append(f"unshare {' '.join(flags)}: {probe.stderr.strip() or probe.returncode}")
    return None, "no network namespace could be created (" + "; ".join(reasons) + ")"


@dataclass
class Build:
    folder: Path
    result: subprocess.CompletedProcess
    offline: bool
    env: dict

    @property
    def reports(self) -> Path:
        return self.folder / "reports"


@cache
def clean_builds() -> tuple[Build, Build]:
    vb = verify_build()
    work = Path(tempfile.mkdtemp(prefix="clean-builds-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    first = vb.copy_project(work / "first")
    second = work / "second-copy-elsewhere"
    shutil.copytree(first, second)
    only = os.environ.get("VERIFY_ONLY", "").split() or None
    env1 = {"TZ": "UTC", "LC_ALL": "C.UTF-8"}
    env2 = {"TZ": "Asia/Shanghai", "LC_ALL": "C"}
    wrap, _ = offline_wrapper()
    # The two builds share nothing but the read-only virtualenv, so they run side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        run1 = pool.submit(vb.build, first, env_extra=env1, only=only, quiet=True)
        run2 = pool.submit(vb.build, second, env_extra=env2, only=only, quiet=True, wrap=wrap)
        one = Build(first, run1.result(), False, env1)
        two = Build(second, run2.result(), wrap is not None, env2)
    return one, two


def failure_text(build: Build) -> str:
    return (
        f"build in {build.folder} failed ({build.result.returncode}):\n"
        f"{build.result.stdout[-3000:]}\n{build.result.stderr[-4000:]}"
    )
