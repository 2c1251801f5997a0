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
# ### 论文B 图2 温州两大示范园区内的服务外包公共平台 · Paper B, Figure 2: public service platforms in Wenzhou's two demonstration parks
#
# The paper refers to 图2 from §四（三）, but the figure is not in the text we hold; only its caption
# is. The diagram below is reconstructed from the prose of §四（三）: every box rests on a verbatim
# quote (data/raw/paper_b_parks_platforms.csv), and every number in it (platforms, firms, people) is
# read from data/raw/paper_b_values.csv. The text names the five platforms of the 浙江工贸 park
# but gives only the count of 温州高新区's platforms, so those are drawn as unnamed placeholders.

# %% tags=["parameters"]
values: str = "data/raw/paper_b_values.csv"  # input: paper B transcription (the numbers in the boxes)
parks: str = "data/raw/paper_b_parks_platforms.csv"  # input: parks, profiles and platforms, each with its quote
figure: str = "reports/figures/fig_b2_parks_platforms.png"  # output: PNG output (SVG beside it)
table: str = "reports/tables/fig_b2_parks_platforms.csv"  # output: boxes with their quotes
notebook_name: str = "fig_b2_parks_platforms"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import dataset, figures_parks, number, paper_b, plotting, present, tables
from outsourcing_repro import values as v

plotting.setup()
frame = dataset.load(values, "paper_values")
items = dataset.load(parks, "paper_b_parks")
tree = paper_b.park_tree(items, frame)
summary = paper_b.park_summary(tree).set_index("park_id")
section = items["section"].iloc[0]
parks_zh, parks_en = number.count_words(v.get(frame, "b_parks_count"))

# %%
caveat = (
    "据论文§四（三）正文重构，原图2不在文本中 · "
    "Reconstructed from the text of §IV(3); the paper's 图2 is not in the text we hold"
)
fig = figures_parks.plot_parks(tree, caveat=caveat)
saved = plotting.save(fig, figure)
gxq, gm = summary.loc["gxq"], summary.loc["gm"]
display(
    present.figure(
        saved,
        fig_id="fig-b2",
        label_zh="图2",
        title_zh=f"温州{parks_zh}大示范园区内的服务外包公共平台（据正文重构，非作者原图）",
        title_en=(
            f"Public service platforms in Wenzhou's {parks_en} demonstration parks — reconstructed from the text "
            "of §IV(3), not the author's figure"
        ),
        section=section,
        data_files=[parks, values],
        notebook=notebook_name,
        claims=["b_parks_count"],
        note=(
            f"{len(items)} boxes, each resting on a quote. {gxq['park']}: the text counts "
            f"{gxq['platforms_counted']:.0f} platforms and names {gxq['platforms_named']}, so they are drawn as "
            f"unnamed placeholders; it names {gxq['industries_named']} industries. {gm['park']}: the text names "
            f"{gm['platforms_named']} platforms and ends the list with 等 (etc.), so there may be more; it names "
            f"{gm['industries_named']} fields of its firms. 集电成路 is printed so (for 集成电路, integrated circuits)."
        ),
    )
)

# %%
present.write_csv(tree[["item_id", "parent_id", "kind", "label_zh", "label_en", "count_text", "quote"]], table)
display(
    present.table(
        tables.park_items_display(tree),
        tab_id="tab-fig-b2-items",
        label_zh=None,
        title_zh="图2 的依据：每个方框对应的原文",
        title_en="What Figure 2 rests on: the quote behind each box",
        section=section,
        data_files=[parks, values],
        notebook=notebook_name,
    )
)
