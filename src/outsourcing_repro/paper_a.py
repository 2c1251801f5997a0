"""Paper A (涂舒 2024, 以新型服务外包培育新质生产力): the computations behind its figures
and tables; the drawings are in `figures`. Paper values come from data/raw/paper_a_values.csv
through `values`; MOFCOM employment arithmetic lives in `employment`.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from . import metrics, values

# Kinds whose every paper value gets a row in the claims audit (anchor #claim-<value_id>).
AUDITED_KINDS = ("growth_rate", "share", "average_growth", "average_level")

# Which values each output shows; tab_a4 shows the rest, so every value appears exactly once.
EMPLOYMENT_IDS = ("a_college_new_avg_2016_2022",)
TALENT_IDS = ("a_college_stock_2023", "a_college_share_2023", "a_bachelor_stock_2023",
              "a_master_stock_2023", "a_doctor_stock_2023", "a_trained_2023")
PRODUCTIVITY_IDS = ("a_contract_per_worker_2016", "a_contract_per_worker_2023", "a_contract_per_worker_growth")
CLASSIFICATION_IDS = ("a_ito_mid_classes", "a_ito_sub_classes")

BASIS_STATED = "原文 stated"
BASIS_DERIVED = "推算 derived"
BASIS_MOFCOM = "商务部公布 MOFCOM, published"
BASIS_MOFCOM_DERIVED = "据商务部数据推算 derived from MOFCOM"


def claim_ids(frame: pd.DataFrame, ids=None) -> list[str]:
    """value_ids among `ids` (all rows if None) whose kind the claims audit covers."""
    rows = frame if ids is None else frame[frame["value_id"].isin(list(ids))]
    return rows.loc[rows["kind"].isin(AUDITED_KINDS), "value_id"].tolist()


def note_fields(note) -> dict[str, str]:
    """Split a note written as 'key: value; key: value' (source, qualifier, bound, year, ...)."""
    fields: dict[str, str] = {}
    if note is None or (isinstance(note, float) and pd.isna(note)) or pd.isna(note):
        return fields
    for part in str(note).split("; "):
        key, sep, rest = part.partition(": ")
        if sep and key.isascii() and " " not in key:
            fields[key] = rest
        else:
            fields["other"] = (fields.get("other", "") + "; " + part).lstrip("; ")
    return fields


def doublings_to_multiple(doublings: float) -> float:
    """翻N番: N doublings multiply a quantity by 2**N (翻两番 = x4)."""
    return 2.0 ** doublings


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


def talent_table(frame: pd.DataFrame, mofcom_stocks: pd.DataFrame | None = None,
                 mofcom_obs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Paper A's year-end talent figures, the rows they imply, and MOFCOM values around that date."""
    v = lambda i: values.get(frame, i)  # noqa: E731
    college, share = v("a_college_stock_2023"), v("a_college_share_2023")
    year = int(values.row(frame, "a_college_stock_2023")["year"])
    bachelor, master, doctor = v("a_bachelor_stock_2023"), v("a_master_stock_2023"), v("a_doctor_stock_2023")
    junior = college - bachelor - master - doctor
    total = metrics.implied_whole(college, share)
    half = metrics.half_unit(f"{share:.1f}")
    total_lo, total_hi = metrics.implied_whole(college, share + half), metrics.implied_whole(college, share - half)

    def pct_of_college(x):
        return metrics.share_pct(x, college)

    rows = [
        ("累计吸纳大学（含大专）以上学历", "College-educated (incl. junior college), cumulative", college, "万人",
         BASIS_STATED, "", "a_college_stock_2023"),
        ("其中：本科", "of which bachelor's", bachelor, "万人", BASIS_STATED,
         f"{pct_of_college(bachelor):.1f}% of {college:.1f}", "a_bachelor_stock_2023"),
        ("其中：硕士", "of which master's", master, "万人", BASIS_STATED,
         f"{pct_of_college(master):.1f}% of {college:.1f}", "a_master_stock_2023"),
        ("其中：博士", "of which doctoral", doctor, "万人", BASIS_STATED,
         f"{pct_of_college(doctor):.1f}% of {college:.1f}", "a_doctor_stock_2023"),
        ("其中：大专（余项）", "of which junior college (remainder)", junior, "万人", BASIS_DERIVED,
         f"{college:.1f} − {bachelor:.1f} − {master:.1f} − {doctor:.1f} = {junior:.1f} "
         f"({pct_of_college(junior):.1f}% of {college:.1f})", ""),
        ("大学（含大专）以上学历占总从业人数比重", "College-educated share of all employees", share, "%",
         BASIS_STATED, "", "a_college_share_2023"),
        ("隐含从业人员总数", "Implied total employees", total, "万人", BASIS_DERIVED,
         f"{college:.1f} ÷ {share:.1f}% = {total:.1f} (share read as {share - half:.2f}–{share + half:.2f}%: "
         f"{total_lo:.1f}–{total_hi:.1f})", ""),
        ("累计接受培训人数", "People trained, cumulative", v("a_trained_2023"), "万人", BASIS_STATED, "",
         "a_trained_2023"),
    ]
    if mofcom_obs is not None:
        for _, r in mofcom_bracket(mofcom_obs, year).iterrows():
            zh = "累计从业人员" if r["group"] == "total" else "累计大学以上学历从业人员"
            en = "employees, cumulative" if r["group"] == "total" else "college-educated, cumulative"
            rows.append((f"商务部：截至{r['year']}年{r['month']}月底{zh}", f"MOFCOM: end-{r['month']:02d}/{r['year']} {en}",
                         r["value"], "万人", BASIS_MOFCOM, f"data/external line {r['line']}", ""))
    if mofcom_stocks is not None:
        prev = mofcom_stocks[(mofcom_stocks["group"] == "college") & (mofcom_stocks["year"] == year - 1)]
        if len(prev):
            s_prev = float(prev["value"].iloc[0])
            rows.append((f"{year}年新增大学以上学历（论文年末值 − 商务部{year - 1}年末推算值）",
                         f"College-educated new hires in {year} (paper's end-{year} − MOFCOM-derived end-{year - 1})",
                         college - s_prev, "万人", BASIS_MOFCOM_DERIVED,
                         f"{college:.1f} − {s_prev:.1f} ({prev['arithmetic'].iloc[0]}) = {college - s_prev:.1f}", ""))
    return pd.DataFrame(rows, columns=["项目", "item", "value", "unit", "basis", "arithmetic", "value_id"])


