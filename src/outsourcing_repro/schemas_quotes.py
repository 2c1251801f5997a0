"""The data files' row rules that hold values, names and quotes to each other and to the papers.

`schemas` declares each file's columns and applies these rules: a value must be a number its own
quote prints (directly, or through the row's `printed` form and `printed_scale`), a name or label
must be in its quote, each quote must be in its paper where the paper texts are present
(provenance.py), and no file may hold the same row twice. Each rule is a boolean per row (True where
it holds or does not apply); `QUOTE_RULES` says which column to fix and how.
"""

from __future__ import annotations

import pandas as pd
from pandera.pandas import Check

from . import config, provenance


def _cells(frame: pd.DataFrame, *columns):
    """Rows as tuples of the given columns, with missing cells as None."""
    parts = [frame[c].astype(object).where(frame[c].notna(), None) for c in columns]
    return zip(*parts)


def _each(frame: pd.DataFrame, columns: tuple, test) -> pd.Series:
    """`test(*cells)` per row; a row whose cells are not of their type yet (failed coercion, reported
    as such) passes, so the real cause is not buried under echoes."""
    out = []
    for cells in _cells(frame, *columns):
        try:
            out.append(bool(test(*cells)))
        except (TypeError, ValueError, KeyError):
            out.append(True)
    return pd.Series(out, index=frame.index)


def _value_carried_ok(frame: pd.DataFrame) -> pd.Series:
    # With a printed form (or half of one) the rules below apply instead.
    return _each(
        frame,
        ("value", "quote", "printed", "printed_scale"),
        lambda value, quote, printed, scale: (
            printed is not None or scale is not None or provenance.value_in_quote(float(value), quote)
        ),
    )


def _value_matches_printed_ok(frame: pd.DataFrame) -> pd.Series:
    return _each(
        frame,
        ("value", "printed", "printed_scale", "quote"),
        lambda value, printed, scale, quote: (
            printed is None
            or scale is None
            or provenance.printed_number(printed) is None  # each of these is a rule of its own
            or not provenance.printed_in_quote(printed, quote)
            or provenance.carried_by_printed(float(value), printed, float(scale))
        ),
    )


def _printed_in_quote_ok(frame: pd.DataFrame) -> pd.Series:
    return _each(
        frame,
        ("printed", "quote"),
        lambda printed, quote: printed is None or provenance.printed_in_quote(printed, quote),
    )


def _printed_one_number_ok(frame: pd.DataFrame) -> pd.Series:
    return _each(frame, ("printed",), lambda printed: printed is None or provenance.printed_number(printed) is not None)


def _printed_pair_ok(frame: pd.DataFrame) -> pd.Series:
    return frame["printed"].isna() == frame["printed_scale"].isna()


def text_in_quote_ok(column: str):
    def check(frame: pd.DataFrame) -> pd.Series:
        return _each(
            frame, (column, "quote"), lambda text, quote: provenance.flatten(text) in provenance.flatten(quote)
        )

    return check


def _in_paper_ok(column: str, paper: str | None = None):
    """`column` is verbatim in the paper's text (the row's `paper`, or the one paper of the file);
    where that text is absent the rule holds and dataset.py says once that it was not checked."""

    def check(frame: pd.DataFrame) -> pd.Series:
        papers = frame["paper"] if paper is None else pd.Series(paper, index=frame.index)
        return _each(
            pd.DataFrame({"q": frame[column], "p": papers}),
            ("q", "p"),
            lambda quote, p: not provenance.paper_available(p) or provenance.quote_in_paper(quote, p),
        )

    return check


def _no_duplicate_rows_ok(frame: pd.DataFrame) -> pd.Series:
    return ~frame.duplicated(keep="first")


def _shown(cell) -> str:
    return (
        "an empty cell"
        if cell is None or cell is pd.NA or (isinstance(cell, float) and pd.isna(cell))
        else repr(str(cell))
    )


def _quote_numbers(quote) -> str:
    numbers = provenance.all_numbers_in(str(quote))
    return ", ".join(f"{n:g}" for n in dict.fromkeys(numbers)) if numbers else "no number"


def _value_carried_message(row, raw, line) -> str:
    return (
        f"value {_shown(row.get('value'))} is not carried by its quote, which prints {_quote_numbers(row.get('quote'))}: "
        f"“{row.get('quote')}”"
    )


def _value_matches_printed_message(row, raw, line) -> str:
    number = provenance.printed_number(str(row.get("printed")))
    scale = float(row.get("printed_scale"))
    return (
        f"value {_shown(row.get('value'))} is not what its printed form {_shown(row.get('printed'))} says: "
        f"{number:g} × printed_scale {scale:g} = {number * scale:g}"
    )


