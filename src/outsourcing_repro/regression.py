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

    results: object  # statsmodels RegressionResults (with the chosen covariance)
    years: np.ndarray
    first_year: int
    cov_type: str
    base: object = None  # the same fit with the classical covariance (None: `results` is it)

    def under(self, cov_type: str) -> Trend:
        """The same OLS fit with another covariance: no refit, only the standard errors change."""
        base = self.base if self.base is not None else self.results
        if cov_type not in COV_TYPES:
            raise ValueError(f"cov_type must be one of {COV_TYPES}, got {cov_type!r}")
        results = base if cov_type == "nonrobust" else base.get_robustcov_results(cov_type=cov_type, use_t=True)
        return Trend(results, self.years, self.first_year, cov_type, base)

    @property
    def n(self) -> int:
        return int(self.results.nobs)

    @property
    def df_resid(self) -> int:
        return round(self.results.df_resid)

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
    return np.column_stack([t**k for k in range(degree + 1)])


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


def fit_trend(values: pd.Series, cov_type: str = "nonrobust", degree: int = 1, first_year: int | None = None) -> Trend:
    """OLS of ln(values) on a polynomial in t = year − first year (degree 1: the growth trend)."""
    if cov_type not in COV_TYPES:
        raise ValueError(f"cov_type must be one of {COV_TYPES}, got {cov_type!r}")
    values = _check(values, degree + 1)
    years = values.index.to_numpy(dtype=int)
    first = int(years[0]) if first_year is None else int(first_year)
    X = design(years, first, degree)
    y = np.log(values.to_numpy(dtype=float))
    return Trend(sm.OLS(y, X).fit(), years, first, "nonrobust").under(cov_type)


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
    return {
        "growth_h0_pct": growth_pct,
        "beta_h0": beta0,
        "t": float(t),
        "df": trend.df_resid,
        "p": float(p),
        "alternative": alternative,
    }


@rounds
def quadratic(values: pd.Series, cov_type: str = "nonrobust") -> dict:
    """ln y = α + β t + γ t²: γ > 0 means growth accelerated, γ < 0 that it slowed.

    Three observations leave no residual degrees of freedom for three coefficients; the result is
    then NaN with the reason in `note`.
    """
    try:
        fit = fit_trend(values, degree=2)
    except TooFewObservations as exc:
        return _no_quadratic(str(exc))
    return _quadratic_terms(fit.under(cov_type))


def _no_quadratic(note: str) -> dict:
    return {"gamma": math.nan, "se": math.nan, "t": math.nan, "p": math.nan, "df": 0, "note": note}


@rounds
def _quadratic_terms(fit: Trend) -> dict:
    res = fit.results
    return {
        "gamma": float(res.params[2]),
        "se": float(res.bse[2]),
        "t": float(res.tvalues[2]),
        "p": float(res.pvalues[2]),
        "df": fit.df_resid,
        "note": "",
    }


@rounds
def cagr(values: pd.Series) -> dict:
    """Compound annual growth between the first and last observed years."""
    values = values.dropna().sort_index()
    first, last = int(values.index[0]), int(values.index[-1])
    return {
        "first_year": first,
        "last_year": last,
        "cagr_pct": metrics.cagr_pct(float(values.iloc[0]), float(values.iloc[-1]), last - first),
    }


@rounds
def leave_one_out(values: pd.Series, cov_type: str = "nonrobust", full: Trend | None = None) -> pd.DataFrame:
    """Refit without each year in turn; t keeps calendar distance from the full sample's first year."""
    values = values.dropna().sort_index()
    full = full if full is not None else fit_trend(values, cov_type=cov_type)
    rows = []
    for year in values.index:
        rest = values.drop(year)
        try:
            fit = fit_trend(rest, cov_type=cov_type, first_year=full.first_year)
            growth, se = fit.growth_pct, fit.se
            se = se if fit.df_resid > 0 else math.nan
        except TooFewObservations:
            growth, se = metrics.cagr_pct(rest.iloc[0], rest.iloc[-1], rest.index[-1] - rest.index[0]), math.nan
        rows.append(
            {
                "year_left_out": int(year),
                "n": len(rest),
                "growth_pct": growth,
                "change_pp": growth - full.growth_pct,
                "se_beta": se,
            }
        )
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
    return pd.DataFrame(
        {
            "year": years,
            "projected": np.exp(frame["mean"].to_numpy()),
            "pi_low": np.exp(frame["obs_ci_lower"].to_numpy()),
            "pi_high": np.exp(frame["obs_ci_upper"].to_numpy()),
        }
    )


def _stated(stated) -> list[dict]:
    """Accept a frame or list of dicts with value_id, role, value (%), alternative."""
    if stated is None:
        return []
    rows = stated.to_dict("records") if isinstance(stated, pd.DataFrame) else list(stated)
    roles = [r["role"] for r in rows]
    if len(roles) != len(set(roles)):
        raise ValueError(f"at most one stated rate per role, got roles {roles}")
    return rows


