"""Execute one text notebook with papermill, under a parameter contract, into a byte-stable .ipynb.

    python -m outsourcing_repro.runner notebooks/fig_b1_x.py reports/notebooks/fig_b1_x.ipynb \
        -p values data/raw/paper_b_values.csv -p figure reports/figures/fig_b1_x.png

The contract: a notebook's `parameters` cell declares each parameter with a type annotation and,
in a trailing comment, its allowed values or range:

    start_year: int = 2013  # range: 2013..2017
    cov_type: str = "HC1"   # one of: nonrobust, HC1, HC3

An unknown name, a wrong type or an out-of-range value fails here, before a kernel starts (papermill
itself only warns on unknown names). Failures exit non-zero with a message that names the notebook,
the cell and the error; the executed notebook with its traceback is kept in build/failed/.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import config

DEFAULT_TIMEOUT = int(os.environ.get("NOTEBOOK_TIMEOUT", "600"))


class ParameterError(ValueError):
    pass


@dataclass
class Declared:
    name: str
    type: str
    default: object
    choices: tuple | None = None
    low: float | None = None
    high: float | None = None

    def describe(self) -> str:
        text = f"{self.name}: {self.type}"
        if self.choices:
            text += f" (one of: {', '.join(map(str, self.choices))})"
        if self.low is not None or self.high is not None:
            text += f" (range: {self.low}..{self.high})"
        return text


_RANGE = re.compile(r"range:\s*(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)")
_CHOICES = re.compile(r"one of:\s*(.+)$")


def parameters_cell(source: str) -> str:
    """The text of the jupytext percent cell tagged `parameters`."""
    cells = re.split(r"^# %%", source, flags=re.M)
    for cell in cells:
        header = cell.split("\n", 1)[0]
        if "parameters" in header and "tags" in header:
            return cell.split("\n", 1)[1] if "\n" in cell else ""
    raise ParameterError("has no cell tagged 'parameters'")


def declared_parameters(notebook: Path) -> dict[str, Declared]:
    source = Path(notebook).read_text(encoding="utf-8")
    cell = parameters_cell(source)
    lines = cell.splitlines()
    declared: dict[str, Declared] = {}
    for node in ast.parse(cell).body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            raise ParameterError(
                f"parameters cell line {node.lineno}: every parameter must be written "
                "'name: type = default  # range: a..b | one of: x, y'"
            )
        type_name = ast.unparse(node.annotation)
        if type_name not in ("str", "int", "float", "bool"):
            raise ParameterError(f"parameter '{node.target.id}' has unsupported type {type_name}")
        default = ast.literal_eval(node.value) if node.value is not None else None
        comment = lines[node.lineno - 1].split("#", 1)[1] if "#" in lines[node.lineno - 1] else ""
        d = Declared(node.target.id, type_name, default)
        if m := _RANGE.search(comment):
            d.low, d.high = float(m.group(1)), float(m.group(2))
        if m := _CHOICES.search(comment):
            d.choices = tuple(c.strip() for c in m.group(1).split(","))
        declared[d.name] = d
    return declared


def coerce(declared: dict[str, Declared], given: dict[str, str], notebook: str) -> dict:
    """Check `given` (raw strings from the command line) against the contract; return typed values."""
    out = {}
    for name, raw in given.items():
        if name not in declared:
            known = "; ".join(d.describe() for d in declared.values())
            raise ParameterError(f"{notebook}: unknown parameter '{name}'. It takes: {known}")
        d = declared[name]
        try:
            if d.type == "int":
                value = int(raw)
            elif d.type == "float":
                value = float(raw)
            elif d.type == "bool":
                if raw.lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                value = raw.lower() in ("true", "1")
            else:
                value = raw
        except ValueError:
            raise ParameterError(f"{notebook}: parameter '{name}' expects {d.type}, got {raw!r}") from None
        if d.choices and str(value) not in d.choices:
            raise ParameterError(
                f"{notebook}: parameter '{name}' = {value!r} is not allowed; expected one of: "
                f"{', '.join(d.choices)}"
            )
        if d.low is not None and not (d.low <= value <= d.high):
            raise ParameterError(
                f"{notebook}: parameter '{name}' = {value!r} is out of range; expected "
                f"{d.low:g}..{d.high:g}"
            )
        out[name] = value
    return out


def normalise(nb, name: str) -> None:
    """Drop what papermill and nbclient stamp into a notebook that differs from run to run."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    root = str(config.PROJ_ROOT)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{index:03d}"[:64]
        for key in ("papermill", "execution", "ExecuteTime"):
            cell.metadata.pop(key, None)
        for output in cell.get("outputs", []):
            # Warnings and tracebacks can carry the absolute checkout path; two clones in
            # different folders must still give the same bytes.
            if "text" in output:
                output["text"] = output["text"].replace(root, "<project>")
            if "traceback" in output:
                output["traceback"] = [t.replace(root, "<project>") for t in output["traceback"]]


