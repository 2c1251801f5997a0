"""The claims audit's bound checks: a claim that is an inequality, a range or a bracket.

A point claim is judged against one recomputed value (`checks`); the claims here state a bound ("50%
以上", "at most", a band "low..high") or a level that must lie between two published ones, and are
consistent when the stated value and the inputs' rounding (`number.spread`) leave the bound met.
Each function registers itself in `checks.CHECKS` under its name, which the ledger's `check`
column names; `audit` imports this module for that.
"""

from __future__ import annotations

from . import hypotheses, metrics
from .checks import CONSISTENT, DISCREPANCY, Result, check
from .ledger import Claim
from .number import Number, spread, trimmed


@check
def average_growth_at_least(claim: Claim) -> Result:
    """A stated lower bound ("50%以上") on average growth: both readings of "average" — the compound
    rate from `first` to `last` over params `years`, and the mean of the stated yearly `growths` —
    must reach it (less its rounding)."""
    claim.require("first", "last", "growths")
    years = float(claim.params["years"])
    first, last, rates = claim.inputs["first"], claim.inputs["last"], claim.inputs["growths"]
    c_center, c_low, _ = spread(lambda a, b: metrics.cagr_pct(a, b, years), [first, last])
    m_center, m_low, _ = spread(lambda *g: sum(g) / len(g), rates)
    bound = claim.stated.value - (claim.tolerance if claim.tolerance is not None else claim.stated.half)
    ok = c_low >= bound and m_low >= bound
    detail = (
        f"compound rate {first.text()}→{last.text()} over {years:g} years = {trimmed(c_center, 2)}%; "
        f"mean of the {len(rates)} stated yearly rates = {trimmed(m_center, 2)}%; "
        f"both must be ≥ {trimmed(bound, 2)}%."
    )
    return Result(
        CONSISTENT if ok else DISCREPANCY,
        c_center,
        min(c_low, m_low),
        max(c_center, m_center),
        claim.stated.value - bound,
        detail,
    )


@check
def parts_within_whole(claim: Claim) -> Result:
    """Listed `parts` of the stated whole cannot add up to more than it; the remainder is reported."""
    claim.require("parts")
    parts = claim.inputs["parts"]
    center, low, high = spread(lambda *p: sum(p), parts)
    allowed = claim.stated.value + (claim.tolerance if claim.tolerance is not None else claim.stated.half)
    verdict = CONSISTENT if low <= allowed + 1e-12 else DISCREPANCY
    remainder = claim.stated.value - center
    return Result(
        verdict,
        center,
        low,
        high,
        allowed - claim.stated.value,
        (
            f"parts {' + '.join(p.text() for p in parts)} = {trimmed(center)}"
            if len(parts) > 1
            else f"part {parts[0].text()}"
        )
        + f" ≤ {claim.stated.text()}; "
        f"remainder {trimmed(remainder)}.",
    )


@check
def band_mean(claim: Claim) -> Result:
    """Size bands: firms above a threshold (`count_all`, `value_all`) include those above a higher
    one (`count_top`, `value_top`); the firms in between must average a value inside the band
    (stated "low..high")."""
    claim.require("count_all", "value_all", "count_top", "value_top")
    n_all, v_all = claim.inputs["count_all"], claim.inputs["value_all"]
    n_top, v_top = claim.inputs["count_top"], claim.inputs["value_top"]
    # Counts of firms are exact integers; only the amounts carry rounding.
    n_all, n_top = n_all.with_(exact=True), n_top.with_(exact=True)
    if n_all.value <= n_top.value:
        return Result(
            DISCREPANCY,
            detail=f"{n_top.text()} firms above the upper threshold exceed the {n_all.text()} above the lower one",
        )
    fn = lambda va, vt, na, nt: (va - vt) / (na - nt)  # noqa: E731
    center, low, high = spread(fn, [v_all, v_top, n_all, n_top])
    top_mean = v_top.value / n_top.value
    lo, hi = claim.stated.low, claim.stated.high
    ok = high >= lo and low <= hi and top_mean >= hi
    detail = (
        f"the {trimmed(n_all.value - n_top.value, 0)} firms in the band average "
        f"({v_all.text()} − {v_top.text()})/({n_all.text()} − {n_top.text()}) = {trimmed(center, 1)}, "
        f"inside {trimmed(lo, 0)}..{trimmed(hi, 0)}; the {n_top.text()} firms above average "
        f"{trimmed(top_mean, 1)} ≥ {trimmed(hi, 0)}."
    )
    return Result(CONSISTENT if ok else DISCREPANCY, center, low, high, 0.0, detail)


