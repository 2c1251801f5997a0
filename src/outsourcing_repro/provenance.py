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


def value_in_quote(value: float, quote: str) -> bool:
    return any(abs(n - value) < 1e-9 for n in numbers_in(quote))
