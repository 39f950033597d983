"""SQL for taking out and erasing a person's data, and for the retention rules.

Feature rules that matter on the way out (a freed seat goes to the waitlist; a question kept
anonymously stays) live in the features' services; this store does the plain parts.
"""

from __future__ import annotations

import json
from typing import Any

import aiosqlite

from bot.db import fetchall, fetchone
from bot.outbox import store as outbox


async def export_person(conn: aiosqlite.Connection, user_id: int) -> dict[str, Any]:
    """Everything stored about one person, as plain data."""

    async def rows(sql: str, *params: object) -> list[dict[str, Any]]:
        return [dict(row) for row in await fetchall(conn, sql, params)]

    profile = await fetchone(
        conn,
        "SELECT id, first_name, locale, telegram_locale, also_reads, subscribed, reachable,"
        " created_at, updated_at FROM users WHERE id = ?",
        (user_id,),
    )
    return {
        "profile": dict(profile) if profile else None,
        "roles": await rows("SELECT role, granted_at FROM roles WHERE user_id = ?", user_id),
        "helper_settings": await rows(
            "SELECT languages, topics, paused, show_name FROM helpers WHERE user_id = ?", user_id
        ),
        "cafe_signups": await rows(
            "SELECT c.title, c.starts_at, s.kind, s.status, s.guests, s.checked_in_at, s.created_at"
            " FROM signups s JOIN cafes c ON c.id = s.cafe_id WHERE s.user_id = ?",
            user_id,
        ),
        "cafe_messages_you_wrote": await rows(
            "SELECT c.title, m.text, m.status, m.to_waitlist, m.recipients, m.created_at,"
            " m.sent_at FROM cafe_messages m JOIN cafes c ON c.id = m.cafe_id"
            " WHERE m.author_id = ?",
            user_id,
        ),
        "cafe_feedback": await rows(
            "SELECT c.title, f.mood, f.theme_topic, f.theme_word, f.created_at"
            " FROM cafe_feedback f JOIN cafes c ON c.id = f.cafe_id WHERE f.user_id = ?",
            user_id,
        ),
        "questions": await rows(
            "SELECT id, topic, locale, text, status, kept, created_at FROM questions"
            " WHERE asker_id = ?",
            user_id,
        ),
        # Photos and documents: only Telegram's file ids are stored, never the files.
        "files_in_your_questions": await rows(
            "SELECT f.question_id, CASE WHEN f.answer_id IS NULL THEN 'you' ELSE 'helper' END"
            " AS sent_by, f.kind, f.file_id, f.added_at FROM question_files f"
            " JOIN questions q ON q.id = f.question_id WHERE q.asker_id = ? ORDER BY f.id",
            user_id,
        ),
        "files_in_your_answers": await rows(
            "SELECT f.question_id, f.kind, f.file_id, f.added_at FROM question_files f"
            " JOIN answers a ON a.id = f.answer_id WHERE a.helper_id = ? ORDER BY f.id",
            user_id,
        ),
        "answers_you_received": await rows(
            "SELECT a.question_id, a.text, a.accepted, a.created_at FROM answers a"
            " JOIN questions q ON q.id = a.question_id WHERE q.asker_id = ? AND NOT a.hidden",
            user_id,
        ),
        "answers_you_wrote": await rows(
            "SELECT question_id, text, accepted, created_at FROM answers WHERE helper_id = ?",
            user_id,
        ),
        "key_person_requests": await rows(
            "SELECT kind, note, status, created_at FROM accompaniments WHERE requester_id = ?",
            user_id,
        ),
        "key_person_requests_you_took": await rows(
            "SELECT kind, note, status, accepted_at FROM accompaniments WHERE key_person_id = ?",
            user_id,
        ),
        "reports_you_made": await rows(
            "SELECT kind, target_id, status, created_at FROM reports WHERE reporter_id = ?",
            user_id,
        ),
        "tips": await rows(
            "SELECT category, locale, text, place, area, status, created_at FROM tips"
            " WHERE author_id = ?",
            user_id,
        ),
        "tips_you_found_helpful": await rows(
            "SELECT tip_id FROM tip_votes WHERE user_id = ?", user_id
        ),
        "tips_you_flagged_outdated": await rows(
            "SELECT tip_id FROM tip_outdated WHERE user_id = ?", user_id
        ),
        "blocked": await rows("SELECT reason, blocked_at FROM blocks WHERE user_id = ?", user_id),
        # Who else received a message about them is not theirs to know: no recipients here.
        "messages_to_you": await rows(
            "SELECT text, status, created_at, finished_at FROM outbox WHERE recipient_id = ?"
            " ORDER BY id",
            user_id,
        ),
        # A digest that lists other people's questions beside theirs quotes those people's
        # words: it is shown as which of their questions it listed, not as its text.
        "messages_about_you": await rows(
            "SELECT o.text, o.status, o.created_at, o.finished_at FROM outbox_about a"
            " JOIN outbox o ON o.id = a.outbox_id WHERE a.user_id = ?"
            f" AND o.id NOT IN ({_SHARED_DIGESTS}) ORDER BY o.id",
            user_id,
        ),
        "digests_listing_your_questions": await rows(
            "SELECT d.question_id, o.status, o.created_at, o.finished_at FROM questions q"
            " JOIN escalation_digests d ON d.question_id = q.id"
            " JOIN outbox o ON o.id = d.outbox_id"
            f" WHERE q.asker_id = ? AND o.id IN ({_SHARED_DIGESTS}) ORDER BY o.id",
            user_id,
        ),
    }


