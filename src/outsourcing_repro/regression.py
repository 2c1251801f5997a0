"""Log-linear growth regressions, ln(y_t) = α + β·t + ε, with t = year − first year, fitted by OLS.

exp(β) − 1 is the trend growth rate per year. Unlike the compound rate between the endpoints (CAGR),
it uses every observed year, and the gaps in a series (missing years) need no filling: t is the
calendar distance from the first year.

Inference is small-sample: confidence intervals and p-values use Student's t with N − k degrees of
freedom for every covariance type (statsmodels `use_t=True`). The classical (`nonrobust`) standard
error is shown next to White's heteroskedasticity-robust HC1 and HC3 errors. With five to eight
observations the robust errors are estimated from as many squared residuals; they are noisy, HC1 is
biased downward in samples this small, HC3 is less biased but erratic when one year has high
leverage, and none of them corrects for serial correlation. The spread between the three is read as
a sign of how fragile the inference is, not as a better answer.

statsmodels' `summary()` prints the current date, which would break byte-identical reports; nothing
here calls it. Every number a function here returns is rounded (`@rounds`) to
`precision.SIGNIFICANT_DIGITS`: OpenBLAS's kernels differ by CPU in the last bits of a fit, and the
tables, CSVs and figures must not.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from . import metrics
from .precision import rounds

COV_TYPES = ("nonrobust", "HC1", "HC3")
ALPHA = 0.05
HORIZON = 3


class TooFewObservations(ValueError):
    """The model has no residual degrees of freedom on this many observations."""


@dataclass
class Trend:
    """One fitted trend: the statsmodels results plus what the tables need, in plain numbers."""
    results: object          # statsmodels RegressionResults (with the chosen covariance)
    years: np.ndarray
    first_year: int
    cov_type: str

    @property
    def n(self) -> int:
        return int(self.results.nobs)

    @property
    def df_resid(self) -> int:
        return int(round(self.results.df_resid))

    @property
    @rounds
    def alpha(self) -> float:
        return float(self.results.params[0])

    @property
    @rounds
    def beta(self) -> float:
        return float(self.results.params[1])

    @property
    @rounds
    def se(self) -> float:
        return float(self.results.bse[1])

    @property
    @rounds
    def r2(self) -> float:
        return float(self.results.rsquared)

    @property
    @rounds
    def growth_pct(self) -> float:
        return growth_from_beta(self.beta)

    @rounds
    def t_crit(self, alpha: float = ALPHA) -> float:
        return float(stats.t.ppf(1 - alpha / 2, self.df_resid))

    @rounds
    def beta_ci(self, alpha: float = ALPHA) -> tuple[float, float]:
        low, high = self.results.conf_int(alpha)[1]
        return float(low), float(high)

    @rounds
    def growth_ci_pct(self, alpha: float = ALPHA) -> tuple[float, float]:
        low, high = self.beta_ci(alpha)
        return growth_from_beta(low), growth_from_beta(high)

    @rounds
    def fitted(self) -> pd.Series:
        return pd.Series(np.exp(self.results.fittedvalues), index=self.years, name="fitted")

    @rounds
    def residuals(self) -> pd.Series:
        """ln(y) − fitted ln(y); ×100 is roughly the percent gap from trend."""
        return pd.Series(self.results.resid, index=self.years, name="residual")


def growth_from_beta(beta: float) -> float:
    """Annual growth in percent implied by a log slope."""
    return (math.exp(beta) - 1.0) * 100.0


def beta_from_growth(growth_pct: float) -> float:
    return math.log1p(growth_pct / 100.0)


def design(years, first_year: int, degree: int = 1) -> np.ndarray:
    t = np.asarray(years, dtype=float) - first_year
    return np.column_stack([t ** k for k in range(degree + 1)])


def _check(values: pd.Series, k: int) -> pd.Series:
    values = values.dropna().sort_index()
    if (values <= 0).any():
        raise ValueError("log-linear trend needs positive levels")
    if len(values) <= k:
        raise TooFewObservations(
            f"{len(values)} observations and {k} coefficients leave {len(values) - k} residual degrees "
            "of freedom: the line passes through every point, so no standard error, interval or test exists"
        )
    return values


def fit_trend(values: pd.Series, cov_type: str = "nonrobust", degree: int = 1,
              first_year: int | None = None) -> Trend:
    """OLS of ln(values) on a polynomial in t = year − first year (degree 1: the growth trend)."""
    if cov_type not in COV_TYPES:
        raise ValueError(f"cov_type must be one of {COV_TYPES}, got {cov_type!r}")
    values = _check(values, degree + 1)
    years = values.index.to_numpy(dtype=int)
    first = int(years[0]) if first_year is None else int(first_year)
    X = design(years, first, degree)
    y = np.log(values.to_numpy(dtype=float))
    model = sm.OLS(y, X)
    results = model.fit(cov_type=cov_type, use_t=True) if cov_type != "nonrobust" else model.fit()
    return Trend(results, years, first, cov_type)


@rounds
def standard_errors(values: pd.Series) -> dict[str, float]:
    """The slope's standard error under each covariance type, from one fit."""
    base = fit_trend(values).results
    return {"nonrobust": float(base.bse[1]), "HC1": float(base.HC1_se[1]), "HC3": float(base.HC3_se[1])}


