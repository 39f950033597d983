"""The chart and the statement card in the reader's script: Arabic and Persian joined and right
to left, Tigrinya in Ge'ez letters; English only where the fonts truly cannot write a text."""

import pytest

from bot.local_api import LocalUser
from bot.reports import lettering
from tests.reports import seed
from tests.reports.pictures import (
    keep_pictures,
    nothing_missing,
    png_of,
    undrawable,
    unjoined_arabic,
)
from tests.reports.seed import ARABIC_ORGANISER, KEY_PERSON, add_user
from tests.reports.test_reports import run

PERSIAN_ORGANISER = LocalUser(700000105, "Shirinak", "fa")
TIGRINYA_ORGANISER = LocalUser(700000106, "Selamawit", "ti")
ARABIC_HELPER = LocalUser(700000107, "Mariamel", "ar")
PERSIAN_HELPER = LocalUser(700000108, "پریسا", "fa")
ENGLISH_HELPER = LocalUser(700000109, "أمينة", "en")

# "نوفمبر" (November) as drawn: presentation forms, from left to right on the picture.
NOVEMBER_DRAWN = "\ufeae\ufe92\ufee4\ufed3\ufeee\ufee7"  # ر final … ن initial
ALEF_ISOLATED = "\ufe8d"
PEH_INITIAL = "\ufb58"  # پ, a Persian letter (Presentation Forms-A)


@pytest.fixture
async def community(bot):
    await seed.seed_community(bot.runtime.db)
    await seed.seed_feedback(bot.runtime.db)
    async with bot.runtime.db.transaction() as conn:
        for user in (PERSIAN_ORGANISER, TIGRINYA_ORGANISER):
            await add_user(conn, user.id, user.first_name, user.language_code, None, "organiser")
        for user in (ARABIC_HELPER, PERSIAN_HELPER, ENGLISH_HELPER):
            await add_user(conn, user.id, user.first_name, user.language_code, None, "helper")
    return bot


async def test_an_arabic_organiser_gets_the_chart_in_arabic(community, monkeypatch, caplog):
    pictures = keep_pictures(monkeypatch)
    with nothing_missing(caplog):
        [_message], [table], [photo] = await run(community, ARABIC_ORGANISER, "/report 2026-11")
    arabic = community.runtime.translators["ar"]
    assert photo.text == arabic.gettext("Attendance and questions, month by month.")  # no note
    [chart] = pictures
    assert png_of(photo) == chart.png and chart.png.startswith(b"\x89PNG")
    assert chart.translator.locale == "ar"
    assert NOVEMBER_DRAWN in chart.texts  # the month under its bars: joined, right to left
    [title] = [text for text in chart.texts if text.startswith("2026 ")]
    assert title.endswith(ALEF_ISOLATED)  # "الحضور…" starts on the right, "2026" ends left
    # "الحضور (سجل حضورهم)": the brackets mirrored, so that they open towards their words
    [attended] = [text for text in chart.texts if "(" in text and ")" in text]
    assert attended.index("(") < attended.index(")")
    assert attended.endswith(ALEF_ISOLATED)
    assert not unjoined_arabic(chart)
    assert not undrawable(chart)
    for label in ("How people felt after the café", "Asked for next time", "Good", "Housing"):
        assert lettering.shaped(arabic.gettext(label), rtl=True) in chart.texts, label
    assert arabic.gettext("Cafés held") in png_of(table).decode("utf-8-sig")  # the CSV too


