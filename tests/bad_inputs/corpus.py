"""The bad-input corpus: corrupted copies of the project's real data files, each with the error it must give.

Nothing is stored: every case is derived, when the tests run, from the current real file, so the
corpus follows the data as it grows. Each `Case.make(real_bytes)` returns the corrupted bytes and an
`Expect`: the line (as a text editor numbers it), the column, and patterns the message and its fix
must contain. Lines and columns are found by looking at the real file's text (the row that starts
with a given key), never by asking the code under test.

    python tests/bad_inputs/corpus.py /tmp/corpus    # write every corrupted file out, for a look

The tests that use it: tests/test_bad_inputs.py.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PAPER_B = "data/raw/paper_b_values.csv"
PAPER_A = "data/raw/paper_a_values.csv"
MOFCOM = "data/external/mofcom_release_values.csv"
CLASSES = "data/raw/paper_a_classification.csv"
PARKS = "data/raw/paper_b_parks_platforms.csv"
NODES = "data/raw/paper_a_fig2_nodes.csv"
ANCHOR_B = "b_exec_2014"  # a level row (万美元) of Paper B's series, present since the first commit
ANCHOR_B2 = "b_exec_2015"


@dataclass(frozen=True)
class Expect:
    ok: bool = False  # True: the file must load (and load correctly)
    line: int | None = None
    column: str | None = None
    message: str = ""  # regex the message must match
    hint: str = ""  # regex the "Fix:" part must match


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    file: str
    schema: str
    make: Callable[[bytes], tuple[bytes, Expect]] = field(repr=False)
    needs_papers: bool = False  # the error needs the papers' texts (PAPERS_DIR); skipped without them


# -- Reading the real file (plain text and csv; no project code) -----------------------------------


def text_of(data: bytes) -> str:
    return data.decode("utf-8")


def header_of(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(text_of(data))))


def line_of(data: bytes, key: str) -> int:
    """1-based line of the row whose first field is `key`."""
    for number, line in enumerate(text_of(data).split("\n"), start=1):
        if line.startswith(key + ","):
            return number
    raise LookupError(f"no row starting with {key!r}")


def first_line_where(data: bytes, predicate: Callable[[dict], bool]) -> int:
    lines = text_of(data).split("\n")
    head = header_of(data)
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            fields = next(csv.reader([line]))
            if len(fields) == len(head) and predicate(dict(zip(head, fields))):
                return number
    raise LookupError("no row matches")


def field_of(data: bytes, line: int, column: str) -> str:
    row = next(csv.reader([text_of(data).split("\n")[line - 1]]))
    return row[header_of(data).index(column)]


def lines_of(data: bytes) -> list[str]:
    return text_of(data).split("\n")


def _csv_line(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


def set_field(data: bytes, line: int, column: str, value: str) -> bytes:
    """Replace one cell; every other line keeps its bytes."""
    lines = text_of(data).split("\n")
    row = next(csv.reader([lines[line - 1]]))
    row[header_of(data).index(column)] = value
    lines[line - 1] = _csv_line(row)
    return "\n".join(lines).encode("utf-8")


def map_rows(data: bytes, change: Callable[[list[str]], list[str]]) -> bytes:
    """Apply `change` to the field list of every line (header included)."""
    lines = text_of(data).split("\n")
    return "\n".join(_csv_line(change(next(csv.reader([row])))) if row.strip() else row for row in lines).encode()


# -- The cases ------------------------------------------------------------------------------------


def _gbk(data):
    text = text_of(data)
    # The first line with a non-ASCII character, and the column that character sits in.
    line = next(n for n, row in enumerate(text.split("\n"), 1) if any(ord(c) > 127 for c in row))
    row = next(csv.reader([text.split("\n")[line - 1]]))
    column = header_of(data)[next(i for i, f in enumerate(row) if any(ord(c) > 127 for c in f))]
    return text.encode("gb18030"), Expect(
        line=line, column=column, message=r"not valid UTF-8", hint=r"GBK/GB18030.*iconv -f GB18030 -t UTF-8"
    )


def _utf16(data):
    return text_of(data).encode("utf-16"), Expect(line=1, message=r"UTF-16", hint=r"UTF-8")


def _truncated(data):
    # Cut the file inside an unquoted stretch of a row: after that row's 'year' field.
    line = line_of(data, ANCHOR_B)
    lines = text_of(data).split("\n")
    head = header_of(data)
    row = next(csv.reader([lines[line - 1]]))
    keep = head.index("year") + 1
    cut = "\n".join(lines[: line - 1] + [_csv_line(row[:keep])])
    return cut.encode(), Expect(
        line=line,
        column=head[keep],
        message=rf"has {keep} fields, the header has "
        rf"{len(head)}",
        hint=r"truncated.*git checkout",
    )


def _truncated_in_quote(data):
    text = text_of(data)
    lines = text.split("\n")
    line = next(n for n, row in enumerate(lines, 1) if ',"' in row)  # the first row with a quoted field
    start = len("\n".join(lines[: line - 1])) + 1
    cut = text.index(',"', start) + 4
    return text[:cut].encode(), Expect(line=line, message=r"CSV syntax error", hint=r"quote|truncated")


def _empty(data):
    return b"", Expect(message=r"file is empty", hint=r"git checkout")


def _blank(data):
    return b"\n  \n", Expect(message=r"file is empty", hint=r"git checkout")


def _header_only(data):
    return text_of(data).split("\n")[0].encode() + b"\n", Expect(
        message=r"header but no data rows", hint=r"git checkout"
    )


def _drop_column(column):
    def make(data):
        i = header_of(data).index(column)
        return (
            map_rows(data, lambda r: r[:i] + r[i + 1 :]),
            Expect(line=1, column=column, message=rf"missing column\(s\) \['{column}'\]", hint=r"expected the header"),
        )

    return make


def _extra_column(data):
    return (
        map_rows(data, lambda r: r + (["source"] if r[0] == header_of(data)[0] else ["x"])),
        Expect(line=1, column="source", message=r"unexpected column\(s\) \['source'\]", hint=r"remove it|schemas\.py"),
    )


def _spaced_header(data):
    return (
        data.replace(b",value,", b", value,", 1),
        Expect(line=1, column=" value", message=r"has spaces around it", hint=r"remove the spaces"),
    )


def _swapped_columns(data):
    head = header_of(data)
    a, b = head.index("unit"), head.index("kind")

    def swap(r):
        r = list(r)
        r[a], r[b] = r[b], r[a]
        return r

    return map_rows(data, swap), Expect(line=1, column="kind", message=r"out of order", hint=r"expected the header")


def _duplicate_header(data):
    head = header_of(data)
    i = head.index("note")
    return (
        map_rows(data, lambda r: r[:i] + (["value"] if r == head else r[i : i + 1]) + r[i + 1 :]),
        Expect(line=1, column="value", message=r"appears twice"),
    )


def _set(key_or_pred, column, value, message, hint, schema_column=None):
    """A one-cell corruption of the row found by key (first field) or predicate."""

    def make(data):
        line = line_of(data, key_or_pred) if isinstance(key_or_pred, str) else first_line_where(data, key_or_pred)
        v = value(data, line) if callable(value) else value
        return set_field(data, line, column, v), Expect(
            line=line, column=schema_column or column, message=message, hint=hint
        )

    return make


def _duplicate_key(data):
    first, second = line_of(data, ANCHOR_B), line_of(data, ANCHOR_B2)
    return (
        set_field(data, second, "value_id", ANCHOR_B),
        Expect(
            line=second,
            column="value_id",
            message=rf"duplicate key '{ANCHOR_B}' \(also on line {first}\)",
            hint=r"unique",
        ),
    )


def _negative(data, line):
    return "-" + field_of(data, line, "value")


def _absurd(data, line):
    return str(float(field_of(data, line, "value")) * 1e6)


def _bom(data):
    return b"\xef\xbb\xbf" + data, Expect(ok=True)


def _bom_crlf(data):
    return b"\xef\xbb\xbf" + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), Expect(ok=True)


def _nul(data):
    line = line_of(data, ANCHOR_B)
    lines = data.split(b"\n")
    lines[line - 1] = lines[line - 1][:5] + b"\x00" + lines[line - 1][5:]
    return b"\n".join(lines), Expect(line=line, message=r"NUL bytes", hint=r"git checkout")


def _unquoted_comma(data):
    line = line_of(data, ANCHOR_B)
    lines = text_of(data).split("\n")
    row = next(csv.reader([lines[line - 1]]))
    i = header_of(data).index("metric_en")
    lines[line - 1] = _csv_line(row[:i]) + "," + row[i] + ", extra," + _csv_line(row[i + 1 :])
    return "\n".join(lines).encode(), Expect(
        line=line, message=r"fields, the header has", hint=r"unquoted comma.*double quotes"
    )


def _blank_line(data):
    line = line_of(data, ANCHOR_B)
    lines = text_of(data).split("\n")
    lines.insert(line - 1, "")
    return "\n".join(lines).encode(), Expect(line=line, message=r"blank line", hint=r"delete")


def _html_label(data):
    line = line_of(data, ANCHOR_B)
    return set_field(data, line, "entity", SCRIPT_LABEL), Expect(ok=True)


# -- Values against their own quotes ----------------------------------------------------------------

HAS_PRINTED = lambda r: r.get("printed", "") != ""
NO_PRINTED_YIYUAN = lambda r: r["unit"] == "亿元" and r.get("printed", "") == ""
ONLY_CHINESE_NUMERALS = lambda r: not re.search(r"[0-9]", r["quote"])


def _bumped(data, line):
    """The row's value plus one, as the file writes numbers ('4032.9' -> '4033.9')."""
    text = field_of(data, line, "value")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{float(text) + 1:.{decimals}f}"


