"""A question of only emoji is refused with a reason, and the person can write it again."""

from tests.harness import AMIRA
from tests.questions.test_questions import HELPER_AR, ask, make_helper


async def test_an_emoji_only_question_is_refused_and_can_be_written_again(bot):
    await make_helper(bot, HELPER_AR, ["ar"], ["housing"])
    t = bot.runtime.translators["ar"]
    [refusal] = await ask(bot, AMIRA, "housing", "🙂🏠")
    assert refusal.text == t.gettext(
        "Please write your question in words, or send a voice note: an emoji alone does "
        "not tell a helper what you need."
    )
    assert await bot.deliver() == []  # nothing reached a helper
    [sent] = await bot.send(AMIRA, "🏠 أين أجد بيتا؟")  # still asked for: words are enough
    assert sent.text == t.ngettext(
        "Your question went to {count} helper. Answers will come here.",
        "Your question went to {count} helpers. Answers will come here.", 1,
    ).format(count=1)  # fmt: skip
    [question] = await bot.deliver()
    assert "أين أجد بيتا؟" in question.text
