"""A database as an older version of the bot left it, for testing one migration on it."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

from bot.db import migrations

Step = tuple[int, str, str]


def migrations_before(first_new: Callable[[str, str], bool]) -> list[Step]:
    """The shipped migrations before the first one whose (file name, SQL) `first_new` picks."""
    shipped = migrations()
    upto = next(n for n, (_v, name, sql) in enumerate(shipped) if first_new(name, sql))
    return shipped[:upto]


def apply(steps: list[Step], run: Callable[[str], object]) -> None:
    """Apply `steps` as the bot does, each in its own transaction with its version."""
    for version, _name, sql in steps:
        run(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")


def old_database(path: Path, steps: list[Step]) -> sqlite3.Connection:
    old = sqlite3.connect(path)
    apply(steps, old.executescript)
    return old
