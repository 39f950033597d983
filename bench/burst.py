"""How long do N people who write at the same moment wait, with a slow Bot API round trip?

Prints the time until the last of them has a reply, beside two floors: Telegram's 30 messages
per second, and handling one update at a time (N x round trip). Run: `python -m bench.burst`.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.config import Settings
from bot.local_api import ApiCall, LocalUser
from tests.harness import bot_harness

TELEGRAM_RATE = 30.0


async def burst(users: int, latency: float, text: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_path=Path(folder) / "bench.sqlite3")
        async with bot_harness(settings, latency=latency) as bot:
            people = [LocalUser(10_000 + n, f"U{n}", "en") for n in range(users)]
            for person in people:  # identify them first: a burst of regulars, not of strangers
                await bot.app.process_update(bot.updates.message(person, "/help"))
            replies = 0
            everyone_answered = asyncio.Event()

            def count(call: ApiCall) -> None:
                nonlocal replies
                replies += call.method == "sendMessage"
                if replies == users:
                    everyone_answered.set()

            bot.api.listener = count
            started = time.perf_counter()
            for person in people:
                await bot.app.update_queue.put(bot.updates.message(person, text))
            await everyone_answered.wait()
            return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.1, help="API round trip, seconds")
    args = parser.parse_args()
    elapsed = asyncio.run(burst(args.users, args.latency, "/help"))
    rate_floor = max(0.0, (args.users - TELEGRAM_RATE) / TELEGRAM_RATE) + args.latency
    serial = args.users * args.latency
    print(f"{'users':>6} {'round trip':>11} {'last reply':>11} {'30/s floor':>11} {'serial':>8}")
    print(
        f"{args.users:>6} {args.latency * 1000:>9.0f}ms {elapsed:>10.2f}s "
        f"{rate_floor:>10.2f}s {serial:>7.1f}s"
    )


if __name__ == "__main__":
    main()
