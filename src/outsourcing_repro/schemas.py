"""pandera schemas, one per kind of data file. `dataset.read_csv` applies them on every load.

Columns arrive as strings; `coerce=True` turns them into their types, so a value that is not a number
fails as a type error that names its line and column instead of surfacing later as a NaN.

Besides types and ranges, every file that carries quotes is checked against them (schemas_quotes.py):
a value must be a number its own quote prints (directly, or through the row's `printed` form and
`printed_scale`), a name or label must be in its quote, and, where the paper texts are present,
each quote must be in its paper. No file may hold the same row twice.
"""

from __future__ import annotations

import pandas as pd
from pandera.pandas import Check, Column, DataFrameSchema

from .schemas_quotes import NO_DUPLICATES, QUOTE_RULES, VALUE_IN_QUOTE, in_paper, text_in_quote_ok

YEAR_MIN, YEAR_MAX = 1980, 2030

# Units that may appear in data/. A new unit is a deliberate decision: add it here and its bound to
# MAX_MAGNITUDE below. Nothing converts between units behind the reader's back: code that compares
# two units converts explicitly where it does so (e.g. 万美元 -> 亿美元 in paper_b.py).
UNITS = (
    "万美元",
    "亿美元",
    "万亿美元",
    "万美元/人",
    "元",
    "亿元",
    "万亿元",
    "人",
    "万人",
    "家",
    "个",
    "项",
    "%",
    "个百分点",
    "倍",
    "年",
    "billion yuan",
    "番",  # doublings, as in 翻两番 (two doublings = x4; the multiple is computed in code)
    "比例",  # a fraction stated in words, 0..1 (一半 = 0.5)
    "年份",  # a calendar year, for a dated event (kind "date")
    "序数",  # an ordinal: a stage, tier or rank (3.0阶段, 第二梯队, 十强)
)

KINDS = (
    "level",  # an amount at a point or over a year
    "growth_rate",  # year-on-year growth, %
    "average_growth",  # average annual growth over a period, %
    "average_level",  # average amount per year over a period
    "share",  # part of a whole, %
    "count",  # a number of items (firms, countries, classes)
    "ratio",  # one amount relative to another
    "change",  # a difference (e.g. +7 firms, +2.8 percentage points)
    "target",  # a policy target
    "duration",  # a length of time
    "date",  # the calendar year an event is dated to (a policy issued, a report published)
    "ordinal",  # a stage, tier or rank: a position, not an amount
)

# Upper bounds that no real value in this project comes near; a value past them is a typo or a unit
# mix-up (万 vs 亿), not data.
MAX_MAGNITUDE = {
    "万美元": 1e8,
    "亿美元": 1e6,
    "万亿美元": 1e3,
    "万美元/人": 1e4,
    "元": 1e13,
    "亿元": 1e7,
    "万亿元": 1e3,
    "人": 1e9,
    "万人": 1e5,
    "家": 1e7,
    "个": 1e5,
    "项": 1e5,
    "%": 1e4,
    "个百分点": 1e3,
    "倍": 1e3,
    "年": 1e3,
    "billion yuan": 1e6,
    "番": 10,
    "比例": 1,
    "年份": YEAR_MAX,
    "序数": 100,
}

PAPERS = ("A", "B")


def base_unit(unit: str) -> str:
    """The unit proper of an external row whose unit cell carries a note: '万人 (rounded)' -> '万人'."""
    return str(unit).split(" (")[0].strip()


def _magnitude_ok(frame: pd.DataFrame) -> pd.Series:
    limits = frame["unit"].map(lambda u: MAX_MAGNITUDE.get(base_unit(u), float("inf")))
    return frame["value"].abs() <= limits


def _shares_ok(frame: pd.DataFrame) -> pd.Series:
    is_share = (frame["kind"] == "share") & (frame["unit"] == "%")
    return ~is_share | frame["value"].between(0, 100)


def _non_negative_ok(frame: pd.DataFrame) -> pd.Series:
    may_be_negative = frame["kind"].isin(["growth_rate", "average_growth", "change"])
    return may_be_negative | (frame["value"] >= 0)


def _magnitude_hint(row) -> str:
    unit = base_unit(row.get("unit"))
    limit = MAX_MAGNITUDE.get(unit)
    bound = f"|value| stays below {limit:g} {unit}" if limit is not None else "values stay plausible"
    return f"in this project {bound}; check for a typo or a unit mix-up (万 vs 亿)"


