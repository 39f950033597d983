"""An upgrade can be undone: before migrating a database with data, the bot copies it aside."""

import shutil
import sqlite3

import pytest

from bot.backup import BEFORE_MIGRATION_FOLDER
from bot.db import Database, NoBackupBeforeMigration, fetchone, latest_version, migrations
from tests.test_command_line import bot_command


def database_at_version_1(path) -> None:
    """A database as the first release left it, with one person in it."""
    _, _, sql = migrations()[0]
    with sqlite3.connect(path) as raw:
        raw.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = 1;\nCOMMIT;")
        raw.execute(
            "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (7, 'Amira', 0, 0)"
        )


async def test_a_backup_is_made_before_migrating_and_restores_the_old_version(tmp_path):
    path = tmp_path / "landgenoot.sqlite3"
    database_at_version_1(path)

    async with Database(path) as db:
        applied = await db.migrate()
        assert len(applied) == latest_version() - 1
    [backup] = (tmp_path / BEFORE_MIGRATION_FOLDER).iterdir()
    assert backup.name.startswith("landgenoot-") and backup.suffix == ".sqlite3"
    assert backup.stat().st_mode & 0o077 == 0  # everyone's data: its owner only

    # Rolling back, as deploy/README.md says: move the database and its -wal/-shm aside.
    aside = tmp_path / "before-restore"
    aside.mkdir()
    for file in tmp_path.glob("landgenoot.sqlite3*"):
        file.rename(aside / file.name)
    shutil.copy(backup, path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        assert raw.execute("SELECT first_name FROM users WHERE id = 7").fetchone()[0] == "Amira"

    # The restored copy upgrades again like the original did.
    async with Database(path) as db:
        await db.migrate()
        assert await db.schema_version() == latest_version()
        row = await fetchone(db.reader, "SELECT first_name FROM users WHERE id = 7")
        assert row[0] == "Amira"


async def test_no_backup_for_a_new_or_an_up_to_date_database(tmp_path):
    path = tmp_path / "landgenoot.sqlite3"
    async with Database(path) as db:
        await db.migrate()
        assert await db.migrate() == []
    assert not (tmp_path / BEFORE_MIGRATION_FOLDER).exists()


async def test_only_the_newest_three_are_kept(tmp_path):
    path = tmp_path / "landgenoot.sqlite3"
    database_at_version_1(path)
    folder = tmp_path / BEFORE_MIGRATION_FOLDER
    folder.mkdir()
    for day in range(1, 5):
        (folder / f"landgenoot-2026010{day}T000000Z.sqlite3").write_bytes(b"old")
    async with Database(path) as db:
        await db.migrate()
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 3
    assert kept[:2] == [
        "landgenoot-20260103T000000Z.sqlite3",
        "landgenoot-20260104T000000Z.sqlite3",
    ]


async def test_without_a_backup_nothing_is_migrated(tmp_path):
    path = tmp_path / "landgenoot.sqlite3"
    database_at_version_1(path)
    (tmp_path / BEFORE_MIGRATION_FOLDER).write_text("a file where the folder should be")
    async with Database(path) as db:
        with pytest.raises(NoBackupBeforeMigration, match="was not migrated"):
            await db.migrate()
        assert await db.schema_version() == 1


def test_the_bot_refuses_to_start_without_the_backup_in_one_line(tmp_path):
    database_at_version_1(tmp_path / "db.sqlite3")
    (tmp_path / BEFORE_MIGRATION_FOLDER).write_text("a file where the folder should be")
    result = bot_command(tmp_path, "migrate")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("landgenoot: database") and "could not be made" in line


def test_migrate_says_where_the_backup_is(tmp_path):
    database_at_version_1(tmp_path / "db.sqlite3")
    result = bot_command(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    assert "before migrating from schema version 1" in result.stderr
    assert str(tmp_path / BEFORE_MIGRATION_FOLDER) in result.stderr
