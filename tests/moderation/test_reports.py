"""Reports: only of what the bot showed the reporter, and a few an hour at most."""

from bot.db import fetchall
from bot.local_api import LocalUser
from tests.harness import ADMIN
from tests.questions.test_questions import ask, make_helper
from tests.tips.helpers import member, shared

HELPER = LocalUser(301, "Hamid", "en")
ASKER = LocalUser(610, "Amina", "en")
NOSY = LocalUser(950, "Nosy", "en")
AUTHOR = LocalUser(620, "Tarik", "en")


async def reports(bot) -> list[tuple]:
    rows = await fetchall(bot.runtime.db.reader, "SELECT kind, target_id, reporter_id FROM reports")
    return [tuple(row) for row in rows]


async def test_a_forged_report_of_content_never_shown_is_refused(bot):
    await make_helper(bot, HELPER, ["en"], ["daily"])
    await ask(bot, ASKER, "daily", "Where is the nearest pharmacy?")
    [question] = await bot.deliver()
    await bot.press(HELPER, question, "Answer")
    await bot.send(HELPER, "Next to the station")
    [answer] = await bot.deliver()
    pending = LocalUser(621, "Fresh", "en")  # joined today: their tip waits for approval
    draft = await bot.runtime.tips.start(await member(bot, pending, 0), "food", "Nice bread", None)
    await bot.runtime.tips.publish(await member(bot, pending, 0), draft.id)
    [reply] = await bot.send(NOSY, "/help")
    question_id = question.buttons[0][1].split("|")[-1]
    answer_id = answer.buttons[-1][1].split("|")[-1]
    forged = [
        f"1|report|question|{question_id}",
        f"1|report|answer|{answer_id}",
        f"1|report|tip|{draft.id}",
        "1|report|question|999",
        "1|report|user|1",
    ]
    for data in forged:
        refused = await bot.press_data(NOSY, reply, data)
        assert [c.params.get("text") for c in refused] == ["This button has expired."], data
    assert await reports(bot) == []
    [queue] = await bot.send(ADMIN, "/moderation")
    assert queue.text == "No reports are waiting."
    # the helper who received the question, and the asker who received the answer, may report
    thanked = await bot.press(HELPER, question, "Report")
    assert thanked[0].params["text"] == "Thank you. An organiser will look at it."
    await bot.press(ASKER, answer, "Report")
    assert sorted(await reports(bot)) == [
        ("answer", int(answer_id), ASKER.id),
        ("question", int(question_id), HELPER.id),
    ]


async def test_at_most_five_reports_an_hour(bot):
    await member(bot, AUTHOR)
    tips = [await shared(bot, AUTHOR, f"Tip number {n} about bread") for n in range(6)]
    [reply] = await bot.send(NOSY, "/help")
    answers = []
    for tip in tips:
        answers += await bot.press_data(NOSY, reply, f"1|report|tip|{tip.id}")
    texts = [call.params["text"] for call in answers]
    assert texts[:5] == ["Thank you. An organiser will look at it."] * 5
    assert texts[5] == "You reported a lot in the last hour. Please try again in an hour."
    assert len(await reports(bot)) == 5
    bot.clock.advance(hours=1)
    again = await bot.press_data(NOSY, reply, f"1|report|tip|{tips[5].id}")
    assert again[0].params["text"] == "Thank you. An organiser will look at it."
