"""Paper B (Wenzhou offshore service outsourcing, 2013–2017): the computations behind its figures
and tables. Every input comes from data/raw/paper_b_values.csv (and, for 图2,
data/raw/paper_b_parks_platforms.csv) through `values`; nothing here types a number of the paper."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import metrics, provenance, values
from .number import BASIS_DERIVED, BASIS_STATED
from .tables import stated_text
from .values import printed, short_section

EXECUTION = "离岸服务外包执行额"
EXECUTION_GROWTH = "离岸服务外包执行额同比增长"


GROWTH_IDS = ("b_growth_2013", "b_growth_2014", "b_growth_2015", "b_growth_2016", "b_growth_2017")
MIX_PARTS = (("KPO", "知识流程外包", "b_kpo_2017", "b_kpo_share_2017"),
             ("ITO", "信息技术外包", "b_ito_2017", "b_ito_share_2017"),
             ("BPO", "业务流程外包", "b_bpo_2017", "b_bpo_share_2017"))
ITEM_COLUMNS = ["项目", "item", "value", "unit", "basis", "arithmetic", "value_id"]


# --------------------------------------------------------------------------------------------
# Shared helpers


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


def _stated_item(frame: pd.DataFrame, value_id: str, zh: str | None = None, en: str | None = None,
                 arithmetic: str = "") -> tuple:
    row = values.row(frame, value_id)
    default_zh, default_en = item_labels(frame, value_id)
    return (zh or default_zh, en or default_en, float(row["value"]), row["unit"], BASIS_STATED,
            arithmetic, value_id)


def _derived_item(zh: str, en: str, value: float, unit: str, arithmetic: str) -> tuple:
    return (zh, en, value, unit, BASIS_DERIVED, arithmetic, "")


def _items(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


# --------------------------------------------------------------------------------------------
# 图1 and 表1: the execution series


def execution_series(frame: pd.DataFrame) -> pd.DataFrame:
    """Wenzhou's offshore execution with stated and recomputed year-on-year growth.

    The recomputed growth uses the paper's own levels; 2013 has none because 2012 is not given.
    """
    levels = values.series(frame, EXECUTION, entity="温州", kind="level")
    stated = values.series(frame, EXECUTION_GROWTH, entity="温州", kind="growth_rate")
    ids = lambda metric, kind: frame[(frame["metric"] == metric) & (frame["entity"] == "温州")  # noqa: E731
                                     & (frame["kind"] == kind)].set_index("year")["value_id"]
    table = pd.DataFrame({"year": levels.index, "execution_usd_10k": levels.values})
    table["value_id"] = table["year"].map(ids(EXECUTION, "level"))
    table["growth_id"] = table["year"].map(ids(EXECUTION_GROWTH, "growth_rate"))
    table["growth_stated_pct"] = table["year"].map(stated)
    table["growth_recomputed_pct"] = metrics.yoy_series(levels).round(2).values
    table["difference_pp"] = (table["growth_stated_pct"] - table["growth_recomputed_pct"]).round(2)
    return table


def growth_tolerance(frame: pd.DataFrame, year: int) -> float:
    """Half a unit of the printed growth rate: how far a recomputed rate may be off by rounding alone."""
    return metrics.half_unit(printed(frame, f"b_growth_{year}"))


def growth_tolerances(frame: pd.DataFrame) -> dict[int, float]:
    """Year -> half a unit of the printed growth rate, for every year with a stated rate."""
    years = execution_series(frame)["year"].astype(int)
    return {y: growth_tolerance(frame, y) for y in years if f"b_growth_{y}" in set(frame["value_id"])}


@dataclass(frozen=True)
class ExecutionSummary:
    """The execution series summarised: the 2017 RMB value and its implied rate, the compound rate, the means of the yearly rates and the levels the stated rates imply."""

    first_year: float
    last_year: float
    years: float
    first: float
    last: float
    rmb_100m: float
    rate: float
    rate_low: float
    rate_high: float
    cagr: float
    mean_stated: float
    n_stated: float
    mean_recomputed: float
    n_recomputed: float
    first_recomputed_year: float
    wenzhou_avg_stated: float
    zhejiang_avg_stated: float
    implied_2016: float
    stated_2016: float
    implied_2015: float
    stated_2015: float


def execution_summary(frame: pd.DataFrame) -> ExecutionSummary:
    """The 2017 RMB value and its implied rate, the compound rate and the means of the yearly rates."""
    series = execution_series(frame)
    first, last = series.iloc[0], series.iloc[-1]
    years = int(last["year"] - first["year"])
    usd_10k, rmb_100m = values.get(frame, "b_exec_2017"), values.get(frame, "b_exec_2017_rmb")
    # 亿元 / 万美元: 1 亿 = 10 000 万, so the rate in 元 per 美元 is rmb × 10 000 / usd.
    rate = rmb_100m * 1e4 / usd_10k
    half = metrics.half_unit(printed(frame, "b_exec_2017_rmb"))
    recomputed = series["growth_recomputed_pct"].dropna()
    cagr = metrics.cagr_pct(first["execution_usd_10k"], last["execution_usd_10k"], years)
    implied_2016 = metrics.implied_previous(last["execution_usd_10k"], last["growth_stated_pct"])
    row_2016 = series[series["year"] == last["year"] - 1].iloc[0]
    implied_2015 = metrics.implied_previous(row_2016["execution_usd_10k"], row_2016["growth_stated_pct"])
    return ExecutionSummary(**{
        "first_year": int(first["year"]), "last_year": int(last["year"]), "years": years,
        "first": float(first["execution_usd_10k"]), "last": float(last["execution_usd_10k"]),
        "rmb_100m": rmb_100m, "rate": rate,
        "rate_low": (rmb_100m - half) * 1e4 / usd_10k, "rate_high": (rmb_100m + half) * 1e4 / usd_10k,
        "cagr": cagr,
        "mean_stated": float(series["growth_stated_pct"].mean()), "n_stated": int(series["growth_stated_pct"].notna().sum()),
        "mean_recomputed": float(recomputed.mean()), "n_recomputed": len(recomputed),
        "first_recomputed_year": int(series.loc[recomputed.index[0], "year"]),
        "wenzhou_avg_stated": values.get(frame, "b_avg_growth_2013_2017"),
        "zhejiang_avg_stated": values.get(frame, "b_zj_avg_growth"),
        "implied_2016": implied_2016, "stated_2016": float(row_2016["execution_usd_10k"]),
        "implied_2015": implied_2015,
        "stated_2015": float(series[series["year"] == last["year"] - 2]["execution_usd_10k"].iloc[0]),
    })


def execution_summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    s = execution_summary(frame)
    fy, ly, n = s.first_year, s.last_year, s.years
    w, z = s.wenzhou_avg_stated, s.zhejiang_avg_stated
    rmb, usd = printed(frame, "b_exec_2017_rmb"), printed(frame, "b_exec_2017")
    rmb_half = metrics.half_unit(rmb)
    rows = [
        _stated_item(frame, "b_exec_2017"),
        _stated_item(frame, "b_exec_2017_rmb"),
        _derived_item("隐含的人民币兑美元汇率", f"CNY per USD implied by the two {ly} values", s.rate, "元/美元",
                      f"{rmb}亿元 ÷ {usd}万美元 = {s.rate:.4f} ({s.rate_low:.4f}–{s.rate_high:.4f} "
                      f"with {rmb} read ± {rmb_half:g}); the paper names no rate"),
        _stated_item(frame, "b_avg_growth_2013_2017"),
        _derived_item(f"{fy}—{ly}年复合增长率", f"Compound annual growth {fy}–{ly} ({n} intervals)", s.cagr, "%",
                      f"({s.last:g} ÷ {s.first:g})^(1/{n}) − 1 = {s.cagr:.2f}% "
                      f"(stated: {stated_text(frame, 'b_avg_growth_2013_2017')})"),
        _derived_item(f"{s.n_stated}个原文同比增速的算术平均", f"Mean of the {s.n_stated} stated yearly rates",
                      s.mean_stated, "%",
                      f"mean of the stated rates {fy}–{ly} = {s.mean_stated:.2f}% "
                      f"(stated: {stated_text(frame, 'b_avg_growth_2013_2017')})"),
        _derived_item(f"{s.n_recomputed}个重算同比增速的算术平均", f"Mean of the {s.n_recomputed} recomputed yearly rates",
                      s.mean_recomputed, "%",
                      f"mean of the recomputed rates {s.first_recomputed_year}–{ly} = {s.mean_recomputed:.2f}% "
                      f"(stated: {stated_text(frame, 'b_avg_growth_2013_2017')})"),
        _stated_item(frame, "b_zj_avg_growth", "浙江省平均增速", "Zhejiang's average growth",
                     f"Zhejiang's levels are not given; the compound rate of Wenzhou exceeds it by "
                     f"{s.cagr - z:.2f} percentage points"),
        _derived_item(f"{ly}年增速{printed(frame, f'b_growth_{ly}')}%所隐含的{ly - 1}年值",
                      f"{ly - 1} level implied by the stated {ly} rate", s.implied_2016, "万美元",
                      f"{s.last:g} ÷ (1 + {printed(frame, f'b_growth_{ly}')}%) = {s.implied_2016:.1f} "
                      f"(stated: {s.stated_2016:g})"),
        _derived_item(f"{ly - 1}年增速{printed(frame, f'b_growth_{ly - 1}')}%所隐含的{ly - 2}年值",
                      f"{ly - 2} level implied by the stated {ly - 1} rate", s.implied_2015, "万美元",
                      f"{s.stated_2016:g} ÷ (1 + {printed(frame, f'b_growth_{ly - 1}')}%) = {s.implied_2015:.1f} "
                      f"(stated: {s.stated_2015:g})"),
    ]
    return _items(rows)




# --------------------------------------------------------------------------------------------
# 表2: business mix


def business_mix(frame: pd.DataFrame) -> pd.DataFrame:
    """KPO/ITO/BPO with the stated shares and the shares recomputed against the 2017 total."""
    total = values.get(frame, "b_exec_2017")
    parts = sum(values.get(frame, level_id) for _, _, level_id, _ in MIX_PARTS)
    rows = []
    for code, name, level_id, share_id in MIX_PARTS:
        level, stated = values.get(frame, level_id), values.get(frame, share_id)
        recomputed = metrics.share_pct(level, total)
        rows.append({"kind": code, "name_zh": name, "execution_usd_10k": level, "share_stated_pct": stated,
                     "share_recomputed_pct": round(recomputed, 4),
                     "share_of_parts_pct": round(metrics.share_pct(level, parts), 4),
                     "difference_pp": round(stated - recomputed, 4),
                     "value_id": level_id, "share_id": share_id})
    return pd.DataFrame(rows)


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
    y = int(values.row(frame, "b_ito_growth_2017")["year"]) - 1   # the year the stated growth starts from
    rows = [
        _derived_item("三类执行额之和", "Sum of KPO, ITO and BPO", parts, "万美元",
                      " + ".join(f"{v:g}" for v in mix["execution_usd_10k"]) + f" = {parts:g}"),
        _stated_item(frame, "b_exec_2017", arithmetic=(
            f"the total of {short_section(values.row(frame, 'b_exec_2017')['section'])}; "
            f"sum of parts − total = {parts - total:g}")),
        _derived_item("原文三项占比之和", "Sum of the three stated shares", shares_sum, "%",
                      " + ".join(printed(frame, i) for i in mix["share_id"]) + f" = {shares_sum:.2f}"),
        _stated_item(frame, "b_ito_growth_2017"),
        _derived_item(f"同比增速所隐含的{y}年ITO执行额", f"{y} ITO execution implied by the stated growth", ito_2016, "万美元",
                      f"{ito:g} ÷ (1 + {printed(frame, 'b_ito_growth_2017')}%) = {ito_2016:.2f}"),
        _derived_item(f"隐含的{y}年ITO占{y}年执行额比重", f"Implied {y} ITO as a share of {y} execution",
                      metrics.share_pct(ito_2016, total_2016), "%",
                      f"{ito_2016:.2f} ÷ {total_2016:g} = {metrics.share_pct(ito_2016, total_2016):.2f}%"),
        _derived_item(f"ITO增量占{y + 1}年执行额增量比重", f"ITO's part of the {y + 1} increase in execution",
                      metrics.share_pct(ito_increase, increase), "%",
                      f"({ito:g} − {ito_2016:.2f}) ÷ ({total:g} − {total_2016:g}) = "
                      f"{metrics.share_pct(ito_increase, increase):.2f}%"),
    ]
    return _items(rows)


# --------------------------------------------------------------------------------------------
# 表3: concentration of firms


@dataclass(frozen=True)
class Concentration:
    """Firms by size band in 2017: counts, amounts, shares and the means of each band."""

    total: float
    n_2015: float
    n_all: float
    n_200: float
    v_200: float
    share_200: float
    n_500: float
    v_500: float
    share_500: float
    n_band: float
    v_band: float
    mean_band: float
    n_below: float
    v_below: float
    mean_below: float
    n_1000_2016: float
    n_1000_2017: float
    n_500_restated: float
    change_500: float
    n_500_2016: float


def concentration(frame: pd.DataFrame) -> Concentration:
    total = values.get(frame, "b_exec_2017")
    n_all, n_200, n_500 = (values.get(frame, i) for i in ("b_firms_2017", "b_firms_200plus_2017", "b_firms_500plus_2017"))
    v_200, v_500 = values.get(frame, "b_exec_200plus_2017"), values.get(frame, "b_exec_500plus_2017")
    n_500_2017_b, change = values.get(frame, "b_firms_500plus_restated_2017"), values.get(frame, "b_firms_500plus_change_2017")
    return Concentration(**{
        "total": total, "n_2015": values.get(frame, "b_firms_2015"), "n_all": n_all,
        "n_200": n_200, "v_200": v_200, "share_200": metrics.share_pct(v_200, total),
        "n_500": n_500, "v_500": v_500, "share_500": metrics.share_pct(v_500, total),
        "n_band": n_200 - n_500, "v_band": v_200 - v_500, "mean_band": (v_200 - v_500) / (n_200 - n_500),
        "n_below": n_all - n_200, "v_below": total - v_200, "mean_below": (total - v_200) / (n_all - n_200),
        "n_1000_2016": values.get(frame, "b_firms_1000plus_2016"), "n_1000_2017": values.get(frame, "b_firms_1000plus_2017"),
        "n_500_restated": n_500_2017_b, "change_500": change, "n_500_2016": n_500_2017_b - change,
    })


def concentration_table(frame: pd.DataFrame) -> pd.DataFrame:
    c = concentration(frame)
    t = printed(frame, "b_exec_2017")
    lo, hi = band_threshold(frame, "b_firms_200plus_2017"), band_threshold(frame, "b_firms_500plus_2017")
    y0, y1 = int(values.row(frame, "b_firms_2015")["year"]), int(values.row(frame, "b_firms_2017")["year"])
    rows = [
        _stated_item(frame, "b_firms_2015"),
        _stated_item(frame, "b_firms_2017"),
        _derived_item(f"{y0}—{y1}年执行企业增加", f"Increase in executing firms, {y0}–{y1}", c.n_all - c.n_2015, "家",
                      f"{c.n_all:g} − {c.n_2015:g} = {c.n_all - c.n_2015:g} (×{c.n_all / c.n_2015:.2f})"),
        _stated_item(frame, "b_firms_200plus_2017"),
        _stated_item(frame, "b_exec_200plus_2017"),
        _stated_item(frame, "b_share_200plus_2017"),
        _derived_item(f"{lo:g}万美元以上企业占比（重算）", f"Share of firms above {lo:g}万 USD, recomputed", c.share_200, "%",
                      f"{c.v_200:g} ÷ {t} = {c.share_200:.3f}% (stated {printed(frame, 'b_share_200plus_2017')})"),
        _stated_item(frame, "b_firms_500plus_2017"),
        _stated_item(frame, "b_exec_500plus_2017"),
        _stated_item(frame, "b_share_500plus_2017"),
        _derived_item(f"{hi:g}万美元以上企业占比（重算）", f"Share of firms above {hi:g}万 USD, recomputed", c.share_500, "%",
                      f"{c.v_500:g} ÷ {t} = {c.share_500:.3f}% (stated {printed(frame, 'b_share_500plus_2017')})"),
        _derived_item(f"{lo:g}万—{hi:g}万美元企业数", f"Firms with {lo:g}–{hi:g}万 USD", c.n_band, "家",
                      f"{c.n_200:g} − {c.n_500:g} = {c.n_band:g}"),
        _derived_item(f"{lo:g}万—{hi:g}万美元企业平均执行额", f"Mean execution of firms with {lo:g}–{hi:g}万 USD", c.mean_band, "万美元",
                      f"({c.v_200:g} − {c.v_500:g}) ÷ {c.n_band:g} = {c.mean_band:.2f} "
                      f"(the band: {lo:g}–{hi:g})"),
        _derived_item(f"{lo:g}万美元以下企业数", f"Firms below {lo:g}万 USD", c.n_below, "家",
                      f"{c.n_all:g} − {c.n_200:g} = {c.n_below:g}"),
        _derived_item(f"{lo:g}万美元以下企业平均执行额", f"Mean execution of firms below {lo:g}万 USD", c.mean_below, "万美元",
                      f"({t} − {c.v_200:g}) ÷ {c.n_below:g} = {c.mean_below:.2f} "
                      f"(the threshold: {lo:g})"),
        _stated_item(frame, "b_firms_1000plus_2016"),
        _stated_item(frame, "b_firms_1000plus_2017"),
        _stated_item(frame, "b_firms_500plus_restated_2017", arithmetic=(
            f"restates §三（一）'s {printed(frame, 'b_firms_500plus_2017')}家; the claims audit compares the two")),
        _stated_item(frame, "b_firms_500plus_change_2017"),
        _derived_item(f"所隐含的{y1 - 1}年{hi:g}万美元以上企业数", f"Implied {y1 - 1} firms above {hi:g}万 USD", c.n_500_2016, "家",
                      f"{c.n_500_restated:g} − {c.change_500:g} = {c.n_500_2016:g}"),
    ]
    return _items(rows)


# The band thresholds (200, 500, 1000万美元) are part of the metric, not separate data: the means
# above are compared with them. They are read from the metric names so no number is typed twice.
def band_threshold(frame: pd.DataFrame, value_id: str) -> float:
    return provenance.numbers_in(str(values.row(frame, value_id)["metric"]))[0]


# --------------------------------------------------------------------------------------------
# 表4: Zhejiang


@dataclass(frozen=True)
class Zhejiang:
    """What Ningbo's stated value and share imply for the provincial total, and the shares that follow."""

    hz: float
    nb: float
    nb_share: float
    six_share: float
    wz: float
    total: float
    total_max: float
    total_min: float
    hz_share: float
    sum_shares: float
    sum_shares_min: float
    remainder: float
    six_level: float
    wz_share: float
    wz_in_six: float
    hz_room: float
    total_for_all: float
    nb_share_if_all_fit: float