@rounds
def test_growth(trend: Trend, growth_pct: float, alternative: str = "two-sided") -> dict:
    """t test of the trend growth against a stated rate g, with the trend's own covariance and df.

    two-sided: H0 β = ln(1 + g). larger: H0 β ≤ ln(1 + g) against β > ln(1 + g), for a rate the
    paper states as a lower bound ("50%以上").
    """
    if alternative not in ("two-sided", "larger"):
        raise ValueError(f"alternative must be 'two-sided' or 'larger', got {alternative!r}")
    beta0 = beta_from_growth(growth_pct)
    t = (trend.beta - beta0) / trend.se
    p = 2 * stats.t.sf(abs(t), trend.df_resid) if alternative == "two-sided" else stats.t.sf(t, trend.df_resid)
    return {"growth_h0_pct": growth_pct, "beta_h0": beta0, "t": float(t), "df": trend.df_resid,
            "p": float(p), "alternative": alternative}


@rounds
def quadratic(values: pd.Series, cov_type: str = "nonrobust") -> dict:
    """ln y = α + β t + γ t²: γ > 0 means growth accelerated, γ < 0 that it slowed.

    Three observations leave no residual degrees of freedom for three coefficients; the result is
    then NaN with the reason in `note`.
    """
    try:
        fit = fit_trend(values, cov_type=cov_type, degree=2)
    except TooFewObservations as exc:
        return {"gamma": math.nan, "se": math.nan, "t": math.nan, "p": math.nan, "df": 0,
                "note": str(exc)}
    res = fit.results
    return {"gamma": float(res.params[2]), "se": float(res.bse[2]), "t": float(res.tvalues[2]),
            "p": float(res.pvalues[2]), "df": fit.df_resid, "note": ""}


@rounds
def cagr(values: pd.Series) -> dict:
    """Compound annual growth between the first and last observed years."""
    values = values.dropna().sort_index()
    first, last = int(values.index[0]), int(values.index[-1])
    return {"first_year": first, "last_year": last,
            "cagr_pct": metrics.cagr_pct(float(values.iloc[0]), float(values.iloc[-1]), last - first)}


@rounds
def leave_one_out(values: pd.Series, cov_type: str = "nonrobust") -> pd.DataFrame:
    """Refit without each year in turn; t keeps calendar distance from the full sample's first year."""
    values = values.dropna().sort_index()
    full = fit_trend(values, cov_type=cov_type)
    rows = []
    for year in values.index:
        rest = values.drop(year)
        try:
            fit = fit_trend(rest, cov_type=cov_type, first_year=full.first_year)
            growth, se = fit.growth_pct, fit.se
            se = se if fit.df_resid > 0 else math.nan
        except TooFewObservations:
            growth, se = metrics.cagr_pct(rest.iloc[0], rest.iloc[-1], rest.index[-1] - rest.index[0]), math.nan
        rows.append({"year_left_out": int(year), "n": len(rest), "growth_pct": growth,
                     "change_pp": growth - full.growth_pct, "se_beta": se})
    return pd.DataFrame(rows)


