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
# ### 论文A 表4 其他定量表述 · Paper A, Table 4: every other quantitative statement
#
# Every number Paper A uses for a claim that is not in 图1 or 表1–表3: digital economy, Gartner's
# forecast, services shares, CRO, industrial internet, demonstration factories, services
# digitalisation and exports, wages, the pandemic's horizon, the "千百十" targets and the counts
# the text states. Each row keeps its verbatim quote, the year it refers to and the source the
# paper names (most name none). Ranges are one row per bound; numbers written in words are read
# in code (一半 = 0.5; 翻两番 = two doublings, ×4).

# %% tags=["parameters"]
values: str = "data/raw/paper_a_values.csv"  # input: paper A transcription
table: str = "reports/tables/tab_a4_other_claims.csv"  # output: CSV output
notebook_name: str = "tab_a4_other_claims"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, paper_a, present, tables

frame = dataset.load(values, "paper_values")
claims = paper_a.other_claims_table(frame)

# %%
named = claims[claims["source"].map(paper_a.names_a_source)]
undated = claims[claims["year"].str.startswith("未说明")]
by_kind = frame[frame["value_id"].isin(claims["value_id"])].groupby("kind").size()
display(
    present.note(
        f"<p>{len(claims)} statements (of {len(frame)} transcribed values; the rest are in 图1 and 表1–表3). "
        f"{len(named)} name a source ({present.esc(', '.join(sorted(set(named['source']))))}); "
        f"{len(claims) - len(named)} name none. {len(undated)} give no year. By kind: "
        + ", ".join(f"{present.esc(k)} {n}" for k, n in by_kind.items())
        + ". Growth and share statements link to their row in the claims audit.</p>"
    )
)

# %%
# The CSV keeps every column (value_id, qualifier, metric in both languages); the page shows a narrower view.
present.write_csv(claims, table)
display(
    present.table(
        tables.listed_claims_display(claims),
        tab_id="tab-a4",
        label_zh="表4",
        title_zh="论文A的其他定量表述：原文、年份与所称来源",
        title_en="Paper A's other quantitative statements: the verbatim quote, the year and the source it names",
        section="§二—§四, 注释①",
        data_files=[values],
        notebook=notebook_name,
        note=f"Full columns (value_id, qualifier, bound): {table}",
        claims=audit.claim_ids(frame, claims["value_id"]),
    )
)
