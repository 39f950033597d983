"""Taking out and erasing one's data, and keeping nothing longer than needed.

Features register what they must do when someone leaves (free their seats, keep an anonymous
question in the knowledge base...), naming the tables they take care of. Messages go by
reference: every outbox row to the person or about them (see `outbox.store.enqueue`), never
by searching texts for a name. After an erasure, neither the person's Telegram id nor any
first name they had is left in the database file: search indexes are compacted, deleted pages
are zeroed (secure_delete) and the write-ahead log is emptied.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosqlite

from bot import search as fulltext
from bot.clock import Clock
from bot.db import Database
from bot.people.roles import Person
from bot.privacy import store

ERASE = "erase"
URGENT = "urgent"
# What a banned person can still do: learn about, take out and erase their data, get help.
ALWAYS_ALLOWED_COMMANDS = frozenset(
    {"start", "help", "language", "privacy", "mydata", "deleteme", "urgent"}
)
ALWAYS_ALLOWED_PRESSES = frozenset({ERASE, URGENT, "lang"})

# (connection, user id, now, keep their tips anonymously) -> None
Forgetter = Callable[[aiosqlite.Connection, int, int, bool], Awaitable[None]]


# Closed questions forgotten per transaction: about 20 ms of the writer at 10x the benchmark
# size (python -m bench.retention).
RETENTION_BATCH = 1000


@dataclass(frozen=True)
class Retention:
    closed_questions: timedelta = timedelta(days=183)
    question_files: timedelta = timedelta(days=30)  # the photos' file ids, after the close
    unsent_drafts: timedelta = timedelta(days=30)  # questions begun and never sent
    past_signups: timedelta = timedelta(days=365)
    unreachable_users: timedelta = timedelta(days=365)
    sent_messages: timedelta = timedelta(days=30)


class PrivacyService:
    def __init__(self, db: Database, clock: Clock, retention: Retention | None = None) -> None:
        self._db = db
        self._clock = clock
        self._retention = retention or Retention()
        self._forgetters: list[Forgetter] = []
        self._search_tables: list[str] = []
        self._tables: set[str] = set()

    def register(
        self, forget: Forgetter, search_table: str | None = None, tables: Iterable[str] = ()
    ) -> None:
        """`tables`: every table with a user id that `forget` takes care of. A test fails
        while a table with a user id is named by no forgetter."""
        self._forgetters.append(forget)
        self._tables.update(tables)
        if search_table:
            self._search_tables.append(search_table)

    @property
    def handled_tables(self) -> frozenset[str]:
        """Tables whose user-id columns an erasure takes care of."""
        return frozenset(store.HANDLED_HERE) | frozenset(self._tables)

    async def export(self, person: Person) -> dict[str, Any]:
        data = _with_iso_dates(await store.export_person(self._db.reader, person.id))
        data["exported_at"] = self._clock.now().isoformat()
        return data

    async def erase(self, person: Person, keep_tips_anonymously: bool = False) -> None:
        await self._erase(person.id, keep_tips_anonymously)

    async def _erase(self, user_id: int, keep_tips: bool) -> None:
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            for forget in self._forgetters:
                await forget(conn, user_id, now, keep_tips)
            await store.erase_person(conn, user_id)
            for table in self._search_tables:
                await fulltext.compact(conn, table)
        await self._db.checkpoint()

    async def apply_retention(self) -> dict[str, int]:
        """Job: forget what has been kept long enough. Returns what was done, for the log."""
        now = self._clock.now()
        done: dict[str, int] = {"questions": 0}
        # In batches, each its own transaction: after a long pause (or the first pass in a
        # big community) many questions are due at once, and the writer is everyone's.
        closed_before = int((now - self._retention.closed_questions).timestamp())
        while True:
            async with self._db.transaction() as conn:
                forgotten = await store.forget_closed_questions(
                    conn, closed_before, RETENTION_BATCH
                )
            done["questions"] += forgotten
            if forgotten < RETENTION_BATCH:
                break
        async with self._db.transaction() as conn:
            done["unsent_drafts"] = await store.forget_unsent_drafts(
                conn, int((now - self._retention.unsent_drafts).timestamp())
            )
            done["question_files"] = await store.forget_question_files(
                conn, int((now - self._retention.question_files).timestamp())
            )
            done["signups"] = await store.forget_past_signups(
                conn, int((now - self._retention.past_signups).timestamp())
            )
            done["messages"] = await store.forget_sent_messages(
                conn, int((now - self._retention.sent_messages).timestamp())
            )
            gone = await store.unreachable_since(
                conn, int((now - self._retention.unreachable_users).timestamp())
            )
        for user_id in gone:
            await self._erase(user_id, keep_tips=True)
        done["unreachable_users"] = len(gone)
        return done


def _with_iso_dates(data: Any, key: str = "") -> Any:
    """Times are stored as Unix seconds; a person reads them as ISO 8601 (UTC)."""
    if isinstance(data, dict):
        return {name: _with_iso_dates(value, name) for name, value in data.items()}
    if isinstance(data, list):
        return [_with_iso_dates(item, key) for item in data]
    if key.endswith("_at") and isinstance(data, int) and not isinstance(data, bool):
        return datetime.fromtimestamp(data, UTC).isoformat()
    return data
