"""Bursts: one sending budget for replies, edits and the outbox; a reply is never lost to a 429.

The stand-in (tests/flood_control.py) refuses every message past 30 in a strict one-second
window, as Telegram does. bench/burst.py runs the full-size version (300 people) and prints how
long it takes.
"""

import asyncio
from collections import Counter

from telegram.error import Forbidden

from bot import shutdown
from bot.db import fetchall, fetchone
from bot.local_api import LocalUser
from bot.outbox import store
from bot.outbox.store import Priority
from bot.sending_budget import HandedToOutbox
from tests.flood_control import FloodControlAPI
from tests.harness import bot_harness

PEOPLE = [LocalUser(10_000 + n, f"U{n}", "en") for n in range(30)]
BLOCKED = "Forbidden: bot was blocked by the user"


async def burst(settings, api: FloodControlAPI, messages_per_second: float) -> Counter:
    """Everyone writes /start and /help at the same moment; returns the replies per person."""
    async with bot_harness(
        settings, api=api, messages_per_second=messages_per_second, per_chat_limits=True
    ) as bot:
        updates = [
            bot.app.process_update(bot.updates.message(person, text))
            for person in PEOPLE
            for text in ("/start", "/help")
        ]
        await asyncio.gather(*updates)
    return Counter(call.chat_id for call in api.calls if call.method == "sendMessage")


async def test_a_burst_within_the_budget_gets_every_reply_without_a_single_429(settings):
    api = FloodControlAPI(latency=0.01)
    replies = await burst(settings, api, messages_per_second=30)
    assert replies == Counter({person.id: 2 for person in PEOPLE})
    assert api.refused == 0


async def test_a_burst_that_telegram_refuses_still_gets_every_reply_exactly_once(settings):
    """The budget thinks 90/s is fine; Telegram answers 429 to a third of it. Each refused reply
    is tried again after the wait: nothing is lost, nothing arrives twice."""
    api = FloodControlAPI(latency=0.01)
    replies = await burst(settings, api, messages_per_second=90)
    assert api.refused > 0
    assert replies == Counter({person.id: 2 for person in PEOPLE})


async def test_a_reply_refused_twice_with_429_arrives_once(bot):
    bot.api.fail("sendMessage", error_code=429, description="Too Many Requests", retry_after=1,
                 times=2)  # fmt: skip
    replies = await bot.send(PEOPLE[0], "/help")
    assert len(replies) == 1 and "/ask" in replies[0].text


async def test_a_reply_that_cannot_wait_before_the_bot_stops_goes_out_after_the_restart(
    settings, monkeypatch
):
    """Stopping, with 2 s left and a 30 s flood wait: the outbox takes the reply over."""
    async with bot_harness(settings) as bot:
        monkeypatch.setattr(shutdown, "elapsed", lambda: 7.0)
        monkeypatch.setattr(shutdown, "budget", lambda default=5.0: 2.0)
        bot.api.fail("sendMessage", error_code=429, description="Too Many", retry_after=30)
        assert await bot.send(PEOPLE[0], "/help") == []  # no apology either
        assert [type(error) for error in bot.errors] == [HandedToOutbox]
        bot.errors.clear()
        monkeypatch.undo()
    async with bot_harness(settings) as restarted:
        [later] = await restarted.deliver()
        assert later.chat_id == PEOPLE[0].id and "/ask" in later.text
        assert await restarted.deliver() == []


async def test_someone_who_blocks_the_bot_mid_answer_is_marked_unreachable_without_an_apology(
    bot, caplog
):
    person = PEOPLE[0]
    await bot.send(person, "/start")
    bot.api.fail("sendMessage", chat_id=person.id, error_code=403, description=BLOCKED)
    mark = len(bot.api.calls)
    with caplog.at_level("INFO"):
        await bot.send(person, "/help")
    assert [type(error) for error in bot.errors] == [Forbidden]
    bot.errors.clear()
    assert [c for c in bot.api.calls[mark:] if c.method == "sendMessage"] == []  # no apology
    row = await fetchone(bot.runtime.db.reader, "SELECT reachable FROM users WHERE id = ?",
                         (person.id,))  # fmt: skip
    assert row[0] == 0
    failures = [r for r in caplog.records if "blocked the bot" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is None
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    # Writing again means they unblocked it.
    assert len(await bot.send(person, "/help")) == 1
    rows = await fetchall(bot.runtime.db.reader, "SELECT reachable FROM users WHERE id = ?",
                          (person.id,))  # fmt: skip
    assert rows[0][0] == 1


async def test_a_reply_goes_before_an_announcement_that_is_being_sent(settings):
    """60 bulk messages wait for the budget (32 of them already in line); a reply jumps the
    line instead of waiting behind them."""
    async with bot_harness(settings) as bot:
        async with bot.runtime.db.transaction() as conn:
            for n in range(60):
                await store.enqueue(
                    conn, 20_000 + n, "news", now=bot.clock.timestamp(), priority=Priority.BULK
                )
        started = asyncio.Event()
        bot.api.listener = lambda call: len(bot.api.sent()) >= 3 and started.set()
        sender = asyncio.create_task(bot.runtime.outbox.drain())
        await started.wait()
        assert len(await bot.send(PEOPLE[0], "/help")) == 1
        await sender
        order = [call.chat_id for call in bot.api.sent()]
        assert len(order) == 61
        assert order.index(PEOPLE[0].id) < 32
