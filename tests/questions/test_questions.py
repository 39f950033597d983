"""Peer questions: anonymous, routed by language and topic, answered, escalated, kept."""

import json

from telegram import Update

from bot.db import fetchall
from bot.local_api import LocalUser
from bot.people import store as people_store
from bot.people.roles import Role
from tests.harness import ADMIN, bot_harness

ASKER = LocalUser(987654321, "Zulaikha", "ar")
HELPER_AR = LocalUser(301, "Hamid", "ar")
HELPER_AR_HEALTH = LocalUser(302, "Huda", "ar")
HELPER_NL = LocalUser(303, "Henk", "nl")
HELPER_EN = LocalUser(304, "Harry", "en")
KEY_PERSON = LocalUser(305, "Karim", "ar")
TIGRINYA = LocalUser(306, "Tesfay", "ti")


async def make_helper(bot, user, languages, topics, role=Role.HELPER, show_name=False):
    person = await bot.runtime.people.identify(user.id, user.first_name, user.language_code)
    async with bot.runtime.db.transaction() as conn:
        await people_store.grant_role(conn, user.id, role, ADMIN.id, 0)
    person = await bot.runtime.people.identify(user.id, user.first_name, user.language_code)
    await bot.runtime.questions.update_helper(
        person, languages=frozenset(languages), topics=frozenset(topics), paused=False,
        show_name=show_name,
    )  # fmt: skip


async def ask(bot, user, topic: str, text: str):
    [topics] = await bot.send(user, "/ask")
    data = next(d for _label, d in topics.buttons if d.endswith(f"|{topic}"))
    await bot.press_data(user, topics, data)
    return await bot.send(user, text)


def sent_to(calls, user) -> list:
    return [c for c in calls if c.chat_id == user.id]


async def test_a_question_reaches_helpers_of_its_language_and_topic_only(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["housing"])
    await make_helper(bot, HELPER_AR_HEALTH, ["ar"], ["health"])
    await make_helper(bot, HELPER_NL, ["nl"], ["housing"])
    replies = await ask(bot, ASKER, "housing", "كيف أجد بيتا في تيل؟")
    assert replies[-1].text == bot.runtime.translators["ar"].ngettext(
        "Your question went to {count} helper. Answers will come here.",
        "Your question went to {count} helpers. Answers will come here.", 1,
    ).format(count=1)  # fmt: skip
    sent = await bot.deliver()
    assert [call.chat_id for call in sent] == [HELPER_AR.id]
    assert "كيف أجد بيتا في تيل؟" in sent[0].text
    assert [label for label, _ in sent[0].buttons] == [
        bot.runtime.translators["ar"].gettext("Answer"),
        bot.runtime.translators["ar"].gettext("Report"),
    ]


async def test_helpers_never_learn_who_asked(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["health"])
    await ask(bot, ASKER, "health", "Where is the nearest huisartsenpost?")
    [question] = await bot.deliver()
    await bot.press(HELPER_AR, question, bot.runtime.translators["ar"].gettext("Answer"))
    await bot.send(HELPER_AR, "Call 0344 and they tell you.")
    [answer] = await bot.deliver()
    follow_up_button = bot.runtime.translators["ar"].gettext("Ask a follow-up")
    await bot.press(ASKER, answer, follow_up_button)
    await bot.send(ASKER, "And at night?")
    await bot.deliver()
    to_helper = [c for c in bot.api.calls if c.chat_id == HELPER_AR.id or
                 (c.method == "answerCallbackQuery")]  # fmt: skip
    assert to_helper
    for call in to_helper:
        dumped = json.dumps(call.params, ensure_ascii=False)
        assert "Zulaikha" not in dumped and str(ASKER.id) not in dumped
    relayed = [c.text for c in sent_to(bot.api.calls, HELPER_AR)]
    assert any("And at night?" in text for text in relayed)


