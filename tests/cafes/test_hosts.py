"""Hosts are hosts: "Sign up as host" only for organisers and the people they made host."""

import re

from bot.db import fetchall
from bot.local_api import LocalUser
from tests.cafes.helpers import ORGANISER, button, create_cafe
from tests.harness import AMIRA

LINA = LocalUser(7001, "Lina", "en")
LINK = re.compile(r"https://t\.me/landgenoot_bot\?start=(inv_\S+)")


def labels(call) -> list[str]:
    return [label for label, _data in call.buttons]


async def signups(bot) -> list[tuple]:
    rows = await fetchall(bot.runtime.db.reader, "SELECT user_id, kind, status FROM signups")
    return [tuple(row) for row in rows]


async def test_newcomers_see_only_sign_up_and_a_forged_host_press_is_refused(bot):
    cafe = await create_cafe(bot, seats="8+2")
    [listing] = await bot.send(LINA, "/cafes")
    assert labels(listing) == ["Sign up"]
    replies = await bot.press_data(LINA, listing, f"1|cafe_join|{cafe.id}|h")
    assert replies[-1].text == (
        "Signing up as host is for conversation hosts. You can sign up as a participant."
    )
    assert await signups(bot) == []
    [organisers] = await bot.send(ORGANISER, "/cafes")
    assert labels(organisers)[:2] == ["Sign up", "Sign up as host"]


async def test_invite_host_makes_a_host_who_then_sees_sign_up_as_host(bot):
    cafe = await create_cafe(bot, seats="8+2")
    [invite] = await bot.send(ORGANISER, "/invite host")
    assert "conversation host" in invite.text
    welcome, *_rest = await bot.send(LINA, "/start " + LINK.search(invite.text).group(1))
    assert welcome.text == "Welcome! Your new role: conversation host."
    [listing] = await bot.send(LINA, "/cafes")
    assert labels(listing) == ["Sign up", "Sign up as host"]
    await bot.press(LINA, listing, "Sign up as host")
    assert await signups(bot) == [(LINA.id, "host", "confirmed")]
    assert cafe.host_capacity == 2


async def test_an_organiser_makes_a_participant_host_from_the_attendee_list(bot):
    cafe = await create_cafe(bot, seats="8+2")
    await create_cafe(bot, seats="8+2", when="2026-12-15 19:00")
    amira = await bot.runtime.people.identify(AMIRA.id, AMIRA.first_name, AMIRA.language_code)
    await bot.runtime.cafes.sign_up(amira, cafe.id)
    [listing] = await bot.send(ORGANISER, "/cafes")
    replies = await bot.press_data(ORGANISER, listing, f"1|cafe_people|{cafe.id}")
    people = replies[-1]
    assert labels(people)[-1] == "Make someone a host"
    choose = (await bot.press(ORGANISER, people, "Make someone a host"))[-1]
    assert labels(choose) == ["Amira"]
    replies = await bot.press(ORGANISER, choose, "Amira")
    assert replies[-1].text == "Amira is now a conversation host."
    [told] = await bot.deliver()
    assert told.chat_id == AMIRA.id
    assert told.text == bot.runtime.translators["ar"].gettext(
        "An organiser made you a conversation host. From now on you can also sign up for "
        "language cafés as a host: see /cafes."
    )
    [again] = await bot.press(ORGANISER, choose, "Amira")
    assert again.params["text"] == "This was handled already."
    [amiras] = await bot.send(AMIRA, "/cafes")
    host = bot.runtime.translators["ar"].gettext("Sign up as host")
    assert any(host in label for label in labels(amiras))
    log = await fetchall(bot.runtime.db.reader, "SELECT action, target, reason FROM moderation_log")
    assert ("appoint", f"user:{AMIRA.id}", "host") in [tuple(row) for row in log]


async def test_a_newcomer_cannot_make_anyone_host(bot):
    cafe = await create_cafe(bot, seats="8+2")
    amira = await bot.runtime.people.identify(AMIRA.id, AMIRA.first_name, AMIRA.language_code)
    await bot.runtime.cafes.sign_up(amira, cafe.id)
    [listing] = await bot.send(LINA, "/cafes")
    for forged in (f"1|cafe_hosts|{cafe.id}", "1|cafe_mkhost|1"):
        [refused] = await bot.press_data(LINA, listing, forged)
        assert refused.params["text"] == "This button has expired."
    [listing] = await bot.send(AMIRA, "/cafes")
    assert button(listing, "cafe_cancel")  # she has her seat, and no host role
    assert not amira.is_host
