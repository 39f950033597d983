"""An organiser writes to one café's people from its Manage card: preview with the count,
then Send; each reader gets it through the outbox in their own language."""

import json

from bot.db import fetchall
from bot.local_api import LocalUser
from tests.cafes.helpers import ORGANISER, button, create_cafe
from tests.harness import AMIRA, BRAM, OKSANA, TESFAY
from tests.tips.helpers import send_photo

WORDS = "The room changed: we meet in room 2, upstairs."
LEFT = LocalUser(210, "Left", "en")


async def identify(bot, user):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def cafe_with_people(bot):
    """Three seats taken (Arabic, Dutch, Ukrainian), Tesfay waiting, and someone who left."""
    cafe = await create_cafe(bot, seats="3")
    cafes = bot.runtime.cafes
    await cafes.sign_up(await identify(bot, LEFT), cafe.id)
    for user in (AMIRA, BRAM):
        await cafes.sign_up(await identify(bot, user), cafe.id)
    await cafes.cancel_signup(await identify(bot, LEFT), cafe.id)
    for user in (OKSANA, TESFAY):
        await cafes.sign_up(await identify(bot, user), cafe.id)
    return cafe


async def write_message(bot, text: str = WORDS):
    """Manage -> Message the people signed up -> the text; returns the preview's replies."""
    [listing] = await bot.send(ORGANISER, "/cafes")
    card = (await bot.press_data(ORGANISER, listing, button(listing, "cafe_admin")))[-1]
    replies = await bot.press(ORGANISER, card, "Message the people signed up")
    assert replies[-1].text.startswith("Write your message to the people signed up for")
    return await bot.send(ORGANISER, text)


async def test_the_message_reaches_exactly_the_people_with_a_seat_in_their_language(bot):
    await cafe_with_people(bot)
    intro, preview = await write_message(bot)
    assert intro.text == "This is how it will look:"
    assert preview.text.startswith("✉️ Message from the organisers of Praattafel december (Tuesday")
    assert WORDS in preview.text
    assert preview.text.endswith(
        "Send it to 3 people with a seat? 1 more person is on the waitlist."
    )
    assert [label for label, _ in preview.buttons] == [
        "Send",
        "Send, also to the waitlist",
        "Cancel",
    ]
    assert await bot.deliver() == []  # nothing goes before Send
    replies = await bot.press(ORGANISER, preview, "Send")
    assert replies[-1].text == "Your message is on its way to 3 people."
    sent = await bot.deliver()
    assert sorted(call.chat_id for call in sent) == [AMIRA.id, BRAM.id, OKSANA.id]
    for call in sent:
        locale = {AMIRA.id: "ar", BRAM.id: "nl", OKSANA.id: "uk"}[call.chat_id]
        intro = bot.runtime.translators[locale].gettext(
            "Message from the organisers of {title} ({when}):"
        )
        assert intro.split("{")[0] in call.text and WORDS in call.text
    # the same Send again: handled already, nothing more goes
    [again] = await bot.press(ORGANISER, preview, "Send")
    assert again.params["text"] == "This button has expired."
    assert await bot.deliver() == []
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT actor_id, action, reason FROM moderation_log"
    )
    assert (ORGANISER.id, "message_cafe", "seats: 3") in [tuple(row) for row in rows]


async def test_the_waitlist_gets_it_too_when_chosen(bot):
    await cafe_with_people(bot)
    [_intro, preview] = await write_message(bot)
    replies = await bot.press(ORGANISER, preview, "Send, also to the waitlist")
    assert replies[-1].text == "Your message is on its way to 4 people."
    sent = await bot.deliver()
    assert sorted(call.chat_id for call in sent) == [AMIRA.id, BRAM.id, TESFAY.id, OKSANA.id]


async def test_cancel_sends_nothing_and_newcomers_cannot_send(bot):
    await cafe_with_people(bot)
    [_intro, preview] = await write_message(bot)
    for forged in (button(preview, "cafe_msg_send"), "1|cafe_msg_send|1|x", "1|cafe_msg|1"):
        [refused] = await bot.press_data(LEFT, preview, forged)
        assert refused.params["text"] == "This button has expired."
    replies = await bot.press(ORGANISER, preview, "Cancel")
    assert replies[-1].text == "Cancelled. Nothing was sent."
    [expired] = await bot.press(ORGANISER, preview, "Send")
    assert expired.params["text"] == "This button has expired."
    assert await bot.deliver() == []


async def test_a_cafe_without_sign_ups_has_no_one_to_write_to(bot):
    await create_cafe(bot)
    [reply] = await write_message(bot)
    assert reply.text == (
        "Nobody has signed up for this café yet, so there is no one to send this to."
    )


async def test_a_photo_or_an_overlong_text_is_refused_and_asked_again(bot):
    await cafe_with_people(bot)
    [listing] = await bot.send(ORGANISER, "/cafes")
    card = (await bot.press_data(ORGANISER, listing, button(listing, "cafe_admin")))[-1]
    await bot.press(ORGANISER, card, "Message the people signed up")
    [refused] = await send_photo(bot, ORGANISER, "map")
    assert refused.text == "The message must be text. Write it now, or /cancel."
    [too_long] = await bot.send(ORGANISER, "x" * 3501)
    assert too_long.text.startswith("That is too long: up to 3,500 characters")
    _intro, preview = await bot.send(ORGANISER, WORDS)
    assert WORDS in preview.text


async def test_the_organisers_messages_are_in_their_data_and_erased_with_them(bot):
    await cafe_with_people(bot)
    [_intro, preview] = await write_message(bot)
    await bot.press(ORGANISER, preview, "Send")
    _summary, document = await bot.send(ORGANISER, "/mydata")
    _name, content = next(iter(document.files.values()))
    [mine] = json.loads(content)["cafe_messages_you_wrote"]
    assert (mine["text"], mine["status"], mine["recipients"]) == (WORDS, "sent", 3)
    await bot.runtime.privacy.erase(await identify(bot, ORGANISER))
    rows = await fetchall(bot.runtime.db.reader, "SELECT count(*) FROM cafe_messages")
    assert rows[0][0] == 0


async def test_a_month_after_the_cafe_the_organisers_words_are_let_go(bot):
    await cafe_with_people(bot)
    [_intro, preview] = await write_message(bot)
    await bot.press(ORGANISER, preview, "Send")
    bot.clock.advance(days=30)
    await bot.runtime.cafes.messages.forget_old()
    rows = await fetchall(bot.runtime.db.reader, "SELECT count(*) FROM cafe_messages")
    assert rows[0][0] == 1  # the café ended 23 days ago
    bot.clock.advance(days=8)
    await bot.runtime.cafes.messages.forget_old()
    rows = await fetchall(bot.runtime.db.reader, "SELECT count(*) FROM cafe_messages")
    assert rows[0][0] == 0