# Row rules (DataFrame-level checks) see a whole row, so pandera cannot say which cell is wrong.
# Each entry names the column to fix and how (and, where the generic "breaks the rule" would hide
# it, what is wrong: `message(raw_row, raw_frame, line)`); dataset.py puts them into the error. A row
# rule without an entry still stops the load, but its message can name only the line.
ROW_RULES: dict[str, dict] = {
    "magnitude_within_unit_bounds": {"column": "value", "hint": _magnitude_hint},
    "share_between_0_and_100": {
        "column": "value",
        "hint": lambda row: "a share in % lies between 0 and 100; correct the value, or the kind if it is not a share",
    },
    "amount_non_negative": {
        "column": "value",
        "hint": lambda row: (
            f"a {row.get('kind')} cannot be negative; only growth_rate, average_growth and change may be"
        ),
    },
    **QUOTE_RULES,
}


# How a quote prints its number when not in the row's unit: the form, verbatim, and the factor to the unit.
_printed = Column(str, nullable=True, coerce=True)
_printed_scale = Column(
    float, Check(lambda s: s.isna() | ((s > 0) & (s.abs() < float("inf"))), name="positive"), nullable=True, coerce=True
)

_text = dict(dtype="string", coerce=True)
_year = Column(int, Check.in_range(YEAR_MIN, YEAR_MAX), coerce=True)

PAPER_VALUES = DataFrameSchema(
    {
        "value_id": Column(str, Check.str_matches(r"^[ab]_[a-z0-9_]+$"), unique=True, **{"coerce": True}),
        "paper": Column(str, Check.isin(PAPERS), coerce=True),
        "section": Column(str, coerce=True),
        "entity": Column(str, coerce=True),
        "metric": Column(str, coerce=True),
        "metric_en": Column(str, coerce=True),
        "year": _year,
        "period": Column(str, nullable=True, coerce=True),
        "value": Column(float, Check(lambda s: s.notna() & (s.abs() < float("inf")), name="finite"), coerce=True),
        "unit": Column(str, Check.isin(UNITS), coerce=True),
        "kind": Column(str, Check.isin(KINDS), coerce=True),
        "quote": Column(str, Check.str_length(min_value=2), coerce=True),
        "printed": _printed,
        "printed_scale": _printed_scale,
        "note": Column(str, nullable=True, coerce=True),
    },
    checks=[
        Check(_magnitude_ok, name="magnitude_within_unit_bounds", element_wise=False),
        Check(_shares_ok, name="share_between_0_and_100", element_wise=False),
        Check(_non_negative_ok, name="amount_non_negative", element_wise=False),
        *VALUE_IN_QUOTE,
        in_paper("quote"),
        NO_DUPLICATES,
    ],
    strict=True,
    ordered=True,
    name="paper_values",
)

MOFCOM = DataFrameSchema(
    {
        "year": _year,
        "metric": Column(str, coerce=True),
        "value": Column(float, Check(lambda s: s.notna() & (s >= 0), name="non_negative"), coerce=True),
        "unit": Column(
            str, Check(lambda s: s.map(base_unit).isin(UNITS + ("万亿元",)), name="known_unit"), coerce=True
        ),
        "scope": Column(str, coerce=True),
        "source_url": Column(str, Check.str_matches(r"^https?://"), coerce=True),
        "quote": Column(str, coerce=True),
        "printed": _printed,
        "printed_scale": _printed_scale,
    },
    # Its quotes come from web pages that are not kept here: checked against their values only.
    checks=[
        Check(_magnitude_ok, name="magnitude_within_unit_bounds", element_wise=False),
        *VALUE_IN_QUOTE,
        NO_DUPLICATES,
    ],
    strict=True,
    ordered=True,
    name="mofcom_release_values",
)

DIAGRAM_NODES = DataFrameSchema(
    {
        "node_id": Column(str, Check.str_matches(r"^[a-z0-9_]+$"), unique=True, coerce=True),
        "label_zh": Column(str, coerce=True),
        "label_en": Column(str, coerce=True),
        "group": Column(str, coerce=True),
        "section": Column(str, coerce=True),
        "quote": Column(str, coerce=True),
    },
    # Labels are short names for the boxes of a reconstructed diagram, not quotations; the quote is one.
    checks=[in_paper("quote", "A"), NO_DUPLICATES],
    strict=True,
    ordered=True,
    name="diagram_nodes",
)

DIAGRAM_EDGES = DataFrameSchema(
    {
        "source": Column(str, coerce=True),
        "target": Column(str, coerce=True),
        "label_zh": Column(str, nullable=True, coerce=True),
        "label_en": Column(str, nullable=True, coerce=True),
        "basis": Column(str, coerce=True),
    },
    checks=[in_paper("basis", "A"), NO_DUPLICATES],
    unique=["source", "target"],
    strict=True,
    ordered=True,
    name="diagram_edges",
)


