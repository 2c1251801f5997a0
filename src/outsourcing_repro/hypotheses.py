"""Hypotheses for a discrepancy: what the numbers would have to be for the stated value to hold.

Each hypothesis is a `Hypothesis`: its kind, the sentence the report prints, and whether the numbers
point to it (`explains`: it reproduces the stated value within rounding). Code decides on `explains`
and `kind`, never on the wording; when no hypothesis explains a discrepancy, a last one of kind
`NONE` says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import metrics
from .number import Number, spread, trimmed

if TYPE_CHECKING:  # pragma: no cover
    from .ledger import Claim

STATED_TYPO = "stated typo"
STATED_TYPO_NEAR = "stated typo, near"
INPUT_TYPO = "input typo"
REQUIRED_LEVEL = "required level"
RMB_BASIS = "growth of RMB values"
SPAN = "another span"
SIMPLE_AVERAGE = "simple average"
RATIO = "ratio to the whole"
NEW_HIRES = "per new hire"
FIT_BOUND = "bound that fits"
TYPO_COUNT = "typos that fit"
NONE = "no single explanation"


@dataclass(frozen=True)
class Hypothesis:
    kind: str
    text: str
    explains: bool = False  # the numbers point to it: it reproduces the stated value

    def __str__(self) -> str:
        return self.text


def _none(out: list[Hypothesis], text: str = "the numbers do not point to one explanation") -> list[Hypothesis]:
    if not any(h.explains for h in out):
        out.append(Hypothesis(NONE, text))
    return out


def one_keystroke(printed: str) -> list[str]:
    """Every string one typo away: one digit replaced, or two adjacent digits swapped."""
    out = set()
    chars = list(printed)
    for i, ch in enumerate(chars):
        if not ch.isdigit():
            continue
        for d in "0123456789":
            if d != ch and not (i == 0 and d == "0" and len(chars) > 1 and chars[1] != "."):
                out.add("".join(chars[:i] + [d] + chars[i + 1 :]))
        if i + 1 < len(chars) and chars[i + 1].isdigit() and chars[i + 1] != ch:
            swapped = chars[:]
            swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
            if not (i == 0 and swapped[0] == "0"):
                out.add("".join(swapped))
    return sorted(out)


def stated_typos(claim: Claim, recomputed: float, fn_tol: float) -> list[Hypothesis]:
    """Typos of the stated value that would make it agree with the recomputed one."""
    hits, near = [], []
    printed = claim.stated.printed
    for alt in one_keystroke(printed):
        gap = abs(float(alt) - recomputed)
        bound = metrics.half_unit(alt) + fn_tol
        if gap <= bound + 1e-12:
            hits.append(
                Hypothesis(
                    STATED_TYPO, f"a typo in the stated value ({alt} printed as {printed}) explains it", explains=True
                )
            )
        elif gap <= 2 * bound:
            near.append(
                Hypothesis(
                    STATED_TYPO_NEAR,
                    f"a typo in the stated value ({alt} printed as {printed}) "
                    f"comes close but leaves {trimmed(gap, 4)} against a "
                    f"rounding bound of {trimmed(bound, 4)}",
                )
            )
    return hits or near


def input_typos(claim: Claim, inputs: list[Number], fn: Callable[..., float]) -> list[Hypothesis]:
    """Typos in one input that would make the stated value come out."""
    hits = []
    for i, number in enumerate(inputs):
        for alt in one_keystroke(number.printed):
            trial = inputs[:i] + [Number.from_printed(alt, number.label)] + inputs[i + 1 :]
            try:
                c, lo, hi = spread(fn, trial)
            except (ZeroDivisionError, ValueError):
                continue
            if metrics.close(claim.stated.value, c, claim.stated.half + max(c - lo, hi - c)):
                hits.append(
                    Hypothesis(
                        INPUT_TYPO,
                        f"{number.label} printed {number.text()} but {alt} would give the stated value",
                        explains=True,
                    )
                )
    return hits


def growth(claim: Claim, cur: Number, prev: Number, center: float, tol: float) -> list[Hypothesis]:
    out = stated_typos(claim, center, tol - claim.stated.half)
    out += input_typos(claim, [cur, prev], metrics.growth_pct)
    g = claim.stated.value
    out.append(
        Hypothesis(
            REQUIRED_LEVEL,
            f"for the stated rate the previous level would have to be "
            f"{trimmed(metrics.implied_previous(cur.value, g), 1)} (printed {prev.text()}) or "
            f"the current {trimmed(prev.value * (1 + g / 100), 1)} (printed {cur.text()})",
        )
    )
    if "current_rmb" in claim.inputs:
        rmb = claim.inputs["current_rmb"]
        stated_n = claim.stated.number(claim.claim_id)
        r_prev = spread(lambda r, p, s: r * 1e4 / (p * (1 + s / 100)), [rmb, prev, stated_n])
        r_cur = spread(lambda r, c: r * 1e4 / c, [rmb, cur])
        out.append(
            Hypothesis(
                RMB_BASIS,
                f"growth computed on RMB values reproduces the stated rate if the previous year's "
                f"{prev.text()} is converted at {trimmed(r_prev[1], 3)}–{trimmed(r_prev[2], 3)} CNY/USD, against "
                f"{trimmed(r_cur[1], 3)}–{trimmed(r_cur[2], 3)} implied for this year by the paper's own conversion: "
                f"a yuan {trimmed((r_cur[0] / r_prev[0] - 1) * 100, 1)}% weaker on the dollar in the later year. "
                "This is the likeliest explanation: the stated rate is growth of the RMB values, not of the "
                "dollar values (confirming it needs the official average rates, which data/ does not hold)",
                explains=True,
            )
        )
    return _none(out)


def cagr(claim: Claim, first: Number, last: Number, years: float, center: float, tol: float) -> list[Hypothesis]:
    out = stated_typos(claim, center, tol - claim.stated.half)
    out += input_typos(claim, [first, last], lambda a, b: metrics.cagr_pct(a, b, years))
    stated_n = claim.stated.number(claim.claim_id)
    _, n_lo, n_hi = spread(lambda a, b, g: math.log(b / a) / math.log(1 + g / 100), [first, last, stated_n])
    integer_spans = [n for n in range(1, 40) if n_lo <= n <= n_hi]
    out.append(
        Hypothesis(
            SPAN,
            f"the stated rate compounds {first.text()} into {last.text()} over {trimmed(n_lo, 2)}–"
            f"{trimmed(n_hi, 2)} years, not {years:g}"
            + (f"; a span of {integer_spans[0]} years fits" if integer_spans else "; no whole number of years fits"),
            explains=bool(integer_spans),
        )
    )
    nearest = round((n_lo + n_hi) / 2)
    if nearest >= 1 and nearest != years:
        out.append(
            Hypothesis(
                SPAN,
                f"over {nearest} years the compound rate would be "
                f"{trimmed(metrics.cagr_pct(first.value, last.value, nearest), 2)}%",
            )
        )
    arithmetic = (last.value / first.value - 1) / years * 100
    out.append(Hypothesis(SIMPLE_AVERAGE, f"the simple (non-compound) average would be {trimmed(arithmetic, 1)}%"))
    return _none(
        out,
        "the numbers do not point to one explanation (the yearly values, which a mean of "
        "yearly rates would need, are not published)",
    )


def per_capita(claim: Claim, center: float) -> list[Hypothesis]:
    """A per-worker ratio that misses: how far off, and the year's new hires as the denominator."""
    out = [
        Hypothesis(
            RATIO,
            f"the stated value is {trimmed(claim.stated.value / center, 1)} times amount per "
            "worker, so the paper did not divide by the whole workforce",
        )
    ]
    inputs = claim.inputs
    if {"prior_total", "prior_ytd", "part", "share"} <= inputs.keys():
        amount, part, share = inputs["amount"], inputs["part"], inputs["share"]
        p, s = inputs["prior_total"], inputs["prior_ytd"]
        fn_new = lambda a, pt, sh, t, y: a / (pt / (sh / 100) - (t - y))  # noqa: E731
        n_c, n_l, n_h = spread(fn_new, [amount, part, share, p, s])
        hires = part.value / (share.value / 100) - (p.value - s.value)
        tol = claim.stated.half + max(n_c - n_l, n_h - n_c)
        fits = metrics.close(claim.stated.value, n_c, tol)
        out.append(
            Hypothesis(
                NEW_HIRES,
                f"dividing by the year's new hires instead (workforce {trimmed(hires + p.value - s.value, 1)} "
                f"less the stock a year earlier {p.text()} − {s.text()} = {trimmed(p.value - s.value, 1)}: "
                f"{trimmed(hires, 1)}万人) gives {n_c:.1f} (range {n_l:.1f}–{n_h:.1f}), which "
                + (
                    "contains the stated value. That is a reading, not an explanation: the band is wide because "
                    "the new hires are a difference of rounded stocks, and the paper's other value of 人均 "
                    "(a_contract_per_worker_2016) is not shown to be per new hire"
                    if fits
                    else "does not match either"
                ),
            )
        )
    return out


