"""SQL for questions, answers, helpers and the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db import fetchall, fetchone
from bot.people.availability import available

KNOWLEDGE_TABLE = "knowledge"
# Best hits of a search checked for a visible answer, beyond the number wanted.
ANSWERLESS_SPARE = 20


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
class QuestionFile:
    """A photo or document of a question or answer: only its Telegram file id is kept."""

    kind: str  # "photo" or "document"
    file_id: str


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
_COLUMNS = [column.strip() for column in _QUESTION.split(",")]
_Q_COLUMNS = ", ".join(f"q.{column}" for column in _COLUMNS)
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


async def latest_draft_without_topic(conn: aiosqlite.Connection, asker_id: int) -> Question | None:
    """The newest question the person wrote before choosing its topic and never sent."""
    row = await fetchone(
        conn,
        f"SELECT {_QUESTION} FROM questions WHERE asker_id = ? AND status = 'draft'"
        " AND topic = '' ORDER BY created_at DESC, id DESC LIMIT 1",
        (asker_id,),
    )
    return _question(row) if row else None


async def set_question(conn: aiosqlite.Connection, question_id: int, **fields: object) -> None:
    allowed = {"status", "escalation", "kept", "routed_at", "closed_at", "text", "voice", "topic"}
    if set(fields) - allowed:
        raise ValueError(f"not question fields: {set(fields) - allowed}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    await conn.execute(
        f"UPDATE questions SET {assignments} WHERE id = ?", (*fields.values(), question_id)
    )


async def add_file(
    conn: aiosqlite.Connection,
    question_id: int,
    answer_id: int | None,
    file: QuestionFile,
    now: int,
) -> None:
    await conn.execute(
        "INSERT INTO question_files (question_id, answer_id, kind, file_id, added_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (question_id, answer_id, file.kind, file.file_id, now),
    )


async def files_of(
    conn: aiosqlite.Connection, question_id: int, answer_id: int | None = None
) -> list[QuestionFile]:
    """The files of the question itself (`answer_id` None) or of one of its answers, in the
    order they were sent."""
    rows = await fetchall(
        conn,
        "SELECT kind, file_id FROM question_files WHERE question_id = ? AND answer_id IS ?"
        " ORDER BY id",
        (question_id, answer_id),
    )
    return [QuestionFile(row["kind"], row["file_id"]) for row in rows]


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
    """Open questions at this escalation level, routed before the moment, with no answer.

    INDEXED BY: left to choose, SQLite takes questions_waiting, which also holds every open
    question that has an answer (a scan of 12,000 rows every 30 s at the benchmark size).
    """
    rows = await fetchall(
        conn,
        f"""
        SELECT {_QUESTION} FROM questions q INDEXED BY questions_to_escalate
        WHERE status = 'open' AND answered_at IS NULL AND escalation = ? AND routed_at <= ?
              AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND NOT hidden)
        ORDER BY routed_at
        """,
        (escalation, routed_before),
    )
    return [_question(row) for row in rows]


_NOT_YET_SENT = (
    "NOT EXISTS (SELECT 1 FROM question_recipients qr"
    " WHERE qr.question_id = ? AND qr.user_id = u.id)"
)
_HELPS = (
    "EXISTS (SELECT 1 FROM roles r WHERE r.user_id = u.id AND r.role IN ('helper', 'key_person'))"
)
# A helper who chose no topics covers every topic.
_COVERS_TOPIC = "(h.topics = '' OR instr(',' || h.topics || ',', ',' || {topic} || ',') > 0)"
_UNANSWERED = "NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND NOT a.hidden)"


def _candidates(rows: list[aiosqlite.Row]) -> list[Candidate]:
    return [Candidate(row["user_id"], row["locale"], row["telegram_locale"]) for row in rows]


async def helper_candidates(
    conn: aiosqlite.Connection,
    question_id: int,
    languages: list[str],
    topic: str,
    exclude: int | None,
    limit: int,
) -> list[Candidate]:
    """Available helpers who answer in one of the languages and cover the topic, least
    recently asked first; never someone who got this question already, or the asker.

    CROSS JOIN keeps the few helpers as the outer loop: left to choose, SQLite walks every
    user and looks each up in helpers (28 ms instead of 1 ms at 10,000 people)."""
    language_test = " OR ".join("(',' || h.languages || ',') LIKE ?" for _ in languages)
    rows = await fetchall(
        conn,
        f"""
        SELECT u.id AS user_id, u.locale, u.telegram_locale FROM helpers h
        CROSS JOIN users u ON u.id = h.user_id
        WHERE {available()} AND {_HELPS} AND u.id IS NOT ?
              AND {_COVERS_TOPIC.format(topic="?")}
              AND ({language_test or "0"})
              AND {_NOT_YET_SENT}
        ORDER BY h.last_asked_at, u.id LIMIT ?
        """,
        (exclude, topic, *(f"%,{lang},%" for lang in languages), question_id, limit),
    )
    return _candidates(rows)


def _reads_one_of(languages: list[str]) -> tuple[str, list[str]]:
    """SQL that someone answers in (helper profile) or reads (their language) one of these."""
    marks = ",".join("?" * len(languages))
    likes = " OR ".join("(',' || coalesce(h.languages, '') || ',') LIKE ?" for _ in languages)
    test = f"(coalesce(u.locale, u.telegram_locale) IN ({marks}) OR {likes or '0'})"
    return test, [*languages, *(f"%,{lang},%" for lang in languages)]


async def key_person_candidates(
    conn: aiosqlite.Connection, question_id: int, languages: list[str], exclude: int | None
) -> list[Candidate]:
    """Available key persons who answer in one of the languages, whatever the topic, and have
    not received the question yet: the helper rule without the topic and the limit."""
    language_test = " OR ".join("(',' || h.languages || ',') LIKE ?" for _ in languages)
    rows = await fetchall(
        conn,
        f"""
        SELECT u.id AS user_id, u.locale, u.telegram_locale FROM helpers h
        CROSS JOIN users u ON u.id = h.user_id
        JOIN roles r ON r.user_id = u.id AND r.role = 'key_person'
        WHERE {available()} AND u.id IS NOT ? AND ({language_test or "0"}) AND {_NOT_YET_SENT}
        ORDER BY h.last_asked_at, u.id
        """,
        (exclude, *(f"%,{lang},%" for lang in languages), question_id),
    )
    return _candidates(rows)


async def organiser_candidates(
    conn: aiosqlite.Connection, question_id: int, admin_ids: frozenset[int], exclude: int | None
) -> list[Candidate]:
    """Organisers and admins (a stored admin role, from the admin link, or ADMIN_IDS, which
    hold no role row), who can be reached and have not received the question yet; whatever
    language they read."""
    # A list of ids, not a test per person: only the few organisers and admins are read.
    admins = "".join(" UNION SELECT ?" for _ in admin_ids)
    rows = await fetchall(
        conn,
        f"""
        SELECT u.id AS user_id, u.locale, u.telegram_locale FROM users u
        LEFT JOIN helpers h ON h.user_id = u.id
        WHERE u.id IN (SELECT r.user_id FROM roles r WHERE r.role IN ('organiser', 'admin'){admins})
              AND {available(pause_counts=False)} AND u.id IS NOT ? AND {_NOT_YET_SENT}
        ORDER BY u.id
        """,
        (*sorted(admin_ids), exclude, question_id),
    )
    return _candidates(rows)


async def waiting_for(
    conn: aiosqlite.Connection, user_id: int, languages: list[str], limit: int
) -> list[Question]:
    """Open questions without an answer that this helper, if available, could answer and has
    not received: in a language they answer in (or one the asker also reads), on a topic they
    cover, not their own; the oldest first."""
    if not languages:
        return []
    marks = ",".join("?" * len(languages))
    also = " OR ".join("(',' || coalesce(asker.also_reads, '') || ',') LIKE ?" for _ in languages)
    rows = await fetchall(
        conn,
        f"""
        SELECT {_Q_COLUMNS}
        FROM users u JOIN helpers h ON h.user_id = u.id
        JOIN questions q INDEXED BY questions_unanswered
             ON q.status = 'open' AND q.answered_at IS NULL
        LEFT JOIN users asker ON asker.id = q.asker_id
        WHERE u.id = ? AND {available()} AND {_HELPS} AND q.asker_id IS NOT u.id
              AND {_COVERS_TOPIC.format(topic="q.topic")}
              AND (q.locale IN ({marks}) OR {also})
              AND {_UNANSWERED}
              AND NOT EXISTS (SELECT 1 FROM question_recipients qr
                              WHERE qr.question_id = q.id AND qr.user_id = u.id)
        ORDER BY q.routed_at, q.id LIMIT ?
        """,
        (user_id, *languages, *(f"%,{lang},%" for lang in languages), limit),
    )
    return [_question(row) for row in rows]


@dataclass(frozen=True)
class Waiting:
    """An unanswered question as organisers see it: never who asked."""

    question: Question
    recipients: int


async def unanswered_open(conn: aiosqlite.Connection, limit: int) -> list[Waiting]:
    """Open questions nobody has answered yet, the oldest first, with how many received them."""
    rows = await fetchall(
        conn,
        f"""
        SELECT {_Q_COLUMNS},
               (SELECT count(*) FROM question_recipients qr WHERE qr.question_id = q.id)
               AS recipients
        FROM questions q INDEXED BY questions_unanswered
        WHERE q.status = 'open' AND q.answered_at IS NULL AND {_UNANSWERED}
        ORDER BY q.routed_at, q.id LIMIT ?
        """,
        (limit,),
    )
    return [Waiting(_question({k: row[k] for k in _COLUMNS}), row["recipients"]) for row in rows]


async def readers_of(
    conn: aiosqlite.Connection, question_id: int, locale: str, exclude: int | None
) -> list[tuple[Candidate, str]]:
    """Available helpers and key persons who read the language and have not received the
    question yet, with their first names (for the organiser who picks one)."""
    language_test, language_params = _reads_one_of([locale])
    also = "(',' || u.also_reads || ',') LIKE ?"
    rows = await fetchall(
        conn,
        f"""
        SELECT u.id AS user_id, u.locale, u.telegram_locale, u.first_name FROM users u
        LEFT JOIN helpers h ON h.user_id = u.id
        WHERE u.id IN (SELECT r.user_id FROM roles r WHERE r.role IN ('helper', 'key_person'))
              AND {available()} AND u.id IS NOT ?
              AND ({language_test} OR {also}) AND {_NOT_YET_SENT}
        ORDER BY u.first_name COLLATE NOCASE, u.id
        """,
        (exclude, *language_params, f"%,{locale},%", question_id),
    )
    return [
        (Candidate(r["user_id"], r["locale"], r["telegram_locale"]), r["first_name"]) for r in rows
    ]


async def add_recipient(
    conn: aiosqlite.Connection, question_id: int, user_id: int, now: int
) -> None:
    await conn.execute(
        "INSERT INTO question_recipients (question_id, user_id, sent_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (question_id, user_id, now),
    )
    await conn.execute("UPDATE helpers SET last_asked_at = ? WHERE user_id = ?", (now, user_id))


async def add_recipients(
    conn: aiosqlite.Connection, question_id: int, user_ids: list[int], now: int
) -> None:
    """`add_recipient` for many people in two statements: an escalation pass gives one
    question to every organiser at once, inside the one transaction of the pass."""
    await conn.executemany(
        "INSERT INTO question_recipients (question_id, user_id, sent_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [(question_id, user_id, now) for user_id in user_ids],
    )
    await conn.executemany(
        "UPDATE helpers SET last_asked_at = ? WHERE user_id = ?",
        [(now, user_id) for user_id in user_ids],
    )


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
    await conn.execute(
        "UPDATE questions SET answered_at = coalesce(answered_at, ?) WHERE id = ?",
        (now, question_id),
    )
    return cursor.lastrowid


async def refresh_answered(conn: aiosqlite.Connection, question_ids: list[int]) -> None:
    """Set when each question got its first visible answer, after answers were hidden or
    deleted (or written without insert_answer): NULL again when none is left."""
    await conn.executemany(
        "UPDATE questions SET answered_at = (SELECT min(a.created_at) FROM answers a"
        " WHERE a.question_id = questions.id AND NOT a.hidden) WHERE id = ?",
        [(question_id,) for question_id in question_ids],
    )


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
    """Delete a person's questions, except those kept anonymously in the knowledge base, which
    keep only their text: their photos and documents go (with the answers' files: the asker
    received those)."""
    await conn.execute(
        "DELETE FROM question_files WHERE question_id IN"
        " (SELECT id FROM questions WHERE asker_id = ?)",
        (user_id,),
    )
    await conn.execute("DELETE FROM questions WHERE asker_id = ? AND kept = 0", (user_id,))


async def forget_helper(conn: aiosqlite.Connection, user_id: int) -> None:
    """Delete a person's answers, except those in the knowledge base (kept unsigned: the name
    came from their people row, which goes)."""
    answered = await fetchall(
        conn, "SELECT DISTINCT question_id FROM answers WHERE helper_id = ?", (user_id,)
    )
    await conn.execute(
        "DELETE FROM answers WHERE helper_id = ?"
        " AND question_id NOT IN (SELECT id FROM questions WHERE kept = 1)",
        (user_id,),
    )
    await conn.execute("UPDATE answers SET signed = 0 WHERE helper_id = ?", (user_id,))
    await conn.execute(
        "DELETE FROM question_files WHERE answer_id IN"
        " (SELECT id FROM answers WHERE helper_id = ?)",
        (user_id,),
    )
    await refresh_answered(conn, [row[0] for row in answered])


async def answered_in_knowledge(
    conn: aiosqlite.Connection, match: str, locales: list[str], limit: int, from_rowid: int = 0
) -> list[Question]:
    """Knowledge-base questions in one of the locales that match the full-text query and still
    have a visible answer, best bm25 first (newest first on a tie).

    `match` comes from `WordCounts.match(..., languages=locales)`: the index itself holds each
    entry's language, so only entries the reader can use are matched and ranked, and the limit
    counts only those. The ranking reads the index alone; `questions` and `answers` are looked
    up for the best few only, not for every hit (at 10× the benchmark size, a lookup per hit
    cost as much as ranking them). Only hits from `from_rowid` on are ranked (see
    `bot.search.Match`). Every entry is a kept, closed question (closing without consent,
    hiding and erasing take it out of the index), but that is checked again here, as is the
    locale; and a kept question has answers unless a moderator hid them all, so
    `ANSWERLESS_SPARE` more than the limit is plenty.
    """
    if not locales:
        return []
    marks = ",".join("?" * len(locales))
    columns = ", ".join(f"q.{column}" for column in _QUESTION.split(", "))
    rows = await fetchall(
        conn,
        f"""
        SELECT {columns} FROM (
            SELECT rowid AS id, rank AS score FROM {KNOWLEDGE_TABLE}
            WHERE {KNOWLEDGE_TABLE} MATCH ? AND rowid >= ?
            ORDER BY rank, rowid DESC LIMIT ?
        ) AS best CROSS JOIN questions q ON q.id = best.id
        WHERE q.kept = 1 AND q.status = 'closed' AND q.locale IN ({marks})
              AND EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND NOT a.hidden)
        ORDER BY best.score, best.id DESC LIMIT ?
        """,
        (match, from_rowid, limit + ANSWERLESS_SPARE, *locales, limit),
    )
    return [_question(row) for row in rows]


# -- escalation digests ---------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    question: Question
    for_organiser: bool  # it reached the recipient as an organiser, not as a key person


async def outbox_id_for(conn: aiosqlite.Connection, dedupe_key: str) -> int | None:
    row = await fetchone(conn, "SELECT id FROM outbox WHERE dedupe_key = ?", (dedupe_key,))
    return row[0] if row else None


async def record_digest(
    conn: aiosqlite.Connection, outbox_id: int, items: list[DigestItem]
) -> None:
    await conn.executemany(
        "INSERT INTO escalation_digests (outbox_id, question_id, position, for_organiser)"
        " VALUES (?, ?, ?, ?)",
        [
            (outbox_id, item.question.id, position, int(item.for_organiser))
            for position, item in enumerate(items, start=1)
        ],
    )


async def queued_digests_listing(conn: aiosqlite.Connection, asker_id: int) -> list[int]:
    """Digests still waiting in the outbox that list a question of this asker."""
    rows = await fetchall(
        conn,
        """
        SELECT DISTINCT d.outbox_id FROM questions q
        JOIN escalation_digests d ON d.question_id = q.id
        JOIN outbox o ON o.id = d.outbox_id
        WHERE q.asker_id = ? AND o.status = 'pending'
        ORDER BY d.outbox_id
        """,
        (asker_id,),
    )
    return [row[0] for row in rows]


async def digest_items(
    conn: aiosqlite.Connection, outbox_id: int, without_asker: int
) -> tuple[int, list[DigestItem]]:
    """The digest's recipient, and the questions it lists that are not this asker's."""
    recipient = await fetchone(conn, "SELECT recipient_id FROM outbox WHERE id = ?", (outbox_id,))
    rows = await fetchall(
        conn,
        f"""
        SELECT {_Q_COLUMNS}, d.for_organiser FROM escalation_digests d
        JOIN questions q ON q.id = d.question_id
        WHERE d.outbox_id = ? AND q.asker_id IS NOT ?
        ORDER BY d.position
        """,
        (outbox_id, without_asker),
    )
    items = []
    for row in rows:
        values = dict(row)
        for_organiser = bool(values.pop("for_organiser"))
        items.append(DigestItem(Question(**values | {"kept": bool(values["kept"])}), for_organiser))
    return (recipient[0] if recipient else 0), items
