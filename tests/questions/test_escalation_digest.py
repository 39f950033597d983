"""Escalation as a digest: one pass sends each key person and organiser one message listing the
questions that reached them (their first words, never who asked), with a button to open each."""

import json

from bot.db import fetchall
from bot.local_api import LocalUser
from bot.people import store as people_store
from bot.people.roles import Role
from tests.harness import ADMIN
from tests.questions.files import photo
from tests.questions.test_questions import ask, make_helper

HELPER = LocalUser(901, "Hidde", "en")
KEY_EN = LocalUser(902, "Kofi", "en")
KEY_NL = LocalUser(903, "Karin", "nl")
ORGANISER_EN = LocalUser(904, "Olga", "en")
ORGANISER_NL = LocalUser(905, "Otto", "nl")
ASKERS = [LocalUser(910 + n, f"Asker{n}name", "en") for n in range(6)]
OUTSIDER = LocalUser(930, "Nosy", "en")


def question(n: int) -> str:
    return f"Question {n} about where to find a cheap room in Tiel"


def shown(n: int) -> str:
    """The first six words, as a digest shows them."""
    return f"Question {n} about where to find…"


async def community(bot) -> None:
    await make_helper(bot, HELPER, ["en"], ["housing"])
    await make_helper(bot, KEY_EN, ["en"], ["work"], role=Role.KEY_PERSON)
    await make_helper(bot, KEY_NL, ["nl", "en"], ["work"], role=Role.KEY_PERSON)
    for organiser in (ORGANISER_EN, ORGANISER_NL):
        await bot.runtime.people.identify(
            organiser.id, organiser.first_name, organiser.language_code
        )
        async with bot.runtime.db.transaction() as conn:
            await people_store.grant_role(conn, organiser.id, Role.ORGANISER, ADMIN.id, 0)


async def ask_twelve(bot) -> None:
    """Six askers, two questions each; the helper gets them and does not answer."""
    for n in range(12):
        await ask(bot, ASKERS[n % 6], "housing", question(n))
    assert {c.chat_id for c in await bot.deliver()} == {HELPER.id}


async def escalate(bot) -> list:
    await bot.app.job_queue.get_jobs_by_name("question-escalation")[0].run(bot.app)
    return await bot.deliver()


def to(calls, user) -> list:
    return [c for c in calls if c.chat_id == user.id]


async def test_one_pass_with_twelve_questions_sends_each_person_one_digest(bot):
    await community(bot)
    await ask_twelve(bot)
    bot.clock.advance(hours=12, minutes=1)
    sent = await escalate(bot)
    t_nl = bot.runtime.translators["nl"]
    for key_person in (KEY_EN, KEY_NL):
        [digest] = to(sent, key_person)
        assert all(shown(n) in digest.text for n in range(12))
        assert [label for label, _data in digest.buttons] == [str(n) for n in range(1, 13)]
        assert not any(asker.first_name in digest.text for asker in ASKERS)
    assert to(sent, KEY_NL)[0].text.startswith(
        t_nl.ngettext(
            "🔔 {count} question still waits for an answer:",
            "🔔 {count} questions still wait for an answer:",
            12,
        ).format(count="12")
    )
    assert "/unanswered" not in to(sent, KEY_EN)[0].text
    # each asker is told the truth about each of their questions, once
    for asker in ASKERS:
        assert len(to(sent, asker)) == 2
        assert all("so a key person got your question too" in c.text for c in to(sent, asker))
    assert to(sent, ORGANISER_EN) == [] and to(sent, HELPER) == []
    assert await escalate(bot) == []  # nothing new: nothing sent

    bot.clock.advance(hours=36)
    sent = await escalate(bot)
    for organiser in (ORGANISER_EN, ORGANISER_NL):
        [digest] = to(sent, organiser)
        assert all(shown(n) in digest.text for n in range(12)) and "/unanswered" in digest.text
        assert len(digest.buttons) == 12
    assert to(sent, KEY_EN) == [] and to(sent, KEY_NL) == []
    assert all(len(to(sent, asker)) == 2 for asker in ASKERS)
    assert await escalate(bot) == []


async def test_a_pass_with_more_questions_than_buttons_counts_the_rest(bot):
    await community(bot)
    askers = [LocalUser(940 + n, f"Many{n}", "en") for n in range(9)]
    for n in range(25):
        await ask(bot, askers[n % 9], "housing", question(n))
    await bot.deliver()
    bot.clock.advance(hours=48, minutes=1)  # overdue for both steps: both happen in one pass
    sent = await escalate(bot)
    [to_key_person] = to(sent, KEY_EN)
    assert len(to_key_person.buttons) == 20 and shown(19) in to_key_person.text
    assert shown(20) not in to_key_person.text
    assert "…and 5 more. The organisers see every waiting question." in to_key_person.text
    [to_organiser] = to(sent, ORGANISER_EN)
    assert "…and 5 more: /unanswered shows them all." in to_organiser.text


