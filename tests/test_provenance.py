"""Maintainer check: every quote in data/raw/ is verbatim in its paper and states its value."""
from __future__ import annotations

import pytest

from outsourcing_repro import config, dataset, provenance

from conftest import needs_seeds

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
