"""Which MOFCOM release rows make a national series, and how they are reduced to one value a year.

Selection rules for the MOFCOM releases (data/external/mofcom_release_values.csv):
Selection rules for the MOFCOM releases (data/external/mofcom_release_values.csv):
- Full-year national values only. A row counts when its scope starts with "national, full year",
  or when it is one of the few rows reviewed by hand in `REVIEWED_FULL_YEAR` (with the reason).
  Year-to-date and as-of rows ("YTD Jan-Jun 2019", "as of end-Oct 2020") are never used: a half-year
  value read as a full year would fake a collapse in growth.
- RMB (亿元) and USD (亿美元) are separate series and never converted into one another: MOFCOM
  publishes both, and they do not convert at the annual average rate.
- Within one currency, units are converted in code: 1 万亿元 = 10 000 亿元, 1 billion yuan = 10 亿元.
  The 2018 page that prints "13,233.4 billion yuan" is recorded in the data file with unit
  "亿元 (page literally says ...)", so `schemas.base_unit` reads it as 亿元; taken literally it
  would be ten times the 2016 value.
- Two or more rows for the same year (the same release reprinted, or an English confirmation) are
  reduced to one: the most precisely printed value is kept, and every other row must agree with it
  within the rounding of the two printed numbers, or loading stops with `SeriesConflict`.
"""

from __future__ import annotations

import pandas as pd

from .number import shortest
from .schemas import base_unit
from .series import RMB, USD, SeriesConflict, SeriesData, SeriesError, Spec, missing_in_span, rounding

# Conversion of each printed unit into the series unit; RMB and USD never meet.
TO_SERIES_UNIT = {
    "亿元": (RMB, 1.0),
    "万亿元": (RMB, 10_000.0),
    "billion yuan": (RMB, 10.0),
    "亿美元": (USD, 1.0),
}

FULL_YEAR_PREFIX = "national, full year"

# Rows whose scope does not start with "national, full year" but which are the full-year value, each
# reviewed against the release it comes from. Key: (year, metric, base unit, source_url).
REVIEWED_FULL_YEAR = {
    (
        2016,
        "离岸服务外包执行额",
        USD,
        "http://1330.cn/zhishi/1867292.html",
    ): "the page (Sept 2017) says 目前 for 704.1亿美元; RMB/USD of offshore execution "
    "(4885/704.1) equals that of total 2016 execution (7385/1064.6) to 0.02%, so it is the 2016 "
    "full-year figure",
    (
        2020,
        "承接服务外包执行额",
        USD,
        "http://epaper.ssxww.com.cn/jj/2021/1217/60696.html",
    ): "a 2006–2020 review quoting the 2020 annual execution; equals the full-year release value",
}


def is_full_year(row) -> tuple[bool, str]:
    scope = str(row["scope"])
    if scope.startswith(FULL_YEAR_PREFIX):
        return True, "full year"
    key = (int(row["year"]), row["metric"], TO_SERIES_UNIT.get(base_unit(row["unit"]), ("?",))[0], row["source_url"])
    if key in REVIEWED_FULL_YEAR:
        return True, "reviewed: " + REVIEWED_FULL_YEAR[key]
    return False, f"scope is not a full year ({scope})"


def mofcom_series(frame: pd.DataFrame, spec: Spec) -> SeriesData:
    rows = frame[frame["metric"] == spec.metric].copy()
    rows["base_unit"] = rows["unit"].map(base_unit)
    unknown = sorted(set(rows["base_unit"]) - set(TO_SERIES_UNIT))
    if unknown:
        raise SeriesError(f"{spec.metric}: no conversion for unit(s) {unknown}; add them to TO_SERIES_UNIT")
    rows["series_unit"] = rows["base_unit"].map(lambda u: TO_SERIES_UNIT[u][0])
    rows["factor"] = rows["base_unit"].map(lambda u: TO_SERIES_UNIT[u][1])
    rows = rows[rows["series_unit"] == spec.unit]
    verdicts = rows.apply(is_full_year, axis=1, result_type="expand")
    rows["full_year"], rows["why"] = verdicts[0], verdicts[1]
    rows = rows[rows["year"].between(*spec.span)]
    excluded = rows.loc[~rows["full_year"], ["year", "value", "unit", "scope", "source_url", "why"]]
    rows = rows[rows["full_year"]]
    rows["value_in_unit"] = rows["value"] * rows["factor"]
    rows["tolerance"] = [rounding(v, f) for v, f in zip(rows["value"], rows["factor"])]
    rows["file_line"] = rows.index

    used, sources, notes = {}, [], []
    for year, group in rows.groupby("year", sort=True):
        # Most precise first; ties keep file order, so the first release page listed wins.
        group = group.sort_values(["tolerance", "file_line"], kind="stable")
        keep = group.iloc[0]
        used[int(year)] = float(keep["value_in_unit"])
        for rank, (_, r) in enumerate(group.iterrows()):
            gap = abs(r["value_in_unit"] - keep["value_in_unit"])
            if rank and gap > r["tolerance"] + keep["tolerance"] + 1e-9:
                raise SeriesConflict(
                    f"{spec.metric} {year}: {shortest(r['value'])} {r['unit']} ({r['source_url']}) "
                    f"disagrees with {shortest(keep['value'])} {keep['unit']} ({keep['source_url']}) "
                    f"beyond their rounding"
                )
            role = "used" if rank == 0 else "confirmation"
            sources.append(
                {
                    "year": int(year),
                    "role": role,
                    "value_as_printed": float(r["value"]),
                    "unit_as_printed": r["unit"],
                    "value_in_unit": float(r["value_in_unit"]),
                    "source": r["source_url"],
                    "scope": r["scope"],
                    "quote": r["quote"],
                    "line": int(r["file_line"]),
                }
            )
            if rank:
                how = (
                    "the same number"
                    if gap < 1e-9
                    else (
                        f"{shortest(r['value_in_unit'])} {spec.unit} after conversion, within its rounding "
                        f"(±{shortest(r['tolerance'])})"
                    )
                )
                notes.append(
                    f"{year}: {shortest(r['value'])} {base_unit(r['unit'])} from another page "
                    f"confirms {shortest(keep['value_in_unit'])} {spec.unit} ({how}); counted once."
                )
        if keep["unit"] != keep["base_unit"]:
            notes.append(f"{year}: unit cell reads “{keep['unit']}”; used as {keep['base_unit']}.")
        if str(keep["why"]).startswith("reviewed"):
            notes.append(f"{year}: {keep['why']}.")
    values = pd.Series(used, name=spec.series_id, dtype=float)
    values.index = values.index.astype(int)
    values.index.name = "year"
    return SeriesData(
        spec,
        values.sort_index(),
        pd.DataFrame(sources),
        missing_in_span(values.index, spec.span),
        notes,
        excluded.reset_index(drop=True),
    )
