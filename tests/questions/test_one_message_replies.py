"""Picking a topic, seeing similar answered questions, and /search each reply in one message.

On the real Bot API every message is a round trip the person waits for; the buttons that were
there before are all still there, and every press is checked again on the server.
"""

from bot import search as fulltext
from bot import ui
from bot.db import fetchall
from bot.local_api import LocalUser
from bot.questions import store
from bot.questions.store import KNOWLEDGE_TABLE
from tests.questions.test_questions import HELPER_NL, make_helper

NORA = LocalUser(901, "Nora", "nl")
SAMIRA = LocalUser(902, "Samira", "ar")
INTRUDER = LocalUser(903, "Intruder", "nl")


async def known(bot, locale: str, question: str, *answers: str, hidden: bool = False) -> int:
    """A question kept in the knowledge base with its answers, as closing with consent does."""
    async with bot.runtime.db.transaction() as conn:
        question_id = await store.insert_question(conn, None, "daily", locale, question, None, 0)
        await store.set_question(conn, question_id, status="closed", kept=1, closed_at=0)
        for answer in answers:
            answer_id = await store.insert_answer(
                conn, question_id, None, answer, None, False, False, 0
            )
            if hidden:
                await store.set_answer(conn, answer_id, hidden=1)
        body = "\n".join([question, *answers])
        await fulltext.index(conn, KNOWLEDGE_TABLE, question_id, body, language=locale)
    return question_id


async def choose_topic(bot, user, topic: str = "daily") -> None:
    [topics] = await bot.send(user, "/ask")
    await bot.press_data(user, topics, ui.encode("q_topic", topic))


async def write_question(bot, user, text: str):
    await choose_topic(bot, user)
    return await bot.send(user, text)


async def statuses(bot) -> list[tuple]:
    rows = await fetchall(bot.runtime.db.reader, "SELECT asker_id, status FROM questions")
    return sorted(tuple(row) for row in rows if row[0] is not None)


async def test_picking_health_gives_the_prompt_and_the_urgent_numbers_in_one_message(bot):
    t = bot.runtime.translators["nl"]
    [topics] = await bot.send(NORA, "/ask")
    replies = await bot.press_data(NORA, topics, ui.encode("q_topic", "health"))
    assert sorted(call.method for call in replies) == ["answerCallbackQuery", "sendMessage"]
    prompt = replies[-1].text
    assert prompt.startswith(
        t.gettext(
            "Write your question, send a voice note, or send a photo of the letter (or the "
            "letter as a PDF). Nobody who answers will see who you are. /cancel stops."
        )
    )
    assert "Veilig Thuis" in prompt and "112" in prompt
    replies = await bot.press_data(NORA, topics, ui.encode("q_topic", "housing"))
    assert [call.method for call in replies if call.method != "answerCallbackQuery"] == [
        "sendMessage"
    ]
    assert "Veilig Thuis" not in replies[-1].text


async def test_similar_questions_come_numbered_in_one_message_with_both_buttons(bot):
    t = bot.runtime.translators["nl"]
    await make_helper(bot, HELPER_NL, ["nl"], ["daily"])
    for shop in ("Marktplaats", "de kringloop", "Fietsenmaker Jan"):
        await known(bot, "nl", f"Waar koop ik een tweedehands fiets? ({shop})", f"Bij {shop}.")
    await choose_topic(bot, NORA)
    mark = len(bot.api.calls)
    [offer] = await bot.send(NORA, "Waar vind ik een goedkope tweedehands fiets?")
    assert [call.method for call in bot.api.calls[mark:]] == ["sendMessage"]
    assert offer.text.startswith(t.gettext("These questions were answered before:"))
    assert offer.text.endswith(t.gettext("Does one of these answer your question?"))
    numbered = [line for line in offer.text.split("\n\n") if line[:1].isdigit()]
    assert [line[:5] for line in numbered] == ["1. ❓ ", "2. ❓ ", "3. ❓ "]
    for shop in ("Marktplaats", "de kringloop", "Fietsenmaker Jan"):
        assert f"❓ Waar koop ik een tweedehands fiets? ({shop})" in offer.text
        assert f"💬 Bij {shop}." in offer.text
    assert [label for label, _data in offer.buttons] == [
        t.gettext("This answers it"),
        t.gettext("Ask anyway"),
    ]
    routed = await bot.press(NORA, offer, t.gettext("Ask anyway"))
    assert routed[-1].text == t.ngettext(
        "Your question went to {count} helper. Answers will come here.",
        "Your question went to {count} helpers. Answers will come here.",
        1,
    ).format(count=1)
    assert [call.chat_id for call in await bot.deliver()] == [HELPER_NL.id]
    # the draft is gone from under both buttons now: a second press changes nothing
    for label in (t.gettext("Ask anyway"), t.gettext("This answers it")):
        stale = await bot.press(NORA, offer, label)
        assert [call.params.get("text") for call in stale] == [
            t.gettext("This button has expired.")
        ]
    assert await statuses(bot) == [(NORA.id, "open")]
    assert await bot.deliver() == []


