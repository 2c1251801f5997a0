"""Service-outsourcing employment from MOFCOM releases: year-end stocks and annual new hires.

Paper A's 图1 (新增从业人员 2016—2022) is drawn from MOFCOM data the paper does not print. MOFCOM
publishes two kinds of employment figure, at irregular dates:

- a cumulative count (累计吸纳从业人员, and 其中大学以上学历), which behaves as a running sum of new hires;
- new hires year-to-date (新增从业人员 1—N月, and 其中大学以上学历).

So a year-end stock is either published, or equals a cumulative count from later in the next year
minus that year's year-to-date new hires (end-2021 college 898 = end-Jun-2022 927 − H1-2022 29).
New hires in a year are then differences of year-end stocks. Where a year-end is unknown the
difference spans several years, and it is kept as a multi-year sum: splitting it would invent data.

Everything here is arithmetic on rows of data/external/mofcom_release_values.csv; each derived
number carries its arithmetic and the CSV lines it used.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pandas as pd

from . import metrics, schemas
from .number import shortest, trimmed

MONTHS = {
    m: i
    for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)
}
MONTH_ZH = {m: f"{m}月" for m in range(1, 13)}

# metric (as the CSV names it) -> (measure, group)
METRICS = {
    "累计从业人员": ("stock", "total"),
    "累计从业人员(年末)": ("stock", "total"),
    "累计大学以上学历从业人员": ("stock", "college"),
    "累计大学以上学历从业人员(年末)": ("stock", "college"),
    "服务外包新增从业人员": ("new", "total"),
    "新增大学以上学历从业人员": ("new", "college"),
    "累计大学以上学历占比(年末)": ("share", "college"),
}
GROUP_ZH = {"total": "全部从业人员", "college": "大学（含大专）以上学历"}
GROUP_EN = {"total": "all employees", "college": "college-educated"}
GROUP_ORDER = {"total": 0, "college": 1}

PUBLISHED = "published"
LATER_MINUS_YTD = "later cumulative − YTD new hires"
TOTAL_TIMES_SHARE = "year-end total × college share"
STOCK_DIFFERENCE = "difference of year-end stocks"
# Order of preference when a year-end stock has several estimates. A published count is what MOFCOM
# said; a later count minus year-to-date hires adds two roundings, and more revisions the longer the
# window; a rounded share (63.5%) times a total is the loosest (±0.05 pt × 1290.9万 ≈ ±0.6万).
METHOD_RANK = {PUBLISHED: 0, LATER_MINUS_YTD: 1, TOTAL_TIMES_SHARE: 2}


class EmploymentError(ValueError):
    pass


def as_of_month(metric: str, scope: str) -> int:
    """The month a value refers to: 12 for year-end and full-year values, N for 'as of end-N' / 'YTD Jan-N'."""
    if "(年末)" in metric:
        return 12
    ytd = re.search(r"YTD Jan-([A-Z][a-z]{2})", scope)
    if ytd:
        return MONTHS[ytd.group(1)]
    as_of = re.search(r"as of (?:end-)?([A-Z][a-z]{2})", scope)
    if as_of:
        return MONTHS[as_of.group(1)]
    if "full year" in scope or re.search(r"end-\d{4}", scope):
        return 12
    raise EmploymentError(f"cannot tell the month of '{metric}' from its scope '{scope}'")


def _rounding_step(value: float) -> float:
    """The step a rounded integer was rounded to: 860 -> 10, 700 -> 100, 121 -> 1."""
    v = round(value)
    step = 1
    while v and v % (step * 10) == 0:
        step *= 10
    return float(step)


def observations(mofcom: pd.DataFrame) -> pd.DataFrame:
    """Employment rows of the MOFCOM file as (measure, group, year, month, value), one per CSV line."""
    rows = []
    for line, r in mofcom.iterrows():
        if r["metric"] not in METRICS:
            # An employment row under a new spelling (or in traditional characters) would otherwise be
            # skipped without a word and silently change a derived stock.
            if any(word in r["metric"] for word in ("从业", "学历", "就业", "從業", "學歷")):
                raise EmploymentError(
                    f"line {line}: employment metric '{r['metric']}' is not mapped in employment.METRICS; add it there"
                )
            continue
        measure, group = METRICS[r["metric"]]
        unit = str(r["unit"])
        if schemas.base_unit(unit) != ("%" if measure == "share" else "万人"):
            raise EmploymentError(f"line {line}: unexpected unit '{unit}' for {r['metric']}")
        rows.append(
            {
                "measure": measure,
                "group": group,
                "year": int(r["year"]),
                "month": as_of_month(r["metric"], r["scope"]),
                "value": float(r["value"]),
                "rounded": "rounded" in unit,
                "line": int(line),
                "scope": r["scope"],
                "quote": r["quote"],
                "source_url": r["source_url"],
            }
        )
    return pd.DataFrame(rows)


def resolve_duplicates(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One value per (measure, group, year, month).

    Where a reprint gives a rounded figure (1090万, 8.6 million) beside a precise one (1091万, 856万),
    the precise one is kept, after checking that the rounded one is its rounding; two precise values
    that disagree stop the build, because choosing between them is a judgement the data must record.
    Returns the kept observations and a table of what was dropped and why.
    """
    keep, dropped = [], []
    for key, grp in obs.groupby(["measure", "group", "year", "month"], sort=True):
        precise = grp[~grp["rounded"]]
        if precise["value"].nunique() > 1:
            raise EmploymentError(f"conflicting precise values for {key}: {sorted(precise['value'])}")
        chosen = precise.iloc[0] if len(precise) else grp.iloc[0]
        keep.append(chosen)
        for _, other in grp.drop(index=chosen.name).iterrows():
            step = _rounding_step(other["value"]) if other["rounded"] else 0.0
            dropped.append(
                {
                    "measure": key[0],
                    "group": key[1],
                    "year": key[2],
                    "month": key[3],
                    "kept": chosen["value"],
                    "kept_line": chosen["line"],
                    "dropped": other["value"],
                    "dropped_line": other["line"],
                    "rounding_step": step,
                    "consistent": abs(other["value"] - chosen["value"]) <= step / 2 + 1e-9,
                }
            )
    return pd.DataFrame(keep).reset_index(drop=True), pd.DataFrame(dropped)


