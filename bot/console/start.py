"""How the console starts: on the database as it is, on a new empty one, or on the demo."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

from bot.backup import make_backup
from bot.seed import seed


def put_aside(database: Path, now: datetime | None = None) -> Path | None:
    """Move the database out of the way as a dated copy; returns the copy (None: no database).

    Starting over must not lose what someone tried before: the copy can be opened again with
    DATABASE_PATH=<copy>.
    """
    if not database.is_file():
        return None
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    stamp = f"{database.stem}-{moment:%Y%m%dT%H%M%SZ}"
    copy = database.with_name(f"{stamp}{database.suffix}")
    for again in itertools.count(2):  # started over twice within a second
        if not copy.exists():
            break
        copy = database.with_name(f"{stamp}-{again}{database.suffix}")
    made = make_backup(database, copy)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return made.path


async def seed_demo(database: Path) -> list[str]:
    """Fill the (new, empty) database with the small demo community; lines to show."""
    seeded = await seed(database, 1)
    lines = [f"(demo community: {seeded.summary(database)})", "(people to play, with /as:)"]
    lines += [
        f"  /as {user_id} {locale}   {name}, {role.replace('_', ' ')}"
        for user_id, name, locale, role in seeded.cast
    ]
    return lines
