"""Weekly and fortnightly cafés: two dates always open for sign-up, and changes for "only
this date" or "this date and all that follow"."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cafes import store
from bot.db import fetchall
from tests.cafes.helpers import ORGANISER, button
from tests.harness import AMIRA, BRAM

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LINE = "/newcafe 2026-12-08 19:00 | Bibliotheek Tiel | 2 | Praattafel | | | {repeat}"


def local(cafe) -> datetime:
    return datetime.fromtimestamp(cafe.starts_at, AMSTERDAM)


async def all_cafes(bot) -> list:
    rows = await fetchall(bot.runtime.db.reader, "SELECT id FROM cafes ORDER BY starts_at, id")
    return [await store.get_cafe(bot.runtime.db.reader, row[0]) for row in rows]


async def identify(bot, user):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def a_weekly_series(bot, repeat: str = "weekly") -> list:
    replies = await bot.send(ORGANISER, LINE.format(repeat=repeat))
    assert replies[0].text == "The café is created."
    return await all_cafes(bot)


async def manage(bot, cafe):
    [listing] = await bot.send(ORGANISER, "/cafes")
    card = (await bot.press_data(ORGANISER, listing, f"1|cafe_admin|{cafe.id}"))[-1]
    return card


async def test_a_weekly_cafe_opens_two_dates_and_people_sign_up_for_both(bot):
    first, second = await a_weekly_series(bot)
    assert [local(c).strftime("%a %d %b %H:%M") for c in (first, second)] == [
        "Tue 08 Dec 19:00",
        "Tue 15 Dec 19:00",
    ]
    assert first.series_id == second.series_id == first.id
    [listing] = await bot.send(AMIRA, "/cafes")
    arabic = bot.runtime.translators["ar"]
    for number in (1, 2):
        label = arabic.numbered(number, arabic.gettext("Sign up"))
        await bot.press(AMIRA, listing, label)
    mine = await bot.runtime.cafes.my_signups(await identify(bot, AMIRA))
    assert [(cafe.id, signup.status) for cafe, signup, _ in mine] == [
        (first.id, "confirmed"),
        (second.id, "confirmed"),
    ]
    card = await manage(bot, first)
    assert "Every week." in card.text


async def test_the_next_date_is_opened_when_one_ends_and_fortnightly_skips_a_week(bot):
    await a_weekly_series(bot, "every 2 weeks")
    bot.clock.advance(days=7, hours=11, minutes=1)  # 8 December, 21:01 in Amsterdam: over
    await bot.runtime.cafes.continue_series()
    dates = [local(c).strftime("%d %b") for c in await all_cafes(bot)]
    assert dates == ["08 Dec", "22 Dec", "05 Jan"]
    await bot.runtime.cafes.continue_series()  # a second run adds nothing
    assert len(await all_cafes(bot)) == 3


async def test_the_guided_flow_saves_a_weekly_series(bot):
    await bot.send(ORGANISER, "/newcafe")
    for answer in ("Praattafel", "di 8 dec 19u", "Bieb", "8", "-"):
        await bot.send(ORGANISER, answer)
    [card] = await bot.send(ORGANISER, "-")
    await bot.press(ORGANISER, card, "Save, every week")
    assert [c.every_weeks for c in await all_cafes(bot)] == [1, 1]


async def test_editing_only_this_date_leaves_the_others(bot):
    first, second = await a_weekly_series(bot)
    await bot.runtime.cafes.sign_up(await identify(bot, BRAM), first.id)
    card = await manage(bot, first)
    question = (await bot.press(ORGANISER, card, "Edit"))[-1]
    assert question.text == (
        "This café repeats. Change only this date, or this date and all that follow?"
    )
    replies = await bot.press(ORGANISER, question, "Only this date")
    assert replies[-1].text.endswith("Bibliotheek Tiel | 2 | Praattafel |  |  | weekly")
    await bot.send(ORGANISER, "2026-12-08 19:00 | Room 2 | 2 | Praattafel | | | weekly")
    first, second = await all_cafes(bot)
    assert (first.place, second.place) == ("Room 2", "Bibliotheek Tiel")
    assert first.every_weeks == second.every_weeks == 1
    [told] = await bot.deliver()
    assert told.chat_id == BRAM.id


async def test_editing_all_that_follow_moves_every_later_date_and_the_next_ones(bot):
    first, second = await a_weekly_series(bot)
    await bot.runtime.cafes.sign_up(await identify(bot, AMIRA), second.id)
    card = await manage(bot, first)
    question = (await bot.press(ORGANISER, card, "Edit"))[-1]
    await bot.press(ORGANISER, question, "This date and all that follow")
    await bot.send(ORGANISER, "2026-12-09 19:30 | Room 2 | 3 | Praattafel | | | weekly")
    dates = await all_cafes(bot)
    assert [(local(c).strftime("%a %d %b %H:%M"), c.place, c.capacity) for c in dates] == [
        ("Wed 09 Dec 19:30", "Room 2", 3),
        ("Wed 16 Dec 19:30", "Room 2", 3),
    ]
    assert [call.chat_id for call in await bot.deliver()] == [AMIRA.id]
    bot.clock.advance(days=8, hours=12)  # the first is over
    await bot.runtime.cafes.continue_series()
    third = (await all_cafes(bot))[-1]
    assert (local(third).strftime("%a %d %b %H:%M"), third.place) == ("Wed 23 Dec 19:30", "Room 2")


async def test_cancelling_only_this_date_keeps_the_series_going(bot):
    first, _second = await a_weekly_series(bot)
    card = await manage(bot, first)
    question = (await bot.press(ORGANISER, card, "Cancel café"))[-1]
    assert [label for label, _ in question.buttons] == [
        "Only this date",
        "This date and all that follow",
        "No",
    ]
    await bot.press(ORGANISER, question, "Only this date")
    await bot.runtime.cafes.continue_series()
    statuses = [(local(c).strftime("%d %b"), c.status) for c in await all_cafes(bot)]
    assert statuses == [("08 Dec", "cancelled"), ("15 Dec", "scheduled"), ("22 Dec", "scheduled")]


async def test_cancelling_all_that_follow_ends_the_series_and_tells_everyone(bot):
    first, second = await a_weekly_series(bot)
    await bot.runtime.cafes.sign_up(await identify(bot, AMIRA), first.id)
    await bot.runtime.cafes.sign_up(await identify(bot, BRAM), second.id)
    card = await manage(bot, first)
    question = (await bot.press(ORGANISER, card, "Cancel café"))[-1]
    await bot.press(ORGANISER, question, "This date and all that follow")
    assert sorted(call.chat_id for call in await bot.deliver()) == [AMIRA.id, BRAM.id]
    bot.clock.advance(days=30)
    await bot.runtime.cafes.continue_series()
    assert [c.status for c in await all_cafes(bot)] == ["cancelled", "cancelled"]


async def test_forged_series_presses_change_nothing(bot):
    first, _second = await a_weekly_series(bot)
    [listing] = await bot.send(AMIRA, "/cafes")
    for forged in (f"1|cafe_drop_all|{first.id}", f"1|cafe_edit_scope|{first.id}|all"):
        [refused] = await bot.press_data(AMIRA, listing, forged)
        assert refused.params["text"] == bot.runtime.translators["ar"].gettext(
            "This button has expired."
        )
    card = await manage(bot, first)
    [refused] = await bot.press_data(ORGANISER, card, f"1|cafe_edit_scope|{first.id}|some")
    assert refused.params["text"] == "This button has expired."
    assert [c.status for c in await all_cafes(bot)] == ["scheduled", "scheduled"]
    assert button(card, "cafe_drop")