async def test_forged_presses_on_a_draft_are_refused_and_change_nothing(bot):
    t = bot.runtime.translators["nl"]
    await known(bot, "nl", "Hoe werkt de bibliotheek?", "Met een pasje, gratis tot 18 jaar.")
    [offer] = await write_question(bot, NORA, "Hoe werkt de bibliotheek in Tiel?")
    draft = offer.buttons[0][1].rsplit("|", 1)[1]
    forged = [
        (INTRUDER, ui.encode("q_solved", draft)),
        (INTRUDER, ui.encode("q_send", draft)),
        (NORA, ui.encode("q_solved", "x")),
        (NORA, ui.encode("q_send", int(draft) + 1)),
        (NORA, ui.encode("q_send")),
        (NORA, "2|q_send|" + draft),  # another codec version
    ]
    for user, data in forged:
        replies = await bot.press_data(user, offer, data)
        if data.startswith("2|"):
            assert [call.method for call in replies] == ["answerCallbackQuery"], data
            continue
        assert [call.params.get("text") for call in replies] == [
            t.gettext("This button has expired.")
        ], data
    assert await statuses(bot) == [(NORA.id, "draft")]
    done = await bot.press(NORA, offer, t.gettext("This answers it"))
    assert done[-1].text == t.gettext("Good! Your question was not sent.")
    assert await statuses(bot) == []


async def test_search_answers_in_one_message_in_the_readers_languages_only(bot):
    t = bot.runtime.translators["nl"]
    # Sixty Arabic questions match "fiets" better than the Dutch ones: they must not crowd
    # the Dutch answers out of the results.
    for n in range(60):
        await known(bot, "ar", f"fiets fiets fiets {n}", "دراجة")
    await known(bot, "nl", "Waar repareer ik mijn fiets?", "Bij de fietsenmaker op de markt.")
    await known(bot, "nl", "Mag een fiets op de stoep?", "Nee, op het fietspad.")
    await known(bot, "nl", "Is een fiets duur?", "Verborgen antwoord.", hidden=True)
    mark = len(bot.api.calls)
    [found] = await bot.send(NORA, "/search fiets")
    assert [call.method for call in bot.api.calls[mark:]] == ["sendMessage"]
    assert found.text.startswith(t.gettext("These questions were answered before:"))
    assert "1. ❓ Mag een fiets op de stoep?" in found.text
    assert "2. ❓ Waar repareer ik mijn fiets?" in found.text
    assert "💬 Bij de fietsenmaker op de markt." in found.text
    assert "3." not in found.text and "Verborgen" not in found.text
    assert "دراجة" not in found.text
    # someone who also reads Arabic sees those too
    person = await bot.runtime.people.identify(NORA.id, NORA.first_name, "nl")
    await bot.runtime.questions.toggle_also_reads(person, "ar")
    [found] = await bot.send(NORA, "/search fiets")
    assert "دراجة" in found.text


async def test_arabic_results_are_numbered_in_the_readers_digits(bot):
    await known(bot, "ar", "أين أجد طبيبا؟", "اتصل بالرقم 0344.")
    [found] = await bot.send(SAMIRA, "/search طبيب")
    t = bot.runtime.translators["ar"]
    assert f"{t.number(1)}. ❓ أين أجد طبيبا؟" in found.text


async def test_long_answers_are_split_never_cut_with_the_buttons_under_the_last_part(bot):
    t = bot.runtime.translators["nl"]
    answers = [f"Antwoord {n}: " + "lang verhaal over de gemeente. " * 90 for n in range(3)]
    await known(bot, "nl", "Hoe werkt de gemeente?", *answers)
    parts = await write_question(bot, NORA, "Hoe werkt de gemeente hier?")
    assert len(parts) > 1
    assert all(len(part.text) <= ui.MAX_MESSAGE_CHARS for part in parts)
    assert [part.buttons for part in parts[:-1]] == [[] for _ in parts[:-1]]
    assert [label for label, _data in parts[-1].buttons] == [
        t.gettext("This answers it"),
        t.gettext("Ask anyway"),
    ]
    received = " ".join(part.text for part in parts).split()
    for answer in answers:
        assert " ".join(answer.split()) in " ".join(received)


async def test_bad_input_gets_a_reason_in_one_message_and_changes_nothing(bot):
    t = bot.runtime.translators["nl"]
    [empty] = await bot.send(NORA, "/search    ")
    assert empty.text == t.gettext("Write what you are looking for, like: /search huisarts")
    [refused] = await write_question(bot, NORA, "x" * 3001)
    assert refused.text == t.gettext(
        "That is too long. Please keep a question under 3000 characters."
    )
    assert await statuses(bot) == []
    [routed] = await bot.send(NORA, "Waar is de markt?")  # still waiting for the question
    assert routed.text == t.gettext(
        "Nobody who reads your language is available right now. Your question stays open: "
        "the first helper who becomes free gets it."
    )