def _duplicate_row(where):
    def make(data):
        line = line_of(data, where) if isinstance(where, str) else first_line_where(data, where)
        lines = lines_of(data)
        lines.insert(line, lines[line - 1])
        head = header_of(data)
        key_column = head[0] if head[0] == "value_id" else None
        message = (
            rf"duplicate key '{field_of(data, line, head[0])}' \(also on line {line}\)"
            if key_column
            else rf"this row repeats line {line} exactly"
        )
        return "\n".join(lines).encode("utf-8"), Expect(
            line=line + 1, column=key_column, message=message, hint=r"unique|delete one"
        )

    return make


def _printed(column, value, message, hint, schema_column=None):
    return _set(HAS_PRINTED, column, value, message, hint, schema_column)


def _two_numbers(data, line):
    """A stretch of the quote that holds the printed number and the next number after it."""
    quote, printed = field_of(data, line, "quote"), field_of(data, line, "printed")
    start = quote.index(printed)
    rest = quote[start + len(printed) :]
    following = re.search(r"[0-9][0-9.,]*", rest)
    return quote[start : start + len(printed) + following.end()]


def _quote_not_in_paper(data):
    """One digit of a quoted number changed, in the quote and the value alike: consistent with each
    other, but no longer what the paper says."""
    line = line_of(data, "b_exec_2013")
    quote, value = field_of(data, line, "quote"), field_of(data, line, "value")
    changed = str(int(value) + 1)
    assert value in quote
    data = set_field(data, line, "quote", quote.replace(value, changed))
    return set_field(data, line, "value", changed), Expect(
        line=line, column="quote", message=rf"is not in paper B's text.*the quote has “{changed[-1]}", hint=r"verbatim"
    )


