"""The store: migrations, and transactions that cannot interleave."""

import asyncio
import sqlite3
import threading

import pytest

from bot.db import READERS, Database, DatabaseTooNew, fetch_together, fetchone, latest_version


async def test_migrating_an_empty_database_creates_every_table(tmp_path):
    async with Database(tmp_path / "new.sqlite3") as db:
        applied = await db.migrate()
        assert applied[0] == "0001_people.sql"
        assert await db.schema_version() == latest_version()
        row = await fetchone(db.reader, "SELECT count(*) FROM sqlite_master WHERE name = 'users'")
        assert row[0] == 1
        journal = await fetchone(db.reader, "PRAGMA journal_mode")
        assert journal[0] == "wal"
        foreign_keys = await fetchone(db.reader, "PRAGMA foreign_keys")
        assert foreign_keys[0] == 1


async def test_migrating_an_up_to_date_database_changes_nothing(tmp_path):
    path = tmp_path / "db.sqlite3"
    async with Database(path) as db:
        await db.migrate()
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (1, 'A', 0, 0)"
            )
    async with Database(path) as db:
        assert await db.migrate() == []
        row = await fetchone(db.reader, "SELECT first_name FROM users WHERE id = 1")
        assert row[0] == "A"


async def test_a_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {latest_version() + 1}")
    async with Database(path) as db:
        with pytest.raises(DatabaseTooNew, match="upgrade Landgenoot"):
            await db.migrate()


async def test_a_failed_transaction_leaves_nothing_behind(tmp_path):
    async with Database(tmp_path / "db.sqlite3") as db:
        await db.migrate()
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO users (id, first_name, created_at, updated_at)"
                    " VALUES (1, 'A', 0, 0)"
                )
                raise RuntimeError("something went wrong halfway")
        row = await fetchone(db.reader, "SELECT count(*) FROM users")
        assert row[0] == 0


async def test_read_then_write_transactions_do_not_interleave(tmp_path):
    """Fifty concurrent read-increment-write steps: none is lost."""
    async with Database(tmp_path / "db.sqlite3") as db:
        await db.migrate()
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (1, 'A', 0, 0)"
            )

        async def increment() -> None:
            async with db.transaction() as conn:
                row = await fetchone(conn, "SELECT updated_at FROM users WHERE id = 1")
                await asyncio.sleep(0)  # let the others try to run in between
                await conn.execute("UPDATE users SET updated_at = ? WHERE id = 1", (row[0] + 1,))

        await asyncio.gather(*(increment() for _ in range(50)))
        row = await fetchone(db.reader, "SELECT updated_at FROM users WHERE id = 1")
        assert row[0] == 50


async def test_a_second_process_waits_for_the_writer_instead_of_failing(tmp_path):
    path = tmp_path / "db.sqlite3"
    async with Database(path) as first, Database(path) as second:
        await first.migrate()
        async with first.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (1, 'A', 0, 0)"
            )
            waiting = asyncio.create_task(_insert(second, 2))
            await asyncio.sleep(0.05)
            assert not waiting.done()
        await waiting
        row = await fetchone(first.reader, "SELECT count(*) FROM users")
        assert row[0] == 2


async def _insert(db: Database, user_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (?, 'B', 0, 0)",
            (user_id,),
        )


async def test_a_slow_read_does_not_hold_up_the_next_one(tmp_path):
    """One reader is held inside a query (a function that waits for the test): the next read
    goes to another reader and is answered while the slow one is still running."""
    async with Database(tmp_path / "pool.sqlite3") as db:
        release = threading.Event()
        slow_reader = db.reader
        await slow_reader.create_function("held", 0, lambda: release.wait() and 1)
        slow = asyncio.create_task(fetchone(slow_reader, "SELECT held()"))
        await asyncio.sleep(0)  # the task hands its query to the reader's thread
        assert slow_reader.busy == 1
        try:
            for _ in range(5):
                other = db.reader
                assert other is not slow_reader
                assert (await fetchone(other, "SELECT 1"))[0] == 1
            assert not slow.done()
        finally:
            release.set()
        assert (await slow)[0] == 1


async def test_long_reads_wait_for_each_other_and_leave_the_quick_reads_free(tmp_path):
    """A long read is running (a search) and another waits for it: the quick reads of everyone
    else (/cafes) go to readers that neither holds, and are answered meanwhile."""
    async with Database(tmp_path / "pool.sqlite3", readers=3) as db:
        release = threading.Event()
        lane = db.long_reader
        await lane.create_function("held", 0, lambda: release.wait() and 1)
        held = asyncio.create_task(fetchone(lane, "SELECT held()"))
        await asyncio.sleep(0)  # the task hands its query to the reader's thread
        assert db.long_reader is lane
        waiting = asyncio.create_task(fetchone(db.long_reader, "SELECT 2"))
        await asyncio.sleep(0)
        try:
            for _ in range(5):
                quick = db.reader
                assert quick is not lane
                assert (await fetchone(quick, "SELECT 1"))[0] == 1
            assert not held.done() and not waiting.done()
        finally:
            release.set()
        assert (await held)[0] == 1 and (await waiting)[0] == 2


async def test_a_single_reader_takes_the_long_reads_too(tmp_path):
    async with Database(tmp_path / "one.sqlite3", readers=1) as db:
        assert db.long_reader is db.reader


