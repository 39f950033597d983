"""Buttons fit a phone: a row too wide in the reader's language is split, never cut."""

from zoneinfo import ZoneInfo

from bot.i18n import Translators
from bot.ui import ROW_WIDTH, fitted, label_width
from tests.buttons import in_every_locale


def test_an_emoji_counts_as_two_and_joiners_as_nothing():
    assert label_width("Report") == 6
    assert label_width("👍 Helpful") == 10
    assert label_width("✏️ Text") == 7  # the variation selector takes no room
    assert label_width("\u2068Tiel\u2069") == 4  # isolates neither
    assert label_width("نکته‌ها") == 6  # nor the Persian zero-width non-joiner


def test_a_row_too_wide_for_a_phone_is_split_and_keeps_its_order():
    row = [("Papers and the municipality", "a"), ("Language and study", "b")]
    assert fitted([row]) == [[row[0]], [row[1]]]
    three = [("1. 👍 Helpful", "v"), ("1. Outdated?", "o"), ("1. Report", "r")]
    assert fitted([three]) == [three[:2], three[2:]]
    assert all(sum(label_width(label) for label, _ in r) <= ROW_WIDTH for r in fitted([three]))


def test_a_row_that_fits_stays_one_row():
    row = [("Hide", "h"), ("Hide and block the author", "b")]
    assert fitted([row]) == [row]


def test_a_label_is_traced_back_to_its_message_in_every_locale():
    translators = Translators(ZoneInfo("Europe/Amsterdam"))
    shown = in_every_locale("2. Sign up as host", translators)
    assert shown["nl"] == translators["nl"].numbered(
        2, translators["nl"].gettext("Sign up as host")
    )
    assert in_every_locale(translators["uk"].gettext("Attendees"), translators)["en"] == "Attendees"
    assert in_every_locale("Praattafel Tiel", translators)["ar"] == "Praattafel Tiel"
