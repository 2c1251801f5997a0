"""Paper B (Wenzhou offshore service outsourcing, 2013–2017): the computations behind its figures
and tables. Every input comes from data/raw/paper_b_values.csv (and, for 图2,
data/raw/paper_b_parks_platforms.csv) through `values`; nothing here types a number of the paper."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import metrics, provenance, values
from .values import printed, stated_text

EXECUTION = "离岸服务外包执行额"
EXECUTION_GROWTH = "离岸服务外包执行额同比增长"


GROWTH_IDS = ("b_growth_2013", "b_growth_2014", "b_growth_2015", "b_growth_2016", "b_growth_2017")
MIX_PARTS = (
    ("KPO", "知识流程外包", "b_kpo_2017", "b_kpo_share_2017"),
    ("ITO", "信息技术外包", "b_ito_2017", "b_ito_share_2017"),
    ("BPO", "业务流程外包", "b_bpo_2017", "b_bpo_share_2017"),
)


# --------------------------------------------------------------------------------------------
# Shared helpers


# --------------------------------------------------------------------------------------------
# 图1 and 表1: the execution series


def execution_series(frame: pd.DataFrame) -> pd.DataFrame:
    """Wenzhou's offshore execution with stated and recomputed year-on-year growth.

    The recomputed growth uses the paper's own levels; 2013 has none because 2012 is not given.
    """
    levels = values.series(frame, EXECUTION, entity="温州", kind="level")
    stated = values.series(frame, EXECUTION_GROWTH, entity="温州", kind="growth_rate")

    def ids(metric, kind):
        rows = frame[(frame["metric"] == metric) & (frame["entity"] == "温州") & (frame["kind"] == kind)]
        return rows.set_index("year")["value_id"]

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
    return ExecutionSummary(
        **{
            "first_year": int(first["year"]),
            "last_year": int(last["year"]),
            "years": years,
            "first": float(first["execution_usd_10k"]),
            "last": float(last["execution_usd_10k"]),
            "rmb_100m": rmb_100m,
            "rate": rate,
            "rate_low": (rmb_100m - half) * 1e4 / usd_10k,
            "rate_high": (rmb_100m + half) * 1e4 / usd_10k,
            "cagr": cagr,
            "mean_stated": float(series["growth_stated_pct"].mean()),
            "n_stated": int(series["growth_stated_pct"].notna().sum()),
            "mean_recomputed": float(recomputed.mean()),
            "n_recomputed": len(recomputed),
            "first_recomputed_year": int(series.loc[recomputed.index[0], "year"]),
            "wenzhou_avg_stated": values.get(frame, "b_avg_growth_2013_2017"),
            "zhejiang_avg_stated": values.get(frame, "b_zj_avg_growth"),
            "implied_2016": implied_2016,
            "stated_2016": float(row_2016["execution_usd_10k"]),
            "implied_2015": implied_2015,
            "stated_2015": float(series[series["year"] == last["year"] - 2]["execution_usd_10k"].iloc[0]),
        }
    )


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
        rows.append(
            {
                "kind": code,
                "name_zh": name,
                "execution_usd_10k": level,
                "share_stated_pct": stated,
                "share_recomputed_pct": round(recomputed, 4),
                "share_of_parts_pct": round(metrics.share_pct(level, parts), 4),
                "difference_pp": round(stated - recomputed, 4),
                "value_id": level_id,
                "share_id": share_id,
            }
        )
    return pd.DataFrame(rows)


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
    n_all, n_200, n_500 = (
        values.get(frame, i) for i in ("b_firms_2017", "b_firms_200plus_2017", "b_firms_500plus_2017")
    )
    v_200, v_500 = values.get(frame, "b_exec_200plus_2017"), values.get(frame, "b_exec_500plus_2017")
    n_500_2017_b, change = (
        values.get(frame, "b_firms_500plus_restated_2017"),
        values.get(frame, "b_firms_500plus_change_2017"),
    )
    return Concentration(
        **{
            "total": total,
            "n_2015": values.get(frame, "b_firms_2015"),
            "n_all": n_all,
            "n_200": n_200,
            "v_200": v_200,
            "share_200": metrics.share_pct(v_200, total),
            "n_500": n_500,
            "v_500": v_500,
            "share_500": metrics.share_pct(v_500, total),
            "n_band": n_200 - n_500,
            "v_band": v_200 - v_500,
            "mean_band": (v_200 - v_500) / (n_200 - n_500),
            "n_below": n_all - n_200,
            "v_below": total - v_200,
            "mean_below": (total - v_200) / (n_all - n_200),
            "n_1000_2016": values.get(frame, "b_firms_1000plus_2016"),
            "n_1000_2017": values.get(frame, "b_firms_1000plus_2017"),
            "n_500_restated": n_500_2017_b,
            "change_500": change,
            "n_500_2016": n_500_2017_b - change,
        }
    )


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
    h = {
        k: metrics.half_unit(printed(frame, i))
        for k, i in (
            ("hz", "b_hz_offshore_2017"),
            ("nb", "b_nb_offshore_2017"),
            ("nb_share", "b_nb_share_2017"),
            ("six", "b_six_share_2017"),
        )
    }
    # Most favourable reading of every printed figure within its rounding: the smallest sum of shares.
    total_max = metrics.implied_whole(nb + h["nb"], nb_share - h["nb_share"])
    hz_share_min = metrics.share_pct(hz - h["hz"], total_max)
    sum_min = hz_share_min + (nb_share - h["nb_share"]) + (six_share - h["six"])
    hz_share = metrics.share_pct(hz, total)
    hz_room = 100.0 - nb_share - six_share
    return Zhejiang(
        **{
            "hz": hz,
            "nb": nb,
            "nb_share": nb_share,
            "six_share": six_share,
            "wz": wz,
            "total": total,
            "total_max": total_max,
            "total_min": metrics.implied_whole(nb - h["nb"], nb_share + h["nb_share"]),
            "hz_share": hz_share,
            "sum_shares": hz_share + nb_share + six_share,
            "sum_shares_min": sum_min,
            "remainder": 100.0 - (hz_share + nb_share + six_share),
            "six_level": total * six_share / 100.0,
            "wz_share": metrics.share_pct(wz, total),
            "wz_in_six": metrics.share_pct(wz, total * six_share / 100.0),
            # The smallest total that holds Hangzhou's and Ningbo's levels and the six cities' share:
            # (hz + nb) / (1 − six share), at which Ningbo's share is nb over that total.
            "hz_room": hz_room,
            "total_for_all": metrics.implied_whole(hz + nb, 100.0 - six_share),
            "nb_share_if_all_fit": metrics.share_pct(nb, metrics.implied_whole(hz + nb, 100.0 - six_share)),
        }
    )


# --------------------------------------------------------------------------------------------
# 表5: markets and the digital-economy context


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
    return DigitalEconomy(
        **{
            "level": level,
            "growth": growth,
            "share": share,
            "change": change,
            "contribution": contribution,
            "prev": prev,
            "increase": increase,
            "gdp_max": metrics.implied_whole(level, share),
            "prev_share": share - change,
            "gdp_prev_max": metrics.implied_whole(prev, share - change),
            "gdp_increase": increase / (contribution / 100.0),
        }
    )


# The numbers 图2 draws (its parks file points to them by value_id).
PARK_VALUE_IDS = ("b_parks_count", "b_gxq_platforms", "b_gm_firms", "b_gm_employees")


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
        rows.append(
            {
                "park_id": park.item_id,
                "park": park.label_zh,
                "platforms_named": len(named),
                "platforms_counted": float(counted["count"].sum()) if len(counted) else float("nan"),
                "industries_named": int((below["kind"] == "industry").sum()),
            }
        )
    return pd.DataFrame(rows)


def _descendants(tree: pd.DataFrame, item_id: str) -> pd.DataFrame:
    found, frontier = [], [item_id]
    while frontier:
        children = tree[tree["parent_id"].isin(frontier)]
        found.append(children)
        frontier = children["item_id"].tolist()
    return pd.concat(found) if found else tree.iloc[0:0]