@rounds
def projection(trend: Trend, horizon: int = HORIZON, alpha: float = ALPHA) -> pd.DataFrame:
    """Extrapolate the fitted trend `horizon` years past the last observation, with (1 − alpha)
    prediction intervals for a single year's value. exp() of the log forecast is the median, not
    the mean, of a log-normal outcome."""
    last = int(trend.years[-1])
    years = np.arange(last + 1, last + horizon + 1)
    X = design(years, trend.first_year, 1)
    frame = trend.results.get_prediction(X).summary_frame(alpha=alpha)
    return pd.DataFrame({
        "year": years,
        "projected": np.exp(frame["mean"].to_numpy()),
        "pi_low": np.exp(frame["obs_ci_lower"].to_numpy()),
        "pi_high": np.exp(frame["obs_ci_upper"].to_numpy()),
    })


def _stated(stated) -> list[dict]:
    """Accept a frame or list of dicts with value_id, role, value (%), alternative."""
    if stated is None:
        return []
    rows = stated.to_dict("records") if isinstance(stated, pd.DataFrame) else list(stated)
    roles = [r["role"] for r in rows]
    if len(roles) != len(set(roles)):
        raise ValueError(f"at most one stated rate per role, got roles {roles}")
    return rows


@rounds
def summarise(values: pd.Series, cov_type: str = "nonrobust", stated=None) -> dict:
    """Everything the results table needs for one series, as a flat dict of numbers.

    `stated`: rows with value_id, role ('stated' or 'benchmark'), value (annual growth, %) and
    alternative ('two-sided' or 'larger'); each is compared with the fit and tested. Two observations
    give the endpoint growth only.
    """
    values = values.dropna().sort_index()
    out = {"n": len(values), "first_year": int(values.index[0]), "last_year": int(values.index[-1]),
           "cov_type": cov_type}
    out["cagr_pct"] = cagr(values)["cagr_pct"]
    rows = _stated(stated)
    for r in rows:
        out |= {f"{r['role']}_id": r["value_id"], f"{r['role']}_pct": float(r["value"]),
                f"{r['role']}_alternative": r["alternative"]}
    try:
        trend = fit_trend(values, cov_type=cov_type)
    except TooFewObservations as exc:
        out |= {"model": "endpoints only", "note": str(exc)}
        return out
    low, high = trend.growth_ci_pct()
    ses = standard_errors(values)
    out |= {
        "model": "log-linear trend", "note": "",
        "alpha": trend.alpha, "beta": trend.beta, "se": trend.se,
        "se_nonrobust": ses["nonrobust"], "se_HC1": ses["HC1"], "se_HC3": ses["HC3"],
        "df_resid": trend.df_resid, "t_crit": trend.t_crit(),
        "growth_pct": trend.growth_pct, "growth_ci_low_pct": low, "growth_ci_high_pct": high,
        "r2": trend.r2,
    }
    quad = quadratic(values, cov_type)
    out |= {"quad_gamma": quad["gamma"], "quad_se": quad["se"], "quad_p": quad["p"], "quad_df": quad["df"]}
    loo = leave_one_out(values, cov_type)
    out |= {"loo_growth_min_pct": float(loo["growth_pct"].min()),
            "loo_growth_max_pct": float(loo["growth_pct"].max())}
    for r in rows:
        test = test_growth(trend, float(r["value"]), r["alternative"])
        out |= {f"{r['role']}_t": test["t"], f"{r['role']}_p": test["p"]}
    return out


