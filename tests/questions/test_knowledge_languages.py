"""The knowledge base matches the reader's languages inside the index (issue 22): migration
0017 moves every kept entry into an index with a language column, and a search finds only
entries the reader can read, with every word before any word."""

from zoneinfo import ZoneInfo

import pytest

from bot import search as fulltext
from bot.clock import Clock
from bot.db import Database, fetchall
from bot.i18n import Translators
from bot.people.roles import Person
from bot.questions import store
from bot.questions.service import QuestionService
from bot.questions.store import KNOWLEDGE_TABLE
from tests.migrating import Step, migrations_before, old_database

READER_ID = 10


def before_languages_in_the_index() -> list[Step]:
    return migrations_before(lambda name, _sql: "knowledge_by_language" in name)


async def test_the_migration_keeps_every_entry_and_gives_it_its_question_s_language(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = old_database(path, before_languages_in_the_index())
    old.executescript(
        """
        INSERT INTO questions (id, topic, locale, text, status, kept, created_at)
        VALUES (1, 'daily', 'nl', 'Waar koop ik een fiets?', 'closed', 1, 0),
               (2, 'daily', 'ar', 'أين أشتري دراجة؟', 'closed', 1, 0);
        INSERT INTO knowledge (rowid, body) VALUES (1, 'waar koop ik een fiets? marktplaats'),
               (2, 'اين اشتري دراجه؟ marktplaats'), (3, 'an entry whose question is gone');
        """
    )
    old.close()
    async with Database(path) as db:
        await db.migrate()
        rows = await fetchall(
            db.reader, f"SELECT rowid, body, language FROM {KNOWLEDGE_TABLE} ORDER BY rowid"
        )
        in_dutch = await fetchall(
            db.reader,
            f"SELECT rowid FROM {KNOWLEDGE_TABLE} WHERE {KNOWLEDGE_TABLE} MATCH ?",
            (f'{fulltext.language_filter(["nl"])} AND body : ("marktplaats")',),
        )
    assert [tuple(row) for row in rows] == [
        (1, "waar koop ik een fiets? marktplaats", "nl"),
        (2, "اين اشتري دراجه؟ marktplaats", "ar"),
    ]
    assert [row[0] for row in in_dutch] == [1]


@pytest.fixture
async def questions(tmp_path):
    async with Database(tmp_path / "knowledge.sqlite3") as db:
        await db.migrate()
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (id, first_name, locale, created_at, updated_at)"
                " VALUES (?, 'Reader', 'nl', 0, 0)",
                (READER_ID,),
            )
        yield db, QuestionService(db, Clock(), Translators(ZoneInfo("Europe/Amsterdam")), "nl")


async def _known(db: Database, locale: str, question: str, answer: str) -> int:
    async with db.transaction() as conn:
        question_id = await store.insert_question(conn, None, "daily", locale, question, None, 0)
        await store.insert_answer(conn, question_id, None, answer, None, False, False, 0)
        await store.set_question(conn, question_id, status="closed", kept=1, closed_at=0)
        body = f"{question}\n{answer}"
        await fulltext.index(conn, KNOWLEDGE_TABLE, question_id, body, language=locale)
    return question_id


def _reader() -> Person:
    return Person(READER_ID, "Reader", "nl", None, True, True, None, frozenset())


async def test_a_dutch_word_that_is_also_a_language_code_finds_no_entries_in_that_language(
    questions,
):
    """The Dutch word "en" (and) is also the language code of English: the English entries'
    language column must not make them hits for it."""
    db, service = questions
    dutch = await _known(db, "nl", "Fiets en bus: wat is goedkoper?", "Een fiets, en de bus.")
    await _known(db, "en", "Where do I buy a cheap bike?", "Try the market on Saturday.")
    found = await service.similar(_reader(), "en", limit=3)
    assert [known.question.id for known in found] == [dutch]


async def test_entries_with_every_word_come_before_entries_with_one_of_them(questions):
    db, service = questions
    both = await _known(db, "nl", "Waar is de huisarts in Tiel?", "Aan de Markt, bel eerst.")
    # Shorter, and each repeating one of the words: bm25 alone would put them first.
    await _known(db, "nl", "Huisarts huisarts?", "Huisarts.")
    await _known(db, "nl", "Tiel Tiel?", "Tiel.")
    found = await service.similar(_reader(), "huisarts Tiel", limit=1)
    assert [known.question.id for known in found] == [both]


async def test_any_word_is_enough_when_no_entry_has_them_all(questions):
    db, service = questions
    gp = await _known(db, "nl", "Waar is de huisarts?", "Aan de Markt.")
    found = await service.similar(_reader(), "huisarts Culemborg", limit=3)
    assert [known.question.id for known in found] == [gp]
