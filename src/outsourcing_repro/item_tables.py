"""The item tables of both papers' 表: one row per number (项目, item, value, unit, basis, arithmetic,
value_id), stated numbers with their value id and derived ones with the arithmetic that gives them.

The numbers come from the analysis modules (`paper_a`, `paper_b`, `employment`); every number in an
arithmetic string is formatted by `number`'s one rule (stated as printed, derived at a fixed
precision). `tables.item_display` turns an item table into the page view.
"""

from __future__ import annotations

import pandas as pd

from . import metrics, present, provenance, values
from .number import BASIS_DERIVED, BASIS_MOFCOM, BASIS_MOFCOM_DERIVED, BASIS_STATED, fixed
from .paper_a import Productivity, mofcom_bracket
from .paper_b import (
    GROWTH_IDS,
    PARK_VALUE_IDS,
    band_threshold,
    business_mix,
    concentration,
    digital_economy,
    execution_series,
    execution_summary,
    zhejiang,
)
from .tables import stated_text
from .values import printed, short_section

ITEM_COLUMNS = ["项目", "item", "value", "unit", "basis", "arithmetic", "value_id"]


# --------------------------------------------------------------------------------------------
# Paper A: 表1 talent, 表2 productivity


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
    return pd.DataFrame(rows, columns=["项目", "item", "value", "unit", "basis", "arithmetic", "value_id"])


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
    return pd.DataFrame(rows, columns=["项目", "item", "value", "unit", "basis", "arithmetic", "value_id"])


# --------------------------------------------------------------------------------------------
# Paper B: 表1–表5


def item_labels(frame: pd.DataFrame, value_id: str) -> tuple[str, str]:
    """('2017年 杭州 离岸服务外包金额', 'Hangzhou offshore outsourcing (2017)'): the metric with its year and
    entity, so that two rows of one metric (two years, two cities) never read alike. A year the paper
    does not state is left out, and so is an entity the metric already names."""
    row = values.row(frame, value_id)
    year_stated = "not stated" not in values.note_fields(row["note"]).get("year", "")
    entity = "" if str(row["entity"]) in str(row["metric"]) else f"{row['entity']} "
    zh = (f"{row['year']}年 " if year_stated else "") + entity + str(row["metric"])
    en = str(row["metric_en"]) + (f" ({row['year']})" if year_stated else "")
    return zh, en[0].upper() + en[1:]


def _stated_item(
    frame: pd.DataFrame, value_id: str, zh: str | None = None, en: str | None = None, arithmetic: str = ""
) -> tuple:
    row = values.row(frame, value_id)
    default_zh, default_en = item_labels(frame, value_id)
    return (zh or default_zh, en or default_en, float(row["value"]), row["unit"], BASIS_STATED, arithmetic, value_id)


def _derived_item(zh: str, en: str, value: float, unit: str, arithmetic: str) -> tuple:
    return (zh, en, value, unit, BASIS_DERIVED, arithmetic, "")


