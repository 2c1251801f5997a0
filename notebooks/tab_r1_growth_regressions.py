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
# ### 表R1 增长回归汇总 · Table R1: growth regressions, all series
#
# One column per series: the slope β of ln(y) on years with its standard error, the implied trend
# growth with its 95% interval, the compound growth between the endpoints, the growth the papers
# state and the tests against it, the quadratic term, the leave-one-year-out range, N and R².
# Every cell is read from the per-series results that `notebooks/reg_growth.py` wrote; nothing here
# is fitted or typed.

# %% tags=["parameters"]
results: str = "reports/tables/reg_growth_wenzhou_offshore_execution.csv"  # inputs: the per-series results, comma-separated (written by reg_growth)
table: str = "build/tab_r1/tab_r1_growth_regressions.csv"  # output: combined table (CSV), under reports/tables/
table_html: str = "build/tab_r1/tab_r1_growth_regressions.html"  # output: the same table as a standalone HTML page
notebook_name: str = "tab_r1_growth_regressions"  # used in the source line

# %%
import pandas as pd
from IPython.display import display

from outsourcing_repro import config, present, tables_regression
from outsourcing_repro import series as catalog
from outsourcing_repro.present import esc

R2_CLOSE = 0.9  # below this a log-linear trend is a poor description and the text says so

paths = [p.strip() for p in results.split(",") if p.strip()]
frame = pd.concat(
    [pd.read_csv(config.resolve(p), dtype={"years": str, "missing_years": str}) for p in paths], ignore_index=True
)
order = {sid: i for i, sid in enumerate(catalog.CATALOG)}
frame = frame.sort_values("series_id", key=lambda s: s.map(order)).reset_index(drop=True)
combined = tables_regression.combined_table(frame)
present.write_csv(combined, table)
cov_types = sorted(set(frame["cov_type"]))

# %%
first = frame.iloc[0]
fitted = frame[frame["model"] == "log-linear trend"]
endpoints = frame[frame["model"] != "log-linear trend"]
note = (
    f"Standard errors in parentheses are {', '.join(cov_types)} (the covariance each run used); HC3 errors "
    "in brackets. The 95% interval of trend growth is exp(β ± t·SE) − 1 with Student's t on the residual "
    "degrees of freedom. Endpoint CAGR is the compound rate between the first and last observed years. "
    "p-values test the trend against the growth the paper states (one-sided where the paper states a "
    "lower bound, 以上) and against the benchmark it names. γ is the coefficient of t² in a quadratic "
    "trend: positive means growth sped up. National RMB and USD series are separate releases and are "
    "never converted into one another; their years differ, so their rates are not directly comparable."
)
if len(endpoints):
    note += (
        " Series with two observations get the endpoint growth only: a line through two points has "
        "no residual degrees of freedom."
    )


def panel_claims(panel: str) -> list[str]:
    rows = frame[frame["panel"] == panel]
    return sorted({v for col in ("stated_id", "benchmark_id") if col in rows for v in rows[col].dropna()})


def panel_frame(panel: str) -> pd.DataFrame:
    ids = [sid for sid in frame["series_id"] if catalog.CATALOG[sid].panel == panel]
    part = combined[["statistic"] + ids]
    part = part[(part[ids] != "—").any(axis=1)]
    return part.rename(columns={sid: catalog.CATALOG[sid].short for sid in ids})


blocks = []
for key, (zh, en) in catalog.PANELS.items():
    if not any(catalog.CATALOG[sid].panel == key for sid in frame["series_id"]):
        continue
    letter = chr(ord("A") + len(blocks))
    block = present.table(
        panel_frame(key),
        tab_id=f"tab-r1-{key}",
        label_zh=f"表R1{letter}",
        title_zh=f"增长回归：{zh}",
        title_en=f"Table R1, panel {letter}. Growth regressions: {en}",
        section=None,
        data_files=sorted(set(frame.loc[frame["panel"] == key, "data_file"])),
        notebook=notebook_name,
        note=note if key == "papers" else None,
        claims=panel_claims(key),
    )
    blocks.append(block)
    display(block)

# %%
page = (
    "<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>表R1 增长回归 · Table R1</title>"
    "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;"
    "width:100%;font-size:0.85rem}th,td{border-bottom:1px solid #ccc;padding:0.25em 0.5em;text-align:left}"
    "figcaption span{display:block}p{font-size:0.8rem;color:#555}</style></head><body>"
    + "".join(b.data for b in blocks)
    + "</body></html>\n"
)
target = config.resolve(table_html)
target.parent.mkdir(parents=True, exist_ok=True)
written = target.write_text(page, encoding="utf-8")


# %%
def compared(row, role: str) -> str:
    if f"{role}_pct" not in row or pd.isna(row[f"{role}_pct"]):
        return ""
    sign = "≥" if row.get(f"{role}_alternative") == "larger" else ""
    what = "stated" if role == "stated" else "benchmark"
    text = f"; {what} {sign}{row[f'{role}_pct']:g}% (<code>{esc(row[f'{role}_id'])}</code>)"
    if row["model"] == "log-linear trend":
        side = ", one-sided" if row.get(f"{role}_alternative") == "larger" else ""
        text += f", p = {row[f'{role}_p']:.3f}{side}"
    else:
        text += f", {row['cagr_pct'] - row[f'{role}_pct']:+.1f} points from the endpoint growth"
    return text


def describe(row) -> str:
    if row["model"] != "log-linear trend":
        head = (
            f"{esc(row['label_en'])}: endpoint growth {row['cagr_pct']:.1f}% a year "
            f"({esc(row['years'])}, N = {int(row['n'])}, no regression)"
        )
    else:
        head = (
            f"{esc(row['label_en'])}: {row['growth_pct']:.1f}% a year (95% CI "
            f"{row['growth_ci_low_pct']:.1f} to {row['growth_ci_high_pct']:.1f}; {esc(row['years'])})"
        )
    return head + compared(row, "stated") + compared(row, "benchmark")


loose = fitted[fitted["r2"] < R2_CLOSE]
close_text = (
    f"{len(fitted) - len(loose)} of {len(fitted)} fitted series have R² ≥ {R2_CLOSE:g}: over these "
    "few years their paths are close to log-linear."
    + "".join(
        f" {esc(r['label_en'])} is not (R² = {r['r2']:.2f}): a trend rate says little about it."
        for _, r in loose.iterrows()
    )
)
items = "".join(f"<li>{describe(r)}</li>" for _, r in frame.iterrows())
fastest = fitted.loc[fitted["growth_pct"].idxmax()]
slowest = fitted.loc[fitted["growth_pct"].idxmin()]
display(
    present.note(
        f"<p>Trend growth ranges from {slowest['growth_pct']:.1f}% a year ({esc(slowest['label_en'])}) to "
        f"{fastest['growth_pct']:.1f}% ({esc(fastest['label_en'])}). {close_text}</p>"
        f"<ul>{items}</ul>"
    )
)
