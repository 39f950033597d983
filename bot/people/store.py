"""SQL for users, roles and invites."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db import fetchall, fetchone
from bot.people.roles import Role


@dataclass(frozen=True)
class StoredUser:
    id: int
    first_name: str
    locale: str | None
    telegram_locale: str | None
    reachable: bool
    subscribed: bool
    awaiting: str | None
    roles: frozenset[Role]
    banned: bool = False


@dataclass(frozen=True)
class Invite:
    role: Role
    created_by: int | None  # None: an admin link the bot made itself
    expires_at: int
    used_by: int | None


@dataclass(frozen=True)
class RoleHolder:
    user_id: int
    first_name: str
    role: Role


async def get_user(conn: aiosqlite.Connection, user_id: int) -> StoredUser | None:
    row = await fetchone(
        conn,
        """
        SELECT u.id, u.first_name, u.locale, u.telegram_locale, u.reachable, u.subscribed,
               u.awaiting, EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = u.id) AS banned,
               group_concat(r.role) AS roles
        FROM users u LEFT JOIN roles r ON r.user_id = u.id
        WHERE u.id = ? GROUP BY u.id
        """,
        (user_id,),
    )
    if row is None:
        return None
    roles = (
        frozenset(Role(name) for name in row["roles"].split(",")) if row["roles"] else frozenset()
    )
    return StoredUser(
        row["id"],
        row["first_name"],
        row["locale"],
        row["telegram_locale"],
        bool(row["reachable"]),
        bool(row["subscribed"]),
        row["awaiting"],
        roles,
        bool(row["banned"]),
    )


async def insert_user(conn: aiosqlite.Connection, user_id: int, first_name: str, now: int) -> None:
    await conn.execute(
        "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id) DO NOTHING",
        (user_id, first_name, now, now),
    )


async def update_profile(
    conn: aiosqlite.Connection,
    user_id: int,
    first_name: str,
    telegram_locale: str | None,
    now: int,
) -> None:
    await conn.execute(
        "UPDATE users SET first_name = ?, telegram_locale = ?, updated_at = ? WHERE id = ?",
        (first_name, telegram_locale, now, user_id),
    )


async def mark_reachable(
    conn: aiosqlite.Connection, user_id: int, reachable: bool, now: int
) -> None:
    await conn.execute(
        "UPDATE users SET reachable = ?, updated_at = ? WHERE id = ?",
        (int(reachable), now, user_id),
    )


async def set_locale(conn: aiosqlite.Connection, user_id: int, locale: str, now: int) -> None:
    await conn.execute(
        "UPDATE users SET locale = ?, updated_at = ? WHERE id = ?", (locale, now, user_id)
    )


async def set_subscribed(
    conn: aiosqlite.Connection, user_id: int, subscribed: bool, now: int
) -> None:
    await conn.execute(
        "UPDATE users SET subscribed = ?, updated_at = ? WHERE id = ?",
        (int(subscribed), now, user_id),
    )


async def set_awaiting(conn: aiosqlite.Connection, user_id: int, awaiting: str | None) -> None:
    await conn.execute("UPDATE users SET awaiting = ? WHERE id = ?", (awaiting, user_id))


@dataclass(frozen=True)
class Recipient:
    id: int
    locale: str | None
    telegram_locale: str | None


async def reachable_subscribers(conn: aiosqlite.Connection) -> list[Recipient]:
    rows = await fetchall(
        conn,
        "SELECT id, locale, telegram_locale FROM users"
        " WHERE subscribed = 1 AND reachable = 1 ORDER BY id",
    )
    return [Recipient(row["id"], row["locale"], row["telegram_locale"]) for row in rows]


async def count_reachable_subscribers(conn: aiosqlite.Connection) -> int:
    rows = await fetchall(conn, "SELECT count(*) FROM users WHERE subscribed = 1 AND reachable = 1")
    return rows[0][0]


async def grant_role(
    conn: aiosqlite.Connection, user_id: int, role: Role, granted_by: int | None, now: int
) -> bool:
    """Give a role; False when the user had it already."""
    cursor = await conn.execute(
        "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (user_id, role) DO NOTHING",
        (user_id, role.value, granted_by, now),
    )
    return cursor.rowcount == 1


async def role_holders(conn: aiosqlite.Connection) -> list[RoleHolder]:
    rows = await fetchall(
        conn,
        """
        SELECT r.user_id, u.first_name, r.role FROM roles r JOIN users u ON u.id = r.user_id
        ORDER BY r.role, u.first_name COLLATE NOCASE, r.user_id
        """,
    )
    return [RoleHolder(row["user_id"], row["first_name"], Role(row["role"])) for row in rows]


async def first_names(conn: aiosqlite.Connection, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    marks = ",".join("?" * len(user_ids))
    rows = await fetchall(conn, f"SELECT id, first_name FROM users WHERE id IN ({marks})", user_ids)
    return {row["id"]: row["first_name"] for row in rows}


async def insert_invite(
    conn: aiosqlite.Connection,
    token_hash: str,
    role: Role,
    created_by: int | None,
    created_at: int,
    expires_at: int,
) -> None:
    await conn.execute(
        "INSERT INTO invites (token_hash, role, created_by, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (token_hash, role.value, created_by, created_at, expires_at),
    )


async def get_invite(conn: aiosqlite.Connection, token_hash: str) -> Invite | None:
    row = await fetchone(
        conn,
        "SELECT role, created_by, expires_at, used_by FROM invites WHERE token_hash = ?",
        (token_hash,),
    )
    if row is None:
        return None
    return Invite(Role(row["role"]), row["created_by"], row["expires_at"], row["used_by"])


async def mark_invite_used(
    conn: aiosqlite.Connection, token_hash: str, used_by: int, now: int
) -> bool:
    """Claim the invite; False when someone else claimed it first."""
    cursor = await conn.execute(
        "UPDATE invites SET used_by = ?, used_at = ? WHERE token_hash = ? AND used_at IS NULL",
        (used_by, now, token_hash),
    )
    return cursor.rowcount == 1


async def has_stored_admin(conn: aiosqlite.Connection) -> bool:
    row = await fetchone(conn, "SELECT 1 FROM roles WHERE role = 'admin' LIMIT 1")
    return row is not None


async def withdraw_admin_links(conn: aiosqlite.Connection) -> None:
    """The bot's own admin links that nobody opened: a new one replaces them."""
    await conn.execute(
        "DELETE FROM invites WHERE created_by IS NULL AND role = 'admin' AND used_at IS NULL"
    )