def shares_within_whole(claim: Claim, whole: float, total_share: Callable[..., float]) -> list[Hypothesis]:
    """Parts that do not fit their whole: the bounds that would fit, and how many typos would."""
    anchor, anchor_share = claim.inputs["anchor_level"], claim.inputs["anchor_share"]
    levels, shares = claim.inputs.get("levels", []), claim.inputs.get("shares", [])
    rest = sum(s.value for s in shares)
    # Largest anchor share that lets the parts fit, unlisted members taking nothing:
    # s (1 + Σ levels / anchor) + rest = 100.
    fit_share = (100 - rest) * anchor.value / (anchor.value + sum(level.value for level in levels))
    room = (100 - anchor_share.value - rest) / 100 * whole
    out = [
        Hypothesis(
            FIT_BOUND,
            f"the parts fit only if {anchor.label}'s share were at most {trimmed(fit_share, 2)}% "
            f"instead of {anchor_share.text()}%, or {levels[0].label} were at most {trimmed(room, 2)} "
            f"instead of {levels[0].text()} (both with nothing left for members not listed)",
        )
    ]
    inputs = [anchor, anchor_share, *levels, *shares]
    fitting = []
    for i, number in enumerate(inputs):
        for alt in one_keystroke(number.printed):
            trial = inputs[:i] + [Number.from_printed(alt, number.label)] + inputs[i + 1 :]
            try:
                if total_share(*[t.value for t in trial]) <= claim.stated.value:
                    fitting.append(f"{number.text()}→{alt}")
            except ZeroDivisionError:
                continue
    out.append(
        Hypothesis(
            TYPO_COUNT,
            f"{len(fitting)} different one-digit typos would each make the parts fit "
            f"(e.g. {', '.join(fitting[:4])}), so the numbers do not point to one explanation"
            if fitting
            else "no one-digit typo in any input makes the parts fit; the numbers "
            "do not point to one explanation (the shares may refer to different totals)",
        )
    )
    return out


def implied_previous(claim: Claim) -> str:
    """What a growth rate without its base implies about the base (not a check: nothing to compare)."""
    if "current" not in claim.inputs:
        return ""
    cur = claim.inputs["current"]
    center, low, high = spread(metrics.implied_previous, [cur, claim.stated.number(claim.claim_id)])
    lo, hi = trimmed(low, 2), trimmed(high, 2)
    return (
        f"; the stated rate implies a previous level of {trimmed(center, 1)}"
        + (f" (rounding range {lo}–{hi})" if lo != hi else "")
        + f", against {cur.text()} now"
    )


IMPLIED_WHEN_MISSING = {"growth": implied_previous}
