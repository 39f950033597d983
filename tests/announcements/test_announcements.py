"""An organiser announces; subscribers hear it once, in their own language; nobody else can."""

from collections import Counter

from bot.db import fetchall
from bot.local_api import LocalUser
from tests.harness import ADMIN, AMIRA, BRAM, OKSANA, TESFAY, bot_harness

ORGANISER = ADMIN
NEWS = "Praattafel on Tuesday 8 December, 19:00, Bibliotheek Tiel."


async def subscribe(bot, *users: LocalUser) -> None:
    for user in users:
        await bot.send(user, "/subscribe")


async def preview_of(bot, text: str = NEWS):
    replies = await bot.send(ORGANISER, f"/announce {text}")
    return replies[-1]


async def queued_rows(bot) -> int:
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT count(*) FROM outbox WHERE batch_id IS NOT NULL"
    )
    return rows[0][0]


async def test_preview_shows_what_recipients_see_and_how_many(bot):
    await subscribe(bot, AMIRA, BRAM, OKSANA)
    preview = await preview_of(bot)
    assert preview.text.startswith("Announcement from Praattafel Tiel:\n\n" + NEWS)
    assert preview.text.endswith("Send to 3 subscribers?")
    assert [label for label, _ in preview.buttons] == ["Send", "Cancel"]
    assert await queued_rows(bot) == 0


async def test_send_reaches_every_subscriber_once_in_their_language(bot):
    await subscribe(bot, AMIRA, BRAM, OKSANA)
    await bot.send(TESFAY, "/start")  # not subscribed: news is opt-in
    preview = await preview_of(bot)
    replies = await bot.press(ORGANISER, preview, "Send")
    assert replies[-1].text == "Sending to 3 subscribers. I will tell you when it is done."
    sent = await bot.deliver()
    by_chat = {call.chat_id: call.text for call in sent}
    assert set(by_chat) == {AMIRA.id, BRAM.id, OKSANA.id}
    for user in (AMIRA, BRAM, OKSANA):
        t = bot.runtime.translators[user.language_code]
        heading = t.gettext("Announcement from {community}:").format(
            community=t.isolate("Praattafel Tiel")
        )
        assert by_chat[user.id] == f"{heading}\n\n{NEWS}"
    assert by_chat[AMIRA.id] != by_chat[BRAM.id]


async def test_the_organiser_gets_a_summary_with_delivered_unreachable_and_failed(bot):
    await subscribe(bot, AMIRA, BRAM, OKSANA)
    bot.api.fail(
        "sendMessage",
        chat_id=BRAM.id,
        error_code=403,
        description="Forbidden: bot was blocked by the user",
    )
    bot.api.fail("sendMessage", chat_id=OKSANA.id, description="Bad Request: chat not found")
    preview = await preview_of(bot)
    await bot.press(ORGANISER, preview, "Send")
    await bot.deliver()
    progress = await bot.runtime.announcements.check_progress()
    assert [p.finished_now for p in progress] == [True]
    [summary] = await bot.deliver()
    assert summary.chat_id == ORGANISER.id
    assert summary.text.splitlines() == [
        "Your announcement has been sent.",
        "Delivered: 1",
        "Unreachable (blocked the bot): 1",
        "Failed: 1",
    ]
    assert await bot.runtime.announcements.check_progress() == []


async def test_progress_is_shown_on_long_runs(bot):
    await subscribe(bot, AMIRA, BRAM)
    preview = await preview_of(bot)
    replies = await bot.press(ORGANISER, preview, "Send")
    status = replies[-1]
    job = bot.app.job_queue.get_jobs_by_name("announcement-progress")[0]
    await job.run(bot.app)
    edit = bot.api.calls[-1]
    assert edit.method == "editMessageText"
    assert edit.params["message_id"] == status.message_id
    assert edit.text == "Sending the announcement: 0 of 2 done."


async def test_pressing_send_twice_sends_once(bot):
    await subscribe(bot, AMIRA, BRAM)
    preview = await preview_of(bot)
    await bot.press(ORGANISER, preview, "Send")
    again = await bot.press(ORGANISER, preview, "Send")
    assert again[0].params["text"] == "This announcement was handled already."
    sent = await bot.deliver()
    assert Counter(call.chat_id for call in sent) == Counter({AMIRA.id: 1, BRAM.id: 1})


async def test_the_same_update_delivered_twice_sends_once(bot):
    await subscribe(bot, AMIRA)
    preview = await preview_of(bot)
    press = bot.updates.press(ORGANISER, dict(preview.buttons)["Send"], preview)
    await bot.app.process_update(press)
    await bot.app.process_update(press)  # Telegram redelivers after a restart
    assert [call.chat_id for call in await bot.deliver()] == [AMIRA.id]