async def test_at_most_five_helpers_least_recently_asked_first_never_the_asker(bot):
    helpers = [LocalUser(400 + n, f"H{n}", "nl") for n in range(7)]
    for helper in helpers:
        await make_helper(bot, helper, ["nl"], ["daily"])
    await make_helper(bot, HELPER_NL, ["nl"], ["daily"])  # the asker is a helper too
    await ask(bot, HELPER_NL, "daily", "Waar koop ik een goedkope fiets?")
    first = [call.chat_id for call in await bot.deliver()]
    assert len(first) == 5 and HELPER_NL.id not in first
    bot.clock.advance(minutes=1)
    await ask(bot, LocalUser(499, "Other", "nl"), "daily", "Hoe werkt de bibliotheek?")
    second = {call.chat_id for call in await bot.deliver()}
    # the two not asked the first time go first now
    assert {helpers[5].id, helpers[6].id} <= second or {HELPER_NL.id} <= second


async def test_other_languages_one_reads_widen_the_routing(bot):
    await make_helper(bot, HELPER_EN, ["en"], ["papers"])
    await bot.runtime.questions.toggle_also_reads(
        await bot.runtime.people.identify(TIGRINYA.id, TIGRINYA.first_name, "ti"), "en"
    )
    await ask(bot, TIGRINYA, "papers", "How do I get a BSN?")
    assert [call.chat_id for call in await bot.deliver()] == [HELPER_EN.id]


async def test_answers_come_back_signed_as_the_helper_chose_with_the_key_person_mark(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["work"], show_name=True)
    await make_helper(bot, KEY_PERSON, ["ar"], ["work"], role=Role.KEY_PERSON)
    await ask(bot, ASKER, "work", "هل أستطيع العمل؟")
    questions = await bot.deliver()
    t = bot.runtime.translators["ar"]
    for call in questions:
        helper = HELPER_AR if call.chat_id == HELPER_AR.id else KEY_PERSON
        await bot.press(helper, call, t.gettext("Answer"))
        await bot.send(helper, f"Answer from {helper.first_name}")
    answers = {c.text.split("\n\n")[1]: c.text for c in await bot.deliver()}
    assert answers["Answer from Hamid"].endswith(
        t.gettext("— {name}").format(name=t.isolate("Hamid"))
    )
    assert answers["Answer from Karim"].endswith(t.gettext("— a key person"))


async def test_accept_tells_the_helper_and_closing_with_consent_feeds_the_search(bot):
    await make_helper(bot, HELPER_NL, ["nl"], ["health"])
    asker = LocalUser(601, "Nadia", "nl")
    await ask(bot, asker, "health", "Hoe maak ik een afspraak bij de huisarts?")
    [question] = await bot.deliver()
    t = bot.runtime.translators["nl"]
    await bot.press(HELPER_NL, question, t.gettext("Answer"))
    await bot.send(HELPER_NL, "Bel de praktijk 's ochtends tussen 8 en 10.")
    [answer] = await bot.deliver()
    replies = await bot.press(asker, answer, t.gettext("This helped"))
    assert replies[0].params["text"] == t.gettext("Thank you! The helper will hear it helped.")
    [thanks] = await bot.deliver()
    assert thanks.chat_id == HELPER_NL.id
    close = (await bot.press(asker, answer, t.gettext("Close the question")))[-1]
    await bot.press(asker, close, t.gettext("Yes, share it without my name"))
    other = LocalUser(602, "Nora", "nl")
    found = await bot.send(other, "/search huisarts afspraak")
    assert "Bel de praktijk" in found[0].text and "Nadia" not in found[0].text
    # a new question that looks the same is offered the known answer first
    replies = await ask(bot, other, "health", "afspraak maken bij de huisarts?")
    assert any("Bel de praktijk" in call.text for call in replies)
    assert replies[-1].buttons[0][0] == t.gettext("This answers it")
    done = await bot.press(other, replies[-1], t.gettext("This answers it"))
    assert done[-1].text == t.gettext("Good! Your question was not sent.")
    assert await bot.deliver() == []


