"""Bar and time-series figures of both papers: 论文A 图1 (new employees per year, released and
derived) and 论文B 图1 (Wenzhou's offshore execution with its stated and recomputed growth). The numbers
come from upstream (employment, paper_b); nothing here computes a result of its own."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MultipleLocator

from .paper_a import fmt_half_up
from .plotting import drawing

STATED_RED = "#C0392B"  # a number as the paper states it
DERIVED_GREY = "#555555"  # a number derived from stated or published ones

# --------------------------------------------------------------------------------------------
# 论文A 图1: new employees

COLORS = {"total": "#7A9CC6", "college": "#1F4E79"}


def _bar_geometry(row) -> tuple[float, float]:
    left = row["start"] - 0.38
    width = (row["end"] - row["start"]) + 0.76
    return left, width


@drawing
def plot_new_hires(hires: pd.DataFrame, check: dict, first: int, last: int, unknown: dict[str, list[int]]):
    """图1 rebuilt: (a) all new employees, (b) college-educated; released solid, derived hatched.

    Bars are per-year values; a bar that spans several years stands for their sum (labelled) at its
    yearly average, so its area is the multi-year total and no year is given a value of its own.
    """
    fig, axes = plt.subplots(2, 1, figsize=(6.85, 7.6), sharex=True, sharey=True)
    ymax = max(hires["per_year"].max(), check["stated"], check.get("implied_first_year") or 0) * 1.22
    panels = [
        ("total", "(a) 新增从业人员 · all new employees"),
        ("college", "(b) 其中大学（含大专）以上学历 · of which college-educated (incl. junior college)"),
    ]
    label_box = dict(boxstyle="round,pad=0.25", fc="white", ec="none", alpha=0.92)
    for ax, (group, title) in zip(axes, panels):
        color = COLORS[group]
        for _, r in hires[hires["group"] == group].iterrows():
            left, width = _bar_geometry(r)
            if r["released"]:
                ax.add_patch(Rectangle((left, 0), width, r["per_year"], facecolor=color, edgecolor=color, lw=1))
            else:
                ax.add_patch(
                    Rectangle((left, 0), width, r["per_year"], facecolor="white", edgecolor=color, hatch="///", lw=1.2)
                )
            if r["years"] > 1:
                label = (
                    f"{int(r['start'])}–{int(r['end'])}\n合计 total {fmt_half_up(r['value'])}\n"
                    f"年均 per year {fmt_half_up(r['per_year'])}"
                )
            else:
                label = fmt_half_up(r["value"])
            ax.text(
                left + width / 2,
                r["per_year"] * 0.5,
                label,
                ha="center",
                va="center",
                fontsize=8,
                color="#1A1A1A",
                bbox=label_box,
                zorder=4,
            )
        for year in unknown.get(group, []):
            ax.text(year, ymax * 0.03, "未公布\nnot\npublished", ha="center", va="bottom", fontsize=8, color="#666666")
        ax.set_title(title, loc="left", fontsize=9, fontweight="bold")
        ax.grid(axis="x", visible=False)
        ax.set_ylim(0, ymax)
        ax.set_ylabel("万人/年 · 10k persons per year")

    ax = axes[1]
    stated = check["stated"]
    ax.hlines(stated, first - 0.45, last + 0.45, color=STATED_RED, linestyle="--", lw=1.6, zorder=3)
    ax.text(last + 0.5, stated + 0.6, f"{stated:g}", color=STATED_RED, va="bottom", ha="left", fontsize=9)
    if check.get("known_average") is not None:
        ax.hlines(
            check["known_average"], first + 1 - 0.45, last + 0.45, color=DERIVED_GREY, linestyle=":", lw=1.8, zorder=3
        )
        ax.text(
            last + 0.5,
            check["known_average"] - 0.6,
            fmt_half_up(check["known_average"]),
            color=DERIVED_GREY,
            va="top",
            ha="left",
            fontsize=9,
        )
    implied = check.get("implied_first_year")
    if implied is not None:
        ax.add_patch(
            Rectangle(
                (first - 0.38, 0), 0.76, implied, facecolor="none", edgecolor=STATED_RED, linestyle=(0, (2, 2)), lw=1.3
            )
        )
        ax.text(
            first,
            implied + ymax * 0.025,
            f"倒推 implied\n{fmt_half_up(implied)}",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=STATED_RED,
            bbox=label_box,
            zorder=4,
        )

    axes[1].set_xticks(range(first, last + 1))
    axes[1].set_xlim(first - 0.6, last + 0.95)
    axes[1].set_xlabel("年份 Year")

    handles = [
        Patch(facecolor="#777777", edgecolor="#777777", label="公布值 released by MOFCOM"),
        Patch(
            facecolor="white",
            edgecolor="#555555",
            hatch="///",
            label="推算值 derived: difference of year-end stocks (a wide bar = years that cannot be separated)",
        ),
        Line2D(
            [0],
            [0],
            color=STATED_RED,
            linestyle="--",
            lw=1.6,
            label=f"论文所述年均新增大学以上学历 {stated:g}万 (Paper A, stated, {first}–{last})",
        ),
    ]
    if check.get("known_average") is not None:
        handles.append(
            Line2D(
                [0],
                [0],
                color=DERIVED_GREY,
                linestyle=":",
                lw=1.8,
                label=f"数据推算 {first + 1}–{last} 年均 {fmt_half_up(check['known_average'])}万 "
                "(derived from MOFCOM stocks)",
            )
        )
    if implied is not None:
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=STATED_RED,
                linestyle=(0, (2, 2)),
                label=f"按论文 {stated:g} 倒推的 {first} 年值 (implied by the paper's average, not data)",
            )
        )
    # No title in the image: the caption under it carries the title, in both languages.
    fig.legend(handles=handles, loc="lower left", ncol=1, fontsize=7.5, frameon=False, bbox_to_anchor=(0.0, 0.0))
    fig.tight_layout(rect=(0, 0.15, 1, 1))
    return fig


# --------------------------------------------------------------------------------------------
# 论文B 图1: offshore execution and its growth


def _nice_step(span: float, intervals: int) -> float:
    raw = span / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= raw:
            return m * magnitude
    return 10 * magnitude


def aligned_limits(left_max: float, right_max: float, intervals: int = 6) -> tuple[float, float, float, float]:
    """(left_top, left_step, right_top, right_step): both axes from 0 with the same number of ticks, so
    one grid serves both sides of a twin-axis chart."""
    left_step, right_step = _nice_step(left_max, intervals), _nice_step(right_max, intervals)
    return left_step * intervals, left_step, right_step * intervals, right_step


BAR_COLOR = "#A9C1DE"
BAR_EDGE = "#4C72B0"
ZJ_GREEN = "#2E8B57"
WZ_PURPLE = "#6A4C93"


def _stated_average(
    ax, value: float, x_end: float, *, color: str, linestyle: str, linewidth: float, legend: str, tag: str
):
    """A stated average as a horizontal line across the plot, labelled `tag` at its right end on a
    white box, so no growth line runs through the label."""
    ax.axhline(value, color=color, linestyle=linestyle, linewidth=linewidth, zorder=4, label=legend)
    ax.annotate(
        tag,
        (x_end, value),
        xytext=(0, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=8,
        color=color,
        zorder=7,
        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9),
    )


@drawing
def plot_execution(
    table: pd.DataFrame,
    wenzhou_avg_stated: float,
    zhejiang_avg_stated: float,
    tolerance: dict[int, float] | None = None,
):
    """图1: bars for execution (万美元), lines for stated and recomputed growth on a second axis.

    A year whose stated and recomputed growth differ by more than `tolerance[year]` (half a unit of
    the printed rate; see `growth_tolerances`) gets a label with both values; without tolerances,
    half a percentage point is the threshold.

    Both axes share one grid: their limits are chosen with the same number of intervals. Bar values
    sit inside the bars, the stated-vs-recomputed labels on white boxes beside the markers, and the
    two stated averages are labelled at the right end of their lines, so nothing overlaps.
    """
    fig, ax = plt.subplots(figsize=(6.85, 5.6))
    x = list(range(len(table)))
    years = table["year"].astype(int).astype(str).tolist()
    growth_max = max(table["growth_stated_pct"].max(), table["growth_recomputed_pct"].max(), wenzhou_avg_stated)
    # Bars fill the lower part of the plot and the growth lines the upper part: the left axis gets
    # head-room (x1.25), the right axis none beyond its nice top.
    left_top, left_step, right_top, right_step = aligned_limits(
        table["execution_usd_10k"].max() * 1.25, growth_max * 1.02
    )
    bars = ax.bar(
        x,
        table["execution_usd_10k"],
        color=BAR_COLOR,
        edgecolor=BAR_EDGE,
        linewidth=0.8,
        width=0.62,
        label="离岸执行额（万美元，左轴）Offshore execution (USD 10k, left)",
        zorder=2,
    )
    # Values at the foot of each bar: the growth lines and reference lines (right axis, drawn on top)
    # never come down that far, so no line crosses a number.
    for bar, value in zip(bars, table["execution_usd_10k"]):
        ax.annotate(
            f"{value:,.2f}".rstrip("0").rstrip("."),
            (bar.get_x() + bar.get_width() / 2, 0),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 4),
            textcoords="offset points",
            color="#1F3A5F",
            fontweight="bold",
            zorder=3,
        )
    ax.set_ylim(0, left_top)
    ax.yaxis.set_major_locator(MultipleLocator(left_step))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel("离岸执行额 Offshore execution (万美元 USD 10k)")
    ax.set_xticks(x, years)
    ax.set_xlabel("年份 Year")
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)

    ax2 = ax.twinx()
    ax2.grid(False)
    ax2.set_ylim(0, right_top)
    ax2.yaxis.set_major_locator(MultipleLocator(right_step))
    ax2.set_ylabel("同比增长 Growth y/y (%)")
    ax2.plot(
        x,
        table["growth_stated_pct"],
        color=STATED_RED,
        marker="o",
        linewidth=2.2,
        zorder=5,
        label="同比增长，原文（右轴）Growth as stated (%, right)",
    )
    ax2.plot(
        x,
        table["growth_recomputed_pct"],
        color=DERIVED_GREY,
        marker="s",
        markerfacecolor="white",
        linestyle="--",
        linewidth=1.6,
        zorder=6,
        label="同比增长，按原文数值重算 Growth recomputed (derived)",
    )
    for xi, stated, recomputed in zip(x, table["growth_stated_pct"], table["growth_recomputed_pct"]):
        year = int(table["year"].iloc[xi])
        limit = (tolerance or {}).get(year, 0.5)
        if pd.notna(recomputed) and abs(stated - recomputed) > limit:
            # Two lines, centred under the lower of the two markers: narrower than a year's slot.
            ax2.annotate(
                f"原文 {stated:.2f}\n重算 {recomputed:.2f}",
                (xi, min(stated, recomputed)),
                xytext=(0, -11),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=8,
                color=STATED_RED,
                zorder=7,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=STATED_RED, lw=0.6, alpha=0.95),
            )
    end = len(x) - 0.5
    _stated_average(
        ax2,
        zhejiang_avg_stated,
        end,
        color=ZJ_GREEN,
        linestyle=":",
        linewidth=1.8,
        legend=f"浙江省平均增速 {zhejiang_avg_stated:g}%（原文）Zhejiang average, stated",
        tag=f"浙江 Zhejiang {zhejiang_avg_stated:g}%",
    )
    _stated_average(
        ax2,
        wenzhou_avg_stated,
        end,
        color=WZ_PURPLE,
        linestyle="-.",
        linewidth=1.4,
        legend=f"温州平均增速“{wenzhou_avg_stated:g}%以上”（原文）Wenzhou average, stated",
        tag=f"温州 Wenzhou ≥{wenzhou_avg_stated:g}%",
    )
    ax.set_xlim(-0.55, len(x) - 0.45)

    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
    # One column: two columns of these bilingual labels are wider than the printed page.
    # No title in the image: the caption under it carries it.
    fig.legend(handles, labels, loc="lower left", ncol=1, fontsize=7.5, frameon=False, bbox_to_anchor=(0.0, -0.005))
    fig.tight_layout(rect=(0, 0.2, 1, 1))
    return fig
