# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: outsourcing-repro
#     language: python
#     name: outsourcing-repro
# ---

# %% [markdown]
# ### 增长回归：单一序列的对数线性趋势 · Growth regression: the log-linear trend of one series
#
# ln(y_t) = α + β·t + ε with t = year − first year, by OLS (statsmodels); exp(β) − 1 is the trend
# growth per year. One notebook serves every series: `series`, `start_year`, `end_year` and
# `cov_type` are parameters, and `make` runs it once per series of outline.yml. Intervals and
# tests use Student's t with N − 2 degrees of freedom; classical, HC1 and HC3 standard errors are
# shown side by side. Selection rules for each series are in `outsourcing_repro.series` (MOFCOM rows: `series_mofcom`).

# %% tags=["parameters"]
series: str = "wenzhou_offshore_execution"  # one of the outline's series
start_year: int = 2013  # first year used; range: 2013..2023
end_year: int = 2023  # last year used; range: 2013..2023
cov_type: str = "nonrobust"  # covariance for the reported SE, CI and tests; one of: nonrobust, HC1, HC3
data: str = "data/raw/paper_b_values.csv"  # input: the series' data file (outline.yml names it per series)
results: str = "build/reg_growth/results.csv"  # output: one-row results for tab_r1; the outline passes reports/tables/reg_growth_<series>.csv
figure: str = "build/reg_growth/figure.png"  # output: PNG output (SVG beside it); the outline passes reports/figures/reg_growth_<series>.png
notebook_name: str = "reg_growth"  # used in the source line

# %%
import math
from pathlib import Path

import pandas as pd
from IPython.display import display

from outsourcing_repro import figures_regression, number, plotting, present, regression, tables_regression
from outsourcing_repro import series as catalog
from outsourcing_repro.present import esc

plotting.setup()
if start_year > end_year:
    raise ValueError(f"start_year {start_year} is after end_year {end_year}")
full, data_file = catalog.load_files(series, paper_a_values=data, paper_b_values=data, mofcom=data)
data = full.window(start_year, end_year)
spec, values = data.spec, data.values
if len(values) < 2:
    raise ValueError(f"{series}: {len(values)} observation(s) in {start_year}–{end_year}; growth needs two")
result = regression.fit(values, cov_type, data.stated)  # every regression of this series, fitted once
summary = result.row()
fitted, trend = result.fitted, result.trend
section = data.stated["section"].iloc[0] if len(data.stated) else None
claims = list(data.stated["value_id"])
stem = Path(results).with_suffix("")
display(present.note(f"<h4 class='series-title'>{esc(spec.label_zh)} · {esc(spec.label_en)} ({esc(spec.unit)})</h4>"))

# %% [markdown]
# #### 数据 · The series and where each value comes from

# %%
span = f"{spec.span[0]}–{spec.span[1]}"
missing = catalog.describe_years(data.missing_years) if data.missing_years else "none"
excluded = data.excluded if data.excluded is not None else None
excluded_text = ""
if excluded is not None and len(excluded):
    excluded_text = (
        " Left out: "
        + "; ".join(
            f"{int(r.year)} {number.as_printed(r.value)} {esc(r.unit)}: {esc(r.why)}" for r in excluded.itertuples()
        )
        + "."
    )
notes = "".join(f"<li>{esc(n)}</li>" for n in data.notes)
display(
    present.note(
        f"<p><strong>{esc(spec.label_zh)}</strong> · {esc(spec.label_en)}, in {esc(spec.unit)}. "
        f"Years used: {esc(catalog.describe_years(values.index))} (N = {len(values)}, window "
        f"{start_year}–{end_year}). Years of the series' span {span} with no value: {esc(missing)}."
        f"{excluded_text}</p>" + (f"<ul>{notes}</ul>" if notes else "")
    )
)
by_year = tables_regression.year_table(result, data.sources)
shown = by_year.rename(
    columns={
        "year": "年份 Year",
        "type": "类型 Type",
        "value": f"数值 Value ({spec.unit})",
        "source": "来源 Source",
        "trend": "趋势值 Trend",
        "residual_x100": "残差×100 Residual×100",
        "growth_without_year_pct": "去掉该年后增速 Growth without this year, %",
        "pi_low": "95% 预测区间下限 PI low",
        "pi_high": "95% 预测区间上限 PI high",
    }
)
if not fitted:
    shown = shown.drop(columns=[c for c in shown.columns if c.startswith(("趋势", "残差", "去掉", "95%"))])
