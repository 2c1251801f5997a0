"""The row format of both papers' item tables (表): one row per number (项目, item, value, unit, basis,
arithmetic, value_id), stated numbers with their value id and derived ones with the arithmetic that
gives them. The tables themselves are built in `item_tables_a` (论文A 表1–表2), `item_tables_b_execution`
(论文B 表1–表3) and `item_tables_b_context` (论文B 表4–表5).

The numbers come from the analysis modules (`paper_a`, `paper_b`, `employment`); every number in an
arithmetic string is formatted by `number`'s one rule (stated as printed, derived at a fixed
precision). `tables.item_display` turns an item table into the page view.
"""

from __future__ import annotations

import pandas as pd

from . import values
from .number import BASIS_DERIVED, BASIS_STATED

ITEM_COLUMNS = ["项目", "item", "value", "unit", "basis", "arithmetic", "value_id"]


def item_labels(frame: pd.DataFrame, value_id: str) -> tuple[str, str]:
    """('2017年 杭州 离岸服务外包金额', 'Hangzhou offshore outsourcing (2017)'): the metric with its year and
    entity, so that two rows of one metric (two years, two cities) never read alike. A year the paper
    does not state is left out, and so is an entity the metric already names."""
    row = values.row(frame, value_id)
    year_stated = "not stated" not in values.note_fields(row["note"]).get("year", "")
    entity = "" if str(row["entity"]) in str(row["metric"]) else f"{row['entity']} "
    zh = (f"{row['year']}年 " if year_stated else "") + entity + str(row["metric"])
    en = str(row["metric_en"]) + (f" ({row['year']})" if year_stated else "")
    return zh, en[0].upper() + en[1:]


def stated_item(
    frame: pd.DataFrame, value_id: str, zh: str | None = None, en: str | None = None, arithmetic: str = ""
) -> tuple:
    """The row of a number the paper states, labelled by `item_labels` unless `zh`/`en` are given."""
    row = values.row(frame, value_id)
    default_zh, default_en = item_labels(frame, value_id)
    return (zh or default_zh, en or default_en, float(row["value"]), row["unit"], BASIS_STATED, arithmetic, value_id)


def derived_item(zh: str, en: str, value: float, unit: str, arithmetic: str) -> tuple:
    return (zh, en, value, unit, BASIS_DERIVED, arithmetic, "")


def item_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)
