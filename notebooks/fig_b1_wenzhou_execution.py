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
# ### 论文B 图1 温州离岸服务外包产业近五年发展数据 · Paper B, Figure 1: Wenzhou's offshore service outsourcing, 2013–2017
#
# The paper prints the series in the prose of §三（一）; the figure itself is not in the text.
# Bars are the execution values as printed; the lines are the growth the paper states and the
# growth recomputed from the paper's own levels, so the reader sees where the two part. The two
# horizontal lines are the averages the paper states for Zhejiang and for Wenzhou (a lower bound, 以上).

# %% tags=["parameters"]
values: str = "data/raw/paper_b_values.csv"  # input: paper B transcription
ledger: str = "data/claims/claims_ledger.csv"  # input: the claims ledger: which stated rates are off
figure: str = "reports/figures/fig_b1_wenzhou_execution.png"  # output: PNG output (SVG beside it)
notebook_name: str = "fig_b1_wenzhou_execution"  # used in the source line

# %%
import math

from IPython.display import display

from outsourcing_repro import audit, dataset, figures_series, paper_b, plotting, present
from outsourcing_repro import values as v

plotting.setup()
frame = dataset.load(values, "paper_values")
table = paper_b.execution_series(frame)
wenzhou_avg = v.get(frame, "b_avg_growth_2013_2017")
zhejiang_avg = v.get(frame, "b_zj_avg_growth")

# %%
growth_ids = table["growth_id"].dropna().tolist()
growth = audit.Audit.from_files(ledger, [values], only=growth_ids)
verdicts = {int(v.row(frame, i)["year"]): growth.verdict(i) for i in growth_ids}
# A year is labelled when the audit finds its stated rate off: the figure uses the audit's tolerance.
tolerance = {y: math.inf if r.tolerance is None else r.tolerance for y, r in verdicts.items()}
fig = figures_series.plot_execution(table, wenzhou_avg, zhejiang_avg, tolerance)
saved = plotting.save(fig, figure)
checked = table.dropna(subset=["growth_recomputed_pct"])
gaps = checked[[verdicts[int(r.year)].verdict == audit.DISCREPANCY for r in checked.itertuples()]]
gap_text = "; ".join(
    f"{int(r.year)}: stated {r.growth_stated_pct:.2f}% vs recomputed {r.growth_recomputed_pct:.2f}% "
    f"({r.difference_pp:+.2f} points)"
    for r in gaps.itertuples()
)
first_year, last_year = int(table["year"].iloc[0]), int(table["year"].iloc[-1])
display(
    present.figure(
        saved,
        fig_id="fig-b1",
        label_zh="图1",
        title_zh="温州离岸服务外包产业近五年发展数据（柱：执行额；线：同比增长，原文与重算）",
        title_en="Wenzhou's offshore service-outsourcing execution (万美元, bars) and its year-on-year growth as stated "
        f"and as recomputed from the stated levels (lines), {first_year}–{last_year}",
        section=v.row(frame, "b_exec_2013")["section"],
        data_files=[values, ledger],
        notebook=notebook_name,
        note=(
            f"The claims audit finds the stated growth off the recomputed growth by more than rounding allows in "
            f"{len(gaps)} of {len(checked)} years: {gap_text}. {first_year} growth cannot be recomputed "
            f"({first_year - 1} is not given). The dashed grey line is derived; everything else is as printed."
            if gap_text
            else "Stated and recomputed growth agree within rounding."
        ),
        claims=audit.claim_ids(frame, paper_b.GROWTH_IDS + ("b_avg_growth_2013_2017", "b_zj_avg_growth")),
    )
)