@rounds
def inference_by_cov_type(values: pd.Series, stated=None) -> pd.DataFrame:
    """The same regression under each covariance type, side by side (one column per type)."""
    rows = _stated(stated)
    columns = {}
    for cov in COV_TYPES:
        trend = fit_trend(values, cov_type=cov)
        low, high = trend.growth_ci_pct()
        quad = quadratic(values, cov)
        col = {"beta": trend.beta, "se": trend.se, "growth_pct": trend.growth_pct,
               "growth_ci_low_pct": low, "growth_ci_high_pct": high,
               "quad_gamma": quad["gamma"], "quad_se": quad["se"], "quad_p": quad["p"]}
        for r in rows:
            test = test_growth(trend, float(r["value"]), r["alternative"])
            col[f"{r['role']}_t"] = test["t"]
            col[f"{r['role']}_p"] = test["p"]
        columns[cov] = col
    return pd.DataFrame(columns)


# --- Tables ---------------------------------------------------------------------------------------

@rounds
def year_table(values: pd.Series, sources: pd.DataFrame, trend: Trend | None, cov_type: str = "nonrobust",
               horizon: int = HORIZON) -> pd.DataFrame:
    """One row per observed year (value, source, trend value, residual, growth without that year),
    then one row per extrapolated year (median projection and 95% prediction interval)."""
    values = values.dropna().sort_index()
    used = sources[sources["role"] == "used"].set_index("year")["source"] if len(sources) else pd.Series(dtype=str)
    confirmations = (sources[sources["role"] == "confirmation"].groupby("year").size()
                     if len(sources) else pd.Series(dtype=int))
    rows = []
    loo = leave_one_out(values, cov_type).set_index("year_left_out") if trend is not None else None
    fitted = trend.fitted() if trend is not None else None
    resid = trend.residuals() if trend is not None else None
    for year, value in values.items():
        src = used.get(year, "")
        extra = int(confirmations.get(year, 0))
        rows.append({
            "year": int(year), "type": "观测 observed", "value": float(value),
            "source": _short_source(src) + (f" (+{extra} confirming)" if extra else ""),
            "trend": float(fitted[year]) if fitted is not None else math.nan,
            "residual_x100": float(resid[year]) * 100 if resid is not None else math.nan,
            "growth_without_year_pct": float(loo.loc[year, "growth_pct"]) if loo is not None else math.nan,
            "pi_low": math.nan, "pi_high": math.nan,
        })
    if trend is not None:
        for r in projection(trend, horizon).itertuples():
            rows.append({"year": int(r.year), "type": "外推 extrapolated", "value": math.nan, "source": "",
                         "trend": r.projected, "residual_x100": math.nan,
                         "growth_without_year_pct": math.nan, "pi_low": r.pi_low, "pi_high": r.pi_high})
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


def inference_table(values: pd.Series, stated=None, chosen: str = "nonrobust") -> pd.DataFrame:
    """`inference_by_cov_type` with readable row labels; the chosen covariance type is marked."""
    wide = inference_by_cov_type(values, stated)
    rows = _stated(stated)
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


# --- Figures --------------------------------------------------------------------------------------

def _number(value: float, _pos=None) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3g}"


