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
ledger: str = "data/claims/claims_ledger.csv"  # input: the claims ledger: the verdicts on the shares
table: str = "reports/tables/tab_b2_business_mix.csv"  # output: CSV output: the three kinds
summary_table: str = "reports/tables/tab_b2_business_mix_summary.csv"  # output: sums and the implied ITO
notebook_name: str = "tab_b2_business_mix"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, item_tables_b_execution, metrics, paper_b, present, tables
from outsourcing_repro import values as v

frame = dataset.load(values, "paper_values")
mix = paper_b.business_mix(frame)
summary = item_tables_b_execution.business_mix_summary(frame)
section = v.row(frame, "b_kpo_2017")["section"]
parts, total = mix["execution_usd_10k"].sum(), v.get(frame, "b_exec_2017")
year = int(v.row(frame, "b_ito_growth_2017")["year"])
ito_before = metrics.implied_previous(v.get(frame, "b_ito_2017"), v.get(frame, "b_ito_growth_2017"))
checked = audit.Audit.from_files(ledger, [values], only=list(mix["share_id"]) + ["b_mix_sum_2017"])
agree = sum(checked.verdict(i).holds for i in mix["share_id"])

# %%
display(
    present.note(
        f"<p>The three parts add up to {parts:,.0f}万美元 against the {year} total of {v.printed(frame, 'b_exec_2017')}万美元 "
        f"(claims audit: {checked.verdict('b_mix_sum_2017').verdict}), and {agree} of {len(mix)} stated shares agree "
        f"with the recomputed ones within rounding (claims audit). ITO's stated growth of "
        f"{v.printed(frame, 'b_ito_growth_2017')}% implies a {year - 1} ITO value of only {ito_before:.2f}万美元: "
        f"the paper gives no {year - 1} figure to check it against.</p>"
    )
)

# %%
present.write_csv(mix, table)
display(
    present.table(
        tables.business_mix_display(mix, frame, "b_exec_2017", checked),
        tab_id="tab-b2",
        label_zh="表2",
        title_zh=f"{year}年温州承接KPO、ITO、BPO执行额：原文占比与重算占比",
        title_en=f"Wenzhou's KPO, ITO and BPO execution in {year}: the stated shares and the shares recomputed against the total",
        section=section,
        data_files=[values, ledger],
        notebook=notebook_name,
        note=tables.note(),
        claims=list(mix["share_id"]) + ["b_mix_sum_2017"],
    )
)

# %%
display(
    tables.item_table(
        summary,
        frame,
        summary_table,
        tab_id="tab-b2-summary",
        label_zh=None,
        title_zh=f"表2（续）各项之和与ITO增速所隐含的{year - 1}年值",
        title_en=f"Table 2 (cont.): the sums, and the {year - 1} ITO value implied by the stated growth",
        section=section,
        data_files=[values],
        notebook=notebook_name,
    )
)