def zhejiang(frame: pd.DataFrame) -> Zhejiang:
    """What the stated Ningbo share implies for the provincial total, and whether the shares fit."""
    hz, nb = values.get(frame, "b_hz_offshore_2017"), values.get(frame, "b_nb_offshore_2017")
    nb_share, six_share = values.get(frame, "b_nb_share_2017"), values.get(frame, "b_six_share_2017")
    wz = values.get(frame, "b_exec_2017") / 1e4  # 万美元 -> 亿美元
    total = metrics.implied_whole(nb, nb_share)
    h = {k: metrics.half_unit(printed(frame, i)) for k, i in
         (("hz", "b_hz_offshore_2017"), ("nb", "b_nb_offshore_2017"), ("nb_share", "b_nb_share_2017"),
          ("six", "b_six_share_2017"))}
    # Most favourable reading of every printed figure within its rounding: the smallest sum of shares.
    total_max = metrics.implied_whole(nb + h["nb"], nb_share - h["nb_share"])
    hz_share_min = metrics.share_pct(hz - h["hz"], total_max)
    sum_min = hz_share_min + (nb_share - h["nb_share"]) + (six_share - h["six"])
    hz_share = metrics.share_pct(hz, total)
    hz_room = 100.0 - nb_share - six_share
    return Zhejiang(**{
        "hz": hz, "nb": nb, "nb_share": nb_share, "six_share": six_share, "wz": wz,
        "total": total, "total_max": total_max, "total_min": metrics.implied_whole(nb - h["nb"], nb_share + h["nb_share"]),
        "hz_share": hz_share, "sum_shares": hz_share + nb_share + six_share, "sum_shares_min": sum_min,
        "remainder": 100.0 - (hz_share + nb_share + six_share),
        "six_level": total * six_share / 100.0,
        "wz_share": metrics.share_pct(wz, total),
        "wz_in_six": metrics.share_pct(wz, total * six_share / 100.0),
        # The smallest total that holds Hangzhou's and Ningbo's levels and the six cities' share:
        # (hz + nb) / (1 − six share), at which Ningbo's share is nb over that total.
        "hz_room": hz_room, "total_for_all": metrics.implied_whole(hz + nb, 100.0 - six_share),
        "nb_share_if_all_fit": metrics.share_pct(nb, metrics.implied_whole(hz + nb, 100.0 - six_share)),
    })


