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
# growth recomputed from the paper's own levels, so the reader sees where the two part. The two
# horizontal lines are the averages the paper states for Zhejiang and for Wenzhou (a lower bound, 以上).

# %% tags=["parameters"]
values: str = "data/raw/paper_b_values.csv"  # paper B transcription
figure: str = "reports/figures/fig_b1_wenzhou_execution.png"  # PNG output (SVG beside it)
notebook_name: str = "fig_b1_wenzhou_execution"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, paper_b, plotting, present, values as v

plotting.setup()
frame = dataset.load(values, "paper_values")
table = paper_b.execution_series(frame)
wenzhou_avg = v.get(frame, "b_avg_growth_2013_2017")
zhejiang_avg = v.get(frame, "b_zj_avg_growth")

# %%
tolerance = paper_b.growth_tolerances(frame)
fig = paper_b.plot_execution(table, wenzhou_avg, zhejiang_avg, tolerance)
saved = plotting.save(fig, figure)
checked = table.dropna(subset=["growth_recomputed_pct"])
gaps = checked[[abs(r.difference_pp) > tolerance[int(r.year)] for r in checked.itertuples()]]
gap_text = "; ".join(
    f"{int(r.year)}: stated {r.growth_stated_pct:.2f}% vs recomputed {r.growth_recomputed_pct:.2f}% "
    f"({r.difference_pp:+.2f} points)"
    for r in gaps.itertuples()
)
first_year, last_year = int(table["year"].iloc[0]), int(table["year"].iloc[-1])
display(present.figure(
    saved,
    fig_id="fig-b1",
    label_zh="图1",
    title_zh="温州离岸服务外包产业近五年发展数据（柱：执行额；线：同比增长，原文与重算）",
    title_en="Wenzhou's offshore service-outsourcing execution (万美元, bars) and its year-on-year growth as stated "
             f"and as recomputed from the stated levels (lines), {first_year}–{last_year}",
    section=v.row(frame, "b_exec_2013")["section"],
    data_files=[values],
    notebook=notebook_name,
    note=(f"Recomputed growth differs from the stated growth by more than the rounding of the printed rate in "
          f"{len(gaps)} of {len(checked)} years: {gap_text}. {first_year} growth cannot be recomputed "
          f"({first_year - 1} is not given). The dashed grey line is derived; everything else is as printed."
          if gap_text else "Stated and recomputed growth agree within rounding."),
    claims=audit.claim_ids(frame, paper_b.GROWTH_IDS + ("b_avg_growth_2013_2017", "b_zj_avg_growth")),
))
