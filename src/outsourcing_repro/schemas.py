"""pandera schemas, one per kind of data file. `dataset.read_csv` applies them on every load.

Columns arrive as strings; `coerce=True` turns them into their types, so a value that is not a number
fails as a type error that names its line and column instead of surfacing later as a NaN.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

YEAR_MIN, YEAR_MAX = 1980, 2030

# Units that may appear in data/. A new unit is a deliberate decision: add it here and, if it needs
# a conversion, to units.py.
UNITS = (
    "万美元", "亿美元", "万亿美元", "万美元/人",
    "元", "亿元", "万亿元",
    "人", "万人",
    "家", "个", "项",
    "%", "个百分点", "倍", "年",
    "billion yuan",
)

KINDS = (
    "level",          # an amount at a point or over a year
    "growth_rate",    # year-on-year growth, %
    "average_growth", # average annual growth over a period, %
    "average_level",  # average amount per year over a period
    "share",          # part of a whole, %
    "count",          # a number of items (firms, countries, classes)
    "ratio",          # one amount relative to another
    "change",         # a difference (e.g. +7 firms, +2.8 percentage points)
    "target",         # a policy target
    "duration",       # a length of time
)

# Upper bounds that no real value in this project comes near; a value past them is a typo or a unit
# mix-up (万 vs 亿), not data.
MAX_MAGNITUDE = {
    "万美元": 1e8, "亿美元": 1e6, "万亿美元": 1e3, "万美元/人": 1e4,
    "元": 1e13, "亿元": 1e7, "万亿元": 1e3,
    "人": 1e9, "万人": 1e5,
    "家": 1e7, "个": 1e5, "项": 1e5,
    "%": 1e4, "个百分点": 1e3, "倍": 1e3, "年": 1e3,
    "billion yuan": 1e6,
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
        "value": Column(float, Check(lambda s: s.notna() & (s.abs() < float("inf")), name="finite"),
                        coerce=True),
        "unit": Column(str, Check.isin(UNITS), coerce=True),
        "kind": Column(str, Check.isin(KINDS), coerce=True),
        "quote": Column(str, Check.str_length(min_value=2), coerce=True),
        "note": Column(str, nullable=True, coerce=True),
    },
    checks=[
        Check(_magnitude_ok, name="magnitude_within_unit_bounds", element_wise=False),
        Check(_shares_ok, name="share_between_0_and_100", element_wise=False),
        Check(_non_negative_ok, name="amount_non_negative", element_wise=False),
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
        "unit": Column(str, Check(lambda s: s.map(base_unit).isin(UNITS + ("万亿元",)), name="known_unit"),
                       coerce=True),
        "scope": Column(str, coerce=True),
        "source_url": Column(str, Check.str_matches(r"^https?://"), coerce=True),
        "quote": Column(str, coerce=True),
    },
    checks=[Check(_magnitude_ok, name="magnitude_within_unit_bounds", element_wise=False)],
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
    unique=["source", "target"],
    strict=True,
    ordered=True,
    name="diagram_edges",
)

SCHEMAS: dict[str, DataFrameSchema] = {
    "paper_values": PAPER_VALUES,
    "mofcom": MOFCOM,
    "diagram_nodes": DIAGRAM_NODES,
    "diagram_edges": DIAGRAM_EDGES,
}