def item_table_display(table: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """A narrower view of an item table (项目, item, value, unit, ...) for the report page.

    The CSV keeps value and unit apart for machines; a reader wants "1,031.0 万人" in one cell.
    """
    out = pd.DataFrame({
        "项目 item": table["项目"] + " · " + table["item"],
        # Stated values keep the paper's one decimal; derived ones show `digits`.
        "数值 value": [f"{v:,.{1 if b == BASIS_STATED else digits}f} {u}"
                       for v, u, b in zip(table["value"], table["unit"], table["basis"])],
        "依据 basis": table["basis"],
        "算式 arithmetic": table["arithmetic"],
    })
    if "value_id" in table:
        out["value_id"] = table["value_id"]
    return out


# --------------------------------------------------------------------------------------------
# tab_a2: productivity


def productivity_check(frame: pd.DataFrame) -> dict:
    """The stated 2016—2023 average growth of 人均合同额 against its endpoints."""
    first_row, last_row = values.row(frame, "a_contract_per_worker_2016"), values.row(frame, "a_contract_per_worker_2023")
    first, last = float(first_row["value"]), float(last_row["value"])
    years = int(last_row["year"]) - int(first_row["year"])
    stated = values.get(frame, "a_contract_per_worker_growth")
    cagr = metrics.cagr_pct(first, last, years)
    h1, h2 = metrics.half_unit(f"{first}"), metrics.half_unit(f"{last}")
    cagr_lo = metrics.cagr_pct(first + h1, last - h2, years)
    cagr_hi = metrics.cagr_pct(first - h1, last + h2, years)
    ratio = last / first
    return {
        "first": first, "last": last, "first_year": int(first_row["year"]), "last_year": int(last_row["year"]),
        "years": years, "stated": stated, "cagr": cagr, "cagr_lo": cagr_lo, "cagr_hi": cagr_hi,
        "difference_pp": stated - cagr,
        "consistent": cagr_lo - metrics.half_unit(f"{stated}") <= stated <= cagr_hi + metrics.half_unit(f"{stated}"),
        "simple_average": (ratio - 1.0) / years * 100.0,
        "implied_years": math.log(ratio) / math.log(1.0 + stated / 100.0),
        "implied_first": last / (1.0 + stated / 100.0) ** years,
        "cagr_5y": metrics.cagr_pct(first, last, 5),
    }


def productivity_table(check: dict) -> pd.DataFrame:
    c = check
    fy, ly, n = c["first_year"], c["last_year"], c["years"]
    rows = [
        (f"{fy}年人均合同额", f"Contract value per employee, {fy}", c["first"], "万美元/人", BASIS_STATED, ""),
        (f"{ly}年人均合同额", f"Contract value per employee, {ly}", c["last"], "万美元/人", BASIS_STATED, ""),
        ("年均增长（原文）", "Average annual growth, as stated", c["stated"], "%", BASIS_STATED, ""),
        (f"年均复合增长（按两端值重算，{n}年）", f"Compound annual growth from the endpoints ({n} years)", c["cagr"], "%",
         BASIS_DERIVED, f"({c['last']} ÷ {c['first']})^(1/{n}) − 1 = {c['cagr']:.2f}% "
                        f"(endpoints read ± half a unit: {c['cagr_lo']:.2f}–{c['cagr_hi']:.2f}%)"),
        ("差异（原文 − 重算）", "Difference, stated − recomputed", c["difference_pp"], "个百分点", BASIS_DERIVED,
         f"{c['stated']} − {c['cagr']:.2f} = {c['difference_pp']:.2f}"),
        ("参考：简单平均增长", "For reference: simple average growth", c["simple_average"], "%", BASIS_DERIVED,
         f"({c['last']} ÷ {c['first']} − 1) ÷ {n} = {c['simple_average']:.2f}%"),
        ("参考：5年复合增长", "For reference: compound growth over 5 years", c["cagr_5y"], "%", BASIS_DERIVED,
         f"({c['last']} ÷ {c['first']})^(1/5) − 1 = {c['cagr_5y']:.2f}%"),
        ("29.3%所需年数", "Years the stated rate needs to go from first to last value", c["implied_years"], "年",
         BASIS_DERIVED, f"ln({c['last']} ÷ {c['first']}) ÷ ln(1 + {c['stated']}%) = {c['implied_years']:.2f}"),
        (f"29.3%所隐含的{fy}年值", f"{fy} value implied by the stated rate and the {ly} value", c["implied_first"],
         "万美元/人", BASIS_DERIVED, f"{c['last']} ÷ (1 + {c['stated']}%)^{n} = {c['implied_first']:.2f}"),
    ]
    table = pd.DataFrame(rows, columns=["项目", "item", "value", "unit", "basis", "arithmetic"])
    table["项目"] = table["项目"].str.replace("29.3%", f"{c['stated']}%", regex=False)
    return table


# --------------------------------------------------------------------------------------------
# tab_a3: classification


def classification_counts(cls: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The paper's stated counts of ITO classes next to the number of items it lists."""
    rows = []
    for value_id, level in (("a_ito_mid_classes", "中类"), ("a_ito_sub_classes", "小类")):
        stated = values.get(frame, value_id)
        listed = int(((cls["category"] == "ITO") & (cls["level"] == level)).sum())
        rows.append({"value_id": value_id, "level": level, "stated": int(stated), "listed": listed,
                     "match": int(stated) == listed})
    return pd.DataFrame(rows)


def classification_table(cls: pd.DataFrame) -> pd.DataFrame:
    """One row per listed item, with its parent and whether the paper states or we infer it."""
    names = cls.set_index("item_id")["name_zh"]
    out = cls.copy()
    # NaN, not pd.NA: the HTML table prints NaN as its na_rep (—) but pd.NA as "<NA>".
    out["parent"] = out["parent_id"].map(lambda p: names.get(p, float("nan")) if isinstance(p, str) else float("nan"))
    out["parent_basis"] = out["parent_basis"].map(
        {"stated": "原文 stated", "inferred": "推断 inferred (list order)"}).where(out["parent_basis"].notna())
    return out[["category", "level", "position", "name_zh", "name_en", "parent", "parent_basis", "quote"]]


# --------------------------------------------------------------------------------------------
# tab_a4: every other quantitative claim


# How the paper's hedges read as bounds: 超过 50% is "> 50%", 近30% is "≈ 30%".
QUALIFIER_SYMBOLS = {"超过": ">", "普遍超过": ">", "多": ">", "至少": "≥", "至少可能": "≥", "约": "≈", "近": "≈"}
NOT_NAMED = "未说明 not named"


def names_a_source(source: str) -> bool:
    """False for "not named" and for a kind of source without a name (不完全统计, an unnamed survey)."""
    return not (source == NOT_NAMED or any(w in source for w in ("not named", "no source named", "unnamed")))


def other_claims_table(frame: pd.DataFrame) -> pd.DataFrame:
    shown_elsewhere = set(EMPLOYMENT_IDS + TALENT_IDS + PRODUCTIVITY_IDS + CLASSIFICATION_IDS)
    rest = frame[~frame["value_id"].isin(shown_elsewhere)]
    rows = []
    for _, r in rest.iterrows():
        fields = note_fields(r["note"])
        qualifier = fields.get("qualifier", "")
        symbol = QUALIFIER_SYMBOLS.get(qualifier.split(" (")[0], "")
        value = f"{r['value']:g}"
        reading = ""
        if r["unit"] == "番":
            reading = f"×{doublings_to_multiple(r['value']):g} (2^{value}, computed)"
        elif r["unit"] == "比例":
            reading = f"{r['value'] * 100:g}% (computed)"
        if "bound" in fields:
            reading = (reading + "; " if reading else "") + fields["bound"]
        year = r["period"] if isinstance(r["period"], str) else str(r["year"])
        if "year" in fields and "not stated" in fields["year"]:
            year = "未说明 not stated"
        source = fields.get("source", "not named")
        rows.append({
            "section": r["section"], "指标": r["metric"], "metric": r["metric_en"],
            "stated": f"{symbol}{value} {r['unit']}".strip(), "qualifier": qualifier, "reading": reading,
            "year": year, "source": NOT_NAMED if source == "not named" else source,
            "quote": r["quote"], "value_id": r["value_id"],
        })
    return pd.DataFrame(rows)


def short_section(section: str) -> str:
    """'§三（三）2. 服务外包推动…' -> '§三（三）2.'; '注释①“千百十工程”' -> '注释①'."""
    m = re.match(r"^(§[一二三四五六七八九十]+(?:（[一二三四五六七八九十]+）)?(?:\d+\.)?|注释[①-⑩]|摘要)", section)
    return m.group(1) if m else section


def other_claims_display(table: pd.DataFrame) -> pd.DataFrame:
    """A narrower view of other_claims_table for the report page: one column per thing a reader checks."""
    reading = table["reading"].where(table["reading"] == "", " (" + table["reading"] + ")")
    return pd.DataFrame({
        "§": table["section"].map(short_section),
        "指标 metric": table["指标"] + " · " + table["metric"],
        "原文数值 stated": table["stated"] + reading,
        "年份 year": table["year"],
        "来源 source": table["source"],
        "原文 quote": table["quote"],
    })


def fmt_half_up(x: float, digits: int = 1) -> str:
    """Round half away from zero for display (106.25 -> '106.3'); format() would print '106.2'."""
    return str(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
