"""The claims audit: recompute every checkable number the two papers print and give it a verdict.

The ledger (data/claims/claims_ledger.csv) has one row per claim: the number as printed (`stated`),
the name of a check in this module (`check`), the numbers the check uses (`inputs`), and optional
`params` and an explicit `tolerance` with its reason. `run_ledger` resolves the inputs, runs each
check and returns one row per claim with the recomputed value and one of three verdicts:

- consistent:    the recomputed value is within the tolerance of the stated one;
- discrepancy:   it is not; the difference is given in the claim's unit (percentage points for %),
                 with the hypotheses tested and the one the numbers point to, if any;
- not checkable: an input is not published (or missing from data/), with the reason.

Nothing is consistent by default: a check that cannot compute returns `not checkable`.

Tolerance follows the printed precision. A stated "36.1" can mean anything in [36.05, 36.15), so the
tolerance is half a unit in its last digit (`metrics.half_unit`) plus what the rounding of the inputs
allows: each input is known only to ± half a unit of its own last printed digit, and the recomputed
value is evaluated at every corner of that box (`spread`), which is exact for the monotone functions
used here (growth, shares, sums, compound rates, ratios).

Inputs are written `role=token; role=token`. A token is a paper value id (`b_exec_2016`), or a MOFCOM
selector `mofcom:YEAR|METRIC|SCOPE-SUBSTRING[|UNIT]` that must pick exactly one row of
data/external/mofcom_release_values.csv. A role given several times becomes a list (`parts=...`).
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from . import metrics, provenance
from .schemas import base_unit

CONSISTENT = "consistent"
DISCREPANCY = "discrepancy"
NOT_CHECKABLE = "not checkable"
VERDICTS = (CONSISTENT, DISCREPANCY, NOT_CHECKABLE)

OUTPUT_COLUMNS = [
    "claim_id", "paper", "section", "quote", "stated", "recomputed", "low", "high", "tolerance",
    "difference", "difference_pp", "unit", "verdict", "check", "inputs", "note",
]


class MissingInput(LookupError):
    """An input the check needs is not in data/: the claim is not checkable, and this says why."""


class LedgerError(ValueError):
    """The ledger itself is wrong (unknown check, malformed inputs): a bug to fix, not a verdict."""


# --------------------------------------------------------------------------------------------------
# Numbers with their printed precision


@dataclass(frozen=True)
class Number:
    """A number as some source prints it, with half a unit of its last printed digit."""

    value: float
    half: float
    label: str
    printed: str

    @classmethod
    def exact(cls, value: float, label: str = "exact") -> "Number":
        return cls(float(value), 0.0, label, f"{value:g}")

    @classmethod
    def from_printed(cls, printed: str, label: str) -> "Number":
        text = printed.replace(" ", "").replace(",", "")
        return cls(float(text), metrics.half_unit(text), label, text)


@dataclass(frozen=True)
class Stated:
    """The ledger's `stated` cell: a number ("76.84") or a range the claim implies ("200..500")."""

    printed: str
    value: float | None
    low: float | None = None
    high: float | None = None
    exact: bool = False   # a count of firms or items: no rounding

    @property
    def half(self) -> float:
        return metrics.half_unit(self.printed) if self.value is not None and not self.exact else 0.0

    @classmethod
    def parse(cls, text, exact: bool = False) -> "Stated":
        text = str(text).strip().replace(" ", "")
        if ".." in text:
            low, high = (float(t) for t in text.split(".."))
            return cls(text, None, low, high)
        return cls(text, float(text), exact=exact)


def printed_token(value: float, quote: str) -> str | None:
    """The text under which `value` appears in `quote` ("18 785" -> "18785"), or None."""
    for match in provenance._NUMBER.finditer(provenance.flatten(str(quote))):
        token = match.group(0).replace(" ", "")
        if abs(float(token) - value) < 1e-9:
            return token
    return None


def paper_number(row: pd.Series) -> Number:
    """A paper value with the precision its quote prints it in; a value read as 12932.0 from the CSV
    was printed "12932" and is known to ±0.5, not ±0.05. Counts (kind 'count') are exact."""
    value = float(row["value"])
    token = printed_token(value, row["quote"])
    if token is None:  # the provenance test forbids this; fall back to the shortest repr
        token = f"{value:g}"
    exact = row.get("kind") == "count" and value.is_integer()
    return Number(value, 0.0 if exact else metrics.half_unit(token), str(row["value_id"]), token)


def spread(fn: Callable[..., float], numbers: list[Number]) -> tuple[float, float, float]:
    """fn at the printed values, and its least and greatest value over every corner of the box
    value ± half. Exact bounds for functions monotone in each argument."""
    center = fn(*[n.value for n in numbers])
    corners = itertools.product(*[(n.value - n.half, n.value + n.half) for n in numbers])
    values = [fn(*corner) for corner in corners]
    return center, min(values), max(values)


# --------------------------------------------------------------------------------------------------
# Resolving the ledger's inputs


