"""SIGTERM in the middle of an announcement: the bot stops in time and loses nothing.

The real `python -m bot run` announces to 150 subscribers through the Bot API stand-in, is
stopped part-way, and started again. Every subscriber must get the announcement exactly once.
"""

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter

from bot import ui
from bot.announcements.handlers import SEND
from bot.db import Database
from tests.fake_telegram import FakeTelegram
from tests.ops.helpers import ROOT, message_update, press_update, start_bot, wait_for

ORGANISER = 1
SUBSCRIBERS = range(10_000, 10_150)
DEADLINE = 10.0  # Docker's grace period before SIGKILL


def seed_subscribers(path) -> None:
    async def seed() -> None:
        async with Database(path) as db:
            await db.migrate()
            async with db.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO users (id, first_name, locale, subscribed, created_at, updated_at)"
                    " VALUES (?, ?, 'nl', 1, 0, 0)",
                    [(user_id, f"U{user_id}") for user_id in SUBSCRIBERS],
                )

    asyncio.run(seed())


def announce_and_send() -> list[dict]:
    """The organiser writes an announcement and presses Send (the first draft has id 1)."""
    return [
        message_update(1, ORGANISER, "/announce Praattafel on Tuesday", "Ada", "en"),
        press_update(2, ORGANISER, ui.encode(SEND, 1)),
    ]


def delivered(telegram: FakeTelegram) -> Counter:
    return Counter(
        int(m["chat_id"]) for m in telegram.sent("sendMessage") if int(m["chat_id"]) in SUBSCRIBERS
    )


def outbox_statuses(path) -> Counter:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT status, count(*) FROM outbox WHERE recipient_id >= 10000 GROUP BY status"
        ).fetchall()
    return Counter(dict(rows))


def finish_after_restart(tmp_path, telegram: FakeTelegram) -> None:
    telegram.set_updates([])  # the announcement was taken already; nothing new comes in
    bot = start_bot(tmp_path, telegram, ADMIN_IDS=str(ORGANISER))
    try:
        wait_for(lambda: len(delivered(telegram)) == len(SUBSCRIBERS), "the rest to go out")
        wait_for(lambda: bot.health().json()["outbox_backlog"] == 0, "the outbox to be empty")
    finally:
        bot.terminate()
    assert bot.process.returncode == 0, bot.stderr


def test_sigterm_during_an_announcement_loses_nothing(tmp_path):
    database = tmp_path / "db.sqlite3"
    seed_subscribers(database)
    with FakeTelegram(announce_and_send()) as telegram:
        bot = start_bot(tmp_path, telegram, ADMIN_IDS=str(ORGANISER))
        wait_for(lambda: len(delivered(telegram)) >= 30, "the announcement to be under way")
        took = bot.terminate()
        assert bot.process.returncode == 0, bot.stderr
        assert took < DEADLINE, f"stopping took {took:.1f} s"

        # Stopped part-way, and consistent: every message Telegram took is marked sent, none
        # is left in flight, the rest waits.
        statuses = outbox_statuses(database)
        got = delivered(telegram)
        assert statuses["sent"] == len(got) < len(SUBSCRIBERS), (statuses, len(got))
        assert statuses["sending"] == 0
        assert statuses["pending"] == len(SUBSCRIBERS) - len(got)

        finish_after_restart(tmp_path, telegram)
        assert delivered(telegram) == Counter({user_id: 1 for user_id in SUBSCRIBERS})
    assert outbox_statuses(database) == Counter({"sent": len(SUBSCRIBERS)})


def test_sigterm_while_telegram_makes_us_wait_still_stops_in_time(tmp_path):
    """A flood wait (429, retry after 30 s) holds the sends in flight: the outbox is cut off
    within the deadline, and what it was sending goes out after the restart."""
    database = tmp_path / "db.sqlite3"
    seed_subscribers(database)
    with FakeTelegram(announce_and_send()) as telegram:
        bot = start_bot(tmp_path, telegram, ADMIN_IDS=str(ORGANISER))
        wait_for(lambda: len(delivered(telegram)) >= 20, "the announcement to be under way")
        telegram.refuse("sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30)
        wait_for(lambda: outbox_statuses(database)["sending"] > 0, "sends to be held up")
        took = bot.terminate()
        assert bot.process.returncode == 0, bot.stderr
        assert took < DEADLINE, f"stopping took {took:.1f} s"
        assert "outbox sender did not finish" in bot.stderr

        statuses = outbox_statuses(database)
        assert statuses["sent"] == len(delivered(telegram))
        assert statuses["sent"] + statuses["sending"] + statuses["pending"] == len(SUBSCRIBERS)

        telegram.allow("sendMessage")
        finish_after_restart(tmp_path, telegram)
        assert delivered(telegram) == Counter({user_id: 1 for user_id in SUBSCRIBERS})
    assert outbox_statuses(database) == Counter({"sent": len(SUBSCRIBERS)})


HANGING_SHUTDOWN = """
import asyncio, os, signal, sys, time
from bot import logs, shutdown
logs.configure()
shutdown.DEADLINE_SECONDS = float(sys.argv[1])
loop = asyncio.new_event_loop()
shutdown.install(loop)

async def serve():
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.sleep(5)

try:
    loop.run_until_complete(serve())
except SystemExit:
    if sys.argv[2] == "again":
        os.kill(os.getpid(), signal.SIGINT)
        loop.run_until_complete(asyncio.sleep(5))
    time.sleep(30)  # a stopping step that hangs
"""


def run_hanging_shutdown(deadline: str, then: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", HANGING_SHUTDOWN, deadline, then],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, time.monotonic() - started


def test_a_stop_that_hangs_is_ended_at_the_deadline():
    result, took = run_hanging_shutdown("1.0", "wait")
    assert result.returncode == 1
    assert "SIGTERM: stopping" in result.stderr
    assert "still not stopped 1 s after SIGTERM: exiting now" in result.stderr
    assert took < 30


def test_a_second_signal_stops_at_once():
    result, took = run_hanging_shutdown("60", "again")
    assert result.returncode == 1
    assert "SIGINT again while stopping: exiting now" in result.stderr
    assert took < 30
