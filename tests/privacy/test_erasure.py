"""Erase means erased: every copy of a person's words and identity goes, found by reference,
down to the bytes of the database file, its write-ahead log and its shared memory."""

import json
from pathlib import Path

from bot.db import fetchall
from bot.local_api import LocalUser
from bot.people import store as people_store
from bot.people.roles import Role
from bot.questions import store as questions_store
from tests.cafes.helpers import create_cafe
from tests.harness import ADMIN, bot_harness
from tests.privacy.test_privacy import HELPER, answered_question, identify
from tests.questions.files import photo
from tests.questions.test_questions import ask, make_helper
from tests.tips.helpers import share

PERSON = LocalUser(777123456, "Xandrilla", "en")
RENAMED = LocalUser(PERSON.id, "Yolandra", "en")  # the same person, after a name change
KEY = LocalUser(811, "Kwabena", "en")
WAITING = LocalUser(888, "Next", "en")
TIP = "The Qumran shop on Zwaluwstraat sells fresh injera every Friday"
NOTE = "Thursday 9:30, huisarts Vrolikplein 12"
UNSENT = "Is the Pelikaanstraat office open on Saturday?"
LETTER = "PHOTO-OF-A-LETTER-4471"  # the file id of a photo in a question


def database_files(settings) -> dict[str, bytes]:
    path = Path(settings.database_path)
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return {file.name: file.read_bytes() for file in files if file.exists()}


def traces_in(files: dict[str, bytes]) -> list[tuple[str, str]]:
    secrets = [
        "Xandrilla", "Yolandra", str(PERSON.id), TIP, NOTE, UNSENT, "Vrolikplein", "Qumran",
        LETTER,
    ]  # fmt: skip
    return [
        (name, secret)
        for name, content in files.items()
        for secret in secrets
        if secret.encode() in content
    ]


async def key_person(bot, user):
    await identify(bot, user)
    async with bot.runtime.db.transaction() as conn:
        await people_store.grant_role(conn, user.id, Role.KEY_PERSON, ADMIN.id, 0)


async def accepted_request(bot):
    """PERSON asks for a key person; KEY goes; PERSON agrees: each gets the other's contact."""
    [kinds] = await bot.send(PERSON, "/keyperson")
    await bot.press_data(PERSON, kinds, "1|acc_kind|gp")
    await bot.send(PERSON, NOTE)
    [offer] = await bot.deliver()
    await bot.press(KEY, offer, "I can go")
    [question] = await bot.deliver()
    await bot.press(PERSON, question, "Yes, share our contact")
    introductions = {call.chat_id: call for call in await bot.deliver()}
    assert f"tg://user?id={PERSON.id}" in json.dumps(introductions[KEY.id].params)


async def asked_with_a_photo(bot):
    """PERSON asks with a photo of a letter; the helper receives it (a copy in the outbox)."""
    [topics] = await bot.send(PERSON, "/ask")
    await bot.press_data(PERSON, topics, "1|q_topic|daily")
    [warning] = await bot.send_content(PERSON, photo(LETTER, "What does this letter say?"))
    await bot.press(PERSON, warning, "Send")
    [relayed] = await bot.deliver()
    assert relayed.params["photo"] == LETTER


async def test_deleteme_leaves_no_trace_of_words_names_or_id_while_running_and_after(settings):
    async with bot_harness(settings) as bot:
        await make_helper(bot, HELPER, ["en"], ["daily"])
        await key_person(bot, KEY)
        cafe = await create_cafe(bot, seats="1")  # the admin (an organiser) talks to the bot
        await bot.runtime.cafes.sign_up(await identify(bot, PERSON), cafe.id)
        await bot.runtime.cafes.sign_up(await identify(bot, WAITING), cafe.id)
        tip, _replies = await share(bot, PERSON, TIP)
        assert tip.status == "pending"  # someone who joined recently waits for approval
        [notice] = await bot.deliver()
        assert notice.chat_id == ADMIN.id and TIP in notice.text
        await answered_question(bot, PERSON, "A private worry of mine", keep=False)
        await answered_question(bot, PERSON, "Where can I buy a cheap bike?", keep=True)
        await accepted_request(bot)
        await asked_with_a_photo(bot)
        await bot.send(RENAMED, "/help")  # Telegram now says their name is Yolandra
        await ask(bot, RENAMED, "daily", UNSENT)  # its copy to the helper waits in the outbox
        assert (await people_store.get_user(bot.runtime.db.reader, PERSON.id)).first_name == (
            "Yolandra"
        )
        before = {secret for _file, secret in traces_in(database_files(settings))}
        assert {"Xandrilla", "Yolandra", str(PERSON.id), TIP, NOTE, LETTER} <= before  # seen

        [confirm] = await bot.send(RENAMED, "/deleteme")
        replies = await bot.press(RENAMED, confirm, "Erase everything")
        assert replies[-1].text.startswith("Everything is erased.")

        [promoted] = await bot.deliver()
        assert promoted.chat_id == WAITING.id  # the seat went to the next person
        [found] = await bot.send(LocalUser(889, "Reader", "en"), "/search bike")
        assert "cheap bike" in found.text  # the question shared without a name stays
        files = database_files(settings)
        assert {"landgenoot.sqlite3-wal", "landgenoot.sqlite3-shm"} <= set(files)
        assert traces_in(files) == []
        rows = await fetchall(bot.runtime.db.reader, "SELECT count(*) FROM outbox_about")
        assert rows[0][0] == 0
    assert traces_in(database_files(settings)) == []


