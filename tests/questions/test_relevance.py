"""Search relevance: do the answers a newcomer expects come first?

`relevance.json` holds answered questions on topics the seeded community does not cover, and
searches written the way newcomers type them (lowercase, no accents, a typo, half a sentence),
each with the entries a person would expect among the first three. They are put into a seeded
community, whose questions share the everyday words ("how", "waar", "في", "in Tiel") and so
compete for the top three, as they do in a real knowledge base.

The top-3 hit rate must not drop below the best rate measured so far (issue 22): a change that
makes search faster must not make it find less.
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import search as fulltext
from bot.clock import Clock
from bot.db import Database
from bot.i18n import Translators
from bot.people.roles import Person
from bot.questions import store
from bot.questions.service import QuestionService
from bot.questions.store import KNOWLEDGE_TABLE
from bot.seed import seed

RELEVANCE = json.loads((Path(__file__).parent / "relevance.json").read_text(encoding="utf-8"))
# 12,500 seeded questions, 5,000 of them in the knowledge base: enough for everyday words to be
# common, as they are in a real community.
NOISE_SCALE = 50
# The top-3 hit rate of the search before issue 22 (every word ORed, the first 12 words) on this
# set was 53 of 55, the same with 5,000 and 200,000 seeded entries around it. Leaving out the
# common words made it 55 of 55, and so did matching the reader's languages inside the index
# and looking for entries with every word first: the rate to keep.
BASELINE_HIT_RATE = 55 / 55
ASKER_ID, HELPER_ID, FIRST_READER_ID = 1, 2, 100


@pytest.fixture
async def service(tmp_path):
    path = tmp_path / "relevance.sqlite3"
    async with Database(path) as db:
        await db.migrate()
        keys = await _add_knowledge(db)
    # The set's answers first, so that they are the oldest: the search ranks the newest hits of a
    # very common word only, and must still find them.
    await seed(path, NOISE_SCALE, force=True)
    async with Database(path) as db:
        yield QuestionService(db, Clock(), Translators(ZoneInfo("Europe/Amsterdam")), "nl"), keys


async def _add_knowledge(db: Database) -> dict[int, str]:
    """The set's answered questions, kept in the knowledge base; their ids and keys."""
    keys = {}
    async with db.transaction() as conn:
        for user_id in (ASKER_ID, HELPER_ID):
            await conn.execute(
                "INSERT INTO users (id, first_name, locale, created_at, updated_at)"
                " VALUES (?, 'Set', 'en', 0, 0)",
                (user_id,),
            )
        for entry in RELEVANCE["knowledge"]:
            question_id = await store.insert_question(
                conn, ASKER_ID, entry["topic"], entry["locale"], entry["question"], None, 0
            )
            await store.insert_answer(
                conn, question_id, HELPER_ID, entry["answer"], None, False, False, 0
            )
            await store.set_question(conn, question_id, status="closed", kept=1, closed_at=0)
            body = f"{entry['question']}\n{entry['answer']}"
            await fulltext.index(conn, KNOWLEDGE_TABLE, question_id, body, language=entry["locale"])
            keys[question_id] = entry["key"]
        for offset, locale in enumerate(sorted({s["locale"] for s in RELEVANCE["searches"]})):
            await conn.execute(
                "INSERT INTO users (id, first_name, locale, created_at, updated_at)"
                " VALUES (?, 'Reader', ?, 0, 0)",
                (FIRST_READER_ID + offset, locale),
            )
    return keys


def _reader(locale: str) -> Person:
    locales = sorted({s["locale"] for s in RELEVANCE["searches"]})
    return Person(
        FIRST_READER_ID + locales.index(locale), "Reader", locale, None, True, True, None,
        frozenset(),
    )  # fmt: skip


def test_the_set_is_big_and_varied_enough():
    searches = RELEVANCE["searches"]
    keys = {entry["key"] for entry in RELEVANCE["knowledge"]}
    assert len(searches) >= 30
    assert len({s["locale"] for s in searches}) >= 4
    assert all(s["expected"] and set(s["expected"]) <= keys for s in searches)


async def test_expected_answers_come_in_the_first_three_as_often_as_before(service):
    questions, keys = service
    misses = []
    for entry in RELEVANCE["searches"]:
        found = await questions.similar(_reader(entry["locale"]), entry["text"], limit=3)
        top = [keys.get(known.question.id, "seeded") for known in found]
        if not set(entry["expected"]) & set(top):
            misses.append(f"{entry['text']!r}: {top}")
    rate = 1 - len(misses) / len(RELEVANCE["searches"])
    report = f"top-3 hit rate {rate:.3f}; missed:\n" + "\n".join(misses)
    assert rate >= BASELINE_HIT_RATE - 1e-9, report