formats = {
    f"数值 Value ({spec.unit})": "{:,.7g}",
    "趋势值 Trend": "{:,.1f}",
    "残差×100 Residual×100": "{:+.1f}",
    "去掉该年后增速 Growth without this year, %": "{:.1f}",
    "95% 预测区间下限 PI low": "{:,.1f}",
    "95% 预测区间上限 PI high": "{:,.1f}",
}
display(
    present.table(
        shown,
        tab_id=f"tab-{notebook_name}-years",
        label_zh=None,
        title_zh=f"{spec.label_zh}：逐年数据、趋势值与外推" if fitted else f"{spec.label_zh}：数据",
        title_en=(
            f"{spec.label_en}: data by year, trend, leave-one-year-out growth and a {regression.HORIZON}-year "
            "extrapolation"
            if fitted
            else f"{spec.label_en}: the values"
        ),
        section=section,
        data_files=[data_file],
        notebook=notebook_name,
        csv_path=f"{stem}_by_year.csv",
        formats={k: v for k, v in formats.items() if k in shown.columns},
        note=(
            "Rows marked 外推 extrapolated continue the fitted trend; they are not a forecast and assume the "
            "trend of the sample years simply goes on. The projection is exp() of the log trend, i.e. a median. "
            "Residual×100 is the log gap from trend, roughly the percent above (+) or below (−) it."
            if fitted
            else "Two observations: no trend is fitted (see below)."
        ),
    )
)

# %% [markdown]
# #### 估计与检验 · Estimates and tests

# %%
cagr = summary["cagr_pct"]
first, last = summary["first_year"], summary["last_year"]
stated_rows = data.stated.to_dict("records")


def stated_sentence(row) -> str:
    sign = "at least " if row["alternative"] == "larger" else ""
    who = (
        "the paper's stated average growth of"
        if row["role"] == "stated"
        else f"the benchmark named by the paper ({esc(row['entity'])}),"
    )
    text = f"{who} {sign}{row['value']:g}% (<code>{esc(row['value_id'])}</code>, “{esc(row['quote'])}”)"
    if not fitted:
        years_at_stated = math.log(values.iloc[-1] / values.iloc[0]) / math.log1p(row["value"] / 100)
        return text + (
            f": the endpoint growth is {cagr - row['value']:+.1f} points from it. At "
            f"{row['value']:g}% a year, {number.as_printed(values.iloc[0])} grows to "
            f"{number.as_printed(values.iloc[-1])} in {years_at_stated:.1f} years, not {last - first}"
        )
    p = summary[f"{row['role']}_p"]
    t = summary[f"{row['role']}_t"]
    if row["alternative"] == "larger":
        # A one-sided test has no two-sided interval to compare with; say only the test.
        return text + (
            f"; one-sided test of H0: growth ≤ {row['value']:g}% against growth > "
            f"{row['value']:g}%: t = {t:.2f}, p = {p:.3f}"
        )
    inside = summary["growth_ci_low_pct"] <= row["value"] <= summary["growth_ci_high_pct"]
    return text + (
        f"; two-sided test of H0: growth = {row['value']:g}%: t = {t:.2f}, p = {p:.3f} "
        f"({'inside' if inside else 'outside'} the 95% interval)"
    )


