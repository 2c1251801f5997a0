"""论文B 图2, the two demonstration parks and their public platforms: the region, one column per
park, each park's profile and platforms (data/raw/paper_b_fig2_*.csv). Solid boxes are named in the
text, dashed ones only counted."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
from matplotlib.patches import FancyBboxPatch, Patch

from .plotting import drawing, inch_canvas, wrap_zh

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
    fig, ax = inch_canvas(width, height)
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