def _duplicate_message(row, raw, line) -> str:
    key = tuple(row.astype(object).where(row.notna(), None))
    first = [int(i) for i, other in zip(raw.index, _cells(raw, *raw.columns)) if other == key and i != line]
    return f"this row repeats line {first[0]} exactly" if first else "this row appears twice"


def _paper_message(column: str, paper: str | None = None):
    def message(row, raw, line) -> str:
        which = paper or str(row.get("paper"))
        found, quote_next, paper_next = provenance.where_quote_departs(str(row.get(column)), which)
        where = (
            f"after “…{found}” the quote has “{quote_next}…” where the paper has “{paper_next}…”"
            if found
            else "not even its first character matches"
        )
        return (
            f"{_shown(row.get(column))} is not in paper {which}'s text "
            f"({config.relative(provenance.paper_path(which))}): {where}"
        )

    return message


_PRINTED_HINT = (
    "write the number its quote prints, in the row's unit; if the quote prints it in another form "
    "(1.21 million for 121 万人, 85万8000人 for 85.8 万人), copy that form into 'printed' and put the "
    "factor from it to the unit into 'printed_scale' (value = printed number × printed_scale)"
)

# The row rules on quotes, for `schemas.ROW_RULES` (which says what an entry holds).
_IN_PAPER = (("quote", None), ("quote", "A"), ("quote", "B"), ("basis", "A"))


def _in_paper_name(column: str, paper: str | None = None) -> str:
    return f"{column}_in_paper" + (f"_{paper.lower()}" if paper else "")


def _in_quote_rule(column: str, what: str) -> dict:
    return {
        "column": column,
        "message": lambda row, raw, line: f"{what} {_shown(row.get(column))} is not in its quote “{row.get('quote')}”",
        "hint": lambda row: f"the {what} must be copied from its quote; correct the {what} or the quote",
    }


def _in_paper_rule(column: str, paper: str | None = None) -> dict:
    return {
        "column": column,
        "message": _paper_message(column, paper),
        "hint": lambda row: "copy the passage from the paper again: verbatim, line breaks removed",
    }


QUOTE_RULES: dict[str, dict] = {
    "value_carried_by_quote": {"column": "value", "message": _value_carried_message, "hint": lambda row: _PRINTED_HINT},
    "value_matches_printed_form": {
        "column": "value",
        "message": _value_matches_printed_message,
        "hint": lambda row: "correct the value or printed_scale: value = the printed number × printed_scale",
    },
    "printed_form_in_quote": {
        "column": "printed",
        "message": lambda row, raw, line: (
            f"printed form {_shown(row.get('printed'))} is not in its quote “{row.get('quote')}”"
        ),
        "hint": lambda row: "copy the number's form verbatim from the quote, e.g. '1.21 million'",
    },
    "printed_form_is_one_number": {
        "column": "printed",
        "message": lambda row, raw, line: f"printed form {_shown(row.get('printed'))} does not hold exactly one number",
        "hint": lambda row: "copy one number as the quote prints it, e.g. '1.21 million' or '85万8000人'",
    },
    "printed_and_scale_together": {
        "column": "printed_scale",
        "message": lambda row, raw, line: (
            f"printed {_shown(row.get('printed'))} and printed_scale "
            f"{_shown(row.get('printed_scale'))}: one is given without the other"
        ),
        "hint": lambda row: "fill in both (the form the quote prints and the factor to the unit) or neither",
    },
    "name_in_quote": _in_quote_rule("name_zh", "name"),
    "label_in_quote": _in_quote_rule("label_zh", "label"),
    **{_in_paper_name(column, paper): _in_paper_rule(column, paper) for column, paper in _IN_PAPER},
    "no_duplicate_rows": {
        "column": None,
        "message": _duplicate_message,
        "hint": lambda row: "delete one of the two rows",
    },
}

# The rules above, as the schemas use them.
NO_DUPLICATES = Check(_no_duplicate_rows_ok, name="no_duplicate_rows", element_wise=False)
VALUE_IN_QUOTE = [
    Check(_printed_pair_ok, name="printed_and_scale_together", element_wise=False),
    Check(_printed_one_number_ok, name="printed_form_is_one_number", element_wise=False),
    Check(_printed_in_quote_ok, name="printed_form_in_quote", element_wise=False),
    Check(_value_carried_ok, name="value_carried_by_quote", element_wise=False),
    Check(_value_matches_printed_ok, name="value_matches_printed_form", element_wise=False),
]


def in_paper(column: str, paper: str | None = None) -> Check:
    return Check(_in_paper_ok(column, paper), name=_in_paper_name(column, paper), element_wise=False)
