"""The claims audit's engine: run every ledger row's check and hand out its verdict.

This is the one place a verdict comes from. The paper modules compute numbers; a table, figure note
or the audit section that says whether a claim holds asks this module (`Audit.verdict`), and links
the ledger row it used (`#claim-<id>`).

- `ledger`: the ledger's input language (which numbers a claim is checked against);
- `checks`, `checks_bounds`: one function per kind of claim, returning a `checks.Result`;
- `hypotheses`: what the numbers would have to be for a discrepancy to vanish;
- `tables.audit_display`: the table the report shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from . import hypotheses
from .checks import (
    CHECKS,
    CONSISTENT,
    DISCREPANCY,
    NOT_CHECKABLE,
    VERDICTS,
    Result,
    cagr,
    conversion,
    count_listed,
    growth,
    judge,
    not_checkable,
    per_capita,
    restated,
    share,
    shares_sum_to_whole,
    sum_of_parts,
)
from .checks_bounds import (
    average_flow_from_stocks,
    average_growth_at_least,
    band_mean,
    bracketed,
    bracketed_share,
    parts_within_whole,
    shares_within_whole,
)
from .hypotheses import one_keystroke
from .ledger import (
    AUDITED_KINDS,
    Claim,
    LedgerError,
    MissingInput,
    Sources,
    Stated,
    claim_ids,
    parse_inputs,
    resolve,
    uncovered,
    with_placeholders,
)
from .number import Number, spread, trimmed

OUTPUT_COLUMNS = [
    "claim_id",
    "paper",
    "section",
    "quote",
    "stated",
    "recomputed",
    "low",
    "high",
    "tolerance",
    "difference",
    "difference_pp",
    "unit",
    "range_unit",
    "verdict",
    "check",
    "inputs",
    "note",
]


@dataclass(frozen=True)
class Verdict:
    """One claim's outcome: what was stated, what the data give, the verdict and why."""

    claim_id: str
    paper: str
    section: str
    quote: str
    stated: str
    unit: str
    verdict: str
    check: str
    inputs: str
    note: str
    recomputed: float | None = None
    low: float | None = None
    high: float | None = None
    tolerance: float | None = None
    difference: float | None = None
    range_unit: str = ""  # unit of recomputed/low/high when not the claim's (a rate, CNY/USD)
    hypotheses: tuple = field(default=())

    @property
    def holds(self) -> bool:
        return self.verdict == CONSISTENT

    @property
    def anchor(self) -> str:
        return f"claim-{self.claim_id}"

    def row(self) -> dict:
        return {
            "claim_id": self.claim_id,
            "paper": self.paper,
            "section": self.section,
            "quote": self.quote,
            "stated": self.stated,
            "recomputed": _round(self.recomputed),
            "low": _round(self.low),
            "high": _round(self.high),
            "tolerance": _round(self.tolerance),
            "difference": _round(self.difference),
            "difference_pp": _round(self.difference) if self.unit == "%" else None,
            "unit": self.unit,
            "range_unit": self.range_unit,
            "verdict": self.verdict,
            "check": self.check,
            "inputs": self.inputs,
            "note": self.note,
        }


def evaluate(row: pd.Series, sources: Sources) -> Verdict:
    """Run one ledger row's check."""
    name = str(row["check"])
    if name not in CHECKS:
        raise LedgerError(f"{row['claim_id']}: unknown check '{name}'")
    inputs, missing = resolve(parse_inputs(row.get("inputs")), sources)
    claim = Claim.from_row(row, inputs)
    ledger_note = "" if pd.isna(row.get("note")) else str(row["note"])
    if missing:
        result = not_checkable("; ".join(missing))
        if name in hypotheses.IMPLIED_WHEN_MISSING:
            result.detail += hypotheses.IMPLIED_WHEN_MISSING[name](claim)
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
        parts.append("Hypotheses tested: " + "; ".join(h.text for h in result.explanations))
    parts.append(ledger_note)
    note = " ".join(p if p.endswith(".") else p + "." for p in (p.strip() for p in parts) if p)
    difference = None
    if (
        result.verdict != NOT_CHECKABLE
        and result.recomputed is not None
        and claim.stated.value is not None
        and not result.unit
    ):
        difference = claim.stated.value - result.recomputed
    return Verdict(
        claim_id=claim.claim_id,
        paper=row["paper"],
        section=row["section"],
        quote=row["quote"],
        stated=claim.stated.printed,
        unit=claim.unit,
        verdict=result.verdict,
        check=name,
        inputs="" if pd.isna(row.get("inputs")) else row["inputs"],
        note=note.strip(),
        recomputed=result.recomputed,
        low=result.low,
        high=result.high,
        tolerance=result.tolerance,
        difference=difference,
        range_unit=result.unit or "",
        hypotheses=tuple(result.explanations),
    )


