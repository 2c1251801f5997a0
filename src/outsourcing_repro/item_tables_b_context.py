"""论文B's item tables on Wenzhou's context: 表4 its place in Zhejiang (the cities' shares of the
provincial total), 表5 the markets it serves and China's digital economy, and the last part of 表5,
every other number the paper prints."""

from __future__ import annotations

import pandas as pd

from . import metrics, present, provenance, values
from .item_tables import derived_item, item_frame, stated_item
from .item_tables_b_execution import business_mix_summary, concentration_table, execution_summary_table
from .paper_b import GROWTH_IDS, PARK_VALUE_IDS, business_mix, digital_economy, execution_series, zhejiang
from .values import printed, short_section, stated_text


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
        stated_item(frame, "b_hz_offshore_2017"),
        stated_item(frame, "b_nb_offshore_2017"),
        stated_item(frame, "b_nb_share_2017"),
        stated_item(frame, "b_six_share_2017"),
        derived_item(
            "宁波数值与占比所隐含的全省总额",
            "Provincial total implied by Ningbo's value and share",
            z.total,
            "亿美元",
            f"{nb} ÷ {nbs}% = {z.total:.2f} ({z.total_min:.2f}–{z.total_max:.2f} within rounding)",
        ),
        derived_item(
            "杭州所隐含的占比", "Hangzhou's implied share", z.hz_share, "%", f"{hz} ÷ {z.total:.2f} = {z.hz_share:.2f}%"
        ),
        derived_item(
            "杭州 + 宁波 + 六市 占比之和",
            "Hangzhou + Ningbo + six cities, sum of shares",
            z.sum_shares,
            "%",
            f"{z.hz_share:.2f} + {nbs} + {six} = {z.sum_shares:.2f}% "
            f"(smallest within rounding {z.sum_shares_min:.2f}%)",
        ),
        derived_item(
            "留给其余城市的占比",
            "Share left for the other cities",
            z.remainder,
            "%",
            f"100 − {z.sum_shares:.2f} = {z.remainder:.2f}%",
        ),
        derived_item(
            "能容纳杭州、宁波与六市时的最小全省总额",
            "Smallest provincial total that holds Hangzhou, Ningbo and the six cities",
            z.total_for_all,
            "亿美元",
            f"({hz} + {nb}) ÷ (100 − {six})% = {z.total_for_all:.2f}; Ningbo's share would then be "
            f"{z.nb_share_if_all_fit:.2f}%, not {nbs}%",
        ),
        derived_item(
            "六市合计所隐含的金额",
            "Six cities' combined value implied",
            z.six_level,
            "亿美元",
            f"{six}% × {z.total:.2f} = {z.six_level:.2f}",
        ),
        stated_item(
            frame,
            "b_exec_2017",
            arithmetic=(f"from {short_section(values.row(frame, 'b_exec_2017')['section'])}; = {z.wz:.4f} 亿美元"),
        ),
        derived_item(
            "温州所隐含的全省占比",
            "Wenzhou's implied share of the province",
            z.wz_share,
            "%",
            f"{z.wz:.4f} ÷ {z.total:.2f} = {z.wz_share:.2f}%",
        ),
        derived_item(
            "温州在六市合计中的占比",
            "Wenzhou's part of the six cities' total",
            z.wz_in_six,
            "%",
            f"{z.wz:.4f} ÷ {z.six_level:.2f} = {z.wz_in_six:.2f}%",
        ),
        stated_item(frame, "b_wz_tier_2017"),
    ]
    return item_frame(rows)


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
        stated_item(frame, "b_continents_2017"),
        stated_item(frame, "b_markets_2017"),
        stated_item(frame, "b_markets_1m_2017"),
        stated_item(frame, "b_markets_bri_2017"),
        derived_item(
            "执行额超百万美元的市场占市场数比重（上限）",
            "Markets above 1m USD as a share of markets (at most)",
            metrics.share_pct(over_1m, markets),
            "%",
            f"{over_1m:g} ÷ {m} = {metrics.share_pct(over_1m, markets):.2f}%; at most, as there are more than {m}",
        ),
        derived_item(
            "“一带一路”市场占市场数比重（上限）",
            "Belt and Road markets as a share of markets (at most)",
            metrics.share_pct(bri, markets),
            "%",
            f"{bri:g} ÷ {m} = {metrics.share_pct(bri, markets):.2f}%; at most",
        ),
        derived_item(
            "超百万美元市场的执行额（下限）",
            "Execution in the markets above 1m USD (at least)",
            over_1m * threshold,
            "万美元",
            f"{over_1m:g} × {threshold:g} = {over_1m * threshold:g} = "
            f"{metrics.share_pct(over_1m * threshold, total):.2f}% of {total:g}",
        ),
        derived_item(
            "每个市场的平均执行额（上限）",
            "Mean execution per market (at most)",
            total / markets,
            "万美元",
            f"{total:g} ÷ {m} = {total / markets:.2f}; at most",
        ),
    ]
    return item_frame(rows)


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
        stated_item(frame, "b_digital_level_2016"),
        stated_item(frame, "b_digital_growth_2016"),
        stated_item(frame, "b_digital_share_gdp_2016"),
        stated_item(frame, "b_digital_share_change_2016"),
        stated_item(frame, "b_digital_contribution_2016"),
        derived_item(
            f"所隐含的{y - 1}年数字经济总量",
            f"Implied {y - 1} digital economy",
            d.prev,
            "万亿元",
            f"{lv} ÷ (1 + {g}%) = {d.prev:.2f}",
        ),
        derived_item(
            f"{y}年数字经济增量", f"Increase in {y}", d.increase, "万亿元", f"{lv} − {d.prev:.2f} = {d.increase:.2f}"
        ),
        derived_item(
            f"所隐含的{y}年GDP（上限）",
            f"Implied {y} GDP (at most)",
            d.gdp_max,
            "万亿元",
            f"{lv} ÷ {sh}% = {d.gdp_max:.2f}; at most, as the share is over {sh}%",
        ),
        derived_item(
            f"所隐含的{y - 1}年数字经济占GDP比重（下限）",
            f"Implied {y - 1} share of GDP (more than)",
            d.prev_share,
            "%",
            f"{sh} − {ch} = {d.prev_share:.1f}; a lower bound",
        ),
        derived_item(
            f"所隐含的{y - 1}年GDP（上限）",
            f"Implied {y - 1} GDP (at most)",
            d.gdp_prev_max,
            "万亿元",
            f"{d.prev:.2f} ÷ {d.prev_share:.1f}% = {d.gdp_prev_max:.2f}",
        ),
        derived_item(
            f"若“贡献接近{c}%”指占GDP增量的比重：所隐含的GDP增量",
            "GDP increase implied if 'contribution' is the share of the GDP increase",
            d.gdp_increase,
            "万亿元",
            f"{d.increase:.2f} ÷ {c}% = {d.gdp_increase:.2f}; one reading of an unsourced, approximate figure",
        ),
    ]
    return item_frame(rows)


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
