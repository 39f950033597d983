"""`python -m bot backup`: consistent while the bot writes, checked, never overwrites, restores."""

import asyncio
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.backup import BackupError, make_backup
from bot.db import Database, fetchone
from tests.ops.helpers import ROOT

FILLER = "x" * 400


def run_bot(tmp_path, *args: str, database=None) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(database or tmp_path / "db.sqlite3"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def filled_database(path, rows: int = 40_000) -> Database:
    db = Database(path)
    await db.open()
    await db.migrate()
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO outbox (recipient_id, priority, text, not_before, created_at)"
            " VALUES (?, 1, ?, 0, 0)",
            [(n, FILLER) for n in range(rows)],
        )
    return db


async def test_a_backup_taken_while_writes_continue_is_consistent_and_restores(tmp_path):
    database = tmp_path / "live.sqlite3"
    db = await filled_database(database)
    written = 0
    slowest_write = 0.0
    backing_up = asyncio.Event()
    wrote = asyncio.Event()
    writes_during_backup = 0

    async def keep_writing() -> None:
        # Each change writes a person and a message to them together; a consistent copy has
        # exactly as many of one as of the other.
        nonlocal written, slowest_write, writes_during_backup
        while True:
            started = time.perf_counter()
            async with db.transaction() as conn:
                user_id = 1_000_000 + written
                await conn.execute(
                    "INSERT INTO users (id, first_name, created_at, updated_at)"
                    " VALUES (?, 'U', 0, 0)",
                    (user_id,),
                )
                await conn.execute(
                    "INSERT INTO outbox (recipient_id, priority, text, not_before, created_at)"
                    " VALUES (?, 0, 'welcome', 0, 0)",
                    (user_id,),
                )
            written += 1
            wrote.set()
            writes_during_backup += backing_up.is_set()
            slowest_write = max(slowest_write, time.perf_counter() - started)
            await asyncio.sleep(0)

    writer = asyncio.create_task(keep_writing())
    try:
        while written < 20:
            wrote.clear()
            await wrote.wait()
        backing_up.set()
        made = await asyncio.to_thread(make_backup, database, tmp_path / "copy.sqlite3")
        backing_up.clear()
        after = written
        while written < after + 20:  # and writing goes on after it
            wrote.clear()
            await wrote.wait()
    finally:
        writer.cancel()
        await asyncio.gather(writer, return_exceptions=True)
        total_written = written
        await db.close()

    assert writes_during_backup > 0, "the bot could not write while the backup ran"
    assert made.size > 10_000_000 and made.schema_version > 0
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600  # everyone's data: owner only
    print(
        f"backup of {made.size / 1e6:.1f} MB took {made.seconds:.2f} s; "
        f"{writes_during_backup} writes meanwhile, slowest {slowest_write * 1000:.0f} ms"
    )

    # Restore as deploy/README.md says: the bot is stopped; the copy replaces the database,
    # and no -wal or -shm of the old one is left beside it.
    restored = tmp_path / "restored" / "landgenoot.sqlite3"
    restored.parent.mkdir()
    shutil.copy(made.path, restored)
    assert not restored.with_name(restored.name + "-wal").exists()
    async with Database(restored) as copy:
        assert await copy.migrate() == []  # already at the current schema
        assert (await fetchone(copy.reader, "PRAGMA integrity_check"))[0] == "ok"
        people = (await fetchone(copy.reader, "SELECT count(*) FROM users"))[0]
        welcomes = (
            await fetchone(copy.reader, "SELECT count(*) FROM outbox WHERE text = 'welcome'")
        )[0]
        filler = (await fetchone(copy.reader, "SELECT count(*) FROM outbox WHERE priority = 1"))[0]
    assert people == welcomes  # one moment's state: no change cut in half
    assert 20 <= people < total_written  # what was there when the backup began, not later
    assert filler == 40_000

    # And the bot itself accepts it.
    result = run_bot(tmp_path, "migrate", database=restored)
    assert result.returncode == 0 and "up to date" in result.stdout, result.stderr