async def test_a_key_person_who_leaves_before_the_confirmation_is_replaced_by_a_clear_word(bot):
    await key_person(bot, KEY)
    [kinds] = await bot.send(PERSON, "/keyperson")
    await bot.press_data(PERSON, kinds, "1|acc_kind|gp")
    await bot.send(PERSON, NOTE)
    [offer] = await bot.deliver()
    await bot.press(KEY, offer, "I can go")
    _summary, document = await bot.send(KEY, "/mydata")
    [took] = json.loads(next(iter(document.files.values()))[1])["key_person_requests_you_took"]
    assert took["note"] == NOTE and took["accepted_at"].startswith("2026-12-01T")
    [confirm_offer] = await bot.send(KEY, "/deleteme")
    await bot.press(KEY, confirm_offer, "Erase everything")
    # the "a key person can go, shall I share contacts?" message went with them
    [told] = await bot.deliver()
    assert told.chat_id == PERSON.id
    assert told.text == (
        "The key person who could go with you can no longer go. Please ask again with /keyperson."
    )
    rows = await fetchall(bot.runtime.db.reader, "SELECT status, key_person_id FROM accompaniments")
    assert [tuple(row) for row in rows] == [("cancelled", None)]


async def test_mydata_lists_messages_to_and_about_the_person_with_iso_dates(bot):
    await make_helper(bot, HELPER, ["en"], ["daily"])
    await answered_question(bot, PERSON, "Where do I register my address?", keep=False)
    _summary, document = await bot.send(PERSON, "/mydata")
    _name, content = next(iter(document.files.values()))
    data = json.loads(content)
    [copy] = data["messages_about_you"]  # the question as the helper received it
    assert "Where do I register my address?" in copy["text"]
    assert copy["status"] == "sent" and copy["created_at"] == "2026-12-01T09:00:00+00:00"
    assert "recipient_id" not in copy  # who answered is not the asker's to know
    [answer] = data["messages_to_you"]
    assert "Answer to: Where do I register my address?" in answer["text"]
    assert data["profile"]["created_at"] == "2026-12-01T09:00:00+00:00"
    assert data["questions"][0]["created_at"].startswith("2026-12-01T09:00:00")
    # the helper sees the answer that quoted their words
    _summary, document = await bot.send(HELPER, "/mydata")
    helper_data = json.loads(next(iter(document.files.values()))[1])
    assert [m["text"] for m in helper_data["messages_about_you"]] == [answer["text"]]


async def test_a_signed_answer_takes_the_name_from_the_people_row_only(bot):
    await make_helper(bot, HELPER, ["en"], ["daily"], show_name=True)
    await answered_question(bot, PERSON, "Which bus goes to the station?", keep=True)
    await bot.send(LocalUser(HELPER.id, "Hamza", "en"), "/help")  # Hamid is Hamza now
    rows = await fetchall(bot.runtime.db.reader, "SELECT * FROM answers")
    assert "Hamid" not in json.dumps([tuple(row) for row in rows])  # no copy of the name
    [answer] = await questions_store.answers_to(bot.runtime.db.reader, rows[0]["question_id"])
    assert answer.signed_as == "Hamza"


async def test_an_organiser_who_leaves_takes_unsent_drafts_and_leaves_sent_news(bot):
    await bot.send(WAITING, "/subscribe")
    sent = (await bot.send(ADMIN, "/announce The café moves to the library"))[-1]
    await bot.press(ADMIN, sent, "Send")
    await bot.send(ADMIN, "/announce A draft I never sent")
    [confirm] = await bot.send(ADMIN, "/deleteme")
    await bot.press(ADMIN, confirm, "Erase everything")
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT text, author_id, progress_chat FROM announcements"
    )
    assert [tuple(row) for row in rows] == [("The café moves to the library", None, None)]
    [news] = await bot.deliver()  # the community's news still reaches its subscribers
    assert news.chat_id == WAITING.id
    await bot.runtime.announcements.check_progress()  # no author to tell, and no error