@dataclass
class Sources:
    """The frames the inputs are looked up in."""

    values: pd.DataFrame          # both papers' values, concatenated
    mofcom: pd.DataFrame

    def number(self, token: str) -> Number:
        token = token.strip()
        if token.startswith("mofcom:"):
            return self._mofcom(token)
        if re.fullmatch(r"[ab]_[a-z0-9_]+", token):
            hits = self.values[self.values["value_id"] == token]
            if hits.empty:
                raise MissingInput(f"value '{token}' is not in the paper value files")
            return paper_number(hits.iloc[0])
        raise LedgerError(f"input token {token!r} is neither a value id nor a mofcom: selector")

    def _mofcom(self, token: str) -> Number:
        fields = token[len("mofcom:"):].split("|")
        if len(fields) not in (3, 4):
            raise LedgerError(f"MOFCOM selector {token!r} needs YEAR|METRIC|SCOPE[|UNIT]")
        year, metric, scope = int(fields[0]), fields[1], fields[2]
        frame = self.mofcom
        sel = (frame["year"] == year) & (frame["metric"] == metric) & frame["scope"].str.contains(
            scope, regex=False)
        if len(fields) == 4:
            sel &= frame["unit"].map(base_unit) == fields[3]
        hits = frame[sel]
        if hits.empty:
            raise MissingInput(f"MOFCOM releases in data/ have no {year} '{metric}' ({scope}"
                               + (f", {fields[3]}" if len(fields) == 4 else "") + ")")
        if hits["value"].nunique() > 1:
            raise LedgerError(f"MOFCOM selector {token!r} matches rows with different values")
        row = hits.iloc[0]
        token_text = printed_token(float(row["value"]), row["quote"]) or f"{float(row['value']):g}"
        label = f"MOFCOM {year} {metric} ({scope})"
        return Number(float(row["value"]), metrics.half_unit(token_text), label, token_text)


def parse_inputs(spec) -> list[tuple[str, str]]:
    if spec is None or (isinstance(spec, float) and math.isnan(spec)) or pd.isna(spec):
        return []
    pairs = []
    for part in str(spec).split(";"):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise LedgerError(f"input {part!r} must be written role=token")
        role, token = part.split("=", 1)
        pairs.append((role.strip(), token.strip()))
    return pairs


def parse_params(spec) -> dict[str, str]:
    if spec is None or pd.isna(spec):
        return {}
    out = {}
    for part in str(spec).split(";"):
        if part.strip():
            key, value = part.split("=", 1)
            out[key.strip()] = value.strip()
    return out


LIST_ROLES = {"parts", "shares", "levels", "growths"}


def resolve(pairs: list[tuple[str, str]], sources: Sources) -> tuple[dict, list[str]]:
    """Roles -> Number (or list of Number for LIST_ROLES); also every missing input's reason."""
    resolved: dict = {}
    missing: list[str] = []
    for role, token in pairs:
        try:
            number = sources.number(token)
        except MissingInput as exc:
            missing.append(str(exc))
            continue
        if role in LIST_ROLES:
            resolved.setdefault(role, []).append(number)
        elif role in resolved:
            raise LedgerError(f"role '{role}' given twice")
        else:
            resolved[role] = number
    return resolved, missing


# --------------------------------------------------------------------------------------------------
# Results and verdicts


@dataclass
class Claim:
    claim_id: str
    stated: Stated
    quote: str
    inputs: dict
    params: dict
    tolerance: float | None = None   # explicit override from the ledger
    unit: str = ""


@dataclass
class Result:
    verdict: str
    recomputed: float | None = None
    low: float | None = None
    high: float | None = None
    tolerance: float | None = None
    detail: str = ""
    explanations: list[str] = field(default_factory=list)


def not_checkable(reason: str) -> Result:
    return Result(NOT_CHECKABLE, detail=reason)


def judge(claim: Claim, center: float, low: float, high: float, what: str) -> Result:
    """Point claim: consistent when |stated − recomputed| ≤ half a unit of the stated value plus the
    spread the inputs' rounding allows (or the ledger's explicit tolerance)."""
    if not all(math.isfinite(x) for x in (center, low, high)):
        return not_checkable(f"{what} cannot be computed (non-finite)")
    tol = claim.tolerance if claim.tolerance is not None else (
        claim.stated.half + max(center - low, high - center))
    verdict = CONSISTENT if metrics.close(claim.stated.value, center, tol) else DISCREPANCY
    spread_text = f" (rounding range {fmt(low)}–{fmt(high)})" if high > low else ""
    return Result(verdict, center, low, high, tol, f"{what} = {fmt(center)}{spread_text}.")


def fmt(x: float, digits: int = 4) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    text = f"{x:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _require(claim: Claim, *roles: str) -> None:
    absent = [r for r in roles if r not in claim.inputs]
    if absent:
        raise MissingInput(f"inputs {absent} not available")


# Units of counted things: a stated count is exact, not rounded.
COUNT_UNITS = ("家", "个", "项")

CHECKS: dict[str, Callable[[Claim], Result]] = {}


def check(fn: Callable[[Claim], Result]) -> Callable[[Claim], Result]:
    """Register `fn` under its name; the ledger's `check` column names one of these."""
    CHECKS[fn.__name__] = fn
    return fn


# --------------------------------------------------------------------------------------------------
# Checks


@check
def not_published(claim: Claim) -> Result:
    """The paper gives no inputs for this number, and data/ holds none: the ledger note says why."""
    return not_checkable("inputs not published")


