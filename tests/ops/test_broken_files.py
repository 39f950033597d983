"""Broken database files, from the command line: one line that names the file and what is wrong,
exit code 2 (configuration) or 1, never a traceback, never a hang (every run has a time limit).
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.db import DatabaseProblem, check_path
from tests.fake_telegram import FakeTelegram
from tests.ops.helpers import ROOT, TOKEN, free_port, start_bot, wait_for

TIME_LIMIT = 60  # seconds: a command that takes longer hangs


def command(tmp_path: Path, database: Path, *args: str, telegram: FakeTelegram | None = None):
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "BOT_TOKEN"))},
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(database),
        "HEALTH_PORT": str(free_port()),
    }
    if telegram is not None:
        environment.update(BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=telegram.base_url)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
    )


def assert_one_line(result: subprocess.CompletedProcess, code: int, *words: str) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def migrated(database: Path, people: int = 0) -> Path:
    result = command(database.parent, database, "migrate")
    assert result.returncode == 0, result.stderr
    if people:
        with sqlite3.connect(database) as conn:
            conn.executemany(
                "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (?, ?, 0, 0)",
                [(n, "x" * 200) for n in range(1, people + 1)],
            )
        conn.close()
    return database


def damage_pages(database: Path) -> None:
    """Garbage in the middle of the last pages: the schema reads fine, the data does not."""
    size = database.stat().st_size
    with database.open("r+b") as file:
        for page in range(size // 4096 - 6, size // 4096):
            file.seek(page * 4096 + 8)
            file.write(b"\xff" * 2000)


COMMANDS = [("run",), ("migrate",), ("backup", "copy.sqlite3")]


@pytest.fixture
def telegram():
    with FakeTelegram([]) as stand_in:
        yield stand_in


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_a_database_path_under_a_file(tmp_path, telegram, args):
    (tmp_path / "data").write_text("I am a file")
    database = tmp_path / "data" / "db.sqlite3"
    result = command(tmp_path, database, *args, telegram=telegram)
    if args[0] == "backup":
        assert_one_line(result, 1, str(database))
    else:
        assert_one_line(result, 2, str(database), "is a file, not a folder")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_a_file_that_is_not_a_database(tmp_path, telegram, args):
    database = tmp_path / "db.sqlite3"
    database.write_text("these are my notes, not a database\n" * 100)
    result = command(tmp_path, database, *args, telegram=telegram)
    assert_one_line(result, 1, str(database), "not a database")
    assert database.read_text().startswith("these are my notes")  # left as it was


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_a_database_with_damaged_pages_is_refused_at_the_start(tmp_path, telegram, args):
    database = migrated(tmp_path / "db.sqlite3", people=400)
    damage_pages(database)
    result = command(tmp_path, database, *args, telegram=telegram)
    line = assert_one_line(result, 1, str(database))
    if args[0] != "backup":
        assert "damaged" in line and "backup" in line
    assert not telegram.sent("sendMessage")


@pytest.mark.parametrize("args", COMMANDS[:2], ids=lambda args: args[0])
def test_a_database_with_a_damaged_schema_is_refused(tmp_path, telegram, args):
    database = migrated(tmp_path / "db.sqlite3")
    data = bytearray(database.read_bytes())
    start = data.find(b"CREATE TABLE questions")
    data[start + 10 : start + 40] = b"\x00" * 30
    database.write_bytes(bytes(data))
    result = command(tmp_path, database, *args, telegram=telegram)
    assert_one_line(result, 1, str(database), "damaged")


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """No one may write to `path`: by its mode, or, for root (who ignores modes), by making it
    immutable. Undone afterwards, so that the test's folder can be removed."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
        pytest.skip("running as root, and this file system cannot make a file immutable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("args", COMMANDS[:2], ids=lambda args: args[0])
def test_a_read_only_database_file(tmp_path, telegram, args):
    database = migrated(tmp_path / "db.sqlite3")
    with read_only(database):
        result = command(tmp_path, database, *args, telegram=telegram)
    assert_one_line(result, 2, str(database), "read-only")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_an_unwritable_folder(tmp_path, telegram, args):
    folder = tmp_path / "locked"
    folder.mkdir()
    database = migrated(folder / "db.sqlite3")
    (folder / "db.sqlite3-wal").unlink(missing_ok=True)
    (folder / "db.sqlite3-shm").unlink(missing_ok=True)
    target = (str(folder / "copy.sqlite3"),) if args[0] == "backup" else ()
    with read_only(folder):
        result = command(tmp_path, database, args[0], *target, telegram=telegram)
    if args[0] == "backup":
        assert_one_line(result, 1, str(folder))
    else:
        assert_one_line(result, 2, str(folder), "cannot write in the folder")


def test_the_path_checks_name_a_read_only_file_and_an_unwritable_folder(tmp_path, monkeypatch):
    """The same checks in-process, for when the tests run as root (who may write anyway)."""
    database = tmp_path / "db.sqlite3"
    database.write_bytes(b"")
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != database)
    with pytest.raises(DatabaseProblem, match="is read-only") as refused:
        check_path(database)
    assert refused.value.exit_code == 2
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(DatabaseProblem, match="cannot write in the folder") as refused:
        check_path(database)
    assert refused.value.exit_code == 2


def test_a_second_bot_on_the_same_database_refuses_and_a_crash_leaves_no_stale_lock(
    tmp_path, telegram
):
    database = tmp_path / "db.sqlite3"
    first = start_bot(tmp_path, telegram)
    try:
        second = command(tmp_path, database, "run", telegram=telegram)
        line = assert_one_line(second, 1, str(database), "another Landgenoot")
        assert f"process {first.process.pid}" in line
        assert_one_line(command(tmp_path, database, "migrate"), 1, "another Landgenoot")
    finally:
        first.process.send_signal(signal.SIGKILL)  # a crash: no clean-up runs
        first.process.communicate(timeout=TIME_LIMIT)
    restarted = start_bot(tmp_path, telegram)
    wait_for(restarted.is_up, "the restarted bot")
    assert restarted.terminate() < TIME_LIMIT
    assert restarted.process.returncode == 0, restarted.stderr
