"""Odd and hostile updates get a clear answer, never an apology: absurd ids, double taps,
presses on deleted messages, a reported text as long as Telegram allows."""

import pytest

from bot.db import fetchall
from bot.local_api import ApiCall
from bot.moderation import store as moderation_store
from bot.moderation.service import Content
from tests.harness import ADMIN, AMIRA, BRAM

ABSURD = "9" * 30  # past SQLite's integers: int() reads it, the store cannot
ARABIC_DIGITS = "١٢"  # str.isdigit() and int() accept them; no button of ours has them
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@pytest.mark.parametrize(
    "payload", [f"cafe_{ABSURD}", f"in_{ABSURD}_token", f"cafe_{ARABIC_DIGITS}", f"inv_{ABSURD}"]
)
async def test_a_deep_link_with_an_absurd_number_is_not_valid(bot, payload):
    await bot.send(BRAM, "/start")
    replies = await bot.send(BRAM, f"/start {payload}")
    t = bot.runtime.translators["nl"]
    assert replies[0].text == t.gettext("This link is not valid.")  # then the welcome


@pytest.mark.parametrize(
    "data",
    [
        f"1|cafe_cancel|{ABSURD}",
        f"1|cafe_admin|{ABSURD}",
        f"1|q_solved|{ABSURD}",
        f"1|q_keep|{ABSURD}|1",
        f"1|tip_edit|{ABSURD}",
        f"1|tip_del|{ABSURD}",
        f"1|mod|hide|{ABSURD}",
        f"1|modfull|{ABSURD}",
        f"1|unban|{ABSURD}",
        f"1|report|question|{ABSURD}",
        f"1|cafe_cancel|{ARABIC_DIGITS}",
    ],
)
async def test_a_forged_press_with_an_absurd_id_is_an_expired_button(bot, data):
    [welcome] = await bot.send(ADMIN, "/start")
    answers = await bot.press_data(ADMIN, welcome, data)
    t = bot.runtime.translators["en"]
    assert [call.params.get("text") for call in answers] == [t.gettext("This button has expired.")]


async def pick_language(bot, user) -> tuple[ApiCall, str]:
    [welcome] = await bot.send(user, "/start")
    data = dict(welcome.buttons)["English"]
    return welcome, data


async def test_a_double_tap_on_a_button_that_edits_its_message_changes_nothing(bot):
    welcome, data = await pick_language(bot, AMIRA)
    await bot.press_data(AMIRA, welcome, data)
    bot.api.fail("editMessageText", description=NOT_MODIFIED)
    mark = len(bot.api.calls)
    await bot.press_data(AMIRA, welcome, data)
    after = [c.method for c in bot.api.calls[mark:]]
    assert "answerCallbackQuery" in after  # the spinner stops
    assert "sendMessage" not in after  # no apology, and nothing new: it is on the screen


async def test_a_press_on_a_deleted_message_gets_its_answer_as_a_new_message(bot):
    welcome, data = await pick_language(bot, AMIRA)
    bot.api.fail("editMessageText", description="Bad Request: message to edit not found")
    replies = await bot.press_data(AMIRA, welcome, data)
    sent = [call for call in replies if call.method == "sendMessage"]
    assert sent and sent[0].text.startswith("I will write to you in English.")


async def test_a_press_on_an_inaccessible_message_gets_its_answer_as_a_new_message(bot):
    welcome, data = await pick_language(bot, AMIRA)
    update = bot.updates.press(AMIRA, data, welcome)
    payload = update.to_dict()
    payload["callback_query"]["message"] = {
        "message_id": welcome.message_id,
        "date": 0,  # how Telegram marks a message the bot can no longer see
        "chat": {"id": AMIRA.id, "type": "private", "first_name": AMIRA.first_name},
    }
    forged = type(update).de_json(payload, bot.app.bot)
    mark = len(bot.api.calls)
    await bot.app.process_update(forged)
    sent = [c for c in bot.api.calls[mark:] if c.method == "sendMessage"]
    assert sent and sent[0].text.startswith("I will write to you in English.")
    assert not [c for c in bot.api.calls[mark:] if c.method.startswith("edit")]


async def report_long_texts(bot, *texts: str) -> None:
    """Reports on answers the test makes up: as long as the test wants."""
    contents = dict(enumerate(texts, start=1))

    async def load(conn, target_id: int) -> Content | None:
        text = contents.get(target_id)
        return Content(text, None) if text is not None else None

    async def hide(conn, target_id: int) -> None:
        contents.pop(target_id, None)

    bot.runtime.moderation.register("answer", load, hide)  # in place of the real answers
    await bot.send(BRAM, "/start")
    async with bot.runtime.db.transaction() as conn:
        for target_id in contents:
            await moderation_store.insert_report(conn, "answer", target_id, BRAM.id, 0)


async def test_a_reported_text_of_4096_characters_is_shortened_and_can_be_read_whole(bot):
    long_text = ("Koop goedkope horloges bij mij. " * 200)[:4096]
    await report_long_texts(bot, long_text)
    [queued] = await bot.send(ADMIN, "/moderation")
    assert len(queued.text) <= 4096 and queued.text.endswith("…")
    t = bot.runtime.translators["en"]
    whole = await bot.press(ADMIN, queued, t.gettext("Read it in full"))
    parts = [call.text for call in whole if call.method == "sendMessage"]
    assert "".join(parts) == long_text
    assert t.gettext("Hide") in dict(queued.buttons)  # the decision is still a press away


async def test_one_report_that_cannot_be_shown_does_not_stop_the_list(bot):
    await report_long_texts(bot, "first", "second")
    bot.api.fail("sendMessage", chat_id=ADMIN.id, description="Bad Request: something odd")
    shown = await bot.send(ADMIN, "/moderation")
    t = bot.runtime.translators["en"]
    assert shown[0].text.endswith("second") or shown[0].text.endswith("first")
    assert shown[-1].text == t.ngettext(
        "{count} report could not be shown. Try /moderation again later.",
        "{count} reports could not be shown. Try /moderation again later.",
        1,
    ).format(count=1)
    assert len(shown) == 2
    rows = await fetchall(bot.runtime.db.reader, "SELECT count(*) FROM reports")
    assert rows[0][0] == 2  # nothing decided by the failure
