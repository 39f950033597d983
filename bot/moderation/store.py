"""SQL for reports, blocks and the moderation log (shared by questions and tips)."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db import fetchall, fetchone


@dataclass(frozen=True)
class Report:
    id: int
    kind: str
    target_id: int
    count: int  # how many people reported the same thing


async def insert_report(
    conn: aiosqlite.Connection, kind: str, target_id: int, reporter_id: int, now: int
) -> bool:
    """False when this person reported this already."""
    cursor = await conn.execute(
        "INSERT INTO reports (kind, target_id, reporter_id, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (kind, target_id, reporter_id, now),
    )
    return cursor.rowcount == 1


async def reports_since(conn: aiosqlite.Connection, reporter_id: int, since: int) -> int:
    row = await fetchone(
        conn,
        "SELECT count(*) FROM reports WHERE reporter_id = ? AND created_at > ?",
        (reporter_id, since),
    )
    return row[0]


async def open_reports(conn: aiosqlite.Connection, limit: int) -> list[Report]:
    """One line per reported thing, the most reported first."""
    rows = await fetchall(
        conn,
        """
        SELECT min(id) AS id, kind, target_id, count(*) AS count FROM reports
        WHERE status = 'open' GROUP BY kind, target_id ORDER BY count DESC, min(id) LIMIT ?
        """,
        (limit,),
    )
    return [Report(row["id"], row["kind"], row["target_id"], row["count"]) for row in rows]


async def get_report(conn: aiosqlite.Connection, report_id: int) -> Report | None:
    row = await fetchone(
        conn,
        "SELECT id, kind, target_id FROM reports WHERE id = ? AND status = 'open'",
        (report_id,),
    )
    return Report(row["id"], row["kind"], row["target_id"], 1) if row else None


async def close_reports(
    conn: aiosqlite.Connection, kind: str, target_id: int, status: str, now: int
) -> None:
    await conn.execute(
        "UPDATE reports SET status = ?, handled_at = ?"
        " WHERE kind = ? AND target_id = ? AND status = 'open'",
        (status, now, kind, target_id),
    )


async def is_blocked(conn: aiosqlite.Connection, user_id: int) -> bool:
    row = await fetchone(conn, "SELECT 1 FROM blocks WHERE user_id = ?", (user_id,))
    return row is not None


async def block(
    conn: aiosqlite.Connection, user_id: int, reason: str, blocked_by: int, now: int
) -> None:
    await conn.execute(
        "INSERT INTO blocks (user_id, reason, blocked_by, blocked_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason,"
        " blocked_by = excluded.blocked_by, blocked_at = excluded.blocked_at",
        (user_id, reason, blocked_by, now),
    )


@dataclass(frozen=True)
class AuditEntry:
    at: int
    actor: str | None  # first name, or None once erased
    action: str
    target: str
    reason: str | None
    target_name: str | None = None  # the first name of a person, the title of a café


async def audit_entries(conn: aiosqlite.Connection, limit: int) -> list[AuditEntry]:
    rows = await fetchall(
        conn,
        """
        SELECT l.at, u.first_name, l.action, l.target, l.reason,
               coalesce(p.first_name, c.title) FROM moderation_log l
        LEFT JOIN users u ON u.id = l.actor_id
        LEFT JOIN users p ON l.target = 'user:' || p.id
        LEFT JOIN cafes c ON l.target = 'cafe:' || c.id
        ORDER BY l.id DESC LIMIT ?
        """,
        (limit,),
    )
    return [AuditEntry(*row) for row in rows]


@dataclass(frozen=True)
class Banned:
    user_id: int
    first_name: str
    reason: str


async def banned(conn: aiosqlite.Connection) -> list[Banned]:
    rows = await fetchall(
        conn,
        "SELECT b.user_id, u.first_name, b.reason FROM blocks b JOIN users u ON u.id = b.user_id"
        " ORDER BY b.blocked_at",
    )
    return [Banned(*row) for row in rows]


async def unblock(conn: aiosqlite.Connection, user_id: int) -> bool:
    cursor = await conn.execute("DELETE FROM blocks WHERE user_id = ?", (user_id,))
    return cursor.rowcount == 1


async def log(
    conn: aiosqlite.Connection, actor_id: int, action: str, target: str, reason: str, now: int
) -> None:
    await conn.execute(
        "INSERT INTO moderation_log (actor_id, action, target, reason, at) VALUES (?, ?, ?, ?, ?)",
        (actor_id, action, target, reason, now),
    )
