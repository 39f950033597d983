"""Checking in through the link shown at the café; cafés in a group chat without names."""

from bot.cafes.store import get_cafe
from bot.db import fetchall
from bot.local_api import LocalUser
from tests.cafes.helpers import create_cafe
from tests.harness import AMIRA, BRAM

GROUP = -100123


async def person(bot, user):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def test_self_check_in_works_during_the_cafe_only(bot):
    cafe = await create_cafe(bot)
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    link = f"/start in_{cafe.id}_{cafe.checkin_token}"
    early, *_greeting = await bot.send(AMIRA, link)
    arabic = bot.runtime.translators["ar"].gettext
    assert early.text == arabic("Check-in is only possible during the café.")
    bot.clock.advance(days=7, hours=8, minutes=45)  # 8 December 17:45 UTC = 18:45 local
    welcome, *_greeting = await bot.send(AMIRA, link)
    assert welcome.text == arabic("Welcome! You are checked in.")
    again, *_greeting = await bot.send(AMIRA, link)
    assert again.text == arabic("You are checked in already. Enjoy!")
    walk_in, *_greeting = await bot.send(BRAM, link)
    assert walk_in.text == bot.runtime.translators["nl"].gettext(
        "Welcome! You are checked in. Next time, sign up with /cafes."
    )
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT user_id FROM signups WHERE checked_in_at IS NOT NULL"
    )
    assert sorted(row[0] for row in rows) == [AMIRA.id, BRAM.id]
    bot.clock.advance(hours=3)  # after the end
    late, *_greeting = await bot.send(LocalUser(9001, "Late", "en"), link)
    assert late.text == "Check-in is only possible during the café."


async def test_a_wrong_check_in_token_is_refused(bot):
    cafe = await create_cafe(bot)
    bot.clock.advance(days=7, hours=9)
    for payload in (f"in_{cafe.id}_wrong", f"in_{cafe.id}", "in_x_y", "in_999_abc"):
        replies = await bot.send(AMIRA, f"/start {payload}")
        assert replies[0].text == bot.runtime.translators["ar"].gettext("This link is not valid.")
    assert await fetchall(bot.runtime.db.reader, "SELECT id FROM signups") == []


async def test_cafes_in_a_group_shows_a_summary_and_a_private_link_but_no_names(bot):
    cafe = await create_cafe(bot)
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    [summary] = await bot.send(BRAM, "/cafes", chat_id=GROUP)
    assert summary.chat_id == GROUP
    assert "Praattafel december" in summary.text
    assert "Amira" not in summary.text and "Bram" not in summary.text
    markup = summary.params["reply_markup"]["inline_keyboard"]
    assert markup[0][0]["url"] == f"https://t.me/landgenoot_bot?start=cafe_{cafe.id}"
    assert (await get_cafe(bot.runtime.db.reader, cafe.id)).status == "scheduled"
