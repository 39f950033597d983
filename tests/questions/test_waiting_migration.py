"""The migration that indexes waiting questions, on a database from before it."""

from bot.db import Database, fetchall, migrations
from tests.migrating import Step, migrations_before, old_database


def before_answered_at() -> list[Step]:
    return migrations_before(lambda _name, sql: "answered_at INTEGER" in sql)


async def test_it_marks_answered_questions_and_gives_everyone_who_answers_a_profile(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = old_database(path, before_answered_at())
    old.executescript(
        """
        INSERT INTO users (id, first_name, locale, telegram_locale, created_at, updated_at)
        VALUES (1, 'Karim', 'ar', NULL, 0, 0), (2, 'Hamid', NULL, 'nl', 0, 0),
               (3, 'Kees', NULL, NULL, 0, 0), (4, 'Asker', 'ar', NULL, 0, 0);
        INSERT INTO roles (user_id, role, granted_by, granted_at)
        VALUES (1, 'key_person', 9, 0), (1, 'helper', 9, 0), (2, 'helper', 9, 0),
               (3, 'key_person', 9, 0);
        INSERT INTO questions (id, asker_id, topic, locale, status, created_at, routed_at)
        VALUES (1, 4, 'housing', 'ar', 'open', 10, 10), (2, 4, 'work', 'ar', 'open', 20, 20);
        INSERT INTO answers (question_id, helper_id, text, hidden, created_at)
        VALUES (1, 1, 'hidden one', 1, 30), (1, 1, 'a real answer', 0, 40),
               (2, 1, 'only hidden', 1, 50);
        """
    )
    old.close()
    async with Database(path) as db:
        assert len(await db.migrate()) == len(migrations()) - len(before_answered_at())
        answered = await fetchall(db.reader, "SELECT id, answered_at FROM questions ORDER BY id")
        assert [tuple(row) for row in answered] == [(1, 40), (2, None)]
        profiles = await fetchall(
            db.reader, "SELECT user_id, languages, topics, paused FROM helpers ORDER BY user_id"
        )
    # a key person keeps receiving in their language; a helper who never set up is paused
    assert [tuple(row) for row in profiles] == [(1, "ar", "", 0), (2, "nl", "", 1), (3, "", "", 0)]
