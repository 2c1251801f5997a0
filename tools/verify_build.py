"""Rebuild the report from a clean copy of the project and compare it, byte for byte, with reports/.

    .venv/bin/python tools/verify_build.py              # clean build vs this tree's reports/ (make verify)
    .venv/bin/python tools/verify_build.py --twice      # two clean builds in two folders, compared
    .venv/bin/python tools/verify_build.py --against-committed   # clean build vs reports/ files in git HEAD
    .venv/bin/python tools/verify_build.py --twice --only fig_b1_wenzhou_execution   # quick check

The copy holds the tracked files (git ls-files) plus the working tree's changes (modified and new,
untracked-but-not-ignored files), with their modification times kept, so what is built is what a
fresh clone of the current work would give. It is built by `make report` with this tree's .venv:
`BIN` points at it, `SETUP` is marked old (`make -o`) so no set-up runs, and PYTHONPATH points at the
copy's src/ so the copy's package runs, not this tree's editable install. The copy lives in a folder
with another name, so any absolute path or clock time that leaks into an output shows as a
difference. Exit status: 0 when every file matches, 1 when any differs or is missing, 2 when the
clean build itself fails.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"


sys.path.insert(0, str(Path(__file__).resolve().parent))
from snapshot import copy_project, project_files  # noqa: E402,F401  one copier for verify and bench


def build_env(copy: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(copy / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("MAKEFLAGS", None)  # a parent make's -j/-n must not leak into the clean build
    env.pop("MFLAGS", None)
    env.pop("MAKELEVEL", None)  # else the Makefile takes it for a sub-make and sets no -j of its own
    env.update(extra or {})
    return env


def make_command(target: str = "report", venv: Path = VENV, only: list[str] | None = None) -> list[str]:
    """`make <target>` with this tree's virtualenv; `only` limits the report to those notebooks."""
    setup = venv / ".setup-done"
    command = ["make", target, f"BIN={venv / 'bin'}", f"VENV={venv}", f"SETUP={setup}", "-o", str(setup)]
    if only:
        command.append("NOTEBOOKS=" + " ".join(f"reports/notebooks/{n}.ipynb" for n in only))
    return command


def build(
    copy: Path,
    *,
    env_extra: dict[str, str] | None = None,
    venv: Path = VENV,
    target: str = "report",
    only: list[str] | None = None,
    quiet: bool = False,
    wrap: list[str] | None = None,
) -> subprocess.CompletedProcess:
    """Run `make report` in `copy` with this tree's virtualenv; return the completed process.
    `wrap` prefixes the command (e.g. a network namespace)."""
    result = subprocess.run(
        [*(wrap or []), *make_command(target, venv, only)],
        cwd=copy,
        env=build_env(copy, env_extra),
        capture_output=True,
        text=True,
    )
    if not quiet:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
    return result


def report_files(reports: Path) -> dict[str, str]:
    """sha256 of every generated file under `reports` (dotfiles such as .gitignore are sources)."""
    out = {}
    for path in sorted(reports.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            out[path.relative_to(reports).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def build_outputs(reports: Path) -> dict[str, str]:
    """`report_files`, limited to what a build writes: the files SHA256SUMS lists, and SHA256SUMS.
    Anything else in reports/ (a test's screenshot, a file someone dropped there) is named, not
    compared; a stale output of an earlier build is still caught, as SHA256SUMS lists it."""
    files = report_files(reports)
    sums = reports / "SHA256SUMS"
    if not sums.exists():
        return files
    listed = {line.split("  ", 1)[1] for line in sums.read_text(encoding="utf-8").splitlines() if "  " in line}
    for name in sorted(set(files) - listed - {"SHA256SUMS"}):
        print(f"[verify] not a build output, not compared: reports/{name}", flush=True)
    return {k: v for k, v in files.items() if k in listed or k == "SHA256SUMS"}


def compare(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """One line per file that differs, or exists on one side only."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            problems.append(f"missing from the clean build: {name}")
        elif name not in expected:
            problems.append(f"only in the clean build: {name}")
        elif expected[name] != actual[name]:
            problems.append(f"differs: {name}")
    return problems


def committed_reports(root: Path = ROOT) -> dict[str, str]:
    """sha256 of each file under reports/ as committed in HEAD (the rendered report, if tracked)."""
    out = subprocess.run(
        ["git", "ls-tree", "-r", "-z", "--name-only", "HEAD", "reports/"], cwd=root, capture_output=True, check=True
    ).stdout.decode("utf-8")
    hashes = {}
    for name in filter(None, out.split("\0")):
        rel = name[len("reports/") :]
        if Path(rel).name.startswith("."):
            continue
        blob = subprocess.run(["git", "show", f"HEAD:{name}"], cwd=root, capture_output=True, check=True).stdout
        hashes[rel] = hashlib.sha256(blob).hexdigest()
    return hashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--twice", action="store_true", help="compare two clean builds with each other")
    mode.add_argument(
        "--against-committed",
        action="store_true",
        help="compare with the reports/ files committed in HEAD (only those are compared)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary build folder(s)")
    parser.add_argument(
        "--target", default="report", help="make target to build (default: report; 'notebooks' skips HTML/PDF)"
    )
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="build the report from these notebooks only (names without .ipynb)"
    )
    args = parser.parse_args(argv)
    if (args.only or args.target != "report") and not args.twice:
        parser.error(
            "--only and --target build part of the report, which only another such build can "
            "match; use them with --twice"
        )

    if not (VENV / "bin" / "python").exists():
        print("error: .venv is missing; run `make setup` first", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="verify-build-"))
    try:
        # Both copies of --twice come from one snapshot, so edits made meanwhile cannot differ
        # between them. The second build runs in another time zone: a clock or local date leaking
        # into an output then shows as a difference.
        copies = [copy_project(work / f"copy1-{os.urandom(3).hex()}")]
        if args.twice:
            copies.append(work / f"copy2-{os.urandom(3).hex()}")
            shutil.copytree(copies[0], copies[1])
        builds = []
        for copy, tz in zip(copies, ["UTC", "Asia/Shanghai"]):
            print(f"[verify] clean build in {copy}", flush=True)
            result = build(copy, env_extra={"TZ": tz}, only=args.only, target=args.target)
            if result.returncode != 0:
                print(
                    f"error: the clean build failed (exit {result.returncode}); see the output above", file=sys.stderr
                )
                return 2
            builds.append(report_files(copy / "reports"))
        if args.twice:
            expected, label = builds[0], "the first clean build"
        elif args.against_committed:
            expected, label = committed_reports(), "reports/ in HEAD"
            if not expected:
                print("error: no generated file under reports/ is committed; nothing to compare", file=sys.stderr)
                return 1
            builds[0] = {k: v for k, v in builds[0].items() if k in expected}
        else:
            expected, label = build_outputs(ROOT / "reports"), "reports/"
        problems = compare(expected, builds[-1])
        if problems:
            print(f"[verify] {len(problems)} file(s) differ from {label}:", file=sys.stderr)
            for line in problems:
                print(f"  {line}", file=sys.stderr)
            if not args.twice and not args.against_committed:
                print("  (if reports/ is stale, run `make report` first)", file=sys.stderr)
            return 1
        print(f"[verify] {len(builds[-1])} files identical to {label}", flush=True)
        return 0
    finally:
        if args.keep:
            print(f"[verify] kept {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
