"""Measure the build as a user meets it: whole processes, medians of several runs, peak memory.

    make bench                                     # everything, 3 runs (about 1 hour on 2 cores)
    make bench BENCH_ARGS="--runs 1 --skip setup"  # a quick pass (about 20 minutes)

Everything runs in temporary clones (git clone of this repository, the working tree's uncommitted
and untracked files copied over it), so the reports/ of the checkout you work in is never touched.
Two clones share this checkout's .venv through a folder of symlinks plus PYTHONPATH=<clone>/src
(the editable install points at this checkout; PYTHONPATH comes first on sys.path, so the clone's
own code runs). The set-up measurement makes a real .venv in a third clone per run.

Per run, interleaved so that the ratio to the plain way holds on a noisy machine:
  setup      a fresh clone, `make setup` (a real .venv; pip from the local wheel cache)
  cold       every generated file removed, plain `make report`
  noop       plain `make report` again, three times
  notebooks  each notebook alone (`make reports/notebooks/<name>.ipynb`, serial), split into
             runner overhead, kernel start/stop, imports and work; meanwhile
             open_trace/sitecustomize.py records the files each notebook reads and writes
  touch      a data file touched, plain `make report`; the notebooks re-executed (the runner's
             "[notebook] ... done" lines) must be exactly those that read the file or read
             an output of one that did (traced, transitively). Every
             data/**/*.csv in the first run, data/raw/paper_b_values.csv in every run (for a median)
  package    the same for report-only code (no notebook; every run) and an analysis module
             (exactly the notebooks whose imports load it; first run only)
  plain      the way without this project: jupytext .py -> .ipynb with the parameters cell edited
             to the Makefile's values (before the timing, which favours the plain way), then
             `jupyter nbconvert --execute --to html` on each notebook in turn and `weasyprint` on
             each HTML, in the cold build's completion order (a valid dependency order)

Peak memory is the largest sum of PSS (proportional set size: a page shared by n processes counts
1/n in each, so forked processes are not counted once per fork) over the measured processes,
polled from /proc every 0.1 s (a spike shorter than the poll interval can be missed), or, if larger,
the largest single RSS that wait4() reports for the tree (this covers commands that end before the
first poll, as long as they grow beyond the benchmark's own RSS, which a forked child inherits as
its starting high-water mark). The measured processes are make's tree and the build's warm
processes: the benchmark adopts orphans (PR_SET_CHILD_SUBREAPER), and the zygotes, which outlive
the runner that started them, stay below it; each measurement first stops those an earlier one left.
CPU seconds are make's own tree (wait4), without the kernels and runners the zygotes fork.

Writes reports/benchmarks.csv and benchmarks/notebook_times.csv, prints a table and names the
targets missed. Exit status: 0 when everything ran (targets missed or not), 1 when a measured
command failed; with --strict also 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJ_ROOT / "tools"))
from snapshot import copy_project  # noqa: E402  one copier for the benchmark and verify

RESULTS_CSV = PROJ_ROOT / "reports" / "benchmarks.csv"
NOTEBOOK_TIMES_CSV = PROJ_ROOT / "benchmarks" / "notebook_times.csv"
TRACE_DIR = PROJ_ROOT / "benchmarks" / "open_trace"  # the benchmark's own, also under --committed

RESULT_FIELDS = [
    "metric",
    "median_seconds",
    "runs",
    "peak_memory_mb",
    "target",
    "met",
    "notebooks_run",
    "cpu_seconds",
    "note",
]
NOTEBOOK_FIELDS = [
    "notebook",
    "median_seconds",
    "runs",
    "papermill_seconds",
    "runner_overhead_seconds",
    "kernel_start_seconds",
    "kernel_shutdown_seconds",
    "imports_seconds",
    "work_seconds",
]

# Targets of issue 17 (2 cores, medians).
NOOP_LIMIT_S = 0.05
TOUCH_LIMIT_S = 0.5
COLD_RATIO_LIMIT = 0.2  # cold build / the plain nbconvert way
COLD_LIMIT_S = 40.0  # cold build, all notebooks, plain `make report`
PEER_COLD_RATIO_LIMIT = 0.5  # cold build / ploomber, same notebooks
PEAK_LIMIT_MB = 1536.0
SETUP_LIMIT_S = 75.0  # fresh clone: set-up and build
TIMED_DATA_FILE = "data/raw/paper_b_values.csv"  # touched in every run; the others in the first
POLL_S = 0.1
PHASES = ("setup", "cold", "noop", "touch", "package", "notebooks", "plain", "peers")
KERNEL = "outsourcing-repro"

# Variables a parent make exports; a child make in a clone must not inherit the jobserver or -j.
MAKE_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKE_TERMOUT", "MAKE_TERMERR", "MAKEFILES")


# ---------------------------------------------------------------------------------------------
# Parsing and statistics (pure; tested in tests/test_bench.py)

_DONE = re.compile(r"^\[notebook\] (?P<source>\S+) done in (?P<seconds>[\d.]+) s -> (?P<output>\S+)\s*$")
_START = re.compile(r"^\[notebook\] (?P<source>\S+) \.\.\.\s*$")
_REPORT = re.compile(r"^\[report\] wrote ")


def done_notebooks(text: str) -> list[str]:
    """Names of the executed notebooks the runner finished, from its "[notebook] SOURCE done in S s
    -> OUTPUT" lines. The name is OUTPUT's: one source may run once per series under many names."""
    return [Path(m["output"]).stem for line in text.splitlines() if (m := _DONE.match(line))]


