"""Privacy and safety: take out, erase (down to the file's bytes), retention, urgent help,
bans, group chats, floods, and the audit log."""

import json

from bot.db import fetchall
from bot.local_api import LocalUser
from bot.people import store as people_store
from bot.privacy.service import RETENTION_BATCH
from tests.cafes.helpers import create_cafe
from tests.harness import ADMIN, bot_harness
from tests.questions.test_questions import ask, make_helper

PERSON = LocalUser(777123456, "Xandrilla", "en")
HELPER = LocalUser(301, "Hamid", "en")
GROUP = -100555


async def identify(bot, user):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def answered_question(bot, asker, text: str, keep: bool) -> None:
    await ask(bot, asker, "daily", text)
    [question] = await bot.deliver()
    await bot.press(HELPER, question, "Answer")
    await bot.send(HELPER, f"Answer to: {text}")
    [answer] = await bot.deliver()
    close = (await bot.press(asker, answer, "Close the question"))[-1]
    label = "Yes, share it without my name" if keep else "No, keep it private"
    await bot.press(asker, close, label)


async def test_mydata_gives_everything_as_a_file_with_a_summary(bot):
    cafe = await create_cafe(bot)
    await bot.runtime.cafes.sign_up(await identify(bot, PERSON), cafe.id)
    summary, document = await bot.send(PERSON, "/mydata")
    assert summary.text.startswith("Here is everything I store about you")
    assert "Café sign-ups: 1" in summary.text
    assert "Messages to you or about you: 0" in summary.text
    _name, content = next(iter(document.files.values()))
    data = json.loads(content)
    assert data["profile"]["first_name"] == "Xandrilla"
    assert data["cafe_signups"][0]["title"] == "Praattafel december"


