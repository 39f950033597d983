"""Many people write their question straight after /ask, before pressing a topic: what they
wrote is kept, the topics come again, and the question goes on once a topic is pressed."""

import json

from bot.db import fetchall
from bot.local_api import LocalUser
from tests.harness import AMIRA
from tests.questions.files import photo
from tests.questions.test_questions import HELPER_AR, make_helper, voice_note

KEPT = "I have kept what you wrote. What is your question about?"
SENT_TO_ONE = (
    "Your question went to {count} helper. Answers will come here.",
    "Your question went to {count} helpers. Answers will come here.",
)


def went_to_one(bot, user) -> str:
    return bot.runtime.translators[user.language_code].ngettext(*SENT_TO_ONE, 1).format(count=1)


def topic_data(message, topic: str) -> str:
    return next(data for _label, data in message.buttons if f"|{topic}" in data)


async def test_a_question_written_before_the_topic_is_kept_and_goes_on_after_it(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["housing"])
    t = bot.runtime.translators["ar"]
    [topics] = await bot.send(AMIRA, "/ask")
    [kept] = await bot.send(AMIRA, "مرحبا")
    assert kept.text == t.gettext(KEPT)
    assert [label for label, _data in kept.buttons] == [
        label for label, _data in topics.buttons
    ]  # the same topics, in her language
    [kept_again] = await bot.send(AMIRA, "كيف أجد بيتا في تيل؟")  # a second message joins it
    assert kept_again.text == t.gettext(KEPT)
    assert await bot.deliver() == []  # nothing goes anywhere before the topic
    replies = await bot.press_data(AMIRA, kept_again, topic_data(kept_again, "housing"))
    assert replies[-1].text == went_to_one(bot, AMIRA)
    [question] = await bot.deliver()
    assert question.chat_id == HELPER_AR.id
    assert "مرحبا" in question.text and "كيف أجد بيتا في تيل؟" in question.text
    assert "Amira" not in question.text
    # The kept words are not asked for again: another message is not taken as the question.
    [after] = await bot.send(AMIRA, "شكرا")
    assert after.text != t.gettext(KEPT)
    assert await bot.deliver() == []


async def test_a_topic_of_the_first_keyboard_goes_on_with_the_kept_words(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["housing"])
    [topics] = await bot.send(AMIRA, "/ask")
    await bot.send(AMIRA, "كيف أجد بيتا في تيل؟")
    replies = await bot.press_data(AMIRA, topics, topic_data(topics, "housing"))
    assert replies[-1].text == went_to_one(bot, AMIRA)
    [question] = await bot.deliver()
    assert "كيف أجد بيتا في تيل؟" in question.text


async def test_a_health_topic_for_kept_words_shows_the_urgent_numbers_too(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["health"])
    await bot.send(AMIRA, "/ask")
    [kept] = await bot.send(AMIRA, "ابني مريض، ماذا أفعل؟")
    replies = await bot.press_data(AMIRA, kept, topic_data(kept, "health"))
    assert "112" in replies[-2].text
    assert replies[-1].text == went_to_one(bot, AMIRA)


async def test_a_kept_voice_note_goes_on_after_the_topic(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["daily"])
    await bot.send(AMIRA, "/ask")
    mark = len(bot.api.calls)
    await bot.app.process_update(voice_note(bot, AMIRA, "VOICE-BEFORE"))
    [kept] = [c for c in bot.api.calls[mark:] if c.chat_id == AMIRA.id]
    assert kept.text == bot.runtime.translators["ar"].gettext(KEPT)
    await bot.press_data(AMIRA, kept, topic_data(kept, "daily"))
    [question] = await bot.deliver()
    assert question.method == "sendVoice" and question.params["voice"] == "VOICE-BEFORE"


async def test_a_photo_before_the_topic_is_not_sent_and_the_person_is_told(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["papers"])
    t = bot.runtime.translators["ar"]
    await bot.send(AMIRA, "/ask")
    [told] = await bot.send_content(AMIRA, photo("PHOTO-EARLY"))
    assert told.text == t.gettext(
        "First choose what your question is about. Then send the photo or file again: "
        "nothing was sent yet."
    )
    assert await bot.deliver() == []
    await bot.press_data(AMIRA, told, topic_data(told, "papers"))
    [warning] = await bot.send_content(AMIRA, photo("PHOTO-AGAIN"))
    assert warning.method == "sendMessage" and t.gettext("Send") in dict(warning.buttons)