def plot_trend(values: pd.Series, trend: Trend | None, *, unit: str, label_zh: str, label_en: str,
               stated=None, derived_years=(), horizon: int = HORIZON):
    """Left: levels on a log scale with the fitted trend and, past the data, the extrapolated trend
    with its 95% prediction interval. Right: residuals. With two points: the points, the endpoint
    growth path and any stated growth path; no residuals exist. Years in `derived_years` (values
    computed from other releases, not published) are drawn as open circles."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, MaxNLocator, NullFormatter

    values = values.dropna().sort_index()
    rows = _stated(stated)
    if trend is None:
        fig, ax = plt.subplots(figsize=(8.4, 5.4))
        axes = [ax]
    else:
        fig, axes = plt.subplots(1, 2, figsize=(10, 5.6), gridspec_kw={"width_ratios": [1.55, 1]})
        ax = axes[0]
    years = values.index.to_numpy(dtype=int)
    derived = values.index.isin(list(derived_years))
    ax.plot(years[~derived], values.to_numpy()[~derived], "o", color="#1f1f1f", zorder=5,
            label="观测值 Observed" if not derived.any() else "公布值 Published")
    if derived.any():
        ax.plot(years[derived], values.to_numpy()[derived], "o", markerfacecolor="white",
                markeredgecolor="#1f1f1f", markeredgewidth=1.5, zorder=5, label="推算值 Derived (see table)")
    if trend is not None:
        low, high = trend.growth_ci_pct()
        ax.plot(years, trend.fitted().to_numpy(), color="#4C72B0", linewidth=2,
                label=(f"对数线性趋势 Trend {trend.growth_pct:.1f}%/yr (95% CI {low:.1f} to {high:.1f}; "
                       f"N = {trend.n}, R² = {trend.r2:.3f})"))
        proj = projection(trend, horizon)
        px = np.concatenate([[years[-1]], proj["year"].to_numpy()])
        py = np.concatenate([[trend.fitted().iloc[-1]], proj["projected"].to_numpy()])
        ax.plot(px, py, color="#4C72B0", linewidth=1.6, linestyle="--",
                label="外推（非预测）Extrapolated trend, not a forecast")
        ax.fill_between(proj["year"], proj["pi_low"], proj["pi_high"], color="#DD8452", alpha=0.25,
                        linewidth=0, label="外推的 95% 预测区间 95% prediction interval")
        ax.axvline(years[-1] + 0.5, color="#8c8c8c", linestyle=":", linewidth=1)
        ax.text(years[-1] + 0.6, 0.97, "外推 extrapolation →", transform=ax.get_xaxis_transform(),
                fontsize=8, color="#555555", va="top")
    growth = cagr(values)["cagr_pct"]
    ax.plot([years[0], years[-1]], [values.iloc[0], values.iloc[-1]], color="#8172B3", linewidth=1.2,
            linestyle=(0, (1, 1)) if trend is not None else "-",
            label=f"端点复合增速 Endpoint CAGR {growth:.1f}%/yr ({years[0]}–{years[-1]})")
    styles = {"stated": ("#C44E52", "-.", "原文所述 Stated"), "benchmark": ("#55A868", "--", "比较基准 Benchmark")}
    for r in rows:
        color, style, name = styles[r["role"]]
        g = float(r["value"]) / 100
        span = np.arange(years[0], years[-1] + 1)
        path = values.iloc[0] * (1 + g) ** (span - years[0])
        sign = "≥" if r["alternative"] == "larger" else ""
        who = "" if r["role"] == "stated" else f"{r['entity']}, "
        ax.plot(span, path, color=color, linewidth=1.4, linestyle=style,
                label=f"{name} {who}{sign}{r['value']:g}%/yr, path from {years[0]} value")
    if trend is None:
        for x, y in zip(years, values.to_numpy()):
            ax.annotate(_number(y), (x, y), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=9)
    ax.set_yscale("log")
    low_y, high_y = ax.get_ylim()
    if high_y / low_y < 30:
        # A narrow log range gets one or two decade ticks at most; use round linear values instead.
        ticks = MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(low_y, high_y)
        ax.yaxis.set_major_locator(FixedLocator([t for t in ticks if low_y <= t <= high_y and t > 0]))
    else:
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(_number))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylabel(f"{unit}（对数刻度 log scale）")
    ax.set_xlabel("年份 Year")
    all_years = np.arange(years[0], (years[-1] + horizon if trend is not None else years[-1]) + 1)
    ax.set_xticks(all_years)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title(f"{label_zh} {label_en}", fontsize=10.5)
    # Below the plots, not on them: the extrapolation band and the data fill different corners per series.
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=2 if trend is not None else 1,
               fontsize=8.5, frameon=False, columnspacing=1.2, handlelength=2.2)
    if trend is not None:
        rax = axes[1]
        resid = trend.residuals() * 100
        colors = ["#4C72B0" if r >= 0 else "#8c8c8c" for r in resid]
        rax.bar(resid.index.astype(int), resid.to_numpy(), color=colors, width=0.55)
        rax.axhline(0, color="#1f1f1f", linewidth=0.8)
        for x, r in resid.items():
            rax.annotate(f"{r:+.1f}", (x, r), xytext=(0, 3 if r >= 0 else -3), textcoords="offset points",
                         ha="center", va="bottom" if r >= 0 else "top", fontsize=8)
        lim = max(abs(resid).max() * 1.35, 1.0)
        rax.set_ylim(-lim, lim)
        rax.set_xticks(years)
        rax.tick_params(axis="x", labelsize=8)
        rax.set_xlabel("年份 Year")
        rax.set_ylabel("100 × (ln y − 趋势 trend)")
        rax.set_title("残差 Residuals (≈ % above or below trend)", fontsize=10.5)
        rax.grid(axis="x", visible=False)
    rows_of_legend = math.ceil(len(labels) / 2) if trend is not None else len(labels)
    fig.tight_layout(rect=(0, 0.05 * rows_of_legend, 1, 1))
    return fig


# --- The combined table (tab_r1) ------------------------------------------------------------------

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


def _f(value, fmt: str) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else fmt.format(value)


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
    return f"{p:.3f}{side}"


def combined_column(row: dict) -> dict[str, str]:
    """One series' column of the combined table, as printed strings."""
    fitted = row.get("model") == "log-linear trend"
    stated_sign = "≥" if row.get("stated_alternative") == "larger" else ""
    col = {
        "beta": _f(_get(row, "beta"), "{:.4f}") if fitted else "—",
        "se": f"({_get(row, 'se'):.4f})" if fitted else "—",
        "se_HC3": f"[{_get(row, 'se_HC3'):.4f}]" if fitted else "—",
        "growth": _f(_get(row, "growth_pct"), "{:.1f}") if fitted else "—",
        "ci": (f"[{_get(row, 'growth_ci_low_pct'):.1f}, {_get(row, 'growth_ci_high_pct'):.1f}]"
               if fitted else "—"),
        "cagr": _f(_get(row, "cagr_pct"), "{:.1f}"),
        "stated": (f"{stated_sign}{_get(row, 'stated_pct'):g}"
                   if not (isinstance(_get(row, "stated_pct"), float) and math.isnan(_get(row, "stated_pct")))
                   else "—"),
        "stated_p": _p(row, "stated") if fitted else "—",
        "benchmark": (f"{_get(row, 'benchmark_pct'):g}"
                      if not (isinstance(_get(row, "benchmark_pct"), float)
                              and math.isnan(_get(row, "benchmark_pct"))) else "—"),
        "benchmark_p": _p(row, "benchmark") if fitted else "—",
        "quad": (f"{_get(row, 'quad_gamma'):+.4f} ({_get(row, 'quad_p'):.3f})"
                 if fitted and not math.isnan(float(_get(row, "quad_gamma"))) else "—"),
        "loo": (f"{_get(row, 'loo_growth_min_pct'):.1f} to {_get(row, 'loo_growth_max_pct'):.1f}"
                if fitted else "—"),
        "n": f"{int(row['n'])}",
        "years": str(row["years"]),
        "r2": _f(_get(row, "r2"), "{:.3f}") if fitted else "—",
        "df": f"{int(float(row['df_resid']))}" if fitted else "0",
    }
    return col


def combined_table(results: pd.DataFrame) -> pd.DataFrame:
    """Rows: statistics; columns: series (by series_id), in the order of `results`."""
    columns = {r["series_id"]: combined_column(r) for r in results.to_dict("records")}
    table = pd.DataFrame(columns).reindex([key for key, _ in COMBINED_ROWS])
    table.insert(0, "statistic", [label for _, label in COMBINED_ROWS])
    return table.reset_index(drop=True)