@dataclass
class Fit:
    """One series' regressions, each fitted once: the log-linear trend (one OLS fit, read under each
    covariance type), the quadratic trend, the leave-one-year-out refits and the tests of the stated
    rates. Tables, figures and text read this object; `row()` is its flat form for the results CSV."""

    values: pd.Series
    cov_type: str
    stated: list[dict]
    trends: dict[str, Trend]  # empty when there are too few observations
    quadratics: dict[str, dict]
    loo: pd.DataFrame | None
    note: str = ""

    @property
    def fitted(self) -> bool:
        return bool(self.trends)

    @property
    def trend(self) -> Trend | None:
        return self.trends.get(self.cov_type)

    @property
    def cagr_pct(self) -> float:
        return cagr(self.values)["cagr_pct"]

    def projection(self, horizon: int | None = None) -> pd.DataFrame:
        """The trend extrapolated `horizon` years (default HORIZON) past the last observation."""
        return projection(self.trend, HORIZON if horizon is None else horizon)

    def test(self, row: dict, cov_type: str | None = None) -> dict:
        return test_growth(self.trends[cov_type or self.cov_type], float(row["value"]), row["alternative"])

    @rounds
    def row(self) -> dict:
        """Everything the results table needs for one series, as a flat dict of numbers."""
        values = self.values
        out = {
            "n": len(values),
            "first_year": int(values.index[0]),
            "last_year": int(values.index[-1]),
            "cov_type": self.cov_type,
            "cagr_pct": self.cagr_pct,
        }
        for r in self.stated:
            out |= {
                f"{r['role']}_id": r["value_id"],
                f"{r['role']}_pct": float(r["value"]),
                f"{r['role']}_alternative": r["alternative"],
            }
        if not self.fitted:
            return out | {"model": "endpoints only", "note": self.note}
        trend = self.trend
        low, high = trend.growth_ci_pct()
        quad = self.quadratics[self.cov_type]
        out |= {
            "model": "log-linear trend",
            "note": "",
            "alpha": trend.alpha,
            "beta": trend.beta,
            "se": trend.se,
            **{f"se_{c}": self.trends[c].se for c in COV_TYPES},
            "df_resid": trend.df_resid,
            "t_crit": trend.t_crit(),
            "growth_pct": trend.growth_pct,
            "growth_ci_low_pct": low,
            "growth_ci_high_pct": high,
            "r2": trend.r2,
            "quad_gamma": quad["gamma"],
            "quad_se": quad["se"],
            "quad_p": quad["p"],
            "quad_df": quad["df"],
            "loo_growth_min_pct": float(self.loo["growth_pct"].min()),
            "loo_growth_max_pct": float(self.loo["growth_pct"].max()),
        }
        for r in self.stated:
            test = self.test(r)
            out |= {f"{r['role']}_t": test["t"], f"{r['role']}_p": test["p"]}
        return out

    @rounds
    def inference(self) -> pd.DataFrame:
        """The same regression under each covariance type, side by side (one column per type)."""
        columns = {}
        for cov in COV_TYPES:
            trend, quad = self.trends[cov], self.quadratics[cov]
            low, high = trend.growth_ci_pct()
            col = {
                "beta": trend.beta,
                "se": trend.se,
                "growth_pct": trend.growth_pct,
                "growth_ci_low_pct": low,
                "growth_ci_high_pct": high,
                "quad_gamma": quad["gamma"],
                "quad_se": quad["se"],
                "quad_p": quad["p"],
            }
            for r in self.stated:
                test = self.test(r, cov)
                col[f"{r['role']}_t"] = test["t"]
                col[f"{r['role']}_p"] = test["p"]
            columns[cov] = col
        return pd.DataFrame(columns)


def fit(values: pd.Series, cov_type: str = "nonrobust", stated=None) -> Fit:
    """Fit every regression of one series once.

    `stated`: rows with value_id, role ('stated' or 'benchmark'), value (annual growth, %) and
    alternative ('two-sided' or 'larger'); each is compared with the fit and tested. Two observations
    give the endpoint growth only.
    """
    if cov_type not in COV_TYPES:
        raise ValueError(f"cov_type must be one of {COV_TYPES}, got {cov_type!r}")
    values = values.dropna().sort_index()
    rows = _stated(stated)
    try:
        base = fit_trend(values)
    except TooFewObservations as exc:
        return Fit(values, cov_type, rows, {}, {}, None, str(exc))
    trends = {cov: base.under(cov) for cov in COV_TYPES}
    try:
        quad_base = fit_trend(values, degree=2)
        quads = {cov: _quadratic_terms(quad_base.under(cov)) for cov in COV_TYPES}
    except TooFewObservations as exc:
        quads = {cov: _no_quadratic(str(exc)) for cov in COV_TYPES}
    loo = leave_one_out(values, cov_type, full=trends[cov_type])
    return Fit(values, cov_type, rows, trends, quads, loo)


def summarise(values: pd.Series, cov_type: str = "nonrobust", stated=None) -> dict:
    """`fit(...).row()`: the flat results row of one series."""
    return fit(values, cov_type, stated).row()


@rounds
def inference_by_cov_type(values: pd.Series, stated=None) -> pd.DataFrame:
    """`fit(...).inference()`: the regression under each covariance type."""
    return fit(values, stated=stated).inference()