@check
def growth(claim: Claim) -> Result:
    """Year-on-year growth (%) from two levels: inputs `current`, `previous` (optional
    `current_rmb`, the current level in 亿元, to test growth computed on RMB values)."""
    _require(claim, "current", "previous")
    cur, prev = claim.inputs["current"], claim.inputs["previous"]
    center, low, high = spread(metrics.growth_pct, [cur, prev])
    result = judge(claim, center, low, high, f"growth {cur.printed}/{prev.printed} − 1")
    if result.verdict == DISCREPANCY:
        result.explanations = explain_growth(claim, cur, prev, center, result.tolerance)
    return result


@check
def cagr(claim: Claim) -> Result:
    """Compound annual growth (%) between inputs `first` and `last`, params `years` apart."""
    _require(claim, "first", "last")
    years = float(claim.params["years"])
    first, last = claim.inputs["first"], claim.inputs["last"]
    fn = lambda a, b: metrics.cagr_pct(a, b, years)  # noqa: E731
    center, low, high = spread(fn, [first, last])
    result = judge(claim, center, low, high, f"({last.printed}/{first.printed})^(1/{years:g}) − 1")
    if result.verdict == DISCREPANCY:
        result.explanations = explain_cagr(claim, first, last, years, center, result.tolerance)
    return result


@check
def average_growth_at_least(claim: Claim) -> Result:
    """A stated lower bound ("50%以上") on average growth: both readings of "average" — the compound
    rate from `first` to `last` over params `years`, and the mean of the stated yearly `growths` —
    must reach it (less its rounding)."""
    _require(claim, "first", "last", "growths")
    years = float(claim.params["years"])
    first, last, rates = claim.inputs["first"], claim.inputs["last"], claim.inputs["growths"]
    c_center, c_low, _ = spread(lambda a, b: metrics.cagr_pct(a, b, years), [first, last])
    m_center, m_low, _ = spread(lambda *g: sum(g) / len(g), rates)
    bound = claim.stated.value - (claim.tolerance if claim.tolerance is not None else claim.stated.half)
    ok = c_low >= bound and m_low >= bound
    detail = (f"compound rate {first.printed}→{last.printed} over {years:g} years = {fmt(c_center, 2)}%; "
              f"mean of the {len(rates)} stated yearly rates = {fmt(m_center, 2)}%; "
              f"both must be ≥ {fmt(bound, 2)}%.")
    return Result(CONSISTENT if ok else DISCREPANCY, c_center, min(c_low, m_low), max(c_center, m_center),
                  claim.stated.value - bound, detail)


@check
def share(claim: Claim) -> Result:
    """Share (%) of input `part` in input `whole`."""
    _require(claim, "part", "whole")
    part, whole = claim.inputs["part"], claim.inputs["whole"]
    center, low, high = spread(metrics.share_pct, [part, whole])
    return judge(claim, center, low, high, f"{part.printed}/{whole.printed}")


@check
def sum_of_parts(claim: Claim) -> Result:
    """The stated total against the sum of the listed `parts` (same unit)."""
    _require(claim, "parts")
    parts = claim.inputs["parts"]
    center, low, high = spread(lambda *p: sum(p), parts)
    return judge(claim, center, low, high, " + ".join(p.printed for p in parts))


@check
def shares_sum_to_whole(claim: Claim) -> Result:
    """Listed `shares` of one whole must add up to the stated whole (100): the 100 is exact, so the
    tolerance is only the shares' own rounding."""
    _require(claim, "shares")
    shares = claim.inputs["shares"]
    center, low, high = spread(lambda *s: sum(s), shares)
    tol = claim.tolerance if claim.tolerance is not None else max(center - low, high - center)
    verdict = CONSISTENT if metrics.close(claim.stated.value, center, tol) else DISCREPANCY
    return Result(verdict, center, low, high, tol, " + ".join(s.printed for s in shares) + f" = {fmt(center)}.")


@check
def restated(claim: Claim) -> Result:
    """A number the paper prints twice (input `other`) must be the same both times."""
    _require(claim, "other")
    other = claim.inputs["other"]
    center, low, high = spread(lambda x: x, [other])
    return judge(claim, center, low, high, f"printed elsewhere as {other.printed} ({other.label})")


@check
def parts_within_whole(claim: Claim) -> Result:
    """Listed `parts` of the stated whole cannot add up to more than it; the remainder is reported."""
    _require(claim, "parts")
    parts = claim.inputs["parts"]
    center, low, high = spread(lambda *p: sum(p), parts)
    allowed = claim.stated.value + (claim.tolerance if claim.tolerance is not None else claim.stated.half)
    verdict = CONSISTENT if low <= allowed + 1e-12 else DISCREPANCY
    remainder = claim.stated.value - center
    return Result(verdict, center, low, high, allowed - claim.stated.value,
                  (f"parts {' + '.join(p.printed for p in parts)} = {fmt(center)}" if len(parts) > 1
                   else f"part {parts[0].printed}") + f" ≤ {claim.stated.printed}; "
                  f"remainder {fmt(remainder)}.")


