"""SQL for the outbox: durable messages to people other than the one who is talking.

Rows are written in the same transaction as the change that causes them, so a rolled-back
change enqueues nothing and a committed one cannot lose its message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import IntEnum

import aiosqlite

from bot.db import fetchall
from bot.ui import split_text


class Priority(IntEnum):
    DIRECT = 0  # one person, about something that just happened to them
    BULK = 1  # announcements and other fan-out


@dataclass(frozen=True)
class OutboxRow:
    id: int
    recipient_id: int
    text: str
    reply_markup: dict | None
    attempts: int
    batch_id: int | None


async def enqueue(
    conn: aiosqlite.Connection,
    recipient_id: int,
    text: str,
    *,
    now: int,
    priority: Priority = Priority.DIRECT,
    reply_markup: dict | None = None,
    dedupe_key: str | None = None,
    batch_id: int | None = None,
) -> bool:
    """Queue a message; a text over Telegram's limit becomes several rows, buttons on the last.

    Returns False when a row with this dedupe key exists already (the cause was handled).
    """
    parts = split_text(text)
    markup = json.dumps(reply_markup) if reply_markup else None
    inserted = False
    for index, part in enumerate(parts):
        key = dedupe_key if dedupe_key is None or index == 0 else f"{dedupe_key}#{index}"
        cursor = await conn.execute(
            """
            INSERT INTO outbox (recipient_id, priority, text, reply_markup, dedupe_key,
                                batch_id, not_before, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING
            """,
            (
                recipient_id,
                int(priority),
                part,
                markup if index == len(parts) - 1 else None,
                key,
                batch_id,
                now,
                now,
            ),
        )
        inserted = inserted or cursor.rowcount == 1
    return inserted


async def requeue_in_flight(conn: aiosqlite.Connection) -> int:
    """After a crash, rows that were being sent go back to the queue (they may go out twice)."""
    cursor = await conn.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
    return cursor.rowcount


async def claim_due(conn: aiosqlite.Connection, now: int, limit: int) -> list[OutboxRow]:
    """Take the next rows to send, direct before bulk, oldest first, and mark them in flight."""
    rows = await fetchall(
        conn,
        """
        UPDATE outbox SET status = 'sending', attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM outbox WHERE status = 'pending' AND not_before <= ?
            ORDER BY priority, id LIMIT ?
        )
        RETURNING id, recipient_id, text, reply_markup, attempts, batch_id, priority
        """,
        (now, limit),
    )
    rows.sort(key=lambda row: (row["priority"], row["id"]))
    return [
        OutboxRow(
            row["id"],
            row["recipient_id"],
            row["text"],
            json.loads(row["reply_markup"]) if row["reply_markup"] else None,
            row["attempts"],
            row["batch_id"],
        )
        for row in rows
    ]


async def next_due_at(conn: aiosqlite.Connection) -> int | None:
    rows = await fetchall(conn, "SELECT min(not_before) FROM outbox WHERE status = 'pending'")
    return rows[0][0] if rows else None


async def mark_sent(conn: aiosqlite.Connection, row_id: int, now: int) -> None:
    await conn.execute(
        "UPDATE outbox SET status = 'sent', finished_at = ?, error = NULL WHERE id = ?",
        (now, row_id),
    )


async def mark_failed(conn: aiosqlite.Connection, row_id: int, error: str, now: int) -> None:
    await conn.execute(
        "UPDATE outbox SET status = 'failed', finished_at = ?, error = ? WHERE id = ?",
        (now, error, row_id),
    )


async def retry_later(conn: aiosqlite.Connection, row_id: int, not_before: int, error: str) -> None:
    await conn.execute(
        "UPDATE outbox SET status = 'pending', not_before = ?, error = ? WHERE id = ?",
        (not_before, error, row_id),
    )


async def drop_for_recipient(
    conn: aiosqlite.Connection, recipient_id: int, reason: str, now: int
) -> int:
    """Drop what is still queued for someone we cannot reach, keeping the reason."""
    cursor = await conn.execute(
        """
        UPDATE outbox SET status = 'dropped', finished_at = ?, error = ?
        WHERE recipient_id = ? AND status IN ('pending', 'sending')
        """,
        (now, reason, recipient_id),
    )
    return cursor.rowcount


async def pending_count(conn: aiosqlite.Connection) -> int:
    rows = await fetchall(
        conn, "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
    )
    return rows[0][0]
