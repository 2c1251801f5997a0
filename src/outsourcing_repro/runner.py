"""Execute one text notebook with papermill, under a parameter contract, into a byte-stable .ipynb.

    python -m outsourcing_repro.runner notebooks/fig_b1_x.py reports/notebooks/fig_b1_x.ipynb \
        -p values data/raw/paper_b_values.csv -p figure reports/figures/fig_b1_x.png

The contract: a notebook's `parameters` cell declares each parameter with a type annotation and,
in a trailing comment, its allowed values or range:

    start_year: int = 2013  # range: 2013..2017
    cov_type: str = "HC1"   # one of: nonrobust, HC1, HC3
    series: str = "a"       # one of the outline's series
    values: str = "data/raw/paper_b_values.csv"          # input: what the notebook reads
    results: str = "reports/a.csv,reports/b.csv"         # inputs: several files, comma-separated
    figure: str = "reports/figures/fig_b1_x.png"         # output: what it writes

A path parameter's comment starts with its role: `input:`, `inputs:` (a comma-separated list of
files) or `output:`. This is where a notebook declares its inputs and outputs, once: the make rules
(outsourcing_repro.makerules) take its prerequisites and targets from it, and the executed
notebook records them in its metadata (`outsourcing_repro.inputs` / `.outputs`), where the report
reads them. A figure output written as PNG also records the SVG written beside it.

An unknown name, a wrong type or an out-of-range value fails here, before a kernel starts (papermill
itself only warns on unknown names). Every message names the notebook, the parameter and what was
expected.

A failing notebook stops the build: the message names the notebook, the cell and the line in the
`.py` source, and the error (a `DataError` already names the data file, line and column); the
executed notebook with its traceback is kept in build/failed/<name>.ipynb. The output notebook is
written only on success, and atomically, so a failure never leaves a half-written result.

Exit status: 0 success, 1 the notebook raised, 2 bad usage or parameters (no kernel started),
124 a cell ran past the timeout (`--timeout`, env NOTEBOOK_TIMEOUT, seconds per cell).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from . import config
from .runner_failures import SOURCE_ID, cell_start_lines, error_of, failed_cell, location
from .runner_params import ParameterError, coerce, declared_files, declared_parameters

TIMEOUT_ENV = "NOTEBOOK_TIMEOUT"
FALLBACK_TIMEOUT = 600
EXIT_FAILED, EXIT_USAGE, EXIT_TIMEOUT = 1, 2, 124


class NotebookError(RuntimeError):
    def __init__(self, message: str, exit_code: int = EXIT_FAILED):
        super().__init__(message)
        self.exit_code = exit_code


def default_timeout() -> int:
    """Seconds a cell may run, from NOTEBOOK_TIMEOUT (checked: a typo there must not mean 'no limit')."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return FALLBACK_TIMEOUT
    if not raw.isdigit() or int(raw) <= 0:
        raise ParameterError(f"environment variable {TIMEOUT_ENV}={raw!r}: expected a positive whole number of seconds")
    return int(raw)