async def test_a_persian_organiser_and_helper_get_persian_pictures(community, monkeypatch, caplog):
    pictures = keep_pictures(monkeypatch)
    with nothing_missing(caplog):
        _messages, _tables, [photo] = await run(community, PERSIAN_ORGANISER, "/report 2026-11")
        [_message], [document], _photos = await run(community, PERSIAN_HELPER, "/myimpact 2026-11")
    persian = community.runtime.translators["fa"]
    assert photo.text == persian.gettext("Attendance and questions, month by month.")
    assert document.text == persian.gettext(
        "A statement you can show to a municipality or an employer."
    )  # the name is on it, and there is no note about the alphabet
    chart, card = pictures
    assert (chart.translator.locale, card.translator.locale) == ("fa", "fa")
    assert png_of(document) == card.png
    for picture in (chart, card):
        assert not unjoined_arabic(picture)
        assert not undrawable(picture)
        assert not [c for text in picture.texts for c in text if c == "\u200c"]  # ZWNJ done
    assert any(PEH_INITIAL in text for text in chart.texts)  # "پرسش‌ها", questions
    volunteer = persian.gettext("{label}: {value}").format(
        label=persian.gettext("Volunteer"), value=persian.isolate(PERSIAN_HELPER.first_name)
    )
    assert lettering.shaped(volunteer, rtl=True) in card.texts
    footer = next(text for text in card.texts if "2026" in text and "\n" in text)
    first_line = footer.split("\n")[0]
    assert first_line.endswith(lettering.shaped("در", rtl=True))  # the sentence starts on top


async def test_tigrinya_pictures_are_in_geez_letters(community, monkeypatch, caplog):
    pictures = keep_pictures(monkeypatch)
    with nothing_missing(caplog):
        _messages, _tables, [photo] = await run(community, TIGRINYA_ORGANISER, "/report 2026-11")
        [_message], [document], _photos = await run(community, KEY_PERSON, "/myimpact 2026-11")
    tigrinya = community.runtime.translators["ti"]
    assert photo.text == tigrinya.gettext("Attendance and questions, month by month.")
    chart, card = pictures
    assert (chart.translator.locale, card.translator.locale) == ("ti", "ti")
    title = tigrinya.gettext("Attendance and questions per month: {period}")
    assert title.format(period="ሕዳር 2026") in chart.texts
    assert tigrinya.gettext("Statement of volunteer work") in card.texts
    assert f"{tigrinya.gettext('Volunteer')}: {KEY_PERSON.first_name}" in card.texts
    assert png_of(document) == card.png
    for picture in (chart, card):
        assert any(0x1200 <= ord(c) <= 0x139F for text in picture.texts for c in text)
        assert not undrawable(picture)


async def test_an_arabic_name_is_written_on_an_english_statement(community, monkeypatch, caplog):
    pictures = keep_pictures(monkeypatch)
    with nothing_missing(caplog):
        [_message], [document], _photos = await run(community, ENGLISH_HELPER, "/myimpact")
    assert document.text == "A statement you can show to a municipality or an employer."
    [card] = pictures
    assert "Volunteer: \ufe94\ufee8\ufef4\ufee3\ufe83" in card.texts  # أمينة, right to left
    assert not undrawable(card)


async def test_a_script_the_fonts_lack_gets_the_picture_in_english_and_says_so(
    community, monkeypatch
):
    # As if the Ethiopic font were missing: the picture falls back, and the caption says so.
    ethiopic = range(0x1200, 0x13A0)
    all_glyphs = lettering.glyphs()
    monkeypatch.setattr(
        lettering, "glyphs", lambda: frozenset(c for c in all_glyphs if c not in ethiopic)
    )
    pictures = keep_pictures(monkeypatch)
    _messages, _tables, [photo] = await run(community, TIGRINYA_ORGANISER, "/report 2026-11")
    tigrinya = community.runtime.translators["ti"]
    note = tigrinya.gettext(
        "The picture is in {language}: I cannot write your alphabet in pictures yet."
    ).format(language="English")
    assert photo.text.endswith("\n" + note)
    [chart] = pictures
    assert chart.translator.locale == "en"
    assert "Attendance and questions per month: November 2026" in chart.texts


async def test_a_name_with_dollars_is_written_as_it_is(bot, monkeypatch):
    dollars = LocalUser(700000110, "$$Ka$$", "en")  # to matplotlib, "$…$" is a formula
    async with bot.runtime.db.transaction() as conn:
        await add_user(conn, dollars.id, dollars.first_name, "en", "en", "helper")
    pictures = keep_pictures(monkeypatch)
    [_message], [document], _photos = await run(bot, dollars, "/myimpact")
    assert document.text == "A statement you can show to a municipality or an employer."
    [card] = pictures
    assert "Volunteer: $$Ka$$" in card.texts
