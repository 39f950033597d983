"""How long /deleteme takes at the benchmark size, with a month of sent messages in the outbox.

Seeds a community at `--scale` (200: 10,000 people, 50,000 questions, 20,000 tips), adds
`--messages-per-person` outbox rows per person (a month of notices, kept 30 days), a third of
them about someone else (a relayed question or answer, an introduction), then erases
`--people` seeded people one after another through `PrivacyService.erase` (every forgetter,
the deletes by reference, FTS compaction and the WAL checkpoint) and prints the wall and CPU
time of each, p50 and max, and what the outbox held.

Run: `python -m bench.erasure [--scale 200]`. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.app import build_application, running, runtime_of
from bot.config import Settings
from bot.db import fetchone
from bot.local_api import LocalBotAPI
from bot.seed import BENCHMARK_SCALE, seed, user_id


async def fill_outbox(runtime, people: int, per_person: int, rng: random.Random) -> int:
    """Sent messages of the last days: young enough that the retention job keeps them."""
    now = int(time.time())
    rows = []
    about = []
    next_id = 1
    for recipient in range(people):
        for n in range(per_person):
            rows.append((next_id, user_id(recipient), f"A notice number {n}", now - n * 3600))
            if n % 3 == 0:
                about.append((next_id, user_id(rng.randrange(people))))
            next_id += 1
    async with runtime.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO outbox (id, recipient_id, priority, text, status, not_before,"
            " created_at, finished_at) VALUES (?, ?, 0, ?, 'sent', ?, ?, ?)",
            [(i, r, text, t, t, t) for i, r, text, t in rows],
        )
        await conn.executemany(
            "INSERT OR IGNORE INTO outbox_about (outbox_id, user_id) VALUES (?, ?)", about
        )
    await runtime.db.checkpoint()
    return len(rows)


async def main(scale: int, per_person: int, erased: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        seeded = await seed(path, scale)
        people = seeded.sizes.users
        settings = Settings(database_path=path, admin_ids=frozenset({1}))
        app = build_application(
            settings, request=LocalBotAPI(), outbox_options={"background": False}
        )
        async with running(app):
            runtime = runtime_of(app)
            messages = await fill_outbox(runtime, people, per_person, random.Random(7))
            walls, cpus = [], []
            for n in range(erased):
                person = await runtime.people.identify(user_id(n * 37 % people), "X", "en")
                wall, cpu = time.perf_counter(), time.process_time()
                await runtime.privacy.erase(person)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            left = (await fetchone(runtime.db.reader, "SELECT count(*) FROM outbox"))[0]
    print(f"scale {scale}: {people:,} people, {messages:,} outbox rows ({left:,} after)")
    print(f"erase one person ({erased} people): wall p50 {statistics.median(walls):.1f} ms,"
          f" max {max(walls):.1f} ms; CPU p50 {statistics.median(cpus):.1f} ms,"
          f" max {max(cpus):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=BENCHMARK_SCALE)
    parser.add_argument("--messages-per-person", type=int, default=10)
    parser.add_argument("--people", type=int, default=20)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.scale, arguments.messages_per_person, arguments.people))
