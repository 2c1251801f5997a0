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
# ### 论文B 表4 2017年浙江省各市离岸服务外包比较 · Paper B, Table 4: Zhejiang's cities compared, 2017
#
# §三（二） gives Hangzhou's and Ningbo's 2017 offshore outsourcing, Ningbo's share of the province and
# the combined share of six smaller cities, Wenzhou among them. The provincial total is not
# printed; Ningbo's value and share imply it, and with it Hangzhou's share and Wenzhou's. The table
# then asks whether the stated shares can all hold.

# %% tags=["parameters"]
values: str = "data/raw/paper_b_values.csv"  # input: paper B transcription
ledger: str = "data/claims/claims_ledger.csv"  # input: the claims ledger: the verdict on the shares
table: str = "reports/tables/tab_b4_zhejiang.csv"  # output: CSV output
notebook_name: str = "tab_b4_zhejiang"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, item_tables_b_context, paper_b, present, tables
from outsourcing_repro import values as v

frame = dataset.load(values, "paper_values")
z = paper_b.zhejiang(frame)
zhejiang = item_tables_b_context.zhejiang_table(frame)
year = int(v.row(frame, "b_hz_offshore_2017")["year"])
shares_claim, wenzhou_claim = "b_zj_shares_within_2017", "b_wz_within_six_2017"
checked = audit.Audit.from_files(ledger, [values], only=[shares_claim, wenzhou_claim])
verdict, wenzhou = checked.verdict(shares_claim), checked.verdict(wenzhou_claim)

# %%
nb, nbs, hz = (v.printed(frame, i) for i in ("b_nb_offshore_2017", "b_nb_share_2017", "b_hz_offshore_2017"))
holds = "They can all hold" if verdict.holds else "They cannot all hold"
display(
    present.note(
        f"<p>Ningbo's {nb}亿美元 at {nbs}% implies a provincial total of {z.total:.2f}亿美元. "
        f"Hangzhou's {hz}亿美元 is then {z.hz_share:.2f}% of it, and Hangzhou, Ningbo and the six cities "
        f"together make <b>{z.sum_shares:.2f}%</b> of the province ({z.sum_shares_min:.2f}% at the most favourable "
        f"rounding of every figure). {holds} (claims audit: <a href='#{verdict.anchor}'>{verdict.claim_id}</a>, "
        f"{verdict.verdict}): for Hangzhou, Ningbo and the six cities to fit, the total would have to be at least "
        f"{z.total_for_all:.2f}亿美元, and Ningbo's share at most {z.nb_share_if_all_fit:.2f}%. The paper does not "
        f"say whether Hangzhou's figure is execution or contract value, which may explain the gap. Wenzhou's own "
        f"{z.wz:.4f}亿美元 would be {z.wz_share:.2f}% of the implied total, against the six cities' "
        f"{v.printed(frame, 'b_six_share_2017')}% (claims audit: {wenzhou.verdict}).</p>"
    )
)

# %%
display(
    tables.item_table(
        zhejiang,
        frame,
        table,
        tab_id="tab-b4",
        label_zh="表4",
        title_zh=f"{year}年浙江省各市离岸服务外包：原文数值与占比、所隐含的全省总额及一致性",
        title_en=(
            f"Zhejiang's cities in {year}: stated values and shares, the provincial total they imply, "
            "and whether they fit"
        ),
        section=v.row(frame, "b_hz_offshore_2017")["section"],
        data_files=[values, ledger],
        notebook=notebook_name,
        claims=audit.claim_ids(frame, zhejiang["value_id"]) + [shares_claim, wenzhou_claim],
    )
)
