"""The growth regressions' figure (reg_growth_*): a series' levels with its fitted log-linear trend,
the extrapolation and its prediction interval, and the residuals. It draws a `regression.Fit` and
fits nothing itself."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from .plotting import drawing
from .regression import HORIZON, Fit, cagr, projection


def _number(value: float, _pos=None) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3g}"


@drawing
def plot_trend(
    result: Fit,
    *,
    unit: str,
    derived_years=(),
    horizon: int = HORIZON,
):
    """Left: levels on a log scale with the fitted trend and, past the data, the extrapolated trend
    with its 95% prediction interval. Right: residuals. With two points: the points, the endpoint
    growth path and any stated growth path; no residuals exist. Years in `derived_years` (values
    computed from other releases, not published) are drawn as open circles."""
    values, trend, rows = result.values, result.trend, result.stated
    if trend is None:
        fig, ax = plt.subplots(figsize=(6.85, 4.0))
        axes = [ax]
    else:
        fig, axes = plt.subplots(1, 2, figsize=(6.85, 4.6), gridspec_kw={"width_ratios": [1.55, 1]})
        ax = axes[0]
    years = values.index.to_numpy(dtype=int)
    derived = values.index.isin(list(derived_years))
    ax.plot(
        years[~derived],
        values.to_numpy()[~derived],
        "o",
        color="#1f1f1f",
        zorder=5,
        label="观测值 Observed" if not derived.any() else "公布值 Published",
    )
    if derived.any():
        ax.plot(
            years[derived],
            values.to_numpy()[derived],
            "o",
            markerfacecolor="white",
            markeredgecolor="#1f1f1f",
            markeredgewidth=1.5,
            zorder=5,
            label="推算值 Derived (see table)",
        )
    if trend is not None:
        low, high = trend.growth_ci_pct()
        ax.plot(
            years,
            trend.fitted().to_numpy(),
            color="#4C72B0",
            linewidth=2,
            label=(
                f"对数线性趋势 Trend {trend.growth_pct:.1f}%/yr (95% CI {low:.1f} to {high:.1f}; "
                f"N = {trend.n}, R² = {trend.r2:.3f})"
            ),
        )
        proj = projection(trend, horizon)
        px = np.concatenate([[years[-1]], proj["year"].to_numpy()])
        py = np.concatenate([[trend.fitted().iloc[-1]], proj["projected"].to_numpy()])
        ax.plot(
            px,
            py,
            color="#4C72B0",
            linewidth=1.6,
            linestyle="--",
            label="外推（非预测）Extrapolated trend, not a forecast",
        )
        ax.fill_between(
            proj["year"],
            proj["pi_low"],
            proj["pi_high"],
            color="#DD8452",
            alpha=0.25,
            linewidth=0,
            label="外推的 95% 预测区间 95% prediction interval",
        )
        ax.axvline(years[-1] + 0.5, color="#8c8c8c", linestyle=":", linewidth=1)
        ax.text(
            years[-1] + 0.6,
            0.97,
            "外推 extrapolation →",
            transform=ax.get_xaxis_transform(),
            fontsize=7,
            color="#555555",
            va="top",
        )
    growth = cagr(values)["cagr_pct"]
    ax.plot(
        [years[0], years[-1]],
        [values.iloc[0], values.iloc[-1]],
        color="#8172B3",
        linewidth=1.2,
        linestyle=(0, (1, 1)) if trend is not None else "-",
        label=f"端点复合增速 Endpoint CAGR {growth:.1f}%/yr ({years[0]}–{years[-1]})",
    )
    styles = {"stated": ("#C44E52", "-.", "原文所述 Stated"), "benchmark": ("#55A868", "--", "比较基准 Benchmark")}
    for r in rows:
        color, style, name = styles[r["role"]]
        g = float(r["value"]) / 100
        span = np.arange(years[0], years[-1] + 1)
        path = values.iloc[0] * (1 + g) ** (span - years[0])
        sign = "≥" if r["alternative"] == "larger" else ""
        who = "" if r["role"] == "stated" else f"{r['entity']}, "
        ax.plot(
            span,
            path,
            color=color,
            linewidth=1.4,
            linestyle=style,
            label=f"{name} {who}{sign}{r['value']:g}%/yr, path from {years[0]} value",
        )
    if trend is None:
        for x, y in zip(years, values.to_numpy()):
            ax.annotate(_number(y), (x, y), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8)
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
    ax.tick_params(axis="x", labelsize=7, rotation=90 if len(all_years) > 8 else 0)
    # The series name is the caption's; the panel titles only say which panel is which.
    ax.set_title("(a) 水平与趋势 Level and trend", fontsize=8.5, loc="left")
    # Below the plots, not on them: the extrapolation band and the data fill different corners per series.
    handles, labels = ax.get_legend_handles_labels()
    # One column: two columns of these labels are wider than the printed page.
    fig.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0.0, 0.0),
        ncol=1,
        fontsize=7.0,
        frameon=False,
        handlelength=2.2,
        labelspacing=0.25,
        borderaxespad=0.1,
    )
    if trend is not None:
        rax = axes[1]
        resid = trend.residuals() * 100
        colors = ["#4C72B0" if r >= 0 else "#8c8c8c" for r in resid]
        rax.bar(resid.index.astype(int), resid.to_numpy(), color=colors, width=0.55)
        rax.axhline(0, color="#1f1f1f", linewidth=0.8)
        for x, r in resid.items():
            rax.annotate(
                f"{r:+.1f}",
                (x, r),
                xytext=(0, 3 if r >= 0 else -3),
                textcoords="offset points",
                ha="center",
                va="bottom" if r >= 0 else "top",
                fontsize=7,
            )
        lim = max(abs(resid).max() * 1.35, 1.0)
        rax.set_ylim(-lim, lim)
        rax.set_xticks(years)
        rax.tick_params(axis="x", labelsize=7, rotation=90 if len(years) > 6 else 0)
        rax.set_xlabel("年份 Year")
        rax.set_ylabel("100 × (ln y − 趋势 trend)")
        rax.set_title("(b) 残差 Residuals, ≈ % off trend", fontsize=8.5, loc="left")
        rax.grid(axis="x", visible=False)
    # The plots keep 2.4 in of height, so the figure with its caption fits in the lower half of a
    # page (a taller one left half-empty pages before it); the legend gets what its rows need.
    legend_in = len(labels) * 7.0 * 1.4 / 72 + 0.08
    fig.set_size_inches(6.85, 2.4 + legend_in)
    fig.tight_layout(rect=(0, legend_in / (2.4 + legend_in), 1, 1))
    return fig