def _parent_basis_ok(frame: pd.DataFrame) -> pd.Series:
    # A parent without its basis would pass an inferred mapping off as the paper's own.
    return frame["parent_id"].isna() == frame["parent_basis"].isna()


PAPER_CLASSIFICATION = DataFrameSchema(
    {
        "item_id": Column(str, Check.str_matches(r"^[ab]_cls_[a-z0-9_]+$"), unique=True, coerce=True),
        "paper": Column(str, Check.isin(PAPERS), coerce=True),
        "section": Column(str, coerce=True),
        "category": Column(str, Check.isin(["ITO", "BPO", "KPO"]), coerce=True),
        "level": Column(str, Check.isin(["门类", "中类", "小类", "业务"]), coerce=True),
        "position": Column(int, Check.ge(1), coerce=True),
        "name_zh": Column(str, coerce=True),
        "name_en": Column(str, coerce=True),
        "parent_id": Column(str, nullable=True, coerce=True),
        "parent_basis": Column(str, Check.isin(["stated", "inferred"]), nullable=True, coerce=True),
        "quote": Column(str, Check.str_length(min_value=2), coerce=True),
    },
    checks=[
        Check(_parent_basis_ok, name="parent_has_basis", element_wise=False),
        Check(text_in_quote_ok("name_zh"), name="name_in_quote", element_wise=False),
        in_paper("quote"),
        NO_DUPLICATES,
    ],
    unique=["category", "level", "position"],
    strict=True,
    ordered=True,
    name="paper_classification",
)

# The claims audit's ledger (data/claims/claims_ledger.csv): one row per checkable number. `stated` is
# text, as printed ("76.84", "0.50" keeps its precision), or a range a claim implies ("200..500");
# `check` names a function in audit.py (tests/test_audit.py checks that it exists).
CLAIMS_LEDGER = DataFrameSchema(
    {
        "claim_id": Column(str, Check.str_matches(r"^[ab]_[a-z0-9_]+$"), unique=True, coerce=True),
        "paper": Column(str, Check.isin(PAPERS), coerce=True),
        "section": Column(str, coerce=True),
        "quote": Column(str, Check.str_length(min_value=2), coerce=True),
        "stated": Column(str, Check.str_matches(r"^-?\d+(\.\d+)?(\.\.-?\d+(\.\d+)?)?$"), coerce=True),
        "unit": Column(str, Check.isin(UNITS), coerce=True),
        "check": Column(str, Check.str_matches(r"^[a-z_]+$"), coerce=True),
        "inputs": Column(str, nullable=True, coerce=True),
        "params": Column(str, nullable=True, coerce=True),
        "tolerance": Column(float, Check.ge(0), nullable=True, coerce=True),
        "note": Column(str, nullable=True, coerce=True),
    },
    strict=True,
    ordered=True,
    name="claims_ledger",
)


# Paper B's 图2 (parks and their public platforms): a tree, one row per box, each on a quote. `value_id`
# points a box that carries a number (十个, 40多家, 1000余人) to its row in paper_b_values.csv, so the
# figure reads the number from there and never from a label.
PARK_ITEM_KINDS = ("region", "park", "designation", "industry", "firms", "employees", "platform", "platforms_unnamed")

PAPER_B_PARKS = DataFrameSchema(
    {
        "item_id": Column(str, Check.str_matches(r"^[a-z0-9_]+$"), unique=True, coerce=True),
        "parent_id": Column(str, nullable=True, coerce=True),
        "kind": Column(str, Check.isin(PARK_ITEM_KINDS), coerce=True),
        "label_zh": Column(str, coerce=True),
        "label_en": Column(str, coerce=True),
        "value_id": Column(str, Check.str_matches(r"^b_[a-z0-9_]+$"), nullable=True, coerce=True),
        "section": Column(str, coerce=True),
        "quote": Column(str, Check.str_length(min_value=2), coerce=True),
    },
    checks=[
        Check(text_in_quote_ok("label_zh"), name="label_in_quote", element_wise=False),
        in_paper("quote", "B"),
        NO_DUPLICATES,
    ],
    strict=True,
    ordered=True,
    name="paper_b_parks",
)

SCHEMAS: dict[str, DataFrameSchema] = {
    "claims_ledger": CLAIMS_LEDGER,
    "paper_values": PAPER_VALUES,
    "mofcom": MOFCOM,
    "diagram_nodes": DIAGRAM_NODES,
    "diagram_edges": DIAGRAM_EDGES,
    "paper_classification": PAPER_CLASSIFICATION,
    "paper_b_parks": PAPER_B_PARKS,
}
