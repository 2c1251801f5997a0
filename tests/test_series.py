"""Series selection: the right rows, full years only, no RMB/USD mixing, duplicates counted once,
missing years reported, and the catalog, notebook and Makefile agreeing on the series ids."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from outsourcing_repro import config, dataset, runner_params, series, series_mofcom
from outsourcing_repro.schemas import base_unit

MOFCOM_PATH = config.EXTERNAL_DATA_DIR / "mofcom_release_values.csv"
PAPER_A_PATH = config.RAW_DATA_DIR / "paper_a_values.csv"
PAPER_B_PATH = config.RAW_DATA_DIR / "paper_b_values.csv"
NATIONAL = [sid for sid, spec in series.CATALOG.items() if spec.source == "mofcom"]


@pytest.fixture(scope="module")
def mofcom():
    return dataset.load(MOFCOM_PATH, "mofcom")


@pytest.fixture(scope="module")
def loaded(mofcom):
    return {sid: series.load(sid, mofcom=mofcom) for sid in NATIONAL}


def raw_rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_wenzhou_series_is_the_five_transcribed_levels():
    rows = {r["value_id"]: float(r["value"]) for r in raw_rows(PAPER_B_PATH)}
    data = series.load("wenzhou_offshore_execution", paper_b=dataset.load(PAPER_B_PATH, "paper_values"))
    assert list(data.values.index) == [2013, 2014, 2015, 2016, 2017]
    assert data.values.tolist() == [rows[f"b_exec_{y}"] for y in range(2013, 2018)]
    assert data.unit == "万美元" and data.missing_years == []
    assert set(data.sources["source"]) == {f"b_exec_{y}" for y in range(2013, 2018)}
    # the RMB conversion of 2017 is a different metric and stays out
    assert 14.89 not in data.values.tolist()
    stated = data.stated.set_index("value_id")
    assert stated.loc["b_avg_growth_2013_2017", "alternative"] == "larger"  # 50%以上 is a lower bound
    assert stated.loc["b_zj_avg_growth", "value"] == rows["b_zj_avg_growth"]
    assert stated.loc["b_zj_avg_growth", "alternative"] == "two-sided"


def test_national_series_use_full_year_rows_only(loaded):
    for sid, data in loaded.items():
        used = data.sources
        for row in used.itertuples():
            reviewed = any(k[0] == row.year and k[3] == row.source for k in series_mofcom.REVIEWED_FULL_YEAR)
            assert row.scope.startswith("national, full year") or reviewed, (sid, row.year, row.scope)
            assert "YTD" not in row.scope and "as of" not in row.scope, (sid, row.scope)


def test_half_year_2019_values_are_left_out(loaded, mofcom):
    h1 = mofcom[(mofcom["year"] == 2019) & mofcom["scope"].str.contains("YTD Jan-Jun")]
    contract_h1 = float(h1.loc[h1["metric"] == "承接服务外包合同额", "value"].iloc[0])
    data = loaded["national_contract_cny"]
    assert 2019 not in data.values.index
    assert 2019 in data.missing_years
    assert contract_h1 in data.excluded["value"].tolist()
    # 2019 offshore execution in USD is a full-year value and is used
    assert loaded["national_offshore_execution_usd"].values[2019] == 968.9


def test_rmb_and_usd_never_mix(loaded):
    rmb_units, usd_units = {"亿元", "万亿元", "billion yuan"}, {"亿美元"}
    for sid, data in loaded.items():
        units = {base_unit(u) for u in data.sources["unit_as_printed"]}
        assert units <= (rmb_units if data.unit == "亿元" else usd_units), (sid, units)
    # The same year in the two currencies differs by roughly the exchange rate, never equal.
    for metric in ("contract", "execution", "offshore_contract", "offshore_execution"):
        cny, usd = loaded[f"national_{metric}_cny"].values, loaded[f"national_{metric}_usd"].values
        for year in cny.index.intersection(usd.index):
            assert 6.0 < cny[year] / usd[year] < 7.5, (metric, year)


def test_missing_years_are_reported(loaded):
    assert loaded["national_contract_cny"].missing_years == [2017, 2019]
    assert loaded["national_offshore_contract_usd"].missing_years == [2016, 2017, 2018, 2019, 2021]
    for data in loaded.values():
        span = set(range(data.spec.span[0], data.spec.span[1] + 1))
        assert set(data.values.index) | set(data.missing_years) == span
        assert not set(data.values.index) & set(data.missing_years)


def test_confirmations_are_counted_once_and_units_converted(loaded):
    contract = loaded["national_contract_cny"]
    assert contract.values[2016] == 10213  # 1.0213 万亿元 confirms it
    assert contract.values[2023] == 28666  # "nearly 2.87 trillion" is the rounded confirmation
    assert contract.values[2022] == 24371  # 2437.1 billion yuan = 24371 亿元
    roles = contract.sources.groupby("year")["role"].apply(sorted)
    assert roles[2023] == ["confirmation", "used"]
    trillion = contract.sources[(contract.sources["year"] == 2023) & (contract.sources["role"] == "confirmation")]
    assert trillion["value_in_unit"].iloc[0] == pytest.approx(2.87 * 10_000)
    assert loaded["national_offshore_execution_cny"].values[2016] == 4885  # 488.5 billion yuan confirms
    usd = loaded["national_execution_usd"]
    assert (usd.sources["year"] == 2016).sum() == 2 and usd.values[2016] == 1064.6
    for data in loaded.values():
        assert data.values.index.is_unique


def test_2018_unit_typo_is_read_as_yi_yuan(loaded):
    contract = loaded["national_contract_cny"].values
    assert contract[2018] == 13233.4
    assert contract[2016] < contract[2018] < contract[2020]  # read literally it would be 10x too large
    assert any("2018" in n and "billion yuan" in n for n in loaded["national_contract_cny"].notes)


def test_reviewed_2016_offshore_usd_row_has_the_full_year_exchange_ratio(mofcom):
    def value(year, metric, unit, scope_start="national"):
        hit = mofcom[(mofcom["year"] == year) & (mofcom["metric"] == metric) & (mofcom["unit"].map(base_unit) == unit)]
        return float(hit["value"].iloc[0])

    offshore = value(2016, "离岸服务外包执行额", "亿元") / value(2016, "离岸服务外包执行额", "亿美元")
    total = value(2016, "承接服务外包执行额", "亿元") / value(2016, "承接服务外包执行额", "亿美元")
    assert abs(offshore / total - 1) < 0.001


def _frame(rows):
    frame = pd.DataFrame(rows, columns=["year", "metric", "value", "unit", "scope", "source_url", "quote"])
    frame.index = range(2, 2 + len(frame))
    return frame


def test_conflicting_full_year_values_stop_the_build():
    spec = series.CATALOG["national_contract_cny"]
    base = [2020, "承接服务外包合同额", 28666.0, "亿元", "national, full year", "http://a.example", "q"]
    ok = _frame([base, [2020, "承接服务外包合同额", 2.87, "万亿元", "national, full year", "http://b.example", "q"]])
    assert series_mofcom.mofcom_series(ok, spec).values[2020] == 28666.0
    # 2.86 万亿元 = 28600 亿元 is 66 away; the two roundings allow only 50 + 0.5
    bad = _frame([base, [2020, "承接服务外包合同额", 2.86, "万亿元", "national, full year", "http://b.example", "q"]])
    with pytest.raises(series.SeriesConflict, match="2020"):
        series_mofcom.mofcom_series(bad, spec)


def test_unknown_unit_is_refused():
    spec = series.CATALOG["national_contract_usd"]
    frame = _frame([[2020, "承接服务外包合同额", 246.2, "billion USD", "national, full year", "http://a.example", "q"]])
    with pytest.raises(series.SeriesError, match="billion USD"):
        series_mofcom.mofcom_series(frame, spec)


def test_paper_a_two_point_series_and_its_stated_rate():
    rows = [r for r in raw_rows(PAPER_A_PATH) if r["unit"] == "万美元/人" and r["kind"] == "level"]
    data = series.load("paper_a_contract_per_employee", paper_a=dataset.load(PAPER_A_PATH, "paper_values"))
    assert len(data.values) == 2
    assert sorted(data.values.tolist()) == sorted(float(r["value"]) for r in rows)
    growth = [r for r in raw_rows(PAPER_A_PATH) if r["kind"] == "average_growth" and "人均合同额" in r["metric"]]
    assert data.stated["value"].tolist() == [float(growth[0]["value"])]


def test_employment_series_mark_derived_values_and_skip_multi_year_sums(mofcom):
    stock = series.load("national_employment_stock", mofcom=mofcom)
    sources = stock.sources.set_index("year")
    assert stock.values[2021] == 1395 and not sources.loc[2021, "derived"]  # published end-2021
    # end-2018 = end-Jun-2019 cumulative 1091 − H1-2019 new hires 22.5 (both in the MOFCOM file)
    assert stock.values[2018] == pytest.approx(1091 - 22.5) and sources.loc[2018, "derived"]
    hires = series.load("national_new_hires", mofcom=mofcom)
    assert hires.values[2020] == pytest.approx(stock.values[2020] - stock.values[2019])
    assert 2017 not in hires.values.index and 2018 not in hires.values.index
    assert (hires.excluded["scope"] == "2017–2018 together").any()


def test_window_restricts_years_and_missing_years():
    data = series.load("national_contract_cny", mofcom=dataset.load(MOFCOM_PATH, "mofcom"))
    part = data.window(2018, 2021)
    assert list(part.values.index) == [2018, 2020, 2021]
    assert part.missing_years == [2019]
    assert set(part.sources["year"]) == {2018, 2020, 2021}


def test_describe_years_joins_runs():
    assert series.describe_years([2016, 2018, 2020, 2021, 2022, 2023]) == "2016, 2018, 2020–2023"
    assert series.describe_years([2013]) == "2013"


def test_catalog_notebook_and_outline_list_the_same_series():
    """The series are listed once, in outline.yml: the catalogue, the notebook's allowed values and
    the runs of reg_growth are all read from there."""
    from outsourcing_repro import outline

    declared = runner_params.declared_parameters(config.NOTEBOOKS_DIR / "reg_growth.py")
    found = outline.load()
    assert list(declared["series"].choices) == list(series.CATALOG) == [s.id for s in found.series]
    runs = [e.series for e in found.entries() if e.stem == "reg_growth"]
    assert runs == list(series.CATALOG)