async def test_reads_stay_on_one_reader_while_it_is_free(tmp_path):
    """Its page cache then holds what the reads need; the other readers wait for a slow one."""
    async with Database(tmp_path / "pool.sqlite3", readers=3) as db:
        assert len({id(db.reader) for _ in range(3)}) == 1


async def test_every_reader_sees_a_committed_write(tmp_path):
    async with Database(tmp_path / "pool.sqlite3") as db:
        async with db.transaction() as conn:
            await conn.execute("CREATE TABLE t (x)")
            await conn.execute("INSERT INTO t VALUES (42)")
        for _ in range(READERS):
            assert (await fetchone(db.reader, "SELECT x FROM t"))[0] == 42


async def test_a_database_needs_a_reader(tmp_path):
    with pytest.raises(ValueError):
        Database(tmp_path / "none.sqlite3", readers=0)


async def _table_with_one_row(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE t (x)")
        await conn.execute("INSERT INTO t VALUES (1)")


async def test_reads_fetched_together_take_one_trip_to_the_thread(tmp_path):
    async with Database(tmp_path / "together.sqlite3") as db:
        await _table_with_one_row(db)
        reader = db.reader
        trips = []
        handed_over = reader._execute

        async def counted(fn, *args, **kwargs):
            trips.append(fn)
            return await handed_over(fn, *args, **kwargs)

        reader._execute = counted
        rows = await fetch_together(
            reader, [("SELECT x FROM t", ()), ("SELECT ? + 1", (41,)), ("SELECT 3 WHERE 0", ())]
        )
        assert [[tuple(row) for row in found] for found in rows] == [[(1,)], [(42,)], []]
        assert len(trips) == 1


async def test_reads_fetched_together_see_one_snapshot(tmp_path):
    """A write committed between the first and the second query is in neither."""
    async with Database(tmp_path / "together.sqlite3", readers=1) as db:
        await _table_with_one_row(db)
        paused, resume = threading.Event(), threading.Event()

        def pause() -> int:
            paused.set()
            resume.wait(10)
            return 0

        await db.reader.create_function("pause", 0, pause)
        together = asyncio.create_task(
            fetch_together(
                db.reader,
                [("SELECT count(*) + pause() FROM t", ()), ("SELECT count(*) FROM t", ())],
            )
        )
        await asyncio.to_thread(paused.wait, 10)
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (2)")
        resume.set()
        first, second = await together
        assert first[0][0] == 1 and second[0][0] == 1
        assert (await fetchone(db.reader, "SELECT count(*) FROM t"))[0] == 2  # and it ended


async def test_reads_fetched_together_inside_a_write_see_it_and_leave_it_open(tmp_path):
    async with Database(tmp_path / "together.sqlite3") as db:
        await _table_with_one_row(db)
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (2)")
            [[row]] = await fetch_together(conn, [("SELECT count(*) FROM t", ())])
            assert row[0] == 2
            assert conn.in_transaction
            await conn.execute("INSERT INTO t VALUES (3)")
        assert (await fetchone(db.reader, "SELECT count(*) FROM t"))[0] == 3


async def test_a_failing_read_fetched_together_leaves_no_snapshot_open(tmp_path):
    async with Database(tmp_path / "together.sqlite3", readers=1) as db:
        await _table_with_one_row(db)
        with pytest.raises(sqlite3.OperationalError):
            await fetch_together(db.reader, [("SELECT x FROM t", ()), ("SELECT nope", ())])
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (2)")
        assert (await fetchone(db.reader, "SELECT count(*) FROM t"))[0] == 2


async def test_the_inline_reader_reads_on_the_loops_thread_and_sees_every_commit(tmp_path):
    async with Database(tmp_path / "inline.sqlite3") as db:
        await _table_with_one_row(db)
        inline = db.inline_reader
        threads = []
        inline._conn.create_function("here", 0, lambda: threads.append(threading.get_ident()))
        assert (await fetchone(inline, "SELECT count(*) FROM t WHERE here() IS NULL"))[0] == 1
        assert threads == [threading.get_ident()]  # no hand-over to another thread
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (2)")
        assert (await fetchone(inline, "SELECT count(*) FROM t"))[0] == 2
        [[row]] = await fetch_together(inline, [("SELECT sum(x) FROM t", ())])
        assert row[0] == 3
        with pytest.raises(sqlite3.OperationalError):  # a mistake is not hidden by a retry
            await fetchone(inline, "SELECT nope FROM t")


class _Busy:
    """A connection whose every statement meets SQLITE_BUSY, as while the log is recovered."""

    in_transaction = False

    def execute(self, *_args):
        error = sqlite3.OperationalError("database is locked")
        error.sqlite_errorcode = sqlite3.SQLITE_BUSY
        raise error


async def test_a_busy_inline_read_is_answered_by_a_reader_of_the_pool(tmp_path):
    """The loop's thread never waits for SQLite: the read goes where waiting is harmless."""
    async with Database(tmp_path / "inline.sqlite3") as db:
        await _table_with_one_row(db)
        inline = db.inline_reader
        real, inline._conn = inline._conn, _Busy()
        try:
            assert (await fetchone(inline, "SELECT x FROM t"))[0] == 1
            [[row]] = await fetch_together(inline, [("SELECT x + 1 FROM t", ())])
            assert row[0] == 2
        finally:
            inline._conn = real
