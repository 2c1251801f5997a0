"""Claims audit: each check on hand-made inputs with known answers, the tolerance arithmetic, the
verdict rules, and the real ledger (quotes verbatim, checks exist, coverage of stated values)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import needs_seeds

from outsourcing_repro import audit, config, dataset, number, present, provenance, tables
from outsourcing_repro.audit import Claim, Number, Stated

LEDGER = config.DATA_DIR / "claims" / "claims_ledger.csv"
PAPER_FILES = [config.RAW_DATA_DIR / "paper_a_values.csv", config.RAW_DATA_DIR / "paper_b_values.csv"]
MOFCOM = config.EXTERNAL_DATA_DIR / "mofcom_release_values.csv"


def n(printed: str, label: str = "x") -> Number:
    return Number.from_printed(printed, label)


def claim(stated: str, tolerance: float | None = None, params: dict | None = None, quote: str = "", **inputs) -> Claim:
    return Claim("t_claim", Stated.parse(stated), quote, inputs, params or {}, tolerance, "%")


# ---------------------------------------------------------------------------------------------
# Tolerance arithmetic


def test_spread_bounds_a_difference_at_the_corners():
    center, low, high = audit.spread(lambda a, b: a - b, [n("10"), n("3.0")])
    assert center == 7.0
    assert low == pytest.approx(9.5 - 3.05)
    assert high == pytest.approx(10.5 - 2.95)


def test_growth_tolerance_is_half_unit_plus_input_rounding():
    # 4032.9/2964 − 1, inputs known to ±0.05 and ±0.5; the stated 36.1 to ±0.05.
    result = audit.growth(claim("36.1", current=n("4032.9"), previous=n("2964")))
    worst_high = (4032.95 / 2963.5 - 1) * 100
    worst_low = (4032.85 / 2964.5 - 1) * 100
    centre = (4032.9 / 2964 - 1) * 100
    assert result.recomputed == pytest.approx(centre)
    assert result.tolerance == pytest.approx(0.05 + max(worst_high - centre, centre - worst_low))
    assert result.verdict == audit.CONSISTENT


def test_printed_precision_comes_from_the_quote_not_the_float():
    row = pd.Series({"value_id": "b_x", "value": 12932.0, "quote": "执行金额为12932万美元"})
    assert Number.from_row(row).half == 0.5
    row = pd.Series({"value_id": "b_y", "value": 18785.0, "quote": "分别为 18 785 万美元"})
    assert Number.from_row(row).printed == "18785"
    row = pd.Series({"value_id": "a_z", "value": 1031.0, "quote": "累计吸纳1031.0万人"})
    assert Number.from_row(row).half == 0.05
    row = pd.Series({"value_id": "b_n", "value": 41.0, "quote": "企业 41家", "kind": "count"})
    assert Number.from_row(row).half == 0.0


def test_fmt_keeps_the_zeros_of_integers():
    assert number.trimmed(200, 0) == "200" and number.trimmed(2.50, 2) == "2.5" and number.trimmed(1500.0) == "1,500"


def test_explicit_tolerance_overrides_the_computed_one():
    loose = audit.growth(claim("12", tolerance=2.5, current=n("110"), previous=n("100")))
    assert loose.verdict == audit.CONSISTENT and loose.tolerance == 2.5


# ---------------------------------------------------------------------------------------------
# Checks with known answers and verdict rules


def test_growth_out_of_tolerance_is_a_discrepancy():
    assert audit.growth(claim("10.0", current=n("110"), previous=n("100"))).verdict == audit.CONSISTENT
    result = audit.growth(claim("12.0", current=n("110"), previous=n("100")))
    assert result.verdict == audit.DISCREPANCY
    assert result.recomputed == pytest.approx(10.0)


def test_growth_hypotheses_find_a_typo_in_a_level():
    # 10.0% is right for 110 over 100; the current level printed as 120 is one keystroke from 110.
    result = audit.growth(claim("10.0", current=n("120", "cur"), previous=n("100", "prev")))
    assert result.verdict == audit.DISCREPANCY
    assert any("cur printed 120 but 110" in e for e in (h.text for h in result.explanations))


def test_growth_hypotheses_find_a_typo_in_the_stated_rate():
    result = audit.growth(claim("20.0", current=n("110"), previous=n("100")))
    assert any("10.0 printed as 20.0" in e and "explains it" in e for e in (h.text for h in result.explanations))


def test_growth_hypothesis_of_rmb_values_reports_the_implied_rates():
    # 100万美元 → 200万美元 is +100% in USD; in RMB at 6 then 7 CNY/USD it is 0.14亿元 / 0.06亿元 − 1.
    stated = f"{(0.14 / 0.06 - 1) * 100:.2f}"
    result = audit.growth(claim(stated, current=n("200.00"), previous=n("100.00"), current_rmb=n("0.14000")))
    assert result.verdict == audit.DISCREPANCY
    rmb = [e for e in (h.text for h in result.explanations) if "RMB" in e]
    ranges = re.findall(r"(\d+\.\d+|\d+)–(\d+\.\d+|\d+) CNY/USD|(\d+\.\d+|\d+)–(\d+\.\d+|\d+) implied", rmb[0])
    bounds = [tuple(float(x) for x in r if x) for r in ranges]
    assert bounds[0][0] <= 6.0 <= bounds[0][1]  # the previous year's rate
    assert bounds[1][0] <= 7.0 <= bounds[1][1]  # this year's rate


def test_no_explanation_is_claimed_when_nothing_fits():
    result = audit.growth(claim("47.3", current=n("110"), previous=n("100")))
    assert result.explanations[-1].text == "the numbers do not point to one explanation"


def test_cagr_known_answer_and_span_hypothesis():
    assert audit.cagr(claim("10.0", params={"years": "2"}, first=n("100"), last=n("121"))).verdict == audit.CONSISTENT
    result = audit.cagr(claim("21.0", params={"years": "2"}, first=n("100"), last=n("121")))
    assert result.verdict == audit.DISCREPANCY
    assert any("a span of 1 years fits" in e for e in (h.text for h in result.explanations))


def test_share_sum_and_shares():
    assert audit.share(claim("25.0", part=n("1"), whole=n("4"))).recomputed == pytest.approx(25.0)
    parts = [n("18785"), n("2774"), n("490")]
    assert audit.sum_of_parts(claim("22049", parts=parts)).verdict == audit.CONSISTENT
    # Four parts rounded to ±0.5 each and a total to ±0.5: a gap of 10 is out of reach.
    assert audit.sum_of_parts(claim("22059", parts=parts)).verdict == audit.DISCREPANCY
    shares = [n("85.20"), n("12.58"), n("2.22")]
    assert audit.shares_sum_to_whole(claim("100", shares=shares)).verdict == audit.CONSISTENT
    shares[2] = n("2.32")
    assert audit.shares_sum_to_whole(claim("100", shares=shares)).verdict == audit.DISCREPANCY


def test_parts_within_whole():
    assert audit.parts_within_whole(claim("13", parts=[n("3")])).verdict == audit.CONSISTENT
    # 9 + 5 may be as little as 13 after rounding: within 13; 10 + 5 may not.
    assert audit.parts_within_whole(claim("13", parts=[n("9"), n("5")])).verdict == audit.CONSISTENT
    assert audit.parts_within_whole(claim("13", parts=[n("10"), n("5")])).verdict == audit.DISCREPANCY


def test_band_mean():
    inputs = dict(count_all=n("41"), value_all=n("20247"), count_top=n("13"), value_top=n("11028"))
    result = audit.band_mean(claim("200..500", **inputs))
    assert result.recomputed == pytest.approx((20247 - 11028) / 28)
    assert result.verdict == audit.CONSISTENT
    assert audit.band_mean(claim("400..500", **inputs)).verdict == audit.DISCREPANCY


def test_count_listed():
    quote = "生产要素包括土地、资本、劳动力和技术。"
    three = audit.count_listed(claim("4", quote=quote, params={"open": "包括", "close": "。", "sep": "、|和"}))
    assert three.verdict == audit.CONSISTENT and three.recomputed == 4
    five = audit.count_listed(claim("5", quote=quote, params={"open": "包括", "close": "。", "sep": "、"}))
    assert five.verdict == audit.DISCREPANCY and five.recomputed == 3


def test_brackets():
    assert audit.bracketed(claim("5", before=n("4"), after=n("6"))).verdict == audit.CONSISTENT
    # 6 printed as an integer may be up to 6.5, and a stated 7 as low as 6.5: still consistent.
    assert audit.bracketed(claim("7", before=n("4"), after=n("6"))).verdict == audit.CONSISTENT
    assert audit.bracketed(claim("8", before=n("4"), after=n("6"))).verdict == audit.DISCREPANCY
    shares = dict(part_before=n("60"), whole_before=n("100"), part_after=n("70"), whole_after=n("100"))
    assert audit.bracketed_share(claim("65.0", **shares)).verdict == audit.CONSISTENT
    assert audit.bracketed_share(claim("75.0", **shares)).verdict == audit.DISCREPANCY


def test_average_flow_from_stocks_bounds():
    inputs = dict(end_total=n("100"), end_ytd=n("10"), start_total=n("50"), first_year_max=n("20"))
    result = audit.average_flow_from_stocks(claim("10", params={"years": "5"}, **inputs))
    # (90 − 50)/5 = 8 at the least, (90 − 50 + 20)/5 = 12 at the most, widened by the rounding.
    assert result.low == pytest.approx((99.5 - 10.5 - 50.5) / 5)
    assert result.high == pytest.approx((100.5 - 9.5 - 49.5 + 20.5) / 5)
    assert result.verdict == audit.CONSISTENT
    assert audit.average_flow_from_stocks(claim("13", params={"years": "5"}, **inputs)).verdict == audit.DISCREPANCY


def test_per_capita_and_the_new_hires_hypothesis():
    # 100亿美元 over 50万人 is 2万美元 per person.
    assert audit.per_capita(claim("2.0", amount=n("100"), workers=n("50"))).verdict == audit.CONSISTENT
    # Workforce 80/50% = 160; a year earlier 150 − 10 = 140; 20 new hires; 100/20 = 5.
    result = audit.per_capita(
        claim("5.0", amount=n("100"), part=n("80"), share=n("50"), prior_total=n("150"), prior_ytd=n("10"))
    )
    assert result.verdict == audit.DISCREPANCY
    assert any("per new hire" in e for e in (h.text for h in result.explanations))


def test_shares_within_whole():
    fits = audit.shares_within_whole(
        claim("100", anchor_level=n("20"), anchor_share=n("20"), levels=[n("70")], shares=[n("5")])
    )
    assert fits.verdict == audit.CONSISTENT and fits.recomputed == pytest.approx(95)
    over = audit.shares_within_whole(
        claim("100", anchor_level=n("20.00"), anchor_share=n("20.00"), levels=[n("80.00")], shares=[n("5.00")])
    )
    assert over.verdict == audit.DISCREPANCY and over.recomputed == pytest.approx(105)


def test_conversion_needs_a_rate_to_be_checkable():
    no_rate = audit.conversion(claim("6.00", source=n("10000")))
    assert no_rate.verdict == audit.NOT_CHECKABLE
    assert no_rate.low <= 6.0 <= no_rate.high
    with_rate = audit.conversion(claim("6.00", params={"rate": "6"}, source=n("10000")))
    assert with_rate.verdict == audit.CONSISTENT


def test_average_growth_lower_bound():
    inputs = dict(first=n("100"), last=n("400"), growths=[n("100"), n("100")])
    assert audit.average_growth_at_least(claim("50", params={"years": "2"}, **inputs)).verdict == audit.CONSISTENT
    assert audit.average_growth_at_least(claim("150", params={"years": "2"}, **inputs)).verdict == audit.DISCREPANCY


def test_one_keystroke_typos():
    edits = audit.one_keystroke("76.84")
    assert "66.84" in edits and "76.48" in edits and "76.84" not in edits
    assert all(len(e) == 5 for e in edits)


# ---------------------------------------------------------------------------------------------
# Running ledger rows: missing inputs are not checkable, a bad ledger is an error


def sources() -> audit.Sources:
    values = pd.DataFrame(
        [
            {"value_id": "b_cur", "value": 110.0, "quote": "为110万美元"},
            {"value_id": "b_prev", "value": 100.0, "quote": "为100万美元"},
        ]
    )
    mofcom = pd.DataFrame(
        [
            {
                "year": 2016,
                "metric": "执行额",
                "value": 7385.0,
                "unit": "亿元",
                "scope": "national, full year",
                "quote": "执行额7385亿元",
            }
        ]
    )
    return audit.Sources(values=values, mofcom=mofcom)


def ledger_row(check: str, inputs: str, stated: str = "10.0") -> pd.Series:
    return pd.Series(
        {
            "claim_id": "b_t",
            "paper": "B",
            "section": "§",
            "quote": "q",
            "stated": stated,
            "unit": "%",
            "check": check,
            "inputs": inputs,
            "params": None,
            "tolerance": None,
            "note": None,
        }
    )


def test_run_claim_consistent_and_missing_input():
    ok = audit.run_claim(ledger_row("growth", "current=b_cur; previous=b_prev"), sources())
    assert ok["verdict"] == audit.CONSISTENT and ok["difference"] == 0.0
    missing = audit.run_claim(ledger_row("growth", "current=b_cur; previous=b_none"), sources())
    assert missing["verdict"] == audit.NOT_CHECKABLE and "b_none" in missing["note"]
    assert missing["recomputed"] is None


def test_mofcom_selector():
    number = sources().number("mofcom:2016|执行额|full year")
    assert number.value == 7385.0 and number.half == 0.5
    with pytest.raises(audit.MissingInput):
        sources().number("mofcom:2017|执行额|full year")
    with pytest.raises(audit.LedgerError):
        sources().number("mofcom:2016|执行额")


def test_unknown_check_is_a_ledger_error():
    with pytest.raises(audit.LedgerError):
        audit.run_claim(ledger_row("no_such_check", ""), sources())


def test_not_published_is_never_consistent():
    result = audit.run_claim(ledger_row("not_published", ""), sources())
    assert result["verdict"] == audit.NOT_CHECKABLE


def test_table_rows_carry_claim_anchors_and_verdict_classes():
    def table(**rows):
        fixed = dict(tab_id="t", label_zh=None, title_zh="表", title_en="T", section=None, data_files=[], notebook="nb")
        return present.table(pd.DataFrame({"a": [1, 2]}), **fixed, **rows)

    block = table(row_classes=["consistent", "not-checkable"], row_ids=["claim-a_x", "claim-b_y"]).data
    assert "<tr id='claim-a_x' class='consistent'>" in block
    assert "<tr id='claim-b_y' class='not-checkable'>" in block
    with pytest.raises(ValueError):
        table(row_ids=["claim-a_x"])


# ---------------------------------------------------------------------------------------------
# The real ledger


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    return dataset.load(LEDGER, "claims_ledger")


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    return pd.concat([dataset.load(p, "paper_values") for p in PAPER_FILES if p.exists()], ignore_index=True)


@pytest.fixture(scope="module")
def result(ledger, values) -> pd.DataFrame:
    return audit.run_ledger(ledger, values, dataset.load(MOFCOM, "mofcom"))


@needs_seeds
def test_every_ledger_quote_is_verbatim_in_its_paper(ledger):
    bad = [r.claim_id for r in ledger.itertuples() if not provenance.quote_in_paper(r.quote, r.paper)]
    assert not bad, f"quotes not found verbatim: {bad}"


def test_every_check_named_in_the_ledger_exists(ledger):
    assert set(ledger["check"]) <= set(audit.CHECKS), set(ledger["check"]) - set(audit.CHECKS)


def test_every_stated_rate_share_and_average_has_a_claim_row(ledger, values):
    assert audit.uncovered(values, ledger) == []


def test_claims_tied_to_a_value_state_that_value(ledger, values):
    by_id = values.set_index("value_id")
    for r in ledger.itertuples():
        if r.claim_id in by_id.index:
            assert float(r.stated) == pytest.approx(float(by_id.loc[r.claim_id, "value"])), r.claim_id
            assert r.paper == by_id.loc[r.claim_id, "paper"], r.claim_id


def test_known_answers_on_the_real_series(result, values):
    row = result.set_index("claim_id")
    assert row.loc["b_growth_2014", "verdict"] == audit.CONSISTENT
    # By hand from the paper's printed levels: 12932 / 7750.59 = 1.66852, so 66.85%, against 76.84%.
    assert row.loc["b_growth_2016", "recomputed"] == pytest.approx(66.852, abs=5e-4)
    assert row.loc["b_growth_2016", "verdict"] == audit.DISCREPANCY
    assert row.loc["b_growth_2016", "difference_pp"] == pytest.approx(76.84 - 66.852, abs=5e-4)
    assert row.loc["b_growth_2013", "verdict"] == audit.NOT_CHECKABLE


def test_output_is_sorted_complete_and_deterministic(ledger, values, result):
    again = audit.run_ledger(ledger.sample(frac=1, random_state=1), values, dataset.load(MOFCOM, "mofcom"))
    pd.testing.assert_frame_equal(result, again)
    assert list(result.columns) == audit.OUTPUT_COLUMNS
    assert set(result["verdict"]) <= set(audit.VERDICTS)
    assert len(result) == len(ledger)
    assert list(result["claim_id"]) == sorted(result["claim_id"])
    # A verdict other than 'not checkable' always comes with something recomputed.
    checked = result[result["verdict"] != audit.NOT_CHECKABLE]
    assert (checked["recomputed"].notna() | checked["low"].notna()).all()


def test_summary_line_counts(result):
    s = audit.summary(result)
    assert s["total"] == s[audit.CONSISTENT] + s[audit.DISCREPANCY] + s[audit.NOT_CHECKABLE]
    assert audit.summary_line(result).startswith(f"{len(result)} claims checked: ")
    assert s["total"] == len(result) and s[audit.CONSISTENT] > 0 and s[audit.DISCREPANCY] > 0


def test_values_without_a_ledger_row_become_not_checkable_placeholders(ledger, values):
    fake = pd.DataFrame(
        [
            {
                "value_id": "b_new_share",
                "paper": "B",
                "section": "§",
                "entity": "e",
                "metric": "m",
                "metric_en": "m",
                "year": 2017,
                "period": None,
                "value": 12.5,
                "unit": "%",
                "kind": "share",
                "quote": "占12.5%",
                "note": None,
            }
        ]
    )
    both = pd.concat([values, fake], ignore_index=True)
    assert audit.uncovered(both, ledger) == ["b_new_share"]
    padded = audit.with_placeholders(ledger, both)
    out = audit.run_ledger(padded, both, dataset.load(MOFCOM, "mofcom")).set_index("claim_id")
    assert out.loc["b_new_share", "verdict"] == audit.NOT_CHECKABLE
    assert out.loc["b_new_share", "stated"] == "12.5"


def test_restated_numbers_must_agree():
    assert audit.restated(claim("13", other=n("13"))).verdict == audit.CONSISTENT
    # Rounded amounts 13 and 14 may both be 13.5; counts of firms may not.
    assert audit.restated(claim("13", other=n("14"))).verdict == audit.CONSISTENT
    count = Claim("t", Stated.parse("13", exact=True), "", {"other": Number.exact_value(14)}, {})
    assert audit.restated(count).verdict == audit.DISCREPANCY


def test_counts_in_the_ledger_are_exact():
    row = ledger_row("parts_within_whole", "parts=b_cur", stated="109")
    row["unit"] = "家"
    values = pd.DataFrame([{"value_id": "b_cur", "value": 110.0, "quote": "110家", "kind": "count"}])
    result = audit.run_claim(row, audit.Sources(values=values, mofcom=sources().mofcom))
    assert result["verdict"] == audit.DISCREPANCY


def test_a_check_that_cannot_compute_is_not_checkable():
    values = pd.DataFrame(
        [
            {"value_id": "b_cur", "value": 110.0, "quote": "为110万美元"},
            {"value_id": "b_prev", "value": 0.0, "quote": "为0万美元"},
        ]
    )
    result = audit.run_claim(
        ledger_row("growth", "current=b_cur; previous=b_prev"), audit.Sources(values=values, mofcom=sources().mofcom)
    )
    assert result["verdict"] == audit.NOT_CHECKABLE


def test_growth_without_its_base_reports_the_implied_base():
    result = audit.run_claim(ledger_row("growth", "current=b_cur; previous=b_2012"), sources())
    assert result["verdict"] == audit.NOT_CHECKABLE
    assert "implies a previous level of 100" in result["note"]  # 110 / 1.10


def test_shown_table_keeps_quotes_verbatim_with_a_glyph_for_the_line_hyphen(result):
    from fontTools.ttLib import TTFont

    shown = tables.audit_display(result)
    quote = result.set_index("claim_id").loc["b_count_modes", "quote"]
    assert "\u2043" in quote  # "Out⁃sourcing" in Paper B
    assert quote in set(shown["原文 Quote"])
    assert 0x2043 in TTFont(config.FONT_PATH).getBestCmap()


def test_verdicts_the_tables_show_come_from_the_audit(result):
    # What the paper modules used to decide for themselves, now read from the audit: the three stated
    # mix shares agree within rounding, §四（二）'s restated count equals §三（一）'s, Zhejiang's shares
    # cannot all hold, 29.3% is not the compound rate from 13.1 to 46.5, and 69.7 lies in its bounds.
    v = result.set_index("claim_id")["verdict"]
    for claim_id in (
        "b_kpo_share_2017",
        "b_ito_share_2017",
        "b_bpo_share_2017",
        "b_firms_500plus_restated_2017",
        "a_college_new_avg_2016_2022",
    ):
        assert v[claim_id] == audit.CONSISTENT, claim_id
    for claim_id in ("b_zj_shares_within_2017", "a_contract_per_worker_growth"):
        assert v[claim_id] == audit.DISCREPANCY, claim_id


def test_one_claim_audit_gives_the_same_verdict_as_the_whole_ledger(result):
    one = audit.Audit.from_files(LEDGER, PAPER_FILES[1:], only=["b_zj_shares_within_2017"])
    assert (
        one.verdict("b_zj_shares_within_2017").verdict
        == result.set_index("claim_id").loc["b_zj_shares_within_2017", "verdict"]
    )
    with pytest.raises(audit.LedgerError):  # a MOFCOM input without the MOFCOM file is an error, not a verdict
        audit.Audit.from_files(LEDGER, PAPER_FILES[:1], only=["a_college_stock_2023"])


def test_hypotheses_are_data_not_sentences():
    result = audit.growth(claim("20.0", current=n("110"), previous=n("100")))
    kinds = {h.kind for h in result.explanations}
    assert audit.hypotheses.STATED_TYPO in kinds and any(h.explains for h in result.explanations)
    nothing = audit.growth(claim("47.3", current=n("110"), previous=n("100")))
    assert nothing.explanations[-1].kind == audit.hypotheses.NONE
    assert not any(h.explains for h in nothing.explanations)


def test_counts_phrase_pluralises():
    assert (
        audit.counts_phrase({audit.CONSISTENT: 3, audit.DISCREPANCY: 1, audit.NOT_CHECKABLE: 0})
        == "3 consistent, 1 discrepancy, 0 not checkable"
    )
    assert "2 discrepancies" in audit.counts_phrase({audit.DISCREPANCY: 2})


# ---------------------------------------------------------------------------------------------
# Fidelity fixes, each against numbers worked out by hand from the papers' printed figures


def test_about_half_is_a_ratio_shown_as_fifty_percent(result):
    row = result.set_index("claim_id").loc["a_gartner_half_dc_2025"]
    assert row["unit"] == "比例" and row["stated"] == "0.5"  # 约有一半 = 1/2
    shown = tables.audit_display(result).set_index("论断 Claim")
    assert shown.loc["a_\u200bgartner_\u200bhalf_\u200bdc_\u200b2025", "原文数值 Stated"] == "0.5 比例 (= 50%)"


def test_implied_exchange_rate_range_is_in_cny_per_usd(result):
    # 14.89亿元 over 22049万美元, each read ± half its last digit: 148850/22049.5 = 6.7507 to
    # 148950/22048.5 = 6.7556 CNY per USD.
    row = result.set_index("claim_id").loc["b_exec_2017_rmb"]
    assert row["low"] == pytest.approx(6.7507, abs=1e-4) and row["high"] == pytest.approx(6.7556, abs=1e-4)
    shown = tables.audit_display(result)
    cell = shown.loc[result["claim_id"] == "b_exec_2017_rmb", "重算 Recomputed"].iloc[0]
    assert "元/美元" in cell and "亿元" not in cell


def test_new_hire_reading_of_per_worker_contracts_is_not_called_likeliest(result):
    note = result.set_index("claim_id").loc["a_contract_per_worker_2023", "note"]
    # 4162亿美元 over the 2023 new hires: 1031.0/0.65 − (1523.5 − 26) = 88.7万 → 46.9; its rounding band 46.0–48.0.
    assert "per new hire" in note and "likeliest" not in note
    assert re.search(r"gives 4[67]\.\d \(range 46\.0–48\.0\)", note)
    # The discrepancy against the whole workforce stays: 4162 / 1586.2 = 2.62, and 46.5 / 2.62 = 17.7.
    assert "= 2.624" in note and "17.7 times amount per worker" in note


def test_college_average_reports_its_band_not_a_point(result):
    row = result.set_index("claim_id").loc["a_college_new_avg_2016_2022"]
    # End-2022 college stock 986 − 20 = 966 (end-May-2023 less Jan–May hires); end-2016 551; 2016's own
    # college hires between 0 and all 121万 new hires: (966 − 551)/7 = 59.3 to (966 − 551 + 121)/7 = 76.6,
    # widened by the rounding of the four printed counts to 413.5/7 = 59.07 and 538/7 = 76.86.
    assert pd.isna(row["recomputed"])
    assert row["low"] == pytest.approx(413.5 / 7, abs=1e-3) and row["high"] == pytest.approx(538 / 7, abs=1e-3)
    assert row["verdict"] == audit.CONSISTENT and "one assumption gives one point" in row["note"]


def test_claims_shown_before_but_not_audited_are_now_audited(result):
    r = result.set_index("claim_id")
    # 1031.0 / 65.0% = 1586.2万 workers in all, between end-Jun-2023 1530.5 and end-Jul-2024 1634 − 30.1 = 1603.9.
    assert r.loc["a_total_stock_implied_2023", "recomputed"] == pytest.approx(1586.15, abs=0.01)
    assert r.loc["a_total_stock_implied_2023", "verdict"] == audit.CONSISTENT
    # The college stock 1031.0 against 1067 − 30.1 × 84.7% = 1041.5 (1042.1 with the rounding of the three).
    assert r.loc["a_college_stock_2023", "high"] == pytest.approx(1041.5, abs=0.6)
    assert r.loc["a_college_stock_2023", "verdict"] == audit.CONSISTENT
    # Wenzhou's 2.2049亿美元 over 19.26/20.65% = 93.27亿美元 is 2.36% of Zhejiang, within the six cities' 13.37%.
    assert r.loc["b_wz_within_six_2017", "recomputed"] == pytest.approx(2.364, abs=0.001)
    # 2016: one firm above 1000万 against 13 − 7 = 6 firms above 500万.
    assert r.loc["b_firms_1000plus_within_2016", "recomputed"] == 6
    # Below 200万: 66 − 41 = 25 firms with 22049 − 20247 = 1802万, a mean of 72.1.
    assert r.loc["b_band_below_200_mean_2017", "recomputed"] == pytest.approx(72.08, abs=0.01)
    # 11028 ≥ 3 × 1000 + 10 × 500 = 8000.
    assert r.loc["b_exec_500plus_floor_2017", "recomputed"] == 8000
    # 两大示范园区: §四（三） names 温州高新区 and 浙江工贸服务外包园区.
    assert r.loc["b_parks_count", "recomputed"] == 2
    for claim_id in (
        "b_wz_within_six_2017",
        "b_firms_1000plus_within_2016",
        "b_band_below_200_mean_2017",
        "b_exec_500plus_floor_2017",
        "b_parks_count",
    ):
        assert r.loc[claim_id, "verdict"] == audit.CONSISTENT, claim_id
