"""SQL for questions, answers, helpers and the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db import fetchall, fetchone

KNOWLEDGE_TABLE = "knowledge"


@dataclass(frozen=True)
class Question:
    id: int
    asker_id: int | None
    topic: str
    locale: str
    text: str | None
    voice: str | None
    status: str
    escalation: int
    kept: bool
    created_at: int
    routed_at: int | None


@dataclass(frozen=True)
class Answer:
    id: int
    question_id: int
    helper_id: int | None
    text: str | None
    voice: str | None
    by_key_person: bool
    signed_as: str | None
    accepted: bool
    hidden: bool


@dataclass(frozen=True)
class Helper:
    user_id: int
    languages: frozenset[str]
    topics: frozenset[str]
    paused: bool
    show_name: bool


@dataclass(frozen=True)
class Candidate:
    """Someone a question can be sent to, with the language to write to them in."""

    user_id: int
    locale: str | None
    telegram_locale: str | None


_QUESTION = (
    "id, asker_id, topic, locale, text, voice, status, escalation, kept, created_at, routed_at"
)
# A signed answer carries the helper's current first name, read from their people row.
_ANSWER = (
    "id, question_id, helper_id, text, voice, by_key_person,"
    " (SELECT u.first_name FROM users u WHERE u.id = answers.helper_id AND answers.signed)"
    " AS signed_as, accepted, hidden"
)


def _question(row: aiosqlite.Row) -> Question:
    return Question(**dict(row) | {"kept": bool(row["kept"])})


def _answer(row: aiosqlite.Row) -> Answer:
    values = dict(row)
    for flag in ("by_key_person", "accepted", "hidden"):
        values[flag] = bool(values[flag])
    return Answer(**values)


def _split(csv: str) -> frozenset[str]:
    return frozenset(part for part in csv.split(",") if part)


async def insert_question(
    conn: aiosqlite.Connection,
    asker_id: int,
    topic: str,
    locale: str,
    text: str | None,
    voice: str | None,
    now: int,
) -> int:
    cursor = await conn.execute(
        "INSERT INTO questions (asker_id, topic, locale, text, voice, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (asker_id, topic, locale, text, voice, now),
    )
    return cursor.lastrowid


async def get_question(conn: aiosqlite.Connection, question_id: int) -> Question | None:
    row = await fetchone(conn, f"SELECT {_QUESTION} FROM questions WHERE id = ?", (question_id,))
    return _question(row) if row else None


async def set_question(conn: aiosqlite.Connection, question_id: int, **fields: object) -> None:
    allowed = {"status", "escalation", "kept", "routed_at", "closed_at"}
    if set(fields) - allowed:
        raise ValueError(f"not question fields: {set(fields) - allowed}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    await conn.execute(
        f"UPDATE questions SET {assignments} WHERE id = ?", (*fields.values(), question_id)
    )


async def delete_question(conn: aiosqlite.Connection, question_id: int) -> None:
    await conn.execute("DELETE FROM questions WHERE id = ?", (question_id,))


async def questions_since(conn: aiosqlite.Connection, asker_id: int, since: int) -> int:
    row = await fetchone(
        conn,
        "SELECT count(*) FROM questions WHERE asker_id = ? AND created_at >= ?"
        " AND status != 'draft'",
        (asker_id, since),
    )
    return row[0]


async def unanswered(
    conn: aiosqlite.Connection, escalation: int, routed_before: int
) -> list[Question]:
    """Open questions at this escalation level, routed before the moment, with no answer."""
    rows = await fetchall(
        conn,
        f"""
        SELECT {_QUESTION} FROM questions q
        WHERE status = 'open' AND escalation = ? AND routed_at <= ?
              AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND NOT hidden)
        ORDER BY routed_at
        """,
        (escalation, routed_before),
    )
    return [_question(row) for row in rows]


async def helper_candidates(
    conn: aiosqlite.Connection,
    question_id: int,
    languages: list[str],
    topic: str,
    exclude: int | None,
    limit: int,
) -> list[Candidate]:
    """Active helpers who speak one of the languages and cover the topic, least recently
    asked first; never someone who got this question already, is blocked, or is the asker."""
    language_test = " OR ".join("(',' || h.languages || ',') LIKE ?" for _ in languages)
    rows = await fetchall(
        conn,
        f"""
        SELECT u.id AS user_id, u.locale, u.telegram_locale FROM helpers h
        JOIN users u ON u.id = h.user_id
        JOIN roles r ON r.user_id = u.id AND r.role IN ('helper', 'key_person')
        WHERE h.paused = 0 AND u.reachable = 1 AND u.id IS NOT ?
              AND (',' || h.topics || ',') LIKE ?
              AND ({language_test or "0"})
              AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = u.id)
              AND NOT EXISTS (SELECT 1 FROM question_recipients qr
                              WHERE qr.question_id = ? AND qr.user_id = u.id)
        GROUP BY u.id ORDER BY h.last_asked_at, u.id LIMIT ?
        """,
        (exclude, f"%,{topic},%", *(f"%,{lang},%" for lang in languages), question_id, limit),
    )
    return [Candidate(row["user_id"], row["locale"], row["telegram_locale"]) for row in rows]


async def role_candidates(
    conn: aiosqlite.Connection,
    question_id: int,
    role: str,
    languages: list[str] | None,
    exclude: int | None,
) -> list[Candidate]:
    """People with a role (key persons, organisers) who have not received the question yet;
    with `languages`, only those who answer in (helper profile) or read one of them."""
    language_test = "1"
    language_params: list[str] = []
    if languages is not None:
        marks = ",".join("?" * len(languages))
        likes = " OR ".join("(',' || coalesce(h.languages, '') || ',') LIKE ?" for _ in languages)
        language_test = f"(coalesce(u.locale, u.telegram_locale) IN ({marks}) OR {likes or '0'})"
        language_params = [*languages, *(f"%,{lang},%" for lang in languages)]
    rows = await fetchall(
        conn,
        f"""
        SELECT u.id AS user_id, u.locale, u.telegram_locale FROM users u
        JOIN roles r ON r.user_id = u.id AND r.role = ?
        LEFT JOIN helpers h ON h.user_id = u.id
        WHERE u.reachable = 1 AND u.id IS NOT ? AND {language_test}
              AND NOT EXISTS (SELECT 1 FROM question_recipients qr
                              WHERE qr.question_id = ? AND qr.user_id = u.id)
        ORDER BY u.id
        """,
        (role, exclude, *language_params, question_id),
    )
    return [Candidate(row["user_id"], row["locale"], row["telegram_locale"]) for row in rows]


async def add_recipient(
    conn: aiosqlite.Connection, question_id: int, user_id: int, now: int
) -> None:
    await conn.execute(
        "INSERT INTO question_recipients (question_id, user_id, sent_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (question_id, user_id, now),
    )
    await conn.execute("UPDATE helpers SET last_asked_at = ? WHERE user_id = ?", (now, user_id))


async def is_recipient(conn: aiosqlite.Connection, question_id: int, user_id: int) -> bool:
    row = await fetchone(
        conn,
        "SELECT 1 FROM question_recipients WHERE question_id = ? AND user_id = ?",
        (question_id, user_id),
    )
    return row is not None


async def insert_answer(
    conn: aiosqlite.Connection,
    question_id: int,
    helper_id: int,
    text: str | None,
    voice: str | None,
    by_key_person: bool,
    signed: bool,
    now: int,
) -> int:
    cursor = await conn.execute(
        "INSERT INTO answers (question_id, helper_id, text, voice, by_key_person, signed,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (question_id, helper_id, text, voice, int(by_key_person), int(signed), now),
    )
    return cursor.lastrowid


async def get_answer(conn: aiosqlite.Connection, answer_id: int) -> Answer | None:
    row = await fetchone(conn, f"SELECT {_ANSWER} FROM answers WHERE id = ?", (answer_id,))
    return _answer(row) if row else None


async def answers_to(conn: aiosqlite.Connection, question_id: int) -> list[Answer]:
    rows = await fetchall(
        conn,
        f"SELECT {_ANSWER} FROM answers WHERE question_id = ? AND NOT hidden ORDER BY id",
        (question_id,),
    )
    return [_answer(row) for row in rows]


async def answers_for(
    conn: aiosqlite.Connection, question_ids: list[int]
) -> dict[int, list[Answer]]:
    """The visible answers of several questions in one query."""
    found: dict[int, list[Answer]] = {question_id: [] for question_id in question_ids}
    if not question_ids:
        return found
    marks = ",".join("?" * len(question_ids))
    rows = await fetchall(
        conn,
        f"SELECT {_ANSWER} FROM answers WHERE question_id IN ({marks}) AND NOT hidden ORDER BY id",
        question_ids,
    )
    for row in rows:
        found[row["question_id"]].append(_answer(row))
    return found


async def set_answer(conn: aiosqlite.Connection, answer_id: int, **fields: object) -> None:
    allowed = {"accepted", "hidden"}
    if set(fields) - allowed:
        raise ValueError(f"not answer fields: {set(fields) - allowed}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    await conn.execute(
        f"UPDATE answers SET {assignments} WHERE id = ?", (*fields.values(), answer_id)
    )


async def get_helper(conn: aiosqlite.Connection, user_id: int) -> Helper | None:
    row = await fetchone(
        conn,
        "SELECT user_id, languages, topics, paused, show_name FROM helpers WHERE user_id = ?",
        (user_id,),
    )
    if row is None:
        return None
    return Helper(
        row["user_id"],
        _split(row["languages"]),
        _split(row["topics"]),
        bool(row["paused"]),
        bool(row["show_name"]),
    )


async def save_helper(conn: aiosqlite.Connection, helper: Helper, now: int) -> None:
    await conn.execute(
        """
        INSERT INTO helpers (user_id, languages, topics, paused, show_name, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET languages = excluded.languages,
            topics = excluded.topics, paused = excluded.paused, show_name = excluded.show_name,
            updated_at = excluded.updated_at
        """,
        (
            helper.user_id,
            ",".join(sorted(helper.languages)),
            ",".join(sorted(helper.topics)),
            int(helper.paused),
            int(helper.show_name),
            now,
            now,
        ),
    )


async def also_reads(conn: aiosqlite.Connection, user_id: int) -> frozenset[str]:
    row = await fetchone(conn, "SELECT also_reads FROM users WHERE id = ?", (user_id,))
    return _split(row[0]) if row else frozenset()


async def set_also_reads(conn: aiosqlite.Connection, user_id: int, locales: frozenset[str]) -> None:
    await conn.execute(
        "UPDATE users SET also_reads = ? WHERE id = ?", (",".join(sorted(locales)), user_id)
    )


async def forget_asker(conn: aiosqlite.Connection, user_id: int) -> None:
    """Delete a person's questions, except those kept anonymously in the knowledge base."""
    await conn.execute("DELETE FROM questions WHERE asker_id = ? AND kept = 0", (user_id,))


async def forget_helper(conn: aiosqlite.Connection, user_id: int) -> None:
    """Delete a person's answers, except those in the knowledge base (kept unsigned: the name
    came from their people row, which goes)."""
    await conn.execute(
        "DELETE FROM answers WHERE helper_id = ?"
        " AND question_id NOT IN (SELECT id FROM questions WHERE kept = 1)",
        (user_id,),
    )
    await conn.execute("UPDATE answers SET signed = 0 WHERE helper_id = ?", (user_id,))


async def answered_in_knowledge(
    conn: aiosqlite.Connection, match: str, locales: list[str], limit: int
) -> list[Question]:
    """Knowledge-base questions in one of the locales that match the full-text query and still
    have a visible answer, best bm25 first (newest first on a tie).

    The language and the answer are tested in the same query as the match, so the limit counts
    only questions the reader can use: with eight languages in one index, the best hits
    overall are mostly in languages the reader does not read. CROSS JOIN keeps the match as
    the outer loop: left to choose, SQLite may walk every closed question and probe the
    index once per row (a second instead of milliseconds at 50,000 questions).
    """
    if not locales:
        return []
    marks = ",".join("?" * len(locales))
    rows = await fetchall(
        conn,
        f"""
        SELECT {_QUESTION} FROM {KNOWLEDGE_TABLE}
        CROSS JOIN questions q ON q.id = {KNOWLEDGE_TABLE}.rowid
        WHERE {KNOWLEDGE_TABLE} MATCH ? AND q.kept = 1 AND q.status = 'closed'
              AND q.locale IN ({marks})
              AND EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND NOT a.hidden)
        ORDER BY {KNOWLEDGE_TABLE}.rank, q.id DESC LIMIT ?
        """,
        (match, *locales, limit),
    )
    return [_question(row) for row in rows]
