"""One way to copy the project's working tree, for the benchmark and for verify alike.

    from snapshot import copy_project      # tools/ on sys.path
    copy_project(dest)                     # tracked files + the working tree's changes
    copy_project(dest, committed=True)     # the last commit only

The copy holds the tracked files (git ls-files) plus new, not-ignored files, as they are in the
working tree (files deleted there are left out), with their modification times kept; or, with
`committed`, the files of HEAD as committed. The rendered report, tracked for reviewers, is an
output and is left out, so a build in the copy must make it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RENDERED = {"reports/report.html", "reports/report.pdf"}


def _git(root: Path, *args: str) -> list[str]:
    out = subprocess.run(["git", *args, "-z"], cwd=root, capture_output=True, check=True).stdout
    return [p for p in out.decode("utf-8").split("\0") if p]


def project_files(root: Path = ROOT, committed: bool = False) -> list[str]:
    """Project-relative paths of the snapshot (the rendered report excluded)."""
    if committed:
        names = set(_git(root, "ls-tree", "-r", "--name-only", "HEAD"))
        return sorted(n for n in names if n not in RENDERED)
    names = set(_git(root, "ls-files", "--cached")) | set(_git(root, "ls-files", "--others", "--exclude-standard"))
    return sorted(n for n in names if (root / n).is_file() and n not in RENDERED)


def copy_project(dest: Path, root: Path = ROOT, committed: bool = False) -> Path:
    """Copy the project's source files (not its generated outputs) to `dest`; return `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in project_files(root, committed):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if committed:
            blob = subprocess.run(["git", "show", f"HEAD:{name}"], cwd=root, capture_output=True, check=True).stdout
            target.write_bytes(blob)
            mode = _git(root, "ls-tree", "HEAD", "--", name)[0].split()[0]
            if mode == "100755":
                target.chmod(0o755)
        else:
            shutil.copy2(root / name, target)
    return dest
