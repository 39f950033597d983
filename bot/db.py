"""The SQLite store: connections, pragmas, numbered migrations and write transactions.

One writer connection, guarded by a lock, runs every change inside `BEGIN IMMEDIATE … COMMIT`,
so a read-then-write (taking the last seat) cannot interleave with another one. Reads go to a
small pool of reader connections, each with its own thread; WAL lets them run beside each other
and beside a write, so one slow read (a search, a background scan) holds up nobody else's. The
few reads by key that every update makes first run on the event loop's own thread instead
(`Database.inline_reader`): a hand-over would cost more than the read.
Never await Telegram inside a transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot.backup import BackupError, backup_before_migration

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 5000
# Reader connections: the last for long reads (`Database.long_reader`: searches, background
# scans), the others for the quick reads of every update; each costs a thread and its own page
# cache.
READERS = 3
CHECKPOINT_ATTEMPTS = 25
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
SQLITE_HEADER = b"SQLite format 3\x00"
RESTORE_HINT = "restore the newest backup (deploy/README.md, 'Restoring a backup')"


class DatabaseTooNew(Exception):
    """The file was migrated by a newer Landgenoot; running older code on it could damage it."""


class NoBackupBeforeMigration(Exception):
    """The copy that makes an upgrade reversible could not be made, so nothing was migrated."""


class DatabaseProblem(Exception):
    """The database cannot be used as it is. The message is one line: the file, what is wrong,
    what to do. `exit_code` 2 is a configuration to fix (a path, a permission), 1 the rest."""

    def __init__(self, message: str, *, configuration: bool = False) -> None:
        super().__init__(message)
        self.exit_code = 2 if configuration else 1


def check_path(path: Path) -> None:
    """Refuse a path SQLite could not work with, before it fails with a bare error (or hangs).

    SQLite needs to write the file and, in WAL mode, its folder (for the -wal and -shm files).
    """
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise DatabaseProblem(
                f"DATABASE_PATH {path}: {parent} is a file, not a folder", configuration=True
            )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseProblem(
            f"DATABASE_PATH {path}: cannot create the folder {path.parent}: {error.strerror}",
            configuration=True,
        ) from None
    if path.is_dir():
        raise DatabaseProblem(f"DATABASE_PATH {path} is a folder, not a file", configuration=True)
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseProblem(
            f"DATABASE_PATH {path} is read-only: the bot must be able to write to it",
            configuration=True,
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise DatabaseProblem(
            f"DATABASE_PATH {path}: cannot write in the folder {path.parent} "
            "(SQLite keeps its -wal and -shm files beside the database)",
            configuration=True,
        )
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as file:
            if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise DatabaseProblem(
                    f"DATABASE_PATH {path} is not a database (not a SQLite file: the wrong file?)"
                )


class ProcessLock:
    """One bot per database: an exclusive lock on `<database>.lock`, held while the bot runs.

    The kernel lets go of the lock when the process ends, however it ends, so a crash leaves no
    stale lock to clean up by hand; the process id in the file is only there to name the holder.
    """

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = database.with_name(database.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise DatabaseProblem(
                f"cannot create the lock file {self.path}: {error.strerror}", configuration=True
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise DatabaseProblem(
                f"another Landgenoot (process {holder}) is using {self.database}; stop it "
                "first: two bots on one database would send messages twice"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            # Not unlinked: another process may be opening it right now to wait its turn.
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


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


class _InlineReader:
    """A reader that runs on the event loop's own thread, for the reads by key that every
    update makes first (who is this person, what cafés are coming): they take microseconds,
    and a trip to a reader's thread and back costs two thread wake-ups, which on a loaded
    machine wait for a core (at 10× the benchmark size, while four people ask: 2–5 ms, for a
    read of 0.1 ms). Never for a search, a scan or anything that grows with the data: that
    would hold up every update.

    It answers the calls that `fetchone`, `fetchall` and `fetch_together` make. SQLite in WAL
    mode does not make a reader wait for a writer; in the rare moments it would (the log being
    recovered), the read goes to a reader of the pool instead of waiting on the loop.
    """

    def __init__(self, path: Path, fallback: Callable[[], aiosqlite.Connection]) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA busy_timeout = 0")  # never wait on the loop's thread
        self._fallback = fallback

    async def execute_fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            return list(await self._fallback().execute_fetchall(sql, tuple(params)))

    async def _execute(self, fn: Callable[..., Any], raw: sqlite3.Connection, *args: Any) -> Any:
        try:
            return fn(raw, *args)
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            reader = self._fallback()
            return await reader._execute(fn, reader._conn, *args)

    def close(self) -> None:
        self._conn.close()


def _is_busy(error: sqlite3.OperationalError) -> bool:
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


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
        self._inline: _InlineReader | None = None
        self._reader_count = readers
        self._write_lock = asyncio.Lock()
        self._process_lock: ProcessLock | None = None

    def take_process_lock(self) -> None:
        """Refuse to run beside another bot on the same file (released by close)."""
        check_path(self.path)
        if self._process_lock is None:
            lock = ProcessLock(self.path)
            lock.acquire()
            self._process_lock = lock

    async def open(self) -> None:
        check_path(self.path)
        try:
            self._writer = await _connect(self.path)
            await self._writer.execute("PRAGMA journal_mode = WAL")
            await self._writer.execute("PRAGMA synchronous = NORMAL")
            self._readers = [await _connect(self.path) for _ in range(self._reader_count)]
            self._inline = _InlineReader(self.path, lambda: self.reader)
        except sqlite3.Error as error:
            # Close what did open: a connection left open keeps its thread, and the process, alive.
            await self.close()
            raise _problem(self.path, error) from None

    async def verify(self) -> None:
        """PRAGMA quick_check: refuse a damaged file at the start, not with an error per update."""
        try:
            rows = await fetchall(self.reader, "PRAGMA quick_check")
        except sqlite3.Error as error:
            raise _problem(self.path, error) from None
        findings = [line for row in rows for line in str(row[0]).splitlines()]
        if findings != ["ok"]:
            more = f", and {len(findings) - 1} more" if len(findings) > 1 else ""
            raise DatabaseProblem(
                f"DATABASE_PATH {self.path} is damaged (quick_check: {findings[0]}{more}); "
                f"{RESTORE_HINT}"
            )

    async def close(self) -> None:
        for connection in (*self._readers, self._writer):
            if connection is not None:
                with contextlib.suppress(sqlite3.Error):
                    await connection.close()
        if self._inline is not None:
            with contextlib.suppress(sqlite3.Error):
                self._inline.close()
            self._inline = None
        self._readers = []
        self._writer = None
        if self._process_lock is not None:
            self._process_lock.release()
            self._process_lock = None

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

        Returns the names applied. Refuses a file that is newer than this code. A database
        that has data (version 1 or more) is first copied to `before-migration/` beside it.
        """
        shipped = migrations()
        current = await self.schema_version()
        if current > len(shipped):
            raise DatabaseTooNew(
                f"database {self.path} is at schema version {current}, but this version of "
                f"Landgenoot only knows up to {len(shipped)}: upgrade Landgenoot, or restore a "
                "backup made by this version"
            )
        pending = shipped[current:]
        if pending and current > 0:
            await self._back_up_before_migrating(current, pending[-1][0])
        applied = []
        writer = self._require(self._writer)
        async with self._write_lock:
            for version, name, sql in pending:
                # executescript runs the whole file; user_version is set in the same
                # transaction so a crash leaves either all of a migration or none of it.
                try:
                    await writer.executescript(
                        f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
                    )
                except sqlite3.Error as error:
                    with contextlib.suppress(sqlite3.Error):
                        await writer.rollback()
                    raise _problem(self.path, error, f"migration {name}") from None
                applied.append(name)
        return applied

    async def _back_up_before_migrating(self, current: int, target: int) -> None:
        try:
            made = await asyncio.to_thread(backup_before_migration, self.path)
        except (BackupError, OSError) as error:
            raise NoBackupBeforeMigration(
                f"database {self.path} was not migrated from schema version {current} to "
                f"{target}: the backup before it could not be made: {error}"
            ) from error
        log.info(
            "before migrating from schema version %d to %d: backup %s", current, target, made.path
        )

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

    @property
    def inline_reader(self) -> aiosqlite.Connection:
        """For a read by key that every update makes (a person, the coming cafés): runs on the
        event loop's thread, with no hand-over (see `_InlineReader`). Never for a read that
        grows with the data."""
        if self._inline is None:
            raise RuntimeError("the database is not open")
        return self._inline  # type: ignore[return-value]  # answers what the store helpers call

    @property
    def long_reader(self) -> aiosqlite.Connection:
        """The connection for reads that may take long: full-text searches, background scans,
        reports. They all share the last reader and wait for each other there, so the quick
        reads every update makes (`reader`) always find connections that no long read holds,
        however many people search at once. One lane, not two: on two cores, two searches at
        once take both, and everyone else's quick reads wait for the scheduler instead (at 10×
        the benchmark size, /cafes p99 25–35 ms while four people ask with two lanes, 13–17
        with one). With a single reader, it is that reader."""
        if not self._readers:
            raise RuntimeError("the database is not open")
        return self._readers[-1]

    @staticmethod
    def _require(connection: aiosqlite.Connection | None) -> aiosqlite.Connection:
        if connection is None:
            raise RuntimeError("the database is not open")
        return connection


