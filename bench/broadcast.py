"""Announce to N subscribers through a Bot API stand-in that enforces Telegram's rate.

The stand-in answers 429 (retry after 1 s) to any message beyond `--limit` in the last second
and takes `--latency` per call. Prints messages/s, the ratio to the limit, 429s received,
duplicates and losses. Run: `python -m bench.broadcast` (10,000 subscribers at 30/s take
about 6 minutes; `--subscribers 3000 --limit 300` gives the ratio in seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from bot.local_api import LocalBotAPI, LocalUser
from tests.harness import bot_harness

ORGANISER = LocalUser(1, "Organiser", "en")
LOCALES = ("nl", "ar", "ti", "uk")


class RateEnforcingAPI(LocalBotAPI):
    def __init__(self, limit: float, latency: float) -> None:
        super().__init__(latency=latency)
        self.limit = limit
        self.window: deque[float] = deque()
        self.too_many = 0

    async def do_request(self, url: str, method: str, request_data: Any = None, *a, **k):
        if url.endswith("/sendMessage"):
            now = time.monotonic()
            while self.window and now - self.window[0] >= 1.0:
                self.window.popleft()
            if len(self.window) >= self.limit:
                self.too_many += 1
                self.fail(
                    "sendMessage",
                    error_code=429,
                    description="Too Many Requests: retry after 1",
                    retry_after=1,
                )
            else:
                self.window.append(now)
        return await super().do_request(url, method, request_data, *a, **k)


async def broadcast(subscribers: int, limit: float, latency: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_path=Path(folder) / "bench.sqlite3", admin_ids=frozenset({ORGANISER.id})
        )
        api = RateEnforcingAPI(limit, latency)
        async with bot_harness(
            settings, clock=Clock(), api=api, messages_per_second=limit,
            per_chat_limits=True,
        ) as bot:  # fmt: skip
            people = [(10_000 + n, f"U{n}", LOCALES[n % 4]) for n in range(subscribers)]
            async with bot.runtime.db.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO users (id, first_name, locale, subscribed, created_at, updated_at)"
                    " VALUES (?, ?, ?, 1, 0, 0)",
                    people,
                )
            preview = (await bot.send(ORGANISER, "/announce Praattafel on Tuesday, 19:00"))[-1]
            queued = time.perf_counter()
            await bot.press(ORGANISER, preview, "Send")
            queued = time.perf_counter() - queued
            api.calls.clear()
            started = time.perf_counter()
            while True:
                await bot.runtime.outbox.drain()
                waiting = await bot.runtime.announcements.check_progress()
                if not waiting or waiting[0].counts.finished:
                    break
                await asyncio.sleep(0.2)  # rows waiting out a 429
            elapsed = time.perf_counter() - started
    received = Counter(call.chat_id for call in api.calls if call.method == "sendMessage")
    received.pop(ORGANISER.id, None)  # the summary
    expected = {10_000 + n for n in range(subscribers)}
    rate = sum(received.values()) / elapsed
    print(f"{'subscribers':>11} {'limit':>6} {'round trip':>10} {'enqueue':>8} {'send':>8} "
          f"{'msg/s':>7} {'ratio':>6} {'429s':>5} {'dupes':>6} {'lost':>5}")  # fmt: skip
    print(
        f"{subscribers:>11} {limit:>6.0f} {latency * 1000:>8.0f}ms {queued:>7.2f}s "
        f"{elapsed:>7.1f}s {rate:>7.1f} {rate / limit:>6.2f} {api.too_many:>5} "
        f"{sum(c - 1 for c in received.values()):>6} {len(expected - set(received)):>5}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=30.0, help="messages per second")
    parser.add_argument("--latency", type=float, default=0.15, help="API round trip, seconds")
    args = parser.parse_args()
    asyncio.run(broadcast(args.subscribers, args.limit, args.latency))


if __name__ == "__main__":
    main()
