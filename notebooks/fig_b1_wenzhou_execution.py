# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: outsourcing-repro
#     language: python
#     name: outsourcing-repro
# ---

# %% [markdown]
# ### 论文B 图1 温州离岸服务外包产业近五年发展数据 · Paper B, Figure 1: Wenzhou's offshore service outsourcing, 2013–2017
#
# The paper prints the series in the prose of §三（一）; the figure itself is not in the text.
# Bars are the execution values as printed; the lines are the growth the paper states and the
# growth recomputed from the paper's own levels, so the reader sees where the two part.

# %% tags=["parameters"]
values: str = "data/raw/paper_b_values.csv"  # paper B transcription
figure: str = "reports/figures/fig_b1_wenzhou_execution.png"  # PNG output (SVG beside it)
notebook_name: str = "fig_b1_wenzhou_execution"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import dataset, paper_b, plotting, present, values as v

plotting.setup()
frame = dataset.load(values, "paper_values")
table = paper_b.execution_series(frame)
wenzhou_avg = v.get(frame, "b_avg_growth_2013_2017")
zhejiang_avg = v.get(frame, "b_zj_avg_growth")

# %%
fig = paper_b.plot_execution(table, wenzhou_avg, zhejiang_avg)
saved = plotting.save(fig, figure)
gaps = table.dropna(subset=["growth_recomputed_pct"])
gaps = gaps[gaps["difference_pp"].abs() >= 0.5]
gap_text = "; ".join(
    f"{int(r.year)}: stated {r.growth_stated_pct:.2f}% vs recomputed {r.growth_recomputed_pct:.2f}%"
    for r in gaps.itertuples()
)
display(present.figure(
    saved,
    fig_id="fig-b1",
    label_zh="图1",
    title_zh="温州离岸服务外包产业近五年发展数据",
    title_en="Wenzhou's offshore service-outsourcing execution (万美元) and its year-on-year growth, 2013–2017",
    section=v.row(frame, "b_exec_2013")["section"],
    data_files=[values],
    notebook=notebook_name,
    note=("Growth stated by the paper differs from growth recomputed from its own levels by half a "
          f"point or more in: {gap_text}. 2013 growth cannot be recomputed (2012 is not given)."
          if gap_text else "Stated and recomputed growth agree."),
    claims=[],
))
