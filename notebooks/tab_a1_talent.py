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
# ### 论文A 表1 服务外包人才规模（截至2023年底） · Paper A, Table 1: the outsourcing workforce at end-2023
#
# §二（一） gives the end-2023 stock of college-educated employees, its share of all employees, the
# breakdown by degree and the number trained. Two rows follow from these by arithmetic and are
# marked as derived: the junior-college (大专) remainder and the total workforce the stated share implies.
# MOFCOM's published cumulative counts from mid-2023 and mid-2024 bracket the paper's end-2023 figures.

# %% tags=["parameters"]
values: str = "data/raw/paper_a_values.csv"  # input: paper A transcription
mofcom: str = "data/external/mofcom_release_values.csv"  # input: MOFCOM release values (cross-check rows)
ledger: str = "data/claims/claims_ledger.csv"  # input: the claims ledger: the verdicts on the brackets
table: str = "reports/tables/tab_a1_talent.csv"  # output: CSV output
notebook_name: str = "tab_a1_talent"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, employment, item_tables_a, metrics, paper_a, present, tables
from outsourcing_repro import values as v

frame = dataset.load(values, "paper_values")
release = dataset.load(mofcom, "mofcom")
obs, _ = employment.resolve_duplicates(employment.observations(release))
stocks = employment.year_end_stocks(employment.year_end_candidates(obs))
talent = item_tables_a.talent_table(frame, mofcom_stocks=stocks, mofcom_obs=obs)
bracket_claims = {
    "college": "a_college_stock_2023",
    "share": "a_college_share_2023",
    "total": "a_total_stock_implied_2023",
}
checked = audit.Audit.from_files(ledger, [values], mofcom, only=list(bracket_claims.values()))

# %%
college = v.get(frame, "a_college_stock_2023")
share = v.get(frame, "a_college_share_2023")
total = metrics.implied_whole(college, share)
degrees = sum(v.get(frame, i) for i in ("a_bachelor_stock_2023", "a_master_stock_2023", "a_doctor_stock_2023"))
stated_year = int(v.row(frame, "a_college_stock_2023")["year"])
bracket = paper_a.mofcom_bracket(obs, stated_year)
b = bracket.set_index(["group", "position"])
lo, hi = b.loc[("college", "before")], b.loc[("college", "after")]
college_verdict, share_verdict, total_verdict = (checked.verdict(i) for i in bracket_claims.values())
mid_share = b.loc[("college", "before"), "value"] / b.loc[("total", "before"), "value"] * 100
display(
    present.note(
        f"<p>本科 + 硕士 + 博士 = {degrees:.1f}万, {degrees / college * 100:.1f}% of the {v.printed(frame, 'a_college_stock_2023')}万 "
        f"college-educated; the remainder, {college - degrees:.1f}万, is 大专 (junior college), which the paper "
        f"counts in 大学（含大专）以上 but does not print. The {v.printed(frame, 'a_college_share_2023')}% share implies "
        f"{total:.1f}万 employees in all, which MOFCOM's counts around end-{stated_year} bracket (claims audit: "
        f"{total_verdict.verdict}).</p>"
        f"<p>Against MOFCOM's nearest published cumulative counts: college-educated end-{lo['month']:02d}/{lo['year']} "
        f"{lo['value']:g} and end-{hi['month']:02d}/{hi['year']} {hi['value']:g} around the paper's "
        f"{v.printed(frame, 'a_college_stock_2023')} at end-{stated_year} (claims audit: {college_verdict.verdict}); the "
        f"college share between those dates (claims audit: {share_verdict.verdict}). "
        f"MOFCOM's own college share at end-{b.loc[('total', 'before'), 'month']:02d}/"
        f"{b.loc[('total', 'before'), 'year']} is {mid_share:.1f}%, against the paper's "
        f"{v.printed(frame, 'a_college_share_2023')}% at end-{stated_year}.</p>"
    )
)

# %%
display(
    tables.item_table(
        talent,
        frame,
        table,
        places=1,
        tab_id="tab-a1",
        label_zh="表1",
        title_zh=f"服务外包人才规模（截至{stated_year}年底，万人）：原文数值、推算值与商务部公布值",
        title_en=(
            f"The service-outsourcing workforce at end-{stated_year} (万人): values stated by the paper, values "
            "derived from them (with their arithmetic), and MOFCOM's published counts around that date"
        ),
        section=v.row(frame, "a_college_stock_2023")["section"],
        data_files=[values, mofcom, ledger],
        notebook=notebook_name,
        claims=audit.claim_ids(frame, paper_a.TALENT_IDS) + [bracket_claims["college"], bracket_claims["total"]],
    )
)
