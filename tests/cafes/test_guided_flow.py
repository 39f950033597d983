"""The organiser writes a café step by step: dates the way Dutch people write them, dates as
buttons, a draft kept across /cancel, and every creation and edit in the audit log."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.cafes import store
from bot.cafes.parsing import CafeInputError, parse_when
from bot.db import fetchall
from tests.cafes.helpers import ORGANISER, button, create_cafe
from tests.harness import START
from tests.tips.helpers import send_photo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TUESDAY_8_DEC_19 = datetime(2026, 12, 8, 19, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    "written",
    [
        "2026-12-08 19:00",
        "8-12 19:00",
        "8-12 19.00",
        "8.12 19u",
        "di 8 dec 19:00",
        "di 8 dec 19u",
        "dinsdag 8 december 19 uur",
        "Di. 8 Dec., om 19.00",
        "tue 8 dec 19:00",
        "dinsdag 19:00",  # the coming Tuesday (1 December 2026 is one: that evening)
    ],
)
def test_dutch_ways_of_writing_a_moment_are_understood(written):
    expected = TUESDAY_8_DEC_19 if "dinsdag 19" not in written else TUESDAY_8_DEC_19.replace(day=1)
    assert parse_when(written, START, AMSTERDAM) == expected


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("wo 8 dec 19:00", "weekday"),  # 8 December 2026 is a Tuesday
        ("di 8 dec", "no_time"),
        ("8-12", "no_time"),
        ("8 dec 25:00", "date"),
        ("31-2-2027 19:00", "date"),
        ("next tuesday", "date"),
    ],
)
def test_unusable_moments_say_why(written, code):
    with pytest.raises(CafeInputError) as refused:
        parse_when(written, START, AMSTERDAM)
    assert refused.value.code == code


async def test_the_one_line_form_takes_dutch_dates_and_asks_for_a_missing_time(bot):
    [missing] = await bot.send(ORGANISER, "/newcafe di 8 dec | Bieb | 12 | Praattafel")
    assert missing.text.startswith("Please add the time, like")
    await bot.send(ORGANISER, "/newcafe di 8 dec 19u | Bieb | 12 | Praattafel")
    cafe = await store.latest_cafe(bot.runtime.db.reader)
    assert cafe.starts_at == int(TUESDAY_8_DEC_19.timestamp())


async def answer_until_place(bot, when: str) -> list:
    """/newcafe, the name, and `when`: the replies to that."""
    await bot.send(ORGANISER, "/newcafe")
    await bot.send(ORGANISER, "Praattafel")
    return await bot.send(ORGANISER, when)


async def test_a_date_without_a_time_asks_for_the_time_instead_of_failing(bot):
    [question] = await answer_until_place(bot, "di 8 dec")
    assert question.text.startswith("At what time does it start?")
    wrong, again = await bot.send(ORGANISER, "evening")
    assert wrong.text.startswith("I could not read the time")
    assert again.text.startswith("At what time does it start?")
    [question] = await bot.send(ORGANISER, "19u")
    assert question.text.startswith("Where is it?")
    for answer in ("Bieb", "12", "-"):
        await bot.send(ORGANISER, answer)
    [card] = await bot.send(ORGANISER, "-")
    assert "Tuesday, 8 December 2026, 19:00" in card.text


async def test_a_time_that_has_passed_today_asks_for_the_date_again(bot):
    [question] = await answer_until_place(bot, "1-12")  # today, 1 December
    assert question.text.startswith("At what time")
    passed, again = await bot.send(ORGANISER, "08:00")
    assert passed.text.startswith("That moment has passed")
    assert again.text.startswith("When does it start?")


async def _ask_when(bot):
    """/newcafe and the name: the reply is the date question, with its buttons."""
    await bot.send(ORGANISER, "/newcafe")
    [question] = await bot.send(ORGANISER, "Praattafel")
    assert question.text.startswith("When does it start?")
    return question


async def test_the_next_dates_of_the_latest_cafe_are_offered_as_buttons(bot):
    await create_cafe(bot)  # Tuesday 8 December, 19:00
    question = await _ask_when(bot)
    # Tuesdays at 19:00, six weeks ahead from Tuesday 1 December, 10:00
    assert [label for label, _data in question.buttons] == [
        "Tue, 1 Dec, 19:00",
        "Tue, 8 Dec, 19:00",
        "Tue, 15 Dec, 19:00",
        "Tue, 22 Dec, 19:00",
        "Tue, 29 Dec, 19:00",
        "Tue, 5 Jan, 19:00",
    ]
    replies = await bot.press(ORGANISER, question, "Tue, 15 Dec, 19:00")
    assert replies[-1].text.startswith("Where is it?")
    draft = await store.get_draft(bot.runtime.db.reader, ORGANISER.id)
    assert draft["when"] == datetime(2026, 12, 15, 19, 0, tzinfo=AMSTERDAM).isoformat()
    # the same buttons again, now that the date is answered: expired, nothing changes
    [expired] = await bot.press(ORGANISER, question, "Tue, 8 Dec, 19:00")
    assert expired.params["text"] == "This button has expired."
    assert (await store.get_draft(bot.runtime.db.reader, ORGANISER.id))["when"] == draft["when"]


async def test_dates_are_offered_after_a_day_without_a_time_too(bot):
    await create_cafe(bot)
    await _ask_when(bot)
    [question] = await bot.send(ORGANISER, "di 15 dec")
    assert question.text.startswith("At what time")
    replies = await bot.press_data(ORGANISER, question, question.buttons[2][1])
    assert replies[-1].text.startswith("Where is it?")


async def test_a_forged_date_button_is_refused(bot):
    await create_cafe(bot)
    question = await _ask_when(bot)
    for forged in ("1|cafe_when|1796756400", "1|cafe_when|soon", "1|cafe_when"):  # not offered
        [refused] = await bot.press_data(ORGANISER, question, forged)
        assert refused.params["text"] == "This button has expired."
    assert "when" not in await store.get_draft(bot.runtime.db.reader, ORGANISER.id)


async def test_no_dates_are_offered_before_the_first_cafe(bot):
    question = await _ask_when(bot)
    assert question.buttons == []


async def test_after_cancel_newcafe_offers_to_continue_the_draft(bot):
    await bot.send(ORGANISER, "/newcafe")
    await bot.send(ORGANISER, "Praattafel januari")
    [question] = await bot.send(ORGANISER, "12-1-2027 19:00")
    assert "what you wrote so far is kept, and /newcafe continues it" in question.text
    await bot.send(ORGANISER, "/cancel")
    [choice] = await bot.send(ORGANISER, "/newcafe")
    assert choice.text == "You were writing a café. Continue where you left off, or start again?"
    replies = await bot.press(ORGANISER, choice, "Continue where you left off")
    assert replies[-1].text.startswith("Where is it?")
    await bot.send(ORGANISER, "Bieb")
    await bot.send(ORGANISER, "/cancel")
    [choice] = await bot.send(ORGANISER, "/newcafe")
    replies = await bot.press(ORGANISER, choice, "Start again")
    assert replies[-1].text.startswith("What is the café called?")
    assert await store.get_draft(bot.runtime.db.reader, ORGANISER.id) == {}
    # the old "Continue" button: there is nothing left to continue
    [expired] = await bot.press(ORGANISER, choice, "Continue where you left off")
    assert expired.params["text"] == "This button has expired."


async def test_a_photo_at_the_name_step_is_answered_with_what_is_needed(bot):
    await bot.send(ORGANISER, "/newcafe")
    refused, again = await send_photo(bot, ORGANISER, "poster")
    assert refused.text == "I can only use text here. Please type your answer."
    assert again.text.startswith("What is the café called?")
    [question] = await bot.send(ORGANISER, "Praattafel")
    assert question.text.startswith("When does it start?")


async def test_creating_editing_and_copying_cafes_is_in_the_audit_log(bot):
    cafe = await create_cafe(bot)
    [listing] = await bot.send(ORGANISER, "/cafes")
    card = (await bot.press_data(ORGANISER, listing, button(listing, "cafe_admin")))[-1]
    await bot.press_data(ORGANISER, card, button(card, "cafe_edit"))
    await bot.send(ORGANISER, "2026-12-08 19:30 | Bieb | 14 | Praattafel december")
    await bot.press_data(ORGANISER, card, button(card, "cafe_copy"))
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT actor_id, action, target, reason FROM moderation_log"
    )
    copy = await store.latest_cafe(bot.runtime.db.reader)
    assert [tuple(row) for row in rows] == [
        (ORGANISER.id, "create_cafe", f"cafe:{cafe.id}", ""),
        (ORGANISER.id, "edit_cafe", f"cafe:{cafe.id}", ""),
        (ORGANISER.id, "copy_cafe", f"cafe:{copy.id}", f"cafe:{cafe.id}"),
    ]
    [log] = await bot.send(ORGANISER, "/audit")
    assert f"create_cafe cafe:{cafe.id}" in log.text and f"edit_cafe cafe:{cafe.id}" in log.text