@check
def bracketed(claim: Claim) -> Result:
    """A level at a date between two published levels of a running total (`before`, `after`) must
    lie between them. With `after_ytd` (the inflow between the start of the later year and `after`)
    the upper bound tightens to after − after_ytd, or, with param `after_ytd_share` (the printed
    share, %, of that inflow that belongs to this total), to after − after_ytd × share. With `part`
    and `share` the level is not the stated value but the whole they imply (part / share)."""
    claim.require("before", "after")
    before, after = claim.inputs["before"], claim.inputs["after"]
    upper, what = after.value + after.half, f"published {before.text()} before and {after.text()} after"
    if "after_ytd" in claim.inputs:
        ytd = claim.inputs["after_ytd"]
        if "after_ytd_share" in claim.params:
            share = Number.from_printed(claim.params["after_ytd_share"], "after_ytd_share")
            upper -= (ytd.value - ytd.half) * (share.value - share.half) / 100
            what += f", less {ytd.text()} × {share.text()}% added in the later year before it"
        else:
            upper -= ytd.value - ytd.half
            what += f", less {ytd.text()} added in the later year before it"
    if "part" in claim.inputs and "share" in claim.inputs:
        part, share = claim.inputs["part"], claim.inputs["share"]
        center, low, high = spread(metrics.implied_whole, [part, share])
        lo = before.value - before.half
        ok = high >= lo and low <= upper
        return Result(
            CONSISTENT if ok else DISCREPANCY,
            center,
            low,
            high,
            0.0,
            f"{part.text()} / {claim.stated.text()}% = {trimmed(center, 1)} (rounding range "
            f"{trimmed(low, 2)}–{trimmed(high, 2)}); {what}: it must lie in {trimmed(lo, 2)}–"
            f"{trimmed(upper, 2)}.",
            unit=part.unit or "",
        )
    return _bracket(claim, before.value - before.half, upper, what)


@check
def bracketed_share(claim: Claim) -> Result:
    """A cumulative share at a date between two published ones (parts and wholes before/after) must
    lie between them. Valid when the share moves one way in between (the ledger note says why)."""
    claim.require("part_before", "whole_before", "part_after", "whole_after")
    b = spread(metrics.share_pct, [claim.inputs["part_before"], claim.inputs["whole_before"]])
    a = spread(metrics.share_pct, [claim.inputs["part_after"], claim.inputs["whole_after"]])
    return _bracket(
        claim,
        min(b[1], a[1]),
        max(b[2], a[2]),
        f"published shares {trimmed(b[0], 2)}% before and {trimmed(a[0], 2)}% after",
    )


def _bracket(claim: Claim, lo: float, hi: float, what: str) -> Result:
    s = claim.stated
    ok = s.value + s.half >= lo and s.value - s.half <= hi
    return Result(
        CONSISTENT if ok else DISCREPANCY,
        None,
        lo,
        hi,
        s.half,
        f"{what}: the stated value must lie in {trimmed(lo, 2)}–{trimmed(hi, 2)}.",
    )


@check
def average_flow_from_stocks(claim: Claim) -> Result:
    """Average yearly inflow over params `years` years from two running totals: the total at the end
    of the span is a later published total (`end_total`) less that year's year-to-date inflow
    (`end_ytd`); the total before the span is the total at the end of its first year (`start_total`)
    less that first year's inflow, which is only bounded: 0 ≤ it ≤ `first_year_max` (an inflow of
    which this one is a part). Optional `first_share_part`/`first_share_whole` give a share that
    turns the bound into a point estimate (an assumption, reported as such)."""
    claim.require("end_total", "end_ytd", "start_total", "first_year_max")
    years = float(claim.params["years"])
    end_total, end_ytd = claim.inputs["end_total"], claim.inputs["end_ytd"]
    start, first_max = claim.inputs["start_total"], claim.inputs["first_year_max"]
    _lo_c, lo_l, _lo_h = spread(lambda e, y, s: (e - y - s) / years, [end_total, end_ytd, start])
    _hi_c, _hi_l, hi_h = spread(lambda e, y, s, f: (e - y - s + f) / years, [end_total, end_ytd, start, first_max])
    s = claim.stated
    ok = s.value + s.half >= lo_l and s.value - s.half <= hi_h
    end_stock = end_total.value - end_ytd.value
    detail = (
        f"stock at the end of the span {end_total.text()} − {end_ytd.text()} = {trimmed(end_stock, 1)}; "
        f"stock after its first year {start.text()}; the first year's inflow lies in 0–{first_max.text()}, "
        f"so the average lies in {trimmed(lo_l, 1)}–{trimmed(hi_h, 1)} per year "
        f"(the later {years - 1:g} years alone average {trimmed((end_stock - start.value) / (years - 1), 1)})."
    )
    point = None
    if "first_share_part" in claim.inputs and "first_share_whole" in claim.inputs:
        ratio = claim.inputs["first_share_part"].value / claim.inputs["first_share_whole"].value
        first = ratio * first_max.value
        point = (end_stock - start.value + first) / years
        detail += (
            f" The result is that range; one assumption gives one point in it: if the first year's inflow "
            f"had the share {trimmed(ratio * 100, 1)}% seen in {claim.inputs['first_share_part'].label} "
            f"({trimmed(first, 1)}), the average would be {trimmed(point, 1)}."
        )
    return Result(CONSISTENT if ok else DISCREPANCY, None, lo_l, hi_h, s.half, detail)