def _node_quote_not_in_paper(data):
    line = 2
    quote = field_of(data, line, "quote")
    return set_field(data, line, "quote", quote[:-1] + "。" + quote[-1:]), Expect(
        line=line, column="quote", message=r"is not in paper A's text", hint=r"verbatim"
    )


def _text_not_in_quote(column, what):
    def make(data):
        line = first_line_where(data, lambda r: len(r[column]) >= 4)
        name = field_of(data, line, column)
        changed = name[:-1] + ("甲" if name[-1] != "甲" else "乙")
        return set_field(data, line, column, changed), Expect(
            line=line, column=column, message=rf"{what} '{changed}' is not in its quote", hint=r"copied from"
        )

    return make


SCRIPT_LABEL = "温州<script>alert('x')</script><b>粗体</b>"

IS_SHARE = lambda r: r["kind"] == "share" and r["unit"] == "%"
IS_YIYUAN = lambda r: r["unit"] == "亿元"

CASES: list[Case] = [
    Case("gbk_encoding", "saved as GBK by a Chinese-locale editor", PAPER_B, "paper_values", _gbk),
    Case("utf16_encoding", "saved as UTF-16 (Excel 'Unicode text')", PAPER_B, "paper_values", _utf16),
    Case("truncated", "cut off in the middle of a row", PAPER_B, "paper_values", _truncated),
    Case("truncated_in_quote", "cut off inside a quoted field", PAPER_B, "paper_values", _truncated_in_quote),
    Case("empty", "zero bytes", PAPER_B, "paper_values", _empty),
    Case("whitespace_only", "only blank lines", PAPER_B, "paper_values", _blank),
    Case("header_only", "header, no rows", PAPER_B, "paper_values", _header_only),
    Case("missing_column", "the 'unit' column deleted", PAPER_B, "paper_values", _drop_column("unit")),
    Case("missing_column_mofcom", "the 'source_url' column deleted", MOFCOM, "mofcom", _drop_column("source_url")),
    Case("extra_column", "a column the schema does not know", PAPER_B, "paper_values", _extra_column),
    Case("spaced_header", "a header name with a leading space", PAPER_B, "paper_values", _spaced_header),
    Case("columns_out_of_order", "two columns swapped", PAPER_B, "paper_values", _swapped_columns),
    Case("duplicate_header", "a column name twice", PAPER_B, "paper_values", _duplicate_header),
    Case(
        "wrong_type_value",
        "a number written in words",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "value", "四千", r"'四千' is not a number", r"digits"),
    ),
    Case(
        "wrong_type_percent",
        "a number with a % sign",
        PAPER_A,
        "paper_values",
        _set(IS_SHARE, "value", lambda d, line: field_of(d, line, "value") + "%", r"is not a number", r"%"),
    ),
    Case(
        "wrong_type_year",
        "a fractional year",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "year", "2014.5", r"'2014.5' is not a whole number", r"digits"),
    ),
    Case("duplicate_key", "two rows with one value_id", PAPER_B, "paper_values", _duplicate_key),
    Case(
        "negative_amount",
        "a level below zero",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "value", _negative, r"amount_non_negative", r"cannot be negative"),
    ),
    Case(
        "negative_amount_mofcom",
        "a MOFCOM amount below zero",
        MOFCOM,
        "mofcom",
        _set(IS_YIYUAN, "value", _negative, r"non_negative", r"zero or more"),
    ),
    Case(
        "share_over_100",
        "a share of 180 %",
        PAPER_A,
        "paper_values",
        _set(IS_SHARE, "value", "180", r"share_between_0_and_100", r"between 0 and 100"),
    ),
    Case(
        "year_out_of_range",
        "year 2099",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "year", "2099", r"'2099' is out of range", r"between 1980 and 2030"),
    ),
    Case(
        "year_out_of_range_mofcom",
        "year 1899",
        MOFCOM,
        "mofcom",
        _set(IS_YIYUAN, "year", "1899", r"'1899' is out of range", r"between 1980 and 2030"),
    ),
    Case(
        "nan_value",
        "NaN written as a value",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "value", "NaN", r"'NaN' where a value is required", r"NaN and inf are not numbers"),
    ),
    Case(
        "empty_value",
        "a required cell left empty",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "value", "", r"an empty cell where a value is required", r"fill in"),
    ),
    Case(
        "inf_value",
        "inf written as a value",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "value", "inf", r"'inf' where a value is required", r"inf are not numbers"),
    ),
    Case(
        "absurd_magnitude",
        "a value a million times too large",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "value", _absurd, r"magnitude_within_unit_bounds", r"万 vs 亿"),
    ),
    Case(
        "absurd_magnitude_mofcom",
        "a MOFCOM amount a million times too large",
        MOFCOM,
        "mofcom",
        _set(IS_YIYUAN, "value", _absurd, r"magnitude_within_unit_bounds", r"万 vs 亿"),
    ),
    Case(
        "unknown_unit",
        "a unit with a typo (圆 for 元)",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "unit", "万美圆", r"'万美圆' is not an allowed value", r"schemas\.py"),
    ),
    Case(
        "unknown_kind",
        "a kind outside the list",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "kind", "levels", r"'levels' is not an allowed value", r"'level'"),
    ),
    Case(
        "bad_value_id",
        "an id that breaks the naming rule",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "value_id", "B-Exec-2014", r"has the wrong form", r"pattern"),
    ),
    Case(
        "bad_url_mofcom",
        "a source URL without scheme",
        MOFCOM,
        "mofcom",
        _set(IS_YIYUAN, "source_url", "www.example.com/x", r"has the wrong form", r"https\?"),
    ),
    Case(
        "value_not_in_quote",
        "a value its own quote does not print (4132.9 where it says 4032.9)",
        PAPER_B,
        "paper_values",
        _set(ANCHOR_B, "value", _bumped, r"is not carried by its quote, which prints .*\d", r"printed_scale"),
    ),
    Case(
        "value_not_in_quote_mofcom",
        "a MOFCOM value its quote does not print",
        MOFCOM,
        "mofcom",
        _set(NO_PRINTED_YIYUAN, "value", _bumped, r"is not carried by its quote", r"printed"),
    ),
    Case(
        "value_not_in_chinese_numerals",
        "a count its quote prints only in Chinese numerals (三个), changed",
        PAPER_A,
        "paper_values",
        _set(ONLY_CHINESE_NUMERALS, "value", _bumped, r"is not carried by its quote, which prints \d", r"printed"),
    ),
    Case(
        "printed_not_in_quote",
        "a printed form ('1.21 million') its quote does not have",
        MOFCOM,
        "mofcom",
        _printed(
            "printed",
            lambda d, line: re.sub(
                r"(\d)(?=\D*$)", lambda m: str((int(m.group(1)) + 1) % 10), field_of(d, line, "printed"), count=1
            ),
            r"printed form .* is not in its quote",
            r"verbatim",
        ),
    ),
    Case(
        "printed_scale_wrong",
        "a printed form with the wrong factor to its unit (x10 too large)",
        MOFCOM,
        "mofcom",
        _printed(
            "printed_scale",
            lambda d, line: f"{float(field_of(d, line, 'printed_scale')) * 10:g}",
            r"is not what its printed form .* says",
            r"printed_scale",
            schema_column="value",
        ),
    ),
    Case(
        "printed_without_scale",
        "a printed form without its factor",
        MOFCOM,
        "mofcom",
        _printed("printed_scale", "", r"one is given without the other", r"both"),
    ),
    Case(
        "printed_two_numbers",
        "a printed form holding two numbers",
        MOFCOM,
        "mofcom",
        _printed("printed", _two_numbers, r"does not hold exactly one number", r"one number"),
    ),
    Case("duplicate_row_mofcom", "a row repeated exactly", MOFCOM, "mofcom", _duplicate_row(NO_PRINTED_YIYUAN)),
    Case(
        "duplicate_row",
        "a row repeated exactly (its key repeats too)",
        PAPER_B,
        "paper_values",
        _duplicate_row(ANCHOR_B),
    ),
    Case(
        "name_not_in_quote",
        "a classification name its quote does not have",
        CLASSES,
        "paper_classification",
        _text_not_in_quote("name_zh", "name"),
    ),
    Case(
        "label_not_in_quote",
        "a park label its quote does not have",
        PARKS,
        "paper_b_parks",
        _text_not_in_quote("label_zh", "label"),
    ),
    Case(
        "quote_not_in_paper",
        "a quote and its value changed alike (2965 for 2964): not in the paper",
        PAPER_B,
        "paper_values",
        _quote_not_in_paper,
        needs_papers=True,
    ),
    Case(
        "quote_not_in_paper_nodes",
        "a diagram node's quote with a character the paper does not have",
        NODES,
        "diagram_nodes",
        _node_quote_not_in_paper,
        needs_papers=True,
    ),
    Case("nul_byte", "a NUL byte inside a row", PAPER_B, "paper_values", _nul),
    Case("unquoted_comma", "a value with an unquoted comma", PAPER_B, "paper_values", _unquoted_comma),
    Case("blank_line", "an empty line between rows", PAPER_B, "paper_values", _blank_line),
    Case("bom", "UTF-8 with a byte-order mark (Excel): accepted, first column intact", PAPER_B, "paper_values", _bom),
    Case("bom_crlf", "BOM and Windows line ends: accepted", MOFCOM, "mofcom", _bom_crlf),
    Case(
        "html_label",
        "a label with <script> and markup: valid data, escaped on output",
        PAPER_B,
        "paper_values",
        _html_label,
    ),
]


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[2]
    out = Path(argv[0]) if argv else Path("build/bad_inputs")
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        data, expect = case.make((root / case.file).read_bytes())
        target = out / f"{case.name}__{Path(case.file).name}"
        target.write_bytes(data)
        print(f"{target}  ({case.what}; expect: {'loads' if expect.ok else expect.message})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
