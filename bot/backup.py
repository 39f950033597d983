"""`python -m bot backup <path>`: a consistent copy of the database, taken while the bot runs.

The copy is made by `VACUUM INTO` on a connection of its own. That is one read transaction: it
sees the database as it was at one moment, and in WAL mode the bot keeps writing meanwhile.
The copy is compact (no free pages, so nothing erased lingers in it), is checked with
`PRAGMA integrity_check`, readable by its owner only, and appears under its name only when
complete. An existing file is never overwritten.

To restore: stop the bot, move the database and its -wal and -shm files aside, copy the backup
to DATABASE_PATH, start the bot (see deploy/README.md).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BUSY_TIMEOUT_MS = 10_000
# Before a migration: a copy in this folder next to the database, the newest few kept.
BEFORE_MIGRATION_FOLDER = "before-migration"
BEFORE_MIGRATION_KEEP = 3
NAME_PATTERN = re.compile(r"^landgenoot-\d{8}T\d{6}Z\.sqlite3$")


class BackupError(Exception):
    """The backup could not be made; the message says why, in one line."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes
    seconds: float
    schema_version: int
    removed: tuple[Path, ...] = ()  # older backups removed by --keep


def backup_name(moment: datetime) -> str:
    return f"landgenoot-{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}.sqlite3"


def make_backup(
    database: Path,
    target: Path,
    *,
    into_folder: bool = False,
    keep: int | None = None,
    now: datetime | None = None,
) -> Backup:
    """Copy `database` to `target`, or into the folder `target` under a dated name.

    With `keep`, only the newest `keep` dated backups in that folder stay.
    """
    started = time.perf_counter()
    if not database.is_file():
        raise BackupError(f"there is no database at {database} (DATABASE_PATH)")
    into_folder = into_folder or target.is_dir()
    if keep is not None and not into_folder:
        raise BackupError("--keep needs a folder to back up into, such as backups/")
    if keep is not None and keep < 1:
        raise BackupError("--keep must be 1 or more")
    if into_folder:
        folder = target
        target = folder / backup_name(now or datetime.now(UTC))
    else:
        folder = target.parent
    if target.exists() or target.is_symlink():
        raise BackupError(f"{target} exists already; a backup never overwrites a file")
    folder.mkdir(parents=True, exist_ok=True)

    partial = folder / f".{target.name}.partial"
    partial.unlink(missing_ok=True)  # left over from an interrupted backup
    # Only its owner may read it: it holds everyone's data. VACUUM INTO accepts an empty file.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        _vacuum_into(database, partial)
        schema_version = _check(partial)
        _fsync(partial)
        if target.exists():
            raise BackupError(f"{target} appeared while the backup was made; not overwritten")
        partial.rename(target)
        _fsync(folder)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    removed = _prune(folder, keep, target) if keep is not None else ()
    return Backup(
        target, target.stat().st_size, time.perf_counter() - started, schema_version, removed
    )


def backup_before_migration(database: Path) -> Backup:
    """A dated copy in `before-migration/` beside the database, the newest 3 kept: a migration
    cannot be undone, so the copy is how an upgrade is rolled back (see deploy/README.md)."""
    folder = database.parent / BEFORE_MIGRATION_FOLDER
    if (folder / backup_name(datetime.now(UTC))).exists():
        time.sleep(1)  # names are dated to the second: a restart right after the last one
    return make_backup(database, folder, into_folder=True, keep=BEFORE_MIGRATION_KEEP)


def _vacuum_into(database: Path, copy: Path) -> None:
    # mode=rw: never create an empty database where the real one is missing.
    uri = f"{database.resolve().as_uri()}?mode=rw"
    try:
        source = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10)
    except sqlite3.Error as error:
        raise BackupError(f"cannot open {database}: {error}") from error
    try:
        source.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        source.execute("VACUUM INTO ?", (str(copy),))
    except sqlite3.Error as error:
        raise BackupError(f"cannot copy {database}: {error}") from error
    finally:
        source.close()


def _check(copy: Path) -> int:
    """Integrity of the copy; returns its schema version."""
    connection = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()
    if result != ["ok"]:
        raise BackupError(f"the copy failed its integrity check: {'; '.join(result[:3])}")
    return int(version)


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    with contextlib.suppress(OSError):  # some file systems cannot sync a folder
        descriptor = os.open(path, flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _prune(folder: Path, keep: int, made: Path) -> tuple[Path, ...]:
    """Remove all but the newest `keep` dated backups (their names sort by time); the one just
    made always stays, even if the clock was set back."""
    dated = sorted(
        p
        for p in folder.iterdir()
        if NAME_PATTERN.match(p.name) and p.is_file() and p.name != made.name
    )
    old = dated[: max(0, len(dated) - (keep - 1))]
    for path in old:
        path.unlink()
    return tuple(old)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
