"""论文B's item tables on Wenzhou's offshore execution: 表1 its levels and growth (the RMB value and
implied rate, the compound and average rates), 表2 its business mix (KPO, ITO, BPO) and 表3 its
concentration by firm size."""

from __future__ import annotations

import pandas as pd

from . import metrics, present, values
from .item_tables import derived_item, item_frame, stated_item
from .paper_b import band_threshold, business_mix, concentration, execution_summary
from .values import printed, short_section, stated_text


@present.building
def execution_summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    s = execution_summary(frame)
    fy, ly, n = s.first_year, s.last_year, s.years
    _w, z = s.wenzhou_avg_stated, s.zhejiang_avg_stated
    rmb, usd = printed(frame, "b_exec_2017_rmb"), printed(frame, "b_exec_2017")
    rmb_half = metrics.half_unit(rmb)
    rows = [
        stated_item(frame, "b_exec_2017"),
        stated_item(frame, "b_exec_2017_rmb"),
        derived_item(
            "隐含的人民币兑美元汇率",
            f"CNY per USD implied by the two {ly} values",
            s.rate,
            "元/美元",
            f"{rmb}亿元 ÷ {usd}万美元 = {s.rate:.4f} ({s.rate_low:.4f}–{s.rate_high:.4f} "
            f"with {rmb} read ± {rmb_half:g}); the paper names no rate",
        ),
        stated_item(frame, "b_avg_growth_2013_2017"),
        derived_item(
            f"{fy}—{ly}年复合增长率",
            f"Compound annual growth {fy}–{ly} ({n} intervals)",
            s.cagr,
            "%",
            f"({s.last:g} ÷ {s.first:g})^(1/{n}) − 1 = {s.cagr:.2f}% "
            f"(stated: {stated_text(frame, 'b_avg_growth_2013_2017')})",
        ),
        derived_item(
            f"{s.n_stated}个原文同比增速的算术平均",
            f"Mean of the {s.n_stated} stated yearly rates",
            s.mean_stated,
            "%",
            f"mean of the stated rates {fy}–{ly} = {s.mean_stated:.2f}% "
            f"(stated: {stated_text(frame, 'b_avg_growth_2013_2017')})",
        ),
        derived_item(
            f"{s.n_recomputed}个重算同比增速的算术平均",
            f"Mean of the {s.n_recomputed} recomputed yearly rates",
            s.mean_recomputed,
            "%",
            f"mean of the recomputed rates {s.first_recomputed_year}–{ly} = {s.mean_recomputed:.2f}% "
            f"(stated: {stated_text(frame, 'b_avg_growth_2013_2017')})",
        ),
        stated_item(
            frame,
            "b_zj_avg_growth",
            "浙江省平均增速",
            "Zhejiang's average growth",
            f"Zhejiang's levels are not given; the compound rate of Wenzhou exceeds it by "
            f"{s.cagr - z:.2f} percentage points",
        ),
        # Each of the last two stated rates, applied backwards to the level it grew to.
        *(
            derived_item(
                f"{y}年增速{printed(frame, f'b_growth_{y}')}%所隐含的{y - 1}年值",
                f"{y - 1} level implied by the stated {y} rate",
                implied,
                "万美元",
                f"{level:g} ÷ (1 + {printed(frame, f'b_growth_{y}')}%) = {implied:.1f} (stated: {stated:g})",
            )
            for y, level, implied, stated in (
                (ly, s.last, s.implied_2016, s.stated_2016),
                (ly - 1, s.stated_2016, s.implied_2015, s.stated_2015),
            )
        ),
    ]
    return item_frame(rows)


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
        derived_item(
            "三类执行额之和",
            "Sum of KPO, ITO and BPO",
            parts,
            "万美元",
            " + ".join(f"{v:g}" for v in mix["execution_usd_10k"]) + f" = {parts:g}",
        ),
        stated_item(
            frame,
            "b_exec_2017",
            arithmetic=(
                f"the total of {short_section(values.row(frame, 'b_exec_2017')['section'])}; "
                f"sum of parts − total = {parts - total:g}"
            ),
        ),
        derived_item(
            "原文三项占比之和",
            "Sum of the three stated shares",
            shares_sum,
            "%",
            " + ".join(printed(frame, i) for i in mix["share_id"]) + f" = {shares_sum:.2f}",
        ),
        stated_item(frame, "b_ito_growth_2017"),
        derived_item(
            f"同比增速所隐含的{y}年ITO执行额",
            f"{y} ITO execution implied by the stated growth",
            ito_2016,
            "万美元",
            f"{ito:g} ÷ (1 + {printed(frame, 'b_ito_growth_2017')}%) = {ito_2016:.2f}",
        ),
        derived_item(
            f"隐含的{y}年ITO占{y}年执行额比重",
            f"Implied {y} ITO as a share of {y} execution",
            metrics.share_pct(ito_2016, total_2016),
            "%",
            f"{ito_2016:.2f} ÷ {total_2016:g} = {metrics.share_pct(ito_2016, total_2016):.2f}%",
        ),
        derived_item(
            f"ITO增量占{y + 1}年执行额增量比重",
            f"ITO's part of the {y + 1} increase in execution",
            metrics.share_pct(ito_increase, increase),
            "%",
            f"({ito:g} − {ito_2016:.2f}) ÷ ({total:g} − {total_2016:g}) = "
            f"{metrics.share_pct(ito_increase, increase):.2f}%",
        ),
    ]
    return item_frame(rows)


