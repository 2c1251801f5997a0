"""The tables as the report shows them: every number formatted by `number`'s one rule.

A stated or published number appears as its source printed it; a derived one at the precision its
table chose, marked † (`number.DERIVED_MARK`) and explained in the table's note (`note`). The CSV
files keep value and unit apart for machines; these frames are for readers. Column headers stay
variable-like here; the report puts them into words at render time.
"""

from __future__ import annotations

import pandas as pd

from . import present, values
from .ledger import claim_ids
from .number import (
    BASIS_MOFCOM,
    BASIS_STATED,
    COUNT_UNITS,
    DERIVED_MARK,
    DERIVED_NOTE,
    as_printed,
    fixed,
    group,
    trimmed,
)

# Derived values shown with more places than their table's default: an exchange rate needs four.
UNIT_PLACES = {"元/美元": 4}


def derived(value: float, places: int) -> str:
    """A derived number as every table shows it: `places` decimals, grouped, marked †."""
    text = fixed(value, places)
    return text if text == "—" else text + DERIVED_MARK


def note(*parts: str | None, derived_shown: bool = True) -> str:
    """A table note: the caller's sentences, then what † means (when the table shows one)."""
    text = " ".join(p for p in parts if p)
    return (text + " " + DERIVED_NOTE).strip() if derived_shown else text


def item_value(r, frame: pd.DataFrame | None, places: int) -> str:
    """One item row's value cell: stated as printed (with its hedge), published as the release
    prints it, derived at `places` (0 for counts, UNIT_PLACES for some units) with †."""
    if r.basis == BASIS_STATED and isinstance(r.value_id, str) and r.value_id and frame is not None:
        return values.stated_text(frame, r.value_id, with_unit=False)
    if r.basis == BASIS_MOFCOM:
        return as_printed(r.value)
    return derived(r.value, 0 if r.unit in COUNT_UNITS else UNIT_PLACES.get(r.unit, places))


def item_display(table: pd.DataFrame, frame: pd.DataFrame | None = None, places: int = 2) -> pd.DataFrame:
    """The page view of an item table: the unit goes with the label, so the value cell holds only a
    number and never wraps in a narrow column."""
    shown = pd.DataFrame(
        {
            "项目 item": table["项目"] + "（" + table["unit"] + "） · " + table["item"],
            "数值 value": [item_value(r, frame, places) for r in table.itertuples()],
            "依据 basis": table["basis"],
            "算式 arithmetic": table["arithmetic"],
        }
    )
    # The page view keeps the code link of the function that built the items (item_tables_*).
    if "producer" in table.attrs:
        shown.attrs["producer"] = dict(table.attrs["producer"])
    return shown


def row_classes(table: pd.DataFrame) -> list[str]:
    """'derived' for every row the paper does not print: a hook for the stylesheet (the value's † and
    the basis column say it in words)."""
    return ["derived" if b not in (BASIS_STATED, BASIS_MOFCOM) else "" for b in table["basis"]]


def item_table(
    items: pd.DataFrame,
    frame: pd.DataFrame,
    csv_path,
    *,
    tab_id: str,
    label_zh: str | None,
    title_zh: str,
    title_en: str,
    section: str | None,
    data_files: list[str],
    notebook: str,
    places: int = 2,
    claims: list[str] | None = None,
    table_note: str | None = None,
) -> present.Item:
    """The report block of an item table (item_tables_*): the items go to `csv_path` as they are, value
    and unit in separate columns for machines; the page shows them through `item_display`, derived
    rows marked. It links the claims of the stated values it shows (`claims` replaces that list), and
    its note is `table_note` or, by default, what † means."""
    present.write_csv(items, csv_path)
    return present.table(
        item_display(items, frame, places),
        tab_id=tab_id,
        label_zh=label_zh,
        title_zh=title_zh,
        title_en=title_en,
        section=section,
        data_files=data_files,
        notebook=notebook,
        row_classes=row_classes(items),
        note=table_note if table_note is not None else note(),
        claims=claim_ids(frame, items["value_id"]) if claims is None else claims,
    )


