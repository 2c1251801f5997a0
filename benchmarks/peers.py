"""Peers of the build in the benchmark: ploomber 0.23 and the plain nbconvert way beside make,
on the same notebooks with the same parameters and outputs (by default the notebooks of Paper B,
the part the issue measured), alternating run by run.

Four measures each, as a user meets them:
  cold    no outputs (and, for make, no stamps or generated rules)
  noop    the same command again
  touch   a data file every notebook reads touched, its bytes unchanged
  edit    a package module those notebooks import changed (a comment appended); the notebooks
          that rerun are counted, and a peer that reruns none leaves outputs stale
ploomber gets a copy of the notebooks with the two lines its parser requires in the parameters
cell (`upstream = None`, `product = None`), written before any timing, and runs with its parallel
executor; the plain way runs `jupyter nbconvert --execute --to html` on each notebook in turn.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = PROJ_ROOT / "benchmarks" / "peers-requirements.txt"
PLOOMBER_VENV = PROJ_ROOT / "build" / "bench" / "ploomber-venv"
PART = "B"
TOUCHED = "data/raw/paper_b_values.csv"
EDITED = "src/outsourcing_repro/paper_b.py"
_RAN = re.compile(r"^(\w+)\s+True\s+[\d.]+", re.M)


def ploomber_venv() -> Path:
    """The benchmark's own venv with the pinned ploomber (made once, with uv, else pip)."""
    python = PLOOMBER_VENV / "bin" / "python"
    stamp = PLOOMBER_VENV / ".requirements"
    if python.exists() and stamp.exists() and stamp.read_text() == REQUIREMENTS.read_text():
        return PLOOMBER_VENV
    uv = PROJ_ROOT / ".venv" / "bin" / "uv"
    env_lines = subprocess.run(
        [sys.executable, str(PROJ_ROOT / "tools" / "uv_env.py")], capture_output=True, text=True
    ).stdout
    env = dict(os.environ)
    for line in env_lines.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value.strip("'")
    subprocess.run([sys.executable, "-m", "venv", str(PLOOMBER_VENV)], check=True)
    done = (
        uv.exists()
        and subprocess.run(
            [str(uv), "pip", "install", "-q", "--python", str(python), "-r", str(REQUIREMENTS)], env=env
        ).returncode
        == 0
    )
    if not done:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(REQUIREMENTS.read_text())
    return PLOOMBER_VENV


def entries(clone: Path) -> list[dict]:
    """The part's notebooks with every parameter (defaults too: ploomber replaces the parameters
    cell with its own) and their outputs."""
    code = (
        "import json, sys; from outsourcing_repro import outline, runner_params, makerules, config\n"
        "out = []\n"
        f"for e in outline.load().part({PART!r}).entries:\n"
        "    d = runner_params.declared_parameters(config.resolve(e.source))\n"
        "    args = makerules.command(e, d)\n"
        "    params = {k: v.default for k, v in d.items()} | dict(zip(args[3::3], args[4::3]))\n"
        "    ins, outs = runner_params.declared_files(d, {k: v.default for k, v in d.items()} | params)\n"
        "    out.append({'name': e.name, 'source': e.source, 'executed': e.executed, 'params': params,"
        " 'outputs': outs})\n"
        "print(json.dumps(out))"
    )
    import json

    env = dict(os.environ, PYTHONPATH=str(clone / "src"))
    out = subprocess.run(
        [str(PROJ_ROOT / ".venv" / "bin" / "python"), "-c", code],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def pipeline_yaml(items: list[dict], kernel: str) -> str:
    import json

    lines = ["executor: parallel", "tasks:"]
    for e in items:
        lines += [
            f"  - source: {e['source']}",
            f"    name: {e['name']}",
            f"    kernelspec_name: {kernel}",
            "    static_analysis: disable",
            "    product:",
            f"      nb: {e['executed']}",
        ]
        lines += [f"      out{i}: {p}" for i, p in enumerate(e["outputs"])]
        lines.append("    params:")
        lines += [f"      {k}: {json.dumps(v)}" for k, v in e["params"].items()]
    return "\n".join(lines) + "\n"


def prepare_ploomber(clone: Path, items: list[dict], kernel: str) -> None:
    for source in {e["source"] for e in items}:
        path = clone / source
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(
                '# %% tags=["parameters"]\n', '# %% tags=["parameters"]\nupstream = None\nproduct = None\n', 1
            ),
            encoding="utf-8",
        )
    (clone / "pipeline.yaml").write_text(pipeline_yaml(items, kernel), encoding="utf-8")


def ploomber_ran(output: str) -> list[str]:
    """Task names ploomber's summary table marks as run ("Ran?" True)."""
    return _RAN.findall(output)
