"""Load the project's CSV files, strictly, and validate them against their pandera schemas.

Every failure raises `DataError`, whose message names the file, the line (as a text editor numbers
it) and the column, shows the offending value (and, for a value against its quote, what the quote
says), and says how to fix it. The runner prints that message and exits non-zero, so a bad data
file stops the build before any report is written. The checks of values against their quotes, and
of quotes against the papers where their texts are present, are rules of the schemas (schemas.py),
so they run on every load too.

    python -m outsourcing_repro.dataset data/raw/paper_b_values.csv paper_values   # check one file
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pandas as pd
from pandera.errors import SchemaError, SchemaErrors

from . import config, provenance
from .schemas import ROW_RULES, SCHEMAS

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
RESTORE = "restore it with `git checkout -- <file>`"


class DataError(ValueError):
    """A data file is malformed. The message is meant for a person, not a traceback reader."""

    def __init__(self, path, message: str, line: int | None = None, column: str | None = None, hint: str | None = None):
        self.path = config.relative(path)
        self.line = line
        self.column = column
        self.problem = message
        self.hint = hint
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        text = f"{', '.join(where)}: {message}"
        if hint:
            text += f". Fix: {hint}"
        super().__init__(text)


# -- Bytes to text --------------------------------------------------------------------------------


def _decode(path: Path) -> str:
    if not path.exists():
        raise DataError(path, "file not found", hint="check the path passed to the notebook")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(path, "file is empty", hint=RESTORE)
    if raw.startswith(UTF16_BOMS):
        raise DataError(path, "file is UTF-16, not UTF-8", line=1, hint="save it as UTF-8 (`iconv -f UTF-16 -t UTF-8`)")
    # A UTF-8 byte-order mark is accepted and dropped: Excel writes one, and left in place it would
    # silently rename the first column to '\ufeffcolumn'.
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        hint = "save the file as UTF-8"
        try:
            raw.decode("gb18030")
            hint = (
                "it decodes as GBK/GB18030 (saved by a Chinese-locale editor or Excel); convert it "
                "with `iconv -f GB18030 -t UTF-8`"
            )
        except UnicodeDecodeError:
            pass
        raise DataError(
            path,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            line=line,
            column=_column_at(raw, line_start, exc.start),
            hint=hint,
        ) from None
    if "\x00" in text:
        raise DataError(
            path,
            "contains NUL bytes; the file is binary or corrupted",
            line=text[: text.index("\x00")].count("\n") + 1,
            hint=RESTORE,
        )
    return text


def _column_at(raw: bytes, line_start: int, offset: int) -> str | None:
    """Name of the CSV column that byte `offset` falls in (best effort, for encoding errors)."""
    try:
        header = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")]))
        prefix = raw[line_start:offset].decode("utf-8", errors="replace")
        index = len(next(csv.reader([prefix + "x"]))) - 1
        return header[index] if 0 <= index < len(header) else None
    except (UnicodeDecodeError, StopIteration, csv.Error):
        return None


# -- Text to a frame of strings ---------------------------------------------------------------------


def _row_lines(text: str) -> list[int]:
    """Line number (1-based) on which each CSV record starts (records may span lines)."""
    starts = []
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return starts


def _check_header(path: Path, header: list[str], expected: list[str], ordered: bool = True) -> None:
    columns = f"expected the header {','.join(expected)}"
    if header and header[0].startswith("\ufeff"):  # a second BOM, or one inside quotes
        raise DataError(
            path,
            "the first column name starts with a byte-order mark",
            line=1,
            column=header[0],
            hint="save the file as UTF-8 without BOM",
        )
    seen = set()
    for name in header:
        if name in seen:
            raise DataError(path, f"column '{name}' appears twice in the header", line=1, column=name, hint=columns)
        seen.add(name)
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    spaced = [c for c in extra if c.strip() in missing]
    # (the columns at fault, what is wrong, how to fix it): the first that applies is reported.
    for found, problem, fix in (
        (spaced, "column name {0!r} has spaces around it", "remove the spaces around {0!r}"),
        (missing, "missing column(s) {1}", f"add the column, or {RESTORE}"),
        (extra, "unexpected column(s) {1}", "remove it, or add it to the schema in schemas.py on purpose"),
    ):
        if found:
            raise DataError(
                path,
                problem.format(found[0], found),
                line=1,
                column=found[0],
                hint=f"{fix.format(found[0])}; {columns}",
            )
    if ordered and header != expected:
        wrong = next(h for h, e in zip(header, expected) if h != e)
        raise DataError(path, "columns are out of order", line=1, column=wrong, hint=columns)


def _frame(path: Path, text: str, expected: list[str], ordered: bool = True) -> pd.DataFrame:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        raise DataError(
            path,
            f"CSV syntax error ({exc})",
            line=reader.line_num,
            hint="a quote is unbalanced, or the file is truncated inside a quoted field; "
            f"check the quotes on this line or {RESTORE}",
        ) from None
    while len(rows) > 1 and not rows[-1]:  # blank lines at the very end are harmless
        rows.pop()
    header = rows[0]
    _check_header(path, header, expected, ordered)
    if len(rows) < 2:
        raise DataError(path, "has a header but no data rows", hint=RESTORE)
    lines = _row_lines(text)
    for i, row in enumerate(rows[1:], start=1):
        if not row:
            raise DataError(path, "blank line inside the data", line=lines[i], hint="delete the line")
        if len(row) < len(header):
            truncated = i == len(rows) - 1 and not text.endswith(("\n", "\r"))
            raise DataError(
                path,
                f"has {len(row)} fields, the header has {len(header)} (nothing from column '{header[len(row)]}' on)",
                line=lines[i],
                column=header[len(row)],
                hint=(
                    f"the file looks truncated; {RESTORE}"
                    if truncated
                    else "add the missing fields (empty ones are written as nothing between commas)"
                ),
            )
        if len(row) > len(header):
            raise DataError(
                path,
                f"has {len(row)} fields, the header has {len(header)}",
                line=lines[i],
                hint="a value contains an unquoted comma; put that value in double quotes",
            )
    frame = pd.DataFrame(rows[1:], columns=header, dtype="string")
    frame = frame.replace({"": pd.NA})
    frame.index = pd.Index([lines[i] for i in range(1, len(rows))], name="line")
    return frame


# -- Schema failures to one readable message ------------------------------------------------------


def read_csv(path, schema_name: str) -> pd.DataFrame:
    """Read `path` as UTF-8 CSV, check its shape row by row, then validate it with `schema_name`."""
    path = config.resolve(path)
    if schema_name not in SCHEMAS:
        raise KeyError(f"no schema '{schema_name}'; known: {', '.join(SCHEMAS)}")
    schema = SCHEMAS[schema_name]
    text = _decode(path)
    frame = _frame(path, text, list(schema.columns), bool(schema.ordered))
    try:
        validated = schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        raise _first_error(path, exc.failure_cases, frame, list(schema.unique or [])) from None
    except SchemaError as exc:  # pragma: no cover - lazy=True collects into SchemaErrors
        raise DataError(path, str(exc)) from None
    validated.attrs["source"] = config.relative(path)
    return validated


def _first_error(path: Path, failures: pd.DataFrame, raw: pd.DataFrame, unique: list[str] | None = None) -> DataError:
    """The first problem in file order, with a hint; later problems are counted, not listed in full.

    On a line with a bad cell, row rules are not reported: a value that is not a number also makes
    every rule that computes with it fail, and those echoes would bury the real cause.
    """
    order = {c: i for i, c in enumerate(raw.columns)}
    problems = []
    for case in failures.to_dict("records"):
        line = case.get("index")
        if line is None or (isinstance(line, float) and pd.isna(line)):
            continue  # a check that raised (e.g. TypeError on a column that failed to coerce)
        line = int(line)
        check = str(case.get("check"))
        row_rule = case.get("schema_context") == "DataFrameSchema"
        column = case.get("column") if isinstance(case.get("column"), str) else None
        rule_name = check.split("(")[0]
        if rule_name == "multiple_fields_uniqueness" and unique:
            row_rule, column = False, unique[0]
        elif row_rule:
            column = ROW_RULES.get(rule_name, {}).get("column") if rule_name in ROW_RULES else None
        if column not in order:
            column = None
        # Report the repeat, not the first occurrence, which is where the key belongs.
        if (
            rule_name in _UNIQUENESS
            and column is not None
            and line == min(_same_key(raw, line, unique if rule_name != "field_uniqueness" else [column]))
        ):
            continue
        problems.append((row_rule, line, order.get(column, -1), _PRIORITY.get(rule_name, 9), column, check))
    # One problem per cell: a value that fails to coerce also fails the checks after it.
    cells = {}
    for p in sorted(set(problems)):
        cells.setdefault((p[0], p[1], p[2]), p)
    # A row rule that fails on a line with a bad cell is an echo of that cell; elsewhere it counts.
    bad_cell_lines = {p[1] for p in cells.values() if not p[0]}
    chosen = sorted(
        (p for p in cells.values() if not (p[0] and p[1] in bad_cell_lines)), key=lambda p: (p[1], p[0], p[2], p[3])
    )
    if not chosen:
        first = failures.iloc[0]
        return DataError(path, f"fails the check {first.get('check')} ({first.get('failure_case')})")
    row_rule, line, _, _, column, check = chosen[0]
    row = raw.loc[line]
    row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
    value = row[column] if column is not None else None
    message, hint = _explain(check, column, value, row, raw, line, unique)
    others = sorted({p[1] for p in chosen[1:]} - {line})
    if len(chosen) > 1:
        listing = ", ".join(map(str, others[:8])) + (", ..." if len(others) > 8 else "")
        message += f" [and {len(chosen) - 1} more problem(s){' on lines ' + listing if others else ''}]"
    return DataError(path, message, line=line, column=column, hint=hint)


_UNIQUENESS = ("field_uniqueness", "multiple_fields_uniqueness")
_PRIORITY = {"coerce_dtype": 0, "not_nullable": 1}


def _show(value) -> str:
    return (
        "an empty cell"
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))
        else repr(str(value))
    )


def _same_key(raw: pd.DataFrame, line: int, key: list[str]) -> list[int]:
    """Lines whose key columns equal those of `line`."""
    same = pd.Series(True, index=raw.index)
    for column in key:
        same &= (raw[column] == raw.at[line, column]).fillna(False)
    return raw.index[same].tolist()


def _explain(
    check: str, column: str | None, value, row, raw: pd.DataFrame, line: int, unique: list[str] | None = None
) -> tuple[str, str]:
    """(problem, how to fix) for one failed check."""
    shown = _show(value)
    name = check.split("(")[0]
    if name in ROW_RULES and "message" in ROW_RULES[name]:
        rule = ROW_RULES[name]
        return rule["message"](row, raw, line), rule["hint"](row)
    if column is None:
        hint = ROW_RULES[name]["hint"](row) if name in ROW_RULES else f"see the rule '{name}' in schemas.py"
        return f"the row breaks the rule '{name}'", hint
    if name in ROW_RULES:
        rule = ROW_RULES[name]
        return f"{shown} breaks the rule '{name}'", rule["hint"](row)
    if name == "coerce_dtype":
        if "int" in check:
            return f"{shown} is not a whole number", "write digits only, e.g. 2016"
        if "float" in check:
            return (
                f"{shown} is not a number",
                "write digits with an optional decimal point: no thousands separator, unit or %",
            )
        return f"{shown} cannot be read as {check}", "correct the value"
    if name == "not_nullable" or (
        value is not None and value is not pd.NA and str(value).strip().lower() in ("nan", "inf", "-inf", "infinity")
    ):
        return (
            f"{shown} where a value is required",
            "fill in the value (NaN and inf are not numbers); only optional columns may be empty",
        )
    if name in _UNIQUENESS and column is not None:
        key = [column] if name == "field_uniqueness" else list(unique or [column])
        first = [d for d in _same_key(raw, line, key) if d != line]
        where = f" (also on line {first[0]})" if first else ""
        shown = ", ".join(f"{k}={_show(row[k])}" for k in key) if len(key) > 1 else shown
        return f"duplicate key {shown}{where}", "keys must be unique: change or delete one of the rows"
    if name == "isin":
        allowed = re.sub(r"^isin\(\(?|\)?\)$", "", check)
        return (
            f"{shown} is not an allowed value",
            f"use one of {allowed}; a new value must be added to schemas.py on purpose",
        )
    if name == "in_range":
        low, high = re.findall(r"-?[\d.]+(?:e[+-]?\d+)?", check)[:2]
        return f"{shown} is out of range", f"the value must lie between {low} and {high}"
    if name in ("greater_than_or_equal_to", "less_than_or_equal_to", "greater_than", "less_than"):
        return f"{shown} is out of range", f"the value must satisfy {check}"
    if name == "str_matches":
        return f"{shown} has the wrong form", f"it must match the pattern {check[len('str_matches(') : -1]}"
    if name == "str_length":
        return f"{shown} is too short or too long", f"the text must satisfy {check}"
    if name in ("finite", "non_negative"):
        return f"{shown} breaks the rule '{name}'", (
            "write a finite number" if name == "finite" else "write a number of zero or more"
        )
    return f"{shown} fails the check {check}", "correct the value"


def load(path, schema_name: str) -> pd.DataFrame:
    """Public entry point used by notebooks: read and validate one data file."""
    return read_csv(path, schema_name)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(
            f"usage: python -m outsourcing_repro.dataset FILE SCHEMA (schemas: {', '.join(SCHEMAS)})", file=sys.stderr
        )
        return 2
    try:
        frame = load(args[0], args[1])
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    print(
        f"ok: {config.relative(config.resolve(args[0]))}: {len(frame)} rows valid against '{args[1]}'"
        + _unchecked_papers_note(args[1])
    )
    return 0


def _unchecked_papers_note(schema_name: str) -> str:
    """Where a schema checks quotes against the papers and a paper's text is absent, say so."""
    if not any("_in_paper" in str(check.name) for check in SCHEMAS[schema_name].checks):
        return ""
    missing = [paper for paper in config.PAPER_SEEDS if not provenance.paper_available(paper)]
    if not missing:
        return f" (quotes found in the papers' texts in {config.relative(config.SEEDS_DIR)})"
    which = (
        f"the text of paper {missing[0]} is"
        if len(missing) == 1
        else f"the texts of papers {' and '.join(missing)} are"
    )
    return (
        f" (quotes checked against their values only: {which} not in {config.relative(config.SEEDS_DIR)}; "
        "set PAPERS_DIR to check them against the papers)"
    )


if __name__ == "__main__":
    sys.exit(main())
