"""The outbox: written with the change that causes it, sent at Telegram's pace, never lost."""

import asyncio
from collections import Counter

import pytest

from bot.db import Database, fetchall, fetchone
from bot.local_api import LocalBotAPI
from bot.outbox import store
from bot.outbox.store import Priority
from bot.ui import MAX_MESSAGE_CHARS
from tests.harness import bot_harness
from tests.migrating import migrations_before

BLOCKED = "Forbidden: bot was blocked by the user"


async def add_users(bot, *user_ids: int) -> None:
    async with bot.runtime.db.transaction() as conn:
        for user_id in user_ids:
            await conn.execute(
                "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (?, ?, 0, 0)",
                (user_id, f"U{user_id}"),
            )


async def enqueue(bot, recipient: int, text: str, **options) -> None:
    async with bot.runtime.db.transaction() as conn:
        await store.enqueue(conn, recipient, text, now=bot.clock.timestamp(), **options)


async def statuses(bot) -> Counter:
    rows = await fetchall(bot.runtime.db.reader, "SELECT status FROM outbox")
    return Counter(row[0] for row in rows)


async def test_a_rolled_back_change_enqueues_nothing(bot):
    with pytest.raises(RuntimeError):
        async with bot.runtime.db.transaction() as conn:
            await store.enqueue(conn, 5, "you got a seat", now=0)
            raise RuntimeError("the seat was gone after all")
    assert await statuses(bot) == Counter()
    assert await bot.deliver() == []


async def test_the_same_cause_enqueues_once(bot):
    await enqueue(bot, 5, "hello", dedupe_key="seat:1:5")
    await enqueue(bot, 5, "hello", dedupe_key="seat:1:5")
    assert [call.text for call in await bot.deliver()] == ["hello"]


async def test_direct_messages_go_before_bulk_ones(settings):
    async with bot_harness(settings, lookahead=1) as bot:
        for n in range(5):
            await enqueue(bot, 100 + n, f"news {n}", priority=Priority.BULK)
        await enqueue(bot, 200, "you got a seat")
        sent = await bot.deliver()
        assert sent[0].text == "you got a seat"
        assert [call.text for call in sent[1:]] == [f"news {n}" for n in range(5)]


async def test_a_blocked_user_is_marked_unreachable_and_their_queue_dropped(bot):
    await add_users(bot, 7, 8)
    bot.api.fail("sendMessage", chat_id=7, error_code=403, description=BLOCKED)
    await enqueue(bot, 7, "first")
    await enqueue(bot, 7, "second")
    await enqueue(bot, 8, "for someone else")
    sent = await bot.deliver()
    assert [call.chat_id for call in sent] == [8]
    row = await fetchone(bot.runtime.db.reader, "SELECT reachable FROM users WHERE id = 7")
    assert row[0] == 0
    dropped = await fetchall(
        bot.runtime.db.reader, "SELECT error FROM outbox WHERE recipient_id = 7"
    )
    assert len(dropped) == 2 and all("blocked" in row[0] for row in dropped)
    assert await statuses(bot) == Counter({"sent": 1, "dropped": 2})


async def test_a_bad_request_is_recorded_as_failed_and_not_retried(bot):
    bot.api.fail("sendMessage", chat_id=9, description="Bad Request: chat not found")
    await enqueue(bot, 9, "lost cause")
    assert await bot.deliver() == []
    bot.clock.advance(hours=1)
    assert await bot.deliver() == []
    row = await fetchone(bot.runtime.db.reader, "SELECT status, error FROM outbox")
    assert row[0] == "failed" and "chat not found" in row[1].lower()


async def test_a_network_error_is_retried_later(bot):
    bot.api.fail("sendMessage", chat_id=9, error_code=502, description="Bad Gateway")
    await enqueue(bot, 9, "try again")
    assert await bot.deliver() == []
    assert await statuses(bot) == Counter({"pending": 1})
    bot.clock.advance(seconds=10)
    assert [call.text for call in await bot.deliver()] == ["try again"]


async def test_a_storm_of_429s_delays_but_loses_and_duplicates_nothing(bot):
    recipients = list(range(300, 310))
    for recipient in recipients:
        await enqueue(bot, recipient, "news", priority=Priority.BULK)
    bot.api.fail("sendMessage", error_code=429, description="Too Many Requests", retry_after=1,
                 times=4)  # fmt: skip
    for _ in range(5):
        await bot.deliver()
        bot.clock.advance(seconds=5)
    delivered = Counter(call.chat_id for call in bot.api.sent() if call.method == "sendMessage")
    assert delivered == Counter({recipient: 1 for recipient in recipients})
    assert await statuses(bot) == Counter({"sent": 10})


async def test_an_overlong_text_arrives_in_parts_in_order_with_buttons_on_the_last(bot):
    paragraphs = [f"Paragraph {n}: " + "lorem ipsum " * 60 for n in range(15)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 2 * MAX_MESSAGE_CHARS
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "1|x"}]]}
    await enqueue(bot, 11, text, reply_markup=markup)
    sent = await bot.deliver()
    assert len(sent) == 3
    assert all(len(call.text) <= MAX_MESSAGE_CHARS for call in sent)
    assert "".join("".join(call.text for call in sent).split()) == "".join(text.split())
    assert [bool(call.buttons) for call in sent] == [False, False, True]


