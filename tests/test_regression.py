"""Known-answer tests for the growth regressions: exact series, numpy's polyfit, and hand-computed
classical, HC1 and HC3 standard errors, intervals and tests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from outsourcing_repro import regression, tables_regression
from outsourcing_repro.precision import SIGNIFICANT_DIGITS

# The package rounds what it returns to SIGNIFICANT_DIGITS (precision.py), so a known answer agrees
# to about that many digits, and one recomputed here from two rounded results to a little fewer.
REL = 10.0 ** (2 - SIGNIFICANT_DIGITS)

# A small noisy series with a gap (2017 missing), so calendar time is not the row number.
NOISY = pd.Series([100.0, 131.0, 160.0, 171.0, 205.0, 262.0], index=[2015, 2016, 2018, 2019, 2020, 2021])


def hand_ols(values: pd.Series):
    """OLS of ln(y) on [1, year − first] by the normal equations, nothing from the package."""
    t = values.index.to_numpy(dtype=float) - values.index[0]
    X = np.column_stack([np.ones_like(t), t])
    y = np.log(values.to_numpy())
    XtX_inv = np.linalg.inv(X.T @ X)
    b = XtX_inv @ X.T @ y
    e = y - X @ b
    return X, y, b, e, XtX_inv


def test_exact_exponential_series_gives_log_of_growth_and_r2_one():
    years = np.arange(2010, 2016)
    values = pd.Series(50.0 * 1.25 ** (years - 2010), index=years)
    trend = regression.fit_trend(values)
    assert trend.beta == pytest.approx(math.log(1.25), rel=REL)
    assert trend.alpha == pytest.approx(math.log(50.0), rel=REL)
    assert trend.growth_pct == pytest.approx(25.0, rel=REL)
    assert trend.r2 == pytest.approx(1.0, rel=REL)
    assert np.allclose(trend.residuals().to_numpy(), 0.0, atol=10.0**-SIGNIFICANT_DIGITS)


def test_slope_and_intercept_match_numpy_polyfit_on_logs_with_a_gap_year():
    slope, intercept = np.polyfit(NOISY.index.to_numpy() - 2015, np.log(NOISY.to_numpy()), 1)
    trend = regression.fit_trend(NOISY)
    assert trend.beta == pytest.approx(slope, rel=REL)
    assert trend.alpha == pytest.approx(intercept, rel=REL)
    assert trend.n == 6 and trend.df_resid == 4
    assert trend.growth_pct == pytest.approx((math.exp(slope) - 1) * 100, rel=REL)


def test_classical_standard_error_and_r2_by_hand():
    _X, y, _b, e, XtX_inv = hand_ols(NOISY)
    sigma2 = e @ e / (len(y) - 2)
    trend = regression.fit_trend(NOISY)
    assert trend.se == pytest.approx(math.sqrt(sigma2 * XtX_inv[1, 1]), rel=REL)
    r2 = 1 - (e @ e) / np.sum((y - y.mean()) ** 2)
    assert trend.r2 == pytest.approx(r2, rel=REL)


def test_hc1_and_hc3_match_the_hand_computed_sandwich_on_a_tiny_example():
    tiny = pd.Series([10.0, 13.0, 15.0, 21.0], index=[2000, 2001, 2002, 2003])
    X, _y, _b, e, XtX_inv = hand_ols(tiny)
    n, k = X.shape
    meat0 = X.T @ np.diag(e**2) @ X
    hc1 = XtX_inv @ meat0 @ XtX_inv * n / (n - k)
    h = np.einsum("ij,jk,ik->i", X, XtX_inv, X)  # leverages
    meat3 = X.T @ np.diag(e**2 / (1 - h) ** 2) @ X
    hc3 = XtX_inv @ meat3 @ XtX_inv
    ses = regression.standard_errors(tiny)
    assert ses["HC1"] == pytest.approx(math.sqrt(hc1[1, 1]), rel=REL)
    assert ses["HC3"] == pytest.approx(math.sqrt(hc3[1, 1]), rel=REL)
    # the fit under each covariance reports the same numbers
    assert regression.fit_trend(tiny, "HC1").se == pytest.approx(math.sqrt(hc1[1, 1]), rel=REL)
    assert regression.fit_trend(tiny, "HC3").se == pytest.approx(math.sqrt(hc3[1, 1]), rel=REL)


@pytest.mark.parametrize("cov_type", regression.COV_TYPES)
def test_growth_interval_uses_student_t_with_n_minus_2_df(cov_type):
    trend = regression.fit_trend(NOISY, cov_type)
    crit = stats.t.ppf(0.975, len(NOISY) - 2)
    low, high = trend.growth_ci_pct()
    assert low == pytest.approx((math.exp(trend.beta - crit * trend.se) - 1) * 100, rel=REL)
    assert high == pytest.approx((math.exp(trend.beta + crit * trend.se) - 1) * 100, rel=REL)
    assert trend.t_crit() == pytest.approx(crit)


def test_t_test_against_a_stated_rate_two_sided_and_one_sided():
    _X, y, b, e, XtX_inv = hand_ols(NOISY)
    se = math.sqrt(e @ e / (len(y) - 2) * XtX_inv[1, 1])
    t = (b[1] - math.log(1.20)) / se
    trend = regression.fit_trend(NOISY)
    two = regression.test_growth(trend, 20.0)
    assert two["t"] == pytest.approx(t, rel=REL)
    assert two["p"] == pytest.approx(2 * stats.t.sf(abs(t), 4), rel=REL)
    one = regression.test_growth(trend, 20.0, alternative="larger")
    assert one["p"] == pytest.approx(stats.t.sf(t, 4), rel=REL)
    # testing the estimate itself gives t = 0 and p = 1 (two-sided) or 0.5 (one-sided)
    at_estimate = regression.test_growth(trend, trend.growth_pct)
    assert at_estimate["t"] == pytest.approx(0.0, abs=REL) and at_estimate["p"] == pytest.approx(1.0)
    assert regression.test_growth(trend, trend.growth_pct, "larger")["p"] == pytest.approx(0.5)
    # a rate far above the estimate is not exceeded: one-sided p near 1
    assert regression.test_growth(trend, 50.0, alternative="larger")["p"] > 0.99
    with pytest.raises(ValueError):
        regression.test_growth(trend, 20.0, alternative="less")


def test_quadratic_term_matches_polyfit_and_has_no_test_with_three_points():
    gamma, _slope, _intercept = np.polyfit(NOISY.index.to_numpy() - 2015, np.log(NOISY.to_numpy()), 2)
    quad = regression.quadratic(NOISY)
    assert quad["gamma"] == pytest.approx(gamma, rel=REL)
    assert quad["df"] == 3
    assert 0 < quad["p"] < 1
    three = regression.quadratic(NOISY.iloc[:3])
    assert math.isnan(three["gamma"]) and three["df"] == 0 and "degrees of freedom" in three["note"]


def test_an_accelerating_series_has_a_positive_quadratic_term():
    years = np.arange(2000, 2008)
    t = years - 2000
    wiggle = np.array([0.01, -0.01, 0.0, 0.01, -0.01, 0.0, 0.01, -0.01])
    values = pd.Series(np.exp(2.0 + 0.05 * t + 0.02 * t**2 + wiggle), index=years)
    quad = regression.quadratic(values)
    assert quad["gamma"] > 0 and quad["p"] < 0.01


def test_two_points_give_endpoint_growth_and_no_regression():
    two = pd.Series([13.1, 46.5], index=[2016, 2023])
    with pytest.raises(regression.TooFewObservations, match="degrees of freedom"):
        regression.fit_trend(two)
    summary = regression.summarise(
        two, stated=[{"value_id": "a_x", "role": "stated", "value": 29.3, "alternative": "two-sided"}]
    )
    assert summary["model"] == "endpoints only"
    assert summary["cagr_pct"] == pytest.approx(((46.5 / 13.1) ** (1 / 7) - 1) * 100)
    assert summary["stated_pct"] == 29.3
    assert "beta" not in summary and "stated_p" not in summary


def test_leave_one_out_refits_on_each_subset():
    loo = regression.leave_one_out(NOISY)
    assert list(loo["year_left_out"]) == list(NOISY.index)
    for row in loo.itertuples():
        rest = NOISY.drop(row.year_left_out)
        slope = np.polyfit(rest.index.to_numpy(dtype=float), np.log(rest.to_numpy()), 1)[0]
        assert row.growth_pct == pytest.approx((math.exp(slope) - 1) * 100, rel=REL)
        assert row.n == len(NOISY) - 1


def test_projection_and_prediction_interval_by_hand():
    _X, y, b, e, XtX_inv = hand_ols(NOISY)
    sigma2 = e @ e / (len(y) - 2)
    crit = stats.t.ppf(0.975, len(y) - 2)
    trend = regression.fit_trend(NOISY)
    proj = regression.projection(trend, horizon=3)
    assert list(proj["year"]) == [2022, 2023, 2024]
    for row in proj.itertuples():
        x0 = np.array([1.0, row.year - 2015])
        mean = x0 @ b
        se_pred = math.sqrt(sigma2 * (1 + x0 @ XtX_inv @ x0))
        assert row.projected == pytest.approx(math.exp(mean), rel=REL)
        assert row.pi_low == pytest.approx(math.exp(mean - crit * se_pred), rel=REL)
        assert row.pi_high == pytest.approx(math.exp(mean + crit * se_pred), rel=REL)
    # the interval widens the further out it goes
    widths = np.log(proj["pi_high"]) - np.log(proj["pi_low"])
    assert widths.is_monotonic_increasing


def test_year_table_has_observed_and_extrapolated_rows_and_residuals_sum_to_zero():
    sources = pd.DataFrame({"year": NOISY.index, "role": "used", "source": [f"id_{y}" for y in NOISY.index]})
    table = tables_regression.year_table(regression.fit(NOISY), sources)
    observed = table[table["type"].str.contains("observed")]
    assert len(observed) == len(NOISY)
    assert (table["type"].str.contains("extrapolated")).sum() == regression.HORIZON
    assert observed["residual_x100"].sum() == pytest.approx(0.0, abs=REL)  # OLS with an intercept
    assert observed["value"].tolist() == NOISY.tolist()


def test_summary_reports_all_three_standard_errors_and_the_chosen_one():
    summary = regression.summarise(NOISY, "HC3")
    assert summary["se"] == pytest.approx(summary["se_HC3"])
    assert summary["se_nonrobust"] != pytest.approx(summary["se_HC3"])
    wide = regression.inference_by_cov_type(NOISY)
    assert list(wide.columns) == list(regression.COV_TYPES)
    assert wide.loc["beta"].nunique() == 1  # point estimates do not depend on the covariance


def test_combined_table_prints_se_in_parentheses_and_dashes_for_endpoint_series():
    fitted = {"series_id": "s1", "model": "log-linear trend", "n": 6, "years": "2015–2021"} | {
        k: v for k, v in regression.summarise(NOISY).items() if k not in ("n",)
    }
    endpoints = {"series_id": "s2", "years": "2016, 2023"} | regression.summarise(
        pd.Series([13.1, 46.5], index=[2016, 2023])
    )
    table = tables_regression.combined_table(pd.DataFrame([fitted, endpoints])).set_index("statistic")
    se_row = table.iloc[[k for k, _ in tables_regression.COMBINED_ROWS].index("se")]
    assert se_row["s1"] == f"({fitted['se']:.4f})"
    assert se_row["s2"] == "—"
    cagr_row = table.iloc[[k for k, _ in tables_regression.COMBINED_ROWS].index("cagr")]
    assert cagr_row["s2"] == f"{((46.5 / 13.1) ** (1 / 7) - 1) * 100:.1f}"


def test_one_fit_serves_every_covariance_type(monkeypatch):
    # The log-linear and the quadratic trend are each fitted by OLS once; the leave-one-out refits
    # (one per year) are the only other fits, however many tables read the result.
    import statsmodels.api as sm

    calls = []
    real = sm.OLS.fit
    monkeypatch.setattr(sm.OLS, "fit", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    result = regression.fit(NOISY, "HC3")
    result.row(), result.inference(), tables_regression.inference_table(result)
    assert len(calls) == 2 + len(NOISY)
    # Robust errors from that one fit equal statsmodels' own robust fit of the same model.
    X = regression.design(NOISY.index, int(NOISY.index[0]))
    direct = sm.OLS(np.log(NOISY.to_numpy()), X).fit(cov_type="HC3", use_t=True)
    assert result.trends["HC3"].se == pytest.approx(float(direct.bse[1]), rel=REL)