def zhejiang_table(frame: pd.DataFrame) -> pd.DataFrame:
    z = zhejiang(frame)
    nb, nbs, six = printed(frame, "b_nb_offshore_2017"), printed(frame, "b_nb_share_2017"), printed(frame, "b_six_share_2017")
    hz = printed(frame, "b_hz_offshore_2017")
    rows = [
        _stated_item(frame, "b_hz_offshore_2017"),
        _stated_item(frame, "b_nb_offshore_2017"),
        _stated_item(frame, "b_nb_share_2017"),
        _stated_item(frame, "b_six_share_2017"),
        _derived_item("宁波数值与占比所隐含的全省总额", "Provincial total implied by Ningbo's value and share", z.total, "亿美元",
                      f"{nb} ÷ {nbs}% = {z.total:.2f} ({z.total_min:.2f}–{z.total_max:.2f} within rounding)"),
        _derived_item("杭州所隐含的占比", "Hangzhou's implied share", z.hz_share, "%",
                      f"{hz} ÷ {z.total:.2f} = {z.hz_share:.2f}%"),
        _derived_item("杭州 + 宁波 + 六市 占比之和", "Hangzhou + Ningbo + six cities, sum of shares", z.sum_shares, "%",
                      f"{z.hz_share:.2f} + {nbs} + {six} = {z.sum_shares:.2f}% "
                      f"(smallest within rounding {z.sum_shares_min:.2f}%)"),
        _derived_item("留给其余城市的占比", "Share left for the other cities", z.remainder, "%",
                      f"100 − {z.sum_shares:.2f} = {z.remainder:.2f}%"),
        _derived_item("能容纳杭州、宁波与六市时的最小全省总额",
                      "Smallest provincial total that holds Hangzhou, Ningbo and the six cities",
                      z.total_for_all, "亿美元",
                      f"({hz} + {nb}) ÷ (100 − {six})% = {z.total_for_all:.2f}; Ningbo's share would then be "
                      f"{z.nb_share_if_all_fit:.2f}%, not {nbs}%"),
        _derived_item("六市合计所隐含的金额", "Six cities' combined value implied", z.six_level, "亿美元",
                      f"{six}% × {z.total:.2f} = {z.six_level:.2f}"),
        _stated_item(frame, "b_exec_2017", arithmetic=(
            f"from {short_section(values.row(frame, 'b_exec_2017')['section'])}; = {z.wz:.4f} 亿美元")),
        _derived_item("温州所隐含的全省占比", "Wenzhou's implied share of the province", z.wz_share, "%",
                      f"{z.wz:.4f} ÷ {z.total:.2f} = {z.wz_share:.2f}%"),
        _derived_item("温州在六市合计中的占比", "Wenzhou's part of the six cities' total", z.wz_in_six, "%",
                      f"{z.wz:.4f} ÷ {z.six_level:.2f} = {z.wz_in_six:.2f}%"),
        _stated_item(frame, "b_wz_tier_2017"),
    ]
    return _items(rows)


