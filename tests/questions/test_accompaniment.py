"""/keyperson: a key person who reads your language goes along; contacts only after both agree."""

import json

from bot.db import fetchall
from bot.local_api import LocalUser
from bot.people import store as people_store
from bot.people.roles import Role
from tests.harness import ADMIN

REQUESTER = LocalUser(880001, "Yonas", "ti")
KEY_TI = LocalUser(801, "Kidane", "ti")
KEY_TI_2 = LocalUser(802, "Kibrom", "ti")
KEY_NL = LocalUser(803, "Kees", "nl")


async def key_person(bot, user):
    await bot.runtime.people.identify(user.id, user.first_name, user.language_code)
    async with bot.runtime.db.transaction() as conn:
        await people_store.grant_role(conn, user.id, Role.KEY_PERSON, ADMIN.id, 0)


async def request(bot, note="Tuesday 10:00, huisarts Tiel"):
    [kinds] = await bot.send(REQUESTER, "/keyperson")
    await bot.press_data(REQUESTER, kinds, "1|acc_kind|gp")
    return await bot.send(REQUESTER, note)


async def test_a_request_reaches_key_persons_of_the_language_without_who_asked(bot):
    for user in (KEY_TI, KEY_TI_2, KEY_NL):
        await key_person(bot, user)
    [reply] = await request(bot)
    assert "2" in reply.text
    sent = await bot.deliver()
    assert {call.chat_id for call in sent} == {KEY_TI.id, KEY_TI_2.id}
    for call in sent:
        dumped = json.dumps(call.params, ensure_ascii=False)
        assert "Yonas" not in dumped and str(REQUESTER.id) not in dumped
        assert "Tuesday 10:00, huisarts Tiel" in call.text


async def test_contacts_are_exchanged_only_after_both_say_yes(bot):
    for user in (KEY_TI, KEY_TI_2):
        await key_person(bot, user)
    await request(bot)
    offers = {call.chat_id: call for call in await bot.deliver()}
    ti = bot.runtime.translators["ti"]
    await bot.press(KEY_TI, offers[KEY_TI.id], ti.gettext("I can go"))
    late = await bot.press(KEY_TI_2, offers[KEY_TI_2.id], ti.gettext("I can go"))
    assert late[0].params["text"] == ti.gettext("Another key person is going already. Thank you!")
    [question] = await bot.deliver()
    assert question.chat_id == REQUESTER.id
    assert "Kidane" not in question.text and str(KEY_TI.id) not in json.dumps(question.params)
    # nothing about the requester reached a key person so far
    for call in bot.api.calls:
        if call.chat_id in (KEY_TI.id, KEY_TI_2.id):
            assert str(REQUESTER.id) not in json.dumps(call.params)
    await bot.press(REQUESTER, question, ti.gettext("Yes, share our contact"))
    introductions = {call.chat_id: call for call in await bot.deliver()}
    assert set(introductions) == {REQUESTER.id, KEY_TI.id}
    assert introductions[REQUESTER.id].params["reply_markup"]["inline_keyboard"][0][0]["url"] == (
        f"tg://user?id={KEY_TI.id}"
    )
    assert introductions[KEY_TI.id].params["reply_markup"]["inline_keyboard"][0][0]["url"] == (
        f"tg://user?id={REQUESTER.id}"
    )


async def test_saying_no_tells_the_key_person_and_shares_nothing(bot):
    await key_person(bot, KEY_TI)
    await request(bot)
    [offer] = await bot.deliver()
    ti = bot.runtime.translators["ti"]
    await bot.press(KEY_TI, offer, ti.gettext("I can go"))
    [question] = await bot.deliver()
    await bot.press(REQUESTER, question, ti.gettext("No, cancel"))
    [told] = await bot.deliver()
    assert told.chat_id == KEY_TI.id and "url" not in json.dumps(told.params)
    rows = await fetchall(bot.runtime.db.reader, "SELECT status FROM accompaniments")
    assert [row[0] for row in rows] == ["cancelled"]


