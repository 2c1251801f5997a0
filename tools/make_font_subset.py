"""Maintainer script: cut the OFL-licensed Noto Sans CJK SC down to the characters this project needs.

Run with `make font` after adding text with characters outside GB2312 (the font-coverage test names
them). It needs the full font, which Debian ships in `fonts-noto-cjk`; users never run this, they get
the committed subset, so no root and no system font are needed to build the report.

Coverage = ASCII + common punctuation + every GB2312 hanzi + every character in the papers, the data
and the project's text files. GB2312 alone is not enough: it silently drops rarer characters (镕, for
one), which is why the project's own text is scanned too.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONTS_OUT = ROOT / "src" / "outsourcing_repro" / "fonts"
# (source collection, subset file, style name): the bold face gets exactly the regular's characters,
# so headings and table headers never fall back to a synthetic bold (tests/test_fonts.py).
FACES = [
    (FONT_DIR / "NotoSansCJK-Regular.ttc", FONTS_OUT / "NotoSansSC-Subset.otf", "Regular"),
    (FONT_DIR / "NotoSansCJK-Bold.ttc", FONTS_OUT / "NotoSansSC-Bold-Subset.otf", "Bold"),
]
# Characters the papers use that Noto Sans CJK SC lacks, drawn with the glyph of a look-alike.
# U+2043 HYPHEN BULLET comes from PDF extraction of a line-break hyphen ("Out⁃sourcing" in Paper B).
ALIASES = {"\u2043": "-"}
TEXT_SUFFIXES = {".py", ".md", ".csv", ".txt", ".j2", ".css", ".toml", ".yml", ".yaml", ".json"}


def gb2312_characters() -> set[str]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([hi, lo]).decode("gb2312"))
    return chars


def project_characters() -> set[str]:
    chars: set[str] = set()
    roots = [ROOT / "data", ROOT / "notebooks", ROOT / "src", ROOT / "tests", ROOT.parent / "shared"]
    for base in roots:
        if not base.exists():
            continue
        for path in base.rglob("*"):
            if path.is_file() and path.suffix in TEXT_SUFFIXES and ".venv" not in path.parts:
                try:
                    chars |= set(path.read_text(encoding="utf-8"))
                except UnicodeDecodeError:
                    continue  # deliberately corrupted test inputs
    return chars


def main() -> int:
    for source, _target, _style in FACES:
        if not source.exists():
            print(f"error: {source} not found; install Debian's fonts-noto-cjk to regenerate", file=sys.stderr)
            return 1
    wanted = wanted_characters()
    for source, target, style in FACES:
        cut(source, target, style, wanted)
    return 0


def wanted_characters() -> set[str]:
    wanted = {chr(c) for c in range(0x20, 0x7F)}
    wanted |= {chr(c) for c in range(0xA0, 0x100)}
    wanted |= {chr(c) for c in range(0x2010, 0x2070)} | {chr(c) for c in range(0x3000, 0x3040)}
    wanted |= {chr(c) for c in range(0xFF01, 0xFF5F)} | {
        "—",
        "·",
        "×",
        "÷",
        "±",
        "≈",
        "≤",
        "≥",
        "→",
        "←",
        "↔",
        "↑",
        "↓",
        "−",
    }
    used = {c for c in project_characters() if c.isprintable()}
    wanted |= gb2312_characters() | used
    return {c for c in wanted if c.isprintable()}


def cut(source: Path, target: Path, style: str, wanted: set[str]) -> None:
    collection = TTCollection(str(source))
    used = {c for c in project_characters() if c.isprintable()}
    # The collection holds JP, KR, SC, TC and HK faces; pick Simplified Chinese by its family name.
    index = next(i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    options = subset.Options()
    options.font_number = index
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    # Rename so that the subset never shadows a full system font of the same name.
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = "Noto Sans SC Subset"
        elif record.nameID == 4:
            record.string = "Noto Sans SC Subset" if style == "Regular" else f"Noto Sans SC Subset {style}"
        elif record.nameID == 6:
            record.string = "NotoSansSC-Subset" if style == "Regular" else f"NotoSansSC-Subset-{style}"
    for alias, original in ALIASES.items():
        for table in font["cmap"].tables:
            if table.isUnicode() and ord(original) in table.cmap:
                table.cmap[ord(alias)] = table.cmap[ord(original)]
    source_cmap = set(collection.fonts[index].getBestCmap())
    lacking = sorted(c for c in used if ord(c) not in source_cmap and c not in ALIASES and ord(c) > 0x7F)
    if lacking:
        print(
            "warning: the source font lacks "
            + " ".join(f"U+{ord(c):04X}" for c in lacking)
            + "; add an alias in ALIASES or avoid the character",
            file=sys.stderr,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    covered = {chr(c) for c in font.getBestCmap()}
    print(f"wrote {target.relative_to(ROOT)}: {len(covered)} characters, {target.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    sys.exit(main())