# --------------------------------------------------------------------------------------------
# 表5: markets and the digital-economy context


def markets_table(frame: pd.DataFrame) -> pd.DataFrame:
    markets, over_1m, bri = (values.get(frame, i) for i in ("b_markets_2017", "b_markets_1m_2017", "b_markets_bri_2017"))
    total = values.get(frame, "b_exec_2017")
    # 超百万美元 = above 100万美元 (one million USD): the 百 of the quote, read as a numeral, not typed.
    threshold = provenance.chinese_numbers_in(str(values.row(frame, "b_markets_1m_2017")["quote"]))[0]
    m = printed(frame, "b_markets_2017")
    rows = [
        _stated_item(frame, "b_continents_2017"),
        _stated_item(frame, "b_markets_2017"),
        _stated_item(frame, "b_markets_1m_2017"),
        _stated_item(frame, "b_markets_bri_2017"),
        _derived_item("执行额超百万美元的市场占市场数比重（上限）", "Markets above 1m USD as a share of markets (at most)",
                      metrics.share_pct(over_1m, markets), "%",
                      f"{over_1m:g} ÷ {m} = {metrics.share_pct(over_1m, markets):.2f}%; at most, as there are more than {m}"),
        _derived_item("“一带一路”市场占市场数比重（上限）", "Belt and Road markets as a share of markets (at most)",
                      metrics.share_pct(bri, markets), "%",
                      f"{bri:g} ÷ {m} = {metrics.share_pct(bri, markets):.2f}%; at most"),
        _derived_item("超百万美元市场的执行额（下限）", "Execution in the markets above 1m USD (at least)",
                      over_1m * threshold, "万美元",
                      f"{over_1m:g} × {threshold:g} = {over_1m * threshold:g} = "
                      f"{metrics.share_pct(over_1m * threshold, total):.2f}% of {total:g}"),
        _derived_item("每个市场的平均执行额（上限）", "Mean execution per market (at most)", total / markets, "万美元",
                      f"{total:g} ÷ {m} = {total / markets:.2f}; at most"),
    ]
    return _items(rows)