def test_the_backup_command_prints_the_file_and_never_overwrites(tmp_path):
    assert run_bot(tmp_path, "migrate").returncode == 0
    first = run_bot(tmp_path, "backup", "backups/first.sqlite3")
    assert first.returncode == 0, first.stderr
    target = tmp_path / "backups" / "first.sqlite3"
    assert first.stdout.startswith(f"{target} (")
    assert "integrity ok" in first.stdout and "KB" in first.stdout
    before = target.read_bytes()

    again = run_bot(tmp_path, "backup", "backups/first.sqlite3")
    assert again.returncode == 1
    assert "exists already" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["first.sqlite3"]  # no leftovers


def test_a_backup_into_a_folder_is_dated_and_keep_removes_the_oldest(tmp_path):
    asyncio.run(_migrated(tmp_path / "db.sqlite3"))
    folder = tmp_path / "backups"
    moment = datetime(2026, 1, 1, 3, 15, tzinfo=UTC)
    made = []
    for day in range(4):
        made.append(
            make_backup(
                tmp_path / "db.sqlite3",
                folder,
                into_folder=True,
                keep=2,
                now=moment + timedelta(days=day),
            )
        )
    assert made[0].path.name == "landgenoot-20260101T031500Z.sqlite3"
    assert sorted(p.name for p in folder.iterdir()) == [
        "landgenoot-20260103T031500Z.sqlite3",
        "landgenoot-20260104T031500Z.sqlite3",
    ]
    assert made[-1].removed == (folder / "landgenoot-20260102T031500Z.sqlite3",)

    cli = run_bot(tmp_path, "backup", f"{folder}/", "--keep", "1")
    assert cli.returncode == 0, cli.stderr
    assert len(list(folder.iterdir())) == 1
    assert cli.stdout.count("removed ") == 2


def test_a_missing_database_is_not_created_by_a_backup(tmp_path):
    with pytest.raises(BackupError, match="no database"):
        make_backup(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3")
    result = run_bot(tmp_path, "backup", "copy.sqlite3")
    assert result.returncode == 1 and "no database" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()
    assert not (tmp_path / "copy.sqlite3").exists()


def test_keep_needs_a_folder(tmp_path):
    asyncio.run(_migrated(tmp_path / "db.sqlite3"))
    with pytest.raises(BackupError, match="--keep"):
        make_backup(tmp_path / "db.sqlite3", tmp_path / "copy.sqlite3", keep=3)


def test_a_copy_that_fails_its_integrity_check_is_not_kept(tmp_path, monkeypatch):
    asyncio.run(_migrated(tmp_path / "db.sqlite3"))

    def broken_copy(database, copy):
        copy.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)

    monkeypatch.setattr("bot.backup._vacuum_into", broken_copy)
    with pytest.raises((BackupError, sqlite3.DatabaseError)):
        make_backup(tmp_path / "db.sqlite3", tmp_path / "copy.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3"]


async def _migrated(path) -> None:
    async with Database(path) as db:
        await db.migrate()


def test_the_documented_restore_brings_back_the_backup_even_after_a_crash(tmp_path):
    """deploy/README.md: stop, move the database and its -wal/-shm aside, copy, start."""
    live = tmp_path / "data" / "landgenoot.sqlite3"
    assert run_bot(tmp_path, "migrate", database=live).returncode == 0
    with sqlite3.connect(live) as connection:
        connection.execute(
            "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (1, 'A', 0, 0)"
        )
    backup = make_backup(live, tmp_path / "backups", into_folder=True).path

    # Later changes, and then the machine dies: they sit in the -wal file, not yet in the
    # database file itself.
    crash = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        'c.execute("INSERT INTO users (id, first_name, created_at, updated_at)'
        " VALUES (2, 'B', 0, 0)\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(live)], check=True, timeout=60)
    assert live.with_name(live.name + "-wal").stat().st_size > 0

    aside = live.parent / "before-restore"
    aside.mkdir()
    for path in live.parent.glob(live.name + "*"):
        path.rename(aside / path.name)
    shutil.copy(backup, live)

    result = run_bot(tmp_path, "migrate", database=live)
    assert result.returncode == 0 and "up to date" in result.stdout, result.stderr
    with sqlite3.connect(live) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT id FROM users").fetchall() == [(1,)]
