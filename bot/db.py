"""The SQLite store: connections, pragmas, numbered migrations and write transactions.

One writer connection, guarded by a lock, runs every change inside `BEGIN IMMEDIATE … COMMIT`,
so a read-then-write (taking the last seat) cannot interleave with another one. Reads go to a
small pool of reader connections, each with its own thread; WAL lets them run beside each other
and beside a write, so one slow read (a search, a background scan) holds up nobody else's.
Never await Telegram inside a transaction.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

BUSY_TIMEOUT_MS = 5000
# Reader connections: enough that a few slow reads (searches, a background scan) leave one free
# for everyone else on two cores; each costs a thread and its own page cache.
READERS = 3
CHECKPOINT_ATTEMPTS = 25
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseTooNew(Exception):
    """The file was migrated by a newer Landgenoot; running older code on it could damage it."""


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) for every migration shipped in bot/migrations, in order."""
    found = []
    for entry in resources.files("bot.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def latest_version() -> int:
    return len(migrations())


class _Connection(aiosqlite.Connection):
    """An aiosqlite connection that knows how many of its statements are queued or running, so
    that a read can go to the reader that is free. Every call (execute, fetch, a cursor's
    fetches) goes through `_execute`, aiosqlite's hand-over to the connection's thread
    (aiosqlite is pinned in pyproject.toml; tests/test_db.py checks the count)."""

    def __init__(self, path: Path) -> None:
        # isolation_level=None: the sqlite3 module must not open transactions behind our back;
        # we issue BEGIN IMMEDIATE ourselves.
        super().__init__(partial(sqlite3.connect, path, isolation_level=None), 64)
        self.busy = 0

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.busy += 1
        try:
            return await super()._execute(fn, *args, **kwargs)
        finally:
            self.busy -= 1


async def _connect(path: Path) -> _Connection:
    connection = await _Connection(path)
    connection.row_factory = aiosqlite.Row
    await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await connection.execute("PRAGMA foreign_keys = ON")
    # Erased data must not linger in free pages of the file (privacy).
    await connection.execute("PRAGMA secure_delete = ON")
    return connection


class Database:
    def __init__(self, path: Path, readers: int = READERS) -> None:
        if readers < 1:
            raise ValueError("a database needs at least one reader")
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[_Connection] = []
        self._reader_count = readers
        self._write_lock = asyncio.Lock()

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await _connect(self.path)
        await self._writer.execute("PRAGMA journal_mode = WAL")
        await self._writer.execute("PRAGMA synchronous = NORMAL")
        self._readers = [await _connect(self.path) for _ in range(self._reader_count)]

    async def close(self) -> None:
        for connection in (*self._readers, self._writer):
            if connection is not None:
                await connection.close()
        self._readers = []
        self._writer = None

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        row = await fetchone(self.reader, "PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[str]:
        """Apply the migrations this file has not seen, each in its own transaction.

        Returns the names applied. Refuses a file that is newer than this code.
        """
        shipped = migrations()
        current = await self.schema_version()
        if current > len(shipped):
            raise DatabaseTooNew(
                f"database {self.path} is at schema version {current}, but this version of "
                f"Landgenoot only knows up to {len(shipped)}: upgrade Landgenoot, or restore a "
                "backup made by this version"
            )
        applied = []
        writer = self._require(self._writer)
        async with self._write_lock:
            for version, name, sql in shipped[current:]:
                # executescript runs the whole file; user_version is set in the same
                # transaction so a crash leaves either all of a migration or none of it.
                await writer.executescript(
                    f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
                )
                applied.append(name)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction. Everything in it commits together or not at all."""
        writer = self._require(self._writer)
        async with self._write_lock:
            await writer.execute("BEGIN IMMEDIATE")
            try:
                yield writer
            except BaseException:
                await writer.rollback()
                raise
            await writer.commit()

    async def checkpoint(self) -> None:
        """Fold the write-ahead log into the file and empty it, so that erased data does not
        linger in old copies of pages there."""
        writer = self._require(self._writer)
        for _attempt in range(CHECKPOINT_ATTEMPTS):
            async with self._write_lock:
                row = await fetchone(writer, "PRAGMA wal_checkpoint(TRUNCATE)")
            if row is not None and row[0] == 0:  # not blocked by a reader (such as a backup)
                return
            await asyncio.sleep(0.2)
        raise RuntimeError("the write-ahead log could not be emptied: a reader kept it busy")

    @property
    def reader(self) -> aiosqlite.Connection:
        """A connection to read with, the least busy of the pool: sees every committed change,
        never waits for a writer, and is not the one a slow read is running on if another is
        free. Take it once per piece of work (`conn = db.reader`); each statement is its own
        snapshot either way, as the readers run in autocommit mode."""
        if not self._readers:
            raise RuntimeError("the database is not open")
        # The first of the least busy: while reads are quick they all go to the first reader,
        # whose page cache then holds what they read; the others take over when it is busy.
        return min(self._readers, key=lambda connection: connection.busy)

    @staticmethod
    def _require(connection: aiosqlite.Connection | None) -> aiosqlite.Connection:
        if connection is None:
            raise RuntimeError("the database is not open")
        return connection


# One trip to the connection's thread per query: `async with execute(...)` and `fetchone()`
# would be three (execute, fetch, close), each a hand-over to the thread and back.


async def fetchone(
    connection: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()
) -> aiosqlite.Row | None:
    """The first row of a query that returns at most a few (by key, a count, LIMIT 1)."""
    rows = await connection.execute_fetchall(sql, tuple(params))
    return rows[0] if rows else None


async def fetchall(
    connection: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()
) -> list[aiosqlite.Row]:
    return list(await connection.execute_fetchall(sql, tuple(params)))