def _fmt(x: float) -> str:
    return trimmed(x, 1)


def year_end_candidates(obs: pd.DataFrame) -> pd.DataFrame:
    """Every estimate of every year-end stock the data allow, with its method and arithmetic."""
    stock = obs[obs["measure"] == "stock"]
    new = obs[obs["measure"] == "new"]
    share = obs[obs["measure"] == "share"]
    out = []
    for _, s in stock.iterrows():
        if s["month"] == 12:
            out.append(
                {
                    "group": s["group"],
                    "year": s["year"],
                    "value": s["value"],
                    "method": PUBLISHED,
                    "window_months": 0,
                    "arithmetic": f"published end-{s['year']}: {_fmt(s['value'])}",
                    "lines": str(s["line"]),
                }
            )
            continue
        ytd = new[(new["group"] == s["group"]) & (new["year"] == s["year"]) & (new["month"] == s["month"])]
        for _, n in ytd.iterrows():
            value = round(s["value"] - n["value"], 6)
            mon = list(MONTHS)[s["month"] - 1]
            out.append(
                {
                    "group": s["group"],
                    "year": s["year"] - 1,
                    "value": value,
                    "method": LATER_MINUS_YTD,
                    "window_months": int(s["month"]),
                    "arithmetic": (
                        f"end-{mon} {s['year']} cumulative {_fmt(s['value'])} − "
                        f"Jan–{mon} {s['year']} new {_fmt(n['value'])} = {_fmt(value)}"
                    ),
                    "lines": f"{s['line']}, {n['line']}",
                }
            )
    for _, sh in share.iterrows():
        totals = stock[(stock["group"] == "total") & (stock["year"] == sh["year"]) & (stock["month"] == 12)]
        for _, t in totals.iterrows():
            value = round(t["value"] * sh["value"] / 100.0, 6)
            out.append(
                {
                    "group": sh["group"],
                    "year": sh["year"],
                    "value": value,
                    "method": TOTAL_TIMES_SHARE,
                    "window_months": 0,
                    "arithmetic": f"{_fmt(t['value'])} × {_fmt(sh['value'])}% = {value:.2f}",
                    "lines": f"{t['line']}, {sh['line']}",
                }
            )
    frame = pd.DataFrame(out)
    frame["rank"] = frame["method"].map(METHOD_RANK)
    frame["order"] = frame["group"].map(GROUP_ORDER)
    frame = frame.sort_values(["order", "year", "rank", "window_months"], kind="stable").reset_index(drop=True)
    frame = frame.drop(columns="order")
    frame["chosen"] = ~frame.duplicated(["group", "year"], keep="first")
    return frame.drop(columns="rank")


def year_end_stocks(candidates: pd.DataFrame) -> pd.DataFrame:
    """The chosen estimate per (group, year), with the spread of all estimates for that year-end."""
    spread = candidates.groupby(["group", "year"])["value"].agg(lambda v: v.max() - v.min()).rename("spread")
    n = candidates.groupby(["group", "year"]).size().rename("estimates")
    chosen = candidates[candidates["chosen"]].set_index(["group", "year"])
    return chosen.join(spread).join(n).reset_index()


def stock(stocks: pd.DataFrame, group: str, year: int) -> float | None:
    hit = stocks[(stocks["group"] == group) & (stocks["year"] == year)]
    return float(hit["value"].iloc[0]) if len(hit) else None


