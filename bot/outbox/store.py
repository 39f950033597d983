"""SQL for the outbox: durable messages to people other than the one who is talking.

Rows are written in the same transaction as the change that causes them, so a rolled-back
change enqueues nothing and a committed one cannot lose its message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

import aiosqlite

from bot.db import fetchall
from bot.ui import split_text


class Priority(IntEnum):
    DIRECT = 0  # one person, about something that just happened to them
    BULK = 1  # announcements and other fan-out


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a message: a Telegram file id sent again (`file_id`), or bytes
    uploaded under `name` (a generated calendar file). The message's text is its caption."""

    kind: str  # "voice", "photo" or "document"
    file_id: str | None = None
    content: bytes | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ATTACHMENT_KINDS:
            raise ValueError(f"not a kind of attachment: {self.kind!r}")
        if (self.file_id is None) == (self.content is None):
            raise ValueError("an attachment is a file id or bytes, not both or neither")


ATTACHMENT_KINDS = ("voice", "photo", "document")


@dataclass(frozen=True)
class OutboxRow:
    id: int
    recipient_id: int
    text: str
    reply_markup: dict | None
    attempts: int
    batch_id: int | None
    attachment: Attachment | None = None
    priority: Priority = Priority.DIRECT

    @property
    def bulk(self) -> bool:
        return self.priority == Priority.BULK


_INSERT = """
    INSERT INTO outbox (recipient_id, priority, text, reply_markup, dedupe_key,
                        batch_id, not_before, created_at, file_kind, file_id, file_bytes, file_name)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING
"""
MAX_CAPTION_CHARS = 1024  # Telegram's limit for the caption of a voice note, photo or file


def _rows(
    recipient_id: int,
    text: str,
    priority: Priority,
    reply_markup: dict | None,
    dedupe_key: str | None,
    batch_id: int | None,
    now: int,
    attachments: Sequence[Attachment] = (),
) -> list[tuple]:
    """A text over Telegram's limit becomes several rows, in order, with the buttons on the last.

    Files go first, in order, the text as the caption of the last one when it fits, else
    after them as its own message(s).
    """
    parts: list[tuple[str, Attachment | None]] = [("", file) for file in attachments]
    if parts and len(text) <= MAX_CAPTION_CHARS:
        parts[-1] = (text, parts[-1][1])
    elif text or not parts:
        parts += [(part, None) for part in split_text(text)]
    markup = json.dumps(reply_markup) if reply_markup else None
    return [
        (
            recipient_id,
            int(priority),
            part,
            markup if index == len(parts) - 1 else None,
            dedupe_key if dedupe_key is None or index == 0 else f"{dedupe_key}#{index}",
            batch_id,
            now,
            now,
            file.kind if file else None,
            file.file_id if file else None,
            file.content if file else None,
            file.name if file else None,
        )
        for index, (part, file) in enumerate(parts)
    ]


async def enqueue(
    conn: aiosqlite.Connection,
    recipient_id: int,
    text: str,
    *,
    now: int,
    priority: Priority = Priority.DIRECT,
    reply_markup: dict | None = None,
    dedupe_key: str | None = None,
    voice: str | None = None,
    attachments: Sequence[Attachment] = (),
    about: Iterable[int | None] = (),
) -> bool:
    """Queue a message. False when a row with this dedupe key exists already (cause handled).

    `attachments`: photos, documents or a voice note sent before the text, which is the last
    one's caption when it fits (`voice`: a voice note's file id, the short way to say one).
    `about`: the people whose words this message quotes or whose name or Telegram link it
    carries (besides the recipient), so that erasing one of them deletes it wherever it is;
    that includes the files of their question.
    """
    files = [*attachments, *([Attachment("voice", voice)] if voice is not None else [])]
    rows = _rows(recipient_id, text, priority, reply_markup, dedupe_key, None, now, files)
    people = sorted({person for person in about if person is not None and person != recipient_id})
    if not people:
        cursor = await conn.executemany(_INSERT, rows)
        return cursor.rowcount > 0
    queued = False
    for row in rows:
        inserted = await fetchall(conn, _INSERT + " RETURNING id", row)
        for (row_id,) in inserted:
            await conn.executemany(
                "INSERT INTO outbox_about (outbox_id, user_id) VALUES (?, ?)",
                [(row_id, person) for person in people],
            )
            queued = True
    return queued


