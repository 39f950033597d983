"""Writing the reader's script in a picture: Arabic and Persian joined and right to left,
Tigrinya in Ge'ez letters.

Matplotlib (3.10) draws one glyph per character, left to right, and does no OpenType shaping.
So a text is made ready for it here: arabic-reshaper turns Arabic letters into their joined
presentation forms, the Unicode bidirectional algorithm (python-bidi) gives the level of each
character, and the characters are put in the order they are seen, brackets mirrored where they
run right to left (python-bidi's own reordering does not mirror them). The invisible controls
(isolates, ZWNJ) are dropped once they have done their work.

The letters come from fonts shipped in `fonts/` (subsets of Noto Sans Arabic and Noto Sans
Ethiopic, see scripts/subset_fonts.py), with matplotlib's DejaVu Sans for Latin, Cyrillic and
digits. Matplotlib falls back from one font to the next for each character it needs.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from functools import cache
from pathlib import Path

from arabic_reshaper import reshape
from bidi import get_display
from bidi.mirror import MIRRORED

FONTS = Path(__file__).parent / "fonts"
LATIN = "DejaVu Sans"  # ships with matplotlib
ARABIC = "Landgenoot Arabic"
ETHIOPIC = "Landgenoot Ethiopic"
_FILES = {
    ARABIC: ("LandgenootArabic-Regular.ttf", "LandgenootArabic-Bold.ttf"),
    ETHIOPIC: ("LandgenootEthiopic-Regular.ttf", "LandgenootEthiopic-Bold.ttf"),
}
_LEVEL = re.compile(r"Level\(\s*(\d+),\s*\)")
# Fewer characters than fit at the smallest size on the pictures; an Ethiopic syllable is about
# as wide as two Latin letters.
LINE_WIDTH = 110


def families(rtl: bool, text: str = "") -> list[str]:
    """The font families to draw with, in the order matplotlib tries them for a character.
    Arabic first for a right-to-left reader, or for a text with Arabic letters (a name):
    DejaVu Sans has some Arabic letters too, and one word must not mix two fonts."""
    register_fonts()
    if rtl or any(unicodedata.bidirectional(char) == "AL" for char in text):
        return [ARABIC, LATIN, ETHIOPIC]
    return [LATIN, ARABIC, ETHIOPIC]


@cache
def register_fonts() -> None:
    from matplotlib import font_manager

    for paths in _FILES.values():
        for name in paths:
            font_manager.fontManager.addfont(str(FONTS / name))


@cache
def glyphs() -> frozenset[int]:
    """The characters every font style here can draw (regular and bold): those of the three
    families together."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    register_fonts()
    latin = [
        font_manager.findfont(font_manager.FontProperties(family=LATIN, weight=weight))
        for weight in ("normal", "bold")
    ]
    found: set[int] = set()
    for paths in [latin, *([str(FONTS / name) for name in names] for names in _FILES.values())]:
        regular, bold = (frozenset(FT2Font(path).get_charmap()) for path in paths)
        found |= regular & bold
    return frozenset(found)


def drawable(text: str) -> bool:
    """Can every character of this text, made ready with `shaped`, be drawn?"""
    known = glyphs()
    return all(char.isspace() or ord(char) in known for char in text)


def shaped(text: str, rtl: bool) -> str:
    """The text as matplotlib must be given it: joined letters, in the order they are seen.
    `rtl`: the paragraph runs right to left (the reader's language does). Line by line, so
    that a wrapped paragraph keeps its first line on top."""
    return "\n".join(_shaped_line(line, rtl) for line in text.split("\n"))


def _shaped_line(text: str, rtl: bool) -> str:
    if not rtl and not any(unicodedata.bidirectional(char) in ("R", "AL", "AN") for char in text):
        return _without_controls(text)  # nothing runs right to left: the order stays
    text = reshape(text)
    levels = _levels(text, rtl)
    chars = [
        MIRRORED.get(char, char) if level % 2 else char
        for char, level in zip(text, levels, strict=True)
    ]
    return _without_controls("".join(_reordered(chars, levels)))


def _levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character (odd: right to left), after rule L1.

    python-bidi returns them only in its debug description (of the Rust unicode-bidi crate),
    one per UTF-8 byte; a character takes the level of its first byte."""
    description = get_display(text, base_dir="R" if rtl else "L", debug=True)
    per_byte = [int(n) for n in _LEVEL.findall(description.split("paragraphs:", 1)[0])]
    levels, offset = [], 0
    for char in text:
        levels.append(per_byte[offset])
        offset += len(char.encode())
    # L1: whitespace and isolate controls at the end of the line take the paragraph's level.
    end = len(text)
    while end and (text[end - 1].isspace() or unicodedata.category(text[end - 1]) == "Cf"):
        end -= 1
        levels[end] = 1 if rtl else 0
    return levels


def _reordered(chars: list[str], levels: list[int]) -> list[str]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every run of
    characters at that level or higher."""
    chars, levels = list(chars), list(levels)
    odd = [level for level in levels if level % 2]
    if not odd:
        return chars
    for level in range(max(levels), min(odd) - 1, -1):
        start = 0
        while start < len(chars):
            if levels[start] < level:
                start += 1
                continue
            end = start
            while end < len(chars) and levels[end] >= level:
                end += 1
            chars[start:end] = chars[start:end][::-1]
            levels[start:end] = levels[start:end][::-1]
            start = end
    return chars


def _without_controls(text: str) -> str:
    """Without the invisible format characters (isolates, marks, ZWNJ): fonts have no glyph
    for them, and matplotlib would draw an empty box."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def wrapped(text: str, width: int = LINE_WIDTH) -> str:
    """The text in lines of about `width` Latin letters (an Ethiopic syllable counts two), cut
    between words, before it is shaped: a right-to-left paragraph is broken in reading order."""
    ethiopic = sum(1 for char in text if 0x1200 <= ord(char) <= 0x139F)
    return textwrap.fill(text, width=max(20, width * len(text) // (len(text) + ethiopic or 1)))
