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
ledger: str = "data/claims/claims_ledger.csv"  # input: the claims ledger: the verdict on the stated average
table: str = "reports/tables/tab_b1_execution_series.csv"  # output: CSV output: the yearly series
summary_table: str = "reports/tables/tab_b1_execution_series_summary.csv"  # output: CSV output: rate, CAGR, averages
notebook_name: str = "tab_b1_execution_series"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, item_tables_b_execution, paper_b, present, tables
from outsourcing_repro import values as v

frame = dataset.load(values, "paper_values")
series = paper_b.execution_series(frame)
summary = item_tables_b_execution.execution_summary_table(frame)
s = paper_b.execution_summary(frame)
section = v.row(frame, "b_exec_2013")["section"]
average = audit.Audit.from_files(ledger, [values], only=["b_avg_growth_2013_2017"]).verdict("b_avg_growth_2013_2017")

# %%
worst = series.loc[series["difference_pp"].abs().idxmax()]
display(
    present.note(
        f"<p>From {v.printed(frame, series['value_id'].iloc[0])} to {v.printed(frame, series['value_id'].iloc[-1])}万美元 "
        f"over {s.first_year}–{s.last_year} is a compound rate of <b>{s.cagr:.1f}%</b> a year; the mean of the "
        f"{s.n_stated:g} stated yearly rates is {s.mean_stated:.1f}%. Against the stated average of "
        f"“{v.stated_text(frame, 'b_avg_growth_2013_2017')}” the claims audit, which requires both readings to "
        f"reach it, finds it {average.verdict} (<a href='#{average.anchor}'>{average.claim_id}</a>). "
        f"The largest gap between a stated and a recomputed rate is in {int(worst['year'])}: "
        f"{v.printed(frame, worst['growth_id'])}% stated, {worst['growth_recomputed_pct']:.2f}% from the levels "
        f"({worst['difference_pp']:+.2f} points); the stated {s.last_year} rate implies a {s.last_year - 1} level of "
        f"{s.implied_2016:,.1f} instead of {s.stated_2016:,.0f}. The {s.last_year} RMB value implies "
        f"{s.rate:.4f} 元 per US dollar; the paper does not say which rate it used.</p>"
    )
)

# %%
present.write_csv(series, table)
display(
    present.table(
        tables.execution_series_display(series, frame),
        tab_id="tab-b1",
        label_zh="表1",
        title_zh="温州离岸服务外包执行额：原文同比增速与按原文数值重算的增速",
        title_en="Wenzhou's offshore execution: growth as stated and as recomputed from the stated levels",
        section=section,
        data_files=[values],
        notebook=notebook_name,
        note=tables.note(f"{s.first_year} growth cannot be recomputed: {s.first_year - 1} is not given."),
        claims=audit.claim_ids(frame, paper_b.GROWTH_IDS),
    )
)

# %%
display(
    tables.item_table(
        summary,
        frame,
        summary_table,
        tab_id="tab-b1-summary",
        label_zh=None,
        title_zh=f"表1（续）{s.last_year}年人民币值与隐含汇率、复合增长率和平均增速",
        title_en=(
            f"Table 1 (cont.): the {s.last_year} RMB value and its implied rate, the compound rate and the "
            "stated averages"
        ),
        section=section,
        data_files=[values, ledger],
        notebook=notebook_name,
    )
)