def _failing_cell(nb) -> tuple[int, str, str]:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, output.get("ename", "Error"), output.get("evalue", "")
    return -1, "Error", ""


def run(source: Path, output: Path, params: dict[str, str], timeout: int = DEFAULT_TIMEOUT) -> float:
    import jupytext
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    name = output.stem
    label = config.relative(source)
    declared = declared_parameters(source)
    typed = coerce(declared, params, label)

    nb = jupytext.read(source)
    nb.metadata["kernelspec"] = {"name": config.KERNEL_NAME, "display_name": config.KERNEL_NAME,
                                 "language": "python"}
    staging = config.BUILD_DIR / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging) as tmp:
        src_ipynb = Path(tmp) / f"{name}.in.ipynb"
        out_ipynb = Path(tmp) / f"{name}.ipynb"
        nbformat.write(nb, src_ipynb)
        start = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(src_ipynb), str(out_ipynb), parameters=typed, kernel_name=config.KERNEL_NAME,
                cwd=str(config.PROJ_ROOT), progress_bar=False, execution_timeout=timeout,
                log_output=False, request_save_on_cell_execute=False,
            )
        except PapermillExecutionError as exc:
            failed = nbformat.read(out_ipynb, as_version=4) if out_ipynb.exists() else nb
            normalise(failed, name)
            keep = config.BUILD_DIR / "failed" / f"{name}.ipynb"
            keep.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(failed, keep)
            index, ename, evalue = _failing_cell(failed)
            cell_no = index if index >= 0 else exc.cell_index
            raise NotebookError(
                f"{label}: cell {cell_no} raised {ename}: {evalue}\n"
                f"  the executed notebook with its traceback is kept in {config.relative(keep)}"
            ) from None
        elapsed = time.perf_counter() - start
        executed = nbformat.read(out_ipynb, as_version=4)
        normalise(executed, name)
        effective = {d.name: d.default for d in declared.values()} | typed
        executed.metadata["outsourcing_repro"] = {"source": label, "parameters": effective}
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp_final = Path(tmp) / "final.ipynb"
        nbformat.write(executed, tmp_final)
        os.replace(tmp_final, output)  # atomic: a reader never sees a half-written notebook
    config.TIMINGS_DIR.mkdir(parents=True, exist_ok=True)
    (config.TIMINGS_DIR / f"{name}.json").write_text(
        json.dumps({"notebook": name, "seconds": round(elapsed, 3)}) + "\n", encoding="utf-8"
    )
    return elapsed


class NotebookError(RuntimeError):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="text notebook (jupytext percent .py)")
    parser.add_argument("output", type=Path, help="executed notebook to write (.ipynb)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="papermill parameter (repeatable)")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                        help="per-cell execution timeout in seconds (env NOTEBOOK_TIMEOUT)")
    args = parser.parse_args(argv)
    params: dict[str, str] = {}
    for name, value in args.parameter:
        if name in params:
            print(f"error: parameter '{name}' given twice", file=sys.stderr)
            return 2
        params[name] = value
    label = config.relative(args.source)
    print(f"[notebook] {label} ...", flush=True)
    try:
        if not args.source.exists():
            raise ParameterError(f"{label}: notebook not found")
        elapsed = run(args.source, args.output, params, timeout=args.timeout)
    except ParameterError as exc:
        print(f"error: bad parameter: {exc}", file=sys.stderr)
        return 2
    except NotebookError as exc:
        print(f"error: notebook failed: {exc}", file=sys.stderr)
        return 1
    print(f"[notebook] {label} done in {elapsed:.1f} s -> {config.relative(args.output)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
