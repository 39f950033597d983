"""Texts made ready for matplotlib: joined Arabic letters, right-to-left order, mirrored
brackets, no invisible controls left."""

import unicodedata

import pytest
from arabic_reshaper import reshape
from babel.messages.pofile import read_po
from bidi import get_display
from bidi.mirror import MIRRORED

from bot.i18n import LOCALES_DIR
from bot.reports import lettering


def catalog_lines(locale: str) -> list[str]:
    with open(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    lines = []
    for message in catalog:
        if message.id and message.string:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            lines += [line for string in strings for line in string.split("\n")]
    return lines


@pytest.mark.parametrize("locale", ["ar", "fa"])
def test_the_order_is_python_bidis_with_brackets_mirrored(locale):
    """Every line of the catalog comes out in python-bidi's visual order; where they differ, it
    is only a bracket (or "<", "«") that faces the other way, as rule L4 wants."""
    for line in catalog_lines(locale):
        ours = lettering.shaped(line, rtl=True)
        theirs = "".join(
            c for c in get_display(reshape(line), base_dir="R") if unicodedata.category(c) != "Cf"
        )
        assert len(ours) == len(theirs), line
        assert all(a == b or MIRRORED.get(a) == b for a, b in zip(ours, theirs, strict=True)), line


def test_arabic_is_joined_and_right_to_left_with_brackets_facing_their_words():
    assert lettering.shaped("نوفمبر", rtl=True) == "\ufeae\ufe92\ufee4\ufed3\ufeee\ufee7"
    assert lettering.shaped("لا", rtl=True) == "\ufefb"  # lam-alef, one ligature
    drawn = lettering.shaped("الحضور (سجل)", rtl=True)
    assert drawn.startswith("(") and drawn.index("(") < drawn.index(")")
    assert lettering.shaped("عدد: 12", rtl=True).startswith("12 :")  # digits stay left to right


def test_controls_are_dropped_once_they_have_done_their_work():
    isolated = lettering.shaped("المتطوع: \u2068Yasmirel\u2069", rtl=True)
    assert isolated == "Yasmirel :" + lettering.shaped("المتطوع", rtl=True)
    persian = lettering.shaped("پرسش\u200cها", rtl=True)  # the ZWNJ keeps ش from joining ه
    assert "\u200c" not in persian
    assert persian == "\ufe8e\ufeeb" + "\ufeb6\ufeb3\ufeae\ufb58"  # ها, then پرسش (final ش)
    assert lettering.shaped("Amira \u2068(2)\u2069", rtl=False) == "Amira (2)"


def test_a_long_paragraph_is_wrapped_in_reading_order():
    sentence = " ".join(["در تاریخ ۱ دسامبر"] + ["از روی سوابق خود ربات"] * 10)
    logical = lettering.wrapped(sentence).split("\n")
    lines = lettering.shaped(lettering.wrapped(sentence), rtl=True).split("\n")
    assert len(lines) > 1
    assert lines == [lettering.shaped(line, rtl=True) for line in logical]  # each line on its own
    assert lines[0].endswith(lettering.shaped("در", rtl=True))  # the first words on top, right
    ethiopic = lettering.wrapped("ሰላም " * 60).split("\n")

    def width(line: str) -> int:  # an Ethiopic syllable is about two Latin letters wide
        return sum(2 if 0x1200 <= ord(c) <= 0x139F else 1 for c in line)

    assert len(ethiopic) > 2 and max(width(line) for line in ethiopic) <= lettering.LINE_WIDTH
