"""Paper A (涂舒 2024, 以新型服务外包培育新质生产力): the computations and drawings behind its figures
and tables. Paper values come from data/raw/paper_a_values.csv through `values`; MOFCOM employment
arithmetic lives in `employment`.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Rectangle

from . import metrics, values
from .number import BASIS_DERIVED, BASIS_MOFCOM, BASIS_MOFCOM_DERIVED, BASIS_STATED, Number, fixed, half_up

# Which values each output shows; tab_a4 shows the rest, so every value appears exactly once.
EMPLOYMENT_IDS = ("a_college_new_avg_2016_2022",)
TALENT_IDS = ("a_college_stock_2023", "a_college_share_2023", "a_bachelor_stock_2023",
              "a_master_stock_2023", "a_doctor_stock_2023", "a_trained_2023")
PRODUCTIVITY_IDS = ("a_contract_per_worker_2016", "a_contract_per_worker_2023", "a_contract_per_worker_growth")
CLASSIFICATION_IDS = ("a_ito_mid_classes", "a_ito_sub_classes")



def doublings_to_multiple(doublings: float) -> float:
    """翻N番: N doublings multiply a quantity by 2**N (翻两番 = x4)."""
    return 2.0 ** doublings


# --------------------------------------------------------------------------------------------
# tab_a1: talent


def mofcom_bracket(obs: pd.DataFrame, year: int) -> pd.DataFrame:
    """For each group, MOFCOM's last cumulative count before end-`year` and its first one after.

    A year-end figure stated by a paper should lie between the two; a count published for
    end-`year` itself would be listed as the 'before' row.
    """
    stock = obs[obs["measure"] == "stock"].copy()
    stock["when"] = stock["year"] * 100 + stock["month"]
    rows = []
    for group in ("college", "total"):
        g = stock[stock["group"] == group]
        before = g[g["when"] <= year * 100 + 12].sort_values("when")
        after = g[g["when"] > year * 100 + 12].sort_values("when")
        if len(before) and len(after):
            rows += [dict(before.iloc[-1], position="before"), dict(after.iloc[0], position="after")]
    return pd.DataFrame(rows)


def talent_table(frame: pd.DataFrame, mofcom_stocks: pd.DataFrame | None = None,
                 mofcom_obs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Paper A's year-end talent figures, the rows they imply, and MOFCOM values around that date."""
    v = lambda i: values.get(frame, i)  # noqa: E731
    t = lambda i: values.number(frame, i).text()  # noqa: E731  (as printed)
    college, share = v("a_college_stock_2023"), v("a_college_share_2023")
    year = int(values.row(frame, "a_college_stock_2023")["year"])
    bachelor, master, doctor = v("a_bachelor_stock_2023"), v("a_master_stock_2023"), v("a_doctor_stock_2023")
    c_t, s_t = t("a_college_stock_2023"), t("a_college_share_2023")
    junior = college - bachelor - master - doctor
    total = metrics.implied_whole(college, share)
    half = values.number(frame, "a_college_share_2023").half
    total_lo, total_hi = metrics.implied_whole(college, share + half), metrics.implied_whole(college, share - half)

    def pct_of_college(x):
        return f"{fixed(metrics.share_pct(x, college), 1)}% of {c_t}"

    rows = [
        ("累计吸纳大学（含大专）以上学历", "College-educated (incl. junior college), cumulative", college, "万人",
         BASIS_STATED, "", "a_college_stock_2023"),
        ("其中：本科", "of which bachelor's", bachelor, "万人", BASIS_STATED,
         pct_of_college(bachelor), "a_bachelor_stock_2023"),
        ("其中：硕士", "of which master's", master, "万人", BASIS_STATED,
         pct_of_college(master), "a_master_stock_2023"),
        ("其中：博士", "of which doctoral", doctor, "万人", BASIS_STATED,
         pct_of_college(doctor), "a_doctor_stock_2023"),
        ("其中：大专（余项）", "of which junior college (remainder)", junior, "万人", BASIS_DERIVED,
         f"{c_t} − {t('a_bachelor_stock_2023')} − {t('a_master_stock_2023')} − {t('a_doctor_stock_2023')} = "
         f"{fixed(junior, 1)} ({pct_of_college(junior)})", ""),
        ("大学（含大专）以上学历占总从业人数比重", "College-educated share of all employees", share, "%",
         BASIS_STATED, "", "a_college_share_2023"),
        ("隐含从业人员总数", "Implied total employees", total, "万人", BASIS_DERIVED,
         f"{c_t} ÷ {s_t}% = {fixed(total, 1)} (share read as {fixed(share - half, 2)}–{fixed(share + half, 2)}%: "
         f"{fixed(total_lo, 1)}–{fixed(total_hi, 1)})", ""),
        ("累计接受培训人数", "People trained, cumulative", v("a_trained_2023"), "万人", BASIS_STATED, "",
         "a_trained_2023"),
    ]
    if mofcom_obs is not None:
        for _, r in mofcom_bracket(mofcom_obs, year).iterrows():
            zh = "累计从业人员" if r["group"] == "total" else "累计大学以上学历从业人员"
            en = "employees, cumulative" if r["group"] == "total" else "college-educated, cumulative"
            rows.append((f"商务部：截至{r['year']}年{r['month']}月底{zh}", f"MOFCOM: end-{r['month']:02d}/{r['year']} {en}",
                         r["value"], "万人", BASIS_MOFCOM, f"data/external line {r['line']}", ""))
    if mofcom_stocks is not None:
        prev = mofcom_stocks[(mofcom_stocks["group"] == "college") & (mofcom_stocks["year"] == year - 1)]
        if len(prev):
            s_prev = float(prev["value"].iloc[0])
            rows.append((f"{year}年新增大学以上学历（论文年末值 − 商务部{year - 1}年末推算值）",
                         f"College-educated new hires in {year} (paper's end-{year} − MOFCOM-derived end-{year - 1})",
                         college - s_prev, "万人", BASIS_MOFCOM_DERIVED,
                         f"{c_t} − {fixed(s_prev, 1)} ({prev['arithmetic'].iloc[0]}) = {fixed(college - s_prev, 1)}", ""))
    return pd.DataFrame(rows, columns=["项目", "item", "value", "unit", "basis", "arithmetic", "value_id"])


