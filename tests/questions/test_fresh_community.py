"""A fresh community (one admin, one invited helper): every question reaches someone, or the
asker is told the truth."""

from datetime import timedelta

import pytest

from bot.config import ConfigError, load_settings
from bot.local_api import LocalUser
from bot.moderation import store as moderation_store
from bot.people.roles import Role
from bot.questions import handlers as questions
from bot.questions import store as question_store
from tests.harness import ADMIN, bot_harness, settings_for
from tests.people.test_invites import link_in
from tests.questions.test_questions import ask, make_helper

ASKER = LocalUser(801, "Zainab", "ar")
NEW_HELPER = LocalUser(802, "Hassan", "ar")
KEY_OK = LocalUser(803, "Khadija", "ar")
KEY_BLOCKED = LocalUser(804, "Kamal", "ar")
KEY_PAUSED = LocalUser(805, "Karima", "ar")
OTHER_ASKER = LocalUser(806, "Yusuf", "ar")

AR_QUESTION = "أين أجد طبيبا للعائلة في المدينة؟"


def ar(bot):
    return bot.runtime.translators["ar"]


async def escalate(bot) -> list:
    await bot.app.job_queue.get_jobs_by_name("question-escalation")[0].run(bot.app)
    return await bot.deliver()


async def accept_helper_invite(bot, user: LocalUser, role: str = "helper") -> list:
    """The admin invites, the person opens the link and presses through the setup."""
    [invite] = await bot.send(ADMIN, f"/invite {role}")
    opened = await bot.send(user, f"/start {link_in(invite.text)}")
    t = bot.runtime.translators[user.language_code]
    [welcome, languages] = opened  # no second language picker after the setup
    assert welcome.text == t.gettext("Welcome! Your new role: {role}.").format(
        role=t.gettext(role.replace("_", " "))
    )
    assert ("✅ " + "العربية", "1|hsetup|lang|ar") in languages.buttons
    [*_, topics] = await bot.press(user, languages, t.gettext("Next"))
    # a new helper starts with every topic ticked: one press on, none to choose
    [*_, name] = await bot.press(user, topics, "✅ " + t.gettext("All topics"))
    [*_, done] = await bot.press(user, name, t.gettext("Stay anonymous"))
    return done.text


async def test_an_invited_helper_sets_up_in_a_few_presses_and_gets_the_next_question(bot):
    done = await accept_helper_invite(bot, NEW_HELPER)
    t = ar(bot)
    assert (
        t.gettext("You get questions in {languages}, about every topic.").format(
            languages=t.isolate("العربية")
        )
        in done
    )
    assert "/helper" in done
    await bot.deliver()  # the admin hears the invite was opened
    replies = await ask(bot, ASKER, "health", AR_QUESTION)
    assert replies[-1].text == t.ngettext(
        "Your question went to {count} helper. Answers will come here.",
        "Your question went to {count} helpers. Answers will come here.",
        1,
    ).format(count=1)
    [question] = await bot.deliver()
    assert question.chat_id == NEW_HELPER.id and AR_QUESTION in question.text
    assert "Zainab" not in question.text


async def test_a_question_asked_before_any_helper_reaches_the_first_active_helper_once(bot):
    t = ar(bot)
    [*_, routed] = await ask(bot, ASKER, "housing", AR_QUESTION)
    assert routed.text == t.gettext(
        "Nobody who reads your language is available right now. Your question stays open: "
        "the first helper who becomes free gets it."
    )
    assert await bot.deliver() == []
    done = await accept_helper_invite(bot, NEW_HELPER)
    assert (
        t.ngettext(
            "{count} question that was waiting for an answer is on its way to you.",
            "{count} questions that were waiting for an answer are on their way to you.",
            1,
        ).format(count=t.number(1))
        in done
    )
    offered = [c for c in await bot.deliver() if c.chat_id == NEW_HELPER.id]
    assert [AR_QUESTION in c.text for c in offered] == [True]
    assert t.gettext("This question has been waiting for an answer.") in offered[0].text
    # pausing and resuming offers nothing twice
    [view] = await bot.send(NEW_HELPER, "/helper")
    [*_, paused] = await bot.press(NEW_HELPER, view, t.gettext("Pause"))
    assert paused.text.startswith(t.gettext("Paused: you get no questions."))
    await bot.press(NEW_HELPER, paused, t.gettext("Resume"))
    assert await bot.deliver() == []