@check
def band_mean(claim: Claim) -> Result:
    """Size bands: firms above a threshold (`count_all`, `value_all`) include those above a higher
    one (`count_top`, `value_top`); the firms in between must average a value inside the band
    (stated "low..high")."""
    _require(claim, "count_all", "value_all", "count_top", "value_top")
    n_all, v_all = claim.inputs["count_all"], claim.inputs["value_all"]
    n_top, v_top = claim.inputs["count_top"], claim.inputs["value_top"]
    # Counts of firms are exact integers; only the amounts carry rounding.
    n_all, n_top = Number.exact(n_all.value, n_all.label), Number.exact(n_top.value, n_top.label)
    if n_all.value <= n_top.value:
        return Result(DISCREPANCY, detail=f"{n_top.printed} firms above the upper threshold exceed the "
                                          f"{n_all.printed} above the lower one")
    fn = lambda va, vt, na, nt: (va - vt) / (na - nt)  # noqa: E731
    center, low, high = spread(fn, [v_all, v_top, n_all, n_top])
    top_mean = v_top.value / n_top.value
    lo, hi = claim.stated.low, claim.stated.high
    ok = high >= lo and low <= hi and top_mean >= hi
    detail = (f"the {fmt(n_all.value - n_top.value, 0)} firms between the thresholds average "
              f"({v_all.printed} − {v_top.printed})/({n_all.printed} − {n_top.printed}) = {fmt(center, 1)}, "
              f"inside {fmt(lo, 0)}..{fmt(hi, 0)}; the {n_top.printed} firms above average "
              f"{fmt(top_mean, 1)} ≥ {fmt(hi, 0)}.")
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
    return Result(verdict, float(count), float(count), float(count), 0.0,
                  f"{len(items)} items listed{extra}: {'; '.join(items)}.")


@check
def bracketed(claim: Claim) -> Result:
    """A level at a date between two published levels of a running total (`before`, `after`) must
    lie between them."""
    _require(claim, "before", "after")
    before, after = claim.inputs["before"], claim.inputs["after"]
    return _bracket(claim, before.value - before.half, after.value + after.half,
                    f"published {before.printed} before and {after.printed} after")


@check
def bracketed_share(claim: Claim) -> Result:
    """A cumulative share at a date between two published ones (parts and wholes before/after) must
    lie between them. Valid when the share moves one way in between (the ledger note says why)."""
    _require(claim, "part_before", "whole_before", "part_after", "whole_after")
    b = spread(metrics.share_pct, [claim.inputs["part_before"], claim.inputs["whole_before"]])
    a = spread(metrics.share_pct, [claim.inputs["part_after"], claim.inputs["whole_after"]])
    return _bracket(claim, min(b[1], a[1]), max(b[2], a[2]),
                    f"published shares {fmt(b[0], 2)}% before and {fmt(a[0], 2)}% after")


def _bracket(claim: Claim, lo: float, hi: float, what: str) -> Result:
    s = claim.stated
    ok = s.value + s.half >= lo and s.value - s.half <= hi
    return Result(CONSISTENT if ok else DISCREPANCY, None, lo, hi, s.half,
                  f"{what}: the stated value must lie in {fmt(lo, 2)}–{fmt(hi, 2)}.")


@check
def average_flow_from_stocks(claim: Claim) -> Result:
    """Average yearly inflow over params `years` years from two running totals: the total at the end
    of the span is a later published total (`end_total`) less that year's year-to-date inflow
    (`end_ytd`); the total before the span is the total at the end of its first year (`start_total`)
    less that first year's inflow, which is only bounded: 0 ≤ it ≤ `first_year_max` (an inflow of
    which this one is a part). Optional `first_share_part`/`first_share_whole` give a share that
    turns the bound into a point estimate (an assumption, reported as such)."""
    _require(claim, "end_total", "end_ytd", "start_total", "first_year_max")
    years = float(claim.params["years"])
    end_total, end_ytd = claim.inputs["end_total"], claim.inputs["end_ytd"]
    start, first_max = claim.inputs["start_total"], claim.inputs["first_year_max"]
    lo_c, lo_l, lo_h = spread(lambda e, y, s: (e - y - s) / years, [end_total, end_ytd, start])
    hi_c, hi_l, hi_h = spread(lambda e, y, s, f: (e - y - s + f) / years, [end_total, end_ytd, start, first_max])
    s = claim.stated
    ok = s.value + s.half >= lo_l and s.value - s.half <= hi_h
    end_stock = end_total.value - end_ytd.value
    detail = (f"stock at the end of the span {end_total.printed} − {end_ytd.printed} = {fmt(end_stock, 1)}; "
              f"stock after its first year {start.printed}; the first year's inflow lies in 0–{first_max.printed}, "
              f"so the average lies in {fmt(lo_l, 1)}–{fmt(hi_h, 1)} per year "
              f"(the later {years - 1:g} years alone average {fmt((end_stock - start.value) / (years - 1), 1)}).")
    point = None
    if "first_share_part" in claim.inputs and "first_share_whole" in claim.inputs:
        ratio = claim.inputs["first_share_part"].value / claim.inputs["first_share_whole"].value
        first = ratio * first_max.value
        point = (end_stock - start.value + first) / years
        detail += (f" Assuming the first year's inflow has the share {fmt(ratio * 100, 1)}% seen in "
                   f"{claim.inputs['first_share_part'].label} ({fmt(first, 1)}), the average is {fmt(point, 1)}.")
    return Result(CONSISTENT if ok else DISCREPANCY, point, lo_l, hi_h, s.half, detail)


