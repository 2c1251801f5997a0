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
# ### 论文B 表5 市场范围与数字经济背景 · Paper B, Table 5: markets served and the digital-economy context
#
# §三（二） counts the markets Wenzhou's offshore outsourcing serves; §一（二） cites China's 2016
# digital-economy figures from CAICT's white paper. The tables give what each set implies (bounds
# where the paper hedges), and a last table lists every other number the paper prints (dates,
# counts, ranks), so that every transcribed value appears somewhere in the report.

# %% tags=["parameters"]
values: str = "data/raw/paper_b_values.csv"  # input: paper B transcription
table: str = "reports/tables/tab_b5_markets_context.csv"  # output: CSV output: markets
digital_table: str = "reports/tables/tab_b5_markets_context_digital.csv"  # output: CSV output: digital economy
other_table: str = "reports/tables/tab_b5_markets_context_other.csv"  # output: CSV output: every other number
notebook_name: str = "tab_b5_markets_context"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, item_tables_b_context, paper_b, present, tables
from outsourcing_repro import values as v

frame = dataset.load(values, "paper_values")
markets = item_tables_b_context.markets_table(frame)
digital = item_tables_b_context.digital_table(frame)
d = paper_b.digital_economy(frame)
digital_year = int(v.row(frame, "b_digital_level_2016")["year"])
markets_year = int(v.row(frame, "b_markets_2017")["year"])
other = item_tables_b_context.other_numbers(frame, item_tables_b_context.shown_before_table_5_other(frame))

# %%
display(
    present.note(
        f"<p>Wenzhou's outsourcing reaches {v.stated_text(frame, 'b_continents_2017', with_unit=False)} continents and "
        f"more than {v.printed(frame, 'b_markets_2017')} countries and regions; at most "
        f"{v.get(frame, 'b_markets_1m_2017') / v.get(frame, 'b_markets_2017') * 100:.1f}% of them take more than a million dollars each. For the digital economy, a "
        f"{d.growth:g}% growth to {d.level:g}万亿元 implies {d.prev:.2f}万亿元 in {digital_year - 1}, and a share of GDP over "
        f"{d.share:g}% caps {digital_year} GDP at {d.gdp_max:.2f}万亿元. GDP itself is not in the paper or in data/, so the "
        f"shares cannot be checked further here. {len(other)} further numbers (dates, counts, ranks) are listed last.</p>"
    )
)

# %%
display(
    tables.item_table(
        markets,
        frame,
        table,
        tab_id="tab-b5",
        label_zh="表5",
        title_zh=f"温州离岸服务外包的市场范围（{markets_year}年）：原文与推算",
        title_en=f"Markets served by Wenzhou's offshore outsourcing ({markets_year}): stated and derived",
        section=v.row(frame, "b_markets_2017")["section"],
        data_files=[values],
        notebook=notebook_name,
    )
)

# %%
display(
    tables.item_table(
        digital,
        frame,
        digital_table,
        tab_id="tab-b5-digital",
        label_zh=None,
        title_zh=f"表5（续）{digital_year}年中国数字经济：原文数值及其含义",
        title_en=f"Table 5 (cont.): China's digital economy in {digital_year}, as stated and what it implies",
        section=v.row(frame, "b_digital_level_2016")["section"],
        data_files=[values],
        notebook=notebook_name,
    )
)

# %%
present.write_csv(other, other_table)
display(
    present.table(
        other.drop(columns=["value_id"]),
        tab_id="tab-b5-other",
        label_zh=None,
        title_zh="表5（续）论文B中的其他数字：日期、计数与序数",
        title_en="Table 5 (cont.): every other number Paper B prints — dates, counts and ranks",
        section=None,
        data_files=[values],
        notebook=notebook_name,
        claims=audit.claim_ids(frame, other["value_id"]),
    )
)
