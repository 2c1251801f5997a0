"""Paper B (Wenzhou offshore service outsourcing, 2013–2017): the computations behind its figures
and tables. Every input comes from data/raw/paper_b_values.csv through `values`."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from . import metrics, values

EXECUTION = "离岸服务外包执行额"
EXECUTION_GROWTH = "离岸服务外包执行额同比增长"


def execution_series(frame: pd.DataFrame) -> pd.DataFrame:
    """Wenzhou's offshore execution with stated and recomputed year-on-year growth.

    The recomputed growth uses the paper's own levels; 2013 has none because 2012 is not given.
    """
    levels = values.series(frame, EXECUTION, entity="温州", kind="level")
    stated = values.series(frame, EXECUTION_GROWTH, entity="温州", kind="growth_rate")
    table = pd.DataFrame({"year": levels.index, "execution_usd_10k": levels.values})
    table["growth_stated_pct"] = table["year"].map(stated)
    table["growth_recomputed_pct"] = metrics.yoy_series(levels).round(2).values
    table["difference_pp"] = (table["growth_stated_pct"] - table["growth_recomputed_pct"]).round(2)
    return table


def plot_execution(table: pd.DataFrame, wenzhou_avg_stated: float, zhejiang_avg_stated: float):
    """图1: bars for execution (万美元), lines for stated and recomputed growth on a second axis."""
    fig, ax = plt.subplots(figsize=(8.4, 4.8))
    years = table["year"].astype(int).astype(str)
    bars = ax.bar(years, table["execution_usd_10k"], color="#4C72B0", width=0.6,
                  label="执行额 Execution (万美元, left axis)")
    for bar, value in zip(bars, table["execution_usd_10k"]):
        ax.annotate(f"{value:,.2f}".rstrip("0").rstrip("."), (bar.get_x() + bar.get_width() / 2, value),
                    ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    ax.set_ylabel("离岸执行额 Offshore execution (万美元 USD 10k)")
    ax.set_xlabel("年份 Year")
    ax.set_ylim(0, table["execution_usd_10k"].max() * 1.18)
    ax.grid(axis="x", visible=False)

    ax2 = ax.twinx()
    ax2.plot(years, table["growth_stated_pct"], color="#C44E52", marker="o", linewidth=2,
             label="同比增长（原文）Growth as stated (%)")
    ax2.plot(years, table["growth_recomputed_pct"], color="#DD8452", marker="s", linestyle="--",
             linewidth=1.6, label="同比增长（按原文数值重算）Growth recomputed (%)")
    for x, stated, recomputed in zip(years, table["growth_stated_pct"], table["growth_recomputed_pct"]):
        if pd.notna(recomputed) and abs(stated - recomputed) >= 0.5:
            ax2.annotate(f"{stated:.2f} vs {recomputed:.2f}", (x, max(stated, recomputed)),
                         xytext=(0, 8), textcoords="offset points", ha="center", fontsize=8,
                         color="#C44E52")
    ax2.axhline(zhejiang_avg_stated, color="#55A868", linestyle=":", linewidth=1.6,
                label=f"浙江省平均增速 Zhejiang average ({zhejiang_avg_stated:g}%, stated)")
    ax2.axhline(wenzhou_avg_stated, color="#8172B3", linestyle="-.", linewidth=1.2,
                label=f"温州平均增速“50%以上” Wenzhou average (>{wenzhou_avg_stated:g}%, stated)")
    ax2.set_ylabel("同比增长 Growth y/y (%)")
    ax2.set_ylim(0, max(table["growth_stated_pct"].max(), 100) * 1.25)
    ax2.grid(False)

    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
    ax.legend(handles, labels, loc="upper left", fontsize=7.5, frameon=True, framealpha=0.9)
    ax.set_title("温州离岸服务外包产业近五年发展数据 Wenzhou offshore outsourcing, 2013–2017")
    fig.tight_layout()
    return fig
