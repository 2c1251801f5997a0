"""论文A 图2, the business-model diagram: one lane per strand of the paper's argument, one box per
node, arrows along the edges (data/raw/paper_a_fig2_*.csv)."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from . import present
from .plotting import drawing, inch_canvas, wrap_zh

LANES = {  # top to bottom: label (line breaks where a reader would put them) and colours of each band
    "upstream": ("产业链上游", "Upstream", "#DCE9F5", "#4C72B0"),
    "core": ("模块化与\n规模效应", "Modules and scale", "#FBE5D0", "#DD8452"),
    "value": ("定制化与\n附加值", "Customisation and value added", "#DDF0DD", "#55A868"),
    "downstream": ("产业链下游", "Downstream", "#E8E1F2", "#8172B3"),
    "digital": ("数字服务\n加持", "Digital services", "#EEEEEE", "#777777"),
}


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
    fig, ax = inch_canvas(W, H0)
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