@dataclass(frozen=True)
class DigitalEconomy:
    """China's digital economy in 2016 and what its stated growth and shares imply."""

    level: float
    growth: float
    share: float
    change: float
    contribution: float
    prev: float
    increase: float
    gdp_max: float
    prev_share: float
    gdp_prev_max: float
    gdp_increase: float


def digital_economy(frame: pd.DataFrame) -> DigitalEconomy:
    level, growth = values.get(frame, "b_digital_level_2016"), values.get(frame, "b_digital_growth_2016")
    share, change = values.get(frame, "b_digital_share_gdp_2016"), values.get(frame, "b_digital_share_change_2016")
    contribution = values.get(frame, "b_digital_contribution_2016")
    prev = metrics.implied_previous(level, growth)
    increase = level - prev
    return DigitalEconomy(**{
        "level": level, "growth": growth, "share": share, "change": change, "contribution": contribution,
        "prev": prev, "increase": increase, "gdp_max": metrics.implied_whole(level, share),
        "prev_share": share - change, "gdp_prev_max": metrics.implied_whole(prev, share - change),
        "gdp_increase": increase / (contribution / 100.0),
    })


def digital_table(frame: pd.DataFrame) -> pd.DataFrame:
    d = digital_economy(frame)
    lv, g, sh, ch = (printed(frame, i) for i in ("b_digital_level_2016", "b_digital_growth_2016",
                                                  "b_digital_share_gdp_2016", "b_digital_share_change_2016"))
    y = int(values.row(frame, "b_digital_level_2016")["year"])
    c = printed(frame, "b_digital_contribution_2016")
    rows = [
        _stated_item(frame, "b_digital_level_2016"),
        _stated_item(frame, "b_digital_growth_2016"),
        _stated_item(frame, "b_digital_share_gdp_2016"),
        _stated_item(frame, "b_digital_share_change_2016"),
        _stated_item(frame, "b_digital_contribution_2016"),
        _derived_item(f"所隐含的{y - 1}年数字经济总量", f"Implied {y - 1} digital economy", d.prev, "万亿元",
                      f"{lv} ÷ (1 + {g}%) = {d.prev:.2f}"),
        _derived_item(f"{y}年数字经济增量", f"Increase in {y}", d.increase, "万亿元",
                      f"{lv} − {d.prev:.2f} = {d.increase:.2f}"),
        _derived_item(f"所隐含的{y}年GDP（上限）", f"Implied {y} GDP (at most)", d.gdp_max, "万亿元",
                      f"{lv} ÷ {sh}% = {d.gdp_max:.2f}; at most, as the share is over {sh}%"),
        _derived_item(f"所隐含的{y - 1}年数字经济占GDP比重（下限）", f"Implied {y - 1} share of GDP (more than)", d.prev_share, "%",
                      f"{sh} − {ch} = {d.prev_share:.1f}; a lower bound"),
        _derived_item(f"所隐含的{y - 1}年GDP（上限）", f"Implied {y - 1} GDP (at most)", d.gdp_prev_max, "万亿元",
                      f"{d.prev:.2f} ÷ {d.prev_share:.1f}% = {d.gdp_prev_max:.2f}"),
        _derived_item(f"若“贡献接近{c}%”指占GDP增量的比重：所隐含的GDP增量",
                      "GDP increase implied if 'contribution' is the share of the GDP increase",
                      d.gdp_increase, "万亿元",
                      f"{d.increase:.2f} ÷ {c}% = {d.gdp_increase:.2f}; "
                      "one reading of an unsourced, approximate figure"),
    ]
    return _items(rows)


