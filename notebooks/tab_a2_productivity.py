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
# ### 论文A 表2 服务外包人均合同额（2016—2023） · Paper A, Table 2: contract value per employee, 2016–2023
#
# §二（一） gives 人均合同额 (contract value per employee) in 2016 and 2023 and its average annual
# growth. The table sets the stated rate beside the compound rate recomputed from the two
# endpoints, with the arithmetic, and shows what the stated rate would need (a shorter span, or a
# lower starting value).

# %% tags=["parameters"]
values: str = "data/raw/paper_a_values.csv"  # input: paper A transcription
table: str = "reports/tables/tab_a2_productivity.csv"  # output: CSV output
notebook_name: str = "tab_a2_productivity"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import dataset, paper_a, present, values as v

frame = dataset.load(values, "paper_values")
check = paper_a.productivity_check(frame)
productivity = paper_a.productivity_table(check)

# %%
c = check
display(present.note(
    f"<p>From {c['first']:g} to {c['last']:g}万美元 over {c['first_year']}—{c['last_year']} ({c['years']} years) "
    f"is a compound rate of <b>{c['cagr']:.1f}%</b> a year ({c['cagr_lo']:.2f}–{c['cagr_hi']:.2f}% with both endpoints "
    f"read ± half a unit), not the stated {c['stated']:g}%: a gap of {c['difference_pp']:.1f} percentage points, "
    f"{'within' if c['consistent'] else 'far beyond'} rounding. The stated rate would need {c['implied_years']:.1f} "
    f"years to grow {c['first']:g} into {c['last']:g} (a 5-year span would give {c['cagr_5y']:.1f}%), or a "
    f"{c['first_year']} value of {c['implied_first']:.1f} instead of {c['first']:g}; a simple (non-compound) average "
    f"gives {c['simple_average']:.1f}%. None of these readings gives {c['stated']:g}%. The paper does not say how "
    "人均合同额 is defined (which contracts, which employees), so the endpoints cannot be checked here.</p>"
))

# %%
# The CSV keeps value and unit in separate columns; the page shows them together.
present.write_csv(productivity, table)
display(present.table(
    paper_a.item_table_display(productivity, digits=2),
    tab_id="tab-a2",
    label_zh="表2",
    title_zh=f"服务外包人均合同额：原文所述年均增长 {c['stated']:g}% 与按两端值重算的复合增长",
    title_en=(f"Contract value per employee, {c['first_year']} and {c['last_year']}: the stated average growth "
              f"({c['stated']:g}%) beside the compound rate recomputed from the endpoints"),
    section=v.row(frame, "a_contract_per_worker_growth")["section"],
    data_files=[values],
    notebook=notebook_name,
    row_classes=["derived" if b != paper_a.BASIS_STATED else "" for b in productivity["basis"]],
    claims=paper_a.claim_ids(frame, paper_a.PRODUCTIVITY_IDS),
))
