"""The one Number: the printed token a value is read under, and the one grouping rule."""

from __future__ import annotations

from outsourcing_repro import number


def test_a_value_is_read_under_the_token_its_quote_prints_whatever_the_grouping():
    # The quote decides the precision: "1,031.0" is known to ±0.05, so the token keeps its ".0".
    assert number.printed_token(1031.0, "大学以上学历1,031.0万人") == "1031.0"
    assert number.printed_token(18785.0, "从业人员18 785万人") == "18785"
    assert number.printed_token(301000.0, "about 301,000 new hires") == "301000"
    # A number the quote does not print gives no token (the caller falls back to the value itself).
    assert number.printed_token(30.1, "about 301,000 new hires") is None


def test_one_thousands_style():
    assert number.group("18785") == "18,785"
    assert number.group("1031.0") == "1,031.0"
    assert number.group("85.20") == "85.20"