async def test_a_question_closed_without_consent_is_not_searchable(bot):
    await make_helper(bot, HELPER_NL, ["nl"], ["school"])
    asker = LocalUser(603, "Sara", "nl")
    await ask(bot, asker, "school", "Welke basisschool is goed?")
    [question] = await bot.deliver()
    t = bot.runtime.translators["nl"]
    await bot.press(HELPER_NL, question, t.gettext("Answer"))
    await bot.send(HELPER_NL, "De Regenboog.")
    [answer] = await bot.deliver()
    close = (await bot.press(asker, answer, t.gettext("Close the question")))[-1]
    await bot.press(asker, close, t.gettext("No, keep it private"))
    [nothing] = await bot.send(LocalUser(604, "Else", "nl"), "/search basisschool")
    assert nothing.text == t.gettext("I found no answered questions about that. You can /ask.")


def voice_note(bot, user, file_id: str) -> Update:
    update = bot.updates.message(user, "").to_dict()
    update["message"].pop("text")
    update["message"]["voice"] = {"file_id": file_id, "file_unique_id": file_id, "duration": 4}
    return Update.de_json(update, bot.app.bot)


async def test_voice_notes_are_relayed_both_ways(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["daily"])
    [topics] = await bot.send(ASKER, "/ask")
    await bot.press_data(ASKER, topics, "1|q_topic|daily")
    await bot.app.process_update(voice_note(bot, ASKER, "VOICE-Q"))
    [question] = await bot.deliver()
    assert question.method == "sendVoice" and question.params["voice"] == "VOICE-Q"
    assert str(ASKER.id) not in json.dumps(question.params)
    await bot.press(HELPER_AR, question, bot.runtime.translators["ar"].gettext("Answer"))
    await bot.app.process_update(voice_note(bot, HELPER_AR, "VOICE-A"))
    [answer] = await bot.deliver()
    assert answer.chat_id == ASKER.id
    assert answer.method == "sendVoice" and answer.params["voice"] == "VOICE-A"
    assert "Hamid" not in json.dumps(answer.params, ensure_ascii=False)


async def test_unanswered_questions_go_to_key_persons_then_organisers_across_restarts(settings):
    async with bot_harness(settings) as bot:
        await make_helper(bot, HELPER_AR, ["ar"], ["housing"])
        await make_helper(bot, KEY_PERSON, ["ar"], ["work"], role=Role.KEY_PERSON)
        await ask(bot, ASKER, "housing", "سؤال عن السكن")
        assert [c.chat_id for c in await bot.deliver()] == [HELPER_AR.id]
        clock = bot.clock
    clock.advance(hours=12, minutes=1)
    async with bot_harness(settings, clock=clock) as bot:
        job = bot.app.job_queue.get_jobs_by_name("question-escalation")[0]
        await job.run(bot.app)
        sent = await bot.deliver()
        assert {c.chat_id for c in sent} == {KEY_PERSON.id, ASKER.id}
        told = next(c for c in sent if c.chat_id == ASKER.id)
        t = bot.runtime.translators["ar"]
        assert told.text == t.gettext(
            "Nobody has answered “{question}” yet, so a key person got your question too."
        ).format(question=t.isolate("سؤال عن السكن"))
        await job.run(bot.app)
        assert await bot.deliver() == []  # not twice
    clock.advance(hours=36)
    async with bot_harness(settings, clock=clock) as bot:
        organiser = LocalUser(701, "Olga", "en")
        await bot.runtime.people.identify(organiser.id, organiser.first_name, "en")
        async with bot.runtime.db.transaction() as conn:
            await people_store.grant_role(conn, organiser.id, Role.ORGANISER, ADMIN.id, 0)
        job = bot.app.job_queue.get_jobs_by_name("question-escalation")[0]
        await job.run(bot.app)
        sent = await bot.deliver()
        assert {c.chat_id for c in sent} == {organiser.id, ASKER.id}


