"""A café's date and time read naturally in every shipped language."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time

from bot.cafes import texts
from bot.i18n import FSI, SHIPPED_LOCALES
from tests.cafes.helpers import create_cafe

LOCAL_START = datetime(2026, 12, 8, 19, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
async def test_the_card_shows_the_date_in_the_readers_language_and_local_time(bot, locale):
    cafe = await create_cafe(bot)
    t = bot.runtime.translators[locale]
    card = texts.card(t, cafe)
    assert format_date(LOCAL_START, format="full", locale=t.cldr) in card
    assert format_time(LOCAL_START, format="short", locale=t.cldr) in card
    assert t.gettext("Where: {place}").split("{")[0] in card
    if locale in ("ar", "fa"):
        assert f"{FSI}Bibliotheek Tiel, Koornmarkt 1" in card  # isolated in right-to-left text
