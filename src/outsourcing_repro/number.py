"""One model of a number, and the one rule that formats numbers for the report.

A `Number` is a value with its unit, the text under which its source printed it (so its precision:
"85.20" is known to ±0.005, "12932" to ±0.5, a count of firms exactly), its basis (stated by a paper,
published by MOFCOM, or derived here) and its provenance (a value id, a MOFCOM row, an arithmetic).

Formatting, everywhere in the report:
- a stated or published number is shown as its source printed it, never re-rounded;
- a derived number is shown at the precision the caller chose for it;
- one thousands-separator style: a comma between groups of three digits of the integer part
  (1,031.0 and 2,964, never 1031.0 beside 2,964.00); years and ordinals are labels, not grouped;
- a derived number carries the mark † (`DERIVED_MARK`); a table that shows one explains it in its
  note (`DERIVED_NOTE`), so the difference does not rest on tint or italics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from . import metrics, provenance

STATED = "stated"
PUBLISHED = "published"
DERIVED = "derived"
BASES = (STATED, PUBLISHED, DERIVED)

# How a table's basis column names each basis.
BASIS_STATED = "原文 stated"
BASIS_DERIVED = "推算 derived"
BASIS_MOFCOM = "商务部公布 MOFCOM, published"
BASIS_MOFCOM_DERIVED = "据商务部数据推算 derived from MOFCOM"

DERIVED_MARK = "†"
DERIVED_NOTE = "† 推算值 derived: computed here from the printed numbers; the source does not print it."
# Units whose numbers are labels, not quantities: never grouped ("2017", not "2,017").
LABEL_UNITS = ("年份", "序数", "年")
# Units of counted things: a stated count is exact, not rounded.
COUNT_UNITS = ("家", "个", "项", "人")


@dataclass(frozen=True)
class Number:
    """A number as some source prints it. `printed` holds the digits without grouping ("18785")."""

    value: float
    printed: str
    unit: str = ""
    basis: str = STATED
    source: str = ""
    exact: bool = False

    @property
    def half(self) -> float:
        """Half a unit of the last printed digit: how far rounding alone may have moved it."""
        return 0.0 if self.exact else metrics.half_unit(self.printed)

    @property
    def decimals(self) -> int:
        return decimals(self.printed)

    @property
    def label(self) -> str:
        return self.source

    def text(self, *, unit: bool = False, mark: bool = True) -> str:
        """The number as the report shows it: grouped, as printed, † if derived."""
        shown = self.printed if self.unit in LABEL_UNITS else group(self.printed)
        if mark and self.basis == DERIVED:
            shown += DERIVED_MARK
        return f"{shown} {self.unit}" if unit and self.unit else shown

    def with_(self, **changes) -> Number:
        return replace(self, **changes)

    @classmethod
    def from_printed(cls, printed: str, source: str = "", unit: str = "", basis: str = STATED) -> Number:
        text = str(printed).replace(" ", "").replace(",", "")
        return cls(float(text), text, unit, basis, source)

    @classmethod
    def exact_value(cls, value: float, source: str = "exact", unit: str = "") -> Number:
        return cls(float(value), f"{float(value):g}", unit, DERIVED, source, exact=True)

    @classmethod
    def derived(cls, value: float, places: int, unit: str = "", source: str = "") -> Number:
        """A number computed here, shown with `places` decimals."""
        return cls(float(value), fixed(value, places, grouped=False), unit, DERIVED, source)

    @classmethod
    def from_row(cls, row, *, source: str | None = None, basis: str = STATED) -> Number:
        """A transcribed value (paper or MOFCOM row) with the precision its quote prints it in: a value
        read as 12932.0 from the CSV was printed "12932" and is known to ±0.5, not ±0.05. A count
        (kind 'count') is exact."""
        value = float(row["value"])
        token = printed_token(value, row.get("quote", "")) or shortest(value)
        exact = row.get("kind") == "count" and value.is_integer()
        label = source if source is not None else str(row.get("value_id", ""))
        return cls(value, token, str(row.get("unit", "") or ""), basis, label, exact)


def printed_token(value: float, quote) -> str | None:
    """The text under which `value` appears in `quote` ("18 785" or "18,785" -> "18785"), or None."""
    for match in provenance._NUMBER.finditer(provenance.flatten(str(quote))):
        token = match.group(0).replace(" ", "").replace(",", "")
        if abs(float(token) - value) < 1e-9:
            return token
    return None


def shortest(value: float) -> str:
    """The shortest text of a float that reads back the same, without a trailing '.0'."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def decimals(printed: str) -> int:
    text = str(printed)
    return len(text.split(".")[1]) if "." in text else 0


def group(printed: str) -> str:
    """Thousands separators on the integer part of a printed number: '18785' -> '18,785',
    '1031.0' -> '1,031.0', '85.20' -> '85.20'."""
    text = str(printed).replace(",", "").replace(" ", "")
    sign = "-" if text.startswith("-") else ""
    whole, dot, frac = text.lstrip("+-").partition(".")
    if not whole.isdigit():
        return str(printed)
    return f"{sign}{int(whole):,}" + (dot + frac if dot else "")


def fixed(value: float | None, places: int, *, grouped: bool = True, sign: bool = False) -> str:
    """`value` with exactly `places` decimals (half away from zero), grouped; '—' if missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or pd.isna(value):
        return "—"
    quantum = Decimal(1).scaleb(-places)
    d = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)
    text = f"{d:,.{places}f}" if grouped else f"{d:.{places}f}"
    return "+" + text if sign and d > 0 else text


def trimmed(value: float | None, places: int = 4) -> str:
    """At most `places` decimals, trailing zeros dropped ('2.50' -> '2.5', 1500.0 -> '1,500')."""
    text = fixed(value, places)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def half_up(value: float, places: int = 1) -> str:
    """Round half away from zero for display (106.25 -> '106.3'); format() would print '106.2'."""
    return fixed(value, places, grouped=False)


def spread(fn, numbers: list[Number]) -> tuple[float, float, float]:
    """fn at the printed values, and its least and greatest value over every corner of the box
    value ± half. Exact bounds for functions monotone in each argument."""
    import itertools

    center = fn(*[n.value for n in numbers])
    corners = itertools.product(*[(n.value - n.half, n.value + n.half) for n in numbers])
    values = [fn(*corner) for corner in corners]
    return center, min(values), max(values)


def as_printed(value: float) -> str:
    """A value read from a data file, shown as the file prints it, grouped: 13233.4 -> '13,233.4'."""
    return group(shortest(value))


_COUNT_WORDS = {
    1: ("一", "one"),
    2: ("两", "two"),
    3: ("三", "three"),
    4: ("四", "four"),
    5: ("五", "five"),
    6: ("六", "six"),
    7: ("七", "seven"),
    8: ("八", "eight"),
    9: ("九", "nine"),
    10: ("十", "ten"),
}


def count_words(count: float) -> tuple[str, str]:
    """A small count in words, as a caption says it: 2 -> ('两', 'two') (两大示范园区)."""
    n = int(count)
    if n != count or n not in _COUNT_WORDS:
        return shortest(count), shortest(count)
    return _COUNT_WORDS[n]