def normalise(nb, name: str) -> None:
    """Drop what papermill and nbclient stamp into a notebook that differs from run to run."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{index:03d}"[:64]
        for key in ("papermill", "execution", "ExecuteTime"):
            cell.metadata.pop(key, None)
        for output in cell.get("outputs", []):
            # Warnings and tracebacks carry absolute paths (the checkout, the virtualenv); two
            # clones in different folders must still give the same bytes.
            if "text" in output:
                output["text"] = scrub_paths(output["text"])
            if "traceback" in output:
                output["traceback"] = [scrub_paths(t) for t in output["traceback"]]
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/") and isinstance(data, str):
                    output["data"][mime] = _stable_styler_ids(scrub_paths(data), index)


_STYLER_ID = re.compile(r'id="T_([0-9a-f]{5})')


def _stable_styler_ids(html_text: str, cell_index: int) -> str:
    """A pandas Styler names its table T_<5 random hex digits>; number them by cell instead."""
    for k, uuid in enumerate(dict.fromkeys(_STYLER_ID.findall(html_text))):
        html_text = html_text.replace(f"T_{uuid}", f"T_c{cell_index:03d}n{k}")
    return html_text


def scrub_paths(text: str) -> str:
    """Replace machine-specific absolute paths by placeholders (the virtualenv first: it may sit
    inside the checkout)."""
    for path, placeholder in _machine_paths():
        text = text.replace(path, placeholder)
    return text


def _machine_paths() -> list[tuple[str, str]]:
    pairs = []
    for prefix in {sys.prefix, os.path.realpath(sys.prefix)}:
        pairs.append((prefix, "<venv>"))
    for root in {str(config.PROJ_ROOT), os.path.realpath(config.PROJ_ROOT)}:
        pairs.append((root, "<project>"))
    home = os.path.expanduser("~")
    if home not in ("/", "~"):
        pairs.append((home, "<home>"))
    # Longest first, so a path inside another is replaced before its parent.
    return sorted(set(pairs), key=lambda p: -len(p[0]))


def deterministic_environment(env=os.environ) -> None:
    """Pin what the kernel (which inherits this environment) would otherwise take from the host."""
    env.setdefault("SOURCE_DATE_EPOCH", str(config.source_date_epoch()))  # matplotlib, fontTools
    env.setdefault("PYTHONHASHSEED", "0")  # set iteration order in anything a notebook prints
    env["MPLBACKEND"] = "Agg"


def _keep_failed(nb, name: str) -> Path:
    import nbformat

    normalise(nb, name)
    keep = config.BUILD_DIR / "failed" / f"{name}.ipynb"
    keep.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, keep)
    return keep


def _ipc_kernel_manager(folder: str):
    """A kernel manager that talks to its kernel over Unix sockets in `folder`, a private temporary
    folder of this run, not over TCP ports on localhost: two notebooks started at once under
    `make -j` cannot race for a free port or reach each other's kernel, and the kernel does not
    print its warning about unencrypted TCP into every build log."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _private_socket_prefix(self) -> str:
            return os.path.join(folder, "kernel")

    return IPCKernelManager


def _kernel_manager(folder: str) -> dict:
    """papermill's keyword for the IPC kernel manager, or none (TCP) when `folder` is too long for
    a Unix socket path (about 107 bytes on Linux, with room kept for the "-N" suffixes)."""
    from . import warm

    if len(os.path.join(folder, "kernel-99").encode()) > 100:
        return {"kernel_manager_class": warm.manager_class(_async_manager())} if warm.enabled() else {}
    manager = _ipc_kernel_manager(folder)
    # A kernel forked from the build's pre-imported process (outsourcing_repro.warm), still one fresh
    # process per notebook; OSR_WARM_KERNEL=0 starts it the ordinary way.
    return {"kernel_manager_class": warm.manager_class(manager) if warm.enabled() else manager}


def _async_manager():
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager


