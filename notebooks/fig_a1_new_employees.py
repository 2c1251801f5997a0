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
# ### 论文A 图1 2016—2022年中国服务外包产业新增从业人员 · Paper A, Figure 1: new employees in China's service outsourcing, 2016–2022
#
# The paper cites MOFCOM (资料来源：中华人民共和国商务部) for this figure but prints none of its numbers;
# only the average in the text (年均新增大学（含大专）以上学历…万人) survives. The figure is rebuilt
# from MOFCOM releases: MOFCOM's cumulative employment counts behave as running sums of new hires,
# so year-end stocks are either published or equal a later cumulative count minus that year's
# year-to-date new hires, and new hires are differences of year-end stocks. Released values are
# drawn solid, derived ones hatched; years the data cannot separate stay together in one bar.

# %% tags=["parameters"]
mofcom: str = "data/external/mofcom_release_values.csv"  # input: MOFCOM release values
values: str = "data/raw/paper_a_values.csv"  # input: paper A transcription (the stated average)
ledger: str = "data/claims/claims_ledger.csv"  # input: the claims ledger: the verdict on the stated average
figure: str = "reports/figures/fig_a1_new_employees.png"  # output: PNG output (SVG beside it)
hires_table: str = "reports/tables/fig_a1_new_employees.csv"  # output: new hires as plotted, with arithmetic
stocks_table: str = "reports/tables/fig_a1_new_employees_stocks.csv"  # output: every year-end stock estimate
notebook_name: str = "fig_a1_new_employees"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import (
    audit,
    dataset,
    employment,
    figures_series,
    number,
    paper_a,
    plotting,
    present,
    tables,
)
from outsourcing_repro import (
    values as v,
)
from outsourcing_repro.number import half_up as r1

plotting.setup()
release = dataset.load(mofcom, "mofcom")
frame = dataset.load(values, "paper_values")
claim = v.row(frame, "a_college_new_avg_2016_2022")
first, last = (int(y) for y in claim["period"].split("-"))

obs_all = employment.observations(release)
obs, dropped = employment.resolve_duplicates(obs_all)
candidates = employment.year_end_candidates(obs)
stocks = employment.year_end_stocks(candidates)
hires = employment.new_hires(stocks, obs, first, last)
unknown = {g: employment.unknown_years(hires, g, first, last) for g in ("total", "college")}
check = employment.average_check(stocks, hires, float(claim["value"]), first, last)
average = audit.Audit.from_files(ledger, [values], mofcom, only=[claim["value_id"]]).verdict(claim["value_id"])

# %% [markdown]
# #### 数据核对 · Checking the MOFCOM rows first


# %%
def describe_drop(r):
    return (
        f"{r.group} {r.measure} {r.year}-{r.month:02d}: kept {r.kept:g} (line {r.kept_line}), "
        f"dropped the rounded reprint {r.dropped:g} (line {r.dropped_line}; rounded to {r.rounding_step:g}, "
        f"{'consistent' if r.consistent else 'NOT consistent'} with {r.kept:g})"
    )


agree = candidates.groupby(["group", "year"])["value"].agg(["count", "min", "max"])
multi = agree[agree["count"] > 1]
multi_text = "; ".join(
    f"{g} end-{y}: {int(row['count'])} estimates, {r1(row['min'])}–{r1(row['max'])}" for (g, y), row in multi.iterrows()
)
# The year-end with the most independent estimates is the best test of the running-sum reading.
best_checked = agree.loc["college", "count"].idxmax()
readme_example = candidates[(candidates["group"] == "college") & (candidates["year"] == best_checked)]
display(
    present.note(
        f"<p>{len(obs_all)} employment rows in <code>{present.esc(mofcom)}</code>; "
        f"{len(dropped)} are rounded reprints of a precise value and are dropped: "
        f"{present.esc('; '.join(describe_drop(r) for r in dropped.itertuples()))}.</p>"
        f"<p>Rows are selected by the simplified <code>metric</code> column, so quotes printed in traditional "
        "characters (or Japanese) are read like any other; an employment metric that is not mapped stops the "
        "build rather than being skipped.</p>"
        f"<p>Where a year-end has several estimates, they agree to within rounding: {present.esc(multi_text)}. "
        f"The running-sum reading holds where it can be tested most often: "
        f"{present.esc('; '.join(readme_example['arithmetic']))}.</p>"
    )
)

# %% [markdown]
# #### 图1 · Figure

# %%
fig = figures_series.plot_new_hires(hires, check, first, last, unknown)
saved = plotting.save(fig, figure)
derived_years = ", ".join(
    employment.span_label(int(r.start), int(r.end))
    for r in hires[~hires["released"]].itertuples()
    if r.group == "total"
)
display(
    present.figure(
        saved,
        fig_id="fig-a1",
        label_zh="图1",
        title_zh=f"{first}—{last}年中国服务外包产业新增从业人员（据商务部发布数据重建；实心为公布值，斜线为推算值）",
        title_en=(
            f"New employees in China's service outsourcing, {first}–{last}, rebuilt from MOFCOM releases. "
            "Solid bars: released; hatched bars: derived from year-end stocks; a wide bar covers years the "
            "data cannot separate and is drawn at their yearly average."
        ),
        section=claim["section"],
        data_files=[mofcom, values],
        notebook=notebook_name,
        note=(
            f"Released: total new hires {first} ({hires.loc[hires['released'], 'value'].iloc[0]:g}万). "
            f"Derived (total): {derived_years}. College-educated hires for {', '.join(map(str, unknown['college']))} "
            f"are not published; the dotted outline is the value the paper's {v.printed(frame, claim['value_id'])} average implies, "
            "not data."
        ),
        claims=audit.claim_ids(frame, paper_a.EMPLOYMENT_IDS),
    )
)

