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
ledger: str = "data/claims/claims_ledger.csv"  # input: the claims ledger: the verdict on the stated growth
table: str = "reports/tables/tab_a2_productivity.csv"  # output: CSV output
notebook_name: str = "tab_a2_productivity"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, item_tables_a, number, paper_a, present, tables
from outsourcing_repro import values as v

frame = dataset.load(values, "paper_values")
c = paper_a.productivity_check(frame)
productivity = item_tables_a.productivity_table(c)
growth = audit.Audit.from_files(ledger, [values], only=["a_contract_per_worker_growth"]).verdict(
    "a_contract_per_worker_growth"
)

# %%
lo, hi = c.cagr_range
first, last, stated = c.first.text(), c.last.text(), c.stated.text()
display(
    present.note(
        f"<p>From {first} to {last}万美元 over {c.first_year}—{c.last_year} ({c.years} years) "
        f"is a compound rate of <b>{number.fixed(c.cagr, 1)}%</b> a year ({number.fixed(lo, 2)}–{number.fixed(hi, 2)}% "
        f"with both endpoints read ± half a unit), not the stated {stated}%: a gap of {number.fixed(c.difference_pp, 1)} "
        f"percentage points (claims audit: {growth.verdict}, <a href='#{growth.anchor}'>{growth.claim_id}</a>). "
        f"The stated rate would need {number.fixed(c.implied_years, 1)} years to grow {first} into {last} (a "
        f"{c.nearest_span}-year span would give {number.fixed(c.cagr_nearest_span, 1)}%), or a {c.first_year} value of "
        f"{number.fixed(c.implied_first, 1)} instead of {first}; a simple (non-compound) average gives "
        f"{number.fixed(c.simple_average, 1)}%. None of these readings gives {stated}%. The paper does not say how "
        "人均合同额 is defined (which contracts, which employees), so the endpoints cannot be checked here.</p>"
    )
)

# %%
display(
    tables.item_table(
        productivity,
        frame,
        table,
        places=2,
        tab_id="tab-a2",
        label_zh="表2",
        title_zh=f"服务外包人均合同额：原文所述年均增长 {stated}% 与按两端值重算的复合增长",
        title_en=(
            f"Contract value per employee, {c.first_year} and {c.last_year}: the stated average growth "
            f"({stated}%) beside the compound rate recomputed from the endpoints"
        ),
        section=v.row(frame, "a_contract_per_worker_growth")["section"],
        data_files=[values, ledger],
        notebook=notebook_name,
        claims=audit.claim_ids(frame, paper_a.PRODUCTIVITY_IDS),
    )
)