# --------------------------------------------------------------------------------------------
# tab_a2: productivity


@dataclass(frozen=True)
class Productivity:
    """The stated average growth of 人均合同额 against its two endpoints (numbers only: the verdict is
    the audit's, claim a_contract_per_worker_growth)."""

    first: Number
    last: Number
    stated: Number
    first_year: int
    last_year: int

    @property
    def years(self) -> int:
        return self.last_year - self.first_year

    @property
    def cagr(self) -> float:
        return metrics.cagr_pct(self.first.value, self.last.value, self.years)

    @property
    def cagr_range(self) -> tuple[float, float]:
        """The compound rate with both endpoints read ± half a unit of their last printed digit."""
        f, l = self.first, self.last
        return (metrics.cagr_pct(f.value + f.half, l.value - l.half, self.years),
                metrics.cagr_pct(f.value - f.half, l.value + l.half, self.years))

    @property
    def difference_pp(self) -> float:
        return self.stated.value - self.cagr

    @property
    def simple_average(self) -> float:
        return (self.last.value / self.first.value - 1.0) / self.years * 100.0

    @property
    def implied_years(self) -> float:
        return math.log(self.last.value / self.first.value) / math.log(1.0 + self.stated.value / 100.0)

    @property
    def implied_first(self) -> float:
        return self.last.value / (1.0 + self.stated.value / 100.0) ** self.years

    @property
    def nearest_span(self) -> int:
        """The whole number of years closest to the span the stated rate needs."""
        return max(1, round(self.implied_years))

    @property
    def cagr_nearest_span(self) -> float:
        return metrics.cagr_pct(self.first.value, self.last.value, self.nearest_span)


def productivity_check(frame: pd.DataFrame) -> Productivity:
    first_row, last_row = values.row(frame, "a_contract_per_worker_2016"), values.row(frame, "a_contract_per_worker_2023")
    return Productivity(Number.from_row(first_row), Number.from_row(last_row),
                        values.number(frame, "a_contract_per_worker_growth"),
                        int(first_row["year"]), int(last_row["year"]))


