"""Where a notebook failed: the cell and the line of its `.py` source, and the error it raised.

The runner gives each cell of the text notebook the id `src-<index>` before it runs it; after a
failure these helpers find the executed cell that failed, map it back to its `# %%` marker in the
source (plus the line inside the cell that IPython's traceback names) and take its error.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


SOURCE_ID = "src-"


def cell_start_lines(source_text: str, n_cells: int) -> list[int | None]:
    """1-based line of each jupytext cell's `# %%` marker (None where the mapping is unclear)."""
    markers = [i + 1 for i, line in enumerate(source_text.splitlines()) if line.startswith("# %%")]
    if len(markers) == n_cells:
        return markers
    if len(markers) == n_cells - 1:  # text before the first marker is a cell of its own
        return [None] + markers
    return [None] * n_cells


def failed_cell(nb):
    """The executed cell that failed: the one with an error output, else the last one started."""
    started = None
    for cell in nb.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return cell
        if cell.get("metadata", {}).get("papermill", {}).get("start_time"):
            started = cell
    return started


def location(cell, cell_lines: list[int | None], label: str) -> str:
    if cell is None:
        return label
    cell_id = str(cell.get("id", ""))
    if not cell_id.startswith(SOURCE_ID):
        return f"{label}, the injected parameters cell"
    index = int(cell_id[len(SOURCE_ID) :])
    line = cell_lines[index]
    where = f"{label}, cell {index + 1}"
    if line is not None:
        # IPython tracebacks say "Cell In[3], line 5": line 5 of the cell, whose body starts one
        # line below its `# %%` marker.
        tb = "\n".join(_ANSI.sub("", t) for o in cell.get("outputs", []) for t in o.get("traceback", []))
        hits = re.findall(r"Cell In\[\d+\], line (\d+)", tb)
        where += f" (line {line + int(hits[0])})" if hits else f" (starting line {line})"
    return where


def error_of(cell) -> tuple[str, str, list[str]]:
    for output in (cell or {}).get("outputs", []):
        if output.get("output_type") == "error":
            tb = [_ANSI.sub("", t) for t in output.get("traceback", [])]
            return output.get("ename", "Error"), output.get("evalue", ""), tb
    return "Error", "", []
