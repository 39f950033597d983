"""`python -m bot seed`: a small demo community that the bot then shows."""

import sqlite3

import pytest

from bot.__main__ import main
from bot.clock import ManualClock
from bot.local_api import LocalUser
from bot.seed import FIRST_ID, AlreadySeeded, Sizes, seed
from tests.harness import ADMIN, START, bot_harness


def _counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("users", "roles", "cafes", "signups", "questions", "answers", "tips")
        }


async def test_scale_one_seeds_a_small_community_in_every_language(settings):
    seeded = await seed(settings.database_path, 1, clock=ManualClock(START))
    counts = _counts(settings.database_path)
    sizes = Sizes.for_scale(1)
    assert counts["users"] == sizes.users and counts["cafes"] == sizes.cafes
    assert counts["questions"] == sizes.questions and counts["tips"] == sizes.tips
    assert counts["signups"] == sizes.signups and counts["answers"] > 0
    assert seeded.created["people"] == sizes.users
    with sqlite3.connect(settings.database_path) as conn:
        locales = {row[0] for row in conn.execute("SELECT telegram_locale FROM users")}
        roles = {row[0] for row in conn.execute("SELECT role FROM roles")}
        smallest_id = conn.execute("SELECT min(id) FROM users").fetchone()[0]
        coming = conn.execute(
            "SELECT count(*) FROM cafes WHERE starts_at > ?", (int(START.timestamp()),)
        ).fetchone()[0]
    assert locales == {"nl", "en", "ar", "ti", "uk", "fa", "tr", "so"}
    assert roles == {"helper", "key_person", "organiser"}
    assert smallest_id >= FIRST_ID
    assert coming >= 1


async def test_the_same_scale_gives_the_same_community(tmp_path):
    for name in ("a.sqlite3", "b.sqlite3"):
        await seed(tmp_path / name, 1, clock=ManualClock(START))
    dumps = []
    for name in ("a.sqlite3", "b.sqlite3"):
        with sqlite3.connect(tmp_path / name) as conn:
            dumps.append(
                [
                    conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                    for table in ("users", "cafes", "signups", "questions", "tips")
                ]
            )
    assert dumps[0] == dumps[1]


async def test_a_database_with_people_is_not_seeded_again_unless_forced(settings):
    await seed(settings.database_path, 1, clock=ManualClock(START))
    with pytest.raises(AlreadySeeded):
        await seed(settings.database_path, 1, clock=ManualClock(START))
    assert _counts(settings.database_path)["users"] == Sizes.for_scale(1).users
    await seed(settings.database_path, 1, force=True, clock=ManualClock(START))
    assert _counts(settings.database_path)["users"] == 2 * Sizes.for_scale(1).users


def test_the_command_line_seeds_once_and_then_refuses(tmp_path, capsys):
    path = tmp_path / "demo.sqlite3"
    assert main(["seed", "--scale", "1", "--database", str(path)]) == 0
    assert "50 people" in capsys.readouterr().out
    assert main(["seed", "--scale", "1", "--database", str(path)]) == 1
    assert "already has 50 people" in capsys.readouterr().err
    assert _counts(path)["users"] == 50


async def test_the_bot_shows_seeded_cafes_answers_and_tips(settings):
    await seed(settings.database_path, 1, clock=ManualClock(START))
    async with bot_harness(settings) as bot:
        cafes = await bot.send(ADMIN, "/cafes")
        assert cafes and any("|cafe_join|" in data for _label, data in cafes[-1].buttons)
        found = await bot.send(ADMIN, "/search GP")
        assert found and "❓" in found[0].text
        tips = await bot.send(ADMIN, "/tips bike")
        assert tips and "💡" in tips[0].text
        picker = await bot.send(ADMIN, "/tips")
        page = await bot.press(ADMIN, picker[-1], "All categories")
        assert any("💡" in call.text for call in page)
        # A seeded person in Arabic finds answers in Arabic.
        with sqlite3.connect(settings.database_path) as conn:
            uid, name = conn.execute(
                "SELECT id, first_name FROM users WHERE locale = 'ar' AND telegram_locale = 'ar'"
                " ORDER BY id LIMIT 1"
            ).fetchone()
        found = await bot.send(LocalUser(uid, name, "ar"), "/search كيف")
        assert found and "❓" in found[0].text