# Escalation digests that list more than one question (bot.questions.digest).
_SHARED_DIGESTS = "SELECT outbox_id FROM escalation_digests GROUP BY outbox_id HAVING count(*) > 1"


# Tables whose user-id columns this module handles on the way out, and why that is enough.
# Every other table with one belongs to a feature, which registers what to forget.
HANDLED_HERE: dict[str, str] = {
    "users": "the person's row is deleted; everything that cascades from it goes with it",
    "outbox": "every message to them and every message about them is deleted",
    "outbox_about": "goes with the outbox rows it points to",
    "roles": "their roles go with them; roles they granted keep no trace of who granted them",
    "invites": "their invites go with them; an invite they used forgets who used it",
    "blocks": "their block goes with them; blocks they decided forget who decided",
    "moderation_log": "what they did stays, without who did it or whom it was about",
    "reports": "a report they made stays as a count, without who made it",
}


async def erase_person(conn: aiosqlite.Connection, user_id: int) -> None:
    """Remove the person and every link to them. Features have done their part before."""
    await outbox.forget_person(conn, user_id)
    await conn.execute("UPDATE roles SET granted_by = NULL WHERE granted_by = ?", (user_id,))
    await conn.execute("UPDATE blocks SET blocked_by = NULL WHERE blocked_by = ?", (user_id,))
    await conn.execute("UPDATE moderation_log SET actor_id = NULL WHERE actor_id = ?", (user_id,))
    await conn.execute(
        "UPDATE moderation_log SET target = 'user:erased' WHERE target = ?", (f"user:{user_id}",)
    )
    await conn.execute("DELETE FROM users WHERE id = ?", (user_id,))


async def unreachable_since(conn: aiosqlite.Connection, before: int) -> list[int]:
    rows = await fetchall(
        conn, "SELECT id FROM users WHERE reachable = 0 AND updated_at < ?", (before,)
    )
    return [row[0] for row in rows]


async def forget_closed_questions(
    conn: aiosqlite.Connection, closed_before: int, limit: int
) -> int:
    """The private parts of old closed questions go, with their answers'; the counts for
    reports stay. Found by the partial index of questions still keeping them (0019), so that
    a pass with nothing due costs next to nothing. INDEXED BY: left to choose, SQLite takes
    questions_waiting, which steps over every closed question (a second at 10x)."""
    rows = await fetchall(
        conn,
        """
        SELECT id FROM questions INDEXED BY questions_to_forget
        WHERE status = 'closed' AND kept = 0 AND closed_at < ?
              AND (text IS NOT NULL OR voice IS NOT NULL OR asker_id IS NOT NULL)
        LIMIT ?
        """,
        (closed_before, limit),
    )
    if not rows:
        return 0
    due = json.dumps([row[0] for row in rows])
    await conn.execute(
        "UPDATE answers SET text = NULL, voice = NULL, signed = 0"
        " WHERE question_id IN (SELECT value FROM json_each(?))",
        (due,),
    )
    await conn.execute(
        "UPDATE questions SET text = NULL, voice = NULL, asker_id = NULL"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (due,),
    )
    return len(rows)


async def forget_unsent_drafts(conn: aiosqlite.Connection, begun_before: int) -> int:
    """Questions begun and never sent (the person left at the similar answers, or before a
    topic) go whole, with their files: nobody else ever saw them."""
    cursor = await conn.execute(
        "DELETE FROM questions WHERE status = 'draft' AND created_at < ?", (begun_before,)
    )
    return cursor.rowcount


async def forget_question_files(conn: aiosqlite.Connection, before: int) -> int:
    """The file ids of questions closed (or hidden) before the moment, with their answers',
    go; so do those of drafts begun before it and never sent. The text stays as long as it may
    (and a question kept for /search never had its photos shown there)."""
    # From the few files to their questions (CROSS JOIN keeps that order), not from every
    # closed question to its files.
    cursor = await conn.execute(
        """
        DELETE FROM question_files WHERE id IN (
            SELECT f.id FROM question_files f CROSS JOIN questions q ON q.id = f.question_id
            WHERE (q.status IN ('closed', 'hidden') AND coalesce(q.closed_at, q.created_at) < ?)
               OR (q.status = 'draft' AND q.created_at < ?))
        """,
        (before, before),
    )
    return cursor.rowcount


async def forget_past_signups(conn: aiosqlite.Connection, ended_before: int) -> int:
    """Keep how many signed up and came to old cafés, then drop who it was."""
    await conn.execute(
        """
        UPDATE cafes SET
            signed_up = (SELECT count(*) FROM signups s
                         WHERE s.cafe_id = cafes.id AND s.status = 'confirmed'),
            attended = (SELECT count(*) FROM signups s
                        WHERE s.cafe_id = cafes.id AND s.checked_in_at IS NOT NULL)
        WHERE ends_at < ? AND signed_up IS NULL
        """,
        (ended_before,),
    )
    cursor = await conn.execute(
        "DELETE FROM signups WHERE cafe_id IN (SELECT id FROM cafes WHERE ends_at < ?)",
        (ended_before,),
    )
    return cursor.rowcount


async def forget_sent_messages(conn: aiosqlite.Connection, finished_before: int) -> int:
    cursor = await conn.execute(
        "DELETE FROM outbox WHERE status != 'pending' AND status != 'sending' AND finished_at < ?",
        (finished_before,),
    )
    return cursor.rowcount
