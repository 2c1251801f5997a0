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
table: str = "reports/tables/tab_b3_concentration.csv"  # output: CSV output
notebook_name: str = "tab_b3_concentration"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import dataset, paper_b, present, values as v

frame = dataset.load(values, "paper_values")
c = paper_b.concentration(frame)
concentration = paper_b.concentration_table(frame)
low = paper_b.band_threshold(frame, "b_firms_200plus_2017")
high = paper_b.band_threshold(frame, "b_firms_500plus_2017")
year = int(v.row(frame, "b_firms_500plus_change_2017")["year"])
later_section = v.row(frame, "b_firms_1000plus_2017")["section"]
n_later = int(concentration["value_id"].map(
    lambda i: bool(i) and v.row(frame, i)["section"] == later_section).sum())

# %%
display(present.note(
    f"<p>{c['n_200']:g} of {c['n_all']:g} firms ({c['n_200'] / c['n_all'] * 100:.0f}%) executed "
    f"{c['share_200']:.2f}% of the total (stated {paper_b.printed(frame, 'b_share_200plus_2017')}%), and "
    f"{c['n_500']:g} firms executed {c['share_500']:.2f}% (stated {paper_b.printed(frame, 'b_share_500plus_2017')}%). "
    f"The {c['n_band']:g} firms between {low:g}万 and {high:g}万美元 average {c['mean_band']:.1f}万美元, "
    f"{'inside' if low <= c['mean_band'] <= high else 'outside'} their "
    f"band, and the {c['n_below']:g} firms below {low:g}万 average {c['mean_below']:.1f}万美元: the bands are "
    f"{'internally consistent' if low <= c['mean_band'] <= high and c['mean_below'] < low else 'not consistent'}. §四（二） repeats the count of {c['n_500_restated']:g} firms above {high:g}万 "
    f"({'the same as' if c['restated_matches'] else 'unlike'} §三（一）) and adds {c['change_500']:g} on the year, "
    f"so {c['n_500_2016']:g} such firms in {year - 1}. It prints “2017家” where 2017年 is meant.</p>"
))

# %%
present.write_csv(concentration, table)
display(present.table(
    paper_b.item_table_display(concentration, frame),
    tab_id="tab-b3",
    label_zh="表3",
    title_zh="温州离岸服务外包执行企业数与规模分布：原文与推算",
    title_en="Wenzhou's offshore outsourcing firms by size band: stated and derived",
    section=v.row(frame, "b_firms_2017")["section"],
    data_files=[values],
    notebook=notebook_name,
    row_classes=paper_b.row_classes(concentration),
    note=(f"Stated rows from {paper_b.short_section(v.row(frame, 'b_firms_1000plus_2017')['section'])}: "
          f"{n_later} (the two counts above {paper_b.band_threshold(frame, 'b_firms_1000plus_2017'):g}万美元, the "
          f"restated count and its change); the other stated rows are from "
          f"{paper_b.short_section(v.row(frame, 'b_firms_2017')['section'])}. Rows marked 推算 derived are computed here."),
    claims=paper_b.claim_ids(frame, concentration["value_id"]),
))
