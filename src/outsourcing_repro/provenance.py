"""Check transcriptions against the papers' text: each quote is verbatim, each value is in its quote.

The seed texts are hard-wrapped (Paper B breaks lines mid-sentence), so both sides are compared
with line breaks removed; nothing else is normalised. Numbers in quotes may use a space as a
thousands separator ("18 785 万美元"), which `numbers_in` reads as one number.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import config

_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?: \d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@lru_cache(maxsize=None)
def paper_text(paper: str, seeds_dir: Path | None = None) -> str:
    seeds = Path(seeds_dir) if seeds_dir else config.SEEDS_DIR
    path = seeds / config.PAPER_SEEDS[paper]
    return flatten(path.read_text(encoding="utf-8"))


def flatten(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


def quote_in_paper(quote: str, paper: str, seeds_dir: Path | None = None) -> bool:
    return flatten(quote) in paper_text(paper, seeds_dir)


def numbers_in(quote: str) -> list[float]:
    return [float(m.group(0).replace(" ", "")) for m in _NUMBER.finditer(quote)]


# Chinese numerals ("三十多年", "三至五年", "翻两番", "一半"): a value stated in words must still be
# found in its quote, or a typo in a hand-typed value would pass unseen.
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"一半|[零〇一二两三四五六七八九十百千]+")


def _chinese_to_number(word: str) -> float | None:
    if word == "一半":
        return 0.5
    total, digit = 0, None
    for ch in word:
        if ch in "零〇" and total:  # placeholder inside a number: 一百零五
            continue
        if ch in _CN_DIGITS:
            if digit is not None:  # two digits in a row ("三五") is not one number
                return None
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return float(total + (digit or 0))


def chinese_numbers_in(quote: str) -> list[float]:
    """Numbers written as Chinese numerals: '三十多年' -> [30.0], '三至五年' -> [3.0, 5.0], '一半' -> [0.5]."""
    found = (_chinese_to_number(m.group(0)) for m in _CN_NUMBER.finditer(quote))
    return [n for n in found if n is not None]


def value_in_quote(value: float, quote: str) -> bool:
    return any(abs(n - value) < 1e-9 for n in numbers_in(quote) + chinese_numbers_in(quote))
