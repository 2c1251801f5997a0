"""Employment arithmetic behind Paper A's 图1: known answers on small frames, then the real MOFCOM file."""

from __future__ import annotations

import pandas as pd
import pytest

from outsourcing_repro import config, dataset, employment

MOFCOM = config.EXTERNAL_DATA_DIR / "mofcom_release_values.csv"


def frame(rows):
    """A MOFCOM-shaped frame; the index plays the CSV line number, as dataset.read_csv sets it."""
    cols = ["year", "metric", "value", "unit", "scope", "source_url", "quote"]
    out = pd.DataFrame([dict(zip(cols, r + ("http://x", "q"))) for r in rows])
    out.index = pd.Index(range(2, len(rows) + 2), name="line")
    return out


@pytest.mark.parametrize(
    "metric, scope, month",
    [
        ("累计从业人员", "national, as of end-Jun 2022", 6),
        ("累计从业人员", "national, as of Apr 2021", 4),
        ("服务外包新增从业人员", "national, YTD Jan-Oct 2020", 10),
        ("服务外包新增从业人员", "national, YTD Jan-May 2022 (page says 今年1—5月; 2022 inferred)", 5),
        ("服务外包新增从业人员", "national, full year", 12),
        ("累计从业人员(年末)", "national, 2006-2016 cumulative (Xinhua 2017-09-30)", 12),
    ],
)
def test_as_of_month(metric, scope, month):
    assert employment.as_of_month(metric, scope) == month


def test_as_of_month_refuses_a_scope_it_cannot_read():
    with pytest.raises(employment.EmploymentError):
        employment.as_of_month("累计从业人员", "national, sometime")


def test_later_cumulative_minus_ytd_gives_the_previous_year_end():
    # The data README's example: end-2021 college 898 = end-Jun-2022 927 − H1-2022 29.
    m = frame(
        [
            (2022, "累计大学以上学历从业人员", 927, "万人", "national, as of end-Jun 2022"),
            (2022, "新增大学以上学历从业人员", 29, "万人", "national, YTD Jan-Jun 2022"),
        ]
    )
    cands = employment.year_end_candidates(employment.observations(m))
    assert len(cands) == 1
    row = cands.iloc[0]
    assert (row["group"], row["year"], row["value"]) == ("college", 2021, 898)
    assert row["method"] == employment.LATER_MINUS_YTD and row["lines"] == "2, 3"


def test_published_year_end_is_preferred_and_shortest_window_next():
    m = frame(
        [
            (2021, "累计从业人员(年末)", 1395, "万人", "national, as of end-Dec 2021"),
            (2022, "累计从业人员", 1440, "万人", "national, as of end-Jun 2022"),
            (2022, "服务外包新增从业人员", 45, "万人", "national, YTD Jan-Jun 2022"),
            (2022, "累计从业人员", 1422, "万人", "national, as of end-Mar 2022"),
            (2022, "服务外包新增从业人员", 26, "万人", "national, YTD Jan-Mar 2022"),
            (2020, "累计从业人员", 1172, "万人", "national, as of end-Jun 2020"),
            (2020, "服务外包新增从业人员", 50, "万人", "national, YTD Jan-Jun 2020"),
            (2020, "累计从业人员", 1180, "万人", "national, as of end-Mar 2020"),
            (2020, "服务外包新增从业人员", 10, "万人", "national, YTD Jan-Mar 2020"),
        ]
    )
    stocks = employment.year_end_stocks(employment.year_end_candidates(employment.observations(m)))
    s = stocks.set_index("year")
    assert s.loc[2021, "value"] == 1395 and s.loc[2021, "method"] == employment.PUBLISHED
    assert s.loc[2021, "estimates"] == 3 and s.loc[2021, "spread"] == 1  # 1396 from March, 1395 from June
    assert s.loc[2019, "value"] == 1170 and s.loc[2019, "window_months"] == 3  # March (1180 − 10), not June (1122)


