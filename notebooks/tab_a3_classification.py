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
# ### 论文A 表3 服务外包业务分类（ITO中类与小类、BPO与KPO业务） · Paper A, Table 3: the outsourcing classification it cites
#
# §二（二） cites 《服务外包统计调查制度》 for ITO's 中类 and 小类, states how many of each there are
# and lists them all, then names a few BPO and KPO services. Each item below carries its verbatim
# snippet of the paper. The counts the paper states are checked against the items it lists. The 小类
# in one flat list without saying which 中类 each belongs to; the parent shown for a 小类 is our
# inference from the list order (each run of items closes with an "其他…" item naming its 中类),
# and is labelled as such.

# %% tags=["parameters"]
classification: str = "data/raw/paper_a_classification.csv"  # input: listed items with quotes
values: str = "data/raw/paper_a_values.csv"  # input: paper A transcription (the stated counts)
table: str = "reports/tables/tab_a3_classification.csv"  # output: CSV output
notebook_name: str = "tab_a3_classification"  # used in the source line

# %%
from IPython.display import display

from outsourcing_repro import audit, dataset, item_tables_a, paper_a, present

cls = dataset.load(classification, "paper_classification")
frame = dataset.load(values, "paper_values")
counts = paper_a.classification_counts(cls, frame)
shown = item_tables_a.classification_table(cls)
n_mid, n_sub = (int(counts.loc[counts["level"] == lv, "listed"].iloc[0]) for lv in ("中类", "小类"))

# %%
count_text = "; ".join(
    f"ITO {r.level}: stated {r.stated}, listed {r.listed} — {'match' if r.match else 'MISMATCH'}"
    for r in counts.itertuples()
)
others = cls[cls["level"] == "业务"].groupby("category").size()
inferred = int(cls["parent_basis"].eq("inferred").fillna(False).sum())
display(
    present.note(
        f"<p>Counted in code: {present.esc(count_text)}. The paper also names "
        + ", ".join(f"{n} {present.esc(cat)} services" for cat, n in others.items())
        + " without stating a count. "
        f"{inferred} parent links are inferred (marked), the rest are stated by the paper's wording "
        "(“ITO的三个中类”, “BPO中的…”, “KPO 中的…”).</p>"
    )
)
if not counts["match"].all():
    raise AssertionError(f"stated and listed counts differ: {count_text}")

# %%
display(
    present.table(
        shown,
        tab_id="tab-a3",
        label_zh="表3",
        title_zh=(
            f"论文引用的服务外包业务分类：ITO {n_mid}个中类、{n_sub}个小类，以及所列BPO、KPO业务"
            "（小类的所属中类为推断）"
        ),
        title_en=(
            f"The classification the paper cites: ITO's {n_mid} middle and {n_sub} small classes, and the BPO and "
            "KPO services it names; the parent of each small class is inferred from the list order, not stated"
        ),
        section=cls["section"].iloc[0],
        data_files=[classification, values],
        notebook=notebook_name,
        csv_path=table,
        row_classes=["inferred" if inf else "" for inf in cls["parent_basis"].eq("inferred").fillna(False)],
        claims=audit.claim_ids(frame, paper_a.CLASSIFICATION_IDS),
    )
)