def done_seconds(text: str) -> list[str]:
    """The seconds of each "[notebook] ... done in S s" line, in order."""
    return [m["seconds"] for line in text.splitlines() if (m := _DONE.match(line))]


def started_notebooks(text: str) -> list[str]:
    """Sources of the runner's "[notebook] SOURCE ..." start lines (the output is not printed there)."""
    return [m["source"] for line in text.splitlines() if (m := _START.match(line))]


def report_built(text: str) -> bool:
    return any(_REPORT.match(line) for line in text.splitlines())


def max_concurrency(lines: list[tuple[float, str]]) -> int:
    """Most notebooks running at once, from time-stamped runner "done in N s" lines: each notebook
    ran from (arrival - N) to its arrival. Start lines are no clock: the Makefile's --output-sync
    prints a notebook's start line together with its done line, when the notebook ends."""
    events = []
    for stamp, line in lines:
        if m := _DONE.match(line):
            events += [(stamp - float(m["seconds"]), 1), (stamp, -1)]
    running = most = 0
    for _, step in sorted(events):  # at one instant an end (-1) sorts before a start (+1)
        running += step
        most = max(most, running)
    return most


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def parse_proc_stat(text: str) -> tuple[int, int, int]:
    """(pid, ppid, rss in pages) from a /proc/<pid>/stat line. The command name sits in
    parentheses and may itself hold spaces and parentheses, so split at the last ')'."""
    head, _, rest = text.rpartition(")")
    pid = int(head.split("(", 1)[0])
    fields = rest.split()
    # rest starts at field 3 (state); ppid is field 4, rss field 24 (man 5 proc).
    return pid, int(fields[1]), int(fields[21])


def descendants(root: int, parent_of: dict[int, int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid in parent_of.items():
        children.setdefault(ppid, []).append(pid)
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def readers_of(data_file: str, parameters: dict[str, dict]) -> set[str]:
    """Notebooks whose executed parameters name `data_file` or a folder holding it."""
    target = Path(data_file)
    readers = set()
    for name, params in parameters.items():
        for value in params.values():
            if not isinstance(value, str) or not value:
                continue
            given = Path(value)
            if given == target or given in target.parents:
                readers.add(name)
    return readers


def import_snippet(source: str) -> str:
    """The top-level import statements of a notebook (jupytext percent .py), as one snippet."""
    tree = ast.parse(source)
    return "\n".join(
        ast.unparse(node)
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
    )


def fmt(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "no")


# ---------------------------------------------------------------------------------------------
# Measuring a process tree


@dataclass
class Measured:
    command: list[str]
    seconds: float
    peak_memory_mb: float
    returncode: int
    lines: list[tuple[float, str]] = field(default_factory=list)
    cpu_seconds: float | None = None  # user + system time of the tree's waited-for processes

    @property
    def output(self) -> str:
        return "\n".join(line for _, line in self.lines)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def process_table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, rss pages) for every process visible in /proc."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as fh:
                pid, ppid, rss = parse_proc_stat(fh.read())
        except (OSError, ValueError, IndexError):
            continue  # the process ended between listing and reading
        table[pid] = (ppid, rss)
    return table


PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


_ADOPTING = False  # set by become_subreaper: the warm processes are then ours to count and to stop


def become_subreaper() -> bool:
    """Adopt the measured builds' orphans (Linux PR_SET_CHILD_SUBREAPER). The build's warm processes
    (outsourcing_repro.warm: the zygotes, and the kernels and runners they fork) outlive the runner
    that started them, so they leave make's process tree; adopted, they stay in this one, and their
    memory is counted with the build's."""
    global _ADOPTING
    try:
        import ctypes

        _ADOPTING = ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        _ADOPTING = False
    return _ADOPTING


def pss_mb(pid: int, rss_pages: int) -> float:
    """A process's proportional set size (Linux smaps_rollup): its private memory plus its share of
    pages it shares. Forked processes (the warm kernels) share most of their pages, which summed RSS
    would count once per process. Its RSS where smaps_rollup cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return rss_pages * PAGE_MB


def build_memory_mb(command_pid: int) -> float:
    """Summed PSS of the measured command's process tree. Where this process adopts orphans
    (become_subreaper), of every process below it instead: the command's tree and the warm processes
    it started (measurements run one at a time)."""
    me = os.getpid()
    table = process_table()
    parents = {pid: ppid for pid, (ppid, _) in table.items()}
    tree = descendants(me, parents) - {me} if _ADOPTING else descendants(command_pid, parents)
    return sum(pss_mb(pid, table[pid][1]) for pid in tree if pid in table)


def end_leftovers(timeout: float = 10.0) -> None:
    """Stop what an earlier measurement left running (idle warm processes, which would otherwise
    serve the next build and be counted in its memory), and reap every adopted process that ended.
    Only where this process adopts orphans: otherwise what runs below it is not the bench's."""
    if not _ADOPTING:
        return
    me = os.getpid()
    table = process_table()
    left = descendants(me, {pid: ppid for pid, (ppid, _) in table.items()}) - {me}
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while left and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        left = {pid for pid in left if os.path.exists(f"/proc/{pid}")}
        time.sleep(0.02)


def run_measured(
    command: list[str], cwd: Path, env: dict[str, str], poll: float = POLL_S, echo: bool = False
) -> Measured:
    """Run `command`, returning wall seconds (start to exit), the peak summed PSS of its process
    tree (with the warm processes it started), its exit status and its output lines stamped with
    seconds since the start. CPU seconds are those of make's own tree (wait4): the kernels and
    runners the warm processes fork are not in it."""
    end_leftovers()
    lines: list[tuple[float, str]] = []
    start = time.perf_counter()
    # Its own process group, so an interrupted benchmark can stop the whole tree it started.
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        errors="replace",
        start_new_session=True,
    )
    finished = threading.Event()
    peak = [0.0]

    def read() -> None:
        for line in proc.stdout:
            lines.append((time.perf_counter() - start, line.rstrip("\n")))
            if echo:
                print("    | " + line.rstrip("\n"), flush=True)

    def watch() -> None:
        while not finished.is_set():
            peak[0] = max(peak[0], build_memory_mb(proc.pid))
            finished.wait(poll)

    reader = threading.Thread(target=read, daemon=True)
    watcher = threading.Thread(target=watch, daemon=True)
    reader.start()
    watcher.start()
    # wait4 rather than wait: its rusage holds the largest RSS of the child or of any descendant
    # it waited for, which catches a process too short-lived for the poll.
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:  # Ctrl-C or SIGTERM: take the measured tree down with us
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        raise
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    finished.set()
    watcher.join()
    reader.join()
    # ru_maxrss (KiB) starts from this process's own high-water mark, handed over at fork/exec;
    # only a figure above it says something about the command.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = max(peak[0], usage.ru_maxrss / 1024 if usage.ru_maxrss > own else 0.0)
    return Measured(command, seconds, peak_mb, proc.returncode, lines, usage.ru_utime + usage.ru_stime)


