"""The year-indexed series the growth regressions are fitted on, each chosen by a stated rule.

A series is one metric, in one unit, for one entity. `load(series_id, ...)` returns a `SeriesData`:
the values (a pd.Series indexed by year), the unit, every source row that was read (used or merely
confirming), the years of the series' span that have no value, and plain notes on each choice made.

Selection rules for the MOFCOM releases: outsourcing_repro.series_mofcom. Values printed in the papers
(paper_series) and the employment stocks and new hires (employment_series) are built here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from . import config, metrics
from .number import shortest


class SeriesError(ValueError):
    """A series cannot be built from the data as given."""


class SeriesConflict(SeriesError):
    """Two full-year rows for the same year and metric disagree beyond their rounding."""


@dataclass(frozen=True)
class Spec:
    series_id: str
    source: str  # "paper_b", "paper_a", "mofcom" or "employment"
    label_zh: str
    label_en: str
    unit: str
    span: tuple[int, int]  # the years the series is meant to cover; gaps inside it are reported
    metric: str = ""
    entity: str | None = None
    # value_ids of average growth rates a paper states for this series (`stated`) or names as a yardstick
    # for it (`benchmarks`, e.g. Zhejiang's 20% for Wenzhou). Each is compared with the fit and, where
    # the fit has residual degrees of freedom, tested against it.
    stated: tuple[str, ...] = ()
    benchmarks: tuple[str, ...] = ()
    panel: str = ""  # the panel of the combined table (PANELS)
    short: str = ""  # column header in that panel


RMB, USD = "亿元", "亿美元"


def _catalog() -> dict[str, Spec]:
    """The series of the outline (outline.yml, `series:`), one line each, in its order."""
    from . import outline

    found = outline.load()
    catalog = {}
    for s in found.series:
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in s.fields.items()}
        try:
            catalog[s.id] = Spec(series_id=s.id, **fields)
        except TypeError as exc:
            raise outline.OutlineError(
                f"{config.relative(found.path)}: series ({s.id}): {exc}; the keys are "
                "id, data and the fields of outsourcing_repro.series.Spec"
            ) from None
    return catalog


CATALOG: dict[str, Spec] = _catalog()

MIN_POINTS_EMPLOYMENT = 3  # fewer single-year values than this and a series of new hires is not built

PANELS = {
    "papers": ("论文中的序列", "Series printed in the papers"),
    "rmb": ("全国，人民币（亿元）", "National, RMB (亿元)"),
    "usd": ("全国，美元（亿美元）", "National, USD (亿美元)"),
    "employment": ("全国从业人员（万人）", "National employment (万人)"),
}


@dataclass
class SeriesData:
    spec: Spec
    values: pd.Series  # float, indexed by year (int), name = series_id
    sources: pd.DataFrame  # every row read: used and confirming
    missing_years: list[int]
    notes: list[str] = field(default_factory=list)
    excluded: pd.DataFrame | None = None  # rows of the same metric and currency left out, with why
    stated: pd.DataFrame | None = None  # growth rates the paper states for it (see `stated_rows`)

    @property
    def unit(self) -> str:
        return self.spec.unit

    @property
    def series_id(self) -> str:
        return self.spec.series_id

    def window(self, start_year: int, end_year: int) -> SeriesData:
        """The same series restricted to start_year..end_year (inclusive)."""
        keep = (self.values.index >= start_year) & (self.values.index <= end_year)
        span = (max(self.spec.span[0], start_year), min(self.spec.span[1], end_year))
        values = self.values[keep]
        sources = self.sources[self.sources["year"].between(start_year, end_year)]
        missing = [y for y in self.missing_years if span[0] <= y <= span[1]]
        return SeriesData(
            self.spec, values, sources.reset_index(drop=True), missing, list(self.notes), self.excluded, self.stated
        )


def missing_in_span(years, span: tuple[int, int]) -> list[int]:
    present = {int(y) for y in years}
    return [y for y in range(span[0], span[1] + 1) if y not in present]


def rounding(value: float, factor: float) -> float:
    """Half a unit of the last printed digit, in the series unit."""
    return metrics.half_unit(shortest(value)) * factor


def paper_series(frame: pd.DataFrame, spec: Spec) -> SeriesData:
    """Levels transcribed from a paper: one metric, entity and unit, kind 'level', one row a year."""
    sel = (frame["kind"] == "level") & (frame["unit"] == spec.unit)
    if spec.source == "paper_b":
        sel &= (frame["metric"] == spec.metric) & (frame["entity"] == spec.entity)
    else:
        # Paper A prints the per-employee contract value as a change between two years; its
        # transcription may name the metric with more words, so match on the key term and unit.
        sel &= frame["metric"].str.contains(spec.metric, regex=False)
    rows = frame.loc[sel]
    if rows.empty:
        raise SeriesError(
            f"{frame.attrs.get('source', 'paper values')}: no level rows for {spec.metric} in {spec.unit}"
        )
    if rows["year"].duplicated().any():
        raise SeriesError(
            f"{spec.metric}: more than one level for a year: {sorted(rows.loc[rows['year'].duplicated(), 'year'])}"
        )
    values = pd.Series(
        rows["value"].astype(float).values, index=rows["year"].astype(int).values, name=spec.series_id
    ).sort_index()
    values.index.name = "year"
    sources = (
        pd.DataFrame(
            {
                "year": rows["year"].astype(int).values,
                "role": "used",
                "value_as_printed": rows["value"].values,
                "unit_as_printed": rows["unit"].values,
                "value_in_unit": rows["value"].values,
                "source": rows["value_id"].values,
                "scope": rows["section"].values,
                "quote": rows["quote"].values,
                "line": rows.index.values,
            }
        )
        .sort_values("year")
        .reset_index(drop=True)
    )
    return SeriesData(spec, values, sources, missing_in_span(values.index, spec.span), [])


LOWER_BOUND_WORDS = ("以上",)


def stated_rows(spec: Spec, frame: pd.DataFrame | None) -> pd.DataFrame:
    """The stated growth rates for this series, one row each, with how to test them.

    A rate stated as a lower bound ("50%以上") is tested one-sided (H0: growth ≤ g, H1: growth > g);
    a point value two-sided. Paper A's rate is found by its metric, as its ids are not fixed here.
    """
    columns = ["value_id", "role", "value", "alternative", "entity", "section", "quote", "note"]
    if frame is None:
        return pd.DataFrame(columns=columns)
    ids = [(v, "stated") for v in spec.stated] + [(v, "benchmark") for v in spec.benchmarks]
    if spec.source == "paper_a" and not spec.stated:
        hits = frame[(frame["kind"] == "average_growth") & frame["metric"].str.contains(spec.metric, regex=False)]
        ids += [(v, "stated") for v in hits["value_id"]]
    rows = []
    for value_id, role in ids:
        hit = frame[frame["value_id"] == value_id]
        if hit.empty:
            raise SeriesError(f"{frame.attrs.get('source', 'paper values')}: no row '{value_id}'")
        r = hit.iloc[0]
        lower = any(w in str(r["quote"]) for w in LOWER_BOUND_WORDS)
        rows.append(
            {
                "value_id": value_id,
                "role": role,
                "value": float(r["value"]),
                "alternative": "larger" if lower else "two-sided",
                "entity": r["entity"],
                "section": r["section"],
                "quote": r["quote"],
                "note": r["note"],
            }
        )
    return pd.DataFrame(rows, columns=columns)


def load(
    series_id: str,
    *,
    paper_a: pd.DataFrame | None = None,
    paper_b: pd.DataFrame | None = None,
    mofcom: pd.DataFrame | None = None,
) -> SeriesData:
    """Build one catalogued series from the validated data frames it needs."""
    if series_id not in CATALOG:
        raise SeriesError(f"unknown series '{series_id}'; known: {', '.join(CATALOG)}")
    spec = CATALOG[series_id]
    needed = {"paper_a": paper_a, "paper_b": paper_b, "mofcom": mofcom, "employment": mofcom}[spec.source]
    if needed is None:
        raise SeriesError(f"series '{series_id}' needs the {spec.source} data frame")
    if spec.source == "mofcom":
        from .series_mofcom import mofcom_series  # it builds on this module's types

        data = mofcom_series(needed, spec)
    elif spec.source == "employment":
        data = employment_series(needed, spec)
    else:
        data = paper_series(needed, spec)
    data.stated = stated_rows(spec, needed if spec.source.startswith("paper") else None)
    return data


def employment_series(frame: pd.DataFrame, spec: Spec) -> SeriesData:
    """Year-end stocks or single-year new hires from `employment`, published or derived.

    A derived value (a later cumulative count minus year-to-date hires, or a difference of year-end
    stocks) is used like a published one but marked `derived` in the sources, with its arithmetic.
    New hires known only as a multi-year sum (2017–2018) are left out, never split.
    """
    from . import employment

    observations, _ = employment.resolve_duplicates(employment.observations(frame))
    stocks = employment.year_end_stocks(employment.year_end_candidates(observations))
    notes: list[str] = []
    excluded = pd.DataFrame(columns=["year", "value", "unit", "scope", "source_url", "why"])
    if spec.metric == "year_end_stock":
        rows = stocks[(stocks["group"] == spec.entity) & stocks["year"].between(*spec.span)]
        rows = rows.assign(start=rows["year"], end=rows["year"])
    elif spec.metric == "new_hires":
        hires = employment.new_hires(stocks, observations, *spec.span)
        hires = hires[hires["group"] == spec.entity]
        spans = hires[hires["years"] > 1]
        excluded = pd.DataFrame(
            {
                "year": spans["start"],
                "value": spans["value"],
                "unit": spec.unit,
                "scope": [f"{a}–{b} together" for a, b in zip(spans["start"], spans["end"])],
                "source_url": spans["lines"].map(lambda x: f"lines {x}"),
                "why": [
                    f"the sum of {a}–{b} together; splitting it into years would invent data"
                    for a, b in zip(spans["start"], spans["end"])
                ],
            }
        ).reset_index(drop=True)
        rows = hires[hires["years"] == 1].assign(year=lambda f: f["start"])
        if len(rows) < MIN_POINTS_EMPLOYMENT:
            raise SeriesError(
                f"{spec.series_id}: {len(rows)} single-year values; a trend needs {MIN_POINTS_EMPLOYMENT}"
            )
    else:
        raise SeriesError(f"{spec.series_id}: unknown employment measure '{spec.metric}'")
    rows = rows.sort_values("year")
    derived = rows["method"] != employment.PUBLISHED
    for r, is_derived in zip(rows.itertuples(), derived):
        if is_derived:
            notes.append(f"{int(r.year)}: derived ({r.method}): {r.arithmetic}.")
    values = pd.Series(rows["value"].astype(float).values, index=rows["year"].astype(int).values, name=spec.series_id)
    values.index.name = "year"
    sources = pd.DataFrame(
        {
            "year": rows["year"].astype(int).values,
            "role": "used",
            "value_as_printed": rows["value"].values,
            "unit_as_printed": spec.unit,
            "value_in_unit": rows["value"].astype(float).values,
            "source": [("derived: " if d else "") + a for d, a in zip(derived, rows["arithmetic"])],
            "scope": rows["method"].values,
            "quote": rows["arithmetic"].values,
            "line": rows["lines"].astype(str).values,
            "derived": derived.values,
        }
    ).reset_index(drop=True)
    return SeriesData(spec, values, sources, missing_in_span(values.index, spec.span), notes, excluded)


def describe_years(years) -> str:
    """2016, 2018, 2020–2023: runs of consecutive years joined by an en dash."""
    years = sorted(int(y) for y in years)
    if not years:
        return "none"
    runs, start, prev = [], years[0], years[0]
    for y in years[1:] + [math.inf]:
        if y != prev + 1:
            runs.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = y
        prev = y
    return ", ".join(runs)


def load_files(series_id: str, *, paper_a_values=None, paper_b_values=None, mofcom=None) -> tuple[SeriesData, str]:
    """Load and validate only the data file this series needs; return the series and that file's path."""
    from . import dataset

    if series_id not in CATALOG:
        raise SeriesError(f"unknown series '{series_id}'; known: {', '.join(CATALOG)}")
    source = CATALOG[series_id].source
    path = {"paper_a": paper_a_values, "paper_b": paper_b_values, "mofcom": mofcom, "employment": mofcom}[source]
    if path is None:
        raise SeriesError(f"series '{series_id}' needs the {source} data file")
    schema = "mofcom" if source in ("mofcom", "employment") else "paper_values"
    frame = dataset.load(path, schema)
    key = "mofcom" if source == "employment" else source
    return load(series_id, **{key: frame}), str(path)
