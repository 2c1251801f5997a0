"""The figures stage: every drawing of the report, one function per figure (plot_*), with the
helpers only drawings use. The numbers they draw are computed upstream (paper_a, paper_b,
employment, regression); nothing here computes a result of its own."""

from __future__ import annotations

import functools
import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MultipleLocator

from . import present
from .paper_a import fmt_half_up
from .regression import HORIZON, Trend, _stated, cagr, projection


def drawing(function):
    """Record on each figure the function that drew it (name, file, line), so the report can link a
    figure to its code without the notebook saying so (plotting.save passes it on)."""
    record = present.producer_record(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        fig = function(*args, **kwargs)
        fig.producer = dict(record)
        return fig

    return wrapper


# ============================================================================================
# Paper A

# --------------------------------------------------------------------------------------------
# fig_a1: new employees

COLORS = {"total": "#7A9CC6", "college": "#1F4E79"}
PAPER_RED = "#C0392B"
DERIVED_GREY = "#555555"


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
    ax.hlines(stated, first - 0.45, last + 0.45, color=PAPER_RED, linestyle="--", lw=1.6, zorder=3)
    ax.text(last + 0.5, stated + 0.6, f"{stated:g}", color=PAPER_RED, va="bottom", ha="left", fontsize=9)
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
                (first - 0.38, 0), 0.76, implied, facecolor="none", edgecolor=PAPER_RED, linestyle=(0, (2, 2)), lw=1.3
            )
        )
        ax.text(
            first,
            implied + ymax * 0.025,
            f"倒推 implied\n{fmt_half_up(implied)}",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=PAPER_RED,
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
            color=PAPER_RED,
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
                edgecolor=PAPER_RED,
                linestyle=(0, (2, 2)),
                label=f"按论文 {stated:g} 倒推的 {first} 年值 (implied by the paper's average, not data)",
            )
        )
    # No title in the image: the caption under it carries the title, in both languages.
    fig.legend(handles=handles, loc="lower left", ncol=1, fontsize=7.5, frameon=False, bbox_to_anchor=(0.0, 0.0))
    fig.tight_layout(rect=(0, 0.15, 1, 1))
    return fig


# --------------------------------------------------------------------------------------------
# fig_a2: business-model diagram

LANES = {  # top to bottom: label (line breaks where a reader would put them) and colours of each band
    "upstream": ("产业链上游", "Upstream", "#DCE9F5", "#4C72B0"),
    "core": ("模块化与\n规模效应", "Modules and scale", "#FBE5D0", "#DD8452"),
    "value": ("定制化与\n附加值", "Customisation and value added", "#DDF0DD", "#55A868"),
    "downstream": ("产业链下游", "Downstream", "#E8E1F2", "#8172B3"),
    "digital": ("数字服务\n加持", "Digital services", "#EEEEEE", "#777777"),
}


def wrap_zh(text: str, width: int) -> list[str]:
    """Break Chinese text into balanced lines of at most about `width` characters.

    Lines are balanced (13 characters at width 12 give 7 + 6, not 12 + 1) and break after punctuation
    where one is near; a line never starts with a closing mark or an enumeration comma (Chinese
    line-breaking rule), so such a mark stays on the line before.
    """
    no_start = "、，。：；）”"
    lines, rest = [], text
    while len(rest) > width:
        n_lines = math.ceil(len(rest) / width)
        target = math.ceil(len(rest) / n_lines)
        cut = target
        for i in range(min(width, target + 2), int(target * 0.5), -1):
            if rest[i - 1] in "、，：；）":
                cut = i
                break
        while cut < len(rest) and rest[cut] in no_start:
            cut += 1
        lines.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        lines.append(rest)
    return lines