# ---------------------------------------------------------------------------------------------
# Temporary clones


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in MAKE_ENV and k != "PYTHONPATH"}
    env.update(extra or {})
    return env


def link_venv(src_venv: Path, dest_venv: Path) -> None:
    """A .venv folder of symlinks into the shared one, with its own set-up stamp: the clone's
    `make` then sees set-up as done and never runs pip against the shared environment."""
    dest_venv.mkdir()
    for entry in src_venv.iterdir():
        if entry.name != ".setup-done":
            (dest_venv / entry.name).symlink_to(entry)
    (dest_venv / ".setup-done").touch()


def make_clone(src: Path, workdir: Path, name: str, shared_venv: bool, committed: bool = False) -> Path:
    home = workdir / name
    home.mkdir(parents=True)
    # config.SEEDS_DIR is PROJ_ROOT.parent / "shared"; give the clone the same neighbour.
    if (src.parent / "shared").exists():
        (home / "shared").symlink_to(src.parent / "shared")
    dest = copy_project(home / src.name, src, committed=committed)
    if shared_venv:
        link_venv(src / ".venv", dest / ".venv")
        probe = subprocess.run(["make", "-q", ".venv/.setup-done"], cwd=dest, env=clean_env(), capture_output=True)
        if probe.returncode != 0:
            raise SystemExit(f"bench: {dest}: make thinks set-up is due; refusing to run pip against the shared .venv")
    return dest


def remove_outputs(clone: Path) -> None:
    """Everything generated, so the next build is cold: reports/ except the .gitignore files, build/."""
    for path in sorted((clone / "reports").rglob("*"), reverse=True):
        if path.is_file() and path.name != ".gitignore":
            path.unlink()
    shutil.rmtree(clone / "build", ignore_errors=True)


def make_variable(clone: Path, env: dict[str, str], name: str) -> list[str]:
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", f"__bench_print: ; @echo $({name})", "__bench_print"],
        cwd=clone,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()


def executed_notebooks(clone: Path) -> dict[str, dict]:
    """name -> {"source", "parameters"} as the runner recorded them in each executed notebook."""
    found = {}
    for path in sorted((clone / "reports" / "notebooks").glob("*.ipynb")):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("outsourcing_repro", {})
        found[path.stem] = {
            "source": meta.get("source", f"notebooks/{path.stem}.py"),
            "parameters": meta.get("parameters", {}),
        }
    return found


TRACED_FOLDERS = ("data/", "reports/")  # inputs and outputs; build/ staging files are private


def traced_io(log: Path, root: Path) -> tuple[set[str], set[str]]:
    """(read, written) project-relative paths under data/ and reports/ in an open-trace log
    (benchmarks/open_trace/sitecustomize.py)."""
    found: dict[str, set[str]] = {"r": set(), "w": set()}
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            kind, _, path = line.partition(" ")
            try:
                rel = Path(path).relative_to(root).as_posix()
            except ValueError:
                continue
            if kind in found and rel.startswith(TRACED_FOLDERS):
                found[kind].add(rel)
    return found["r"], found["w"]


def affected_by(path: str, reads: dict[str, set[str]], writes: dict[str, set[str]]) -> set[str]:
    """Notebooks that read `path`, then those that read what they write, and so on: what a correct
    build must re-execute when `path` changes."""
    changed, affected = {path}, set()
    while True:
        new = {name for name, read in reads.items() if name not in affected and read & changed}
        if not new:
            return affected
        affected |= new
        for name in new:
            changed |= writes.get(name, set())


def nbconvert_each(folder: Path, names: list[str]) -> list[str]:
    """The plain way to run notebooks: `jupyter nbconvert --execute --to html` on <name>.ipynb in
    `folder`, one after another, stopping at the first that fails."""
    bin_dir = folder / ".venv" / "bin"
    return [
        "bash",
        "-c",
        "set -e; for nb in "
        + " ".join(f"{n}.ipynb" for n in names)
        + f"; do {bin_dir}/jupyter nbconvert --execute --to html "
        f'--ExecutePreprocessor.kernel_name={KERNEL} "$nb"; done',
    ]


