"""Many people at once: handled side by side; one person's updates: handled in order."""

import asyncio
import threading

from bot.db import fetchone
from bot.local_api import LocalUser
from tests.cafes.helpers import create_cafe
from tests.harness import AMIRA, BRAM, OKSANA, bot_harness


async def wait_for_replies(bot, count: int) -> list:
    # A guard against hanging, not a speed requirement: speed is measured in bench/.
    for _ in range(3000):
        replies = [c for c in bot.api.calls if c.method == "sendMessage"]
        if len(replies) >= count:
            return replies
        await asyncio.sleep(0.01)
    raise AssertionError(f"only {len(replies)} of {count} replies arrived")


async def test_fifty_people_writing_at_once_are_answered_side_by_side(settings):
    # The sending budget spaces replies evenly: at 30/s and 0.1 s a round trip, only 3 are
    # ever in flight. A budget that does not hold them back shows how many are handled at once.
    async with bot_harness(settings, latency=0.1, messages_per_second=1000) as bot:
        users = [LocalUser(1000 + n, f"U{n}", "en") for n in range(50)]
        for user in users:
            await bot.app.update_queue.put(bot.updates.message(user, "/help"))
        replies = await wait_for_replies(bot, 50)
        assert {call.chat_id for call in replies} == {user.id for user in users}
        # With one-at-a-time handling this would be 1.
        assert bot.api.peak_in_flight >= 10


async def test_one_persons_messages_are_answered_in_the_order_they_were_sent(settings):
    async with bot_harness(settings, latency=0.02) as bot:
        user = LocalUser(77, "Ordered", "en")
        sequence = ["/help", "/privacy", "/frobnicate", "/language", "hello", "/help"]
        for text in sequence:
            await bot.app.update_queue.put(bot.updates.message(user, text))
        replies = await wait_for_replies(bot, len(sequence))
        firsts = [call.text.split("\n")[0] for call in replies]
        assert firsts == [
            "This is what you can do:",
            "🔒 Your privacy",
            "I do not know that command. Type /help to see what I can do.",
            "Which language do you want me to use?",
            "I did not understand that. Type /help to see what I can do.",
            "This is what you can do:",
        ]


async def test_while_a_slow_read_runs_others_still_get_their_cafes_and_help(bot):
    """A read that does not finish (a search, a background scan, held by the test) occupies
    one reader connection; everyone else's reads go to the others."""
    release = threading.Event()
    held = bot.runtime.db.reader
    await held.create_function("held", 0, lambda: release.wait() and 1)
    slow = asyncio.create_task(fetchone(held, "SELECT held()"))
    await asyncio.sleep(0)  # the task hands its query to the reader's thread
    try:
        for user, command in ((BRAM, "/cafes"), (AMIRA, "/help"), (OKSANA, "/cafes")):
            # A guard against hanging behind the held read, not a speed requirement.
            assert await asyncio.wait_for(bot.send(user, command), 60)
        assert not slow.done()
    finally:
        release.set()
    await slow


async def test_with_every_reader_thread_held_a_known_person_still_gets_cafes_and_help(bot):
    """Who is writing and what cafés are coming are read on the loop's own thread: even with
    each reader of the pool busy (searches, scans), /cafes and /help are answered."""
    await bot.send(BRAM, "/start")  # known from now on: identifying him writes nothing
    await create_cafe(bot)
    release = threading.Event()
    pool = bot.runtime.db._readers
    held = []
    for reader in pool:
        await reader.create_function("held", 0, lambda: release.wait() and 1)
        held.append(asyncio.create_task(fetchone(reader, "SELECT held()")))
    await asyncio.sleep(0.05)  # each task hands its query to its reader's thread
    try:
        # A guard against hanging behind the held reads, not a speed requirement.
        [listing] = await asyncio.wait_for(bot.send(BRAM, "/cafes"), 60)
        assert "Bibliotheek Tiel" in listing.text
        assert await asyncio.wait_for(bot.send(BRAM, "/help"), 60)
        assert not any(task.done() for task in held)
    finally:
        release.set()
    await asyncio.gather(*held)