async def test_a_new_helper_gets_the_five_oldest_waiting_questions_never_their_own(bot):
    await make_helper(bot, NEW_HELPER, ["ar"], ["health"])
    await bot.runtime.questions.update_helper(
        await bot.runtime.people.identify(NEW_HELPER.id, NEW_HELPER.first_name, "ar"),
        paused=True,
    )
    await ask(bot, NEW_HELPER, "daily", "سؤالي أنا")  # their own: never offered to them
    for n in range(7):
        bot.clock.advance(minutes=1)
        await ask(bot, ASKER if n < 4 else OTHER_ASKER, "daily", f"سؤال رقم {n}")
    [view] = await bot.send(NEW_HELPER, "/helper")
    [*_, resumed] = await bot.press(NEW_HELPER, view, ar(bot).gettext("Resume"))
    assert (
        ar(bot)
        .gettext("You get questions in {languages}, about: {topics}.")
        .format(languages=ar(bot).isolate("العربية"), topics=ar(bot).gettext("Health"))
        == resumed.text.split("\n")[0]
    )
    assert await bot.deliver() == []  # they cover health only
    all_topics = next(label for label, data in resumed.buttons if data == "1|helper|all|-")
    await bot.press(NEW_HELPER, resumed, all_topics)
    offered = [c.text for c in await bot.deliver() if c.chat_id == NEW_HELPER.id]
    assert len(offered) == 5
    assert [n for n in range(7) if any(f"سؤال رقم {n}" in text for text in offered)] == [
        0, 1, 2, 3, 4,
    ]  # fmt: skip


async def key_persons(bot) -> None:
    for user in (KEY_OK, KEY_BLOCKED, KEY_PAUSED):
        await make_helper(bot, user, ["ar"], ["work"], role=Role.KEY_PERSON)
    person = await bot.runtime.people.identify(KEY_PAUSED.id, KEY_PAUSED.first_name, "ar")
    await bot.runtime.questions.update_helper(person, paused=True)
    async with bot.runtime.db.transaction() as conn:
        await moderation_store.block(conn, KEY_BLOCKED.id, "abuse", ADMIN.id, 0)


async def test_blocked_and_paused_key_persons_receive_nothing(bot):
    await key_persons(bot)
    [*_, routed] = await ask(bot, ASKER, "housing", AR_QUESTION)  # no helper covers housing...
    assert [c.chat_id for c in await bot.deliver()] == [KEY_OK.id]  # ...so a key person
    assert routed.text == ar(bot).gettext(
        "No helper for your language is free now, so a key person got your question."
    )


async def test_the_key_person_step_skips_blocked_and_paused_key_persons(bot):
    await key_persons(bot)
    await make_helper(bot, NEW_HELPER, ["ar"], ["housing"])
    await ask(bot, ASKER, "housing", AR_QUESTION)
    assert [c.chat_id for c in await bot.deliver()] == [NEW_HELPER.id]
    bot.clock.advance(hours=12, minutes=1)
    assert {c.chat_id for c in await escalate(bot)} == {KEY_OK.id, ASKER.id}


