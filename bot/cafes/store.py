"""SQL for language cafés, sign-ups and the organiser's unfinished café."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.db import fetch_together, fetchall, fetchone

LEARNER = "learner"
HOST = "host"
CONFIRMED = "confirmed"
WAITING = "waiting"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Cafe:
    id: int
    title: str
    place: str
    starts_at: int
    ends_at: int
    capacity: int
    host_capacity: int
    level: str | None
    description: str | None
    monthly: bool
    status: str
    checkin_token: str
    created_by: int | None
    followed_by: int | None
    every_weeks: int | None = None  # 1 or 2: one date of a weekly or fortnightly series
    series_id: int | None = None  # the first date of that series
    guests_allowed: bool = False  # each person may bring one guest ("+1")

    def seats(self, kind: str) -> int:
        return self.host_capacity if kind == HOST else self.capacity


@dataclass(frozen=True)
class Counts:
    learners: int = 0
    hosts: int = 0
    learners_waiting: int = 0
    hosts_waiting: int = 0

    def confirmed(self, kind: str) -> int:
        return self.hosts if kind == HOST else self.learners


@dataclass(frozen=True)
class Signup:
    id: int
    cafe_id: int
    user_id: int
    kind: str
    status: str
    checked_in: bool
    guests: int = 0  # 1: they bring a guest, who takes a seat too

    @property
    def seats_taken(self) -> int:
        return 1 + self.guests


@dataclass(frozen=True)
class Attendee:
    signup_id: int
    user_id: int
    first_name: str
    locale: str | None
    telegram_locale: str | None
    kind: str
    status: str
    checked_in: bool
    guests: int = 0


@dataclass(frozen=True)
class Recipient:
    """Someone with a seat or a waitlist place: who to tell when the café changes."""

    signup_id: int
    user_id: int
    locale: str | None
    telegram_locale: str | None
    status: str


_CAFE_COLUMNS = (
    "id, title, place, starts_at, ends_at, capacity, host_capacity, level, description, "
    "monthly, status, checkin_token, created_by, followed_by, every_weeks, series_id, "
    "guests_allowed"
)


_SIGNUP = "id, cafe_id, user_id, kind, status, checked_in_at IS NOT NULL AS checked_in, guests"
_SIGNUP_NAMES = ("id", "cafe_id", "user_id", "kind", "status", "checked_in", "guests")


def _signup(row: aiosqlite.Row) -> Signup:
    """A sign-up from a row with the `_SIGNUP` columns (and maybe more)."""
    values = {name: row[name] for name in _SIGNUP_NAMES}
    return Signup(**values | {"checked_in": bool(values["checked_in"])})


def _cafe(row: aiosqlite.Row) -> Cafe:
    values = dict(row)
    values["monthly"] = bool(values["monthly"])
    values["guests_allowed"] = bool(values["guests_allowed"])
    return Cafe(**values)


async def insert_cafe(
    conn: aiosqlite.Connection,
    *,
    title: str,
    place: str,
    starts_at: int,
    ends_at: int,
    capacity: int,
    host_capacity: int,
    level: str | None,
    description: str | None,
    monthly: bool,
    checkin_token: str,
    created_by: int,
    now: int,
    every_weeks: int | None = None,
    series_id: int | None = None,
    guests_allowed: bool = False,
) -> int:
    cursor = await conn.execute(
        """
        INSERT INTO cafes (title, place, starts_at, ends_at, capacity, host_capacity, level,
                           description, monthly, checkin_token, created_by, created_at, updated_at,
                           every_weeks, series_id, guests_allowed)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            title,
            place,
            starts_at,
            ends_at,
            capacity,
            host_capacity,
            level,
            description,
            int(monthly),
            checkin_token,
            created_by,
            now,
            now,
            every_weeks,
            series_id,
            int(guests_allowed),
        ),
    )
    return cursor.lastrowid


