"""How long the daily retention pass holds SQLite's writer, so that everyone else's writes wait.

Seeds a community at `--scale` (or copies `--database`), then runs `PrivacyService.
apply_retention` twice through the real Application: today (at the seeded size little or
nothing is due), and a year later, when every closed question that was not shared is due at
once (a bot that was off for months, or a first pass in a big community). Meanwhile a probe
writes one row every 5 ms, as people signing up would; it prints how long the pass took, what
it forgot, and the longest and p99 wait of the probe's writes.

Run: `python -m bench.retention [--scale 2000]` (10x the benchmark size: 500,000 questions).
A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.app import build_application, running, runtime_of
from bot.clock import ManualClock
from bot.config import Settings
from bot.local_api import LocalBotAPI
from bot.seed import BENCHMARK_SCALE, seed

PROBE_EVERY = 0.005  # seconds between two of the probe's writes


async def pass_beside_a_probe(runtime) -> tuple[float, dict[str, int], list[float]]:
    """(milliseconds the pass took, what it forgot, milliseconds each probe write took)."""
    waits: list[float] = []
    stop = asyncio.Event()

    async def probe() -> None:
        while not stop.is_set():
            begun = time.perf_counter()
            async with runtime.db.transaction() as conn:
                await conn.execute("UPDATE users SET updated_at = updated_at WHERE id = 1")
            waits.append((time.perf_counter() - begun) * 1000)
            await asyncio.sleep(PROBE_EVERY)

    writer = asyncio.create_task(probe())
    await asyncio.sleep(0.05)
    begun = time.perf_counter()
    done = await runtime.privacy.apply_retention()
    took = (time.perf_counter() - begun) * 1000
    stop.set()
    await writer
    return took, done, waits


async def main(scale: int, database: Path | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        if database is None:
            await seed(path, scale)
        else:
            shutil.copy(database, path)
        clock = ManualClock(datetime.now(UTC))
        app = build_application(Settings(database_path=path), request=LocalBotAPI(), clock=clock)
        async with running(app):
            runtime = runtime_of(app)
            for when in ("today", "a year later"):
                if when != "today":
                    clock.advance(days=365)
                took, done, waits = await pass_beside_a_probe(runtime)
                forgotten = ", ".join(f"{n:,} {what}" for what, n in done.items() if n)
                print(
                    f"{when}: the pass took {took:,.0f} ms ({forgotten or 'nothing due'}); "
                    f"{len(waits)} probe writes beside it: p50 {statistics.median(waits):.1f} ms,"
                    f" p99 {sorted(waits)[int(len(waits) * 0.99)]:.1f} ms,"
                    f" longest {max(waits):.1f} ms"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=BENCHMARK_SCALE)
    parser.add_argument("--database", type=Path, help="a seeded database to copy")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.scale, arguments.database))
