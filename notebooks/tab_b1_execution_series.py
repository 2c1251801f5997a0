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
# ### 论文B 表1 温州离岸服务外包执行额与增速（2013—2017） · Paper B, Table 1: Wenzhou's offshore execution and its growth, 2013–2017
#
# §三（一） prints five yearly levels, five growth rates, the 2017 value in RMB and two averages.
# The first table sets each stated rate beside the rate recomputed from the stated levels; the
# second gives what the 2017 RMB value implies for the exchange rate, the compound rate over the
# period, and the averages the paper compares Wenzhou with.

# %% tags=["parameters"]
values: str = "data/raw/paper_b_values.csv"  # input: paper B transcription
table: str = "reports/tables/tab_b1_execution_series.csv"  # output: CSV output: the yearly series
summary_table: str = "reports/tables/tab_b1_execution_series_summary.csv"  # output: CSV output: rate, CAGR, averages
notebook_name: str = "tab_b1_execution_series"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import dataset, paper_b, present, values as v

frame = dataset.load(values, "paper_values")
series = paper_b.execution_series(frame)
summary = paper_b.execution_summary_table(frame)
s = paper_b.execution_summary(frame)
section = v.row(frame, "b_exec_2013")["section"]

# %%
worst = series.loc[series["difference_pp"].abs().idxmax()]
above = [s["cagr"] > s["wenzhou_avg_stated"], s["mean_stated"] > s["wenzhou_avg_stated"]]
bears_out = ("Either reading bears out" if all(above) else
             "Only one reading bears out" if any(above) else "Neither reading bears out")
display(present.note(
    f"<p>From {s['first']:,.0f} to {s['last']:,.0f}万美元 over {s['first_year']}–{s['last_year']} is a compound "
    f"rate of <b>{s['cagr']:.1f}%</b> a year; the mean of the {s['n_stated']} stated yearly rates is "
    f"{s['mean_stated']:.1f}%. {bears_out} the stated average of “{s['wenzhou_avg_stated']:g}%以上”. "
    f"The largest gap between a stated and a recomputed rate is in {int(worst['year'])}: "
    f"{worst['growth_stated_pct']:.2f}% stated, {worst['growth_recomputed_pct']:.2f}% from the levels "
    f"({worst['difference_pp']:+.2f} points); the stated {s['last_year']} rate implies a {s['last_year'] - 1} level of "
    f"{s['implied_2016']:,.1f} instead of {s['stated_2016']:,.0f}. The {s['last_year']} RMB value implies "
    f"{s['rate']:.4f} 元 per US dollar; the paper does not say which rate it used.</p>"
))

# %%
display(present.table(
    paper_b.execution_series_display(series),
    tab_id="tab-b1",
    label_zh="表1",
    title_zh="温州离岸服务外包执行额：原文同比增速与按原文数值重算的增速",
    title_en="Wenzhou's offshore execution: growth as stated and as recomputed from the stated levels",
    section=section,
    data_files=[values],
    notebook=notebook_name,
    csv_path=table,
    formats={"执行额 execution (万美元)": "{:,.2f}", "同比增长 原文 stated (%)": "{:.2f}",
             "同比增长 重算 recomputed (%)": "{:.2f}", "差 stated − recomputed (个百分点)": "{:+.2f}"},
    note=f"{s['first_year']} growth cannot be recomputed: {s['first_year'] - 1} is not given. Recomputed values are derived.",
    claims=paper_b.claim_ids(frame, paper_b.GROWTH_IDS),
))

# %%
present.write_csv(summary, summary_table)
display(present.table(
    paper_b.item_table_display(summary, frame),
    tab_id="tab-b1-summary",
    label_zh=None,
    title_zh="表1（续）2017年人民币值与隐含汇率、复合增长率和平均增速",
    title_en="Table 1 (cont.): the 2017 RMB value and its implied rate, the compound rate and the stated averages",
    section=section,
    data_files=[values],
    notebook=notebook_name,
    row_classes=paper_b.row_classes(summary),
    claims=paper_b.claim_ids(frame, summary["value_id"]),
))