async def update_cafe(conn: aiosqlite.Connection, cafe_id: int, now: int, **fields: object) -> None:
    allowed = {
        "title",
        "place",
        "starts_at",
        "ends_at",
        "capacity",
        "host_capacity",
        "level",
        "description",
        "monthly",
        "status",
        "followed_by",
        "every_weeks",
        "series_id",
        "guests_allowed",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not café fields: {unknown}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    await conn.execute(
        f"UPDATE cafes SET {assignments}, updated_at = ? WHERE id = ?",
        (*fields.values(), now, cafe_id),
    )


async def get_cafe(conn: aiosqlite.Connection, cafe_id: int) -> Cafe | None:
    row = await fetchone(conn, f"SELECT {_CAFE_COLUMNS} FROM cafes WHERE id = ?", (cafe_id,))
    return _cafe(row) if row else None


# The coming cafés (scheduled, not ended yet, soonest first), as the subquery that
# `upcoming_listings` counts and finds sign-ups in.
_COMING = (
    "SELECT id FROM cafes WHERE status = 'scheduled' AND ends_at > ? ORDER BY starts_at, id LIMIT ?"
)
_COUNTS = """
    SELECT cafe_id,
           sum(CASE WHEN kind = 'learner' AND status = 'confirmed' THEN 1 + guests END)
               AS learners,
           sum(kind = 'host' AND status = 'confirmed') AS hosts,
           sum(CASE WHEN kind = 'learner' AND status = 'waiting' THEN 1 + guests END)
               AS learners_waiting,
           sum(kind = 'host' AND status = 'waiting') AS hosts_waiting
    FROM signups WHERE cafe_id IN ({cafes}) AND status != 'cancelled'
    GROUP BY cafe_id
"""


_OWN_SIGNUPS = f"""
    SELECT {_SIGNUP},
           CASE WHEN s.status = 'waiting' THEN (
               SELECT count(*) FROM signups w
               WHERE w.cafe_id = s.cafe_id AND w.kind = s.kind
                     AND w.status = 'waiting' AND w.id <= s.id
           ) ELSE 0 END AS position
    FROM signups s
    WHERE user_id = ? AND cafe_id IN ({{cafes}}) AND status != 'cancelled'
"""


@dataclass(frozen=True)
class Listing:
    """A café as a person sees it: its seats, and their own sign-up and waitlist place."""

    cafe: Cafe
    counts: Counts
    mine: Signup | None
    position: int = 0  # the reader's place on the waitlist, when they are on it


async def upcoming_listings(
    conn: aiosqlite.Connection, now: int, limit: int, user_id: int | None
) -> list[Listing]:
    """The coming cafés with their seat counts and, for `user_id`, their own sign-ups: what
    /cafes shows, in one trip to the connection's thread and one snapshot (`fetch_together`)
    instead of one trip per query."""
    statements: list[tuple[str, tuple]] = [
        (
            f"SELECT {_CAFE_COLUMNS} FROM cafes WHERE id IN ({_COMING}) ORDER BY starts_at, id",
            (now, limit),
        ),
        (_COUNTS.format(cafes=_COMING), (now, limit)),
    ]
    if user_id is not None:
        statements.append((_OWN_SIGNUPS.format(cafes=_COMING), (user_id, now, limit)))
    return _listings(*await fetch_together(conn, statements))


async def cafe_listing(conn: aiosqlite.Connection, cafe_id: int, user_id: int) -> Listing | None:
    """One café as `user_id` sees it (any status), in one trip to the connection's thread."""
    found = _listings(
        *await fetch_together(
            conn,
            [
                (f"SELECT {_CAFE_COLUMNS} FROM cafes WHERE id = ?", (cafe_id,)),
                (_COUNTS.format(cafes="?"), (cafe_id,)),
                (_OWN_SIGNUPS.format(cafes="?"), (user_id, cafe_id)),
            ],
        )
    )
    return found[0] if found else None


def _listings(
    cafe_rows: Sequence[aiosqlite.Row],
    count_rows: Sequence[aiosqlite.Row],
    own_rows: Sequence[aiosqlite.Row] = (),
) -> list[Listing]:
    counted = {row["cafe_id"]: _counts(row) for row in count_rows}
    own = {row["cafe_id"]: row for row in own_rows}
    listings = []
    for row in cafe_rows:
        signup = own.get(row["id"])
        listings.append(
            Listing(
                _cafe(row),
                counted.get(row["id"], Counts()),
                _signup(signup) if signup is not None else None,
                signup["position"] if signup is not None else 0,
            )
        )
    return listings


async def latest_cafe(conn: aiosqlite.Connection) -> Cafe | None:
    row = await fetchone(
        conn, f"SELECT {_CAFE_COLUMNS} FROM cafes ORDER BY starts_at DESC, id DESC LIMIT 1"
    )
    return _cafe(row) if row else None


async def ended_monthly_cafes(conn: aiosqlite.Connection, now: int) -> list[Cafe]:
    """Monthly cafés that have ended and have no successor yet."""
    rows = await fetchall(
        conn,
        f"""
        SELECT {_CAFE_COLUMNS} FROM cafes
        WHERE monthly = 1 AND followed_by IS NULL AND ends_at <= ?
        ORDER BY starts_at
        """,
        (now,),
    )
    return [_cafe(row) for row in rows]


async def series_ends(conn: aiosqlite.Connection) -> list[Cafe]:
    """The latest date of every series that still repeats."""
    rows = await fetchall(
        conn,
        f"""
        SELECT {_CAFE_COLUMNS} FROM cafes c
        WHERE c.series_id IS NOT NULL AND c.every_weeks IS NOT NULL
              AND c.starts_at = (SELECT max(starts_at) FROM cafes WHERE series_id = c.series_id)
        """,
    )
    return [_cafe(row) for row in rows]


async def series_from(
    conn: aiosqlite.Connection, series_id: int, starts_from: int, now: int
) -> list[Cafe]:
    """The scheduled dates of a series from this start on that have not ended, soonest first."""
    rows = await fetchall(
        conn,
        f"""
        SELECT {_CAFE_COLUMNS} FROM cafes
        WHERE series_id = ? AND starts_at >= ? AND ends_at > ? AND status = 'scheduled'
        ORDER BY starts_at
        """,
        (series_id, starts_from, now),
    )
    return [_cafe(row) for row in rows]


async def stop_series(
    conn: aiosqlite.Connection, series_id: int, starts_from: int, now: int
) -> None:
    """The series repeats no more after this date (cancelled dates included)."""
    await conn.execute(
        "UPDATE cafes SET every_weeks = NULL, updated_at = ?"
        " WHERE series_id = ? AND starts_at >= ?",
        (now, series_id, starts_from),
    )


async def counts(conn: aiosqlite.Connection, cafe_ids: list[int]) -> dict[int, Counts]:
    if not cafe_ids:
        return {}
    rows = await fetchall(conn, _COUNTS.format(cafes=",".join("?" * len(cafe_ids))), cafe_ids)
    found = {row["cafe_id"]: _counts(row) for row in rows}
    return {cafe_id: found.get(cafe_id, Counts()) for cafe_id in cafe_ids}


def _counts(row: aiosqlite.Row) -> Counts:
    return Counts(
        row["learners"] or 0,
        row["hosts"] or 0,
        row["learners_waiting"] or 0,
        row["hosts_waiting"] or 0,
    )


async def active_signup(conn: aiosqlite.Connection, cafe_id: int, user_id: int) -> Signup | None:
    row = await fetchone(
        conn,
        f"""
        SELECT {_SIGNUP}
        FROM signups WHERE cafe_id = ? AND user_id = ? AND status != 'cancelled'
        """,
        (cafe_id, user_id),
    )
    return _signup(row) if row else None


async def active_signups_of_cafe(conn: aiosqlite.Connection, cafe_id: int) -> dict[int, Signup]:
    """Everyone signed up for one café (seat or waitlist), by user id."""
    rows = await fetchall(
        conn,
        f"SELECT {_SIGNUP} FROM signups WHERE cafe_id = ? AND status != 'cancelled'",
        (cafe_id,),
    )
    return {row["user_id"]: _signup(row) for row in rows}


async def get_signup(conn: aiosqlite.Connection, signup_id: int) -> Signup | None:
    row = await fetchone(
        conn,
        f"""
        SELECT {_SIGNUP}
        FROM signups WHERE id = ?
        """,
        (signup_id,),
    )
    return _signup(row) if row else None


async def insert_signup(
    conn: aiosqlite.Connection,
    cafe_id: int,
    user_id: int,
    kind: str,
    status: str,
    now: int,
    guests: int = 0,
) -> int:
    cursor = await conn.execute(
        "INSERT INTO signups (cafe_id, user_id, kind, status, created_at, updated_at, guests)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (cafe_id, user_id, kind, status, now, now, guests),
    )
    return cursor.lastrowid


async def set_signup_status(
    conn: aiosqlite.Connection, signup_id: int, status: str, now: int
) -> None:
    await conn.execute(
        "UPDATE signups SET status = ?, updated_at = ? WHERE id = ?", (status, now, signup_id)
    )


async def waiting_position(conn: aiosqlite.Connection, signup: Signup) -> int:
    """1 for the first person on this café's waitlist of this kind."""
    row = await fetchone(
        conn,
        """
        SELECT count(*) FROM signups
        WHERE cafe_id = ? AND kind = ? AND status = 'waiting' AND id <= ?
        """,
        (signup.cafe_id, signup.kind, signup.id),
    )
    return row[0]


async def first_waiting(
    conn: aiosqlite.Connection, cafe_id: int, kind: str, seats: int
) -> Signup | None:
    """The first person waiting whose place (with their guest) fits in `seats`."""
    row = await fetchone(
        conn,
        f"""
        SELECT {_SIGNUP} FROM signups
        WHERE cafe_id = ? AND kind = ? AND status = 'waiting' AND 1 + guests <= ?
        ORDER BY id LIMIT 1
        """,
        (cafe_id, kind, seats),
    )
    return _signup(row) if row else None


async def signups_of(
    conn: aiosqlite.Connection, user_id: int, now: int
) -> list[tuple[Cafe, Signup]]:
    """A person's active sign-ups for cafés that have not ended, soonest first."""
    rows = await fetchall(
        conn,
        f"""
        SELECT {", ".join("c." + c.strip() for c in _CAFE_COLUMNS.split(","))},
               s.id AS signup_id, s.kind, s.status AS signup_status,
               s.checked_in_at IS NOT NULL AS checked_in, s.guests AS signup_guests
        FROM signups s JOIN cafes c ON c.id = s.cafe_id
        WHERE s.user_id = ? AND s.status != 'cancelled' AND c.status = 'scheduled'
              AND c.ends_at > ?
        ORDER BY c.starts_at
        """,
        (user_id, now),
    )
    result = []
    for row in rows:
        values = dict(row)
        signup = Signup(
            values.pop("signup_id"),
            values["id"],
            user_id,
            values.pop("kind"),
            values.pop("signup_status"),
            bool(values.pop("checked_in")),
            values.pop("signup_guests"),
        )
        values["monthly"] = bool(values["monthly"])
        values["guests_allowed"] = bool(values["guests_allowed"])
        result.append((Cafe(**values), signup))
    return result


async def attendees(conn: aiosqlite.Connection, cafe_id: int) -> list[Attendee]:
    rows = await fetchall(
        conn,
        """
        SELECT s.id AS signup_id, s.user_id, u.first_name, u.locale, u.telegram_locale, s.kind,
               s.status, s.checked_in_at IS NOT NULL AS checked_in, s.guests
        FROM signups s JOIN users u ON u.id = s.user_id
        WHERE s.cafe_id = ? AND s.status != 'cancelled'
        ORDER BY s.kind DESC, s.status, s.id
        """,
        (cafe_id,),
    )
    return [Attendee(**dict(row) | {"checked_in": bool(row["checked_in"])}) for row in rows]


async def recipients(conn: aiosqlite.Connection, cafe_id: int) -> list[Recipient]:
    rows = await fetchall(
        conn,
        """
        SELECT s.id AS signup_id, s.user_id, u.locale, u.telegram_locale, s.status
        FROM signups s JOIN users u ON u.id = s.user_id
        WHERE s.cafe_id = ? AND s.status IN ('confirmed', 'waiting') AND u.reachable = 1
        """,
        (cafe_id,),
    )
    return [Recipient(**dict(row)) for row in rows]


async def confirmed_between(
    conn: aiosqlite.Connection, starts_after: int, starts_before: int
) -> list[tuple[Cafe, Recipient]]:
    """Confirmed seats in scheduled cafés starting in (starts_after, starts_before]."""
    rows = await fetchall(
        conn,
        f"""
        SELECT {", ".join("c." + c.strip() for c in _CAFE_COLUMNS.split(","))},
               s.id AS signup_id, s.user_id, u.locale AS user_locale,
               u.telegram_locale AS user_telegram_locale
        FROM signups s JOIN cafes c ON c.id = s.cafe_id JOIN users u ON u.id = s.user_id
        WHERE c.status = 'scheduled' AND c.starts_at > ? AND c.starts_at <= ?
              AND s.status = 'confirmed' AND u.reachable = 1
        ORDER BY c.starts_at, s.id
        """,
        (starts_after, starts_before),
    )
    result = []
    for row in rows:
        values = dict(row)
        recipient = Recipient(
            values.pop("signup_id"),
            values.pop("user_id"),
            values.pop("user_locale"),
            values.pop("user_telegram_locale"),
            CONFIRMED,
        )
        values["monthly"] = bool(values["monthly"])
        values["guests_allowed"] = bool(values["guests_allowed"])
        result.append((Cafe(**values), recipient))
    return result


async def mark_checked_in(
    conn: aiosqlite.Connection, signup_id: int, checked_in: bool, now: int
) -> None:
    await conn.execute(
        "UPDATE signups SET checked_in_at = ?, updated_at = ? WHERE id = ?",
        (now if checked_in else None, now, signup_id),
    )


async def save_draft(conn: aiosqlite.Connection, user_id: int, fields: dict, now: int) -> None:
    await conn.execute(
        "INSERT INTO cafe_drafts (user_id, fields, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET fields = excluded.fields,"
        " updated_at = excluded.updated_at",
        (user_id, json.dumps(fields), now),
    )


async def get_draft(conn: aiosqlite.Connection, user_id: int) -> dict | None:
    row = await fetchone(conn, "SELECT fields FROM cafe_drafts WHERE user_id = ?", (user_id,))
    return json.loads(row[0]) if row else None


async def delete_draft(conn: aiosqlite.Connection, user_id: int) -> None:
    await conn.execute("DELETE FROM cafe_drafts WHERE user_id = ?", (user_id,))


@dataclass(frozen=True)
class CafeMessage:
    id: int
    cafe_id: int
    author_id: int
    text: str
    status: str


async def insert_message(
    conn: aiosqlite.Connection, cafe_id: int, author_id: int, text: str, now: int
) -> int:
    cursor = await conn.execute(
        "INSERT INTO cafe_messages (cafe_id, author_id, text, created_at) VALUES (?, ?, ?, ?)",
        (cafe_id, author_id, text, now),
    )
    return cursor.lastrowid


async def get_message(conn: aiosqlite.Connection, message_id: int) -> CafeMessage | None:
    row = await fetchone(
        conn,
        "SELECT id, cafe_id, author_id, text, status FROM cafe_messages WHERE id = ?",
        (message_id,),
    )
    return CafeMessage(**dict(row)) if row else None


async def finish_message(
    conn: aiosqlite.Connection,
    message_id: int,
    status: str,
    now: int,
    to_waitlist: bool | None = None,
    recipients: int | None = None,
) -> bool:
    """Mark a draft sent or cancelled; False when it was not a draft any more."""
    cursor = await conn.execute(
        "UPDATE cafe_messages SET status = ?, sent_at = ?, to_waitlist = ?, recipients = ?"
        " WHERE id = ? AND status = 'draft'",
        (status, now, to_waitlist, recipients, message_id),
    )
    return cursor.rowcount == 1


async def forget_messages_of_cafes_ended_before(conn: aiosqlite.Connection, before: int) -> int:
    cursor = await conn.execute(
        "DELETE FROM cafe_messages WHERE cafe_id IN (SELECT id FROM cafes WHERE ends_at < ?)",
        (before,),
    )
    return cursor.rowcount


async def forget_messages_by(conn: aiosqlite.Connection, author_id: int) -> None:
    await conn.execute("DELETE FROM cafe_messages WHERE author_id = ?", (author_id,))


async def checked_in_at_cafes_ended_between(
    conn: aiosqlite.Connection, ended_after: int, ended_before: int
) -> list[tuple[Cafe, Recipient]]:
    """Who was checked in at the scheduled cafés that ended in (ended_after, ended_before]."""
    rows = await fetchall(
        conn,
        f"""
        SELECT {", ".join("c." + c.strip() for c in _CAFE_COLUMNS.split(","))},
               s.id AS signup_id, s.user_id, u.locale AS user_locale,
               u.telegram_locale AS user_telegram_locale
        FROM cafes c JOIN signups s ON s.cafe_id = c.id JOIN users u ON u.id = s.user_id
        WHERE c.status = 'scheduled' AND c.ends_at > ? AND c.ends_at <= ?
              AND s.status = 'confirmed' AND s.checked_in_at IS NOT NULL AND u.reachable = 1
        ORDER BY c.starts_at, s.id
        """,
        (ended_after, ended_before),
    )
    result = []
    for row in rows:
        values = dict(row)
        recipient = Recipient(
            values.pop("signup_id"),
            values.pop("user_id"),
            values.pop("user_locale"),
            values.pop("user_telegram_locale"),
            CONFIRMED,
        )
        values["monthly"] = bool(values["monthly"])
        values["guests_allowed"] = bool(values["guests_allowed"])
        result.append((Cafe(**values), recipient))
    return result


async def was_checked_in(conn: aiosqlite.Connection, cafe_id: int, user_id: int) -> bool:
    row = await fetchone(
        conn,
        "SELECT 1 FROM signups WHERE cafe_id = ? AND user_id = ? AND checked_in_at IS NOT NULL",
        (cafe_id, user_id),
    )
    return row is not None


async def save_mood(
    conn: aiosqlite.Connection, cafe_id: int, user_id: int, mood: str, now: int
) -> None:
    """One answer per person per café: a second tap changes it."""
    await conn.execute(
        "INSERT INTO cafe_feedback (cafe_id, user_id, mood, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (cafe_id, user_id) DO UPDATE SET mood = excluded.mood",
        (cafe_id, user_id, mood, now),
    )


async def save_theme(
    conn: aiosqlite.Connection, cafe_id: int, user_id: int, topic: str | None, word: str | None
) -> bool:
    """The theme after the mood; False when there is no mood from them for this café."""
    cursor = await conn.execute(
        "UPDATE cafe_feedback SET theme_topic = ?, theme_word = ?"
        " WHERE cafe_id = ? AND user_id = ?",
        (topic, word, cafe_id, user_id),
    )
    return cursor.rowcount == 1


async def let_go_of_feedback_people(conn: aiosqlite.Connection, given_before: int) -> None:
    """Feedback older than this stays, without who gave it."""
    await conn.execute(
        "UPDATE cafe_feedback SET user_id = NULL WHERE user_id IS NOT NULL AND created_at < ?",
        (given_before,),
    )


async def forget_feedback_of(conn: aiosqlite.Connection, user_id: int) -> None:
    """Their own words go; how they felt and the topic they chose stay, without them."""
    await conn.execute(
        "UPDATE cafe_feedback SET user_id = NULL, theme_word = NULL WHERE user_id = ?", (user_id,)
    )
