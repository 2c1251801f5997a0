"""Load the project's CSV files, strictly, and validate them against their pandera schemas.

Every failure raises `DataError`, whose message names the file, the row (as the line number a text
editor shows) and the column, and says how to fix it. The runner prints that message and exits
non-zero, so a bad data file stops the build before any report is written.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from . import config
from .schemas import SCHEMAS

UTF8_BOM = b"\xef\xbb\xbf"


class DataError(ValueError):
    """A data file is malformed. The message is meant for a person, not a traceback reader."""

    def __init__(self, path, message: str, line: int | None = None, column: str | None = None):
        self.path = config.relative(path)
        self.line = line
        self.column = column
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


def _decode(path: Path) -> str:
    if not path.exists():
        raise DataError(path, "file not found; check the path passed to the notebook")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(path, "file is empty; restore it from git (git checkout -- <file>)")
    # A UTF-8 byte-order mark is accepted and dropped: Excel writes one, and left in place it would
    # silently rename the first column to '\ufeffcolumn'.
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = " It decodes as GBK/GB18030; convert it with `iconv -f GB18030 -t UTF-8`."
        except UnicodeDecodeError:
            pass
        raise DataError(
            path,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}). "
            f"Save the file as UTF-8.{hint}",
            line=line,
        ) from None
    if "\x00" in text:
        raise DataError(path, "contains NUL bytes; the file is binary or corrupted",
                        line=text[: text.index("\x00")].count("\n") + 1)
    return text


def read_csv(path, schema_name: str) -> pd.DataFrame:
    """Read `path` as UTF-8 CSV, check its shape row by row, then validate it with `schema_name`."""
    path = config.resolve(path)
    text = _decode(path)
    schema = SCHEMAS[schema_name]
    expected = list(schema.columns)

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise DataError(path, f"CSV syntax error ({exc}); the file may be truncated or have an "
                              "unbalanced quote", line=reader.line_num) from None
    header = rows[0]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing:
        raise DataError(path, f"missing column(s) {missing}; expected columns {expected}", line=1,
                        column=missing[0])
    if extra:
        raise DataError(path, f"unexpected column(s) {extra}; expected columns {expected}", line=1,
                        column=extra[0])
    if len(rows) < 2:
        raise DataError(path, "has a header but no data rows")
    # Line numbers: csv rows can span lines (quoted newlines), so count them as the reader did.
    lines = _row_lines(text)
    for i, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise DataError(path, f"has {len(row)} fields, the header has {len(header)}; the row is "
                                  "truncated or has an unquoted comma", line=lines[i])
    frame = pd.DataFrame(rows[1:], columns=header, dtype="string")
    frame = frame.replace({"": pd.NA})
    frame.index = pd.Index([lines[i] for i in range(1, len(rows))], name="line")
    try:
        validated = schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        raise _first_error(path, exc.failure_cases) from None
    except SchemaError as exc:  # pragma: no cover - lazy=True collects into SchemaErrors
        raise DataError(path, str(exc)) from None
    validated.attrs["source"] = config.relative(path)
    return validated


def _row_lines(text: str) -> list[int]:
    """Line number (1-based) on which each CSV record starts."""
    starts = []
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return starts


def _first_error(path: Path, failures: pd.DataFrame) -> DataError:
    failures = failures.copy()
    count = len(failures)
    first = failures.iloc[0]
    line = first.get("index")
    line = int(line) if pd.notna(line) else None
    column = first.get("column")
    column = column if isinstance(column, str) else None
    check = str(first.get("check"))
    case = first.get("failure_case")
    message = f"{_explain(check, case)} (check: {check}, value: {case!r})"
    if count > 1:
        message += f"; {count - 1} more problem(s) in this file"
    return DataError(path, message, line=line, column=column)


def _explain(check: str, case) -> str:
    if check.startswith("field_uniqueness") or "unique" in check:
        return "duplicate key; every key must be unique"
    if check.startswith("not_nullable") or case is None or (isinstance(case, float) and pd.isna(case)):
        return "missing or NaN value where one is required"
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        return "wrong type; the value cannot be read as the column's type"
    if check.startswith("isin"):
        return "value not in the allowed set"
    if check.startswith("in_range") or "greater" in check or "less" in check:
        return "value out of the allowed range"
    return "value fails a rule"


def load(path, schema_name: str) -> pd.DataFrame:
    """Public entry point used by notebooks: read and validate one data file."""
    return read_csv(path, schema_name)
