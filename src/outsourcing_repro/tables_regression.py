"""The growth regressions' tables (reg_growth_*, tab_r1): a series' years with trend, residual and
extrapolation, its inference under each covariance type, and the combined table of every series. They
read one `regression.Fit` (or its flat `row()`); nothing here fits.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from . import present
from .number import fixed

if TYPE_CHECKING:  # pragma: no cover - the regression stage imports statsmodels; only its tables need it
    from .regression import Fit


@present.building
def year_table(result: Fit, sources: pd.DataFrame, horizon: int | None = None) -> pd.DataFrame:
    """One row per observed year (value, source, trend value, residual, growth without that year),
    then one row per extrapolated year (median projection and 95% prediction interval)."""
    values, trend = result.values, result.trend
    used = sources[sources["role"] == "used"].set_index("year")["source"] if len(sources) else pd.Series(dtype=str)
    confirmations = (
        sources[sources["role"] == "confirmation"].groupby("year").size() if len(sources) else pd.Series(dtype=int)
    )
    rows = []
    loo = result.loo.set_index("year_left_out") if trend is not None else None
    fitted = trend.fitted() if trend is not None else None
    resid = trend.residuals() if trend is not None else None
    for year, value in values.items():
        src = used.get(year, "")
        extra = int(confirmations.get(year, 0))
        rows.append(
            {
                "year": int(year),
                "type": "观测 observed",
                "value": float(value),
                "source": _short_source(src) + (f" (+{extra} confirming)" if extra else ""),
                "trend": float(fitted[year]) if fitted is not None else math.nan,
                "residual_x100": float(resid[year]) * 100 if resid is not None else math.nan,
                "growth_without_year_pct": float(loo.loc[year, "growth_pct"]) if loo is not None else math.nan,
                "pi_low": math.nan,
                "pi_high": math.nan,
            }
        )
    if trend is not None:
        for r in result.projection(horizon).itertuples():
            rows.append(
                {
                    "year": int(r.year),
                    "type": "外推 extrapolated",
                    "value": math.nan,
                    "source": "",
                    "trend": r.projected,
                    "residual_x100": math.nan,
                    "growth_without_year_pct": math.nan,
                    "pi_low": r.pi_low,
                    "pi_high": r.pi_high,
                }
            )
    return pd.DataFrame(rows)


def _short_source(source: str) -> str:
    return source.split("/")[2] if source.startswith("http") else source


INFERENCE_LABELS = {
    "beta": "β（对数斜率）β, log slope",
    "se": "β 标准误 SE of β",
    "growth_pct": "趋势增速 Trend growth exp(β)−1, %",
    "growth_ci_low_pct": "95% 置信区间下限 CI low, %",
    "growth_ci_high_pct": "95% 置信区间上限 CI high, %",
    "quad_gamma": "二次项 γ Quadratic term γ",
    "quad_se": "γ 标准误 SE of γ",
    "quad_p": "γ 的 p 值 p-value of γ",
    "stated_t": "t：H0 增速=原文所述 (stated)",
    "stated_p": "p：H0 增速=原文所述 (stated)",
    "benchmark_t": "t：H0 增速=比较基准 (benchmark)",
    "benchmark_p": "p：H0 增速=比较基准 (benchmark)",
}


@present.building
def inference_table(result: Fit) -> pd.DataFrame:
    """`Fit.inference` with readable row labels; the chosen covariance type is marked."""
    wide = result.inference()
    rows, chosen = result.stated, result.cov_type
    labels = dict(INFERENCE_LABELS)
    for r in rows:
        bound = "≤" if r["alternative"] == "larger" else "="
        side = "one-sided" if r["alternative"] == "larger" else "two-sided"
        who = "原文 stated" if r["role"] == "stated" else "基准 benchmark"
        labels[f"{r['role']}_t"] = f"t：H0 增速{bound}{r['value']:g}%（{who}, {side}）"
        labels[f"{r['role']}_p"] = f"p：H0 增速{bound}{r['value']:g}%（{who}, {side}）"
    wide.index = [labels.get(i, i) for i in wide.index]
    wide.columns = [f"{c} (used)" if c == chosen else c for c in wide.columns]
    return wide.reset_index(names="statistic")


# The combined table (tab_r1)

COMBINED_ROWS = [
    ("beta", "β（对数斜率）β, log slope per year"),
    ("se", "（标准误）(SE)"),
    ("se_HC3", "[HC3 标准误] [HC3 SE]"),
    ("growth", "趋势增速 Trend growth exp(β)−1, %"),
    ("ci", "95% 置信区间 CI, %"),
    ("cagr", "端点复合增速 Endpoint CAGR, %"),
    ("stated", "原文所述增速 Stated growth, %"),
    ("stated_p", "p 值：H0 增速 = 原文 p-value vs stated"),
    ("benchmark", "比较基准 Benchmark growth, %"),
    ("benchmark_p", "p 值：H0 增速 = 基准 p-value vs benchmark"),
    ("quad", "二次项 γ（p 值）Quadratic γ (p)"),
    ("loo", "去掉一年后的增速范围 Leave-one-year-out growth, %"),
    ("n", "观测数 N"),
    ("years", "年份 Years"),
    ("r2", "R²"),
    ("df", "残差自由度 Residual df"),
]


def _f(value, places: int) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else fixed(value, places)


def _get(row: dict, key: str):
    value = row.get(key)
    if value is None or (isinstance(value, str) and value == ""):
        return math.nan
    return value


def _p(row: dict, role: str) -> str:
    p = _get(row, f"{role}_p")
    if isinstance(p, float) and math.isnan(p):
        return "—"
    side = " (one-sided)" if row.get(f"{role}_alternative") == "larger" else ""
    return f"{fixed(p, 3)}{side}"


def combined_column(row: dict) -> dict[str, str]:
    """One series' column of the combined table, as printed strings."""
    fitted = row.get("model") == "log-linear trend"
    stated_sign = "≥" if row.get("stated_alternative") == "larger" else ""
    col = {
        "beta": _f(_get(row, "beta"), 4) if fitted else "—",
        "se": f"({fixed(_get(row, 'se'), 4)})" if fitted else "—",
        "se_HC3": f"[{fixed(_get(row, 'se_HC3'), 4)}]" if fitted else "—",
        "growth": _f(_get(row, "growth_pct"), 1) if fitted else "—",
        "ci": (
            f"[{fixed(_get(row, 'growth_ci_low_pct'), 1)}, {fixed(_get(row, 'growth_ci_high_pct'), 1)}]"
            if fitted
            else "—"
        ),
        "cagr": _f(_get(row, "cagr_pct"), 1),
        "stated": (
            f"{stated_sign}{_get(row, 'stated_pct'):g}"
            if not (isinstance(_get(row, "stated_pct"), float) and math.isnan(_get(row, "stated_pct")))
            else "—"
        ),
        "stated_p": _p(row, "stated") if fitted else "—",
        "benchmark": (
            f"{_get(row, 'benchmark_pct'):g}"
            if not (isinstance(_get(row, "benchmark_pct"), float) and math.isnan(_get(row, "benchmark_pct")))
            else "—"
        ),
        "benchmark_p": _p(row, "benchmark") if fitted else "—",
        "quad": (
            f"{fixed(_get(row, 'quad_gamma'), 4, sign=True)} ({fixed(_get(row, 'quad_p'), 3)})"
            if fitted and not math.isnan(float(_get(row, "quad_gamma")))
            else "—"
        ),
        "loo": (
            f"{fixed(_get(row, 'loo_growth_min_pct'), 1)} to {fixed(_get(row, 'loo_growth_max_pct'), 1)}"
            if fitted
            else "—"
        ),
        "n": f"{int(row['n'])}",
        "years": str(row["years"]),
        "r2": _f(_get(row, "r2"), 3) if fitted else "—",
        "df": f"{int(float(row['df_resid']))}" if fitted else "0",
    }
    return col


@present.building
def combined_table(results: pd.DataFrame) -> pd.DataFrame:
    """Rows: statistics; columns: series (by series_id), in the order of `results`."""
    columns = {r["series_id"]: combined_column(r) for r in results.to_dict("records")}
    table = pd.DataFrame(columns).reindex([key for key, _ in COMBINED_ROWS])
    table.insert(0, "statistic", [label for _, label in COMBINED_ROWS])
    return table.reset_index(drop=True)