def test_total_times_share_is_a_candidate_for_the_college_stock():
    m = frame(
        [
            (2020, "累计从业人员(年末)", 1000, "万人", "national, 2006-2020 cumulative"),
            (2020, "累计大学以上学历占比(年末)", 63.5, "%", "national, 2006-2020 cumulative"),
        ]
    )
    cands = employment.year_end_candidates(employment.observations(m))
    college = cands[cands["group"] == "college"]
    assert college["value"].tolist() == [635.0]
    assert college["method"].iloc[0] == employment.TOTAL_TIMES_SHARE


def test_rounded_reprint_is_dropped_and_checked():
    m = frame(
        [
            (2019, "累计从业人员", 1091, "万人", "national, as of end-Jun 2019"),
            (2019, "累计从业人员", 1090, "万人 (rounded; conflicts with 1091)", "national, as of end-Jun 2019"),
            (2019, "累计大学以上学历从业人员", 700, "万人 (rounded)", "national, as of end-Jun 2019"),
            (2019, "累计大学以上学历从业人员", 704, "万人", "national, as of end-Jun 2019"),
        ]
    )
    kept, dropped = employment.resolve_duplicates(employment.observations(m))
    assert sorted(kept["value"]) == [704, 1091]
    assert sorted(dropped["dropped"]) == [700, 1090]
    assert dropped["consistent"].all()
    assert dict(zip(dropped["dropped"], dropped["rounding_step"])) == {700: 100, 1090: 10}


def test_rounded_value_that_is_not_a_rounding_is_flagged():
    m = frame(
        [
            (2019, "累计从业人员", 1091, "万人", "national, as of end-Jun 2019"),
            (2019, "累计从业人员", 1120, "万人 (rounded)", "national, as of end-Jun 2019"),
        ]
    )
    _, dropped = employment.resolve_duplicates(employment.observations(m))
    assert not dropped["consistent"].iloc[0]


def test_two_precise_values_that_disagree_stop_the_build():
    m = frame(
        [
            (2019, "累计从业人员", 1091, "万人", "national, as of end-Jun 2019"),
            (2019, "累计从业人员", 1095, "万人", "national, as of end-Jun 2019"),
        ]
    )
    with pytest.raises(employment.EmploymentError, match="conflicting"):
        employment.resolve_duplicates(employment.observations(m))


def test_unmapped_employment_metric_is_an_error_not_a_silent_skip():
    m = frame([(2019, "累計從業人員", 1091, "万人", "national, as of end-Jun 2019")])
    with pytest.raises(employment.EmploymentError, match="not mapped"):
        employment.observations(m)


def _stocks(values: dict[tuple[str, int], float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"group": g, "year": y, "value": v, "lines": "1", "arithmetic": ""} for (g, y), v in values.items()]
    )


def test_new_hires_keep_unseparable_years_together():
    stocks = _stocks(
        {
            ("college", 2016): 551,
            ("college", 2019): 750.1,
            ("college", 2020): 819,
            ("total", 2016): 856,
            ("total", 2018): 1068.5,
        }
    )
    obs = pd.DataFrame([{"measure": "new", "group": "total", "year": 2016, "month": 12, "value": 121, "line": 9}])
    hires = employment.new_hires(stocks, obs, 2016, 2020).set_index(["group", "start"])
    span = hires.loc[("college", 2017)]
    assert (span["end"], span["years"]) == (2019, 3)
    assert span["value"] == pytest.approx(199.1) and span["per_year"] == pytest.approx(199.1 / 3)
    assert hires.loc[("college", 2020), "value"] == pytest.approx(68.9)
    assert hires.loc[("total", 2016), "released"] and hires.loc[("total", 2016), "value"] == 121
    assert hires.loc[("total", 2017), "end"] == 2018 and hires.loc[("total", 2017), "value"] == pytest.approx(212.5)
    assert employment.unknown_years(hires.reset_index(), "college", 2016, 2020) == [2016]
    assert employment.unknown_years(hires.reset_index(), "total", 2016, 2020) == [2019, 2020]


