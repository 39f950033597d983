"""Roles travel by one-time invite links: valid for 7 days, used once, only what you may give."""

import re

from bot.local_api import LocalUser
from bot.people import store
from bot.people.roles import Role
from tests.harness import ADMIN, AMIRA, BRAM

ORGANISER = LocalUser(10, "Olga", "en")
LINK = re.compile(r"https://t\.me/landgenoot_bot\?start=(inv_[A-Za-z0-9_-]+)")


def link_in(text: str) -> str:
    match = LINK.search(text)
    assert match, text
    return match.group(1)


async def roles_of(bot, user: LocalUser) -> frozenset[Role]:
    stored = await store.get_user(bot.runtime.db.reader, user.id)
    return stored.roles if stored else frozenset()


async def make_organiser(bot) -> None:
    [reply] = await bot.send(ADMIN, "/invite organiser")
    await bot.send(ORGANISER, f"/start {link_in(reply.text)}")


async def test_an_admin_invites_an_organiser_who_gets_the_role_and_the_admin_is_told(bot):
    await bot.send(ADMIN, "/start")
    [reply] = await bot.send(ADMIN, "/invite organiser")
    assert "organiser" in reply.text and "7" not in reply.text.split("\n")[0]
    replies = await bot.send(ORGANISER, f"/start {link_in(reply.text)}")
    assert replies[0].text == "Welcome! Your new role: organiser."
    assert await roles_of(bot, ORGANISER) == {Role.ORGANISER}
    [told] = await bot.deliver()
    assert told.chat_id == ADMIN.id
    assert told.text == "Olga opened your invite. Their new role: organiser."


async def test_an_invite_works_once(bot):
    await make_organiser(bot)
    [reply] = await bot.send(ORGANISER, "/invite helper")
    token = link_in(reply.text)
    await bot.send(AMIRA, f"/start {token}")
    [second] = (await bot.send(BRAM, f"/start {token}"))[:1]
    assert second.text != ""
    assert await roles_of(bot, AMIRA) == {Role.HELPER}
    assert await roles_of(bot, BRAM) == frozenset()
    _ = bot.runtime.translators["nl"].gettext
    assert second.text == _("This invite link has been used already. Ask for a new one.")


async def test_an_invite_expires_after_seven_days(bot):
    await make_organiser(bot)
    [reply] = await bot.send(ORGANISER, "/invite key_person")
    bot.clock.advance(days=7, seconds=1)
    [expired, _greeting] = await bot.send(BRAM, f"/start {link_in(reply.text)}")
    _ = bot.runtime.translators["nl"].gettext
    assert expired.text == _("This invite link has expired. Ask for a new one.")
    assert await roles_of(bot, BRAM) == frozenset()


async def test_an_invite_still_works_on_day_six(bot):
    await make_organiser(bot)
    [reply] = await bot.send(ORGANISER, "/invite keyperson")
    bot.clock.advance(days=6)
    await bot.send(BRAM, f"/start {link_in(reply.text)}")
    assert await roles_of(bot, BRAM) == {Role.KEY_PERSON}


async def test_an_organiser_cannot_invite_an_organiser(bot):
    await make_organiser(bot)
    [reply] = await bot.send(ORGANISER, "/invite organiser")
    assert not LINK.search(reply.text)
    assert reply.text == (
        "Which role? Send one of these:\n/invite helper — helper\n"
        "/invite host — conversation host\n/invite key_person — key person"
    )


async def test_a_newcomer_cannot_invite_anyone(bot):
    [reply] = await bot.send(BRAM, "/invite helper")
    _ = bot.runtime.translators["nl"].gettext
    assert reply.text == _("Only organisers can invite people.")


async def test_an_unknown_role_gets_the_list_of_roles(bot):
    [reply] = await bot.send(ADMIN, "/invite emperor")
    assert "/invite organiser — organiser" in reply.text and "/invite helper" in reply.text


async def test_invite_without_a_role_offers_buttons_and_a_press_makes_the_link(bot):
    await make_organiser(bot)
    [menu] = await bot.send(ORGANISER, "/invite")
    assert [label for label, _ in menu.buttons] == ["helper", "conversation host", "key person"]
    _answer, edited = await bot.press(ORGANISER, menu, "helper")
    assert LINK.search(edited.text)


async def test_a_forged_invite_press_by_a_newcomer_makes_no_link(bot):
    await make_organiser(bot)
    [menu] = await bot.send(ORGANISER, "/invite")
    for data in ["1|invite|organiser", "1|invite|helper", "1|invite|"]:
        replies = await bot.press_data(BRAM, menu, data)
        assert [call.method for call in replies] == ["answerCallbackQuery"]
        assert not any(LINK.search(call.text) for call in replies)
    # an organiser forging the admin-only role is refused too
    replies = await bot.press_data(ORGANISER, menu, "1|invite|organiser")
    assert [call.method for call in replies] == ["answerCallbackQuery"]
    assert replies[0].params["text"] == "This button has expired."


async def test_an_invented_token_is_not_valid(bot):
    [reply, _greeting] = await bot.send(BRAM, "/start inv_madeup")
    _ = bot.runtime.translators["nl"].gettext
    assert reply.text == _("This link is not valid.")


async def test_roles_are_shown_to_organisers_only(bot):
    await make_organiser(bot)
    [listing] = await bot.send(ORGANISER, "/roles")
    assert "Olga — organiser" in listing.text and "Ada — admin" in listing.text
    [refused] = await bot.send(BRAM, "/roles")
    _ = bot.runtime.translators["nl"].gettext
    assert refused.text == _("Only organisers can see who has which role.")
    assert "Olga" not in refused.text
