"""The arithmetic every table and the audit share: growth, compound rates, shares, conversions.

Kept in one place so that a growth rate in a figure and the same growth rate in the audit are
computed by the same line of code.
"""

from __future__ import annotations

import math

import pandas as pd


def growth_pct(current: float, previous: float) -> float:
    """Year-on-year growth in percent."""
    if previous == 0:
        raise ZeroDivisionError("growth from a zero base is undefined")
    return (current / previous - 1.0) * 100.0


def cagr_pct(first: float, last: float, years: float) -> float:
    """Compound annual growth between two levels `years` apart, in percent."""
    if years <= 0 or first <= 0 or last <= 0:
        raise ValueError("CAGR needs positive levels and a positive span")
    return ((last / first) ** (1.0 / years) - 1.0) * 100.0


def share_pct(part: float, whole: float) -> float:
    return part / whole * 100.0


def implied_whole(part: float, share_percent: float) -> float:
    """The total that makes `part` equal to `share_percent` of it."""
    return part / (share_percent / 100.0)


def implied_previous(current: float, growth_percent: float) -> float:
    """Last year's level implied by this year's level and its stated growth."""
    return current / (1.0 + growth_percent / 100.0)


def yoy_series(levels: pd.Series) -> pd.Series:
    """Growth of a year-indexed series in percent; NaN where the previous year is missing."""
    levels = levels.sort_index()
    prev = levels.shift(1)
    consecutive = pd.Series(levels.index, index=levels.index).diff() == 1
    out = (levels / prev - 1.0) * 100.0
    return out.where(consecutive)


def half_unit(printed: str | float) -> float:
    """Half a unit in the last printed digit: '36.1' -> 0.05, '56' -> 0.5, '92.18' -> 0.005."""
    text = str(printed)
    if "." in text:
        decimals = len(text.split(".")[1].rstrip())
        return 0.5 * 10 ** (-decimals)
    return 0.5


def close(a: float, b: float, tol: float) -> bool:
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= tol + 1e-12
