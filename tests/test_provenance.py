"""Maintainer check: every quote in data/raw/ is verbatim in its paper and states its value."""

from __future__ import annotations

import pytest
from conftest import PAPER_VALUES_ROW, needs_seeds, write_csv

from outsourcing_repro import config, dataset, provenance

VALUE_FILES = sorted(config.RAW_DATA_DIR.glob("paper_*_values.csv"))


@pytest.mark.parametrize("path", VALUE_FILES, ids=lambda p: p.name)
@needs_seeds
def test_quotes_are_verbatim_and_carry_their_values(path):
    frame = dataset.load(path, "paper_values")
    problems = []
    for line, row in frame.iterrows():
        if not provenance.quote_in_paper(row["quote"], row["paper"]):
            problems.append(f"line {line} ({row['value_id']}): quote not found verbatim in paper {row['paper']}")
        elif not provenance.value_in_quote(row["value"], row["quote"]):
            problems.append(f"line {line} ({row['value_id']}): value {row['value']} not in its quote")
    assert not problems, "\n".join(problems)


def test_numbers_in_reads_space_grouped_thousands():
    assert provenance.numbers_in("分别为 18 785 万美元、2 774 万美元") == [18785.0, 2774.0]
    assert provenance.numbers_in("同比增速达 2 893.3%") == [2893.3]


@needs_seeds
def test_a_fabricated_quote_is_caught():
    assert not provenance.quote_in_paper("2013年温州离岸服务外包执行金额仅为 2965万美元", "B")
    assert provenance.quote_in_paper("2013年温州离岸服务外包执行金额仅为 2964万美元", "B")


def test_numbers_in_reads_comma_grouped_thousands_and_keeps_lists_apart():
    assert provenance.numbers_in("计1,422万人") == [1422.0]
    assert provenance.numbers_in("13,233.4 billion yuan") == [13233.4]
    assert provenance.numbers_in("about 301,000 new hires") == [301000.0]
    assert provenance.numbers_in("2016,2017年") == [2016.0, 2017.0]
    assert provenance.numbers_in("1,2345") == [1.0, 2345.0]


@pytest.mark.parametrize(
    "printed, number",
    [
        ("1.21 million", 1.21),
        ("about 301,000", 301000.0),
        ("85万8000人", 858000.0),
        ("1257万8000人", 12578000.0),
        ("两大", 2.0),
        ("18 785 万美元", 18785.0),
        ("1.21 million and 8.6 million", None),
        ("no number", None),
    ],
)
def test_printed_number_reads_the_one_number_of_a_printed_form(printed, number):
    assert provenance.printed_number(printed) == number


@pytest.mark.parametrize(
    "printed, found",
    [
        ("1.21 million", True),
        ("1.2 million", False),
        ("21 million", False),
        ("1.2", False),
        ("301,000", True),
        ("301", False),
    ],
)
def test_a_printed_form_is_found_only_as_a_whole_number(printed, found):
    assert provenance.printed_in_quote(printed, "created 1.21 million jobs; about 301,000 new hires") is found


FAKE_PAPERS = {
    "A": "甲文。服务外包分为三类。",
    "B": "乙文。2013年温州离岸服务外包执行\n金额仅为 2964万美元，同比增长56%。",
}


@pytest.fixture()
def fake_papers(tmp_path, monkeypatch):
    """Stand-in paper texts (the real ones are not redistributed), found where config says they are."""
    folder = tmp_path / "papers"
    folder.mkdir()
    for paper, text in FAKE_PAPERS.items():
        (folder / config.PAPER_SEEDS[paper]).write_text(text, encoding="utf-8")
    monkeypatch.setattr(config, "SEEDS_DIR", folder)
    return folder


def _values_file(tmp_path, quote: str, value: str):
    return write_csv(
        tmp_path, [{**PAPER_VALUES_ROW, "value_id": "b_exec_2013", "year": "2013", "value": value, "quote": quote}]
    )


def test_where_the_papers_are_present_a_quote_must_be_in_its_paper(tmp_path, fake_papers):
    # Quote and value agree with each other (2965) but not with the paper (2964): both sides are shown.
    with pytest.raises(dataset.DataError) as info:
        dataset.load(_values_file(tmp_path, "执行金额仅为 2965万美元", "2965"), "paper_values")
    problem = info.value
    assert (problem.line, problem.column) == (2, "quote")
    assert "is not in paper B's text" in problem.problem
    assert (
        "after “…执行金额仅为 296” the quote has “5万美元…” where the paper has “4万美元，同比增长56%…”"
        in problem.problem
    )
    # The paper's line break inside the passage does not matter.
    assert len(dataset.load(_values_file(tmp_path, "执行金额仅为 2964万美元", "2964"), "paper_values")) == 1


def test_where_the_papers_are_absent_quotes_are_checked_against_their_values_only(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "SEEDS_DIR", tmp_path / "nowhere")
    path = _values_file(tmp_path, "执行金额仅为 2965万美元", "2965")
    assert dataset.main([str(path), "paper_values"]) == 0
    out = capsys.readouterr().out
    assert "quotes checked against their values only" in out and "set PAPERS_DIR" in out