@check
def per_capita(claim: Claim) -> Result:
    """Amount per worker: `amount` (亿美元) over the workforce (万人) gives 万美元 per person. The
    workforce is `workers`, or `part` / `share` % (a sub-group and its stated share). If the ratio
    misses and `prior_total`/`prior_ytd` are given, the year's new hires (workforce less the stock a
    year earlier, = prior_total − prior_ytd) are tried as the denominator."""
    _require(claim, "amount")
    amount = claim.inputs["amount"]
    if "workers" in claim.inputs:
        numbers = [amount, claim.inputs["workers"]]
        fn = lambda a, w: a / w  # noqa: E731
        what = f"{amount.printed}亿美元 / {claim.inputs['workers'].printed}万人"
    else:
        _require(claim, "part", "share")
        numbers = [amount, claim.inputs["part"], claim.inputs["share"]]
        fn = lambda a, p, s: a / (p / (s / 100))  # noqa: E731
        what = (f"{amount.printed}亿美元 / ({claim.inputs['part'].printed}万人 / "
                f"{claim.inputs['share'].printed}%)")
    center, low, high = spread(fn, numbers)
    result = judge(claim, center, low, high, what)
    if result.verdict == DISCREPANCY:
        result.explanations.append(
            f"the stated value is {fmt(claim.stated.value / center, 1)} times amount per worker, so the "
            "paper did not divide by the whole workforce")
        if {"prior_total", "prior_ytd", "part", "share"} <= claim.inputs.keys():
            p, s = claim.inputs["prior_total"], claim.inputs["prior_ytd"]
            fn_new = lambda a, pt, sh, t, y: a / (pt / (sh / 100) - (t - y))  # noqa: E731
            n_c, n_l, n_h = spread(fn_new, [amount, claim.inputs["part"], claim.inputs["share"], p, s])
            hires = claim.inputs["part"].value / (claim.inputs["share"].value / 100) - (p.value - s.value)
            tol = claim.stated.half + max(n_c - n_l, n_h - n_c)
            fits = metrics.close(claim.stated.value, n_c, tol)
            result.explanations.append(
                f"dividing by the year's new hires instead (workforce {fmt(hires + p.value - s.value, 1)} "
                f"less the stock a year earlier {p.printed} − {s.printed} = {fmt(p.value - s.value, 1)}: "
                f"{fmt(hires, 1)}万人) gives {n_c:.1f} (range {n_l:.1f}–{n_h:.1f}), which "
                + ("matches the stated value within rounding: the likeliest reading is that the paper's "
                   "人均 is per new hire"
                   if fits else "does not match either"))
    return result


@check
def shares_within_whole(claim: Claim) -> Result:
    """Parts of one whole: one part's level and share (`anchor_level`, `anchor_share`) imply the
    whole; other parts given as `levels` (same unit) or `shares` (%) must, with it, not exceed the
    stated whole (100%). The whole is exact; the tolerance is the inputs' rounding only."""
    _require(claim, "anchor_level", "anchor_share")
    anchor, anchor_share = claim.inputs["anchor_level"], claim.inputs["anchor_share"]
    levels, shares = claim.inputs.get("levels", []), claim.inputs.get("shares", [])
    n_levels = len(levels)

    def total_share(a, s, *rest):
        whole = a / (s / 100)
        return s + sum(x / whole * 100 for x in rest[:n_levels]) + sum(rest[n_levels:])

    center, low, high = spread(total_share, [anchor, anchor_share, *levels, *shares])
    whole = anchor.value / (anchor_share.value / 100)
    ok = low <= claim.stated.value + (claim.tolerance or 0.0) + 1e-12
    parts = [f"{l.printed} = {fmt(l.value / whole * 100, 2)}%" for l in levels]
    detail = (f"whole implied by {anchor.printed}/{anchor_share.printed}% = {fmt(whole, 2)}; "
              f"{'; '.join(parts)}; listed parts add up to {fmt(center, 2)}% (rounding range "
              f"{fmt(low, 2)}–{fmt(high, 2)}%) of a whole of {claim.stated.printed}%.")
    result = Result(CONSISTENT if ok else DISCREPANCY, center, low, high, 0.0, detail)
    if not ok and levels:
        rest = sum(s.value for s in shares)
        # Largest anchor share that lets the parts fit, unlisted members taking nothing:
        # s (1 + Σ levels / anchor) + rest = 100.
        fit_share = (100 - rest) * anchor.value / (anchor.value + sum(l.value for l in levels))
        room = (100 - anchor_share.value - rest) / 100 * whole
        result.explanations.append(
            f"the parts fit only if {anchor.label}'s share were at most {fmt(fit_share, 2)}% "
            f"instead of {anchor_share.printed}%, or {levels[0].label} were at most {fmt(room, 2)} "
            f"instead of {levels[0].printed} (both with nothing left for members not listed)")
        inputs = [anchor, anchor_share, *levels, *shares]
        fitting = []
        for i, number in enumerate(inputs):
            for alt in one_keystroke(number.printed):
                trial = inputs[:i] + [Number.from_printed(alt, number.label)] + inputs[i + 1:]
                try:
                    if total_share(*[t.value for t in trial]) <= claim.stated.value:
                        fitting.append(f"{number.printed}→{alt}")
                except ZeroDivisionError:
                    continue
        result.explanations.append(
            f"{len(fitting)} different one-digit typos would each make the parts fit "
            f"(e.g. {', '.join(fitting[:4])}), so the numbers do not point to one explanation"
            if fitting else "no one-digit typo in any input makes the parts fit; the numbers do not "
            "point to one explanation (the shares may refer to different totals)")
    return result


