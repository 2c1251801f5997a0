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
# ### 两篇论文数字论断核查 · Claims audit: every checkable number in the two papers
#
# Each row of the ledger `data/claims/claims_ledger.csv` is one number the papers print: a growth
# rate, a share, an average, a sum, a count of listed items, a conversion, or a figure that MOFCOM's
# releases let us cross-check. The checks live in `outsourcing_repro.audit`; the tolerance of each is
# half a unit of the last printed digit plus what the rounding of its inputs allows. Rows are coloured
# by verdict, and each has the anchor `#claim-<id>` that the figures and tables link to.

# %% tags=["parameters"]
paper_a: str = "data/raw/paper_a_values.csv"  # input: paper A transcription
paper_b: str = "data/raw/paper_b_values.csv"  # input: paper B transcription
mofcom: str = "data/external/mofcom_release_values.csv"  # input: MOFCOM release values
ledger: str = "data/claims/claims_ledger.csv"  # input: the claims to check
output: str = "reports/claims_audit.csv"  # output: audit result, one row per claim
notebook_name: str = "audit_claims"  # used in the source line

# %%
import pandas as pd
from IPython.display import display

from outsourcing_repro import audit, dataset, present, tables

values = pd.concat([dataset.load(paper_a, "paper_values"), dataset.load(paper_b, "paper_values")], ignore_index=True)
claims = dataset.load(ledger, "claims_ledger")
# Every stated growth rate, share and average must have a claim row. One added to a paper file
# without a row is listed as not checkable (and named below) instead of silently left out.
missing = audit.uncovered(values, claims)
result = audit.run_ledger(audit.with_placeholders(claims, values), values, dataset.load(mofcom, "mofcom"))
_ = present.write_csv(result, output)

# %%
counts = audit.summary(result)
by_paper = result.groupby("paper")["verdict"].value_counts().unstack(fill_value=0)
paper_lines = "".join(
    f"<li>{present.esc(present.PAPER_NAMES[p])}: {int(by_paper.loc[p].sum())} claims, "
    f"{audit.counts_phrase(by_paper.loc[p].to_dict())}</li>"
    for p in by_paper.index
)
discrepancies = result[result["verdict"] == audit.DISCREPANCY]
gap_lines = "".join(
    f"<li><a href='#claim-{present.esc(r.claim_id)}'>{present.esc(r.claim_id)}</a>: stated "
    f"{present.esc(r.stated)} {present.esc(r.unit)}, recomputed "
    f"{present.esc(tables.audit_number(r.recomputed, str(r.stated)))} {present.esc(r.unit)}</li>"
    for r in discrepancies.itertuples()
)
unaudited = (
    f"<p><strong>Not yet in the ledger</strong> (shown as not checkable): {present.esc(', '.join(missing))}.</p>"
    if missing
    else ""
)
display(
    present.note(
        f"<p><strong>{present.esc(audit.summary_line(result))}.</strong></p><ul>{paper_lines}</ul>{unaudited}"
        + (
            f"<p>Discrepancies (the table gives the hypotheses tested for each):</p><ul>{gap_lines}</ul>"
            if gap_lines
            else ""
        )
    )
)

# %%
shown = tables.audit_display(result)
display(
    present.table(
        shown,
        tab_id="tab-claims-audit",
        label_zh=None,
        title_zh="数字论断核查结果（绿色：一致；红色：不一致；灰色：无法核查）",
        title_en=("Claims audit: stated against recomputed (green: consistent; red: discrepancy; grey: not checkable)"),
        section=None,
        data_files=[ledger, paper_a, paper_b, mofcom],
        notebook=notebook_name,
        note=(
            "Recomputed values carry one digit more than the paper prints. A range is what the published "
            "data allow where they bound the number rather than fix it. Differences are stated minus "
            "recomputed, in the claim's unit (pp = percentage points)."
        ),
        row_classes=[audit.css_class(v) for v in result["verdict"]],
        row_ids=[f"claim-{c}" for c in result["claim_id"]],
    )
)