# The numbers 图2 draws (its parks file points to them by value_id).
PARK_VALUE_IDS = ("b_parks_count", "b_gxq_platforms", "b_gm_firms", "b_gm_employees")


def shown_before_table_5_other(frame: pd.DataFrame) -> set[str]:
    """value_ids that 图1, 图2 and 表1–表5 (markets, digital economy) already show; the last part of 表5
    lists the rest, so every transcribed number appears once somewhere in the report."""
    series = execution_series(frame)
    mix = business_mix(frame)
    shown = {f"b_exec_{int(y)}" for y in series["year"]} | set(GROWTH_IDS) | set(PARK_VALUE_IDS)
    shown |= set(mix["value_id"]) | set(mix["share_id"])
    for table in (execution_summary_table(frame), business_mix_summary(frame), concentration_table(frame),
                  zhejiang_table(frame), markets_table(frame), digital_table(frame)):
        shown |= set(table["value_id"])
    return shown - {""}


def other_numbers(frame: pd.DataFrame, shown: set[str]) -> pd.DataFrame:
    """Every transcribed number not shown in another figure or table: dates, counts, ranks."""
    rest = frame[~frame["value_id"].isin(shown)]
    rows = []
    for _, r in rest.iterrows():
        year = values.year_label(r)
        rows.append({"§": short_section(r["section"]), "指标 metric": f"{r['metric']} · {r['metric_en']}",
                     "原文数值 stated": stated_text(frame, r["value_id"]), "年份 year": year,
                     "原文 quote": r["quote"], "value_id": r["value_id"]})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# 图2: the two demonstration parks and their platforms