@check
def conversion(claim: Claim) -> Result:
    """A currency conversion: stated `target` (亿元) from `source` (万美元). With param `rate` (and
    its source in the ledger note) it is checked; without one, the implied rate and its rounding
    range are reported and the claim is not checkable."""
    _require(claim, "source")
    source = claim.inputs["source"]
    target = Number(claim.stated.value, claim.stated.half, claim.claim_id, claim.stated.printed)
    c, lo, hi = spread(lambda t, s: t * 1e4 / s, [target, source])
    detail = (f"implied rate {claim.stated.printed}亿元 / {source.printed}万美元 = {fmt(c, 4)} CNY/USD "
              f"(rounding range {fmt(lo, 4)}–{fmt(hi, 4)}).")
    if "rate" not in claim.params:
        return Result(NOT_CHECKABLE, None, lo, hi, None,
                      detail + " data/ holds no official rate for the year to compare with.")
    rate = float(claim.params["rate"])
    center, low, high = spread(lambda s: s * rate / 1e4, [source])
    result = judge(claim, center, low, high, f"{source.printed}万美元 × {rate:g}")
    result.detail += " " + detail
    return result


# --------------------------------------------------------------------------------------------------
# Hypotheses for discrepancies


def one_keystroke(printed: str) -> list[str]:
    """Every string one typo away: one digit replaced, or two adjacent digits swapped."""
    out = set()
    chars = list(printed)
    for i, ch in enumerate(chars):
        if not ch.isdigit():
            continue
        for d in "0123456789":
            if d != ch and not (i == 0 and d == "0" and len(chars) > 1 and chars[1] != "."):
                out.add("".join(chars[:i] + [d] + chars[i + 1:]))
        if i + 1 < len(chars) and chars[i + 1].isdigit() and chars[i + 1] != ch:
            swapped = chars[:]
            swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
            if not (i == 0 and swapped[0] == "0"):
                out.add("".join(swapped))
    return sorted(out)


def _stated_typos(claim: Claim, recomputed: Number, fn_tol: float) -> list[str]:
    """Typos of the stated value that would make it agree with the recomputed one."""
    hits, near = [], []
    for alt in one_keystroke(claim.stated.printed):
        gap = abs(float(alt) - recomputed.value)
        bound = metrics.half_unit(alt) + fn_tol
        if gap <= bound + 1e-12:
            hits.append(f"a typo in the stated value ({alt} printed as {claim.stated.printed}) explains it")
        elif gap <= 2 * bound:
            near.append(f"a typo in the stated value ({alt} printed as {claim.stated.printed}) comes close "
                        f"but leaves {fmt(gap, 4)} against a rounding bound of {fmt(bound, 4)}")
    return hits or near


def _input_typos(claim: Claim, inputs: list[Number], fn: Callable[..., float]) -> list[str]:
    """Typos in one input that would make the stated value come out."""
    hits = []
    for i, number in enumerate(inputs):
        for alt in one_keystroke(number.printed):
            trial = inputs[:i] + [Number.from_printed(alt, number.label)] + inputs[i + 1:]
            try:
                c, lo, hi = spread(fn, trial)
            except (ZeroDivisionError, ValueError):
                continue
            if metrics.close(claim.stated.value, c, claim.stated.half + max(c - lo, hi - c)):
                hits.append(f"{number.label} printed {number.printed} but {alt} would give the stated value")
    return hits


def explain_growth(claim: Claim, cur: Number, prev: Number, center: float, tol: float) -> list[str]:
    out: list[str] = []
    prop = tol - claim.stated.half
    out += _stated_typos(claim, Number(center, 0.0, "recomputed", fmt(center)), prop)
    out += _input_typos(claim, [cur, prev], metrics.growth_pct)
    g = claim.stated.value
    out.append(f"for the stated rate the previous level would have to be "
               f"{fmt(metrics.implied_previous(cur.value, g), 1)} (printed {prev.printed}) or the current "
               f"{fmt(prev.value * (1 + g / 100), 1)} (printed {cur.printed})")
    if "current_rmb" in claim.inputs:
        rmb = claim.inputs["current_rmb"]
        stated_n = Number(g, claim.stated.half, claim.claim_id, claim.stated.printed)
        r_prev = spread(lambda r, p, s: r * 1e4 / (p * (1 + s / 100)), [rmb, prev, stated_n])
        r_cur = spread(lambda r, c: r * 1e4 / c, [rmb, cur])
        out.append(
            f"growth computed on RMB values reproduces the stated rate if the previous year's "
            f"{prev.printed} is converted at {fmt(r_prev[1], 3)}–{fmt(r_prev[2], 3)} CNY/USD, against "
            f"{fmt(r_cur[1], 3)}–{fmt(r_cur[2], 3)} implied for this year by the paper's own conversion: "
            f"a yuan {fmt((r_cur[0] / r_prev[0] - 1) * 100, 1)}% weaker on the dollar in the later year. "
            "This is the likeliest explanation: the stated rate is growth of the RMB values, not of the "
            "dollar values (confirming it needs the official average rates, which data/ does not hold)")
    if not any("explains it" in s or "would give" in s or "likeliest" in s for s in out):
        out.append("the numbers do not point to one explanation")
    return out