def new_hires(stocks: pd.DataFrame, obs: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """New hires per year (or per multi-year span) for first..last, for each group.

    A published full-year figure is used as is. Otherwise hires are the difference of consecutive
    known year-end stocks; when the stocks in between are unknown the difference covers several
    years and is kept as one span (per_year is its average, for plotting on a per-year axis).
    """
    published = obs[(obs["measure"] == "new") & (obs["month"] == 12)]
    rows = []
    for group in ("total", "college"):
        pub = {int(r["year"]): r for _, r in published[published["group"] == group].iterrows()}
        for year, r in pub.items():
            if first <= year <= last:
                rows.append(
                    {
                        "group": group,
                        "start": year,
                        "end": year,
                        "value": r["value"],
                        "method": PUBLISHED,
                        "released": True,
                        "arithmetic": f"published full-year {year}: {_fmt(r['value'])}",
                        "lines": str(r["line"]),
                    }
                )
        known = stocks[stocks["group"] == group].set_index("year").sort_index()
        years = [y for y in known.index if first - 1 <= y <= last]
        for y0, y1 in itertools.pairwise(years):
            start, end = y0 + 1, y1
            if any(start <= y <= end for y in pub):
                continue  # a published year inside the span: keep the published figure, do not mix
            value = round(known.loc[y1, "value"] - known.loc[y0, "value"], 6)
            rows.append(
                {
                    "group": group,
                    "start": start,
                    "end": end,
                    "value": value,
                    "method": STOCK_DIFFERENCE,
                    "released": False,
                    "arithmetic": (
                        f"end-{y1} {_fmt(known.loc[y1, 'value'])} − end-{y0} "
                        f"{_fmt(known.loc[y0, 'value'])} = {_fmt(value)}"
                    ),
                    "lines": f"{known.loc[y1, 'lines']}; {known.loc[y0, 'lines']}",
                }
            )
    frame = pd.DataFrame(rows)
    frame["order"] = frame["group"].map(GROUP_ORDER)
    frame = frame.sort_values(["order", "start"], kind="stable").drop(columns="order").reset_index(drop=True)
    frame["years"] = frame["end"] - frame["start"] + 1
    frame["per_year"] = frame["value"] / frame["years"]
    return frame


def unknown_years(hires: pd.DataFrame, group: str, first: int, last: int) -> list[int]:
    covered = set()
    for _, r in hires[hires["group"] == group].iterrows():
        covered.update(range(int(r["start"]), int(r["end"]) + 1))
    return [y for y in range(first, last + 1) if y not in covered]


def college_share_of_new_hires(obs: pd.DataFrame) -> pd.DataFrame:
    """College-educated share of new hires in every window where both counts are published."""
    new = obs[obs["measure"] == "new"].pivot_table(index=["year", "month"], columns="group", values="value")
    new = new.dropna(subset=["total", "college"]).reset_index()
    new["share_pct"] = new["college"] / new["total"] * 100.0
    return new


@dataclass(frozen=True)
class AverageCheck:
    """What the data say about 'college-educated new hires averaged `stated` 万 a year, first..last'
    (numbers only: the verdict is the audit's, claim a_college_new_avg_2016_2022)."""

    stated: float
    years: int
    first: int
    last: int
    stock_last: float | None
    stock_before_first: float | None
    stock_first: float | None
    recomputed: float | None = None
    known_sum: float | None = None
    known_years: int | None = None
    known_average: float | None = None
    total_new_first: float | None = None
    lower: float | None = None
    upper: float | None = None
    implied_first_year: float | None = None
    implied_first_year_halfwidth: float | None = None
    implied_share_first_pct: float | None = None

    # The drawing code of 图1 reads the check by key.
    def __getitem__(self, key: str):
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key, default)


def average_check(stocks: pd.DataFrame, hires: pd.DataFrame, stated: float, first: int, last: int) -> AverageCheck:
    """The average over n = last − first + 1 years is (S[last] − S[first − 1]) / n, with S the
    college-educated year-end stock. If S[first − 1] is unknown but S[first] is, the data fix the
    sum for first+1..last and leave the first year's college hires open between 0 and that year's
    total new hires (when published), which bounds the average.
    """
    n = last - first + 1
    s_last, s_prev, s_first = (stock(stocks, "college", y) for y in (last, first - 1, first))
    base = dict(
        stated=stated,
        years=n,
        first=first,
        last=last,
        stock_last=s_last,
        stock_before_first=s_prev,
        stock_first=s_first,
    )
    if s_last is not None and s_prev is not None:
        return AverageCheck(**base, recomputed=(s_last - s_prev) / n)
    if s_last is None or s_first is None:
        raise EmploymentError("the college-educated stock is unknown at both ends; nothing to check")
    known_sum = s_last - s_first
    total_first = hires[(hires["group"] == "total") & (hires["start"] == first) & (hires["end"] == first)]
    cap = float(total_first["value"].iloc[0]) if len(total_first) else None
    implied_first = stated * n - known_sum
    return AverageCheck(
        **base,
        known_sum=known_sum,
        known_years=n - 1,
        known_average=known_sum / (n - 1),
        total_new_first=cap,
        lower=known_sum / n,
        upper=(known_sum + cap) / n if cap is not None else None,
        implied_first_year=implied_first,
        # the stated average is rounded to its last digit; times n years, that is the slack
        implied_first_year_halfwidth=metrics.half_unit(shortest(stated)) * n,
        implied_share_first_pct=implied_first / cap * 100.0 if cap else None,
    )


def span_label(start: int, end: int) -> str:
    return f"{start}" if start == end else f"{start}–{end}"