async def test_opening_a_question_from_the_digest_shows_it_ready_to_answer(bot):
    await community(bot)
    await ask_twelve(bot)
    bot.clock.advance(hours=12, minutes=1)
    sent = await escalate(bot)
    [digest] = to(sent, KEY_EN)
    [_ack, opened] = await bot.press(KEY_EN, digest, "3")
    assert question(2) in opened.text and "Nobody has answered this question yet." in opened.text
    assert not any(asker.first_name in opened.text for asker in ASKERS)
    await bot.press(KEY_EN, opened, "Answer")
    await bot.send(KEY_EN, "Try the housing office at the town hall.")
    [answer] = await bot.deliver()
    assert answer.chat_id == ASKERS[2].id


async def test_stale_and_forged_presses_on_a_digest_are_told_why_in_their_language(bot):
    await community(bot)
    await ask_twelve(bot)
    bot.clock.advance(hours=12, minutes=1)
    sent = await escalate(bot)
    [digest_en], [digest_nl] = to(sent, KEY_EN), to(sent, KEY_NL)
    t = bot.runtime.translators["nl"]

    async def told(user, on, data) -> str:
        [answered, *replies] = await bot.press_data(user, on, data)
        assert replies == []  # nothing opened
        return answered.params["text"]

    # answered by another key person
    [_ack, opened] = await bot.press(KEY_EN, digest_en, "1")
    await bot.press(KEY_EN, opened, "Answer")
    await bot.send(KEY_EN, "Ask at the town hall.")
    await bot.deliver()
    first = dict(digest_nl.buttons)["1"]
    assert await told(KEY_NL, digest_nl, first) == t.gettext(
        "Someone has answered this question already. Thank you!"
    )
    # closed by the asker
    [answer] = [c for c in bot.api.calls if c.chat_id == ASKERS[0].id and "town hall" in c.text]
    closing = await bot.press(ASKERS[0], answer, "Close the question")
    if closing[-1].buttons:  # asked whether to keep it for others
        await bot.press_data(ASKERS[0], closing[-1], closing[-1].buttons[-1][1])
    assert await told(KEY_NL, digest_nl, first) == t.gettext("This question is closed. Thank you!")
    # erased with its asker
    [confirm] = await bot.send(ASKERS[1], "/deleteme")
    await bot.press(ASKERS[1], confirm, "Erase everything")
    gone = t.gettext("This button has expired: the question is no longer here.")
    assert await told(KEY_NL, digest_nl, dict(digest_nl.buttons)["2"]) == gone
    # forged: a question that does not exist, garbage, or one never sent to them
    assert await told(KEY_NL, digest_nl, "1|q_open|99999") == gone
    assert await told(KEY_NL, digest_nl, "1|q_open|x") == gone
    assert await told(KEY_NL, digest_nl, "1|q_open") == gone
    [hello] = await bot.send(OUTSIDER, "/start")
    assert await told(OUTSIDER, hello, dict(digest_en.buttons)["4"]) == (
        "This button has expired: the question is no longer here."
    )
    assert t.gettext("This button has expired: the question is no longer here.") != (
        "This button has expired: the question is no longer here."
    )  # the Dutch is really Dutch


async def test_an_asker_who_erases_their_data_leaves_the_queued_digests_without_their_question(
    bot,
):
    await community(bot)
    await ask_twelve(bot)
    bot.clock.advance(hours=12, minutes=1)
    await bot.app.job_queue.get_jobs_by_name("question-escalation")[0].run(bot.app)
    leaving = ASKERS[0]  # asked questions 0 and 6
    [confirm] = await bot.send(leaving, "/deleteme")
    await bot.press(leaving, confirm, "Erase everything")
    sent = await bot.deliver()
    for key_person in (KEY_EN, KEY_NL):
        [digest] = to(sent, key_person)
        assert shown(0) not in digest.text and shown(6) not in digest.text
        assert all(shown(n) in digest.text for n in range(12) if n % 6)
        assert len(digest.buttons) == 10
    assert to(sent, leaving) == []
    db = bot.runtime.db.reader
    assert await fetchall(db, "SELECT 1 FROM outbox_about WHERE user_id = ?", (leaving.id,)) == []
    rows = await fetchall(db, "SELECT text FROM outbox")
    assert not any("Question 0 " in text or "Question 6 " in text for (text,) in rows)
    # the rewritten digests are about the askers still listed, so they can leave too
    about = await fetchall(
        db, "SELECT DISTINCT user_id FROM outbox_about a JOIN outbox o ON o.id = a.outbox_id"
        " WHERE o.recipient_id = ?", (KEY_NL.id,),
    )  # fmt: skip
    assert {user_id for (user_id,) in about} == {asker.id for asker in ASKERS[1:]}