@check
def shares_within_whole(claim: Claim) -> Result:
    """Parts of one whole: one part's level and share (`anchor_level`, `anchor_share`) imply the
    whole; other parts given as `levels` (same unit) or `shares` (%) must, with it, not exceed the
    stated whole (100%). The whole is exact; the tolerance is the inputs' rounding only."""
    claim.require("anchor_level", "anchor_share")
    anchor, anchor_share = claim.inputs["anchor_level"], claim.inputs["anchor_share"]
    levels, shares = claim.inputs.get("levels", []), claim.inputs.get("shares", [])
    n_levels = len(levels)

    def total_share(a, s, *rest):
        whole = a / (s / 100)
        return s + sum(x / whole * 100 for x in rest[:n_levels]) + sum(rest[n_levels:])

    center, low, high = spread(total_share, [anchor, anchor_share, *levels, *shares])
    whole = anchor.value / (anchor_share.value / 100)
    ok = low <= claim.stated.value + (claim.tolerance or 0.0) + 1e-12
    parts = [f"{level.text()} = {trimmed(level.value / whole * 100, 2)}%" for level in levels]
    detail = (
        f"whole implied by {anchor.text()}/{anchor_share.text()}% = {trimmed(whole, 2)}; "
        f"{'; '.join(parts)}; listed parts add up to {trimmed(center, 2)}% (rounding range "
        f"{trimmed(low, 2)}–{trimmed(high, 2)}%) of a whole of {claim.stated.text()}%."
    )
    result = Result(CONSISTENT if ok else DISCREPANCY, center, low, high, 0.0, detail)
    if not ok and levels:
        result.explanations = hypotheses.shares_within_whole(claim, whole, total_share)
    return result


@check
def share_at_most(claim: Claim) -> Result:
    """One member's share of a whole cannot exceed the stated share of a group it belongs to: `part`
    (times param `scale`, to the whole's unit) over the whole implied by `anchor_level` /
    `anchor_share` %."""
    claim.require("part", "anchor_level", "anchor_share")
    part, anchor, anchor_share = claim.inputs["part"], claim.inputs["anchor_level"], claim.inputs["anchor_share"]
    scale = float(claim.params.get("scale", 1))
    center, low, high = spread(lambda p, a, s: p * scale / (a / (s / 100)) * 100, [part, anchor, anchor_share])
    allowed = claim.stated.value + claim.stated.half
    return Result(
        CONSISTENT if low <= allowed + 1e-12 else DISCREPANCY,
        center,
        low,
        high,
        claim.stated.half,
        f"{part.text()} × {scale:g} / ({anchor.text()} / {anchor_share.text()}%) = {trimmed(center, 2)}% "
        f"(rounding range {trimmed(low, 2)}–{trimmed(high, 2)}%) ≤ {claim.stated.text()}%.",
    )


@check
def at_most_difference(claim: Claim) -> Result:
    """A count within a group that is itself a difference: stated ≤ `whole` − `less` (counts, exact)."""
    claim.require("whole", "less")
    whole, less = claim.inputs["whole"], claim.inputs["less"]
    bound = whole.value - less.value
    ok = claim.stated.value <= bound + (0 if whole.exact and less.exact else whole.half + less.half)
    return Result(
        CONSISTENT if ok else DISCREPANCY,
        bound,
        None,
        None,
        0.0,
        f"{whole.text()} − {less.text()} = {trimmed(bound)}; the stated {claim.stated.text()} must not exceed it.",
    )


@check
def floor_of_bands(claim: Claim) -> Result:
    """Firms above a threshold (`n_all`, param `low`) include those above a higher one (`n_top`,
    param `top`): together they execute at least n_top × top + (n_all − n_top) × low."""
    claim.require("n_all", "n_top")
    n_all, n_top = claim.inputs["n_all"], claim.inputs["n_top"]
    top, low = float(claim.params["top"]), float(claim.params["low"])
    floor = n_top.value * top + (n_all.value - n_top.value) * low
    ok = claim.stated.value + claim.stated.half >= floor
    return Result(
        CONSISTENT if ok else DISCREPANCY,
        floor,
        floor,
        None,
        0.0,
        f"{n_top.text()} × {top:g} + ({n_all.text()} − {n_top.text()}) × {low:g} = {trimmed(floor)}; "
        f"the stated {claim.stated.text()} must reach it.",
    )