def run_claim(row: pd.Series, sources: Sources) -> dict:
    """One ledger row's outcome as a flat row (the audit CSV's columns)."""
    return evaluate(row, sources).row()


def _round(x: float | None, digits: int = 4) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    value = round(float(x), digits)
    return 0.0 if value == 0 else value


@dataclass
class Audit:
    """Every claim of the ledger, checked once; `verdict(claim_id)` is what tables and notes show."""

    verdicts: dict[str, Verdict]

    @classmethod
    def run(cls, ledger: pd.DataFrame, values: pd.DataFrame, mofcom: pd.DataFrame | None, only=None) -> Audit:
        """Check every ledger row (or the claims in `only`). Without `mofcom`, a claim that needs a
        MOFCOM value is a ledger error, never a silent 'not checkable'."""
        sources = Sources(values=values, mofcom=mofcom)
        rows = ledger if only is None else ledger[ledger["claim_id"].isin(list(only))]
        if only is not None and len(rows) != len(set(only)):
            absent = sorted(set(only) - set(rows["claim_id"]))
            raise KeyError(f"the claims ledger has no row {absent}")
        return cls({v.claim_id: v for v in (evaluate(row, sources) for _, row in rows.iterrows())})

    @classmethod
    def from_files(cls, ledger, paper_values, mofcom=None, only=None) -> Audit:
        """Load the ledger, the paper value files (a list) and, if given, the MOFCOM file, then run."""
        from . import dataset

        values = pd.concat([dataset.load(p, "paper_values") for p in paper_values], ignore_index=True)
        claims = with_placeholders(dataset.load(ledger, "claims_ledger"), values)
        if only is None:
            papers = set(values["paper"])
            claims = claims[claims["paper"].isin(papers)]
        release = dataset.load(mofcom, "mofcom") if mofcom is not None else None
        return cls.run(claims, values, release, only)

    def verdict(self, claim_id: str) -> Verdict:
        if claim_id not in self.verdicts:
            raise KeyError(f"the claims ledger has no row '{claim_id}'")
        return self.verdicts[claim_id]

    def frame(self) -> pd.DataFrame:
        """One row per claim, sorted by paper and claim id (deterministic)."""
        out = pd.DataFrame([v.row() for v in self.verdicts.values()], columns=OUTPUT_COLUMNS)
        return out.sort_values(["paper", "claim_id"], kind="mergesort").reset_index(drop=True)


def run_ledger(ledger: pd.DataFrame, values: pd.DataFrame, mofcom: pd.DataFrame) -> pd.DataFrame:
    """One output row per ledger row, sorted by paper and claim id (deterministic)."""
    return Audit.run(ledger, values, mofcom).frame()


def summary(audit: pd.DataFrame) -> dict[str, int]:
    counts = audit["verdict"].value_counts()
    return {"total": len(audit), **{v: int(counts.get(v, 0)) for v in VERDICTS}}


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def counts_phrase(counts: dict[str, int]) -> str:
    """'K consistent, 1 discrepancy, U not checkable' (the wording report.py reads back)."""
    return (
        f"{counts.get(CONSISTENT, 0)} consistent, "
        f"{plural(counts.get(DISCREPANCY, 0), 'discrepancy', 'discrepancies')}, "
        f"{counts.get(NOT_CHECKABLE, 0)} not checkable"
    )


def summary_line(audit: pd.DataFrame) -> str:
    s = summary(audit)
    return f"{plural(s['total'], 'claim', 'claims')} checked: {counts_phrase(s)}"


def css_class(verdict: str) -> str:
    return verdict.replace(" ", "-")