def _problem(path: Path, error: sqlite3.Error, during: str | None = None) -> DatabaseProblem:
    """SQLite's error as one line that names the file and says what to do."""
    text = " ".join(str(error).split())  # one line, whatever SQLite said
    where = f"DATABASE_PATH {path}" + (f" ({during})" if during else "")
    if "readonly" in text or "unable to open" in text:
        return DatabaseProblem(f"{where}: {text}; check its permissions", configuration=True)
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
        return DatabaseProblem(f"{where} is damaged or not a database ({text}); {RESTORE_HINT}")
    return DatabaseProblem(f"{where}: {text}")


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


async def fetch_together(
    connection: aiosqlite.Connection, statements: Sequence[tuple[str, Iterable[Any]]]
) -> list[list[aiosqlite.Row]]:
    """The rows of each query, all in one hand-over to the connection's thread and, outside a
    transaction, from one snapshot.

    Each hand-over costs the update two thread wake-ups, and on a busy machine a woken thread
    can wait for a core: at 10× the benchmark size, while four people ask questions, single
    wake-ups of 2–5 ms (measured) made /cafes slow (four reads, four hand-overs), not the reads
    themselves (0.1 ms each). A page that needs several small reads (/cafes, a café's card)
    asks for them together; a later query that needs an earlier one's result takes it as a
    subquery.
    """
    queries = [(sql, tuple(params)) for sql, params in statements]
    # aiosqlite's hand-over (see _Connection); the function runs on the connection's thread.
    return await connection._execute(_fetch_each, connection._conn, queries)


def _fetch_each(raw: sqlite3.Connection, queries: list[tuple[str, tuple[Any, ...]]]) -> list:
    if raw.in_transaction:  # the writer's, inside Database.transaction: its snapshot already
        return [raw.execute(sql, params).fetchall() for sql, params in queries]
    raw.execute("BEGIN")  # deferred: a read snapshot, no lock that holds up a writer
    try:
        return [raw.execute(sql, params).fetchall() for sql, params in queries]
    finally:
        raw.execute("COMMIT")