@present.building
def diagram_layout(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Column = longest path from the root; row = the node's lane. Fails on cycles or unknown ids."""
    ids = set(nodes["node_id"])
    unknown = (set(edges["source"]) | set(edges["target"])) - ids
    if unknown:
        raise ValueError(f"edges name nodes that do not exist: {sorted(unknown)}")
    depth = dict.fromkeys(ids, 0)
    for _ in range(len(ids) + 1):
        changed = False
        for _, e in edges.iterrows():
            if depth[e["target"]] < depth[e["source"]] + 1:
                depth[e["target"]] = depth[e["source"]] + 1
                changed = True
        if not changed:
            break
    else:
        raise ValueError("the diagram's edges contain a cycle")
    out = nodes.copy()
    out["column"] = out["node_id"].map(depth)
    return out


def _text_height(ax, text) -> float:
    """Height of a drawn text in data units (the axes are in inches, see plot_business_model)."""
    renderer = ax.figure.canvas.get_renderer()
    box = text.get_window_extent(renderer=renderer).transformed(ax.transData.inverted())
    return box.height


@drawing
def plot_business_model(nodes: pd.DataFrame, edges: pd.DataFrame, *, caveat: str):
    """图2 reconstructed: lanes for the paper's strands, one box per node, the root on a bus.

    Drawn at its printed size (the A4 text width): Chinese labels at 8 pt, English glosses at 7 pt,
    each lane as tall as its tallest box. The axes are in inches (one data unit = one inch), so box
    sizes follow the measured text.
    """
    layout = diagram_layout(nodes, edges)
    roots = layout[layout["column"] == 0]
    if len(roots) != 1:
        raise ValueError(f"the diagram needs exactly one root node, found {len(roots)}")
    root_id = roots["node_id"].iloc[0]
    lanes = [g for g in LANES if g in set(layout["group"]) - {roots["group"].iloc[0]}]
    n_columns = int(layout["column"].max())
    W, H0 = 6.85, 9.0
    fig = plt.figure(figsize=(W, H0))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, W)
    ax.set_ylim(0, H0)
    ax.axis("off")
    zh_size, en_size = 8.0, 7.0
    x_label, x_root, w_root, x_bus = 0.1, 1.28, 0.78, 1.86
    first_left, right = 2.0, W - 0.04
    dx = (right - first_left) / n_columns
    box_w = dx - 0.13
    pad, gap = 0.07, 0.05

    # First pass: every text at y = 0, to measure; positions follow from the heights.
    texts, heights = {}, {}
    for _, n in layout.iterrows():
        is_root = n["node_id"] == root_id
        if is_root:
            x, zh_color, en_color = x_root, "white", "#E4E4E4"
        else:
            x, zh_color, en_color = first_left + (n["column"] - 0.5) * dx, "#1A1A1A", "#505050"
        zh = ax.text(
            x,
            0,
            "\n".join(wrap_zh(n["label_zh"], 4 if is_root else 9)),
            ha="center",
            va="top",
            fontsize=zh_size,
            color=zh_color,
            zorder=3,
            linespacing=1.2,
        )
        en = ax.text(
            x,
            0,
            "\n".join(textwrap.wrap(n["label_en"], 11 if is_root else 21)),
            ha="center",
            va="top",
            fontsize=en_size,
            color=en_color,
            zorder=3,
            linespacing=1.1,
        )
        hz, he = _text_height(ax, zh), _text_height(ax, en)
        texts[n["node_id"]] = (zh, en, hz)
        heights[n["node_id"]] = pad * 2 + hz + gap + he
    lane_h = {g: max(heights[i] for i in layout.loc[layout["group"] == g, "node_id"]) + 0.16 for g in lanes}
    caveat_h = 0.32
    H = sum(lane_h.values()) + caveat_h + 0.08
    fig.set_size_inches(W, H)
    ax.set_ylim(0, H)

    lane_y, top = {}, H - 0.04
    for g in lanes:
        lane_y[g] = top - lane_h[g] / 2
        zh_lane, en_lane, face, edge = LANES[g]
        ax.add_patch(
            FancyBboxPatch(
                (0.02, top - lane_h[g] + 0.03),
                W - 0.04,
                lane_h[g] - 0.06,
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=face,
                edgecolor="none",
                alpha=0.6,
                zorder=0,
            )
        )
        ax.text(
            x_label,
            lane_y[g] + 0.03,
            zh_lane,
            ha="left",
            va="bottom",
            fontsize=zh_size,
            color=edge,
            linespacing=1.15,
            fontweight="bold",
        )
        ax.text(
            x_label,
            lane_y[g] - 0.02,
            "\n".join(textwrap.wrap(en_lane, 13, break_long_words=False)),
            ha="left",
            va="top",
            fontsize=en_size,
            color=edge,
            linespacing=1.05,
        )
        top -= lane_h[g]

    patches, centres = {}, {}
    for _, n in layout.iterrows():
        node = n["node_id"]
        is_root = node == root_id
        zh, en, hz = texts[node]
        h = heights[node]
        if is_root:
            x, y, w = x_root, (lane_y[lanes[0]] + lane_y[lanes[-1]]) / 2, w_root
            face = edge = "#1F3B57"
        else:
            x, y, w = first_left + (n["column"] - 0.5) * dx, lane_y[n["group"]], box_w
            face, edge = "white", LANES[n["group"]][3]
        zh.set_y(y + h / 2 - pad)
        en.set_y(y + h / 2 - pad - hz - gap)
        patch = FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.01,rounding_size=0.06",
            facecolor=face,
            edgecolor=edge,
            lw=1.2,
            zorder=2,
        )
        ax.add_patch(patch)
        patches[node] = patch
        centres[node] = (x, y, w, h)

    arrow = dict(arrowstyle="-|>", mutation_scale=9, lw=1.0, color="#444444", zorder=1.5)
    # The root feeds every strand: one line to a vertical bus, then one arrow into each strand's first box,
    # so no arrow crosses another strand's box.
    from_root = edges[edges["source"] == root_id]
    if len(from_root):
        xr, yr, wr, _ = centres[root_id]
        ys = [centres[t][1] for t in from_root["target"]]
        ax.plot([xr + wr / 2 + 0.01, x_bus], [yr, yr], color="#444444", lw=1.0, zorder=1.5)
        ax.plot(
            [x_bus, x_bus], [min(ys + [yr]), max(ys + [yr])], color="#444444", lw=1.0, zorder=1.5, solid_capstyle="butt"
        )
        for t in from_root["target"]:
            xt, yt, wt, _ = centres[t]
            ax.add_patch(FancyArrowPatch((x_bus, yt), (xt - wt / 2 - 0.02, yt), shrinkA=0, shrinkB=0, **arrow))
    for _, e in edges[edges["source"] != root_id].iterrows():
        ax.add_patch(
            FancyArrowPatch(
                centres[e["source"]][:2],
                centres[e["target"]][:2],
                patchA=patches[e["source"]],
                patchB=patches[e["target"]],
                shrinkA=1.5,
                shrinkB=1.5,
                **arrow,
            )
        )
    ax.text(
        W / 2, 0.06, caveat.replace(" · ", "\n"), ha="center", va="bottom", fontsize=7, color="#8B0000", linespacing=1.2
    )
    return fig


