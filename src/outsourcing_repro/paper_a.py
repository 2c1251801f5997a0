"""Paper A (涂舒 2024, 以新型服务外包培育新质生产力): the computations behind its figures
and tables; the drawings are in `figures`. Paper values come from data/raw/paper_a_values.csv
through `values`; MOFCOM employment arithmetic lives in `employment`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import metrics, values
from .number import Number, half_up

# Which values each output shows; tab_a4 shows the rest, so every value appears exactly once.
EMPLOYMENT_IDS = ("a_college_new_avg_2016_2022",)
TALENT_IDS = (
    "a_college_stock_2023",
    "a_college_share_2023",
    "a_bachelor_stock_2023",
    "a_master_stock_2023",
    "a_doctor_stock_2023",
    "a_trained_2023",
)
PRODUCTIVITY_IDS = ("a_contract_per_worker_2016", "a_contract_per_worker_2023", "a_contract_per_worker_growth")
CLASSIFICATION_IDS = ("a_ito_mid_classes", "a_ito_sub_classes")


def doublings_to_multiple(doublings: float) -> float:
    """翻N番: N doublings multiply a quantity by 2**N (翻两番 = x4)."""
    return 2.0**doublings


# --------------------------------------------------------------------------------------------
# tab_a1: talent


def mofcom_bracket(obs: pd.DataFrame, year: int) -> pd.DataFrame:
    """For each group, MOFCOM's last cumulative count before end-`year` and its first one after.

    A year-end figure stated by a paper should lie between the two; a count published for
    end-`year` itself would be listed as the 'before' row.
    """
    stock = obs[obs["measure"] == "stock"].copy()
    stock["when"] = stock["year"] * 100 + stock["month"]
    rows = []
    for group in ("college", "total"):
        g = stock[stock["group"] == group]
        before = g[g["when"] <= year * 100 + 12].sort_values("when")
        after = g[g["when"] > year * 100 + 12].sort_values("when")
        if len(before) and len(after):
            rows += [dict(before.iloc[-1], position="before"), dict(after.iloc[0], position="after")]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# tab_a2: productivity


@dataclass(frozen=True)
class Productivity:
    """The stated average growth of 人均合同额 against its two endpoints (numbers only: the verdict is
    the audit's, claim a_contract_per_worker_growth)."""

    first: Number
    last: Number
    stated: Number
    first_year: int
    last_year: int

    @property
    def years(self) -> int:
        return self.last_year - self.first_year

    @property
    def cagr(self) -> float:
        return metrics.cagr_pct(self.first.value, self.last.value, self.years)

    @property
    def cagr_range(self) -> tuple[float, float]:
        """The compound rate with both endpoints read ± half a unit of their last printed digit."""
        first, last = self.first, self.last
        return (
            metrics.cagr_pct(first.value + first.half, last.value - last.half, self.years),
            metrics.cagr_pct(first.value - first.half, last.value + last.half, self.years),
        )

    @property
    def difference_pp(self) -> float:
        return self.stated.value - self.cagr

    @property
    def simple_average(self) -> float:
        return (self.last.value / self.first.value - 1.0) / self.years * 100.0

    @property
    def implied_years(self) -> float:
        return math.log(self.last.value / self.first.value) / math.log(1.0 + self.stated.value / 100.0)

    @property
    def implied_first(self) -> float:
        return self.last.value / (1.0 + self.stated.value / 100.0) ** self.years

    @property
    def nearest_span(self) -> int:
        """The whole number of years closest to the span the stated rate needs."""
        return max(1, round(self.implied_years))

    @property
    def cagr_nearest_span(self) -> float:
        return metrics.cagr_pct(self.first.value, self.last.value, self.nearest_span)


def productivity_check(frame: pd.DataFrame) -> Productivity:
    first_row, last_row = (
        values.row(frame, "a_contract_per_worker_2016"),
        values.row(frame, "a_contract_per_worker_2023"),
    )
    return Productivity(
        Number.from_row(first_row),
        Number.from_row(last_row),
        values.number(frame, "a_contract_per_worker_growth"),
        int(first_row["year"]),
        int(last_row["year"]),
    )


# --------------------------------------------------------------------------------------------
# tab_a3: classification


def classification_counts(cls: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The paper's stated counts of ITO classes next to the number of items it lists."""
    rows = []
    for value_id, level in (("a_ito_mid_classes", "中类"), ("a_ito_sub_classes", "小类")):
        stated = values.get(frame, value_id)
        listed = int(((cls["category"] == "ITO") & (cls["level"] == level)).sum())
        rows.append(
            {
                "value_id": value_id,
                "level": level,
                "stated": int(stated),
                "listed": listed,
                "match": int(stated) == listed,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# tab_a4: every other quantitative claim


NOT_NAMED = "未说明 not named"


def names_a_source(source: str) -> bool:
    """False for "not named" and for a kind of source without a name (不完全统计, an unnamed survey)."""
    return not (source == NOT_NAMED or any(w in source for w in ("not named", "no source named", "unnamed")))


def other_claims_table(frame: pd.DataFrame) -> pd.DataFrame:
    shown_elsewhere = set(EMPLOYMENT_IDS + TALENT_IDS + PRODUCTIVITY_IDS + CLASSIFICATION_IDS)
    rest = frame[~frame["value_id"].isin(shown_elsewhere)]
    rows = []
    for _, r in rest.iterrows():
        fields = values.note_fields(r["note"])
        qualifier = fields.get("qualifier", "")
        _, symbol = values.qualifier(r["note"])
        value = Number.from_row(r).text()
        reading = ""
        if r["unit"] == "番":
            reading = f"×{doublings_to_multiple(r['value']):g} (2^{value}, computed)"
        elif r["unit"] == "比例":
            reading = f"{r['value'] * 100:g}% (computed)"
        if "bound" in fields:
            reading = (reading + "; " if reading else "") + fields["bound"]
        year = values.year_label(r)
        source = fields.get("source", "not named")
        rows.append(
            {
                "section": r["section"],
                "指标": r["metric"],
                "metric": r["metric_en"],
                "stated": f"{symbol}{value} {r['unit']}".strip(),
                "qualifier": qualifier,
                "reading": reading,
                "year": year,
                "source": NOT_NAMED if source == "not named" else source,
                "quote": r["quote"],
                "value_id": r["value_id"],
            }
        )
    return pd.DataFrame(rows)


# The figures stage rounds its labels half away from zero by the one rule of `number`.
fmt_half_up = half_up