@present.building
def concentration_table(frame: pd.DataFrame) -> pd.DataFrame:
    c = concentration(frame)
    t = printed(frame, "b_exec_2017")
    lo, hi = band_threshold(frame, "b_firms_200plus_2017"), band_threshold(frame, "b_firms_500plus_2017")
    y0, y1 = int(values.row(frame, "b_firms_2015")["year"]), int(values.row(frame, "b_firms_2017")["year"])
    rows = [
        stated_item(frame, "b_firms_2015"),
        stated_item(frame, "b_firms_2017"),
        derived_item(
            f"{y0}—{y1}年执行企业增加",
            f"Increase in executing firms, {y0}–{y1}",
            c.n_all - c.n_2015,
            "家",
            f"{c.n_all:g} − {c.n_2015:g} = {c.n_all - c.n_2015:g} (×{c.n_all / c.n_2015:.2f})",
        ),
        stated_item(frame, "b_firms_200plus_2017"),
        stated_item(frame, "b_exec_200plus_2017"),
        stated_item(frame, "b_share_200plus_2017"),
        derived_item(
            f"{lo:g}万美元以上企业占比（重算）",
            f"Share of firms above {lo:g}万 USD, recomputed",
            c.share_200,
            "%",
            f"{c.v_200:g} ÷ {t} = {c.share_200:.3f}% (stated {printed(frame, 'b_share_200plus_2017')})",
        ),
        stated_item(frame, "b_firms_500plus_2017"),
        stated_item(frame, "b_exec_500plus_2017"),
        stated_item(frame, "b_share_500plus_2017"),
        derived_item(
            f"{hi:g}万美元以上企业占比（重算）",
            f"Share of firms above {hi:g}万 USD, recomputed",
            c.share_500,
            "%",
            f"{c.v_500:g} ÷ {t} = {c.share_500:.3f}% (stated {printed(frame, 'b_share_500plus_2017')})",
        ),
        derived_item(
            f"{lo:g}万—{hi:g}万美元企业数",
            f"Firms with {lo:g}–{hi:g}万 USD",
            c.n_band,
            "家",
            f"{c.n_200:g} − {c.n_500:g} = {c.n_band:g}",
        ),
        derived_item(
            f"{lo:g}万—{hi:g}万美元企业平均执行额",
            f"Mean execution of firms with {lo:g}–{hi:g}万 USD",
            c.mean_band,
            "万美元",
            f"({c.v_200:g} − {c.v_500:g}) ÷ {c.n_band:g} = {c.mean_band:.2f} (the band: {lo:g}–{hi:g})",
        ),
        derived_item(
            f"{lo:g}万美元以下企业数",
            f"Firms below {lo:g}万 USD",
            c.n_below,
            "家",
            f"{c.n_all:g} − {c.n_200:g} = {c.n_below:g}",
        ),
        derived_item(
            f"{lo:g}万美元以下企业平均执行额",
            f"Mean execution of firms below {lo:g}万 USD",
            c.mean_below,
            "万美元",
            f"({t} − {c.v_200:g}) ÷ {c.n_below:g} = {c.mean_below:.2f} (the threshold: {lo:g})",
        ),
        stated_item(frame, "b_firms_1000plus_2016"),
        stated_item(frame, "b_firms_1000plus_2017"),
        stated_item(
            frame,
            "b_firms_500plus_restated_2017",
            arithmetic=(
                f"restates §三（一）'s {printed(frame, 'b_firms_500plus_2017')}家; the claims audit compares the two"
            ),
        ),
        stated_item(frame, "b_firms_500plus_change_2017"),
        derived_item(
            f"所隐含的{y1 - 1}年{hi:g}万美元以上企业数",
            f"Implied {y1 - 1} firms above {hi:g}万 USD",
            c.n_500_2016,
            "家",
            f"{c.n_500_restated:g} − {c.change_500:g} = {c.n_500_2016:g}",
        ),
    ]
    return item_frame(rows)
