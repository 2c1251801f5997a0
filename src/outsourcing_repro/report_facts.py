"""What the report says about its own build, read from files and the environment, never typed:
the date (SOURCE_DATE_EPOCH), the fingerprint of its inputs, the software versions, the claims
audit's counts (reports/claims_audit.csv), the benchmark's run times (benchmarks/notebook_times.csv)
and a real command that reruns one notebook with other parameters.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shlex
import sys
from importlib import metadata
from pathlib import Path

from . import audit, config
from .audit import plural  # the one counting rule ("1 discrepancy", "5 discrepancies")

KEY_PACKAGES = [
    "pandas",
    "numpy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "pandera",
    "papermill",
    "nbconvert",
    "jupytext",
    "weasyprint",
]
# Everything the report's bytes depend on, for the fingerprint. The benchmark's committed medians
# are printed in the appendix, so they are an input too.
INPUT_GLOBS = [
    "data/**/*.csv",
    "notebooks/*.py",
    "src/outsourcing_repro/**/*.py",
    "src/outsourcing_repro/templates/**/*",
    "src/outsourcing_repro/static/*",
    "src/outsourcing_repro/fonts/*.otf",
    "requirements.lock",
    "outline.yml",
    "Makefile",
    "mk/*.mk",
    "benchmarks/notebook_times.csv",
]
BENCH_TIMES = Path("benchmarks") / "notebook_times.csv"
AUDIT_CSV = Path("reports") / "claims_audit.csv"


def report_date() -> str:
    stamp = dt.datetime.fromtimestamp(config.source_date_epoch(), dt.timezone.utc)
    return stamp.strftime("%Y-%m-%d")


def input_fingerprint() -> str:
    """sha256 over the build's inputs. It names the inputs exactly, as a commit id would, but does
    not change when the rendered report itself is committed (a commit id inside a committed report
    could never match a fresh build of that commit)."""
    digest = hashlib.sha256()
    files = sorted({p for g in INPUT_GLOBS for p in config.PROJ_ROOT.glob(g) if p.is_file()})
    for path in files:
        digest.update(config.relative(path).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def versions() -> list[tuple[str, str]]:
    out = [("python", sys.version.split()[0])]
    for name in KEY_PACKAGES:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, "not installed"))
    return out


def read_csv_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------------------------------------
# Claims audit summary (read from reports/claims_audit.csv, never typed)


def audit_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(audit.VERDICTS, 0)
    for row in rows:
        verdict = row.get("verdict", "")
        counts[verdict] = counts.get(verdict, 0) + 1
    return counts


def audit_summary_line(rows: list[dict]) -> str | None:
    """'N claims checked: K consistent, D discrepancies, U not checkable', in the audit's own words
    (audit.counts_phrase), from the rows of the audit's CSV."""
    if not rows:
        return None
    return f"{plural(len(rows), 'claim', 'claims')} checked: {audit.counts_phrase(audit_counts(rows))}"


# ---------------------------------------------------------------------------------------------
# Run times (measured by `make bench`, committed in benchmarks/notebook_times.csv)


def timings() -> dict[str, str]:
    """Per-notebook median run times measured by `make bench`. Times of the current build are not
    printed: they differ on every run and would break byte-identical reports."""
    rows = read_csv_rows(config.PROJ_ROOT / BENCH_TIMES)
    return {r["notebook"]: r["median_seconds"] for r in rows if r.get("notebook") and r.get("median_seconds")}


def bench_runs() -> str | None:
    rows = read_csv_rows(config.PROJ_ROOT / BENCH_TIMES)
    runs = sorted({r.get("runs", "") for r in rows if r.get("runs")})
    return "/".join(runs) if runs else None


def total_seconds(entries, times: dict[str, str]) -> tuple[float, int]:
    total, measured = 0.0, 0
    for e in entries:
        try:
            total += float(times[e["name"]])
            measured += 1
        except (KeyError, ValueError):
            continue
    return total, measured


# ---------------------------------------------------------------------------------------------
# Rerunning one notebook with other parameters: a real command, derived from a real notebook


def rerun_example(entries, out_dir: str = "/tmp/rerun") -> tuple[str, list[str]] | None:
    """A runner command that reruns one notebook of this build with one parameter changed and its
    outputs sent to `out_dir`. It is built from the notebook's recorded parameters and its declared
    contract, so it stays valid as notebooks change (tests/test_report.py runs it)."""
    from . import runner_params

    for e in entries:
        source = config.PROJ_ROOT / e["source"]
        if not source.exists():
            continue
        try:
            declared = runner_params.declared_parameters(source)
        except runner_params.ParameterError:
            continue
        choice = next(
            (
                d
                for d in declared.values()
                if d.choices and len(d.choices) > 1 and str(e["params"].get(d.name, d.default)) not in e["name"]
            ),
            None,
        )
        if choice is None:
            continue
        current = str(e["params"].get(choice.name, choice.default))
        new_value = next(c for c in choice.choices if c != current)
        args = ["-p", choice.name, new_value]
        changed = [f"{choice.name} = {new_value} (the build used {current})"]
        for name in declared:
            if name == choice.name or name not in e["params"]:
                continue
            value = e["params"][name]
            if value in e["outputs"]:
                value = f"{out_dir}/{Path(value).name}"
            elif value == declared[name].default:
                continue
            args += ["-p", name, str(value)]
        command = [
            ".venv/bin/python",
            "-m",
            "outsourcing_repro.runner",
            e["source"],
            f"{out_dir}/{e['name']}.ipynb",
            *args,
        ]
        return shlex.join(command), changed
    return None


def format_command(command: str) -> str:
    """Break a long shell command before each -p, with continuation backslashes."""
    return command.replace(" -p ", " \\\n    -p ")
