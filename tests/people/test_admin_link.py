"""A bot that starts with nobody as admin logs a one-time admin link: the first person to open
it becomes admin (stored, shown by /roles), and the link is spent."""

import logging
import re

from bot.people import store
from bot.people.roles import Role
from tests.fake_telegram import FakeTelegram
from tests.harness import AMIRA, BRAM, bot_harness, settings_for
from tests.test_command_line import bot_command

LINK = re.compile(r"https://t\.me/(\w+)\?start=(inv_[A-Za-z0-9_-]+)")


def no_admin_settings(tmp_path):
    # A token: on Telegram (the console chat has an admin of its own and makes no link).
    return settings_for(tmp_path, admin_ids=frozenset(), bot_token="123456:TEST")


def logged_link(caplog) -> str:
    lines = [r.getMessage() for r in caplog.records if "nobody is admin" in r.getMessage()]
    assert len(lines) == 1, lines
    match = LINK.search(lines[0])
    assert match and match.group(1) == "landgenoot_bot", lines[0]
    assert "ADMIN_IDS" in lines[0] and "python -m bot admin-link" in lines[0]
    return match.group(2)


async def test_the_first_person_to_open_the_admin_link_becomes_admin_once(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    settings = no_admin_settings(tmp_path)
    async with bot_harness(settings) as bot:
        token = logged_link(caplog)
        [welcome, *_] = await bot.send(AMIRA, f"/start {token}")
        ar = bot.runtime.translators["ar"].gettext
        assert welcome.text == ar("Welcome! Your new role: {role}.").format(role=ar("admin"))
        stored = await store.get_user(bot.runtime.db.reader, AMIRA.id)
        assert stored.roles == {Role.ADMIN}

        # The link is spent: the next person gets nothing.
        [used, *_] = await bot.send(BRAM, f"/start {token}")
        nl = bot.runtime.translators["nl"].gettext
        assert used.text == nl("This invite link has been used already. Ask for a new one.")
        assert (await store.get_user(bot.runtime.db.reader, BRAM.id)).roles == frozenset()

        # An admin like any other: /roles lists her, /invite offers the organiser role.
        [roles] = await bot.send(AMIRA, "/roles")
        assert AMIRA.first_name in roles.text and ar("admin") in roles.text
        [invite] = await bot.send(AMIRA, "/invite organiser")
        assert "https://t.me/landgenoot_bot?start=inv_" in invite.text

    # Stored, not only in memory: at the next start there is an admin and no new link.
    caplog.clear()
    async with bot_harness(settings) as bot:
        assert not [r for r in caplog.records if "nobody is admin" in r.getMessage()]
        [roles] = await bot.send(AMIRA, "/roles")
        assert AMIRA.first_name in roles.text


async def test_the_admin_link_expires_after_24_hours_and_a_new_one_replaces_it(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    async with bot_harness(no_admin_settings(tmp_path)) as bot:
        first = logged_link(caplog)
        second = await bot.runtime.people.create_admin_link()
        nl = bot.runtime.translators["nl"].gettext
        [replaced, *_] = await bot.send(BRAM, f"/start {first}")
        assert replaced.text == nl("This link is not valid.")
        bot.clock.advance(hours=24, seconds=1)
        [expired, *_] = await bot.send(BRAM, f"/start inv_{second.token}")
        assert expired.text == nl("This invite link has expired. Ask for a new one.")
        assert (await store.get_user(bot.runtime.db.reader, BRAM.id)).roles == frozenset()


async def test_no_admin_link_when_admin_ids_names_someone(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    async with bot_harness(settings_for(tmp_path, bot_token="123456:TEST")):
        pass
    assert not [r for r in caplog.records if "nobody is admin" in r.getMessage()]


async def test_the_token_is_stored_only_as_a_hash(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    async with bot_harness(no_admin_settings(tmp_path)) as bot:
        token = logged_link(caplog).removeprefix("inv_")
        rows = await bot.runtime.db.reader.execute_fetchall("SELECT * FROM invites")
    assert rows and all(token not in str(tuple(row)) for row in rows)


def test_the_admin_link_command_prints_a_new_link(tmp_path):
    with FakeTelegram([]) as telegram:
        result = bot_command(
            tmp_path, "admin-link", BOT_TOKEN="123456:TEST", TELEGRAM_BASE_URL=telegram.base_url
        )
    assert result.returncode == 0, result.stderr
    link, note = result.stdout.strip().splitlines()
    assert LINK.fullmatch(link)
    assert "becomes admin" in note and "once" in note


def test_the_admin_link_command_needs_a_token(tmp_path):
    result = bot_command(tmp_path, "admin-link")
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "BOT_TOKEN" in line
