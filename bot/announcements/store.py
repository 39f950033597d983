"""SQL for announcements: drafts, their fan-out state, and where the organiser sees progress."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db import fetchall, fetchone


@dataclass(frozen=True)
class Announcement:
    id: int
    author_id: int | None
    text: str
    status: str
    recipients: int | None
    progress_chat: int | None
    progress_message: int | None
    cafe_id: int | None


_COLUMNS = "id, author_id, text, status, recipients, progress_chat, progress_message, cafe_id"


def _announcement(row: aiosqlite.Row) -> Announcement:
    return Announcement(*(row[column.strip()] for column in _COLUMNS.split(",")))


async def insert_draft(
    conn: aiosqlite.Connection, author_id: int, text: str, cafe_id: int | None, now: int
) -> int:
    cursor = await conn.execute(
        "INSERT INTO announcements (author_id, text, cafe_id, created_at) VALUES (?, ?, ?, ?)",
        (author_id, text, cafe_id, now),
    )
    return cursor.lastrowid


async def get(conn: aiosqlite.Connection, announcement_id: int) -> Announcement | None:
    row = await fetchone(
        conn, f"SELECT {_COLUMNS} FROM announcements WHERE id = ?", (announcement_id,)
    )
    return _announcement(row) if row else None


async def start_sending(conn: aiosqlite.Connection, announcement_id: int, now: int) -> bool:
    """Move a draft to 'sending'; False when it is not a draft any more (pressed twice)."""
    cursor = await conn.execute(
        "UPDATE announcements SET status = 'sending', sent_at = ?"
        " WHERE id = ? AND status = 'draft'",
        (now, announcement_id),
    )
    return cursor.rowcount == 1


async def set_progress_message(
    conn: aiosqlite.Connection, announcement_id: int, chat_id: int, message_id: int
) -> None:
    await conn.execute(
        "UPDATE announcements SET progress_chat = ?, progress_message = ? WHERE id = ?",
        (chat_id, message_id, announcement_id),
    )


async def set_recipients(conn: aiosqlite.Connection, announcement_id: int, count: int) -> None:
    await conn.execute(
        "UPDATE announcements SET recipients = ? WHERE id = ?", (count, announcement_id)
    )


async def cancel(conn: aiosqlite.Connection, announcement_id: int, now: int) -> bool:
    cursor = await conn.execute(
        "UPDATE announcements SET status = 'cancelled', finished_at = ?"
        " WHERE id = ? AND status = 'draft'",
        (now, announcement_id),
    )
    return cursor.rowcount == 1


async def sending(conn: aiosqlite.Connection) -> list[Announcement]:
    rows = await fetchall(
        conn, f"SELECT {_COLUMNS} FROM announcements WHERE status = 'sending' ORDER BY id"
    )
    return [_announcement(row) for row in rows]


async def finish(conn: aiosqlite.Connection, announcement_id: int, now: int) -> bool:
    cursor = await conn.execute(
        "UPDATE announcements SET status = 'done', finished_at = ?"
        " WHERE id = ? AND status = 'sending'",
        (now, announcement_id),
    )
    return cursor.rowcount == 1


async def forget_author(conn: aiosqlite.Connection, user_id: int) -> None:
    """Their drafts (never sent: still their own words) go; what went to everyone stays in
    the community's name, no longer kept up to date in their chat."""
    await conn.execute(
        "DELETE FROM announcements WHERE author_id = ? AND status IN ('draft', 'cancelled')",
        (user_id,),
    )
    await conn.execute(
        "UPDATE announcements SET progress_chat = NULL, progress_message = NULL"
        " WHERE progress_chat = ?",
        (user_id,),
    )
