"""Paper B computations against answers worked out by hand from the paper's printed numbers."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import needs_seeds

from outsourcing_repro import (
    audit,
    config,
    dataset,
    item_tables,
    item_tables_b_context,
    item_tables_b_execution,
    paper_b,
    provenance,
    tables,
    values,
)

VALUES = config.RAW_DATA_DIR / "paper_b_values.csv"
PARKS = config.RAW_DATA_DIR / "paper_b_parks_platforms.csv"


@pytest.fixture(scope="module")
def frame():
    return dataset.load(VALUES, "paper_values")


@pytest.fixture(scope="module")
def tree(frame):
    return paper_b.park_tree(dataset.load(PARKS, "paper_b_parks"), frame)


def test_recomputed_growth_matches_hand_arithmetic(frame):
    series = paper_b.execution_series(frame).set_index("year")
    assert series.loc[2014, "growth_recomputed_pct"] == pytest.approx(36.06, abs=0.005)  # 4032.9 / 2964 - 1
    assert series.loc[2016, "growth_recomputed_pct"] == pytest.approx(66.85, abs=0.005)  # 12932 / 7750.59 - 1
    assert series.loc[2017, "growth_recomputed_pct"] == pytest.approx(70.50, abs=0.005)  # 22049 / 12932 - 1
    assert series.loc[2016, "difference_pp"] == pytest.approx(76.84 - 66.85, abs=0.01)
    assert pd.isna(series.loc[2013, "growth_recomputed_pct"])  # 2012 is not in the paper


def test_growth_tolerance_is_half_a_printed_digit(frame):
    assert paper_b.growth_tolerance(frame, 2013) == pytest.approx(0.5)  # "56%"
    assert paper_b.growth_tolerance(frame, 2014) == pytest.approx(0.05)  # "36.1%"
    assert paper_b.growth_tolerance(frame, 2016) == pytest.approx(0.005)  # "76.84%"


def test_execution_summary_rate_cagr_and_means(frame):
    s = paper_b.execution_summary(frame)
    assert s.rate == pytest.approx(148900 / 22049, rel=1e-9)  # 14.89亿元 / 22049万美元 = 6.7531
    assert s.rate == pytest.approx(6.7531, abs=5e-5)
    assert s.cagr == pytest.approx(65.15, abs=0.01)  # (22049 / 2964)^(1/4) - 1
    assert s.mean_stated == pytest.approx((56 + 36.1 + 92.18 + 76.84 + 73.31) / 5)
    assert s.implied_2016 == pytest.approx(22049 / 1.7331)
    assert s.rate_low < s.rate < s.rate_high


def test_business_mix_sums_and_implied_ito_2016(frame):
    mix = paper_b.business_mix(frame)
    assert mix["execution_usd_10k"].sum() == 18785 + 2774 + 490 == 22049
    kpo = mix.set_index("kind").loc["KPO"]
    assert kpo["share_recomputed_pct"] == pytest.approx(18785 / 22049 * 100, abs=1e-4)
    summary = item_tables_b_execution.business_mix_summary(frame).set_index("item")
    assert summary.loc["2016 ITO execution implied by the stated growth", "value"] == pytest.approx(2774 / 29.933)


def test_concentration_bands(frame):
    c = paper_b.concentration(frame)
    assert c.mean_band == pytest.approx((20247 - 11028) / (41 - 13))  # 329.25, inside 200..500
    assert c.mean_below == pytest.approx((22049 - 20247) / (66 - 41))  # 72.08, below 200
    assert c.n_500_2016 == 13 - 7
    assert c.share_500 == pytest.approx(50.016, abs=0.001)
    assert paper_b.band_threshold(frame, "b_firms_200plus_2017") == 200


def test_zhejiang_shares_cannot_all_hold(frame):
    z = paper_b.zhejiang(frame)
    assert z.total == pytest.approx(19.26 / 0.2065)  # 93.27亿美元
    assert z.hz_share == pytest.approx(64.65 / (19.26 / 0.2065) * 100)  # 69.32%
    assert z.sum_shares == pytest.approx(103.34, abs=0.01)
    assert z.sum_shares_min > 100
    assert z.wz_share == pytest.approx(2.2049 / (19.26 / 0.2065) * 100)


def test_digital_economy_implied_2015(frame):
    d = paper_b.digital_economy(frame)
    assert d.prev == pytest.approx(22.6 / 1.19)  # 18.99万亿元
    assert d.gdp_max == pytest.approx(22.6 / 0.30)
    assert d.prev_share == pytest.approx(27.2)


def test_printed_keeps_the_papers_digits(frame):
    assert values.printed(frame, "b_kpo_share_2017") == "85.20"
    assert values.printed(frame, "b_kpo_2017") == "18,785"
    assert values.printed(frame, "b_ito_growth_2017") == "2,893.3"
    assert values.stated_text(frame, "b_markets_2017") == "> 45 个"
    assert values.stated_text(frame, "b_bigdata_firms") == "≤ 20 家"


def test_claim_ids_keep_only_audited_kinds(frame):
    ids = audit.claim_ids(frame, ["b_exec_2017", "b_growth_2017", "b_kpo_share_2017", "b_firms_2017"])
    assert ids == ["b_growth_2017", "b_kpo_share_2017"]


@needs_seeds
def test_park_quotes_are_verbatim_and_name_their_boxes(tree):
    for row in tree.itertuples():
        assert provenance.quote_in_paper(row.quote, "B"), row.item_id
        assert row.label_zh in provenance.flatten(row.quote), row.item_id


def test_park_tree_counts_named_and_unnamed_platforms(tree):
    summary = paper_b.park_summary(tree).set_index("park_id")
    assert summary.loc["gxq", "platforms_named"] == 0  # the text names none of them
    assert summary.loc["gxq", "platforms_counted"] == 10  # 十个
    assert summary.loc["gm", "platforms_named"] == 5
    assert summary.loc["gm", "industries_named"] == 8


def test_park_tree_rejects_a_dangling_parent(frame):
    items = dataset.load(PARKS, "paper_b_parks").copy()
    items.loc[items.index[1], "parent_id"] = "nowhere"
    with pytest.raises(ValueError, match="nowhere"):
        paper_b.park_tree(items, frame)


def test_every_park_number_comes_from_the_values_file(frame):
    items = dataset.load(PARKS, "paper_b_parks")
    linked = items["value_id"].dropna()
    assert set(linked) <= set(frame["value_id"])
    assert len(linked) == 4


def test_item_labels_tell_years_and_cities_apart(frame):
    assert item_tables.item_labels(frame, "b_firms_2015")[0] != item_tables.item_labels(frame, "b_firms_2017")[0]
    assert item_tables.item_labels(frame, "b_hz_offshore_2017")[0].startswith("2017年 杭州")
    assert item_tables.item_labels(frame, "b_nb_offshore_2017")[0].startswith("2017年 宁波")
    # The markets paragraph gives no year: the label must not invent one.
    assert "2017" not in item_tables.item_labels(frame, "b_markets_2017")[0]


def test_rate_row_shows_the_printed_inputs(frame):
    summary = item_tables_b_execution.execution_summary_table(frame).set_index("item")
    text = summary.loc["CNY per USD implied by the two 2017 values", "arithmetic"]
    assert text.startswith("14.89亿元 ÷ 22,049万美元 = 6.7531")
    assert "± 0.005" in text


def test_every_transcribed_number_is_shown_somewhere(frame):
    shown = item_tables_b_context.shown_before_table_5_other(frame)
    other = item_tables_b_context.other_numbers(frame, shown)
    assert shown | set(other["value_id"]) == set(frame["value_id"])
    assert not shown & set(other["value_id"])  # and only once
    assert "b_tapscott_1995" in set(other["value_id"])
    assert "b_growth_2016" in shown


def test_park_value_ids_match_the_parks_file():
    items = dataset.load(PARKS, "paper_b_parks")
    assert set(items["value_id"].dropna()) == set(paper_b.PARK_VALUE_IDS)


def test_park_items_display_writes_each_quote_once_in_a_row(tree):
    shown = tables.park_items_display(tree)
    assert len(shown) == len(tree)
    # The eight industries of the 工贸 park share one quote: printed once, then 同上 seven times.
    assert (shown["原文 quote"] == "同上 ditto").sum() >= 7
    assert shown.loc[tree["item_id"].tolist().index("gm_platform_3d"), "上级 parent"] == "浙江工贸国际服务外包示范园"


def test_smallest_zhejiang_total_that_holds_every_stated_city(frame):
    # Hangzhou 64.65 and Ningbo 19.26 plus the six cities' 13.37% must fit: (64.65 + 19.26) / 0.8663 = 96.86,
    # where Ningbo's 19.26 is 19.88% (not 20.65%) and the three shares add up to exactly 100%.
    z = paper_b.zhejiang(frame)
    assert z.total_for_all == pytest.approx(96.86, abs=0.005)
    assert z.nb_share_if_all_fit == pytest.approx(19.88, abs=0.005)
    assert (64.65 + 19.26) / z.total_for_all * 100 + 13.37 == pytest.approx(100)