def run(source: Path, output: Path, params: dict[str, str], timeout: int | None = None) -> float:
    timeout = default_timeout() if timeout is None else timeout
    name = Path(output).stem
    label = config.relative(source)
    declared = declared_parameters(source)
    typed = coerce(declared, params, label)
    deterministic_environment()

    # Imported only now: a bad parameter is reported in a fraction of a second.
    import jupytext
    import nbformat
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    source_text = Path(source).read_text(encoding="utf-8")
    nb = jupytext.reads(source_text, fmt="py:percent")
    nb.metadata["kernelspec"] = {"name": config.KERNEL_NAME, "display_name": config.KERNEL_NAME, "language": "python"}
    # Ids that say which source cell each executed cell came from (normalise() renumbers them).
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{SOURCE_ID}{index}"
    cell_lines = cell_start_lines(source_text, len(nb.cells))

    staging = config.BUILD_DIR / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    stale_failure = config.BUILD_DIR / "failed" / f"{name}.ipynb"
    with tempfile.TemporaryDirectory(dir=staging) as tmp, tempfile.TemporaryDirectory(prefix="osr-kernel-") as sockets:
        src_ipynb = Path(tmp) / f"{name}.in.ipynb"
        out_ipynb = Path(tmp) / f"{name}.ipynb"
        nbformat.write(nb, src_ipynb)
        start = time.perf_counter()
        try:
            # request_save_on_cell_execute: papermill then saves after every cell, so the notebook
            # survives a timeout or a dead kernel, not only an exception inside a cell.
            papermill.execute_notebook(
                str(src_ipynb),
                str(out_ipynb),
                parameters=typed,
                kernel_name=config.KERNEL_NAME,
                cwd=str(config.PROJ_ROOT),
                progress_bar=False,
                execution_timeout=timeout,
                log_output=False,
                request_save_on_cell_execute=True,
                **_kernel_manager(sockets),
            )
        except (PapermillExecutionError, CellTimeoutError, DeadKernelError, NoSuchKernel, RuntimeError, OSError) as exc:
            if isinstance(exc, NoSuchKernel):
                raise NotebookError(
                    f"{label}: kernel '{config.KERNEL_NAME}' is not installed; run `make setup`", EXIT_USAGE
                ) from None
            failed = nbformat.read(out_ipynb, as_version=4) if out_ipynb.exists() else nb
            cell = failed_cell(failed)
            where = location(cell, cell_lines, label)
            keep = _keep_failed(failed, name)
            kept = f"\n  the executed notebook with its traceback is kept in {config.relative(keep)}"
            if isinstance(exc, CellTimeoutError):
                raise NotebookError(
                    f"{where}: timed out after {timeout} s (per-cell limit; raise it with "
                    f"--timeout or {TIMEOUT_ENV}){kept}",
                    EXIT_TIMEOUT,
                ) from None
            if isinstance(exc, DeadKernelError):
                raise NotebookError(
                    f"{where}: the kernel died (out of memory or a crash in native code){kept}"
                ) from None
            ename, evalue, tb = error_of(cell)
            if not isinstance(exc, PapermillExecutionError):
                ename, evalue, tb = type(exc).__name__, str(exc), []
            message = f"{where}: {ename}: {evalue}{kept}"
            if ename != "DataError" and tb:  # a DataError's message is complete; others need the stack
                message += "\n" + "\n".join("    " + line for t in tb[-12:] for line in t.splitlines())
            raise NotebookError(scrub_paths(message)) from None
        elapsed = time.perf_counter() - start
        executed = nbformat.read(out_ipynb, as_version=4)
        normalise(executed, name)
        effective = {d.name: d.default for d in declared.values()} | typed
        inputs, outputs = declared_files(declared, effective)
        # A figure saved as PNG is saved as SVG beside it (plotting.save); both are its outputs.
        outputs += [
            str(Path(p).with_suffix(".svg"))
            for p in outputs
            if p.endswith(".png") and config.resolve(p).with_suffix(".svg").exists()
        ]
        executed.metadata["outsourcing_repro"] = {
            "source": label,
            "parameters": effective,
            "inputs": inputs,
            "outputs": sorted(outputs),
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp_final = Path(tmp) / "final.ipynb"
        nbformat.write(executed, tmp_final)
        os.replace(tmp_final, output)  # atomic: a reader never sees a half-written notebook
    stale_failure.unlink(missing_ok=True)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="text notebook (jupytext percent .py)")
    parser.add_argument("output", type=Path, help="executed notebook to write (.ipynb)")
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="papermill parameter (repeatable)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=None,
        help=f"per-cell execution timeout in seconds (default: env {TIMEOUT_ENV}, else {FALLBACK_TIMEOUT})",
    )
    args = parser.parse_args(argv)
    label = config.relative(args.source)
    params: dict[str, str] = {}
    for name, value in args.parameter:
        if name in params:
            print(f"error: bad parameter: {label}: parameter '{name}' given twice", file=sys.stderr)
            return EXIT_USAGE
        params[name] = value
    print(f"[notebook] {label} ...", flush=True)
    try:
        if args.timeout is not None and args.timeout <= 0:
            raise ParameterError(f"--timeout {args.timeout}: expected a positive number of seconds")
        if not args.source.is_file():
            raise ParameterError(f"{label}: notebook not found")
        elapsed = run(args.source, args.output, params, timeout=args.timeout)
    except ParameterError as exc:
        print(f"error: bad parameter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except NotebookError as exc:
        print(f"error: notebook failed: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"[notebook] {label} done in {elapsed:.1f} s -> {config.relative(args.output)}", flush=True)
    return 0


if __name__ == "__main__":
    # Forked from the build's pre-imported runner process where it can be (warm_runner).
    from .warm_runner import main as run_warm

    sys.exit(run_warm(sys.argv[1:], main))