async def enqueue_many(
    conn: aiosqlite.Connection,
    messages: Iterable[tuple[int, str, dict | None]],
    *,
    now: int,
    batch_id: int,
    dedupe_prefix: str,
    priority: Priority = Priority.BULK,
) -> int:
    """Queue (recipient, text, buttons) as one batch; each recipient at most once per prefix."""
    rows = [
        row
        for recipient_id, text, markup in messages
        for row in _rows(
            recipient_id, text, priority, markup, f"{dedupe_prefix}:{recipient_id}", batch_id, now
        )
    ]
    cursor = await conn.executemany(_INSERT, rows)
    return cursor.rowcount


@dataclass(frozen=True)
class BatchCounts:
    delivered: int  # recipients
    unreachable: int
    failed: int
    waiting: int  # rows not finished yet

    @property
    def finished(self) -> bool:
        return self.waiting == 0


async def batch_counts(conn: aiosqlite.Connection, batch_id: int) -> BatchCounts:
    rows = await fetchall(
        conn,
        """
        SELECT status, count(DISTINCT recipient_id) AS people, count(*) AS messages
        FROM outbox WHERE batch_id = ? GROUP BY status
        """,
        (batch_id,),
    )
    people = {row["status"]: row["people"] for row in rows}
    messages = {row["status"]: row["messages"] for row in rows}
    return BatchCounts(
        delivered=people.get("sent", 0),
        unreachable=people.get("dropped", 0),
        failed=people.get("failed", 0),
        waiting=messages.get("pending", 0) + messages.get("sending", 0),
    )


async def requeue_in_flight(conn: aiosqlite.Connection) -> int:
    """After a crash, rows that were being sent go back to the queue (they may go out twice)."""
    cursor = await conn.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
    return cursor.rowcount


async def claim_due(
    conn: aiosqlite.Connection, now: int, limit: int, busy_chats: Iterable[int] = ()
) -> list[OutboxRow]:
    """Take the next message of each of up to `limit` chats, and mark them in flight.

    Direct before bulk, oldest first. One message per chat: a chat with 500 queued must not
    fill the claim while everyone else waits. A chat's next message is the first of its queue
    (direct before bulk, then by id); while an earlier one waits out a retry, the rest waits
    too, and chats in `busy_chats` (a message in flight) get none: each chat keeps its order.
    """
    busy = list(busy_chats)
    marks = ",".join("?" * len(busy))
    rows = await fetchall(
        conn,
        f"""
        UPDATE outbox SET status = 'sending', attempts = attempts + 1
        WHERE id IN (
            SELECT o.id FROM outbox AS o
            WHERE o.status = 'pending' AND o.not_before <= ? AND o.recipient_id NOT IN ({marks})
              AND NOT EXISTS (
                SELECT 1 FROM outbox AS earlier
                WHERE earlier.recipient_id = o.recipient_id AND earlier.status = 'pending'
                  AND (earlier.priority, earlier.id) < (o.priority, o.id)
              )
            ORDER BY o.priority, o.id LIMIT ?
        )
        RETURNING id, recipient_id, text, reply_markup, attempts, batch_id, priority,
                  file_kind, file_id, file_bytes, file_name
        """,
        (now, *busy, limit),
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
            _attachment(row),
            Priority(row["priority"]),
        )
        for row in rows
    ]


def _attachment(row: aiosqlite.Row) -> Attachment | None:
    if row["file_kind"] is None:
        return None
    return Attachment(row["file_kind"], row["file_id"], row["file_bytes"], row["file_name"])


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
    """Back to the queue, unless meanwhile dropped (its recipient turned out unreachable)."""
    await conn.execute(
        "UPDATE outbox SET status = 'pending', not_before = ?, error = ?"
        " WHERE id = ? AND status = 'sending'",
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


async def delete(conn: aiosqlite.Connection, row_id: int) -> None:
    """Take one row out of the outbox (a message replaced by another), with its references."""
    await conn.execute("DELETE FROM outbox WHERE id = ?", (row_id,))


async def forget_person(conn: aiosqlite.Connection, user_id: int) -> int:
    """Delete every message to this person and every message about them, whatever its status:
    sent copies of their words, and queued ones that would still carry them to others."""
    cursor = await conn.execute(
        """
        DELETE FROM outbox WHERE recipient_id = ?
            OR id IN (SELECT outbox_id FROM outbox_about WHERE user_id = ?)
        """,
        (user_id, user_id),
    )
    return cursor.rowcount


async def pending_count(conn: aiosqlite.Connection) -> int:
    rows = await fetchall(
        conn, "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
    )
    return rows[0][0]
