"""SQL for impact reports: counts only, never who.

No query here returns a name or a Telegram id: each answers "how many", or hands back times
and topics, which the service sorts into months. A café whose sign-ups retention deleted still
has `cafes.signed_up` and `cafes.attended`; the queries use those counts for it and say so
(`kept_as_counts`), because who came is no longer known.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

# A café counts as held once it is over and was not cancelled.
_HELD = (
    "c.status = 'scheduled' AND c.starts_at >= :start AND c.starts_at < :end AND c.ends_at <= :now"
)
# Check-ins at held cafés whose sign-ups are still stored (retention has not run for them).
_CHECKED_IN = f"""
    SELECT s.user_id, c.starts_at FROM signups s JOIN cafes c ON c.id = s.cafe_id
    WHERE s.checked_in_at IS NOT NULL AND c.signed_up IS NULL AND {_HELD}
"""


@dataclass(frozen=True)
class HeldCafe:
    starts_at: int
    signed_up: int  # confirmed seats, people let in at the door included
    attended: int  # checked in
    no_shows: int  # a confirmed seat, not checked in
    kept_as_counts: bool  # past retention: the counts are kept, the people are not


@dataclass(frozen=True)
class Attendees:
    unique: int  # different people checked in
    returning: int  # of those, people who had been checked in at an earlier café


@dataclass(frozen=True)
class AskedQuestion:
    routed_at: int
    topic: str
    first_answer_at: int | None
    by_key_person: bool  # a key person gave one of its answers


@dataclass(frozen=True)
class OwnContribution:
    questions_answered: int
    accepted_answers: int
    accompaniments: int
    cafes_hosted: int
    older_cafes_missing: bool  # held cafés in the range whose sign-ups are no longer stored


async def _rows(conn: aiosqlite.Connection, sql: str, **params: object) -> list[aiosqlite.Row]:
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


async def _row(conn: aiosqlite.Connection, sql: str, **params: object) -> aiosqlite.Row:
    rows = await _rows(conn, sql, **params)
    return rows[0]  # the aggregates below always answer one row


async def held_cafes(conn: aiosqlite.Connection, start: int, end: int, now: int) -> list[HeldCafe]:
    """Cafés that started in [start, end) and were over by `now`, with their counts."""
    rows = await _rows(
        conn,
        f"""
        SELECT c.starts_at,
               c.signed_up IS NOT NULL AS kept_as_counts,
               coalesce(c.signed_up, (SELECT count(*) FROM signups s
                                      WHERE s.cafe_id = c.id AND s.status = 'confirmed'))
                   AS signed_up,
               coalesce(c.attended, (SELECT count(*) FROM signups s
                                     WHERE s.cafe_id = c.id AND s.checked_in_at IS NOT NULL))
                   AS attended,
               CASE WHEN c.signed_up IS NOT NULL THEN max(c.signed_up - c.attended, 0)
                    ELSE (SELECT count(*) FROM signups s WHERE s.cafe_id = c.id
                          AND s.status = 'confirmed' AND s.checked_in_at IS NULL)
               END AS no_shows
        FROM cafes c WHERE {_HELD}
        ORDER BY c.starts_at
        """,
        start=start,
        end=end,
        now=now,
    )
    return [HeldCafe(**dict(row) | {"kept_as_counts": bool(row["kept_as_counts"])}) for row in rows]


@dataclass(frozen=True)
class FeedbackAnswer:
    mood: str
    theme_topic: str | None
    theme_word: str | None


async def cafe_feedback(
    conn: aiosqlite.Connection, start: int, end: int, now: int
) -> list[FeedbackAnswer]:
    """How people felt after the held cafés, and what they asked for next time."""
    rows = await _rows(
        conn,
        f"""
        SELECT f.mood, f.theme_topic, f.theme_word
        FROM cafe_feedback f JOIN cafes c ON c.id = f.cafe_id WHERE {_HELD}
        """,
        start=start,
        end=end,
        now=now,
    )
    return [FeedbackAnswer(**dict(row)) for row in rows]


async def attendees(conn: aiosqlite.Connection, start: int, end: int, now: int) -> Attendees:
    """Different people checked in at held cafés in [start, end), and how many came back.

    Returning: the person had been checked in at a café that started before their last café
    in the range, whether that earlier café was before the range or in it. Only stored
    sign-ups count, so the look back reaches as far as retention keeps them.
    """
    row = await _row(
        conn,
        f"""
        WITH here AS (
            SELECT user_id, max(starts_at) AS last_here FROM ({_CHECKED_IN}) GROUP BY user_id
        )
        SELECT count(*) AS unique_people,
               coalesce(sum(EXISTS (
                   SELECT 1 FROM signups s JOIN cafes c ON c.id = s.cafe_id
                   WHERE s.user_id = here.user_id AND s.checked_in_at IS NOT NULL
                         AND c.status = 'scheduled' AND c.starts_at < here.last_here
               )), 0) AS returning_people
        FROM here
        """,
        start=start,
        end=end,
        now=now,
    )
    return Attendees(row["unique_people"], row["returning_people"])


async def attendee_languages(
    conn: aiosqlite.Connection, start: int, end: int, now: int
) -> dict[str | None, int]:
    """People checked in during [start, end), by the language they use the bot in."""
    rows = await _rows(
        conn,
        f"""
        SELECT coalesce(u.locale, u.telegram_locale) AS language, count(*) AS people
        FROM users u WHERE u.id IN (SELECT user_id FROM ({_CHECKED_IN}))
        GROUP BY language
        """,
        start=start,
        end=end,
        now=now,
    )
    return {row["language"]: row["people"] for row in rows}


async def asked_questions(conn: aiosqlite.Connection, start: int, end: int) -> list[AskedQuestion]:
    """Questions sent to helpers in [start, end). Drafts were never asked; hidden ones were
    taken down by a moderator. Retention blanks the text of old ones, not these fields."""
    rows = await _rows(
        conn,
        """
        SELECT q.routed_at, q.topic,
               (SELECT min(a.created_at) FROM answers a
                WHERE a.question_id = q.id AND NOT a.hidden) AS first_answer_at,
               EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND NOT a.hidden
                       AND a.by_key_person) AS by_key_person
        FROM questions q
        WHERE q.status IN ('open', 'closed') AND q.routed_at >= :start AND q.routed_at < :end
        ORDER BY q.routed_at
        """,
        start=start,
        end=end,
    )
    return [
        AskedQuestion(**dict(row) | {"by_key_person": bool(row["by_key_person"])}) for row in rows
    ]


async def tips_published(conn: aiosqlite.Connection, start: int, end: int) -> list[int] | None:
    """When each tip first shown to everyone in [start, end) was published (tips an organiser
    or a report took down do not count). None when this database has no tips table."""
    tables = await _rows(conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tips'")
    if not tables:
        return None
    rows = await _rows(
        conn,
        """
        SELECT published_at FROM tips
        WHERE published_at >= :start AND published_at < :end
              AND NOT (status = 'hidden' AND coalesce(review, '') IN ('organiser', 'report'))
        ORDER BY published_at
        """,
        start=start,
        end=end,
    )
    return [row[0] for row in rows]


async def own_contribution(
    conn: aiosqlite.Connection, user_id: int, start: int, end: int, now: int
) -> OwnContribution:
    """What one helper or key person did in [start, end). Only their own rows are read."""
    row = await _row(
        conn,
        f"""
        SELECT
            (SELECT count(DISTINCT question_id) FROM answers
             WHERE helper_id = :me AND NOT hidden AND created_at >= :start AND created_at < :end)
                AS questions_answered,
            (SELECT count(*) FROM answers
             WHERE helper_id = :me AND NOT hidden AND accepted
                   AND created_at >= :start AND created_at < :end) AS accepted_answers,
            (SELECT count(*) FROM accompaniments
             WHERE key_person_id = :me AND status = 'confirmed'
                   AND coalesce(confirmed_at, created_at) >= :start
                   AND coalesce(confirmed_at, created_at) < :end) AS accompaniments,
            (SELECT count(DISTINCT s.cafe_id) FROM signups s JOIN cafes c ON c.id = s.cafe_id
             WHERE s.user_id = :me AND s.kind = 'host' AND s.checked_in_at IS NOT NULL
                   AND {_HELD}) AS cafes_hosted,
            EXISTS (SELECT 1 FROM cafes c WHERE c.signed_up IS NOT NULL AND {_HELD})
                AS older_cafes_missing
        """,
        me=user_id,
        start=start,
        end=end,
        now=now,
    )
    return OwnContribution(
        row["questions_answered"],
        row["accepted_answers"],
        row["accompaniments"],
        row["cafes_hosted"],
        bool(row["older_cafes_missing"]),
    )