def explain_cagr(claim: Claim, first: Number, last: Number, years: float, center: float,
                 tol: float) -> list[str]:
    out: list[str] = []
    prop = tol - claim.stated.half
    out += _stated_typos(claim, Number(center, 0.0, "recomputed", fmt(center)), prop)
    out += _input_typos(claim, [first, last], lambda a, b: metrics.cagr_pct(a, b, years))
    stated_n = Number(claim.stated.value, claim.stated.half, claim.claim_id, claim.stated.printed)
    _, n_lo, n_hi = spread(lambda a, b, g: math.log(b / a) / math.log(1 + g / 100), [first, last, stated_n])
    integer_spans = [n for n in range(1, 40) if n_lo <= n <= n_hi]
    out.append(f"the stated rate compounds {first.printed} into {last.printed} over {fmt(n_lo, 2)}–"
               f"{fmt(n_hi, 2)} years, not {years:g}"
               + (f"; a span of {integer_spans[0]} years fits" if integer_spans else
                  "; no whole number of years fits"))
    nearest = round((n_lo + n_hi) / 2)
    if nearest >= 1 and nearest != years:
        out.append(f"over {nearest} years the compound rate would be "
                   f"{fmt(metrics.cagr_pct(first.value, last.value, nearest), 2)}%")
    arithmetic = (last.value / first.value - 1) / years * 100
    out.append(f"the simple (non-compound) average would be {fmt(arithmetic, 1)}%")
    if not any("explains it" in s or "would give" in s or "years fits" in s for s in out):
        out.append("the numbers do not point to one explanation (the yearly values, which a mean of "
                   "yearly rates would need, are not published)")
    return out


def _implied_previous(claim: Claim) -> str:
    """What a growth rate without its base implies about the base (not a check: nothing to compare)."""
    if "current" not in claim.inputs:
        return ""
    cur = claim.inputs["current"]
    stated_n = Number(claim.stated.value, claim.stated.half, claim.claim_id, claim.stated.printed)
    center, low, high = spread(metrics.implied_previous, [cur, stated_n])
    lo, hi = fmt(low, 2), fmt(high, 2)
    return (f"; the stated rate implies a previous level of {fmt(center, 1)}"
            + (f" (rounding range {lo}–{hi})" if lo != hi else "") + f", against {cur.printed} now")


IMPLIED_WHEN_MISSING = {"growth": _implied_previous}


# --------------------------------------------------------------------------------------------------
# Running the ledger


def run_claim(row: pd.Series, sources: Sources) -> dict:
    name = str(row["check"])
    if name not in CHECKS:
        raise LedgerError(f"{row['claim_id']}: unknown check '{name}'")
    pairs = parse_inputs(row.get("inputs"))
    inputs, missing = resolve(pairs, sources)
    tolerance = row.get("tolerance")
    claim = Claim(
        claim_id=str(row["claim_id"]), quote=str(row["quote"]),
        stated=Stated.parse(row["stated"], exact=str(row["unit"]) in COUNT_UNITS),
        inputs=inputs, params=parse_params(row.get("params")),
        tolerance=None if tolerance is None or pd.isna(tolerance) else float(tolerance),
        unit=str(row["unit"]),
    )
    ledger_note = "" if pd.isna(row.get("note")) else str(row["note"])
    if missing:
        result = not_checkable("; ".join(missing))
        if name in IMPLIED_WHEN_MISSING:
            result.detail += IMPLIED_WHEN_MISSING[name](claim)
    else:
        try:
            result = CHECKS[name](claim)
        except MissingInput as exc:
            result = not_checkable(str(exc))
        except (ZeroDivisionError, ValueError, OverflowError) as exc:
            # e.g. growth from a zero base: nothing was computed, so nothing can be consistent.
            result = not_checkable(f"cannot be computed from these inputs ({exc})")
    if result.verdict not in VERDICTS:  # pragma: no cover - guards new checks
        raise LedgerError(f"{claim.claim_id}: check returned verdict {result.verdict!r}")
    parts = [] if name == "not_published" else [result.detail]
    if result.explanations:
        parts.append("Hypotheses tested: " + "; ".join(result.explanations))
    parts.append(ledger_note)
    note = " ".join(p if p.endswith(".") else p + "." for p in (p.strip() for p in parts) if p)
    difference = None
    if result.verdict != NOT_CHECKABLE and result.recomputed is not None and claim.stated.value is not None:
        difference = claim.stated.value - result.recomputed
    return {
        "claim_id": claim.claim_id,
        "paper": row["paper"],
        "section": row["section"],
        "quote": row["quote"],
        "stated": claim.stated.printed,
        "recomputed": _round(result.recomputed),
        "low": _round(result.low),
        "high": _round(result.high),
        "tolerance": _round(result.tolerance),
        "difference": _round(difference),
        "difference_pp": _round(difference) if claim.unit == "%" else None,
        "unit": claim.unit,
        "verdict": result.verdict,
        "check": name,
        "inputs": "" if pd.isna(row.get("inputs")) else row["inputs"],
        "note": note.strip(),
    }