# ============================================================================================
# Paper B


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
STATED_RED = "#C0392B"
DERIVED_GREY = "#555555"
ZJ_GREEN = "#2E8B57"
WZ_PURPLE = "#6A4C93"


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
    label_box = dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9)
    ax2.axhline(
        zhejiang_avg_stated,
        color=ZJ_GREEN,
        linestyle=":",
        linewidth=1.8,
        zorder=4,
        label=f"浙江省平均增速 {zhejiang_avg_stated:g}%（原文）Zhejiang average, stated",
    )
    ax2.annotate(
        f"浙江 Zhejiang {zhejiang_avg_stated:g}%",
        (end, zhejiang_avg_stated),
        xytext=(0, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=8,
        color=ZJ_GREEN,
        zorder=7,
        bbox=label_box,
    )
    ax2.axhline(
        wenzhou_avg_stated,
        color=WZ_PURPLE,
        linestyle="-.",
        linewidth=1.4,
        zorder=4,
        label=f"温州平均增速“{wenzhou_avg_stated:g}%以上”（原文）Wenzhou average, stated",
    )
    ax2.annotate(
        f"温州 Wenzhou ≥{wenzhou_avg_stated:g}%",
        (end, wenzhou_avg_stated),
        xytext=(0, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=8,
        color=WZ_PURPLE,
        zorder=7,
        bbox=label_box,
    )
    ax.set_xlim(-0.55, len(x) - 0.45)

    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
    # One column: two columns of these bilingual labels are wider than the printed page.
    # No title in the image: the caption under it carries it.
    fig.legend(handles, labels, loc="lower left", ncol=1, fontsize=7.5, frameon=False, bbox_to_anchor=(0.0, -0.005))
    fig.tight_layout(rect=(0, 0.2, 1, 1))
    return fig


# --------------------------------------------------------------------------------------------
# 图2: the two demonstration parks and their platforms


PARK_COLORS = {"gxq": ("#E3EDF7", "#2F5F8A"), "gm": ("#FBEBDD", "#B3611E")}


def _box(ax, x, y, w, h, text, *, face, edge, dashed=False, size=9.0, weight="normal", color="#222222", align="center"):
    ax.add_patch(
        FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.08",
            fc=face,
            ec=edge,
            lw=1.3 if not dashed else 1.1,
            ls="--" if dashed else "-",
            zorder=2,
        )
    )
    tx = x + w / 2 if align == "center" else x + 0.12
    ax.text(
        tx,
        y + h / 2,
        text,
        ha=align,
        va="center",
        fontsize=size,
        fontweight=weight,
        color=color,
        zorder=3,
        linespacing=1.35,
    )


def _arrow(ax, x0, y0, x1, y1, color):
    ax.annotate(
        "", (x1, y1), (x0, y0), arrowprops=dict(arrowstyle="-|>", color=color, lw=1.1, shrinkA=0, shrinkB=0), zorder=1
    )


PROFILE_WRAP = 52  # characters of English per line in a park's profile box (7.5 pt in 3.3 in)


def _profile_lines(tree: pd.DataFrame, children: pd.DataFrame) -> list[str]:
    """The text of a park's profile box: designation, industries, firms and people, in both languages."""
    lines = []
    for c in children.itertuples():
        if c.kind == "designation":
            lines.append("▪ " + c.label_zh)
            lines += ["   " + t for t in textwrap.wrap(c.label_en, PROFILE_WRAP)]
        elif c.kind == "industry":
            lines.append(f"▪ 行业 {c.label_zh}")
            lines += ["   " + t for t in textwrap.wrap(c.label_en, PROFILE_WRAP)]
        elif c.kind == "firms":
            inds = tree[(tree["parent_id"] == c.item_id) & (tree["kind"] == "industry")]
            lines.append(f"▪ {c.label_zh} {c.label_en}: {c.count_text.replace(' ', '')}")
            lines += ["   " + t for t in wrap_zh("、".join(inds["label_zh"]), 24)]
            lines += [
                "   " + t
                for t in textwrap.wrap(f"{len(inds)} fields named: " + ", ".join(inds["label_en"]), PROFILE_WRAP)
            ]
        elif c.kind == "employees":
            lines.append(f"▪ {c.label_zh} {c.label_en}: {c.count_text.replace(' ', '')}")
    return lines


@drawing
def plot_parks(tree: pd.DataFrame, *, caveat: str):
    """图2 reconstructed: the region on top, one column per park below it, then each park's profile
    (designation, industries, firms, people) and its public platforms. Solid boxes are named in the
    text; dashed boxes stand for things the text counts or implies but does not name.

    The axes are in inches (one data unit = one inch), so box sizes are physical sizes.
    """
    # Drawn at its printed size, the A4 text width: every label is at least 7 points on paper.
    width, height = 6.85, 7.9
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")
    top_y, park_y, park_h, profile_y, profile_h = 7.1, 6.05, 0.75, 4.3, 1.6
    head_y, plat_y = 4.0, 3.35

    root = tree[tree["parent_id"].isna()].iloc[0]
    parks = tree[tree["kind"] == "park"]
    top_w = 4.6
    _box(
        ax,
        (width - top_w) / 2,
        top_y,
        top_w,
        0.65,
        f"{root['label_zh']}（{root['count_text'].replace(' ', '')}）\n{root['label_en']}",
        face="#F2F2F2",
        edge="#555555",
        size=9.0,
        weight="bold",
    )
    col_w, gap = 3.3, 0.25
    lefts = [(width - 2 * col_w - gap) / 2 + i * (col_w + gap) for i in range(len(parks))]
    for left, park in zip(lefts, parks.itertuples()):
        face, edge = PARK_COLORS.get(park.item_id, ("#EEEEEE", "#555555"))
        children = tree[tree["parent_id"] == park.item_id]
        cx = left + col_w / 2
        _arrow(ax, width / 2, top_y, cx, park_y + park_h, "#555555")
        _box(
            ax,
            left,
            park_y,
            col_w,
            park_h,
            park.label_zh + "\n" + "\n".join(textwrap.wrap(park.label_en, 40)),
            face=face,
            edge=edge,
            size=8.5,
            weight="bold",
            color=edge,
        )
        _arrow(ax, cx, park_y, cx, profile_y + profile_h, edge)
        _box(
            ax,
            left,
            profile_y,
            col_w,
            profile_h,
            "\n".join(_profile_lines(tree, children)),
            face="white",
            edge=edge,
            size=7.5,
            align="left",
        )
        ax.text(
            left + col_w - 0.08,
            profile_y + profile_h - 0.05,
            "园区概况 profile",
            ha="right",
            va="top",
            fontsize=7,
            color=edge,
            zorder=4,
        )
        ax.text(
            left,
            head_y,
            "公共服务平台 Public service platforms",
            ha="left",
            va="center",
            fontsize=8.5,
            fontweight="bold",
            color=edge,
        )
        named = children[children["kind"] == "platform"]
        unnamed = children[children["kind"] == "platforms_unnamed"]
        if len(unnamed):
            u = unnamed.iloc[0]
            n = int(u["count"])
            cols = 5
            rows = math.ceil(n / cols)
            pad, cell_h = 0.12, 0.5
            cell_w = (col_w - pad * (cols - 1)) / cols
            for i in range(n):
                r_, c_ = divmod(i, cols)
                _box(
                    ax,
                    left + c_ * (cell_w + pad),
                    plat_y - r_ * (cell_h + 0.15),
                    cell_w,
                    cell_h,
                    f"平台 {i + 1}\n（未列名）",
                    face="white",
                    edge=edge,
                    dashed=True,
                    size=7,
                    color="#666666",
                )
            bottom = plat_y - (rows - 1) * (cell_h + 0.15)
            said = "配备" + str(u["quote"]).split("配备")[-1]
            ax.text(
                left,
                bottom - 0.2,
                f"原文“{said}”：\n只给数量（{u['count_text'].replace(' ', '')}），未列名称。\n"
                f"The text counts {n} platforms but names none;\nthe dashed boxes stand for the count only.",
                ha="left",
                va="top",
                fontsize=7.5,
                color="#444444",
                linespacing=1.4,
            )
        if len(named):
            box_h, step = 0.4, 0.47
            top = plat_y + 0.13
            for i, p in enumerate(named.itertuples()):
                _box(
                    ax,
                    left,
                    top - i * step,
                    col_w,
                    box_h,
                    f"{p.label_zh}\n{p.label_en}",
                    face=face,
                    edge=edge,
                    size=7.5,
                )
            _box(
                ax,
                left,
                top - len(named) * step,
                col_w,
                box_h,
                f"……原文列出{len(named)}个后以“等公共服务平台”结束\nthe list ends with 等 (etc.)",
                face="white",
                edge=edge,
                dashed=True,
                size=7,
                color="#666666",
            )
    handles = [
        Patch(fc="white", ec="#555555", lw=1.3, label="原文列出名称 named in the text"),
        Patch(
            fc="white", ec="#555555", lw=1.1, ls="--", label="原文只给数量或以“等”概括 counted or implied, not named"
        ),
    ]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(lefts[0] / width, 0.045),
        ncol=2,
        fontsize=7.5,
        frameon=False,
        borderaxespad=0,
        handlelength=2.2,
    )
    ax.text(
        width / 2,
        0.1,
        caveat.replace(" · ", "\n"),
        ha="center",
        va="bottom",
        fontsize=7,
        color="#555555",
        linespacing=1.2,
    )
    return fig


# ============================================================================================
# Growth regressions

# --- Figures --------------------------------------------------------------------------------------


def _number(value: float, _pos=None) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3g}"


@drawing
def plot_trend(
    values: pd.Series,
    trend: Trend | None,
    *,
    unit: str,
    label_zh: str,
    label_en: str,
    stated=None,
    derived_years=(),
    horizon: int = HORIZON,
):
    """Left: levels on a log scale with the fitted trend and, past the data, the extrapolated trend
    with its 95% prediction interval. Right: residuals. With two points: the points, the endpoint
    growth path and any stated growth path; no residuals exist. Years in `derived_years` (values
    computed from other releases, not published) are drawn as open circles."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, MaxNLocator, NullFormatter

    values = values.dropna().sort_index()
    rows = _stated(stated)
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