def productivity_table(c: Productivity) -> pd.DataFrame:
    fy, ly, n, k = c.first_year, c.last_year, c.years, c.nearest_span
    first, last, g = c.first.printed, c.last.printed, c.stated.printed
    lo, hi = c.cagr_range
    rows = [
        (f"{fy}年人均合同额", f"Contract value per employee, {fy}", c.first.value, "万美元/人", BASIS_STATED, "",
         "a_contract_per_worker_2016"),
        (f"{ly}年人均合同额", f"Contract value per employee, {ly}", c.last.value, "万美元/人", BASIS_STATED, "",
         "a_contract_per_worker_2023"),
        ("年均增长（原文）", "Average annual growth, as stated", c.stated.value, "%", BASIS_STATED, "",
         "a_contract_per_worker_growth"),
        (f"年均复合增长（按两端值重算，{n}年）", f"Compound annual growth from the endpoints ({n} years)", c.cagr, "%",
         BASIS_DERIVED, f"({last} ÷ {first})^(1/{n}) − 1 = {fixed(c.cagr, 2)}% "
                        f"(endpoints read ± half a unit: {fixed(lo, 2)}–{fixed(hi, 2)}%)", ""),
        ("差异（原文 − 重算）", "Difference, stated − recomputed", c.difference_pp, "个百分点", BASIS_DERIVED,
         f"{g} − {fixed(c.cagr, 2)} = {fixed(c.difference_pp, 2)}", ""),
        ("参考：简单平均增长", "For reference: simple average growth", c.simple_average, "%", BASIS_DERIVED,
         f"({last} ÷ {first} − 1) ÷ {n} = {fixed(c.simple_average, 2)}%", ""),
        (f"参考：{k}年复合增长", f"For reference: compound growth over {k} years", c.cagr_nearest_span, "%",
         BASIS_DERIVED, f"({last} ÷ {first})^(1/{k}) − 1 = {fixed(c.cagr_nearest_span, 2)}%", ""),
        (f"{g}%所需年数", "Years the stated rate needs to go from first to last value", c.implied_years, "年",
         BASIS_DERIVED, f"ln({last} ÷ {first}) ÷ ln(1 + {g}%) = {fixed(c.implied_years, 2)}", ""),
        (f"{g}%所隐含的{fy}年值", f"{fy} value implied by the stated rate and the {ly} value", c.implied_first,
         "万美元/人", BASIS_DERIVED, f"{last} ÷ (1 + {g}%)^{n} = {fixed(c.implied_first, 2)}", ""),
    ]
    return pd.DataFrame(rows, columns=["项目", "item", "value", "unit", "basis", "arithmetic", "value_id"])


# --------------------------------------------------------------------------------------------
# tab_a3: classification