def test_average_check_bounds_and_implied_first_year():
    stocks = _stocks({("college", 2016): 551, ("college", 2022): 966})
    hires = pd.DataFrame([{"group": "total", "start": 2016, "end": 2016, "value": 121.0}])
    c = employment.average_check(stocks, hires, 69.7, 2016, 2022)
    assert c.recomputed is None
    assert c.known_sum == 415
    assert c.lower == pytest.approx(415 / 7) and c.upper == pytest.approx(536 / 7)
    assert c.implied_first_year == pytest.approx(69.7 * 7 - 415)
    assert c.implied_first_year_halfwidth == pytest.approx(0.35)
    assert c.lower <= 69.7 <= c.upper  # 59.3 <= 69.7 <= 76.6
    high = employment.average_check(stocks, hires, 80.0, 2016, 2022)
    assert high.stated > high.upper


def test_average_check_recomputes_when_both_ends_are_known():
    stocks = _stocks({("college", 2015): 480, ("college", 2022): 966})
    c = employment.average_check(stocks, pd.DataFrame(columns=["group", "start", "end", "value"]), 69.7, 2016, 2022)
    assert c.recomputed == pytest.approx((966 - 480) / 7)


# ---- the real MOFCOM file: derived values recomputed here from rows picked by hand ----


@pytest.fixture(scope="module")
def real():
    m = dataset.load(MOFCOM, "mofcom")
    obs, dropped = employment.resolve_duplicates(employment.observations(m))
    cands = employment.year_end_candidates(obs)
    return m, obs, dropped, cands, employment.year_end_stocks(cands)


def _pick(m, metric, scope_part, year):
    hit = m[(m["metric"] == metric) & m["scope"].str.contains(scope_part, regex=False) & (m["year"] == year)]
    assert len(hit) == 1, (metric, scope_part, year)
    return float(hit["value"].iloc[0])


def test_real_end_2021_college_stock_agrees_three_ways(real):
    m, _, _, cands, stocks = real
    published = _pick(m, "累计大学以上学历从业人员(年末)", "end-Dec 2021", 2021)
    june = _pick(m, "累计大学以上学历从业人员", "end-Jun 2022", 2022) - _pick(
        m, "新增大学以上学历从业人员", "Jan-Jun 2022", 2022
    )
    march = _pick(m, "累计大学以上学历从业人员", "end-Mar 2022", 2022) - _pick(
        m, "新增大学以上学历从业人员", "Jan-Mar 2022", 2022
    )
    assert published == june == march == 898
    c = cands[(cands["group"] == "college") & (cands["year"] == 2021)]
    assert sorted(c.value) == [898, 898, 898]
    assert employment.stock(stocks, "college", 2021) == published


def test_real_stocks_and_hires(real):
    m, obs, _, _, stocks = real
    end2019_total = _pick(m, "累计从业人员", "end-Oct 2020", 2020) - _pick(
        m, "服务外包新增从业人员", "Jan-Oct 2020", 2020
    )
    assert employment.stock(stocks, "total", 2019) == pytest.approx(end2019_total)
    end2022_college = _pick(m, "累计大学以上学历从业人员", "end-May 2023", 2023) - _pick(
        m, "新增大学以上学历从业人员", "Jan-May 2023", 2023
    )
    assert employment.stock(stocks, "college", 2022) == pytest.approx(end2022_college) == pytest.approx(966)
    assert employment.stock(stocks, "college", 2015) is None
    hires = employment.new_hires(stocks, obs, 2016, 2022)
    college_2021 = hires[(hires["group"] == "college") & (hires["start"] == 2021)]["value"].iloc[0]
    assert college_2021 == pytest.approx(
        898
        - (
            _pick(m, "累计大学以上学历从业人员", "end-Jul 2021", 2021)
            - _pick(m, "新增大学以上学历从业人员", "Jan-Jul 2021", 2021)
        )
    )
    # the yearly hires add up to the change in the stock over the whole period
    for group in ("total", "college"):
        derived = hires[(hires["group"] == group) & ~hires["released"]]
        first = int(derived["start"].min()) - 1
        assert derived["value"].sum() == pytest.approx(
            employment.stock(stocks, group, 2022) - employment.stock(stocks, group, first)
        )


def test_real_rounded_reprints(real):
    _, _, dropped, _, _ = real
    pairs = {(float(r.kept), float(r.dropped)) for r in dropped.itertuples()}
    assert pairs == {(1091.0, 1090.0), (704.0, 700.0), (856.0, 860.0)}
    assert dropped["consistent"].all()
