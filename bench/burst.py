"""300 people write /start and /help at the same moment: does everyone get both replies, and how
long until the last one, against a Telegram stand-in that answers 429 past 30 messages/s?

The stand-in (tests/flood_control.py) counts every message and edit in a strict one-second
window, with a real round trip. Prints the failed updates, the people short of a reply, the
429s, and the time until the last reply beside what 30/s allows (the floor).
Run: `python -m bench.burst [--users 300] [--latency 0.15]`.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.app import build_application, running
from bot.clock import Clock
from bot.config import Settings
from bot.local_api import ApiCall, LocalUser, UpdateFactory
from tests.flood_control import TELEGRAM_RATE, FloodControlAPI

TEXTS = ("/start", "/help")


@dataclass(frozen=True)
class Burst:
    users: int
    seconds: float  # from the first update until the last reply
    failed_updates: int
    short_of_replies: int  # people who got fewer replies than they sent updates
    too_many: int  # 429s the stand-in gave
    replies: int
    cpu: float  # seconds of this process's CPU time during the burst

    @property
    def floor(self) -> float:
        """The time 30 messages a second needs for these replies (the first second is free)."""
        return max(0.0, (self.replies - TELEGRAM_RATE) / TELEGRAM_RATE)


async def burst(users: int, latency: float, folder: Path, *, per_chat_limits: bool = True) -> Burst:
    """The whole bot (the Application, the sending budget, the store) through the stand-in."""
    api = FloodControlAPI(latency=latency)
    app = build_application(
        Settings(database_path=folder / "burst.sqlite3"),
        request=api,
        clock=Clock(),
        per_chat_limits=per_chat_limits,
    )
    failures: list[BaseException] = []

    async def count_failure(update: object, context) -> None:
        failures.append(context.error)
        check_done()

    app.add_error_handler(count_failure)
    people = [LocalUser(10_000 + n, f"U{n}", "en") for n in range(users)]
    expected = len(TEXTS) * users
    replies: Counter[int] = Counter()
    done = asyncio.Event()  # every update answered, or failed (a failed one sends no reply)

    def check_done() -> None:
        if replies.total() + len(failures) >= expected:
            done.set()

    def note(call: ApiCall) -> None:
        if call.method == "sendMessage" and call.chat_id in ids:
            replies[call.chat_id] += 1
            check_done()

    ids = {person.id for person in people}
    async with running(app):
        updates = UpdateFactory(app.bot)
        api.listener = note
        started, cpu = time.perf_counter(), time.process_time()
        for person in people:
            for text in TEXTS:
                await app.update_queue.put(updates.message(person, text))
        await done.wait()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Burst(
        users=users,
        seconds=seconds,
        failed_updates=len(failures),
        short_of_replies=sum(1 for person in people if replies[person.id] < len(TEXTS)),
        too_many=api.refused,
        replies=replies.total(),
        cpu=cpu,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.15, help="API round trip, seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result = asyncio.run(burst(args.users, args.latency, Path(folder)))
    print(
        f"{'people':>6} {'updates':>7} {'round trip':>10} {'failed':>6} {'short':>5} "
        f"{'429s':>5} {'last reply':>10} {'30/s floor':>10} {'ratio':>6} {'bot CPU':>8}"
    )
    print(
        f"{result.users:>6} {result.users * len(TEXTS):>7} {args.latency * 1000:>8.0f}ms "
        f"{result.failed_updates:>6} {result.short_of_replies:>5} {result.too_many:>5} "
        f"{result.seconds:>9.2f}s {result.floor:>9.2f}s {result.seconds / result.floor:>6.2f} "
        f"{result.cpu:>7.2f}s"
    )


if __name__ == "__main__":
    main()