async def test_a_digest_left_with_one_question_becomes_that_question(bot):
    await community(bot)
    await ask(bot, ASKERS[0], "housing", question(0))
    await ask(bot, ASKERS[1], "housing", question(1))
    await bot.deliver()
    bot.clock.advance(hours=12, minutes=1)
    await bot.app.job_queue.get_jobs_by_name("question-escalation")[0].run(bot.app)
    [confirm] = await bot.send(ASKERS[0], "/deleteme")
    await bot.press(ASKERS[0], confirm, "Erase everything")
    [message] = to(await bot.deliver(), KEY_EN)
    assert question(1) in message.text and question(0) not in message.text
    assert [label for label, _data in message.buttons] == ["Answer", "Report"]


async def test_an_erasure_after_the_digest_was_sent_sends_nothing_again(bot):
    await community(bot)
    await ask_twelve(bot)
    bot.clock.advance(hours=12, minutes=1)
    await escalate(bot)
    [confirm] = await bot.send(ASKERS[0], "/deleteme")
    await bot.press(ASKERS[0], confirm, "Erase everything")
    assert await bot.deliver() == []  # the sent digest is not sent a second time
    rows = await fetchall(bot.runtime.db.reader, "SELECT text FROM outbox")
    assert not any("Question 0 " in text for (text,) in rows)


async def test_an_askers_data_export_shows_which_digests_listed_their_question_not_the_others(
    bot,
):
    await community(bot)
    await ask_twelve(bot)
    bot.clock.advance(hours=12, minutes=1)
    await escalate(bot)
    _summary, document = await bot.send(ASKERS[0], "/mydata")
    data = json.loads(next(iter(document.files.values()))[1])
    assert not any("Question 1 " in m["text"] for m in data["messages_about_you"])
    listed = data["digests_listing_your_questions"]
    assert sorted(m["question_id"] for m in listed) == [1, 1, 7, 7]  # two key persons each
    assert "Asker1name" not in json.dumps(data) and "Question 1 " not in json.dumps(data)


async def ask_with_photo(bot, asker, file_id: str, caption: str) -> None:
    [topics] = await bot.send(asker, "/ask")
    await bot.press_data(asker, topics, "1|q_topic|housing")
    [warning] = await bot.send_content(asker, photo(file_id, caption))
    await bot.press(asker, warning, "Send")


async def test_an_escalated_photo_question_reaches_the_key_person_with_its_photo(bot):
    await community(bot)
    await ask_with_photo(bot, ASKERS[0], "PHOTO-LETTER", "What does this letter mean?")
    await bot.deliver()  # to the helper, who does not answer
    bot.clock.advance(hours=12, minutes=1)
    sent = await escalate(bot)
    for key_person in (KEY_EN, KEY_NL):
        [relayed] = to(sent, key_person)
        assert relayed.method == "sendPhoto" and relayed.params["photo"] == "PHOTO-LETTER"
        assert "What does this letter mean?" in relayed.text
        t = bot.runtime.translators[key_person.language_code]
        assert t.gettext("Answer") in [label for label, _data in relayed.buttons]
        assert ASKERS[0].first_name not in json.dumps(relayed.params)


async def test_a_photo_question_opened_from_a_digest_shows_its_photo_first(bot):
    await community(bot)
    await ask_with_photo(bot, ASKERS[0], "PHOTO-LETTER", "What does this letter mean?")
    await ask(bot, ASKERS[1], "housing", question(1))
    await bot.deliver()
    bot.clock.advance(hours=12, minutes=1)
    [digest] = to(await escalate(bot), KEY_EN)
    assert digest.method == "sendMessage" and "What does this letter mean?" in digest.text
    mark = len(bot.api.calls)
    await bot.press(KEY_EN, digest, "1")
    shown = [
        c
        for c in bot.api.calls[mark:]
        if c.chat_id == KEY_EN.id and c.method != "answerCallbackQuery"
    ]
    assert [c.method for c in shown] == ["sendPhoto", "sendMessage"]
    assert shown[0].params["photo"] == "PHOTO-LETTER"
    assert "What does this letter mean?" in shown[1].text
