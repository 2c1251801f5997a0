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
# ### 论文B 表3 温州离岸服务外包执行企业的规模分布 · Paper B, Table 3: how concentrated Wenzhou's offshore outsourcing firms are
#
# §三（一） counts the executing firms in 2015 and 2017 and gives two size bands (firms above two
# thresholds of offshore execution) with their values and shares; §四（二） adds a third, higher band
# and the yearly change in the middle one. The table recomputes the shares against the 2017 total and derives
# the bands the paper leaves implicit.

# %% tags=["parameters"]
values: str = "data/raw/paper_b_values.csv"  # input: paper B transcription
ledger: str = "data/claims/claims_ledger.csv"  # input: the claims ledger: the verdicts on the bands
table: str = "reports/tables/tab_b3_concentration.csv"  # output: CSV output
notebook_name: str = "tab_b3_concentration"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, item_tables_b_execution, number, paper_b, present, tables
from outsourcing_repro import values as v

frame = dataset.load(values, "paper_values")
c = paper_b.concentration(frame)
concentration = item_tables_b_execution.concentration_table(frame)
low = paper_b.band_threshold(frame, "b_firms_200plus_2017")
high = paper_b.band_threshold(frame, "b_firms_500plus_2017")
year = int(v.row(frame, "b_firms_500plus_change_2017")["year"])
later_section = v.row(frame, "b_firms_1000plus_2017")["section"]
n_later = int(concentration["value_id"].map(lambda i: bool(i) and v.row(frame, i)["section"] == later_section).sum())
band_claims = [
    "b_band_200_500_mean_2017",
    "b_firms_500plus_restated_2017",
    "b_band_below_200_mean_2017",
    "b_exec_500plus_floor_2017",
    "b_firms_1000plus_within_2016",
]
checked = audit.Audit.from_files(ledger, [values], only=band_claims)
band, restated, below, floor, within_2016 = (checked.verdict(i) for i in band_claims)

# %%
display(
    present.note(
        f"<p>{c.n_200:g} of {c.n_all:g} firms ({c.n_200 / c.n_all * 100:.0f}%) executed "
        f"{c.share_200:.2f}% of the total (stated {v.printed(frame, 'b_share_200plus_2017')}%), and "
        f"{c.n_500:g} firms executed {c.share_500:.2f}% (stated {v.printed(frame, 'b_share_500plus_2017')}%). "
        f"The {c.n_band:g} firms between {low:g}万 and {high:g}万美元 average {c.mean_band:.1f}万美元 "
        f"(claims audit on the band: {band.verdict}), and the {c.n_below:g} firms below {low:g}万 average "
        f"{c.mean_below:.1f}万美元 (claims audit: {below.verdict}); the {c.n_500:g} firms above {high:g}万 execute at "
        f"least {number.trimmed(floor.recomputed)}万美元 (claims audit: {floor.verdict}). §四（二） repeats the count of {c.n_500_restated:g} firms above {high:g}万 "
        f"(claims audit against §三（一）: {restated.verdict}) and adds {c.change_500:g} on the year, "
        f"so {c.n_500_2016:g} such firms in {year - 1}, against its {v.printed(frame, 'b_firms_1000plus_2016')} firm(s) above "
        f"{paper_b.band_threshold(frame, 'b_firms_1000plus_2016'):g}万 (claims audit: {within_2016.verdict}). It prints “{year}家” where {year}年 is meant.</p>"
    )
)

# %%
display(
    tables.item_table(
        concentration,
        frame,
        table,
        tab_id="tab-b3",
        label_zh="表3",
        title_zh="温州离岸服务外包执行企业数与规模分布：原文与推算",
        title_en="Wenzhou's offshore outsourcing firms by size band: stated and derived",
        section=v.row(frame, "b_firms_2017")["section"],
        data_files=[values, ledger],
        notebook=notebook_name,
        table_note=tables.note(
            f"Stated rows from {v.short_section(v.row(frame, 'b_firms_1000plus_2017')['section'])}: "
            f"{n_later} (the two counts above {paper_b.band_threshold(frame, 'b_firms_1000plus_2017'):g}万美元, the "
            f"restated count and its change); the other stated rows are from "
            f"{v.short_section(v.row(frame, 'b_firms_2017')['section'])}."
        ),
        claims=audit.claim_ids(frame, concentration["value_id"]) + band_claims,
    )
)