def plain_notebook(source_text: str, parameters: dict):
    """The notebook a user would run by hand: the .py converted with jupytext and its parameters
    cell edited to the values the Makefile passes (nbconvert cannot pass parameters)."""
    import jupytext

    nb = jupytext.reads(source_text, fmt="py:percent")
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    return nb


# ---------------------------------------------------------------------------------------------
# The benchmark


@dataclass
class Metric:
    name: str
    target: str = ""
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    notebooks_run: str = ""
    met: list[bool] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, m: Measured, ok: bool | None = None, note: str = "") -> None:
        if not m.ok:
            tail = " / ".join(line.strip() for _, line in m.lines[-4:])
            self.errors.append(f"exit {m.returncode}: {tail}")
            return
        self.seconds.append(m.seconds)
        self.peaks.append(m.peak_memory_mb)
        if m.cpu_seconds is not None:
            self.cpu.append(m.cpu_seconds)
        if ok is not None:
            self.met.append(ok)
        if note and note not in self.notes:
            self.notes.append(note)

    def row(self) -> dict[str, str]:
        if self.errors:
            met = "error"
        elif not self.target or not self.met:
            met = ""
        else:
            met = verdict(all(self.met))
        notes = self.notes + [f"ERROR {e}" for e in self.errors[:1]]
        return {
            "metric": self.name,
            "median_seconds": fmt(median(self.seconds), 3),
            "runs": str(len(self.seconds)),
            "peak_memory_mb": fmt(max(self.peaks, default=None), 0),
            "target": self.target,
            "met": met,
            "notebooks_run": self.notebooks_run,
            "cpu_seconds": fmt(median(self.cpu), 1),
            "note": "; ".join(notes),
        }