async def test_cancel_sends_nothing_and_send_afterwards_is_refused(bot):
    await subscribe(bot, AMIRA)
    preview = await preview_of(bot)
    replies = await bot.press(ORGANISER, preview, "Cancel")
    assert replies[-1].text == "Cancelled. Nothing was sent."
    refused = await bot.press(ORGANISER, preview, "Send")
    assert [call.method for call in refused] == ["answerCallbackQuery"]
    assert await bot.deliver() == []


async def test_a_newcomer_cannot_announce(bot):
    await subscribe(bot, AMIRA, BRAM)
    [reply] = await bot.send(BRAM, f"/announce {NEWS}")
    t = bot.runtime.translators["nl"]
    assert reply.text == t.gettext("Only organisers can send announcements.")
    assert await queued_rows(bot) == 0


async def test_a_forged_send_press_by_a_newcomer_sends_nothing(bot):
    await subscribe(bot, AMIRA, BRAM)
    preview = await preview_of(bot)
    draft_id = dict(preview.buttons)["Send"].split("|")[-1]
    for data in (
        f"1|ann_send|{draft_id}",
        "1|ann_send|999",
        "1|ann_send|x",
        "1|ann_cancel|" + draft_id,
    ):
        replies = await bot.press_data(BRAM, preview, data)
        assert [call.method for call in replies] == ["answerCallbackQuery"]
    assert await queued_rows(bot) == 0
    # the organiser's own draft is untouched and still works
    await bot.press(ORGANISER, preview, "Send")
    assert {call.chat_id for call in await bot.deliver()} == {AMIRA.id, BRAM.id}


async def test_an_organiser_cannot_send_another_organisers_draft(bot):
    await subscribe(bot, AMIRA)
    preview = await preview_of(bot)
    other_admin = LocalUser(2, "Other", "en")
    bot.runtime.people._admin_ids = frozenset({ADMIN.id, other_admin.id})
    replies = await bot.press(other_admin, preview, "Send")
    assert replies[0].params["text"] == "This button has expired."
    assert await queued_rows(bot) == 0


async def test_announce_then_the_text_survives_a_restart(settings):
    async with bot_harness(settings) as bot:
        await subscribe(bot, AMIRA)
        [prompt] = await bot.send(ORGANISER, "/announce")
        assert prompt.text == "Write the announcement now, in one message. /cancel stops."
    async with bot_harness(settings) as restarted:
        replies = await restarted.send(ORGANISER, "Line one\nLine two")
        assert replies[-1].text.startswith(
            "Announcement from Praattafel Tiel:\n\nLine one\nLine two"
        )
        # the text was taken: the next message is just a message again
        [stray] = await restarted.send(ORGANISER, "hello")
        assert stray.text.startswith("I did not understand that")


async def test_a_command_after_announce_ends_the_wait(bot):
    await bot.send(ORGANISER, "/announce")
    await bot.send(ORGANISER, "/help")
    [reply] = await bot.send(ORGANISER, "not an announcement")
    assert reply.text.startswith("I did not understand that")
    assert await queued_rows(bot) == 0


async def test_unsubscribed_and_unreachable_people_get_nothing(bot):
    await subscribe(bot, AMIRA, BRAM, OKSANA)
    await bot.send(OKSANA, "/unsubscribe")
    async with bot.runtime.db.transaction() as conn:
        await conn.execute("UPDATE users SET reachable = 0 WHERE id = ?", (BRAM.id,))
    preview = await preview_of(bot)
    assert preview.text.endswith("Send to 1 subscriber?")
    await bot.press(ORGANISER, preview, "Send")
    assert [call.chat_id for call in await bot.deliver()] == [AMIRA.id]


async def test_without_subscribers_there_is_nothing_to_send(bot):
    [reply] = await bot.send(ORGANISER, f"/announce {NEWS}")
    assert reply.text == "Nobody has subscribed to news yet, so there is no one to send this to."
    assert reply.buttons == []


async def test_an_overlong_announcement_is_split_not_cut(bot):
    await subscribe(bot, AMIRA)
    long_text = "\n\n".join(f"Part {n}. " + "Dutch practice tonight. " * 40 for n in range(5))
    assert len(long_text) > 4000
    preview = (await bot.send(ORGANISER, f"/announce {long_text}"))[-1]
    await bot.press(ORGANISER, preview, "Send")
    sent = await bot.deliver()
    assert len(sent) == 2 and all(len(call.text) <= 4096 for call in sent)
    assert "".join("".join(c.text for c in sent).split()).endswith("".join(long_text.split()))