if fitted:
    low, high = summary["growth_ci_low_pct"], summary["growth_ci_high_pct"]
    direction = "sped up" if summary["quad_gamma"] > 0 else "slowed"
    verdict = (
        "significant at the 5% level"
        if summary["quad_p"] < 0.05
        else "not distinguishable from a constant rate at the 5% level"
    )
    quad_text = (
        f"Did growth accelerate? A quadratic trend gives γ = {summary['quad_gamma']:+.4f} "
        f"(SE {summary['quad_se']:.4f}, p = {summary['quad_p']:.3f}, {summary['quad_df']} residual df): "
        f"the sign says growth {direction}; it is {verdict}."
        if summary["quad_df"] > 0
        else f"A quadratic trend cannot be tested: {len(values)} observations and three coefficients leave no "
        "residual degrees of freedom."
    )
    stated_text = "".join(f"<li>Compared with {stated_sentence(r)}.</li>" for r in stated_rows)
    display(
        present.note(
            f"<p>Trend growth is <strong>{summary['growth_pct']:.1f}%</strong> a year (β = {summary['beta']:.4f}, "
            f"SE {summary['se']:.4f} [{esc(cov_type)}]; 95% CI {low:.1f}% to {high:.1f}%, t with "
            f"{summary['df_resid']} df, critical value {summary['t_crit']:.2f}); R² = {summary['r2']:.3f}, "
            f"N = {summary['n']}. The compound rate between the endpoints {first} and {last} is {cagr:.1f}%, "
            f"{summary['growth_pct'] - cagr:+.1f} points from the trend, which also weighs the years between.</p>"
            f"<ul>{stated_text}<li>{quad_text}</li>"
            f"<li>Leaving out one year at a time moves trend growth between "
            f"{summary['loo_growth_min_pct']:.1f}% and {summary['loo_growth_max_pct']:.1f}%.</li></ul>"
        )
    )
    inference = tables_regression.inference_table(result)
    number_columns = [c for c in inference.columns if c != "statistic"]
    se_range = (
        min(summary[f"se_{c}"] for c in regression.COV_TYPES),
        max(summary[f"se_{c}"] for c in regression.COV_TYPES),
    )
    display(
        present.table(
            inference,
            tab_id=f"tab-{notebook_name}-inference",
            label_zh=None,
            title_zh=f"{spec.label_zh}：三种标准误下的估计与检验",
            title_en=f"{spec.label_en}: estimates and tests under classical, HC1 and HC3 standard errors",
            section=section,
            data_files=[data_file],
            notebook=notebook_name,
            csv_path=f"{stem}_inference.csv",
            formats=dict.fromkeys(number_columns, "{:.4g}"),
            claims=claims,
            note=(
                f"The point estimates are the same in every column; only the standard error changes "
                f"(from {se_range[0]:.4f} to {se_range[1]:.4f} here). HC1 and HC3 are heteroskedasticity-robust "
                f"(White) errors. With N = {summary['n']} they rest on {summary['n']} squared residuals: HC1 tends "
                "to understate uncertainty in samples this small and HC3 can swing with one high-leverage "
                "year; none of them allows for serial correlation. Read their spread as a measure of fragility, "
                "not as a better answer."
            ),
        )
    )
else:
    stated_text = "".join(f"<li>Compared with {stated_sentence(r)}.</li>" for r in stated_rows)
    display(
        present.note(
            f"<p>Only two observations ({first} and {last}): a straight line through two points leaves zero "
            "residual degrees of freedom, so there is no standard error, confidence interval or test, and no "
            f"regression is fitted. The compound annual growth between the endpoints is "
            f"<strong>{cagr:.1f}%</strong> over {last - first} years.</p>"
            f"<ul>{stated_text}</ul>"
        )
    )

# %% [markdown]
# #### 图 · Fit, residuals and extrapolation

# %%
derived_years = data.sources.loc[data.sources["derived"], "year"].tolist() if "derived" in data.sources else []
fig = figures_regression.plot_trend(result, unit=spec.unit, derived_years=derived_years)
saved = plotting.save(fig, figure)
display(
    present.figure(
        saved,
        fig_id=f"fig-{notebook_name}",
        label_zh="",
        title_zh=(f"{spec.label_zh}：对数线性趋势、残差与外推" if fitted else f"{spec.label_zh}：两个端点"),
        title_en=(
            f"{spec.label_en} ({spec.unit}, log scale): fitted trend, {regression.HORIZON}-year "
            "extrapolation with 95% prediction interval (an extrapolation, not a forecast), and residuals"
            if fitted
            else f"{spec.label_en} ({spec.unit}): the two endpoints and their compound growth path"
        ),
        section=section,
        data_files=[data_file],
        notebook=notebook_name,
        claims=claims,
        note=(
            "Dots are the data (open circles: values derived from other releases, not published); the solid "
            "line is the fitted trend; the dashed line and shaded band extend it past the data with a 95% "
            "prediction interval for a single year."
            if fitted
            else "No residual plot: two points are fitted exactly."
        ),
    )
)

# %%
row = {
    "series_id": series,
    "label_zh": spec.label_zh,
    "label_en": spec.label_en,
    "unit": spec.unit,
    "source": spec.source,
    "panel": spec.panel,
    "data_file": data_file,
    "years": catalog.describe_years(values.index),
    "missing_years": missing,
    "start_year": start_year,
    "end_year": end_year,
} | summary
written = present.write_csv(pd.DataFrame([row]), results)