class Bench:
    def __init__(self, args, workdir: Path):
        self.args = args
        self.workdir = workdir
        self.metrics: dict[str, Metric] = {}
        self.nb_seconds: dict[str, list[float]] = {}
        self.nb_papermill: dict[str, list[float]] = {}
        self.nb_imports: dict[str, list[float]] = {}
        self.kernel: list[tuple[float, float]] = []
        self.reads: dict[str, set[str]] = {}  # notebook -> files under data/, reports/ it read (traced)
        self.writes: dict[str, set[str]] = {}  # ... and wrote
        self.order: list[str] = []  # a dependency order: the cold build's completion order
        self.executed: dict[str, dict] = {}
        self.failed = False
        self.ploomber: Path | None = None
        self.peer_items: list[dict] = []

    def metric(self, name: str, target: str = "") -> Metric:
        if name not in self.metrics:
            self.metrics[name] = Metric(name, target)
        return self.metrics[name]

    def log(self, text: str) -> None:
        print(f"[bench] {text}", flush=True)

    def run(self, command, cwd, env, what: str) -> Measured:
        m = run_measured(command, cwd, env, echo=self.args.verbose)
        status = "ok" if m.ok else f"FAILED (exit {m.returncode})"
        self.log(f"{what}: {m.seconds:.2f} s, peak {m.peak_memory_mb:.0f} MB, {status}")
        if not m.ok:
            self.failed = True
            for _, line in m.lines[-15:]:
                print(f"    | {line}", flush=True)
        return m

    def make_report(self) -> list[str]:
        # Plain `make report`: parallel on every core by default. --output-sync=line: each recipe
        # line's output is printed as it ends, whole, so progress lines keep their timestamps.
        jobs = [f"-j{self.args.jobs}"] if self.args.jobs else []
        return ["make", *jobs, "--output-sync=line", "report"]

    # -- phases ----------------------------------------------------------------------------

    def setup(self, run: int) -> None:
        clone = make_clone(PROJ_ROOT, self.workdir, f"setup{run}", shared_venv=False, committed=self.args.committed)
        try:
            m = self.run(["make", "setup"], clone, clean_env(), "set-up from a fresh clone")
            self.metric("setup_fresh_clone").add(
                m, None, "venv + uv pip install -r requirements.lock (warm uv cache) + editable install + kernel"
            )
            build = self.run(self.make_report(), clone, clean_env(), "first build in the fresh clone")
            total = Measured(
                m.command + build.command,
                m.seconds + build.seconds,
                max(m.peak_memory_mb, build.peak_memory_mb),
                build.returncode,
                build.lines,
                (m.cpu_seconds or 0) + (build.cpu_seconds or 0),
            )
            self.metric("fresh_clone_make_report", f"<= {SETUP_LIMIT_S:.0f} s (set-up and build)").add(
                total, total.seconds <= SETUP_LIMIT_S, "copy of the tree, then `make report`: set-up, then build"
            )
        finally:
            shutil.rmtree(clone.parent, ignore_errors=True)

    def cold(self, clone: Path, env, notebooks: list[str]) -> bool:
        remove_outputs(clone)
        m = self.run(self.make_report(), clone, env, "cold build")
        done = done_notebooks(m.output)
        expected = [Path(n).stem for n in notebooks]
        metric = self.metric("cold_build", f"<= {COLD_LIMIT_S:.0f} s and <= {COLD_RATIO_LIMIT} x plain_way_total")
        metric.notebooks_run = f"{len(done)}/{len(expected)}"
        metric.add(
            m,
            None,
            f"{' '.join(self.make_report())} from no outputs; at most {max_concurrency(m.lines)} notebooks at once",
        )
        if sorted(done) == sorted(expected) and not self.order:
            # Every notebook ran: enough for the plain way, even if the report then failed.
            self.order = done
            self.executed = executed_notebooks(clone)
        if not m.ok:
            return False
        if sorted(done) != sorted(expected) or not report_built(m.output):
            metric.errors.append(f"ran {sorted(done)}, expected {sorted(expected)} and the report")
            self.failed = True
            return False
        return True

    def noop(self, clone: Path, env) -> None:
        metric = self.metric("noop_rebuild", f"< {NOOP_LIMIT_S} s, no notebook, no report")
        for _ in range(self.args.noop_repeats):
            m = self.run(self.make_report(), clone, env, "no-op build")
            started = started_notebooks(m.output)
            metric.notebooks_run = str(len(started))
            metric.add(m, m.seconds < NOOP_LIMIT_S and not started and not report_built(m.output))

    def per_notebook(self, clone: Path, env, notebooks: list[str]) -> None:
        """Each notebook alone, serially, with its reads and writes under data/ and reports/ traced."""
        python = str(clone / ".venv" / "bin" / "python")
        trace_dir = self.workdir / "trace"
        trace_dir.mkdir(exist_ok=True)
        for target in notebooks:
            name = Path(target).stem
            log = trace_dir / f"{name}.log"
            log.unlink(missing_ok=True)
            traced_env = dict(
                env,
                PYTHONPATH=f"{env['PYTHONPATH']}{os.pathsep}{TRACE_DIR}",
                BENCH_TRACE_ROOT=str(clone),
                BENCH_TRACE_LOG=str(log),
            )
            (clone / target).unlink(missing_ok=True)
            m = self.run(["make", target], clone, traced_env, f"notebook {name} alone")
            if m.ok and done_notebooks(m.output) == [name]:
                self.nb_seconds.setdefault(name, []).append(m.seconds)
                # The runner's own "done in" time: papermill from kernel start to the last cell.
                seconds = next(float(x) for x in done_seconds(m.output))
                self.nb_papermill.setdefault(name, []).append(seconds)
                self.reads[name], self.writes[name] = traced_io(log, clone)
            source = self.executed.get(name, {}).get("source", f"notebooks/{name}.py")
            snippet = import_snippet((clone / source).read_text(encoding="utf-8"))
            # The kernel has IPython and ipykernel loaded before the first cell; so does this probe.
            probe = (
                "import time, IPython, ipykernel.ipkernel\nt = time.perf_counter()\n"
                f"exec({snippet!r})\nprint(time.perf_counter() - t)"
            )
            out = subprocess.run([python, "-c", probe], cwd=clone, env=env, capture_output=True, text=True)
            if out.returncode == 0:
                self.nb_imports.setdefault(name, []).append(float(out.stdout.split()[-1]))
        self.components(clone, env)
        # Bring the report up to date again (not timed), so the touch phase starts from a clean state.
        subprocess.run(self.make_report(), cwd=clone, env=env, capture_output=True)

    def components(self, clone: Path, env) -> None:
        """What a notebook pays besides its own work: interpreter start, the runner's imports,
        a kernel start and stop, the package's imports."""
        python = str(clone / ".venv" / "bin" / "python")
        probes = {
            "component:interpreter_start": [python, "-c", "pass"],
            "component:runner_imports": [python, "-c", "import papermill, jupytext, nbformat"],
            "component:package_imports": [
                python,
                "-c",
                "from outsourcing_repro import dataset, metrics, plotting, present, values",
            ],
        }
        for name, command in probes.items():
            m = self.run(command, clone, env, name)
            self.metric(name).add(m, None, "whole process: python -c '" + command[-1] + "'")
        kernel_probe = (
            "import json, time\nfrom jupyter_client.manager import start_new_kernel\n"
            f"t0 = time.perf_counter(); km, kc = start_new_kernel(kernel_name={KERNEL!r})\n"
            "kc.execute_interactive('pass', timeout=60); t1 = time.perf_counter()\n"
            "kc.stop_channels(); km.shutdown_kernel(now=False); t2 = time.perf_counter()\n"
            "print(json.dumps([t1 - t0, t2 - t1]))"
        )
        out = subprocess.run([python, "-c", kernel_probe], cwd=clone, env=env, capture_output=True, text=True)
        if out.returncode == 0:
            start, stop = json.loads(out.stdout.strip().splitlines()[-1])
            self.kernel.append((start, stop))
            self.log(f"kernel start {start:.2f} s, shutdown {stop:.2f} s")

    def touch_and_rebuild(
        self,
        clone: Path,
        env,
        rel: str,
        metric_name: str,
        expected: set[str],
        expected_how: str,
        report_expected: bool,
        edit: bool = False,
    ) -> None:
        """Touch `rel` (bytes unchanged) or, with `edit`, append a comment line to it; rebuild and
        compare the notebooks that ran with `expected`. An edit is undone afterwards (untimed)."""
        path = clone / rel
        original = path.read_bytes()
        if edit:
            path.write_bytes(original + b"\n# benchmark edit\n")
        else:
            os.utime(path)  # mtime now, as an editor that saves unchanged bytes leaves it
        m = self.run(self.make_report(), clone, env, f"rebuild after {'editing' if edit else 'touching'} {rel}")
        ran = set(done_notebooks(m.output))
        then = "then the report" if report_expected else "no report"
        limit = f", <= {TOUCH_LIMIT_S} s" if not edit else ""
        metric = self.metric(
            metric_name, f"re-executes exactly the {len(expected)} notebooks {expected_how}, {then}{limit}"
        )
        metric.notebooks_run = f"{len(ran)}/{len(expected)}"
        note = (
            ""
            if ran == expected
            else (
                f"extra: {' '.join(sorted(ran - expected)) or '-'}; missing: {' '.join(sorted(expected - ran)) or '-'}"
            )
        )
        ok = ran == expected and report_built(m.output) == report_expected
        metric.add(m, ok and (edit or m.seconds <= TOUCH_LIMIT_S), note)
        if edit:
            path.write_bytes(original)
            subprocess.run(self.make_report(), cwd=clone, env=env, capture_output=True)

    def touches(self, clone: Path, env, every_file: bool) -> None:
        """Touch one data file (every run, for the timing) or every data file (the first run): with
        its bytes unchanged, nothing may rerun and the report is not rebuilt."""
        data_files = sorted(p.relative_to(clone).as_posix() for p in (clone / "data").rglob("*.csv"))
        if not every_file:
            data_files = [f for f in data_files if f == TIMED_DATA_FILE] or data_files[:1]
        for rel in data_files:
            self.touch_and_rebuild(
                clone, env, rel, f"touch_data:{rel}", set(), "(bytes unchanged)", report_expected=False
            )

    def importers(self, clone: Path, env, module: str) -> set[str]:
        """Executed notebooks whose imports load `module`, found by importing them (not from make)."""
        python = str(clone / ".venv" / "bin" / "python")
        found = set()
        for name, entry in self.executed.items():
            snippet = import_snippet((clone / entry["source"]).read_text(encoding="utf-8"))
            probe = f"import sys\nexec({snippet!r})\nprint({module!r} in sys.modules)"
            out = subprocess.run([python, "-c", probe], cwd=clone, env=env, capture_output=True, text=True)
            if out.stdout.strip().endswith("True"):
                found.add(name)
        return found

    def package_touches(self, clone: Path, env, analysis_too: bool) -> None:
        """Report-only code every run; an analysis module (its importers rerun) in the first run."""
        self.touch_and_rebuild(
            clone,
            env,
            "src/outsourcing_repro/report.py",
            "edit_report_code",
            set(),
            "(report-only code)",
            report_expected=True,
            edit=True,
        )
        if analysis_too and self.executed:
            rel = "src/outsourcing_repro/paper_b.py"
            found = self.importers(clone, env, "outsourcing_repro.paper_b")
            self.touch_and_rebuild(
                clone,
                env,
                rel,
                "edit_analysis_module",
                found,
                "whose imports load it (probed)",
                report_expected=True,
                edit=True,
            )

    def peers(self, make_dir: Path, pl_dir: Path, plain_dir: Path, run: int) -> None:
        """make, ploomber and the plain way on the same notebooks: cold, no-op, touch, edit."""
        import peers

        items = self.peer_items
        targets = [e["executed"] for e in items]
        env_make = clean_env({"PYTHONPATH": str(make_dir / "src")})
        env_pl = clean_env(
            {"PYTHONPATH": str(pl_dir / "src"), "JUPYTER_PATH": str(PROJ_ROOT / ".venv" / "share" / "jupyter")}
        )
        ploomber = [str(self.ploomber / "bin" / "ploomber"), "build"]
        make = ["make", "--output-sync=line", *targets]
        n = len(items)

        def record(tool: str, measure: str, m: Measured, ran: int) -> None:
            metric = self.metric(f"peers:{measure}:{tool}")
            metric.notebooks_run = f"{ran}/{n}"
            metric.add(m, None if m.ok else False)

        # cold
        for d in (make_dir, pl_dir):
            remove_outputs(d)
        m = self.run(make, make_dir, env_make, f"peers cold: make ({n} notebooks)")
        record("make", "cold", m, len(done_notebooks(m.output)))
        p = self.run(ploomber, pl_dir, env_pl, f"peers cold: ploomber ({n} notebooks)")
        record("ploomber", "cold", p, len(peers.ploomber_ran(p.output)))
        if run == 1 or "plain" not in self.args.skip:
            self.plain_subset(plain_dir, items)
        # no-op
        m = self.run(make, make_dir, env_make, "peers no-op: make")
        record("make", "noop", m, len(done_notebooks(m.output)))
        p = self.run(ploomber, pl_dir, env_pl, "peers no-op: ploomber")
        record("ploomber", "noop", p, len(peers.ploomber_ran(p.output)))
        # touch: bytes unchanged
        for d in (make_dir, pl_dir):
            os.utime(d / peers.TOUCHED)
        m = self.run(make, make_dir, env_make, f"peers touch {peers.TOUCHED}: make")
        record("make", "touch", m, len(done_notebooks(m.output)))
        p = self.run(ploomber, pl_dir, env_pl, f"peers touch {peers.TOUCHED}: ploomber")
        record("ploomber", "touch", p, len(peers.ploomber_ran(p.output)))
        # edit: a package module every one of these notebooks imports
        originals = {}
        for d in (make_dir, pl_dir):
            originals[d] = (d / peers.EDITED).read_bytes()
            (d / peers.EDITED).write_bytes(originals[d] + b"\n# benchmark edit\n")
        m = self.run(make, make_dir, env_make, f"peers edit {peers.EDITED}: make")
        record("make", "edit", m, len(done_notebooks(m.output)))
        p = self.run(ploomber, pl_dir, env_pl, f"peers edit {peers.EDITED}: ploomber")
        record("ploomber", "edit", p, len(peers.ploomber_ran(p.output)))
        for d, data in originals.items():
            (d / peers.EDITED).write_bytes(data)

    def plain_subset(self, plain_dir: Path, items: list[dict]) -> None:
        import jupytext

        remove_outputs(plain_dir)
        for e in items:
            nb = plain_notebook((plain_dir / e["source"]).read_text(encoding="utf-8"), e["params"])
            jupytext.write(nb, plain_dir / f"{e['name']}.ipynb")
        m = self.run(
            nbconvert_each(plain_dir, [e["name"] for e in items]),
            plain_dir,
            clean_env({"PYTHONPATH": str(plain_dir / "src")}),
            f"peers cold: plain nbconvert ({len(items)} notebooks)",
        )
        metric = self.metric("peers:cold:plain")
        metric.notebooks_run = f"{len(items)}/{len(items)}"
        metric.add(m, None if m.ok else False)

    def peer_ratios(self) -> None:
        """Pair-by-pair ratios of the medians, make first, into the make metrics' notes."""
        for measure in ("cold", "noop", "touch", "edit"):
            mine = self.metrics.get(f"peers:{measure}:make")
            for tool in ("ploomber", "plain"):
                other = self.metrics.get(f"peers:{measure}:{tool}")
                if mine and other and mine.seconds and other.seconds and median(other.seconds):
                    ratio = median(mine.seconds) / median(other.seconds)
                    mine.notes.append(f"{ratio:.2f}x {tool}")
                    if measure == "cold" and tool == "ploomber":
                        mine.met = [ratio <= PEER_COLD_RATIO_LIMIT]
                        mine.target = f"<= {PEER_COLD_RATIO_LIMIT} x ploomber"

    def plain(self, clone: Path, env) -> None:
        import jupytext

        remove_outputs(clone)
        names = self.order
        for name in names:
            for suffix in (".ipynb", ".html", ".pdf"):
                (clone / f"{name}{suffix}").unlink(missing_ok=True)
        # Not timed (it favours the plain way): .py -> .ipynb in the project root, so each notebook
        # runs with the root as its working folder, as under the runner.
        for name in names:
            entry = self.executed[name]
            nb = plain_notebook((clone / entry["source"]).read_text(encoding="utf-8"), entry["parameters"])
            jupytext.write(nb, clone / f"{name}.ipynb")
        bin_dir = clone / ".venv" / "bin"
        execute = self.run(
            nbconvert_each(clone, names),
            clone,
            env,
            "plain way: nbconvert --execute --to html, one by one",
        )
        pdf = self.run(
            [
                "bash",
                "-c",
                "set -e; for h in "
                + " ".join(f"{n}.html" for n in names)
                + f'; do {bin_dir}/weasyprint "$h" "${{h%.html}}.pdf"; done',
            ],
            clone,
            env,
            "plain way: weasyprint on each HTML",
        )
        self.metric("plain_way_execute_html").add(execute, None, "jupyter nbconvert --execute --to html, serial")
        self.metric("plain_way_pdf").add(pdf, None, "weasyprint on each HTML, serial")
        if execute.ok and pdf.ok:
            total = Measured(
                execute.command + pdf.command,
                execute.seconds + pdf.seconds,
                max(execute.peak_memory_mb, pdf.peak_memory_mb),
                0,
                [],
                execute.cpu_seconds + pdf.cpu_seconds,
            )
            metric = self.metric("plain_way_total")
            metric.notebooks_run = str(len(names))
            metric.add(total, None, "execute + PDF; the jupytext conversion is done before, untimed")

    # -- results ---------------------------------------------------------------------------

    def finish_targets(self) -> None:
        cold, plain = self.metrics.get("cold_build"), self.metrics.get("plain_way_total")
        if cold and plain and cold.seconds and plain.seconds:
            ratio = median(cold.seconds) / median(plain.seconds)
            cold.met = [ratio <= COLD_RATIO_LIMIT and median(cold.seconds) <= COLD_LIMIT_S]
            cold.notes.append(f"ratio to the plain way {ratio:.2f}")
            if cold.cpu and plain.cpu:
                cold.notes.append(f"CPU-time ratio {median(cold.cpu) / median(plain.cpu):.2f}")
        elif cold:
            cold.notes.append("plain way not measured: ratio unknown")
        project = [m for n, m in self.metrics.items() if not n.startswith(("plain_", "component:")) and m.peaks]
        if project:
            worst = max(project, key=lambda m: max(m.peaks))
            top = max(worst.peaks)
            self.metrics["peak_memory"] = Metric(
                "peak_memory",
                f"< {PEAK_LIMIT_MB:.0f} MB (summed PSS of the build's processes, warm ones included)",
                peaks=[top],
                met=[top < PEAK_LIMIT_MB],
                notes=[f"largest in {worst.name}"],
            )

    def notebook_rows(self) -> list[dict[str, str]]:
        k_start = median(s for s, _ in self.kernel)
        k_stop = median(s for _, s in self.kernel)
        rows = []
        for name in sorted(self.nb_seconds):
            process, papermill = median(self.nb_seconds[name]), median(self.nb_papermill[name])
            imports = median(self.nb_imports.get(name, []))
            work = None
            if None not in (k_start, k_stop, imports):
                work = max(papermill - k_start - k_stop - imports, 0.0)
            rows.append(
                {
                    "notebook": name,
                    "median_seconds": fmt(process),
                    "runs": str(len(self.nb_seconds[name])),
                    "papermill_seconds": fmt(papermill),
                    "runner_overhead_seconds": fmt(process - papermill),
                    "kernel_start_seconds": fmt(k_start),
                    "kernel_shutdown_seconds": fmt(k_stop),
                    "imports_seconds": fmt(imports),
                    "work_seconds": fmt(work),
                }
            )
        return rows