async def test_with_no_key_person_the_asker_is_not_told_one_got_it_and_the_admin_gets_it(bot):
    await bot.send(ADMIN, "/start")  # an admin of ADMIN_IDS, with no organiser role
    await make_helper(bot, NEW_HELPER, ["ar"], ["housing"])
    await ask(bot, ASKER, "housing", AR_QUESTION)
    await bot.deliver()
    bot.clock.advance(hours=12, minutes=1)
    assert await escalate(bot) == []  # no key person: nothing happened, nothing is claimed
    bot.clock.advance(hours=36)
    sent = await escalate(bot)
    assert {c.chat_id for c in sent} == {ADMIN.id, ASKER.id}
    to_admin = next(c for c in sent if c.chat_id == ADMIN.id)
    assert AR_QUESTION in to_admin.text and "/unanswered" in to_admin.text
    assert ("Answer", "1|q_answer|1") in to_admin.buttons
    told = next(c for c in sent if c.chat_id == ASKER.id)
    t = ar(bot)
    assert told.text == t.gettext(
        "Still no answer to “{question}”, so the organisers of the community got it too."
    ).format(question=t.isolate("أين أجد طبيبا للعائلة في المدينة؟"))
    assert await escalate(bot) == []


async def test_with_nobody_at_all_the_asker_gets_one_honest_message(bot):
    long_question = "كيف أسجل ابني في المدرسة الابتدائية القريبة من بيتنا الجديد في تيل"
    await ask(bot, ASKER, "school", long_question)
    bot.clock.advance(hours=12, minutes=1)
    assert await escalate(bot) == []
    bot.clock.advance(hours=36)
    [told] = await escalate(bot)
    t = ar(bot)
    assert told.chat_id == ASKER.id
    assert told.text == t.gettext(
        "Nobody is available to answer “{question}” right now. Your question stays open: the "
        "first helper who becomes free gets it. For something urgent, see /urgent."
    ).format(question=t.isolate("كيف أسجل ابني في المدرسة الابتدائية…"))
    bot.clock.advance(hours=48)
    assert await escalate(bot) == []  # once


def test_escalation_hours_take_decimals_and_refuse_bad_values():
    assert load_settings({"ESCALATION_HOURS": "0.5,2"}, env_file=None).escalation_hours == (
        0.5,
        2.0,
    )
    for value in ["0.5", "2,1", "0,1", "a,b", "nan,1", "1,inf", "1,,2", "-1,2"]:
        with pytest.raises(ConfigError, match="ESCALATION_HOURS"):
            load_settings({"ESCALATION_HOURS": value}, env_file=None)


async def test_short_escalation_times_are_kept_by_a_job_that_looks_every_30_seconds(tmp_path):
    settings = settings_for(tmp_path, escalation_hours=(0.01, 0.02))  # 36 s, then 72 s
    async with bot_harness(settings) as bot:
        [job] = bot.app.job_queue.get_jobs_by_name("question-escalation")
        assert job.job.trigger.interval <= timedelta(seconds=questions.ESCALATION_CHECK_SECONDS)
        assert questions.ESCALATION_CHECK_SECONDS <= 30
        await bot.send(ADMIN, "/start")
        await make_helper(bot, KEY_OK, ["ar"], ["work"], role=Role.KEY_PERSON)
        await make_helper(bot, NEW_HELPER, ["ar"], ["housing"])
        await ask(bot, ASKER, "housing", AR_QUESTION)
        await bot.deliver()
        bot.clock.advance(seconds=30)
        assert await escalate(bot) == []
        bot.clock.advance(seconds=7)
        assert {c.chat_id for c in await escalate(bot)} == {KEY_OK.id, ASKER.id}
        bot.clock.advance(seconds=36)
        assert {c.chat_id for c in await escalate(bot)} == {ADMIN.id, ASKER.id}