# %%
display(
    present.table(
        tables.hires_display(hires),
        tab_id="tab-fig-a1-hires",
        label_zh=None,
        title_zh="图1 数据：新增从业人员（万人）及其来源",
        title_en="Figure 1 data: new hires (万人) and how each value was obtained",
        section=claim["section"],
        data_files=[mofcom],
        notebook=notebook_name,
        csv_path=hires_table,
        note=tables.note(
            "mofcom_lines are line numbers in the MOFCOM CSV (header = line 1); stocks before the ';', then after."
        ),
    )
)

# %%
display(
    present.table(
        tables.stocks_display(candidates),
        tab_id="tab-fig-a1-stocks",
        label_zh=None,
        title_zh="年末累计从业人员（万人）：全部估计值",
        title_en=(
            "Year-end cumulative employment (万人): every estimate the data allow. The first estimate of each "
            "year-end is used (published > later cumulative − YTD, shortest window first > total × share); "
            "the others are cross-checks."
        ),
        section=claim["section"],
        data_files=[mofcom],
        notebook=notebook_name,
        csv_path=stocks_table,
        note=tables.note(),
    )
)

# %% [markdown]
# #### 论文所述年均值 · Checking the paper's average

# %%
c = check
s_last_all = candidates[(candidates["group"] == "college") & (candidates["year"] == last)]["value"]
implied_lo = c.stated * c.years - (s_last_all.max() - c.stock_first)
implied_hi = c.stated * c.years - (s_last_all.min() - c.stock_first)
shares = employment.college_share_of_new_hires(obs)
month_names = list(employment.MONTHS)
share_text = ", ".join(f"{int(r.year)} Jan–{month_names[r.month - 1]}: {r.share_pct:.1f}%" for r in shares.itertuples())
six_increments = c.known_average
link = f"(claims audit: <a href='#{average.anchor}'>{average.claim_id}</a>)"
if c.recomputed is not None:
    verdict = (
        f"The data give both ends, and (S{last} − S{first - 1}) / {c.years} = {c.recomputed:.2f}万 "
        f"against the stated {c.stated:g}万: {average.verdict} {link}."
    )
elif average.holds:
    verdict = (
        f"<b>Consistent but not reproducible exactly</b> {link}. The stated {c.stated:g} lies inside the bounds the "
        f"data allow ({r1(c.lower)}–{r1(c.upper)}), and the {first} value it implies "
        f"({r1(c.implied_first_year)}万, {r1(c.implied_share_first_pct)}% of that year's "
        f"{c.total_new_first:g}万 new hires) is a college share within the range MOFCOM publishes for other "
        f"windows ({shares['share_pct'].min():.1f}–{shares['share_pct'].max():.1f}%)."
    )
else:
    verdict = (
        f"<b>{average.verdict.capitalize()}</b> {link}: the stated {c.stated:g} against the bounds the data "
        f"allow ({r1(c.lower)}–{r1(c.upper)})."
    )
display(
    present.note(
        f"<p>The paper's figure is college-educated (大学（含大专）以上学历) new hires per year, averaged over "
        f"{first}—{last}: {c.years} years. With S<sub>t</sub> the college-educated stock at the end of year t, "
        f"that average is (S<sub>{last}</sub> − S<sub>{first - 1}</sub>) / {c.years}.</p>"
        f"<ul>"
        f"<li>S<sub>{last}</sub> = {r1(c.stock_last)}万 (derived: "
        f"{present.esc(stocks.loc[(stocks['group'] == 'college') & (stocks['year'] == last), 'arithmetic'].iloc[0])}; "
        f"the other estimate gives {r1(s_last_all.max())}).</li>"
        f"<li>S<sub>{first - 1}</sub> is not in the data: no release gives an end-{first - 1} college-educated "
        f"count{', nor a ' + str(first) + ' college-educated new-hire figure' if first in unknown['college'] else ''}.</li>"
        f"<li>S<sub>{first}</sub> = {r1(c.stock_first)}万 is published, so hires in {first + 1}—{last} sum to "
        f"{r1(c.stock_last)} − {r1(c.stock_first)} = {r1(c.known_sum)}万, "
        f"{r1(six_increments)}万 a year over {c.known_years} years.</li>"
        f"<li>{first}'s college-educated hires lie between 0 and all of {first}'s {c.total_new_first:g}万 new "
        f"hires, so the {c.years}-year average lies between {r1(c.known_sum)} / {c.years} = "
        f"{r1(c.lower)} and ({r1(c.known_sum)} + {c.total_new_first:g}) / {c.years} = {r1(c.upper)}.</li>"
        f"<li>Read backwards, {c.stated:g} × {c.years} − {r1(c.known_sum)} = {r1(c.implied_first_year)}万 "
        f"({r1(implied_lo)}–{r1(implied_hi)} over the two estimates of S<sub>{last}</sub>; ±{c.implied_first_year_halfwidth:.2f} "
        f"from the rounding of {c.stated:g}). Published college shares of new hires: {present.esc(share_text)}.</li>"
        f"<li>Another reading, the average of the {c.known_years} yearly increments from end-{first} to end-{last}, "
        f"gives {r1(six_increments)}, {r1(c.stated - six_increments)} below the stated figure, more than its rounding "
        f"(±{number.Number.from_row(claim).half:g}) allows: that reading does not reproduce it.</li>"
        f"</ul><p>{verdict}</p>"
    )
)