def write_csv(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def format_table(rows: list[dict[str, str]], columns: list[str]) -> str:
    widths = {c: max(len(c), *(len(r.get(c, "")) for r in rows)) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns).rstrip(), "  ".join("-" * widths[c] for c in columns)]
    lines += ["  ".join(r.get(c, "").ljust(widths[c]) for c in columns).rstrip() for r in rows]
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median; default 3)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="make -j for the project's builds (default: none, make's own default: every core)",
    )
    parser.add_argument("--noop-repeats", type=int, default=3, help="no-op builds per run (default 3)")
    parser.add_argument("--skip", default="", help=f"comma-separated phases to skip: {', '.join(PHASES)}")
    parser.add_argument(
        "--committed", action="store_true", help="benchmark the last commit only, without the working tree's changes"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary clones")
    parser.add_argument("--no-write", action="store_true", help="print only; leave the CSV files alone")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--verbose", action="store_true", help="echo the measured commands' output")
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s) in --skip: {', '.join(sorted(unknown))}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    # SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C, so the clones are removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    become_subreaper()
    workdir = Path(tempfile.mkdtemp(prefix="outsourcing-bench-"))
    bench = Bench(args, workdir)
    load_start = os.getloadavg()[0]
    bench.log(f"temporary clones in {workdir}; {os.cpu_count()} cores; load {load_start:.2f}")
    try:
        make_dir = make_clone(PROJ_ROOT, workdir, "make", shared_venv=True, committed=args.committed)
        plain_dir = (
            make_clone(PROJ_ROOT, workdir, "plain", shared_venv=True, committed=args.committed)
            if "plain" not in args.skip
            else None
        )
        env = clean_env({"PYTHONPATH": str(make_dir / "src")})
        notebooks = make_variable(make_dir, env, "NOTEBOOKS")
        if "peers" not in args.skip:
            import peers

            bench.ploomber = peers.ploomber_venv()
            peer_make = make_clone(PROJ_ROOT, workdir, "peer-make", shared_venv=True, committed=args.committed)
            peer_pl = make_clone(PROJ_ROOT, workdir, "peer-ploomber", shared_venv=True, committed=args.committed)
            peer_plain = make_clone(PROJ_ROOT, workdir, "peer-plain", shared_venv=True, committed=args.committed)
            bench.peer_items = peers.entries(peer_pl)
            peers.prepare_ploomber(peer_pl, bench.peer_items, KERNEL)
        bench.log(f"{len(notebooks)} notebooks: {' '.join(Path(n).stem for n in notebooks)}")
        for run in range(1, args.runs + 1):
            bench.log(f"--- run {run} of {args.runs}")
            if "setup" not in args.skip:
                bench.setup(run)
            built = "cold" not in args.skip and bench.cold(make_dir, env, notebooks)
            if not built:
                bench.log("no complete cold build: no-op, per-notebook and touch phases skipped this run")
            else:
                if "noop" not in args.skip:
                    bench.noop(make_dir, env)
                if "notebooks" not in args.skip:
                    bench.per_notebook(make_dir, env, notebooks)
                if "touch" not in args.skip:
                    bench.touches(make_dir, env, every_file=run == 1)
                if "package" not in args.skip:
                    bench.package_touches(make_dir, env, analysis_too=run == 1)
            if plain_dir is not None and bench.order:
                bench.plain(plain_dir, clean_env({"PYTHONPATH": str(plain_dir / "src")}))
            if "peers" not in args.skip:
                bench.peers(peer_make, peer_pl, peer_plain, run)
    finally:
        if args.keep:
            bench.log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    bench.finish_targets()
    bench.peer_ratios()
    rows = [m.row() for m in bench.metrics.values()]
    load_end = os.getloadavg()[0]
    rows.append(
        {
            "metric": "machine",
            "median_seconds": "",
            "runs": "",
            "peak_memory_mb": "",
            "target": "",
            "met": "",
            "notebooks_run": "",
            "note": f"{os.cpu_count()} cores; 1-min load average {load_start:.2f} at start, "
            f"{load_end:.2f} at end; {'last commit' if args.committed else 'working tree'}",
        }
    )
    nb_rows = bench.notebook_rows()
    print()
    print(
        format_table(
            rows,
            ["metric", "median_seconds", "cpu_seconds", "runs", "peak_memory_mb", "met", "notebooks_run", "target"],
        )
    )
    if nb_rows:
        print()
        print(format_table(nb_rows, NOTEBOOK_FIELDS))
    missed = [r["metric"] for r in rows if r["met"] == "no"]
    errors = [r["metric"] for r in rows if r["met"] == "error"]
    print()
    print("targets missed: " + (", ".join(missed) if missed else "none"))
    for r in rows:
        if r["met"] in ("no", "error") and r["note"]:
            print(f"  {r['metric']}: {r['note']}")
    if errors:
        print("errors: " + ", ".join(errors))
    if not args.no_write:
        write_csv(RESULTS_CSV, RESULT_FIELDS, rows)
        print(f"wrote {RESULTS_CSV.relative_to(PROJ_ROOT)}")
        if nb_rows:
            write_csv(NOTEBOOK_TIMES_CSV, NOTEBOOK_FIELDS, nb_rows)
            print(f"wrote {NOTEBOOK_TIMES_CSV.relative_to(PROJ_ROOT)}")
    if bench.failed or errors:
        return 1
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