async def test_bad_input_before_the_topic_is_refused_and_still_waits(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["housing"])
    t = bot.runtime.translators["ar"]
    await bot.send(AMIRA, "/ask")
    [refusal] = await bot.send(AMIRA, "🙂🏠")
    assert refusal.text == t.gettext(
        "Please write your question in words, or send a voice note: an emoji alone does "
        "not tell a helper what you need."
    )
    [too_long] = await bot.send(AMIRA, "ب" * 3001)
    assert too_long.text == t.gettext(
        "That is too long. Please keep a question under 3000 characters."
    )
    [kept] = await bot.send(AMIRA, "أين أجد بيتا؟")  # still waiting for her question
    assert kept.text == t.gettext(KEPT)
    [refused] = await bot.send(AMIRA, "ب" * 2990)  # together too long: the kept part stays
    assert refused.text == too_long.text
    await bot.press_data(AMIRA, kept, topic_data(kept, "housing"))
    [question] = await bot.deliver()
    assert "أين أجد بيتا؟" in question.text and "ببب" not in question.text


async def test_forged_and_repeated_presses_on_a_kept_question_change_nothing(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["housing"])
    expired = bot.runtime.translators["ar"].gettext("This button has expired.")
    other = LocalUser(205, "Nadia", "ar")
    await bot.send(AMIRA, "/ask")
    [kept] = await bot.send(AMIRA, "كيف أجد بيتا؟")
    draft_id = topic_data(kept, "housing").split("|")[-1]
    for data in (
        f"1|q_topic|housing|{draft_id}",  # somebody else's kept question
        "1|q_topic|housing|999999",
        "1|q_topic|housing|x",
        f"1|q_topic|nonsense|{draft_id}",
        f"1|q_topic|housing|{draft_id}|1",
    ):
        await bot.send(other, "/start")
        [answer, *_] = await bot.press_data(other, kept, data)
        assert answer.method == "answerCallbackQuery" and answer.params["text"] == expired
    assert await bot.deliver() == []
    await bot.send(AMIRA, "/help")  # another command in between: the kept words still wait
    await bot.press_data(AMIRA, kept, topic_data(kept, "housing"))
    [question] = await bot.deliver()
    assert "كيف أجد بيتا؟" in question.text
    [again, *_] = await bot.press_data(AMIRA, kept, topic_data(kept, "housing"))
    assert again.params["text"] == expired  # its topic is chosen: no second question
    assert await bot.deliver() == []


async def test_kept_words_are_in_mydata_and_an_unsent_question_goes_after_30_days(bot):
    await bot.send(AMIRA, "/ask")
    await bot.send(AMIRA, "سؤال لم أرسله أبدا")
    _summary, export = await bot.send(AMIRA, "/mydata")
    [draft] = json.loads(export.files["document"][1])["questions"]
    assert draft["text"] == "سؤال لم أرسله أبدا" and draft["status"] == "draft"
    bot.clock.advance(days=29)
    assert (await bot.runtime.privacy.apply_retention())["unsent_drafts"] == 0
    bot.clock.advance(days=2)
    assert (await bot.runtime.privacy.apply_retention())["unsent_drafts"] == 1
    _summary, export = await bot.send(AMIRA, "/mydata")
    assert json.loads(export.files["document"][1])["questions"] == []
    [privacy] = await bot.send(AMIRA, "/privacy")
    deleted = "A question you began but never sent: I delete it after 30 days."
    assert bot.runtime.translators["ar"].gettext(deleted) in privacy.text
    assert deleted not in privacy.text  # in Arabic


OFFER = (
    "I did not understand that. Is it a question for the community? Choose what it is "
    "about, and I will look for answers. Or type /help to see what I can do."
)


async def test_a_question_typed_without_ask_is_offered_with_the_topics_and_goes_on(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["study"])
    t = bot.runtime.translators["ar"]
    await bot.send(AMIRA, "/start")
    [offer] = await bot.send(AMIRA, "أين أتعلم الهولندية مجانا؟")
    assert offer.text == t.gettext(OFFER)
    [kept] = await bot.send(AMIRA, "أنا في تيل")  # more words join it
    assert kept.text == t.gettext(KEPT)
    assert await bot.deliver() == []
    replies = await bot.press_data(AMIRA, offer, topic_data(offer, "study"))
    assert replies[-1].text == went_to_one(bot, AMIRA)
    [question] = await bot.deliver()
    assert "أين أتعلم الهولندية مجانا؟" in question.text and "أنا في تيل" in question.text


