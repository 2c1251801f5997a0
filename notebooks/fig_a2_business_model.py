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
# ### 论文A 图2 服务外包商业模式创新 · Paper A, Figure 2: business-model innovation through service outsourcing
#
# The paper's 图2 is the author's own drawing (资料来源：作者自绘), and the text we hold does not contain
# it. The diagram below is reconstructed from the prose of §三（二）: every box rests on a verbatim
# quote (data/raw/paper_a_fig2_nodes.csv) and every arrow on the phrase that links two boxes
# (data/raw/paper_a_fig2_edges.csv). The layout is computed from the links, not drawn by hand.

# %% tags=["parameters"]
nodes: str = "data/raw/paper_a_fig2_nodes.csv"  # input: diagram boxes, each with its quote
edges: str = "data/raw/paper_a_fig2_edges.csv"  # input: diagram arrows, each with the phrase it rests on
figure: str = "reports/figures/fig_a2_business_model.png"  # output: PNG output (SVG beside it)
table: str = "reports/tables/fig_a2_business_model.csv"  # output: boxes with their quotes
notebook_name: str = "fig_a2_business_model"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import dataset, figures_business_model, plotting, present

plotting.setup()
node_frame = dataset.load(nodes, "diagram_nodes")
edge_frame = dataset.load(edges, "diagram_edges")
layout = figures_business_model.diagram_layout(node_frame, edge_frame)
section = node_frame["section"].iloc[0]

# %%
caveat = (
    "据论文§三（二）正文重构，作者原图（作者自绘）不在文本中 · "
    "Reconstructed from the text of §III(2); the author's own drawing is not in the text"
)
fig = figures_business_model.plot_business_model(node_frame, edge_frame, caveat=caveat)
saved = plotting.save(fig, figure)
strands = layout[layout["column"] == 1]
display(
    present.figure(
        saved,
        fig_id="fig-a2",
        label_zh="图2",
        title_zh="服务外包商业模式创新（据正文重构，非作者原图）",
        title_en=(
            "Business-model innovation through service outsourcing — reconstructed from the text of §III(2), "
            "not the author's drawing"
        ),
        section=section,
        data_files=[nodes, edges],
        notebook=notebook_name,
        note=(
            f"{len(node_frame)} boxes and {len(edge_frame)} arrows, each resting on a quote from the section. "
            f"The text names {len(strands)} strands that start from service outsourcing: "
            + "; ".join(f"{r.label_zh} ({r.label_en})" for r in strands.itertuples())
            + ". The lanes group them; the grouping and the order within a lane follow the paragraphs."
        ),
    )
)

# %%
shown = layout.sort_values(["column"], kind="stable")[["node_id", "group", "column", "label_zh", "label_en", "quote"]]
display(
    present.table(
        shown,
        tab_id="tab-fig-a2-nodes",
        label_zh=None,
        title_zh="图2 的依据：每个方框对应的原文",
        title_en="What Figure 2 rests on: the quote behind each box",
        section=section,
        data_files=[nodes, edges],
        notebook=notebook_name,
        csv_path=table,
    )
)