def park_tree(items: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The parks file with each box's number (from paper_b_values) and hedge; fails on a dangling parent."""
    ids = set(items["item_id"])
    dangling = sorted(set(items["parent_id"].dropna()) - ids)
    if dangling:
        raise ValueError(f"parent_id names items that do not exist: {dangling}")
    roots = items[items["parent_id"].isna()]
    if len(roots) != 1:
        raise ValueError(f"the tree needs exactly one root, found {len(roots)}")
    out = items.copy()
    out["count"] = [values.get(frame, v) if isinstance(v, str) else float("nan") for v in out["value_id"]]
    out["count_text"] = [stated_text(frame, v, with_unit=True) if isinstance(v, str) else "" for v in out["value_id"]]
    return out


def park_summary(tree: pd.DataFrame) -> pd.DataFrame:
    """Per park: platforms the text names, platforms it counts, and the other boxes."""
    rows = []
    for park in tree[tree["kind"] == "park"].itertuples():
        below = _descendants(tree, park.item_id)
        named = below[below["kind"] == "platform"]
        counted = below[below["kind"] == "platforms_unnamed"]
        rows.append({"park_id": park.item_id, "park": park.label_zh,
                     "platforms_named": len(named),
                     "platforms_counted": float(counted["count"].sum()) if len(counted) else float("nan"),
                     "industries_named": int((below["kind"] == "industry").sum())})
    return pd.DataFrame(rows)


def _descendants(tree: pd.DataFrame, item_id: str) -> pd.DataFrame:
    found, frontier = [], [item_id]
    while frontier:
        children = tree[tree["parent_id"].isin(frontier)]
        found.append(children)
        frontier = children["item_id"].tolist()
    return pd.concat(found) if found else tree.iloc[0:0]