def classification_counts(cls: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The paper's stated counts of ITO classes next to the number of items it lists."""
    rows = []
    for value_id, level in (("a_ito_mid_classes", "中类"), ("a_ito_sub_classes", "小类")):
        stated = values.get(frame, value_id)
        listed = int(((cls["category"] == "ITO") & (cls["level"] == level)).sum())
        rows.append({"value_id": value_id, "level": level, "stated": int(stated), "listed": listed,
                     "match": int(stated) == listed})
    return pd.DataFrame(rows)


def classification_table(cls: pd.DataFrame) -> pd.DataFrame:
    """One row per listed item, with its parent and whether the paper states or we infer it."""
    names = cls.set_index("item_id")["name_zh"]
    out = cls.copy()
    # NaN, not pd.NA: the HTML table prints NaN as its na_rep (—) but pd.NA as "<NA>".
    out["parent"] = out["parent_id"].map(lambda p: names.get(p, float("nan")) if isinstance(p, str) else float("nan"))
    out["parent_basis"] = out["parent_basis"].map(
        {"stated": "原文 stated", "inferred": "推断 inferred (list order)"}).where(out["parent_basis"].notna())
    return out[["category", "level", "position", "name_zh", "name_en", "parent", "parent_basis", "quote"]]


# --------------------------------------------------------------------------------------------
# tab_a4: every other quantitative claim


NOT_NAMED = "未说明 not named"


def names_a_source(source: str) -> bool:
    """False for "not named" and for a kind of source without a name (不完全统计, an unnamed survey)."""
    return not (source == NOT_NAMED or any(w in source for w in ("not named", "no source named", "unnamed")))


def other_claims_table(frame: pd.DataFrame) -> pd.DataFrame:
    shown_elsewhere = set(EMPLOYMENT_IDS + TALENT_IDS + PRODUCTIVITY_IDS + CLASSIFICATION_IDS)
    rest = frame[~frame["value_id"].isin(shown_elsewhere)]
    rows = []
    for _, r in rest.iterrows():
        fields = values.note_fields(r["note"])
        qualifier = fields.get("qualifier", "")
        _, symbol = values.qualifier(r["note"])
        value = Number.from_row(r).text()
        reading = ""
        if r["unit"] == "番":
            reading = f"×{doublings_to_multiple(r['value']):g} (2^{value}, computed)"
        elif r["unit"] == "比例":
            reading = f"{r['value'] * 100:g}% (computed)"
        if "bound" in fields:
            reading = (reading + "; " if reading else "") + fields["bound"]
        year = values.year_label(r)
        source = fields.get("source", "not named")
        rows.append({
            "section": r["section"], "指标": r["metric"], "metric": r["metric_en"],
            "stated": f"{symbol}{value} {r['unit']}".strip(), "qualifier": qualifier, "reading": reading,
            "year": year, "source": NOT_NAMED if source == "not named" else source,
            "quote": r["quote"], "value_id": r["value_id"],
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# fig_a1: new employees

COLORS = {"total": "#7A9CC6", "college": "#1F4E79"}
PAPER_RED = "#C0392B"
DERIVED_GREY = "#555555"


# The drawing code rounds its labels half away from zero by the one rule of `number`.
fmt_half_up = half_up


def _bar_geometry(row) -> tuple[float, float]:
    left = row["start"] - 0.38
    width = (row["end"] - row["start"]) + 0.76
    return left, width


def plot_new_hires(hires: pd.DataFrame, check: dict, first: int, last: int, unknown: dict[str, list[int]]):
    """图1 rebuilt: (a) all new employees, (b) college-educated; released solid, derived hatched.

    Bars are per-year values; a bar that spans several years stands for their sum (labelled) at its
    yearly average, so its area is the multi-year total and no year is given a value of its own.
    """
    fig, axes = plt.subplots(2, 1, figsize=(9.2, 8.4), sharex=True, sharey=True)
    ymax = max(hires["per_year"].max(), check["stated"], check.get("implied_first_year") or 0) * 1.22
    panels = [("total", "(a) 新增从业人员 · all new employees"),
              ("college", "(b) 其中大学（含大专）以上学历 · of which college-educated (incl. junior college)")]
    label_box = dict(boxstyle="round,pad=0.25", fc="white", ec="none", alpha=0.92)
    for ax, (group, title) in zip(axes, panels):
        color = COLORS[group]
        for _, r in hires[hires["group"] == group].iterrows():
            left, width = _bar_geometry(r)
            if r["released"]:
                ax.add_patch(Rectangle((left, 0), width, r["per_year"], facecolor=color, edgecolor=color, lw=1))
            else:
                ax.add_patch(Rectangle((left, 0), width, r["per_year"], facecolor="white", edgecolor=color,
                                       hatch="///", lw=1.2))
            if r["years"] > 1:
                label = (f"{int(r['start'])}–{int(r['end'])}\n合计 total {fmt_half_up(r['value'])}\n"
                         f"年均 per year {fmt_half_up(r['per_year'])}")
            else:
                label = fmt_half_up(r["value"])
            ax.text(left + width / 2, r["per_year"] * 0.5, label, ha="center", va="center", fontsize=9,
                    color="#1A1A1A", bbox=label_box, zorder=4)
        for year in unknown.get(group, []):
            ax.text(year, ymax * 0.03, "未公布\nnot\npublished", ha="center", va="bottom", fontsize=8,
                    color="#666666")
        ax.set_title(title, loc="left", fontsize=10.5, fontweight="normal")
        ax.grid(axis="x", visible=False)
        ax.set_ylim(0, ymax)
        ax.set_ylabel("万人/年 · 10k persons per year")

    ax = axes[1]
    stated = check["stated"]
    ax.hlines(stated, first - 0.45, last + 0.45, color=PAPER_RED, linestyle="--", lw=1.6, zorder=3)
    ax.text(last + 0.5, stated + 0.6, f"{stated:g}", color=PAPER_RED, va="bottom", ha="left", fontsize=9)
    if check.get("known_average") is not None:
        ax.hlines(check["known_average"], first + 1 - 0.45, last + 0.45, color=DERIVED_GREY, linestyle=":",
                  lw=1.8, zorder=3)
        ax.text(last + 0.5, check["known_average"] - 0.6, fmt_half_up(check["known_average"]), color=DERIVED_GREY,
                va="top", ha="left", fontsize=9)
    implied = check.get("implied_first_year")
    if implied is not None:
        ax.add_patch(Rectangle((first - 0.38, 0), 0.76, implied, facecolor="none", edgecolor=PAPER_RED,
                               linestyle=(0, (2, 2)), lw=1.3))
        ax.text(first, implied + ymax * 0.025, f"倒推 implied\n{fmt_half_up(implied)}", ha="center",
                va="bottom", fontsize=8.5, color=PAPER_RED, bbox=label_box, zorder=4)

    axes[1].set_xticks(range(first, last + 1))
    axes[1].set_xlim(first - 0.6, last + 0.95)
    axes[1].set_xlabel("年份 Year")

    handles = [
        Patch(facecolor="#777777", edgecolor="#777777", label="公布值 released by MOFCOM"),
        Patch(facecolor="white", edgecolor="#555555", hatch="///",
              label="推算值 derived: difference of year-end stocks (a wide bar = years that cannot be separated)"),
        Line2D([0], [0], color=PAPER_RED, linestyle="--", lw=1.6,
               label=f"论文所述年均新增大学以上学历 {stated:g}万 (Paper A, stated, {first}–{last})"),
    ]
    if check.get("known_average") is not None:
        handles.append(Line2D([0], [0], color=DERIVED_GREY, linestyle=":", lw=1.8,
                              label=f"数据推算 {first + 1}–{last} 年均 {fmt_half_up(check['known_average'])}万 "
                                    "(derived from MOFCOM stocks)"))
    if implied is not None:
        handles.append(Patch(facecolor="none", edgecolor=PAPER_RED, linestyle=(0, (2, 2)),
                             label=f"按论文 {stated:g} 倒推的 {first} 年值 (implied by the paper's average, not data)"))
    fig.legend(handles=handles, loc="lower left", ncol=1, fontsize=8.5, frameon=False,
               bbox_to_anchor=(0.07, 0.0))
    fig.suptitle(f"{first}—{last}年中国服务外包产业新增从业人员（据商务部发布数据重建）\n"
                 f"New employees in China's service outsourcing, {first}–{last}, rebuilt from MOFCOM releases",
                 fontsize=11.5, fontweight="normal")
    fig.tight_layout(rect=(0, 0.13, 1, 1))
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


def diagram_layout(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Column = longest path from the root; row = the node's lane. Fails on cycles or unknown ids."""
    ids = set(nodes["node_id"])
    unknown = (set(edges["source"]) | set(edges["target"])) - ids
    if unknown:
        raise ValueError(f"edges name nodes that do not exist: {sorted(unknown)}")
    depth = {n: 0 for n in ids}
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


def plot_business_model(nodes: pd.DataFrame, edges: pd.DataFrame, *, caveat: str):
    """图2 reconstructed: lanes for the paper's four strands, one box per node, the root on a bus.

    The axes are in inches (one data unit = one inch), so box sizes follow the measured text.
    """
    layout = diagram_layout(nodes, edges)
    roots = layout[layout["column"] == 0]
    if len(roots) != 1:
        raise ValueError(f"the diagram needs exactly one root node, found {len(roots)}")
    root_id = roots["node_id"].iloc[0]
    lanes = [g for g in LANES if g in set(layout["group"]) - {roots["group"].iloc[0]}]
    W, H = 15.0, 9.2
    fig = plt.figure(figsize=(W, H))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, W)
    ax.set_ylim(0, H)
    ax.axis("off")

    lane_h, top = 1.5, H - 1.25
    lane_y = {g: top - (i + 0.5) * lane_h for i, g in enumerate(lanes)}
    x_root, x_bus, x0, dx, box_w = 2.55, 3.75, 5.05, 2.68, 2.36
    for g in lanes:
        zh, en, face, edge = LANES[g]
        ax.add_patch(FancyBboxPatch((0.25, lane_y[g] - lane_h / 2 + 0.06), W - 0.5, lane_h - 0.12,
                                    boxstyle="round,pad=0,rounding_size=0.12", facecolor=face, edgecolor="none",
                                    alpha=0.6, zorder=0))
        ax.text(0.42, lane_y[g] + 0.05, zh, ha="left", va="bottom", fontsize=10.5,
                color=edge, linespacing=1.15)
        ax.text(0.42, lane_y[g] - 0.02, "\n".join(textwrap.wrap(en, 13)), ha="left", va="top", fontsize=8,
                color=edge, linespacing=1.05)

    patches, centres = {}, {}
    pad, gap = 0.12, 0.07
    for _, n in layout.iterrows():
        is_root = n["node_id"] == root_id
        if is_root:
            x, y = x_root, (lane_y[lanes[0]] + lane_y[lanes[-1]]) / 2
            face, edge, zh_color, en_color = "#1F3B57", "#1F3B57", "white", "#D8D8D8"
            w = 1.45
        else:
            x, y = x0 + (n["column"] - 1) * dx, lane_y[n["group"]]
            edge = LANES[n["group"]][3]
            face, zh_color, en_color = "white", "#1A1A1A", "#555555"
            w = box_w
        zh = ax.text(x, 0, "\n".join(wrap_zh(n["label_zh"], 12 if not is_root else 6)), ha="center", va="top",
                     fontsize=10.5, color=zh_color, zorder=3, linespacing=1.2)
        en = ax.text(x, 0, "\n".join(textwrap.wrap(n["label_en"], 32 if not is_root else 14)), ha="center",
                     va="top", fontsize=7.8, color=en_color, style="italic", zorder=3, linespacing=1.1)
        hz, he = _text_height(ax, zh), _text_height(ax, en)
        h = pad * 2 + hz + gap + he
        zh.set_y(y + h / 2 - pad)
        en.set_y(y + h / 2 - pad - hz - gap)
        patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.09",
                               facecolor=face, edgecolor=edge, lw=1.5, zorder=2)
        ax.add_patch(patch)
        patches[n["node_id"]] = patch
        centres[n["node_id"]] = (x, y, w, h)

    arrow = dict(arrowstyle="-|>", mutation_scale=14, lw=1.3, color="#444444", zorder=1.5)
    # The root feeds every strand: one line to a vertical bus, then one arrow into each strand's first box,
    # so no arrow crosses another strand's box.
    from_root = edges[edges["source"] == root_id]
    if len(from_root):
        xr, yr, wr, _ = centres[root_id]
        ys = [centres[t][1] for t in from_root["target"]]
        ax.plot([xr + wr / 2 + 0.02, x_bus], [yr, yr], color="#444444", lw=1.3, zorder=1.5)
        ax.plot([x_bus, x_bus], [min(ys + [yr]), max(ys + [yr])], color="#444444", lw=1.3, zorder=1.5,
                solid_capstyle="butt")
        for t in from_root["target"]:
            xt, yt, wt, _ = centres[t]
            ax.add_patch(FancyArrowPatch((x_bus, yt), (xt - wt / 2 - 0.03, yt), shrinkA=0, shrinkB=0, **arrow))
    for _, e in edges[edges["source"] != root_id].iterrows():
        ax.add_patch(FancyArrowPatch(centres[e["source"]][:2], centres[e["target"]][:2],
                                     patchA=patches[e["source"]], patchB=patches[e["target"]],
                                     shrinkA=2, shrinkB=2, **arrow))

    ax.text(W / 2, H - 0.3, "服务外包商业模式创新 · Business-model innovation through service outsourcing",
            ha="center", va="top", fontsize=14.5)
    ax.text(W / 2, H - 0.78, caveat, ha="center", va="top", fontsize=9.5, color="#8B0000")
    return fig
