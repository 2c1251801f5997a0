"""The checks of the claims audit: each recomputes one kind of claim and gives it a verdict.

Every verdict the report shows comes from here, through `audit` (the engine that runs the ledger):

- consistent:    the recomputed value is within the tolerance of the stated one;
- discrepancy:   it is not; the difference is given in the claim's unit (percentage points for %),
                 with the hypotheses tested (`hypotheses`);
- not checkable: an input is not published (or missing from data/), with the reason.

Nothing is consistent by default: a check that cannot compute returns `not checkable`.

Tolerance follows the printed precision. A stated "36.1" can mean anything in [36.05, 36.15), so the
tolerance is half a unit in its last digit (`metrics.half_unit`) plus what the rounding of the inputs
allows: each input is known only to ± half a unit of its own last printed digit, and the recomputed
value is evaluated at every corner of that box (`number.spread`), which is exact for the monotone
functions used here (growth, shares, sums, compound rates, ratios).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import hypotheses, metrics, provenance
from .hypotheses import Hypothesis
from .ledger import Claim, LedgerError
from .number import Number, spread, trimmed

CONSISTENT = "consistent"
DISCREPANCY = "discrepancy"
NOT_CHECKABLE = "not checkable"
VERDICTS = (CONSISTENT, DISCREPANCY, NOT_CHECKABLE)


@dataclass
class Result:
    verdict: str
    recomputed: float | None = None
    low: float | None = None
    high: float | None = None
    tolerance: float | None = None
    detail: str = ""
    explanations: list[Hypothesis] = field(default_factory=list)
    unit: str | None = None  # the unit of recomputed/low/high when it is not the claim's own


def not_checkable(reason: str) -> Result:
    return Result(NOT_CHECKABLE, detail=reason)


def judge(claim: Claim, center: float, low: float, high: float, what: str) -> Result:
    """Point claim: consistent when |stated − recomputed| ≤ half a unit of the stated value plus the
    spread the inputs' rounding allows (or the ledger's explicit tolerance)."""
    if not all(math.isfinite(x) for x in (center, low, high)):
        return not_checkable(f"{what} cannot be computed (non-finite)")
    tol = claim.tolerance if claim.tolerance is not None else (claim.stated.half + max(center - low, high - center))
    verdict = CONSISTENT if metrics.close(claim.stated.value, center, tol) else DISCREPANCY
    spread_text = f" (rounding range {trimmed(low)}–{trimmed(high)})" if high > low else ""
    return Result(verdict, center, low, high, tol, f"{what} = {trimmed(center)}{spread_text}.")


CHECKS: dict[str, Callable[[Claim], Result]] = {}


def check(fn: Callable[[Claim], Result]) -> Callable[[Claim], Result]:
    """Register `fn` under its name; the ledger's `check` column names one of these."""
    CHECKS[fn.__name__] = fn
    return fn


# Checks


@check
def not_published(claim: Claim) -> Result:
    """The paper gives no inputs for this number, and data/ holds none: the ledger note says why."""
    return not_checkable("inputs not published")


@check
def growth(claim: Claim) -> Result:
    """Year-on-year growth (%) from two levels: inputs `current`, `previous` (optional
    `current_rmb`, the current level in 亿元, to test growth computed on RMB values)."""
    claim.require("current", "previous")
    cur, prev = claim.inputs["current"], claim.inputs["previous"]
    center, low, high = spread(metrics.growth_pct, [cur, prev])
    result = judge(claim, center, low, high, f"growth {cur.text()}/{prev.text()} − 1")
    if result.verdict == DISCREPANCY:
        result.explanations = hypotheses.growth(claim, cur, prev, center, result.tolerance)
    return result


@check
def cagr(claim: Claim) -> Result:
    """Compound annual growth (%) between inputs `first` and `last`, params `years` apart."""
    claim.require("first", "last")
    years = float(claim.params["years"])
    first, last = claim.inputs["first"], claim.inputs["last"]
    fn = lambda a, b: metrics.cagr_pct(a, b, years)  # noqa: E731
    center, low, high = spread(fn, [first, last])
    result = judge(claim, center, low, high, f"({last.text()}/{first.text()})^(1/{years:g}) − 1")
    if result.verdict == DISCREPANCY:
        result.explanations = hypotheses.cagr(claim, first, last, years, center, result.tolerance)
    return result


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
def share(claim: Claim) -> Result:
    """Share (%) of input `part` in input `whole`."""
    claim.require("part", "whole")
    part, whole = claim.inputs["part"], claim.inputs["whole"]
    center, low, high = spread(metrics.share_pct, [part, whole])
    return judge(claim, center, low, high, f"{part.text()}/{whole.text()}")


