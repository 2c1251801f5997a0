"""Transcriptions against their sources: each value is carried by its quote, each quote is in its paper.

`dataset.load` runs these checks on every load (schemas.py declares which file gets which), so a
value that contradicts its own quote stops the build. The paper texts are not redistributed; where
they are present (`PAPERS_DIR`, or ../shared/seeds beside the checkout) each quote is also found in
its paper, and where they are absent the build says so once.

The seed texts are hard-wrapped (Paper B breaks lines mid-sentence), so both sides are compared
with line breaks removed; nothing else is normalised. Numbers in quotes may group thousands with a
space ("18 785 万美元") or a comma ("1,422万人", "301,000"); `numbers_in` reads either as one number.
A quote that prints a value in another form than the row's unit ("1.21 million" for 121 万人,
"85万8000人" for 85.8 万人) is matched through the row's `printed` form and `printed_scale`:
value = printed_number(printed) × printed_scale.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

from . import config

_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:(?: \d{3})+|(?:,\d{3})+)(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?")
# 85万8000 (Japanese and Chinese reprints): 万 inside the numeral, four digits after it.
_WAN_NUMBER = re.compile(r"(?<![\d.,])(\d+)万(\d{4})(?![\d.])")


@cache
def paper_text(paper: str, seeds_dir: Path | None = None) -> str:
    path = paper_path(paper, seeds_dir)
    return flatten(path.read_text(encoding="utf-8"))


def paper_path(paper: str, seeds_dir: Path | None = None) -> Path:
    return (Path(seeds_dir) if seeds_dir else config.SEEDS_DIR) / config.PAPER_SEEDS[paper]


def paper_available(paper: str) -> bool:
    """Whether paper `paper`'s text is present (config.SEEDS_DIR, read when asked, so tests may point it elsewhere)."""
    return paper_path(paper).is_file()


def where_quote_departs(quote: str, paper: str) -> tuple[str, str, str]:
    """For a quote not in the paper: (the longest start of it that is, what the quote has next, what
    the paper has there), each cut to a few characters, to show both sides in an error message."""
    text, quote = paper_text(paper, config.SEEDS_DIR), flatten(quote)
    low, high = 0, len(quote)  # the longest prefix found: binary search, `in` is monotone in length
    while low < high:
        mid = (low + high + 1) // 2
        if quote[:mid] in text:
            low = mid
        else:
            high = mid - 1
    found = quote[:low]
    at = text.find(found) + len(found) if found else 0
    width = 12
    return found[-width:], quote[low : low + width], (text[at : at + width] if found else "")


def flatten(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


def quote_in_paper(quote: str, paper: str, seeds_dir: Path | None = None) -> bool:
    return flatten(quote) in paper_text(paper, seeds_dir or config.SEEDS_DIR)


def numbers_in(quote: str) -> list[float]:
    return [float(m.group(0).replace(" ", "").replace(",", "")) for m in _NUMBER.finditer(quote)]


# Chinese numerals ("三十多年", "三至五年", "翻两番", "一半"): a value stated in words must still be
# found in its quote, or a typo in a hand-typed value would pass unseen.
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
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
    """Whether `quote` prints `value`. A fall is printed as a word and a magnitude (下降12.5%, 减少3家),
    so a negative value is matched by its magnitude."""
    return any(abs(n - abs(value)) < 1e-9 for n in all_numbers_in(quote))


def all_numbers_in(quote: str) -> list[float]:
    """Every number a quote prints, in digits or in Chinese numerals."""
    return numbers_in(quote) + chinese_numbers_in(quote)


def printed_number(printed: str) -> float | None:
    """The one number a printed form holds ('1.21 million' -> 1.21, 'about 301,000' -> 301000.0,
    '85万8000人' -> 858000.0, '两大' -> 2.0), or None when it holds none or more than one."""
    wan = [float(m.group(1)) * 10_000 + float(m.group(2)) for m in _WAN_NUMBER.finditer(printed)]
    rest = _WAN_NUMBER.sub(" ", printed)
    found = wan + all_numbers_in(rest)
    return found[0] if len(found) == 1 else None


def printed_in_quote(printed: str, quote: str) -> bool:
    """`printed` occurs in `quote` as a whole number: '1.2 million' is not in '1.21 million', nor '21' in '121'."""
    printed, quote = flatten(printed), flatten(quote)
    start = quote.find(printed)
    while start >= 0:
        before, after = quote[start - 1 : start], quote[start + len(printed) : start + len(printed) + 2]
        starts_clean = not (printed[:1].isdigit() and before != "" and (before.isdigit() or before in ".,"))
        ends_clean = not (
            printed[-1:].isdigit()
            and after != ""
            and (after[:1].isdigit() or (after[:1] in ".," and after[1:2].isdigit()))
        )
        if starts_clean and ends_clean:
            return True
        start = quote.find(printed, start + 1)
    return False


def carried_by_printed(value: float, printed: str, scale: float) -> bool:
    number = printed_number(printed)
    return number is not None and math.isclose(number * scale, value, rel_tol=1e-9, abs_tol=1e-12)
