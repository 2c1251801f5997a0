"""Look values up by id in a validated paper-values frame, keeping their provenance at hand."""

from __future__ import annotations

import re

import pandas as pd

from .number import Number


class MissingValue(KeyError):
    pass


def index(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("value_id", drop=False)


def get(frame: pd.DataFrame, value_id: str) -> float:
    return float(row(frame, value_id)["value"])


def row(frame: pd.DataFrame, value_id: str) -> pd.Series:
    hits = frame[frame["value_id"] == value_id]
    if hits.empty:
        source = frame.attrs.get("source", "the data file")
        raise MissingValue(f"{source}: no row with value_id '{value_id}'")
    return hits.iloc[0]


def series(frame: pd.DataFrame, metric: str, entity: str | None = None, kind: str | None = None) -> pd.Series:
    """Year-indexed values of one metric."""
    sel = frame["metric"] == metric
    if entity is not None:
        sel &= frame["entity"] == entity
    if kind is not None:
        sel &= frame["kind"] == kind
    out = frame.loc[sel].set_index("year")["value"].sort_index()
    if out.index.has_duplicates:
        raise ValueError(f"metric '{metric}' has more than one value for a year")
    return out


def number(frame: pd.DataFrame, value_id: str):
    """The value as a `number.Number`: its printed precision taken from its quote."""
    from .number import Number

    return Number.from_row(row(frame, value_id))


def note_fields(note) -> dict[str, str]:
    """Split a note written as 'key: value; key: value' (source, qualifier, bound, year, ...); any
    part that is not such a pair is kept under 'other'."""
    fields: dict[str, str] = {}
    if note is None or (not isinstance(note, str) and pd.isna(note)):
        return fields
    for part in str(note).split("; "):
        key, sep, rest = part.partition(": ")
        if sep and key.isascii() and " " not in key:
            fields[key] = rest
        else:
            fields["other"] = (fields.get("other", "") + "; " + part).lstrip("; ")
    return fields


# How a hedge reads as a bound, by the sense the transcription gives it in its note
# ("qualifier: 近 (nearly)" is ≈; "qualifier: 近 (within the last)" is ≤): the same word can bound
# either way, so the sense decides, not the word.
QUALIFIER_SYMBOLS = {
    "more than": ">",
    "generally more than": ">",
    "at least": "≥",
    "at least, possibly": "≥",
    "at most": "≤",
    "within the last": "≤",
    "about": "≈",
    "nearly": "≈",
}


def qualifier(note) -> tuple[str, str]:
    """(word, symbol) of a value's hedge: ('近', '≈') for 'qualifier: 近 (nearly)'; ('', '') if none."""
    text = note_fields(note).get("qualifier", "")
    word, _, sense = text.partition(" (")
    sense = sense.rstrip(")")
    if text and sense not in QUALIFIER_SYMBOLS:
        raise ValueError(f"qualifier '{text}' has no symbol; add its sense to values.QUALIFIER_SYMBOLS")
    return word, QUALIFIER_SYMBOLS.get(sense, "")


def short_section(section: str) -> str:
    """'§三（三）2. 服务外包推动…' -> '§三（三）2.'; '注释①“千百十工程”' -> '注释①'; '§二 数字经济…' -> '§二'."""
    m = re.match(r"^(§[一二三四五六七八九十]+(?:（[一二三四五六七八九十]+）)?(?:\d+\.)?|注释[①-⑩]|摘要)", section)
    return m.group(1) if m else section.split("（")[0]


def year_label(r) -> str:
    """The year a row refers to as the report prints it: its period, its year, or 'not stated'."""
    if "not stated" in note_fields(r["note"]).get("year", ""):
        return "未说明 not stated"
    return r["period"] if isinstance(r["period"], str) and r["period"] else str(r["year"])


def printed(frame: pd.DataFrame, value_id: str) -> str:
    """The value as the report shows it: as printed in its quote, grouped ('18,785', '85.20')."""
    return number(frame, value_id).text()


def stated_text(frame: pd.DataFrame, value_id: str, with_unit: bool = True) -> str:
    """'> 45 个', '≈ 70 %', '18,785 万美元': a stated value as printed, with its hedge and unit."""
    r = row(frame, value_id)
    _, symbol = qualifier(r["note"])
    text = (symbol + " " if symbol else "") + Number.from_row(r).text()
    if not with_unit:
        return text
    if r["unit"] == "年份":
        return f"{text}年" + (f" ({r['period']})" if isinstance(r["period"], str) and r["period"] else "")
    if r["unit"] == "序数":
        return f"{text} (序数 ordinal)"
    return f"{text} {r['unit']}"