@check
def sum_of_parts(claim: Claim) -> Result:
    """The stated total against the sum of the listed `parts` (same unit)."""
    claim.require("parts")
    parts = claim.inputs["parts"]
    center, low, high = spread(lambda *p: sum(p), parts)
    return judge(claim, center, low, high, " + ".join(p.text() for p in parts))


@check
def shares_sum_to_whole(claim: Claim) -> Result:
    """Listed `shares` of one whole must add up to the stated whole (100): the 100 is exact, so the
    tolerance is only the shares' own rounding."""
    claim.require("shares")
    shares = claim.inputs["shares"]
    center, low, high = spread(lambda *s: sum(s), shares)
    tol = claim.tolerance if claim.tolerance is not None else max(center - low, high - center)
    verdict = CONSISTENT if metrics.close(claim.stated.value, center, tol) else DISCREPANCY
    return Result(verdict, center, low, high, tol, " + ".join(s.text() for s in shares) + f" = {trimmed(center)}.")


@check
def restated(claim: Claim) -> Result:
    """A number the paper prints twice (input `other`) must be the same both times."""
    claim.require("other")
    other = claim.inputs["other"]
    center, low, high = spread(lambda x: x, [other])
    return judge(claim, center, low, high, f"printed elsewhere as {other.text()} ({other.label})")


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
def count_listed(claim: Claim) -> Result:
    """Count the items the quote itself lists. params: `open` and `close` delimit the list in the
    quote, `sep` is a regular expression for the separators, `add` items counted outside the list."""
    text = provenance.flatten(claim.quote)
    opener, closer = claim.params["open"], claim.params["close"]
    start = text.find(opener)
    if start < 0:
        raise LedgerError(f"'{opener}' not in the quote")
    start += len(opener)
    end = text.find(closer, start)
    if end < 0:
        raise LedgerError(f"'{closer}' not after '{opener}' in the quote")
    items = [t.strip() for t in re.split(claim.params.get("sep", "、"), text[start:end]) if t.strip()]
    count = len(items) + int(claim.params.get("add", 0))
    verdict = CONSISTENT if count == claim.stated.value else DISCREPANCY
    extra = f" + {claim.params['add']} named outside the list" if "add" in claim.params else ""
    return Result(
        verdict, float(count), float(count), float(count), 0.0, f"{len(items)} items listed{extra}: {'; '.join(items)}."
    )


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
def per_capita(claim: Claim) -> Result:
    """Amount per worker: `amount` (亿美元) over the workforce (万人) gives 万美元 per person. The
    workforce is `workers`, or `part` / `share` % (a sub-group and its stated share). If the ratio
    misses and `prior_total`/`prior_ytd` are given, the year's new hires (workforce less the stock a
    year earlier, = prior_total − prior_ytd) are tried as the denominator."""
    claim.require("amount")
    amount = claim.inputs["amount"]
    if "workers" in claim.inputs:
        numbers = [amount, claim.inputs["workers"]]
        fn = lambda a, w: a / w  # noqa: E731
        what = f"{amount.text()}亿美元 / {claim.inputs['workers'].text()}万人"
    else:
        claim.require("part", "share")
        numbers = [amount, claim.inputs["part"], claim.inputs["share"]]
        fn = lambda a, p, s: a / (p / (s / 100))  # noqa: E731
        what = f"{amount.text()}亿美元 / ({claim.inputs['part'].text()}万人 / {claim.inputs['share'].text()}%)"
    center, low, high = spread(fn, numbers)
    result = judge(claim, center, low, high, what)
    if result.verdict == DISCREPANCY:
        result.explanations = hypotheses.per_capita(claim, center)
    return result


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


RATE_UNIT = "元/美元 (CNY per USD)"


@check
def conversion(claim: Claim) -> Result:
    """A currency conversion: stated `target` (亿元) from `source` (万美元). With param `rate` (and
    its source in the ledger note) it is checked; without one, the implied rate and its rounding
    range are reported and the claim is not checkable."""
    claim.require("source")
    source = claim.inputs["source"]
    target = claim.stated.number(claim.claim_id)
    c, lo, hi = spread(lambda t, s: t * 1e4 / s, [target, source])
    detail = (
        f"implied rate {claim.stated.text()}亿元 / {source.text()}万美元 = {trimmed(c, 4)} CNY/USD "
        f"(rounding range {trimmed(lo, 4)}–{trimmed(hi, 4)})."
    )
    if "rate" not in claim.params:
        return Result(
            NOT_CHECKABLE,
            None,
            lo,
            hi,
            None,
            detail + " data/ holds no official rate for the year to compare with.",
            unit=RATE_UNIT,
        )
    rate = float(claim.params["rate"])
    center, low, high = spread(lambda s: s * rate / 1e4, [source])
    result = judge(claim, center, low, high, f"{source.text()}万美元 × {rate:g}")
    result.detail += " " + detail
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