async def test_a_reported_and_hidden_question_is_never_shown_again(bot):
    await make_helper(bot, HELPER_NL, ["nl"], ["other"])
    asker = LocalUser(610, "Spam", "nl")
    await ask(bot, asker, "other", "Koop goedkope horloges hier")
    [question] = await bot.deliver()
    t = bot.runtime.translators["nl"]
    reported = await bot.press(HELPER_NL, question, t.gettext("Report"))
    assert reported[0].params["text"] == t.gettext("Thank you. An organiser will look at it.")
    [queue] = await bot.send(ADMIN, "/moderation")
    assert "Koop goedkope horloges hier" in queue.text and "Spam" not in queue.text
    await bot.press(ADMIN, queue, "Hide and block the author")
    [done] = await bot.send(ADMIN, "advertising")
    assert done.text == "Done. It is hidden everywhere."
    refused = await bot.press(HELPER_NL, question, t.gettext("Answer"))
    assert refused[0].params["text"] == t.gettext("This question is closed or not yours to answer.")
    [blocked] = await bot.send(asker, "/ask")
    assert blocked.text == t.gettext("Sorry, this is not available to you.")
    log = await fetchall(
        bot.runtime.db.reader, "SELECT action, reason FROM moderation_log ORDER BY id"
    )
    assert [tuple(row) for row in log] == [("hide", "advertising"), ("block", "advertising")]
    [empty] = await bot.send(ADMIN, "/moderation")
    assert empty.text == "No reports are waiting."


async def test_at_most_five_questions_a_day(bot):
    asker = LocalUser(620, "Busy", "en")
    for n in range(5):
        await ask(bot, asker, "daily", f"Question number {n}?")
    [refused] = await bot.send(asker, "/ask")
    assert (
        refused.text == "You have asked the most questions for today. You can ask again tomorrow."
    )
    bot.clock.advance(hours=24, minutes=1)
    [topics] = await bot.send(asker, "/ask")
    assert topics.buttons


async def test_search_survives_any_input(bot):
    for words in ['"', "*", "AND", "NEAR(", "🙂🙂", "a", "' OR 1=1 --", '"unbalanced', "x" * 3000]:
        replies = await bot.send(LocalUser(630, "Curious", "en"), f"/search {words}")
        assert replies[0].text in ("I found no answered questions about that. You can /ask.",), (
            words
        )


async def test_words_written_after_search_alone_are_searched(bot):
    curious = LocalUser(631, "Curious", "en")
    [prompt] = await bot.send(curious, "/search")
    assert prompt.text == "Write what you are looking for, like: /search huisarts"
    [again] = await bot.send(curious, "🙂")  # nothing to look for: asked again
    assert again.text == prompt.text
    [nothing] = await bot.send(curious, "huisarts")
    assert nothing.text == "I found no answered questions about that. You can /ask."
    [after] = await bot.send(curious, "huisarts")  # once: then it is a message like any other
    assert after.text == "I did not understand that. Type /help to see what I can do."


async def test_forged_presses_on_questions_change_nothing(bot):
    await make_helper(bot, HELPER_NL, ["nl"], ["daily"])
    asker = LocalUser(640, "Real", "nl")
    intruder = LocalUser(641, "Intruder", "nl")
    await ask(bot, asker, "daily", "Waar is de markt?")
    [question] = await bot.deliver()
    t = bot.runtime.translators["nl"]
    await bot.press(HELPER_NL, question, t.gettext("Answer"))
    await bot.send(HELPER_NL, "Op het plein.")
    [answer] = await bot.deliver()
    for data in [d for _label, d in answer.buttons] + [
        "1|q_answer|1",
        "1|q_keep|1|1",
        "1|q_send|1",
    ]:
        replies = await bot.press_data(intruder, answer, data)
        assert replies[0].method == "answerCallbackQuery", data
        if not data.startswith("1|report|"):
            assert all(c.method == "answerCallbackQuery" for c in replies), data
    rows = await fetchall(bot.runtime.db.reader, "SELECT status, kept FROM questions")
    assert [tuple(r) for r in rows] == [("open", 0)]
    assert await bot.deliver() == []
