"""SQL for requests to have a key person go along."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db import fetchall, fetchone
from bot.people.availability import available


@dataclass(frozen=True)
class Request:
    id: int
    requester_id: int | None
    kind: str
    locale: str
    note: str
    status: str
    key_person_id: int | None


@dataclass(frozen=True)
class Contact:
    user_id: int
    first_name: str
    locale: str | None
    telegram_locale: str | None


_COLUMNS = "id, requester_id, kind, locale, note, status, key_person_id"


async def insert(
    conn: aiosqlite.Connection, requester_id: int, kind: str, locale: str, note: str, now: int
) -> int:
    cursor = await conn.execute(
        "INSERT INTO accompaniments (requester_id, kind, locale, note, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (requester_id, kind, locale, note, now),
    )
    return cursor.lastrowid


async def get(conn: aiosqlite.Connection, request_id: int) -> Request | None:
    row = await fetchone(conn, f"SELECT {_COLUMNS} FROM accompaniments WHERE id = ?", (request_id,))
    return Request(**dict(row)) if row else None


async def take(conn: aiosqlite.Connection, request_id: int, key_person_id: int, now: int) -> bool:
    """The first key person to say yes gets it; False when someone was first."""
    cursor = await conn.execute(
        "UPDATE accompaniments SET status = 'accepted', key_person_id = ?, accepted_at = ?"
        " WHERE id = ? AND status = 'open'",
        (key_person_id, now, request_id),
    )
    return cursor.rowcount == 1


async def finish(conn: aiosqlite.Connection, request_id: int, status: str, now: int) -> bool:
    """Confirm or cancel an accepted request (once)."""
    cursor = await conn.execute(
        "UPDATE accompaniments SET status = ?, confirmed_at = ?"
        " WHERE id = ? AND status IN ('open', 'accepted')",
        (status, now, request_id),
    )
    return cursor.rowcount == 1


async def key_persons_for(
    conn: aiosqlite.Connection, languages: list[str], exclude: int
) -> list[Contact]:
    """Key persons who read one of the languages (their own, or their helper languages)."""
    marks = ",".join("?" * len(languages))
    likes = " OR ".join("(',' || coalesce(h.languages, '') || ',') LIKE ?" for _ in languages)
    rows = await fetchall(
        conn,
        f"""
        SELECT DISTINCT u.id AS user_id, u.first_name, u.locale, u.telegram_locale FROM users u
        JOIN roles r ON r.user_id = u.id AND r.role = 'key_person'
        LEFT JOIN helpers h ON h.user_id = u.id
        WHERE {available(pause_counts=False)} AND u.id != ?
              AND (coalesce(u.locale, u.telegram_locale) IN ({marks}) OR {likes or "0"})
        ORDER BY u.id
        """,
        (exclude, *languages, *(f"%,{lang},%" for lang in languages)),
    )
    return [Contact(**dict(row)) for row in rows]


async def contact(conn: aiosqlite.Connection, user_id: int) -> Contact | None:
    row = await fetchone(
        conn,
        "SELECT id AS user_id, first_name, locale, telegram_locale FROM users WHERE id = ?",
        (user_id,),
    )
    return Contact(**dict(row)) if row else None


async def forget_requester(conn: aiosqlite.Connection, user_id: int) -> None:
    """Their requests go, notes and all (copies sent to key persons go with the outbox)."""
    await conn.execute("DELETE FROM accompaniments WHERE requester_id = ?", (user_id,))


async def drop_key_person(conn: aiosqlite.Connection, user_id: int, now: int) -> list[Request]:
    """A key person leaves: a request they said yes to but that is not confirmed yet is
    cancelled (returned, so the requester can be told); finished ones forget who went."""
    rows = await fetchall(
        conn,
        f"""
        UPDATE accompaniments SET status = 'cancelled', confirmed_at = ?
        WHERE key_person_id = ? AND status = 'accepted' RETURNING {_COLUMNS}
        """,
        (now, user_id),
    )
    await conn.execute(
        "UPDATE accompaniments SET key_person_id = NULL WHERE key_person_id = ?", (user_id,)
    )
    return [Request(**dict(row)) for row in rows]