def _items(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


@present.building
def execution_summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    s = execution_summary(frame)
    fy, ly, n = s.first_year, s.last_year, s.years
    _w, z = s.wenzhou_avg_stated, s.zhejiang_avg_stated
    rmb, usd = printed(frame, "b_exec_2017_rmb"), printed(frame, "b_exec_2017")
    rmb_half = metrics.half_unit(rmb)
    rows = [
        _stated_item(frame, "b_exec_2017"),
        _stated_item(frame, "b_exec_2017_rmb"),
        _derived_item(
            "隐含的人民币兑美元汇率",
            f"CNY per USD implied by the two {ly} values",
            s.rate,
            "元/美元",
            f"{rmb}亿元 ÷ {usd}万美元 = {s.rate:.4f} ({s.rate_low:.4f}–{s.rate_high:.4f} "
            f"with {rmb} read ± {rmb_half:g}); the paper names no rate",
        ),
        _stated_item(frame, "b_avg_growth_2013_2017"),
        _derived_item(
            f"{fy}—{ly}年复合增长率",
            f"Compound annual growth {fy}–{ly} ({n} intervals)",
            s.cagr,
            "%",
            f"({s.last:g} ÷ {s.first:g})^(1/{n}) − 1 = {s.cagr:.2f}% "
            f"(stated: {stated_text(frame, 'b_avg_growth_2013_2017')})",
        ),
        _derived_item(
            f"{s.n_stated}个原文同比增速的算术平均",
            f"Mean of the {s.n_stated} stated yearly rates",
            s.mean_stated,
            "%",
            f"mean of the stated rates {fy}–{ly} = {s.mean_stated:.2f}% "
            f"(stated: {stated_text(frame, 'b_avg_growth_2013_2017')})",
        ),
        _derived_item(
            f"{s.n_recomputed}个重算同比增速的算术平均",
            f"Mean of the {s.n_recomputed} recomputed yearly rates",
            s.mean_recomputed,
            "%",
            f"mean of the recomputed rates {s.first_recomputed_year}–{ly} = {s.mean_recomputed:.2f}% "
            f"(stated: {stated_text(frame, 'b_avg_growth_2013_2017')})",
        ),
        _stated_item(
            frame,
            "b_zj_avg_growth",
            "浙江省平均增速",
            "Zhejiang's average growth",
            f"Zhejiang's levels are not given; the compound rate of Wenzhou exceeds it by "
            f"{s.cagr - z:.2f} percentage points",
        ),
        _derived_item(
            f"{ly}年增速{printed(frame, f'b_growth_{ly}')}%所隐含的{ly - 1}年值",
            f"{ly - 1} level implied by the stated {ly} rate",
            s.implied_2016,
            "万美元",
            f"{s.last:g} ÷ (1 + {printed(frame, f'b_growth_{ly}')}%) = {s.implied_2016:.1f} "
            f"(stated: {s.stated_2016:g})",
        ),
        _derived_item(
            f"{ly - 1}年增速{printed(frame, f'b_growth_{ly - 1}')}%所隐含的{ly - 2}年值",
            f"{ly - 2} level implied by the stated {ly - 1} rate",
            s.implied_2015,
            "万美元",
            f"{s.stated_2016:g} ÷ (1 + {printed(frame, f'b_growth_{ly - 1}')}%) = {s.implied_2015:.1f} "
            f"(stated: {s.stated_2015:g})",
        ),
    ]
    return _items(rows)


@present.building
def business_mix_summary(frame: pd.DataFrame) -> pd.DataFrame:
    mix = business_mix(frame)
    total = values.get(frame, "b_exec_2017")
    parts = float(mix["execution_usd_10k"].sum())
    ito, ito_growth = values.get(frame, "b_ito_2017"), values.get(frame, "b_ito_growth_2017")
    ito_2016 = metrics.implied_previous(ito, ito_growth)
    total_2016 = values.get(frame, "b_exec_2016")
    increase = total - total_2016
    ito_increase = ito - ito_2016
    shares_sum = float(mix["share_stated_pct"].sum())
    y = int(values.row(frame, "b_ito_growth_2017")["year"]) - 1  # the year the stated growth starts from
    rows = [
        _derived_item(
            "三类执行额之和",
            "Sum of KPO, ITO and BPO",
            parts,
            "万美元",
            " + ".join(f"{v:g}" for v in mix["execution_usd_10k"]) + f" = {parts:g}",
        ),
        _stated_item(
            frame,
            "b_exec_2017",
            arithmetic=(
                f"the total of {short_section(values.row(frame, 'b_exec_2017')['section'])}; "
                f"sum of parts − total = {parts - total:g}"
            ),
        ),
        _derived_item(
            "原文三项占比之和",
            "Sum of the three stated shares",
            shares_sum,
            "%",
            " + ".join(printed(frame, i) for i in mix["share_id"]) + f" = {shares_sum:.2f}",
        ),
        _stated_item(frame, "b_ito_growth_2017"),
        _derived_item(
            f"同比增速所隐含的{y}年ITO执行额",
            f"{y} ITO execution implied by the stated growth",
            ito_2016,
            "万美元",
            f"{ito:g} ÷ (1 + {printed(frame, 'b_ito_growth_2017')}%) = {ito_2016:.2f}",
        ),
        _derived_item(
            f"隐含的{y}年ITO占{y}年执行额比重",
            f"Implied {y} ITO as a share of {y} execution",
            metrics.share_pct(ito_2016, total_2016),
            "%",
            f"{ito_2016:.2f} ÷ {total_2016:g} = {metrics.share_pct(ito_2016, total_2016):.2f}%",
        ),
        _derived_item(
            f"ITO增量占{y + 1}年执行额增量比重",
            f"ITO's part of the {y + 1} increase in execution",
            metrics.share_pct(ito_increase, increase),
            "%",
            f"({ito:g} − {ito_2016:.2f}) ÷ ({total:g} − {total_2016:g}) = "
            f"{metrics.share_pct(ito_increase, increase):.2f}%",
        ),
    ]
    return _items(rows)


@present.building
def concentration_table(frame: pd.DataFrame) -> pd.DataFrame:
    c = concentration(frame)
    t = printed(frame, "b_exec_2017")
    lo, hi = band_threshold(frame, "b_firms_200plus_2017"), band_threshold(frame, "b_firms_500plus_2017")
    y0, y1 = int(values.row(frame, "b_firms_2015")["year"]), int(values.row(frame, "b_firms_2017")["year"])
    rows = [
        _stated_item(frame, "b_firms_2015"),
        _stated_item(frame, "b_firms_2017"),
        _derived_item(
            f"{y0}—{y1}年执行企业增加",
            f"Increase in executing firms, {y0}–{y1}",
            c.n_all - c.n_2015,
            "家",
            f"{c.n_all:g} − {c.n_2015:g} = {c.n_all - c.n_2015:g} (×{c.n_all / c.n_2015:.2f})",
        ),
        _stated_item(frame, "b_firms_200plus_2017"),
        _stated_item(frame, "b_exec_200plus_2017"),
        _stated_item(frame, "b_share_200plus_2017"),
        _derived_item(
            f"{lo:g}万美元以上企业占比（重算）",
            f"Share of firms above {lo:g}万 USD, recomputed",
            c.share_200,
            "%",
            f"{c.v_200:g} ÷ {t} = {c.share_200:.3f}% (stated {printed(frame, 'b_share_200plus_2017')})",
        ),
        _stated_item(frame, "b_firms_500plus_2017"),
        _stated_item(frame, "b_exec_500plus_2017"),
        _stated_item(frame, "b_share_500plus_2017"),
        _derived_item(
            f"{hi:g}万美元以上企业占比（重算）",
            f"Share of firms above {hi:g}万 USD, recomputed",
            c.share_500,
            "%",
            f"{c.v_500:g} ÷ {t} = {c.share_500:.3f}% (stated {printed(frame, 'b_share_500plus_2017')})",
        ),
        _derived_item(
            f"{lo:g}万—{hi:g}万美元企业数",
            f"Firms with {lo:g}–{hi:g}万 USD",
            c.n_band,
            "家",
            f"{c.n_200:g} − {c.n_500:g} = {c.n_band:g}",
        ),
        _derived_item(
            f"{lo:g}万—{hi:g}万美元企业平均执行额",
            f"Mean execution of firms with {lo:g}–{hi:g}万 USD",
            c.mean_band,
            "万美元",
            f"({c.v_200:g} − {c.v_500:g}) ÷ {c.n_band:g} = {c.mean_band:.2f} (the band: {lo:g}–{hi:g})",
        ),
        _derived_item(
            f"{lo:g}万美元以下企业数",
            f"Firms below {lo:g}万 USD",
            c.n_below,
            "家",
            f"{c.n_all:g} − {c.n_200:g} = {c.n_below:g}",
        ),
        _derived_item(
            f"{lo:g}万美元以下企业平均执行额",
            f"Mean execution of firms below {lo:g}万 USD",
            c.mean_below,
            "万美元",
            f"({t} − {c.v_200:g}) ÷ {c.n_below:g} = {c.mean_below:.2f} (the threshold: {lo:g})",
        ),
        _stated_item(frame, "b_firms_1000plus_2016"),
        _stated_item(frame, "b_firms_1000plus_2017"),
        _stated_item(
            frame,
            "b_firms_500plus_restated_2017",
            arithmetic=(
                f"restates §三（一）'s {printed(frame, 'b_firms_500plus_2017')}家; the claims audit compares the two"
            ),
        ),
        _stated_item(frame, "b_firms_500plus_change_2017"),
        _derived_item(
            f"所隐含的{y1 - 1}年{hi:g}万美元以上企业数",
            f"Implied {y1 - 1} firms above {hi:g}万 USD",
            c.n_500_2016,
            "家",
            f"{c.n_500_restated:g} − {c.change_500:g} = {c.n_500_2016:g}",
        ),
    ]
    return _items(rows)


@present.building
def zhejiang_table(frame: pd.DataFrame) -> pd.DataFrame:
    z = zhejiang(frame)
    nb, nbs, six = (
        printed(frame, "b_nb_offshore_2017"),
        printed(frame, "b_nb_share_2017"),
        printed(frame, "b_six_share_2017"),
    )
    hz = printed(frame, "b_hz_offshore_2017")
    rows = [
        _stated_item(frame, "b_hz_offshore_2017"),
        _stated_item(frame, "b_nb_offshore_2017"),
        _stated_item(frame, "b_nb_share_2017"),
        _stated_item(frame, "b_six_share_2017"),
        _derived_item(
            "宁波数值与占比所隐含的全省总额",
            "Provincial total implied by Ningbo's value and share",
            z.total,
            "亿美元",
            f"{nb} ÷ {nbs}% = {z.total:.2f} ({z.total_min:.2f}–{z.total_max:.2f} within rounding)",
        ),
        _derived_item(
            "杭州所隐含的占比", "Hangzhou's implied share", z.hz_share, "%", f"{hz} ÷ {z.total:.2f} = {z.hz_share:.2f}%"
        ),
        _derived_item(
            "杭州 + 宁波 + 六市 占比之和",
            "Hangzhou + Ningbo + six cities, sum of shares",
            z.sum_shares,
            "%",
            f"{z.hz_share:.2f} + {nbs} + {six} = {z.sum_shares:.2f}% "
            f"(smallest within rounding {z.sum_shares_min:.2f}%)",
        ),
        _derived_item(
            "留给其余城市的占比",
            "Share left for the other cities",
            z.remainder,
            "%",
            f"100 − {z.sum_shares:.2f} = {z.remainder:.2f}%",
        ),
        _derived_item(
            "能容纳杭州、宁波与六市时的最小全省总额",
            "Smallest provincial total that holds Hangzhou, Ningbo and the six cities",
            z.total_for_all,
            "亿美元",
            f"({hz} + {nb}) ÷ (100 − {six})% = {z.total_for_all:.2f}; Ningbo's share would then be "
            f"{z.nb_share_if_all_fit:.2f}%, not {nbs}%",
        ),
        _derived_item(
            "六市合计所隐含的金额",
            "Six cities' combined value implied",
            z.six_level,
            "亿美元",
            f"{six}% × {z.total:.2f} = {z.six_level:.2f}",
        ),
        _stated_item(
            frame,
            "b_exec_2017",
            arithmetic=(f"from {short_section(values.row(frame, 'b_exec_2017')['section'])}; = {z.wz:.4f} 亿美元"),
        ),
        _derived_item(
            "温州所隐含的全省占比",
            "Wenzhou's implied share of the province",
            z.wz_share,
            "%",
            f"{z.wz:.4f} ÷ {z.total:.2f} = {z.wz_share:.2f}%",
        ),
        _derived_item(
            "温州在六市合计中的占比",
            "Wenzhou's part of the six cities' total",
            z.wz_in_six,
            "%",
            f"{z.wz:.4f} ÷ {z.six_level:.2f} = {z.wz_in_six:.2f}%",
        ),
        _stated_item(frame, "b_wz_tier_2017"),
    ]
    return _items(rows)


@present.building
def markets_table(frame: pd.DataFrame) -> pd.DataFrame:
    markets, over_1m, bri = (
        values.get(frame, i) for i in ("b_markets_2017", "b_markets_1m_2017", "b_markets_bri_2017")
    )
    total = values.get(frame, "b_exec_2017")
    # 超百万美元 = above 100万美元 (one million USD): the 百 of the quote, read as a numeral, not typed.
    threshold = provenance.chinese_numbers_in(str(values.row(frame, "b_markets_1m_2017")["quote"]))[0]
    m = printed(frame, "b_markets_2017")
    rows = [
        _stated_item(frame, "b_continents_2017"),
        _stated_item(frame, "b_markets_2017"),
        _stated_item(frame, "b_markets_1m_2017"),
        _stated_item(frame, "b_markets_bri_2017"),
        _derived_item(
            "执行额超百万美元的市场占市场数比重（上限）",
            "Markets above 1m USD as a share of markets (at most)",
            metrics.share_pct(over_1m, markets),
            "%",
            f"{over_1m:g} ÷ {m} = {metrics.share_pct(over_1m, markets):.2f}%; at most, as there are more than {m}",
        ),
        _derived_item(
            "“一带一路”市场占市场数比重（上限）",
            "Belt and Road markets as a share of markets (at most)",
            metrics.share_pct(bri, markets),
            "%",
            f"{bri:g} ÷ {m} = {metrics.share_pct(bri, markets):.2f}%; at most",
        ),
        _derived_item(
            "超百万美元市场的执行额（下限）",
            "Execution in the markets above 1m USD (at least)",
            over_1m * threshold,
            "万美元",
            f"{over_1m:g} × {threshold:g} = {over_1m * threshold:g} = "
            f"{metrics.share_pct(over_1m * threshold, total):.2f}% of {total:g}",
        ),
        _derived_item(
            "每个市场的平均执行额（上限）",
            "Mean execution per market (at most)",
            total / markets,
            "万美元",
            f"{total:g} ÷ {m} = {total / markets:.2f}; at most",
        ),
    ]
    return _items(rows)


@present.building
def digital_table(frame: pd.DataFrame) -> pd.DataFrame:
    d = digital_economy(frame)
    lv, g, sh, ch = (
        printed(frame, i)
        for i in (
            "b_digital_level_2016",
            "b_digital_growth_2016",
            "b_digital_share_gdp_2016",
            "b_digital_share_change_2016",
        )
    )
    y = int(values.row(frame, "b_digital_level_2016")["year"])
    c = printed(frame, "b_digital_contribution_2016")
    rows = [
        _stated_item(frame, "b_digital_level_2016"),
        _stated_item(frame, "b_digital_growth_2016"),
        _stated_item(frame, "b_digital_share_gdp_2016"),
        _stated_item(frame, "b_digital_share_change_2016"),
        _stated_item(frame, "b_digital_contribution_2016"),
        _derived_item(
            f"所隐含的{y - 1}年数字经济总量",
            f"Implied {y - 1} digital economy",
            d.prev,
            "万亿元",
            f"{lv} ÷ (1 + {g}%) = {d.prev:.2f}",
        ),
        _derived_item(
            f"{y}年数字经济增量", f"Increase in {y}", d.increase, "万亿元", f"{lv} − {d.prev:.2f} = {d.increase:.2f}"
        ),
        _derived_item(
            f"所隐含的{y}年GDP（上限）",
            f"Implied {y} GDP (at most)",
            d.gdp_max,
            "万亿元",
            f"{lv} ÷ {sh}% = {d.gdp_max:.2f}; at most, as the share is over {sh}%",
        ),
        _derived_item(
            f"所隐含的{y - 1}年数字经济占GDP比重（下限）",
            f"Implied {y - 1} share of GDP (more than)",
            d.prev_share,
            "%",
            f"{sh} − {ch} = {d.prev_share:.1f}; a lower bound",
        ),
        _derived_item(
            f"所隐含的{y - 1}年GDP（上限）",
            f"Implied {y - 1} GDP (at most)",
            d.gdp_prev_max,
            "万亿元",
            f"{d.prev:.2f} ÷ {d.prev_share:.1f}% = {d.gdp_prev_max:.2f}",
        ),
        _derived_item(
            f"若“贡献接近{c}%”指占GDP增量的比重：所隐含的GDP增量",
            "GDP increase implied if 'contribution' is the share of the GDP increase",
            d.gdp_increase,
            "万亿元",
            f"{d.increase:.2f} ÷ {c}% = {d.gdp_increase:.2f}; one reading of an unsourced, approximate figure",
        ),
    ]
    return _items(rows)


def shown_before_table_5_other(frame: pd.DataFrame) -> set[str]:
    """value_ids that 图1, 图2 and 表1–表5 (markets, digital economy) already show; the last part of 表5
    lists the rest, so every transcribed number appears once somewhere in the report."""
    series = execution_series(frame)
    mix = business_mix(frame)
    shown = {f"b_exec_{int(y)}" for y in series["year"]} | set(GROWTH_IDS) | set(PARK_VALUE_IDS)
    shown |= set(mix["value_id"]) | set(mix["share_id"])
    for table in (
        execution_summary_table(frame),
        business_mix_summary(frame),
        concentration_table(frame),
        zhejiang_table(frame),
        markets_table(frame),
        digital_table(frame),
    ):
        shown |= set(table["value_id"])
    return shown - {""}


@present.building
def other_numbers(frame: pd.DataFrame, shown: set[str]) -> pd.DataFrame:
    """Every transcribed number not shown in another figure or table: dates, counts, ranks."""
    rest = frame[~frame["value_id"].isin(shown)]
    rows = []
    for _, r in rest.iterrows():
        year = values.year_label(r)
        rows.append(
            {
                "§": short_section(r["section"]),
                "指标 metric": f"{r['metric']} · {r['metric_en']}",
                "原文数值 stated": stated_text(frame, r["value_id"]),
                "年份 year": year,
                "原文 quote": r["quote"],
                "value_id": r["value_id"],
            }
        )
    return pd.DataFrame(rows)