async def test_deleteme_erases_down_to_the_bytes_of_the_file(settings):
    async with bot_harness(settings) as bot:
        await make_helper(bot, HELPER, ["en"], ["daily"])
        cafe = await create_cafe(bot, seats="1")
        me = await identify(bot, PERSON)
        waiting = LocalUser(888, "Next", "en")
        await bot.runtime.cafes.sign_up(me, cafe.id)
        await bot.runtime.cafes.sign_up(await identify(bot, waiting), cafe.id)
        await bot.send(PERSON, "/subscribe")
        await answered_question(bot, PERSON, "Where can I buy a cheap bike?", keep=True)
        await answered_question(bot, PERSON, "A private worry of mine", keep=False)
        [confirm] = await bot.send(PERSON, "/deleteme")
        replies = await bot.press(PERSON, confirm, "Erase everything")
        assert replies[-1].text.startswith("Everything is erased.")
        [promoted] = await bot.deliver()
        assert promoted.chat_id == waiting.id  # the seat went to the next person
        # the anonymous knowledge stays, the private question is gone
        found = await bot.send(LocalUser(889, "Reader", "en"), "/search bike")
        assert "cheap bike" in found[0].text
        rows = await fetchall(bot.runtime.db.reader, "SELECT text FROM questions")
        assert [row[0] for row in rows] == ["Where can I buy a cheap bike?"]
        for table, column in [("users", "id"), ("roles", "user_id"), ("signups", "user_id"),
                              ("questions", "asker_id"), ("outbox", "recipient_id")]:  # fmt: skip
            rows = await fetchall(
                bot.runtime.db.reader, f"SELECT count(*) FROM {table} WHERE {column} = ?",
                (PERSON.id,),
            )  # fmt: skip
            assert rows[0][0] == 0, table
    raw = settings.database_path.read_bytes()
    wal = settings.database_path.with_name(settings.database_path.name + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    assert b"Xandrilla" not in raw
    assert str(PERSON.id).encode() not in raw
    assert b"A private worry of mine" not in raw


async def test_saying_no_erases_nothing(bot):
    await identify(bot, PERSON)
    [confirm] = await bot.send(PERSON, "/deleteme")
    replies = await bot.press(PERSON, confirm, "No, keep my data")
    assert replies[-1].text == "Nothing was erased."
    assert await people_store.get_user(bot.runtime.db.reader, PERSON.id) is not None


async def test_retention_forgets_old_private_parts_and_keeps_counts(bot):
    await make_helper(bot, HELPER, ["en"], ["daily"])
    cafe = await create_cafe(bot)
    await bot.runtime.cafes.sign_up(await identify(bot, PERSON), cafe.id)
    await answered_question(bot, PERSON, "Old private question", keep=False)
    gone = LocalUser(890, "Gone", "en")
    await identify(bot, gone)
    async with bot.runtime.db.transaction() as conn:
        await people_store.mark_reachable(conn, gone.id, False, bot.clock.timestamp())
    bot.clock.advance(days=400)
    done = await bot.runtime.privacy.apply_retention()
    assert done["questions"] == 1 and done["signups"] == 1 and done["unreachable_users"] == 1
    rows = await fetchall(bot.runtime.db.reader, "SELECT text, asker_id FROM questions")
    assert [tuple(row) for row in rows] == [(None, None)]
    rows = await fetchall(bot.runtime.db.reader, "SELECT signed_up FROM cafes")
    assert [row[0] for row in rows] == [1]
    assert await people_store.get_user(bot.runtime.db.reader, gone.id) is None


async def test_retention_forgets_more_closed_questions_than_one_batch_and_their_answers(bot):
    """After a long pause many questions are due at once: they go in batches (each its own
    transaction, so that other writes are not held up), all of them, answers included.
    bench/retention.py runs the same at 10x the benchmark size, with writes beside it."""
    asker = await identify(bot, PERSON)
    helper = await identify(bot, HELPER)
    closed = bot.clock.timestamp() - 200 * 86400
    due = RETENTION_BATCH + 3
    async with bot.runtime.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO questions (id, asker_id, topic, locale, text, status, kept, created_at,"
            " routed_at, closed_at) VALUES (?, ?, 'daily', 'en', ?, 'closed', 0, ?, ?, ?)",
            [(n, asker.id, f"Old question {n}", closed, closed, closed) for n in range(1, due + 1)],
        )
        await conn.executemany(
            "INSERT INTO answers (question_id, helper_id, text, created_at) VALUES (?, ?, ?, ?)",
            [(n, helper.id, f"Old answer {n}", closed) for n in range(1, due + 1)],
        )
        await conn.execute(  # shared for /search: kept, words and all
            "INSERT INTO questions (id, asker_id, topic, locale, text, status, kept, created_at,"
            " routed_at, closed_at) VALUES (?, ?, 'daily', 'en', 'Shared', 'closed', 1, ?, ?, ?)",
            (due + 1, asker.id, closed, closed, closed),
        )
    done = await bot.runtime.privacy.apply_retention()
    assert done["questions"] == due
    rows = await fetchall(
        bot.runtime.db.reader,
        "SELECT count(*) FROM questions WHERE text IS NOT NULL OR asker_id IS NOT NULL",
    )
    assert rows[0][0] == 1  # only the shared one
    rows = await fetchall(bot.runtime.db.reader, "SELECT count(*) FROM answers WHERE text NOT NULL")
    assert rows[0][0] == 0
    assert (await bot.runtime.privacy.apply_retention())["questions"] == 0  # once is enough


async def test_urgent_help_in_the_readers_language_and_from_help_and_health(bot):
    [urgent] = await bot.send(PERSON, "/urgent")
    for number in ("112", "0800-2000", "0800-0113", "0900-0101"):
        assert number in urgent.text
    assert "Nobody watches this bot day and night" in urgent.text
    [help_text] = await bot.send(PERSON, "/help")
    replies = await bot.press(PERSON, help_text, "🚨 Urgent help")
    assert "112" in replies[-1].text
    [topics] = await bot.send(PERSON, "/ask")
    replies = await bot.press_data(PERSON, topics, "1|q_topic|health")
    assert "112" in replies[-1].text
    arabic = LocalUser(891, "Amal", "ar")
    [in_arabic] = await bot.send(arabic, "/urgent")
    assert in_arabic.text != urgent.text and "112" in in_arabic.text


async def test_group_chats_get_no_personal_data_and_are_pointed_to_a_private_chat(bot):
    [pointed] = await bot.send(ADMIN, "/roles", chat_id=GROUP)
    assert pointed.text == "Please write to me in a private chat: https://t.me/landgenoot_bot"
    assert await bot.send(PERSON, "hello everyone", chat_id=GROUP) == []
    [summary] = await bot.send(PERSON, "/cafes", chat_id=GROUP)
    assert summary.chat_id == GROUP
    for command in ("/mydata", "/deleteme", "/ask", "/mycafes", "/invite helper"):
        [reply] = await bot.send(ADMIN, command, chat_id=GROUP)
        assert reply.text.startswith("Please write to me in a private chat"), command


async def test_a_banned_person_gets_a_neutral_answer_but_keeps_their_data_rights(bot):
    me = await identify(bot, PERSON)
    async with bot.runtime.db.transaction() as conn:
        from bot.moderation import store as moderation_store

        await moderation_store.block(conn, me.id, "spam", ADMIN.id, 0)
    [refused] = await bot.send(PERSON, "/cafes")
    assert refused.text == "Sorry, this is not available to you."
    summary, _document = await bot.send(PERSON, "/mydata")
    assert summary.text.startswith("Here is everything")
    [banned] = await bot.send(ADMIN, "/banned")
    assert "Xandrilla" in banned.text and "spam" in banned.text
    replies = await bot.press(ADMIN, banned, "Unblock")
    assert replies[0].params["text"] == "Unblocked."
    [allowed] = await bot.send(PERSON, "/cafes")
    assert allowed.text != "Sorry, this is not available to you."


async def test_a_flood_is_cut_off_with_one_notice(bot):
    replies = []
    for n in range(40):
        replies += await bot.send(PERSON, f"message {n}")
    notices = [c for c in replies if c.text.startswith("Please slow down")]
    assert len(notices) == 1
    assert len(replies) == 31  # 30 answered, one notice, the rest dropped


async def test_the_audit_log_records_organiser_actions_for_admins_only(bot):
    await bot.send(ADMIN, "/invite organiser")
    cafe = await create_cafe(bot)
    await bot.runtime.cafes.cancel_cafe(await identify(bot, ADMIN), cafe.id)
    [log] = await bot.send(ADMIN, "/audit")
    assert "Ada made an invite link for the role: organiser" in log.text
    assert f"Ada cancelled the café {cafe.title}" in log.text
    assert "cancel_cafe" not in log.text and "role:organiser" not in log.text
    [refused] = await bot.send(PERSON, "/audit")
    assert refused.text == "Only admins can see the audit log."


async def test_organiser_only_actions_are_refused_to_newcomers_and_helpers(bot):
    """The authorization matrix: commands and forged presses, by a newcomer and a helper."""
    await make_helper(bot, HELPER, ["en"], ["daily"])
    cafe = await create_cafe(bot)
    await bot.send(ADMIN, "/subscribe")
    preview = (await bot.send(ADMIN, "/announce News"))[-1]
    draft = dict(preview.buttons)["Send"].split("|")[-1]
    await ask(bot, PERSON, "daily", "Something to report?")
    [question] = await bot.deliver()
    await bot.press(HELPER, question, "Report")

    async def snapshot() -> dict:
        tables = ["cafes", "signups", "announcements", "outbox", "roles", "invites", "reports",
                  "blocks", "moderation_log", "questions", "answers"]  # fmt: skip
        return {t: [tuple(r) for r in await fetchall(bot.runtime.db.reader, f"SELECT * FROM {t}")]
                for t in tables}  # fmt: skip

    before = await snapshot()
    commands = ["/newcafe 2026-12-20 19:00 | Bieb | 5 | X", "/announce hello", "/invite helper",
                "/invite organiser", "/roles", "/moderation", "/banned", "/audit"]  # fmt: skip
    presses = [f"1|cafe_admin|{cafe.id}", f"1|cafe_people|{cafe.id}", "1|cafe_in|1",
               f"1|cafe_qr|{cafe.id}", f"1|cafe_edit|{cafe.id}", f"1|cafe_drop|{cafe.id}",
               f"1|cafe_drop_yes|{cafe.id}", f"1|cafe_copy|{cafe.id}",
               f"1|cafe_announce|{cafe.id}", "1|cafe_save|once", f"1|ann_send|{draft}",
               f"1|ann_cancel|{draft}", "1|mod|hide|1", "1|mod|block|1", "1|mod|dismiss|1",
               f"1|unban|{ADMIN.id}", "1|invite|helper", "1|invite|organiser"]  # fmt: skip
    for user in (LocalUser(950, "Newbie", "en"), HELPER):
        for command in commands:
            replies = await bot.send(user, command)
            assert replies and not any("https://t.me/landgenoot_bot?start=inv_" in c.text
                                       for c in replies), command  # fmt: skip
        for data in presses:
            replies = await bot.press_data(user, preview, data)
            assert [c.method for c in replies] == ["answerCallbackQuery"], (user, data)
    assert await snapshot() == before
