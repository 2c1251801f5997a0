"""The checks of the claims audit: each recomputes one kind of claim and gives it a verdict.

Every verdict the report shows comes from here, through `audit` (the engine that runs the ledger):

- consistent:    the recomputed value is within the tolerance of the stated one;
- discrepancy:   it is not; the difference is given in the claim's unit (percentage points for %),
                 with the hypotheses tested (`hypotheses`);
- not checkable: an input is not published (or missing from data/), with the reason.

Nothing is consistent by default: a check that cannot compute returns `not checkable`.

The point checks are here: each recomputes a value and `judge`s the stated one against it. Claims
that state a bound, a band or a bracket are checked in `checks_bounds`, which registers its checks
in the same `CHECKS`.

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
from .number import spread, trimmed

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
