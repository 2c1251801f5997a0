"""Paper A: transcription, classification and diagram provenance, and the computations of its tables."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from conftest import needs_seeds

from outsourcing_repro import audit, config, dataset, item_tables_a, number, paper_a, provenance
from outsourcing_repro import values as v

RAW = config.RAW_DATA_DIR
VALUES = RAW / "paper_a_values.csv"
CLASSES = RAW / "paper_a_classification.csv"
NODES = RAW / "paper_a_fig2_nodes.csv"
EDGES = RAW / "paper_a_fig2_edges.csv"


@pytest.fixture(scope="module")
def values():
    return dataset.load(VALUES, "paper_values")


@pytest.fixture(scope="module")
def cls():
    return dataset.load(CLASSES, "paper_classification")


def raw_value(value_id: str) -> float:
    """A value read straight from the CSV text, not through the package."""
    frame = pd.read_csv(VALUES, dtype=str)
    return float(frame.loc[frame["value_id"] == value_id, "value"].iloc[0])


# ---- transcription ----


def test_every_output_shows_each_value_exactly_once(values):
    groups = [
        paper_a.EMPLOYMENT_IDS,
        paper_a.TALENT_IDS,
        paper_a.PRODUCTIVITY_IDS,
        paper_a.CLASSIFICATION_IDS,
        tuple(paper_a.other_claims_table(values)["value_id"]),
    ]
    flat = [i for g in groups for i in g]
    assert len(flat) == len(set(flat)), "a value is shown in two outputs"
    assert set(flat) == set(values["value_id"])


def test_audited_kinds_are_linked(values):
    audited = set(values.loc[values["kind"].isin(audit.AUDITED_KINDS), "value_id"])
    assert "a_college_new_avg_2016_2022" in audited and "a_contract_per_worker_growth" in audited
    assert set(audit.claim_ids(values)) == audited
    assert audit.claim_ids(values, ["a_trained_2023", "a_college_share_2023"]) == ["a_college_share_2023"]


def test_ranges_have_one_row_per_bound(values):
    for stem, low, high in (
        ("a_wage_ratio_india", 2, 3),
        ("a_wage_ratio_vietnam", 5, 10),
        ("a_covid_impact_years", 3, 5),
    ):
        assert raw_value(f"{stem}_low") == low and raw_value(f"{stem}_high") == high


def test_a_quote_that_names_a_source_has_it_in_the_note(values):
    for _, r in values.iterrows():
        for name in ("中国信通院", "工信部", "Gartner", "商业机构调查", "不完全统计"):
            if name in r["quote"]:
                assert name in v.note_fields(r["note"]).get("source", ""), r["value_id"]


@needs_seeds
def test_numbers_written_in_words_are_read_from_their_quotes(values):
    words = {
        "a_partnership_years": 30,
        "a_covid_impact_years_low": 3,
        "a_covid_impact_years_high": 5,
        "a_target_export_doublings": 2,
        "a_gartner_half_dc_2025": 0.5,
        "a_data_factor_rank": 5,
        "a_ito_mid_classes": 3,
        "a_pathways_count": 2,
        "a_aspects_count": 3,
    }
    for value_id, expected in words.items():
        row = values[values["value_id"] == value_id].iloc[0]
        assert row["value"] == expected
        assert not provenance.value_in_quote(expected, re.sub(r"[一二两三四五六七八九十百千半]", "", row["quote"])), (
            f"{value_id}: the value should come from the words, not from digits"
        )
        assert provenance.value_in_quote(expected, row["quote"])


def test_doublings():
    assert paper_a.doublings_to_multiple(raw_value("a_target_export_doublings")) == 4
    assert paper_a.doublings_to_multiple(1) == 2


def test_note_fields():
    f = v.note_fields("source: 工信部; qualifier: 约 (about); something else")
    assert f == {"source": "工信部", "qualifier": "约 (about)", "other": "something else"}
    assert v.note_fields(pd.NA) == {}


# ---- tables ----


def test_productivity_check_against_an_independent_cagr(values):
    first, last = raw_value("a_contract_per_worker_2016"), raw_value("a_contract_per_worker_2023")
    stated = raw_value("a_contract_per_worker_growth")
    c = paper_a.productivity_check(values)
    independent = (math.exp(math.log(last / first) / 7) - 1) * 100
    assert c.years == 7
    assert c.cagr == pytest.approx(independent)
    assert c.cagr == pytest.approx(19.84, abs=0.01)
    assert c.difference_pp == pytest.approx(stated - independent)
    assert first * (1 + stated / 100) ** c.implied_years == pytest.approx(last)
    assert c.implied_first * (1 + stated / 100) ** 7 == pytest.approx(last)
    # 29.3% needs ln(46.5/13.1)/ln(1.293) = 4.93 years: the nearest whole span is 5.
    assert c.nearest_span == 5


def test_talent_table_derived_rows(values):
    t = item_tables_a.talent_table(values).set_index("item")
    college = raw_value("a_college_stock_2023")
    junior = (
        college
        - raw_value("a_bachelor_stock_2023")
        - raw_value("a_master_stock_2023")
        - raw_value("a_doctor_stock_2023")
    )
    assert junior == pytest.approx(403.2)
    assert t.loc["of which junior college (remainder)", "value"] == pytest.approx(junior)
    assert t.loc["Implied total employees", "value"] == pytest.approx(college / 0.65)
    assert t.loc["Implied total employees", "basis"] == number.BASIS_DERIVED
    assert (t.loc[t["value_id"] != "", "basis"] == number.BASIS_STATED).all()


def test_talent_table_brackets_with_mofcom(values):
    from outsourcing_repro import employment

    m = dataset.load(config.EXTERNAL_DATA_DIR / "mofcom_release_values.csv", "mofcom")
    obs, _ = employment.resolve_duplicates(employment.observations(m))
    b = paper_a.mofcom_bracket(obs, 2023).set_index(["group", "position"])
    assert (b.loc[("college", "before"), "year"], b.loc[("college", "before"), "month"]) == (2023, 6)
    assert b.loc[("college", "before"), "value"] == 990.5 and b.loc[("college", "after"), "value"] == 1067


# ---- classification ----


def test_stated_counts_match_listed_items(cls, values):
    counts = paper_a.classification_counts(cls, values).set_index("level")
    assert counts.loc["中类", "stated"] == 3 and counts.loc["中类", "listed"] == 3
    assert counts.loc["小类", "stated"] == 16 and counts.loc["小类", "listed"] == 16
    assert counts["match"].all()


def test_counts_catch_a_missing_item(cls, values):
    fewer = cls[cls["item_id"] != "a_cls_ito_testing"]
    counts = paper_a.classification_counts(fewer, values).set_index("level")
    assert not counts.loc["小类", "match"]


def test_small_class_parents_are_labelled_inferred(cls):
    small = cls[cls["level"] == "小类"]
    assert (small["parent_basis"] == "inferred").all()
    assert (cls.loc[cls["level"] != "小类", "parent_basis"].fillna("stated") == "stated").all()
    # every inferred group closes with the "其他…" item of its parent
    for parent, grp in small.groupby("parent_id"):
        assert grp.sort_values("position")["name_zh"].iloc[-1].startswith("其他"), parent


@needs_seeds
def test_classification_matches_the_papers_lists(cls):
    text = provenance.paper_text("A")
    lists = {
        ("ITO", "中类"): re.search(r"ITO的三个中类\((.*?)\)、16个小类", text).group(1),
        ("ITO", "小类"): re.search(r"16个小类\((.*?)\)全部属于", text).group(1),
        ("BPO", "业务"): re.search(r"BPO中的(.*?)，KPO", text).group(1),
        ("KPO", "业务"): re.search(r"KPO 中的(.*?)等也越来越多", text).group(1),
    }
    for (cat, level), listed in lists.items():
        ours = cls[(cls["category"] == cat) & (cls["level"] == level)].sort_values("position")["name_zh"].tolist()
        assert ours == listed.split("、"), (cat, level)
    assert len(lists[("ITO", "小类")].split("、")) == 16


@needs_seeds
def test_classification_quotes_are_verbatim_within_the_passage(cls):
    text = provenance.paper_text("A")
    start, end = text.index("服务外包分为"), text.index("数字内容服务等也越来越多") + len("数字内容服务等也越来越多")
    passage = text[start:end]
    for _, r in cls.iterrows():
        assert r["name_zh"] in r["quote"], r["item_id"]
        assert r["quote"] in passage, r["item_id"]


# ---- figure 2 ----


@needs_seeds
def test_diagram_rests_on_quotes():
    nodes, edges = dataset.load(NODES, "diagram_nodes"), dataset.load(EDGES, "diagram_edges")
    section_start = provenance.paper_text("A").index("### （二）新型服务外包创造更多商业模式")
    section_end = provenance.paper_text("A").index("图2 服务外包商业模式创新")
    section = provenance.paper_text("A")[section_start:section_end]
    for q in list(nodes["quote"]) + list(edges["basis"]):
        assert q in section, q


# ---- display helpers ----


def test_fmt_half_up():
    assert paper_a.fmt_half_up(106.25) == "106.3"
    assert paper_a.fmt_half_up(66.36666) == "66.4"
    assert paper_a.fmt_half_up(121) == "121.0"


def test_chinese_numerals_known_answers():
    # provenance.chinese_numbers_in was added for Paper A's numbers in words; these are its known answers.
    assert provenance.chinese_numbers_in("经过三十多年的发展") == [30.0]
    assert provenance.chinese_numbers_in("未来三至五年") == [3.0, 5.0]
    assert provenance.chinese_numbers_in("翻两番") == [2.0]
    assert provenance.chinese_numbers_in("约有一半数据中心") == [0.5]
    assert provenance.chinese_numbers_in("一百零五") == [105.0]
    assert provenance.chinese_numbers_in("“十一五”期间") == []  # a plan's name, not a number
