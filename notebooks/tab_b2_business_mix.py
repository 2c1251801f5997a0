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
# ### 论文B 表2 2017年温州承接KPO、ITO、BPO执行额 · Paper B, Table 2: Wenzhou's KPO, ITO and BPO execution, 2017
#
# §三（二） gives the three kinds of outsourcing in 2017, their shares and ITO's growth. The table
# recomputes each share against the 2017 total of §三（一）, checks that the parts add up to it,
# and shows the 2016 ITO value that ITO's stated growth rate implies.

# %% tags=["parameters"]
values: str = "data/raw/paper_b_values.csv"  # input: paper B transcription
table: str = "reports/tables/tab_b2_business_mix.csv"  # output: CSV output: the three kinds
summary_table: str = "reports/tables/tab_b2_business_mix_summary.csv"  # output: CSV output: sums and the implied 2016 ITO
notebook_name: str = "tab_b2_business_mix"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import dataset, paper_b, present, values as v

frame = dataset.load(values, "paper_values")
mix = paper_b.business_mix(frame)
summary = paper_b.business_mix_summary(frame)
section = v.row(frame, "b_kpo_2017")["section"]
parts, total = mix["execution_usd_10k"].sum(), v.get(frame, "b_exec_2017")
year = int(v.row(frame, "b_ito_growth_2017")["year"])
ito_2016 = summary.loc[summary["item"] == "2016 ITO execution implied by the stated growth", "value"].iloc[0]

# %%
display(present.note(
    f"<p>The three parts add up to {parts:,.0f}万美元, {'exactly' if parts == total else 'not'} the {year} total of "
    f"{total:,.0f}万美元, and all {int(mix['within_rounding'].sum())} of {len(mix)} stated shares agree with the "
    f"recomputed ones within rounding. ITO's stated growth of {paper_b.printed(frame, 'b_ito_growth_2017')}% implies a {year - 1} "
    f"ITO value of only {ito_2016:.2f}万美元: the paper gives no {year - 1} figure to check it against.</p>"
))

# %%
present.write_csv(mix, table)
display(present.table(
    paper_b.business_mix_display(mix, frame),
    tab_id="tab-b2",
    label_zh="表2",
    title_zh="2017年温州承接KPO、ITO、BPO执行额：原文占比与重算占比",
    title_en="Wenzhou's KPO, ITO and BPO execution in 2017: the stated shares and the shares recomputed against the total",
    section=section,
    data_files=[values],
    notebook=notebook_name,
    claims=paper_b.claim_ids(frame, mix["share_id"]),
))

# %%
present.write_csv(summary, summary_table)
display(present.table(
    paper_b.item_table_display(summary, frame),
    tab_id="tab-b2-summary",
    label_zh=None,
    title_zh="表2（续）各项之和与ITO增速所隐含的2016年值",
    title_en="Table 2 (cont.): the sums, and the 2016 ITO value implied by the stated growth",
    section=section,
    data_files=[values],
    notebook=notebook_name,
    row_classes=paper_b.row_classes(summary),
    claims=paper_b.claim_ids(frame, summary["value_id"]),
))