async def test_forged_presses_change_nothing(bot):
    await key_person(bot, KEY_TI)
    await request(bot)
    [offer] = await bot.deliver()
    newcomer = LocalUser(804, "Nosy", "ti")
    for data in ("1|acc_take|1", "1|acc_ok|1", "1|acc_no|1", "1|acc_take|x"):
        replies = await bot.press_data(newcomer, offer, data)
        assert [call.method for call in replies] == ["answerCallbackQuery"], data
    ti = bot.runtime.translators["ti"]
    await bot.press(KEY_TI, offer, ti.gettext("I can go"))
    await bot.deliver()
    # the key person cannot confirm on the requester's behalf
    replies = await bot.press_data(KEY_TI, offer, "1|acc_ok|1")
    assert [call.method for call in replies] == ["answerCallbackQuery"]
    rows = await fetchall(bot.runtime.db.reader, "SELECT status FROM accompaniments")
    assert [row[0] for row in rows] == ["accepted"]


async def test_without_key_persons_for_the_language_the_requester_is_told(bot):
    await key_person(bot, KEY_NL)
    [reply] = await request(bot)
    assert reply.text == bot.runtime.translators["ti"].gettext(
        "There is no key person for your language yet. Please ask an organiser."
    )
    assert await bot.deliver() == []


async def test_when_and_where_written_before_the_kind_is_kept_until_the_press(bot):
    await key_person(bot, KEY_TI)
    ti = bot.runtime.translators["ti"]
    [kinds] = await bot.send(REQUESTER, "/keyperson")
    [kept] = await bot.send(REQUESTER, "Tuesday 10:00")
    assert kept.text == ti.gettext(
        "I have kept what you wrote. Where should the key person go with you?"
    )
    assert [label for label, _d in kept.buttons] == [label for label, _d in kinds.buttons]
    await bot.send(REQUESTER, "huisarts Tiel")  # a second message joins it
    _summary, export = await bot.send(REQUESTER, "/mydata")  # a command: what was held goes
    assert "Tuesday 10:00" not in export.files["document"][1].decode()
    *_, prompt = await bot.press_data(REQUESTER, kinds, "1|acc_kind|gp")
    assert prompt.text == ti.gettext(
        "When and where? For example: Tuesday 10:00, huisarts in Tiel. Do not write your "
        "address or phone number: you share contacts only after you both agree."
    )  # asked again: nothing was sent with the words that went
    assert await bot.deliver() == []
    await bot.send(REQUESTER, "/keyperson")
    await bot.send(REQUESTER, "Tuesday 10:00")
    await bot.send(REQUESTER, "huisarts Tiel")
    *_, asked = await bot.press_data(REQUESTER, kept, "1|acc_kind|gp")
    assert asked.text == ti.ngettext(
        "I asked {count} key person. When one can go, I will ask you to confirm.",
        "I asked {count} key persons. When one can go, I will ask you to confirm.", 1,
    ).format(count=1)  # fmt: skip
    [offer] = await bot.deliver()
    assert "Tuesday 10:00\nhuisarts Tiel" in offer.text
    assert await bot.send(REQUESTER, "Wednesday") != []  # nothing more is held
    assert await bot.deliver() == []


async def test_a_too_long_when_and_where_before_the_kind_is_refused_and_still_waits(bot):
    await key_person(bot, KEY_TI)
    ti = bot.runtime.translators["ti"]
    await bot.send(REQUESTER, "/keyperson")
    [refused] = await bot.send(REQUESTER, "x" * 501)
    assert refused.text == ti.gettext(
        "Please write when and where in one short message (up to 500 characters)."
    )
    [kept] = await bot.send(REQUESTER, "Tuesday 10:00, huisarts Tiel")
    await bot.press_data(REQUESTER, kept, "1|acc_kind|police")
    [offer] = await bot.deliver()
    assert "Tuesday 10:00, huisarts Tiel" in offer.text and "xxx" not in offer.text