async def test_a_killed_sender_resumes_and_everyone_gets_the_message_once(settings):
    recipients = list(range(1000, 1060))
    async with bot_harness(settings, latency=0.02, lookahead=4) as bot:
        for recipient in recipients:
            await enqueue(bot, recipient, "café tonight", priority=Priority.BULK)
        twenty_sent = asyncio.Event()
        bot.api.listener = lambda call: len(bot.api.sent()) >= 20 and twenty_sent.set()
        sender = asyncio.create_task(bot.runtime.outbox.drain())
        await twenty_sent.wait()
        sender.cancel()  # as good as kill -9 for the queue: no clean-up runs
        with pytest.raises(asyncio.CancelledError):
            await sender
        first_run = Counter(call.chat_id for call in bot.api.sent())
        in_flight = await fetchone(
            bot.runtime.db.reader, "SELECT count(*) FROM outbox WHERE status = 'sending'"
        )
        assert 0 < in_flight[0] <= 4
    restarted_api = LocalBotAPI()
    async with bot_harness(settings, api=restarted_api) as restarted:
        await restarted.deliver()
        second_run = Counter(call.chat_id for call in restarted_api.sent())
    total = first_run + second_run
    assert set(total) == set(recipients)
    duplicates = [chat for chat, count in total.items() if count > 1]
    assert len(duplicates) <= 4  # only what was in flight at the kill
    assert all(count <= 2 for count in total.values())


async def test_one_chat_with_500_queued_does_not_hold_up_an_answer_to_someone_else(settings):
    """At Telegram's pace (one a second to one private chat) the 500 would take minutes; the
    answer to another person is claimed beside the first of them and goes out at once."""
    async with bot_harness(settings, per_chat_limits=True) as bot:
        async with bot.runtime.db.transaction() as conn:
            for n in range(500):
                await store.enqueue(conn, 7, f"notice {n}", now=bot.clock.timestamp())
            await store.enqueue(conn, 8, "your answer", now=bot.clock.timestamp())
        answered = asyncio.Event()
        bot.api.listener = lambda call: call.chat_id == 8 and answered.set()
        sender = asyncio.create_task(bot.runtime.outbox.drain())
        await answered.wait()
        sender.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sender
        before = [call.text for call in bot.api.sent()]
        assert before[-1] == "your answer"
        assert before[:-1] == [f"notice {n}" for n in range(len(before) - 1)]
        assert len(before) <= 2


async def test_a_chat_keeps_its_order_while_its_first_message_waits_for_a_retry(bot):
    bot.api.fail("sendMessage", chat_id=9, error_code=502, description="Bad Gateway")
    await enqueue(bot, 9, "one")
    await enqueue(bot, 9, "two")
    await enqueue(bot, 10, "for someone else")
    assert [call.chat_id for call in await bot.deliver()] == [10]
    bot.clock.advance(seconds=10)
    assert [call.text for call in await bot.deliver()] == ["one", "two"]


async def test_photos_and_a_document_given_as_bytes_go_in_order_with_the_text_last(bot):
    files = [
        store.Attachment("photo", "PHOTO-1"),
        store.Attachment("document", content=b"BEGIN:VCALENDAR", name="cafe.ics"),
    ]
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "1|x"}]]}
    await enqueue(bot, 7, "short caption", attachments=files, reply_markup=markup)
    await enqueue(bot, 8, "x" * 2000, attachments=files[:1], reply_markup=markup)
    sent = await bot.deliver()
    to_7 = [c for c in sent if c.chat_id == 7]
    assert [(c.method, c.text) for c in to_7] == [
        ("sendPhoto", ""),
        ("sendDocument", "short caption"),  # the text is the last file's caption
    ]
    assert to_7[0].params["photo"] == "PHOTO-1"
    assert to_7[1].files["document"] == ("cafe.ics", b"BEGIN:VCALENDAR")
    assert [c.buttons for c in to_7] == [[], [("OK", "1|x")]]
    # too long for a caption: the photo first, then the text with the buttons
    to_8 = [c for c in sent if c.chat_id == 8]
    assert [c.method for c in to_8] == ["sendPhoto", "sendMessage"]
    assert to_8[-1].buttons == [("OK", "1|x")]


def test_an_attachment_is_a_file_id_or_bytes():
    with pytest.raises(ValueError):
        store.Attachment("photo")
    with pytest.raises(ValueError):
        store.Attachment("photo", "ID", b"bytes")
    with pytest.raises(ValueError):
        store.Attachment("sticker", "ID")


async def test_a_voice_note_queued_before_the_upgrade_is_still_sent(tmp_path):
    """0015 moves the voice column of 0004 into the file columns."""
    db = Database(tmp_path / "old.sqlite3")
    await db.open()
    writer = db._require(db._writer)
    for version, _name, sql in migrations_before(lambda name, _sql: "question_files" in name):
        await writer.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    await writer.execute(
        "INSERT INTO outbox (recipient_id, priority, text, not_before, created_at, voice)"
        " VALUES (5, 0, 'caption', 0, 0, 'VOICE-OLD')"
    )
    await writer.commit()
    await db.migrate()
    async with db.transaction() as conn:
        [row] = await store.claim_due(conn, 1, 10)
    assert row.attachment == store.Attachment("voice", "VOICE-OLD")
    await db.close()