def _round(x: float | None, digits: int = 4) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    value = round(float(x), digits)
    return 0.0 if value == 0 else value


def run_ledger(ledger: pd.DataFrame, values: pd.DataFrame, mofcom: pd.DataFrame) -> pd.DataFrame:
    """One output row per ledger row, sorted by paper and claim id (deterministic)."""
    sources = Sources(values=values, mofcom=mofcom)
    rows = [run_claim(row, sources) for _, row in ledger.iterrows()]
    out = pd.DataFrame(rows, columns=OUTPUT_COLUMNS)
    return out.sort_values(["paper", "claim_id"], kind="mergesort").reset_index(drop=True)


def summary(audit: pd.DataFrame) -> dict[str, int]:
    counts = audit["verdict"].value_counts()
    return {"total": len(audit), **{v: int(counts.get(v, 0)) for v in VERDICTS}}


def counts_phrase(counts: dict[str, int]) -> str:
    """'K consistent, D discrepancies, U not checkable' (the wording report.py reads back)."""
    return (f"{counts.get(CONSISTENT, 0)} consistent, {counts.get(DISCREPANCY, 0)} discrepancies, "
            f"{counts.get(NOT_CHECKABLE, 0)} not checkable")


def summary_line(audit: pd.DataFrame) -> str:
    s = summary(audit)
    return f"{s['total']} claims checked: {counts_phrase(s)}"


def css_class(verdict: str) -> str:
    return verdict.replace(" ", "-")


CLAIM_KINDS = ("growth_rate", "share", "average_growth", "average_level")


def uncovered(values: pd.DataFrame, ledger: pd.DataFrame) -> list[str]:
    """Paper values of the kinds every one of which must have a claim row, but have none."""
    needed = values.loc[values["kind"].isin(CLAIM_KINDS), "value_id"]
    return sorted(set(needed) - set(ledger["claim_id"]))


def with_placeholders(ledger: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The ledger plus a `not checkable` row for each stated rate, share or average that has no row
    yet, so the report still builds and every figure's claim link has a target; the notebook says
    which, and tests/test_audit.py fails until the ledger covers them."""
    missing = uncovered(values, ledger)
    if not missing:
        return ledger
    rows = values[values["value_id"].isin(missing)]
    extra = pd.DataFrame({
        "claim_id": rows["value_id"], "paper": rows["paper"], "section": rows["section"],
        "quote": rows["quote"], "stated": rows["value"].map(lambda v: f"{v:g}"), "unit": rows["unit"],
        "check": "not_published", "inputs": None, "params": None, "tolerance": None,
        "note": "No ledger row yet for this stated value: it has not been audited.",
    })
    return pd.concat([ledger, extra], ignore_index=True)


# --------------------------------------------------------------------------------------------------
# The table the report shows


def _decimals(printed: str) -> int:
    return len(printed.split(".")[1]) if "." in printed else 0


def shown_number(value: float | None, printed: str) -> str:
    """A recomputed number one digit finer than the stated one, so a gap of one unit shows."""
    if value is None or pd.isna(value):
        return ""
    if float(value).is_integer() and "." not in printed:
        return f"{value:,.0f}"
    return f"{value:,.{_decimals(printed) + 1 if '.' in printed else 2}f}"


def for_display(text) -> str:
    """A quote or note as the table shows it: verbatim. Paper B's line-break hyphen U+2043
    ("Out⁃sourcing") is kept; the shipped font draws it with its hyphen glyph (tools/make_font_subset.py)."""
    return "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)


def display_frame(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit as the report shows it, narrow enough for an A4 page: the claim id (breakable at its
    underscores), quote, stated and recomputed values with their unit, the difference for a
    discrepancy, the verdict and the note."""
    rows = []
    for r in audit.itertuples(index=False):
        stated = str(r.stated)
        basis = stated.split("..")[0]
        unit = f" {r.unit}"
        recomputed = shown_number(r.recomputed, basis)
        if not recomputed and pd.notna(r.low) and pd.notna(r.high):
            recomputed = f"{shown_number(r.low, basis)}–{shown_number(r.high, basis)}"
        elif recomputed and r.check in RANGE_CHECKS and pd.notna(r.low):
            recomputed += f" (range {shown_number(r.low, basis)}–{shown_number(r.high, basis)})"
        if recomputed:
            recomputed += unit
        if pd.notna(r.difference) and r.verdict == DISCREPANCY:
            diff_unit = "pp" if r.unit == "%" else r.unit
            recomputed += f"; difference {r.difference:+,.{max(_decimals(basis), 1) + 1}f} {diff_unit}"
        rows.append({
            "论断 Claim": str(r.claim_id).replace("_", "_\u200b"),
            "原文 Quote": for_display(r.quote),
            "原文数值 Stated": stated.replace("..", "–") + unit,
            "重算 Recomputed": recomputed,
            "结论 Verdict": r.verdict,
            "说明 Note": for_display(r.note),
        })
    return pd.DataFrame(rows)


# Checks whose verdict rests on a range; the point estimate, if any, is shown with it.
RANGE_CHECKS = {"average_flow_from_stocks", "average_growth_at_least"}