@present.building
def listed_claims_display(table: pd.DataFrame) -> pd.DataFrame:
    """Paper A's other claims (paper_a.other_claims_table), one column per thing a reader checks."""
    reading = table["reading"].where(table["reading"] == "", " (" + table["reading"] + ")")
    return pd.DataFrame(
        {
            "§": table["section"].map(values.short_section),
            "指标 metric": table["指标"] + " · " + table["metric"],
            "原文数值 stated": table["stated"] + reading,
            "年份 year": table["year"],
            "来源 source": table["source"],
            "原文 quote": table["quote"],
        }
    )


@present.building
def execution_series_display(table: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """表1: levels and stated rates as printed; recomputed rates and differences derived (2 places)."""
    return pd.DataFrame(
        {
            "年份 year": table["year"].astype(int).astype(str),
            "执行额 execution (万美元)": [values.stated_text(frame, i, with_unit=False) for i in table["value_id"]],
            "同比增长 原文 stated (%)": [
                values.stated_text(frame, i, with_unit=False) if isinstance(i, str) else "—" for i in table["growth_id"]
            ],
            "同比增长 重算 recomputed (%)": table["growth_recomputed_pct"].map(lambda x: derived(x, 2)),
            "差 stated − recomputed (个百分点)": table["difference_pp"].map(lambda x: derived(x, 2)),
        }
    )


@present.building
def business_mix_display(mix: pd.DataFrame, frame: pd.DataFrame, total_id: str, audit) -> pd.DataFrame:
    """表2: each kind's value and stated share as printed, the recomputed share and the difference
    (3 places, †), and the audit's verdict on the stated share."""
    total = values.number(frame, total_id).text()
    return pd.DataFrame(
        {
            "业务 kind": mix["kind"] + " " + mix["name_zh"],
            "执行额 execution (万美元)": [values.stated_text(frame, i, with_unit=False) for i in mix["value_id"]],
            "占比 原文 stated (%)": [values.stated_text(frame, i, with_unit=False) for i in mix["share_id"]],
            f"占比 重算 recomputed (÷ {total}, %)": mix["share_recomputed_pct"].map(lambda v: derived(v, 3)),
            "差 difference (个百分点)": mix["difference_pp"].map(lambda v: fixed(v, 3, sign=True) + DERIVED_MARK),
            "核查 audit": [audit.verdict(i).verdict for i in mix["share_id"]],
        }
    )


@present.building
def park_items_display(tree: pd.DataFrame) -> pd.DataFrame:
    """The page view of 图2's boxes: label, parent, number and quote; a quote repeated from the row
    above is shown as 同上 (ditto) so the table stays short. The CSV keeps every quote in full."""
    tree = tree.reset_index(drop=True)
    labels = dict(zip(tree["item_id"], tree["label_zh"]))
    quotes = tree["quote"].tolist()
    shown_quotes = [q if i == 0 or q != quotes[i - 1] else "同上 ditto" for i, q in enumerate(quotes)]
    return pd.DataFrame(
        {
            "方框 box": tree["label_zh"] + " · " + tree["label_en"],
            "类别 kind": tree["kind"],
            "上级 parent": [labels.get(p, "—") if isinstance(p, str) else "—" for p in tree["parent_id"]],
            "数量 count": tree["count_text"].replace("", "—"),
            "原文 quote": shown_quotes,
        }
    )


def _group_label(g: str) -> str:
    from .employment import GROUP_EN, GROUP_ZH

    return f"{GROUP_ZH[g]} {GROUP_EN[g]}"


@present.building
def hires_display(hires: pd.DataFrame) -> pd.DataFrame:
    """The plotted new-hire values with how each was obtained, for the table under 图1: a released
    value as MOFCOM prints it, a derived one (difference of stocks) with one decimal and †."""
    from .employment import span_label

    def shown(value, released):
        return as_printed(value) if released else derived(value, 1)

    return pd.DataFrame(
        {
            "group": hires["group"].map(_group_label),
            "years": [span_label(int(a), int(b)) for a, b in zip(hires["start"], hires["end"])],
            "new_hires_10k": [shown(v, r) for v, r in zip(hires["value"], hires["released"])],
            "per_year_10k": [
                shown(v, r and y == 1) if y == 1 else derived(v, 1)
                for v, r, y in zip(hires["per_year"], hires["released"], hires["years"])
            ],
            "basis": hires["released"].map({True: "公布 released", False: "推算 derived"}),
            "arithmetic": hires["arithmetic"],
            "mofcom_lines": hires["lines"],
        }
    )


@present.building
def stocks_display(candidates: pd.DataFrame) -> pd.DataFrame:
    """Every year-end stock estimate; the one used is marked, the others show how well they agree."""
    from .employment import PUBLISHED

    return pd.DataFrame(
        {
            "group": candidates["group"].map(_group_label),
            "year_end": candidates["year"].astype(int),
            "stock_10k": [
                as_printed(v) if m == PUBLISHED else derived(v, 2)
                for v, m in zip(candidates["value"], candidates["method"])
            ],
            "method": candidates["method"],
            "arithmetic": candidates["arithmetic"],
            "mofcom_lines": candidates["lines"],
            "used": candidates["chosen"].map({True: "采用 used", False: "核对 cross-check"}),
        }
    )


# --------------------------------------------------------------------------------------------------
# The claims audit


def audit_number(value: float | None, printed: str) -> str:
    """A recomputed number one digit finer than the stated one, so a gap of one unit shows."""
    if value is None or pd.isna(value):
        return ""
    if float(value).is_integer() and "." not in printed:
        return fixed(value, 0)
    return fixed(value, len(printed.split(".")[1]) + 1 if "." in printed else 2)


def for_display(text) -> str:
    """A quote or note as the table shows it: verbatim. Paper B's line-break hyphen U+2043
    ("Out⁃sourcing") is kept; the shipped font draws it with its hyphen glyph (tools/make_font_subset.py)."""
    return "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)


# A ratio the paper words as a fraction (约有一半 = 0.5): shown with its percent.
RATIO_UNIT = "比例"
# Checks whose verdict rests on a range; the point estimate, if any, is shown with it.
RANGE_CHECKS = {"average_flow_from_stocks", "average_growth_at_least"}


@present.building
def audit_display(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit as the report shows it, narrow enough for an A4 page: the claim id (breakable at its
    underscores), quote, stated and recomputed values with their unit, the difference for a
    discrepancy, the verdict and the note."""
    from .checks import DISCREPANCY

    rows = []
    for r in audit.itertuples(index=False):
        stated = str(r.stated)
        basis = stated.split("..")[0]
        range_unit = r.range_unit if isinstance(r.range_unit, str) and r.range_unit else ""
        unit = f" {range_unit or r.unit}"
        recomputed = audit_number(r.recomputed, basis)
        if range_unit:  # another quantity than the stated one (an implied rate, a total): its own unit
            span = f"{trimmed(r.low, 4 if pd.isna(r.recomputed) else 2)}–{trimmed(r.high, 4 if pd.isna(r.recomputed) else 2)}"
            recomputed = (
                f"{trimmed(r.recomputed, 2)} (range {span})"
                if pd.notna(r.recomputed)
                else span
                if pd.notna(r.low)
                else ""
            )
        elif not recomputed and pd.notna(r.low) and pd.notna(r.high):
            recomputed = f"{audit_number(r.low, basis)}–{audit_number(r.high, basis)}"
        elif recomputed and r.check in RANGE_CHECKS and pd.notna(r.low):
            recomputed += f" (range {audit_number(r.low, basis)}–{audit_number(r.high, basis)})"
        if recomputed:
            recomputed += unit
        if pd.notna(r.difference) and r.verdict == DISCREPANCY:
            diff_unit = "pp" if r.unit == "%" else r.unit
            places = max(len(basis.split(".")[1]) if "." in basis else 0, 1) + 1
            recomputed += f"; difference {fixed(r.difference, places, sign=True)} {diff_unit}"
        rows.append(
            {
                "论断 Claim": str(r.claim_id).replace("_", "_\u200b"),
                "原文 Quote": for_display(r.quote),
                "原文数值 Stated": "–".join(group(t) for t in stated.split(".."))
                + f" {r.unit}"
                + (f" (= {trimmed(float(stated) * 100)}%)" if r.unit == RATIO_UNIT else ""),
                "重算 Recomputed": recomputed,
                "结论 Verdict": r.verdict,
                "说明 Note": for_display(r.note),
            }
        )
    return pd.DataFrame(rows)