async def test_organisers_see_unanswered_questions_and_send_one_to_a_reader(bot):
    await ask(bot, ASKER, "housing", AR_QUESTION)
    await make_helper(bot, NEW_HELPER, ["ar"], ["work"])  # reads Arabic, does not cover housing
    await make_helper(bot, LocalUser(807, "Henk", "nl"), ["nl"], ["housing"])
    assert await bot.deliver() == []
    bot.clock.advance(hours=3)
    [view] = await bot.send(ADMIN, "/unanswered")
    assert "Zainab" not in view.text and str(ASKER.id) not in view.text
    assert "Housing" in view.text and "العربية" in view.text and "3 hours" in view.text
    assert "0 people received it" in view.text
    [*_, choose] = await bot.press(ADMIN, view, "1. Send to someone")
    assert [label for label, _data in choose.buttons] == ["Hassan"]
    # someone who is not an organiser cannot send it, and nor can a forged person id
    stranger = LocalUser(808, "Sam", "en")
    for data in (choose.buttons[0][1], view.buttons[0][1], "1|q_wait|x", "1|q_give|1"):
        [refused] = await bot.press_data(stranger, choose, data)
        assert refused.params["text"] == "This button has expired.", data
    [forged] = await bot.press_data(ADMIN, choose, choose.buttons[0][1].replace("802", "807"))
    assert forged.params["text"] == "This button has expired."
    replies = await bot.press(ADMIN, choose, choose.buttons[0][0])
    assert replies[-1].text == "Sent to Hassan. They do not see who asked."
    [question] = await bot.deliver()
    assert question.chat_id == NEW_HELPER.id and AR_QUESTION in question.text
    await bot.press(NEW_HELPER, question, ar(bot).gettext("Answer"))
    await bot.send(NEW_HELPER, "في المركز الصحي")
    [answer] = await bot.deliver()
    assert answer.chat_id == ASKER.id
    [empty] = await bot.send(ADMIN, "/unanswered")
    assert empty.text == "Every open question has an answer."
    [nope] = await bot.send(stranger, "/unanswered")
    assert nope.text == "Only organisers can see the questions that wait for an answer."


async def test_forged_setup_presses_change_nothing(bot):
    stranger = LocalUser(809, "Sam", "en")
    [view] = await bot.send(stranger, "/helper")
    for data in ["1|hsetup|name|1", "1|hsetup|lang|ar", "1|helper|pause|0", "1|helper|all|-"]:
        [refused] = await bot.press_data(stranger, view, data)
        assert refused.params["text"] == "This button has expired.", data
    assert await question_store.get_helper(bot.runtime.db.reader, stranger.id) is None
    await make_helper(bot, NEW_HELPER, ["ar"], ["work"])
    for data in ["1|hsetup|lang|xx", "1|hsetup|all|x", "1|hsetup|name|2", "1|helper|topic|x"]:
        [refused] = await bot.press_data(NEW_HELPER, view, data)
        assert refused.params["text"] == ar(bot).gettext("This button has expired."), data


async def test_a_helper_without_languages_is_told_they_get_nothing(bot):
    await make_helper(bot, NEW_HELPER, ["ar"], [])
    [view] = await bot.send(NEW_HELPER, "/helper")
    t = ar(bot)
    assert view.text.split("\n")[0] == t.gettext(
        "You get questions in {languages}, about every topic."
    ).format(languages=t.isolate("العربية"))
    [*_, none] = await bot.press_data(NEW_HELPER, view, "1|helper|lang|ar")
    assert none.text.split("\n")[0] == t.gettext(
        "You get no questions: choose at least one language."
    )
    [*_, two] = await bot.press_data(NEW_HELPER, none, "1|helper|lang|nl")
    [*_, two] = await bot.press_data(NEW_HELPER, two, "1|helper|lang|ar")
    assert "Nederlands" in two.text.split("\n")[0] and "العربية" in two.text.split("\n")[0]


async def test_the_unanswered_view_says_when_more_questions_wait(bot):
    askers = [LocalUser(820 + n, f"A{n}", "en") for n in range(3)]
    for n in range(11):
        bot.clock.advance(minutes=1)
        await ask(bot, askers[n % 3], "daily", f"Question number {n} about the market")
    [view] = await bot.send(ADMIN, "/unanswered")
    assert "Question number 0 about" in view.text and "Question number 10" not in view.text
    assert view.text.endswith("More questions wait: these are the oldest 10.")
    assert len(view.buttons) == 10