async def test_a_short_or_refused_stray_message_gets_the_usual_reply_and_is_not_kept(bot):
    plain = "I did not understand that. Type /help to see what I can do."
    asker = LocalUser(207, "Busy", "en")
    [short] = await bot.send(asker, "thank you")  # two words: not offered as a question
    assert short.text == plain and not short.buttons
    for n in range(5):  # the day's questions are used up: nothing to offer
        [topics] = await bot.send(asker, "/ask")
        await bot.press_data(asker, topics, topic_data(topics, "daily"))
        await bot.send(asker, f"Question number {n}, about the bins?")
    [refused] = await bot.send(asker, "Where do I put old batteries?")
    assert refused.text == plain
    rows = await fetchall(
        bot.runtime.db.reader,
        "SELECT count(*) FROM questions WHERE asker_id = ? AND status = 'draft'",
        (asker.id,),
    )
    assert rows[0][0] == 0
    bot.clock.advance(hours=25)  # may ask again, but a group chat is never offered one
    assert await bot.send(asker, "Where do I put old batteries?", chat_id=-100) == []


async def test_a_kept_question_left_with_cancel_is_offered_at_the_next_ask(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["housing"])
    t = bot.runtime.translators["ar"]
    await bot.send(AMIRA, "/ask")
    await bot.send(AMIRA, "كيف أجد بيتا في تيل؟")
    await bot.send(AMIRA, "/cancel")
    [offer] = await bot.send(AMIRA, "/ask")
    assert offer.text == t.gettext(
        "You started this question and did not send it yet: “{question}”. What is it about?"
    ).format(question=t.isolate("كيف أجد بيتا في تيل؟"))
    assert t.gettext("Start again") in dict(offer.buttons)
    replies = await bot.press_data(AMIRA, offer, topic_data(offer, "housing"))
    assert replies[-1].text == went_to_one(bot, AMIRA)
    [question] = await bot.deliver()
    assert "كيف أجد بيتا في تيل؟" in question.text
    [topics] = await bot.send(AMIRA, "/ask")  # sent: nothing is offered again
    assert topics.text == t.gettext("What is your question about?")


async def test_start_again_discards_the_kept_question_and_forged_presses_change_nothing(bot):
    t = bot.runtime.translators["ar"]
    expired = t.gettext("This button has expired.")
    await bot.send(AMIRA, "/ask")
    await bot.send(AMIRA, "سؤال قديم لا أريده")
    await bot.send(AMIRA, "/help")
    [offer] = await bot.send(AMIRA, "/ask")
    again = dict(offer.buttons)[t.gettext("Start again")]
    other = LocalUser(208, "Nadia", "ar")
    await bot.send(other, "/start")
    for data in (again, "1|q_again|999999", "1|q_again|x", again + "|1"):
        [answer, *_] = await bot.press_data(other, offer, data)
        assert answer.params["text"] == expired
    *_, topics = await bot.press_data(AMIRA, offer, again)
    assert topics.text == t.gettext("What is your question about?")
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT count(*) FROM questions WHERE asker_id = ?", (AMIRA.id,)
    )
    assert rows[0][0] == 0
    [answer, *_] = await bot.press_data(AMIRA, offer, again)  # once only
    assert answer.params["text"] == expired


async def test_start_again_on_a_draft_at_another_step_leaves_it(bot):
    """A forged "Start again" on one's own draft that has its topic (a photo question before
    Send) is expired and the draft stays."""
    expired = bot.runtime.translators["ar"].gettext("This button has expired.")
    [topics] = await bot.send(AMIRA, "/ask")
    await bot.press_data(AMIRA, topics, topic_data(topics, "papers"))
    [warning] = await bot.send_content(AMIRA, photo("PHOTO-KEPT", "ماذا تعني هذه الرسالة؟"))
    rows = await fetchall(bot.runtime.db.reader, "SELECT id FROM questions")
    [answer, *_] = await bot.press_data(AMIRA, warning, f"1|q_again|{rows[0][0]}")
    assert answer.params["text"] == expired
    assert len(await fetchall(bot.runtime.db.reader, "SELECT id FROM questions")) == 1
