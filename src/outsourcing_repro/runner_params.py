"""The parameter contract of a notebook: what its `parameters` cell declares, and the values given.

A notebook's `parameters` cell declares each parameter with a type annotation and, in a trailing
comment, its allowed values or range, or, for a path, its role (`input:`, `inputs:`, `output:`);
the runner's docstring (outsourcing_repro.runner) shows the form. `declared_parameters` reads the
cell, `coerce` checks the values given on the command line against it, and `declared_files` gives
the input and output paths, which the make rules (outsourcing_repro.makerules) turn into
prerequisites and targets. Every message names the notebook, the parameter and what was expected.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from pathlib import Path

from . import config


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
    role: str | None = None  # "input", "inputs" (comma-separated) or "output"; None for a setting

    def describe(self) -> str:
        text = f"{self.name}: {self.type}"
        if self.choices:
            text += f" (one of: {', '.join(map(str, self.choices))})"
        if self.low is not None or self.high is not None:
            text += f" (range: {self.low:g}..{self.high:g})"
        return text


_RANGE = re.compile(r"range:\s*(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)")
_CHOICES = re.compile(r"one of:\s*(.+)$")
# The allowed values are the outline's regression series (outline.yml), so adding a series is one line.
_OUTLINE_CHOICES = re.compile(r"one of the outline's series")
_ROLE = re.compile(r"^\s*(input|inputs|output):")
ROLES = ("input", "inputs", "output")
_PATH_PREFIXES = ("data/", "reports/", "build/", "notebooks/")
_TYPES = {"str": str, "int": int, "float": float, "bool": bool}
_FORM = "'name: type = default  # comment, optionally with range: a..b or one of: x, y'"


def parameters_cell(source: str) -> tuple[str, int]:
    """The text of the jupytext percent cell tagged `parameters`, and the line its body starts on."""
    lines = source.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("# %%")]
    for k, start in enumerate(starts):
        header = lines[start]
        if "tags" in header and re.search(r"""["']parameters["']""", header):
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            return "".join(lines[start + 1 : end]), start + 2
    raise ParameterError("has no cell tagged 'parameters' (write `# %% tags=[\"parameters\"]` above it)")


def declared_parameters(notebook: Path) -> dict[str, Declared]:
    label = config.relative(notebook)
    source = Path(notebook).read_text(encoding="utf-8")
    try:
        cell, first_line = parameters_cell(source)
    except ParameterError as exc:
        raise ParameterError(f"{label}: {exc}") from None
    lines = cell.splitlines()
    try:
        body = ast.parse(cell).body
    except SyntaxError as exc:
        raise ParameterError(
            f"{label} line {first_line + (exc.lineno or 1) - 1}: the parameters cell is "
            f"not valid Python ({exc.msg}); write each parameter as {_FORM}"
        ) from None
    declared: dict[str, Declared] = {}
    for node in body:
        where = f"{label} line {first_line + node.lineno - 1}"
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name) or node.value is None:
            raise ParameterError(f"{where}: every statement of the parameters cell must be a parameter written {_FORM}")
        name = node.target.id
        type_name = ast.unparse(node.annotation)
        if type_name not in _TYPES:
            raise ParameterError(
                f"{where}: parameter '{name}' has type {type_name}; expected one of: {', '.join(_TYPES)}"
            )
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            raise ParameterError(
                f"{where}: parameter '{name}' needs a literal default (a number, "
                "string or True/False), not an expression"
            ) from None
        expected = _TYPES[type_name]
        if not (isinstance(default, expected) or (expected is float and type(default) is int)) or (
            expected is int and isinstance(default, bool)
        ):
            raise ParameterError(
                f"{where}: parameter '{name}' is declared {type_name} but its default "
                f"{default!r} is a {type(default).__name__}"
            )
        line = lines[node.lineno - 1]
        comment = line.split("#", 1)[1] if "#" in line else ""
        d = Declared(name, type_name, default)
        if m := _RANGE.search(comment):
            d.low, d.high = float(m.group(1)), float(m.group(2))
        if m := _CHOICES.search(comment):
            d.choices = tuple(c.strip() for c in m.group(1).split(","))
        elif _OUTLINE_CHOICES.search(comment):
            from . import outline

            d.choices = tuple(s.id for s in outline.load().series)
        if m := _ROLE.match(comment):
            d.role = m.group(1)
            if type_name != "str":
                raise ParameterError(
                    f"{where}: parameter '{name}' is an {d.role} but declared {type_name}; a path parameter is str"
                )
        elif isinstance(default, str) and default.startswith(_PATH_PREFIXES):
            raise ParameterError(
                f"{where}: parameter '{name}' is a path; start its comment with its role, "
                f"one of {', '.join(r + ':' for r in ROLES)} (e.g. `# input: what it is`)"
            )
        declared[name] = d
    return declared


def split_paths(value: str) -> list[str]:
    return [p.strip() for p in str(value).split(",") if p.strip()]


def declared_files(declared: dict[str, Declared], values: dict) -> tuple[list[str], list[str]]:
    """(inputs, outputs): the paths of the role parameters under `values` (defaults where absent)."""
    inputs, outputs = [], []
    for d in declared.values():
        value = values.get(d.name, d.default)
        if d.role == "input":
            inputs.append(str(value))
        elif d.role == "inputs":
            inputs.extend(split_paths(value))
        elif d.role == "output":
            outputs.append(str(value))
    return inputs, outputs


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
                if not math.isfinite(value):
                    raise ValueError
            elif d.type == "bool":
                if raw.lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                value = raw.lower() in ("true", "1")
            else:
                value = raw
        except ValueError:
            kind = {"int": "a whole number", "float": "a finite number", "bool": "true or false"}.get(d.type, d.type)
            raise ParameterError(
                f"{notebook}: parameter '{name}' expects {d.type}, got {raw!r}; write {kind}"
            ) from None
        if d.choices and str(value) not in d.choices:
            raise ParameterError(
                f"{notebook}: parameter '{name}' = {value!r} is not allowed; expected one of: {', '.join(d.choices)}"
            )
        if d.low is not None and not (d.low <= value <= d.high):
            raise ParameterError(
                f"{notebook}: parameter '{name}' = {value!r} is out of range; expected {d.low:g}..{d.high:g}"
            )
        out[name] = value
    return out