async def test_a_question_whose_only_answer_was_hidden_waits_again(bot):
    await make_helper(bot, NEW_HELPER, ["ar"], ["housing"])
    await ask(bot, ASKER, "housing", AR_QUESTION)
    [question] = await bot.deliver()
    await bot.press(NEW_HELPER, question, ar(bot).gettext("Answer"))
    await bot.send(NEW_HELPER, "spam spam")
    await bot.deliver()
    [view] = await bot.send(ADMIN, "/unanswered")
    assert view.text == "Every open question has an answer."
    async with bot.runtime.db.transaction() as conn:
        await bot.runtime.questions.hide_answer(conn, 1)
    [view] = await bot.send(ADMIN, "/unanswered")
    assert "1 person received it" in view.text
    bot.clock.advance(hours=48, minutes=1)
    sent = await escalate(bot)  # still on its way up: the key-person step, then the admin
    sent += await escalate(bot)
    assert ADMIN.id in {c.chat_id for c in sent}


async def test_an_invited_key_person_is_set_up_the_same_way_and_gets_questions(bot):
    done = await accept_helper_invite(bot, KEY_OK, role="key_person")
    assert "/helper" in done
    await bot.deliver()
    await ask(bot, ASKER, "papers", AR_QUESTION)
    [question] = await bot.deliver()
    assert question.chat_id == KEY_OK.id


async def test_an_admin_made_by_the_admin_link_gets_the_organisers_step(tmp_path):
    # A community started without ADMIN_IDS: its only admin is stored, from the admin link.
    settings = settings_for(tmp_path, admin_ids=frozenset(), bot_token="123456:TEST")
    async with bot_harness(settings) as bot:
        link = await bot.runtime.people.create_admin_link()
        await bot.send(ADMIN, f"/start inv_{link.token}")
        await ask(bot, ASKER, "housing", AR_QUESTION)
        await bot.deliver()
        bot.clock.advance(hours=48, minutes=1)
        # Past both steps: the key-person step finds nobody, the organisers' step the admin.
        sent = await escalate(bot)
        assert ADMIN.id in {c.chat_id for c in sent}
        to_admin = next(c for c in sent if c.chat_id == ADMIN.id)
        assert AR_QUESTION in to_admin.text


async def test_in_a_fresh_community_two_waiting_questions_reach_the_admin_as_one_message(bot):
    await bot.send(ADMIN, "/start")
    await make_helper(bot, NEW_HELPER, ["ar"], ["housing"])
    await ask(bot, ASKER, "housing", AR_QUESTION)
    await ask(bot, OTHER_ASKER, "housing", "كم يكلف اشتراك الحافلة في الشهر؟")
    await bot.deliver()
    bot.clock.advance(hours=48, minutes=1)
    sent = await escalate(bot)
    [digest] = [c for c in sent if c.chat_id == ADMIN.id]
    assert AR_QUESTION in digest.text and "كم يكلف اشتراك الحافلة في الشهر؟" in digest.text
    assert "/unanswered" in digest.text and [label for label, _ in digest.buttons] == ["1", "2"]
    assert "Zainab" not in digest.text and "Yusuf" not in digest.text
    t = ar(bot)
    for asker, words in ((ASKER, AR_QUESTION), (OTHER_ASKER, "كم يكلف اشتراك الحافلة في الشهر؟")):
        [told] = [c for c in sent if c.chat_id == asker.id]
        assert told.text == t.gettext(
            "Still no answer to “{question}”, so the organisers of the community got it too."
        ).format(question=t.isolate(words))
    [_ack, opened] = await bot.press(ADMIN, digest, "2")
    assert "كم يكلف اشتراك الحافلة في الشهر؟" in opened.text
    assert ("Answer", "1|q_answer|2") in opened.buttons
