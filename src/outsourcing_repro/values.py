"""Look values up by id in a validated paper-values frame, keeping their provenance at hand."""
from __future__ import annotations

import pandas as pd


class MissingValue(KeyError):
    pass


def index(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("value_id", drop=False)


def get(frame: pd.DataFrame, value_id: str) -> float:
    return float(row(frame, value_id)["value"])


def row(frame: pd.DataFrame, value_id: str) -> pd.Series:
    hits = frame[frame["value_id"] == value_id]
    if hits.empty:
        source = frame.attrs.get("source", "the data file")
        raise MissingValue(f"{source}: no row with value_id '{value_id}'")
    return hits.iloc[0]


def series(frame: pd.DataFrame, metric: str, entity: str | None = None, kind: str | None = None) -> pd.Series:
    """Year-indexed values of one metric."""
    sel = frame["metric"] == metric
    if entity is not None:
        sel &= frame["entity"] == entity
    if kind is not None:
        sel &= frame["kind"] == kind
    out = frame.loc[sel].set_index("year")["value"].sort_index()
    if out.index.has_duplicates:
        raise ValueError(f"metric '{metric}' has more than one value for a year")
    return out
