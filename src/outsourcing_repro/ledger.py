"""The claims ledger's small input language: which numbers a claim is checked against.

The ledger (data/claims/claims_ledger.csv) has one row per claim: the number as printed (`stated`),
the name of a check (`check`, see `checks`), the numbers the check uses (`inputs`), and optional
`params` and an explicit `tolerance` with its reason.

Inputs are written `role=token; role=token`. A token is a paper value id (`b_exec_2016`), or a MOFCOM
selector `mofcom:YEAR|METRIC|SCOPE-SUBSTRING[|UNIT]` that must pick exactly one row of
data/external/mofcom_release_values.csv. A role given several times becomes a list (`parts=...`).
Every input resolves to a `number.Number` with the precision its source printed it in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from . import metrics
from .number import COUNT_UNITS, PUBLISHED, Number, group
from .schemas import base_unit

# Kinds of paper value every one of which must have a ledger row (and an anchor #claim-<value_id>).
AUDITED_KINDS = ("growth_rate", "share", "average_growth", "average_level")


class MissingInput(LookupError):
    """An input the check needs is not in data/: the claim is not checkable, and this says why."""


class LedgerError(ValueError):
    """The ledger itself is wrong (unknown check, malformed inputs): a bug to fix, not a verdict."""


@dataclass(frozen=True)
class Stated:
    """The ledger's `stated` cell: a number ("76.84") or a range the claim implies ("200..500")."""

    printed: str
    value: float | None
    low: float | None = None
    high: float | None = None
    exact: bool = False  # a count of firms or items: no rounding

    @property
    def half(self) -> float:
        return metrics.half_unit(self.printed) if self.value is not None and not self.exact else 0.0

    def text(self) -> str:
        """As the report shows it: grouped, a range with an en dash."""
        return "–".join(group(t) for t in self.printed.split(".."))

    def number(self, label: str = "") -> Number:
        """The stated value as a Number (for a check that uses it as an input)."""
        return Number(self.value, self.printed, source=label, exact=self.exact)

    @classmethod
    def parse(cls, text, exact: bool = False) -> Stated:
        text = str(text).strip().replace(" ", "")
        if ".." in text:
            low, high = (float(t) for t in text.split(".."))
            return cls(text, None, low, high)
        return cls(text, float(text), exact=exact)


@dataclass
class Claim:
    claim_id: str
    stated: Stated
    quote: str
    inputs: dict
    params: dict
    tolerance: float | None = None  # explicit override from the ledger
    unit: str = ""

    def require(self, *roles: str) -> None:
        absent = [r for r in roles if r not in self.inputs]
        if absent:
            raise MissingInput(f"inputs {absent} not available")

    @classmethod
    def from_row(cls, row: pd.Series, inputs: dict) -> Claim:
        tolerance = row.get("tolerance")
        return cls(
            claim_id=str(row["claim_id"]),
            quote=str(row["quote"]),
            stated=Stated.parse(row["stated"], exact=str(row["unit"]) in COUNT_UNITS),
            inputs=inputs,
            params=parse_params(row.get("params")),
            tolerance=None if tolerance is None or pd.isna(tolerance) else float(tolerance),
            unit=str(row["unit"]),
        )


@dataclass
class Sources:
    """The frames the inputs are looked up in."""

    values: pd.DataFrame  # both papers' values, concatenated
    mofcom: pd.DataFrame | None  # None: this audit was loaded without the MOFCOM file

    def number(self, token: str) -> Number:
        token = token.strip()
        if token.startswith("mofcom:"):
            return self._mofcom(token)
        if re.fullmatch(r"[ab]_[a-z0-9_]+", token):
            hits = self.values[self.values["value_id"] == token]
            if hits.empty:
                raise MissingInput(f"value '{token}' is not in the paper value files")
            return Number.from_row(hits.iloc[0])
        raise LedgerError(f"input token {token!r} is neither a value id nor a mofcom: selector")

    def _mofcom(self, token: str) -> Number:
        fields = token[len("mofcom:") :].split("|")
        if len(fields) not in (3, 4):
            raise LedgerError(f"MOFCOM selector {token!r} needs YEAR|METRIC|SCOPE[|UNIT]")
        year, metric, scope = int(fields[0]), fields[1], fields[2]
        if self.mofcom is None:
            raise LedgerError(f"{token}: this audit was run without the MOFCOM file; pass it")
        frame = self.mofcom
        sel = (frame["year"] == year) & (frame["metric"] == metric) & frame["scope"].str.contains(scope, regex=False)
        if len(fields) == 4:
            sel &= frame["unit"].map(base_unit) == fields[3]
        hits = frame[sel]
        if hits.empty:
            raise MissingInput(
                f"MOFCOM releases in data/ have no {year} '{metric}' ({scope}"
                + (f", {fields[3]}" if len(fields) == 4 else "")
                + ")"
            )
        if hits["value"].nunique() > 1:
            raise LedgerError(f"MOFCOM selector {token!r} matches rows with different values")
        row = hits.iloc[0]
        return Number.from_row(row, source=f"MOFCOM {year} {metric} ({scope})", basis=PUBLISHED).with_(
            unit=base_unit(row["unit"]), exact=False
        )


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


def claim_ids(frame: pd.DataFrame, ids=None) -> list[str]:
    """value_ids among `ids` (all rows if None, in `ids` order) whose kind the audit covers: each has a
    ledger row of the same id, so a table showing the value links it."""
    rows = frame.drop_duplicates("value_id").set_index("value_id", drop=False)
    chosen = list(rows.index) if ids is None else [i for i in ids if isinstance(i, str) and i in rows.index]
    return [i for i in chosen if rows.at[i, "kind"] in AUDITED_KINDS]


def uncovered(values: pd.DataFrame, ledger: pd.DataFrame) -> list[str]:
    """Paper values of the kinds every one of which must have a claim row, but have none."""
    needed = values.loc[values["kind"].isin(AUDITED_KINDS), "value_id"]
    return sorted(set(needed) - set(ledger["claim_id"]))


def with_placeholders(ledger: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The ledger plus a `not checkable` row for each stated rate, share or average that has no row
    yet, so the report still builds and every figure's claim link has a target; the notebook says
    which, and tests/test_audit.py fails until the ledger covers them."""
    missing = uncovered(values, ledger)
    if not missing:
        return ledger
    rows = values[values["value_id"].isin(missing)]
    extra = pd.DataFrame(
        {
            "claim_id": rows["value_id"],
            "paper": rows["paper"],
            "section": rows["section"],
            "quote": rows["quote"],
            "stated": rows["value"].map(lambda v: f"{v:g}"),
            "unit": rows["unit"],
            "check": "not_published",
            "inputs": None,
            "params": None,
            "tolerance": None,
            "note": "No ledger row yet for this stated value: it has not been audited.",
        }
    )
    return pd.concat([ledger, extra], ignore_index=True)
