"""Close asks the share question once: the button goes from the answer it was pressed under."""

from bot.local_api import LocalUser
from tests.questions.test_questions import HELPER_NL, ask, make_helper


async def test_close_goes_from_the_answer_so_the_share_question_comes_once(bot):
    await make_helper(bot, HELPER_NL, ["nl"], ["health"])
    asker = LocalUser(611, "Nadia", "nl")
    await ask(bot, asker, "health", "Waar vind ik een tandarts?")
    [question] = await bot.deliver()
    t = bot.runtime.translators["nl"]
    await bot.press(HELPER_NL, question, t.gettext("Answer"))
    await bot.send(HELPER_NL, "Kijk op de site van de gemeente.")
    [answer] = await bot.deliver()
    replies = await bot.press(asker, answer, t.gettext("Close the question"))
    share = t.gettext(
        "May others with the same question read your question and its answers? "
        "Your name is never shown. A shared question stays, without your name, even "
        "after /deleteme."
    )
    assert [call.text for call in replies if call.method == "sendMessage"] == [share]
    now = bot.api.message_now(asker.id, answer.message_id)
    labels = [label for label, _data in now.buttons]
    assert t.gettext("Close the question") not in labels
    assert t.gettext("This helped") in labels  # the rest of the answer's buttons stay
