"""论文A's item tables: 表1 the talent figures (the college-educated stock, its degrees, the total it
implies and MOFCOM's values around that date), 表2 contract value per employee and its growth, and
表3 the classification of service outsourcing, item by item."""

from __future__ import annotations

import pandas as pd

from . import metrics, present, values
from .item_tables import item_frame
from .number import BASIS_DERIVED, BASIS_MOFCOM, BASIS_MOFCOM_DERIVED, BASIS_STATED, fixed
from .paper_a import Productivity, mofcom_bracket


@present.building
def talent_table(
    frame: pd.DataFrame, mofcom_stocks: pd.DataFrame | None = None, mofcom_obs: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Paper A's year-end talent figures, the rows they imply, and MOFCOM values around that date."""
    v = lambda i: values.get(frame, i)  # noqa: E731
    t = lambda i: values.number(frame, i).text()  # noqa: E731  (as printed)
    college, share = v("a_college_stock_2023"), v("a_college_share_2023")
    year = int(values.row(frame, "a_college_stock_2023")["year"])
    bachelor, master, doctor = v("a_bachelor_stock_2023"), v("a_master_stock_2023"), v("a_doctor_stock_2023")
    c_t, s_t = t("a_college_stock_2023"), t("a_college_share_2023")
    junior = college - bachelor - master - doctor
    total = metrics.implied_whole(college, share)
    half = values.number(frame, "a_college_share_2023").half
    total_lo, total_hi = metrics.implied_whole(college, share + half), metrics.implied_whole(college, share - half)

    def pct_of_college(x):
        return f"{fixed(metrics.share_pct(x, college), 1)}% of {c_t}"

    rows = [
        (
            "累计吸纳大学（含大专）以上学历",
            "College-educated (incl. junior college), cumulative",
            college,
            "万人",
            BASIS_STATED,
            "",
            "a_college_stock_2023",
        ),
        (
            "其中：本科",
            "of which bachelor's",
            bachelor,
            "万人",
            BASIS_STATED,
            pct_of_college(bachelor),
            "a_bachelor_stock_2023",
        ),
        (
            "其中：硕士",
            "of which master's",
            master,
            "万人",
            BASIS_STATED,
            pct_of_college(master),
            "a_master_stock_2023",
        ),
        (
            "其中：博士",
            "of which doctoral",
            doctor,
            "万人",
            BASIS_STATED,
            pct_of_college(doctor),
            "a_doctor_stock_2023",
        ),
        (
            "其中：大专（余项）",
            "of which junior college (remainder)",
            junior,
            "万人",
            BASIS_DERIVED,
            f"{c_t} − {t('a_bachelor_stock_2023')} − {t('a_master_stock_2023')} − {t('a_doctor_stock_2023')} = "
            f"{fixed(junior, 1)} ({pct_of_college(junior)})",
            "",
        ),
        (
            "大学（含大专）以上学历占总从业人数比重",
            "College-educated share of all employees",
            share,
            "%",
            BASIS_STATED,
            "",
            "a_college_share_2023",
        ),
        (
            "隐含从业人员总数",
            "Implied total employees",
            total,
            "万人",
            BASIS_DERIVED,
            f"{c_t} ÷ {s_t}% = {fixed(total, 1)} (share read as {fixed(share - half, 2)}–{fixed(share + half, 2)}%: "
            f"{fixed(total_lo, 1)}–{fixed(total_hi, 1)})",
            "",
        ),
        (
            "累计接受培训人数",
            "People trained, cumulative",
            v("a_trained_2023"),
            "万人",
            BASIS_STATED,
            "",
            "a_trained_2023",
        ),
    ]
    if mofcom_obs is not None:
        for _, r in mofcom_bracket(mofcom_obs, year).iterrows():
            zh = "累计从业人员" if r["group"] == "total" else "累计大学以上学历从业人员"
            en = "employees, cumulative" if r["group"] == "total" else "college-educated, cumulative"
            rows.append(
                (
                    f"商务部：截至{r['year']}年{r['month']}月底{zh}",
                    f"MOFCOM: end-{r['month']:02d}/{r['year']} {en}",
                    r["value"],
                    "万人",
                    BASIS_MOFCOM,
                    f"data/external line {r['line']}",
                    "",
                )
            )
    if mofcom_stocks is not None:
        prev = mofcom_stocks[(mofcom_stocks["group"] == "college") & (mofcom_stocks["year"] == year - 1)]
        if len(prev):
            s_prev = float(prev["value"].iloc[0])
            rows.append(
                (
                    f"{year}年新增大学以上学历（论文年末值 − 商务部{year - 1}年末推算值）",
                    f"College-educated new hires in {year} (paper's end-{year} − MOFCOM-derived end-{year - 1})",
                    college - s_prev,
                    "万人",
                    BASIS_MOFCOM_DERIVED,
                    f"{c_t} − {fixed(s_prev, 1)} ({prev['arithmetic'].iloc[0]}) = {fixed(college - s_prev, 1)}",
                    "",
                )
            )
    return item_frame(rows)


@present.building
def productivity_table(c: Productivity) -> pd.DataFrame:
    fy, ly, n, k = c.first_year, c.last_year, c.years, c.nearest_span
    first, last, g = c.first.printed, c.last.printed, c.stated.printed
    lo, hi = c.cagr_range
    rows = [
        (
            f"{fy}年人均合同额",
            f"Contract value per employee, {fy}",
            c.first.value,
            "万美元/人",
            BASIS_STATED,
            "",
            "a_contract_per_worker_2016",
        ),
        (
            f"{ly}年人均合同额",
            f"Contract value per employee, {ly}",
            c.last.value,
            "万美元/人",
            BASIS_STATED,
            "",
            "a_contract_per_worker_2023",
        ),
        (
            "年均增长（原文）",
            "Average annual growth, as stated",
            c.stated.value,
            "%",
            BASIS_STATED,
            "",
            "a_contract_per_worker_growth",
        ),
        (
            f"年均复合增长（按两端值重算，{n}年）",
            f"Compound annual growth from the endpoints ({n} years)",
            c.cagr,
            "%",
            BASIS_DERIVED,
            f"({last} ÷ {first})^(1/{n}) − 1 = {fixed(c.cagr, 2)}% "
            f"(endpoints read ± half a unit: {fixed(lo, 2)}–{fixed(hi, 2)}%)",
            "",
        ),
        (
            "差异（原文 − 重算）",
            "Difference, stated − recomputed",
            c.difference_pp,
            "个百分点",
            BASIS_DERIVED,
            f"{g} − {fixed(c.cagr, 2)} = {fixed(c.difference_pp, 2)}",
            "",
        ),
        (
            "参考：简单平均增长",
            "For reference: simple average growth",
            c.simple_average,
            "%",
            BASIS_DERIVED,
            f"({last} ÷ {first} − 1) ÷ {n} = {fixed(c.simple_average, 2)}%",
            "",
        ),
        (
            f"参考：{k}年复合增长",
            f"For reference: compound growth over {k} years",
            c.cagr_nearest_span,
            "%",
            BASIS_DERIVED,
            f"({last} ÷ {first})^(1/{k}) − 1 = {fixed(c.cagr_nearest_span, 2)}%",
            "",
        ),
        (
            f"{g}%所需年数",
            "Years the stated rate needs to go from first to last value",
            c.implied_years,
            "年",
            BASIS_DERIVED,
            f"ln({last} ÷ {first}) ÷ ln(1 + {g}%) = {fixed(c.implied_years, 2)}",
            "",
        ),
        (
            f"{g}%所隐含的{fy}年值",
            f"{fy} value implied by the stated rate and the {ly} value",
            c.implied_first,
            "万美元/人",
            BASIS_DERIVED,
            f"{last} ÷ (1 + {g}%)^{n} = {fixed(c.implied_first, 2)}",
            "",
        ),
    ]
    return item_frame(rows)


@present.building
def classification_table(cls: pd.DataFrame) -> pd.DataFrame:
    """One row per listed item, with its parent and whether the paper states or we infer it."""
    names = cls.set_index("item_id")["name_zh"]
    out = cls.copy()
    # NaN, not pd.NA: the HTML table prints NaN as its na_rep (—) but pd.NA as "<NA>".
    out["parent"] = out["parent_id"].map(lambda p: names.get(p, float("nan")) if isinstance(p, str) else float("nan"))
    out["parent_basis"] = (
        out["parent_basis"]
        .map({"stated": "原文 stated", "inferred": "推断 inferred (list order)"})
        .where(out["parent_basis"].notna())
    )
    return out[["category", "level", "position", "name_zh", "name_en", "parent", "parent_basis", "quote"]]
