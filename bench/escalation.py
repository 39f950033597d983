"""Messages per person in one escalation pass, at the benchmark size or larger.

Seeds a community at `--scale` (200: 10,000 people, 50,000 questions, about 33 organisers and
100 key persons), makes `--due` waiting questions due for the key persons and `--due` others
due for the organisers, runs one escalation pass (`QuestionService.escalate_due`) and counts
the outbox rows it queued per recipient: each key person and organiser should get at most one
(a digest), each asker one per question. Prints how many messages one message per question and
person would have been, the time of the pass, and what a second pass sends (nothing).

Run: `python -m bench.escalation [--scale 200] [--due 12] [--seeded FILE]`. A benchmark:
nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from bot.app import build_application, running, runtime_of
from bot.config import Settings
from bot.db import fetchall
from bot.local_api import LocalBotAPI
from bot.seed import BENCHMARK_SCALE, seed

HOUR = 3600


async def make_due(runtime, due: int) -> None:
    """`due` waiting questions routed 13 hours ago (for key persons), `due` more 49 hours ago
    and at the key-person step already (for organisers)."""
    now = int(time.time())
    waiting = await fetchall(
        runtime.db.reader,
        "SELECT id FROM questions WHERE status = 'open' AND answered_at IS NULL ORDER BY id",
    )
    ids = [row[0] for row in waiting]
    async with runtime.db.transaction() as conn:
        await conn.execute(
            "UPDATE questions SET escalation = 2 WHERE status = 'open' AND answered_at IS NULL"
        )
        for level, (question_ids, age) in enumerate(
            [(ids[:due], 13 * HOUR), (ids[due : 2 * due], 49 * HOUR)]
        ):
            await conn.executemany(
                "UPDATE questions SET escalation = ?, routed_at = ? WHERE id = ?",
                [(level, now - age, question_id) for question_id in question_ids],
            )


async def roles_of(runtime) -> dict[int, str]:
    rows = await fetchall(
        runtime.db.reader, "SELECT user_id, role FROM roles WHERE role != 'helper'"
    )
    return {user_id: role for user_id, role in rows}


async def one_pass(runtime) -> tuple[Counter, int, float]:
    """Rows queued per recipient, people newly given a question, and the pass's wall time."""
    before = (await fetchall(runtime.db.reader, "SELECT coalesce(max(id), 0) FROM outbox"))[0][0]
    given = (await fetchall(runtime.db.reader, "SELECT count(*) FROM question_recipients"))[0][0]
    wall = time.perf_counter()
    await runtime.questions.escalate_due()
    wall = (time.perf_counter() - wall) * 1000
    rows = await fetchall(
        runtime.db.reader,
        # Only the escalation's rows: other jobs (café reminders) may queue some meanwhile.
        "SELECT recipient_id FROM outbox WHERE id > ?"
        " AND (dedupe_key LIKE 'digest:%' OR dedupe_key LIKE 'escalated:%')",
        (before,),
    )
    after = (await fetchall(runtime.db.reader, "SELECT count(*) FROM question_recipients"))[0][0]
    return Counter(recipient for (recipient,) in rows), after - given, wall


async def main(scale: int, due: int, seeded: Path | None, reuse: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        if seeded is not None and reuse:  # seeding 10× takes minutes: reuse one
            shutil.copy(seeded, path)
        else:
            await seed(path, scale)
            if seeded is not None:
                shutil.copy(path, seeded)
        settings = Settings(database_path=path, admin_ids=frozenset({1}))
        app = build_application(
            settings, request=LocalBotAPI(), outbox_options={"background": False}
        )
        async with running(app):
            runtime = runtime_of(app)
            await make_due(runtime, due)
            roles = await roles_of(runtime)
            sent, given, wall = await one_pass(runtime)
            again, _given, _wall = await one_pass(runtime)
    per_role: dict[str, list[int]] = {"organiser": [], "key_person": [], "asker": []}
    for recipient, count in sent.items():
        per_role.get(roles.get(recipient, "asker"), per_role["asker"]).append(count)
    print(f"scale {scale}: {2 * due} questions due ({due} for key persons, {due} for organisers)")
    for role, counts in per_role.items():
        if counts:
            print(f"  to {role}s: {len(counts)} people, {sum(counts)} messages,"
                  f" at most {max(counts)} per person in the pass")  # fmt: skip
    print(
        f"  {sum(sent.values())} messages in the pass; one per question and person: "
        f"{given + per_role_total(per_role, 'asker')}"
    )
    print(f"  pass: {wall:.0f} ms wall; a second pass sends {sum(again.values())} messages")


def per_role_total(per_role: dict[str, list[int]], role: str) -> int:
    return sum(per_role[role])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=BENCHMARK_SCALE)
    parser.add_argument("--due", type=int, default=12)
    parser.add_argument(
        "--seeded", type=Path, help="a seeded database to copy (made here when it is missing)"
    )
    arguments = parser.parse_args()
    seeded = arguments.seeded
    asyncio.run(main(arguments.scale, arguments.due, seeded, bool(seeded and seeded.exists())))
