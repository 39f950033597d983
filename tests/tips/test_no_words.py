"""A tip of only emoji is refused with a reason; the text or area can be written again."""

from tests.harness import BRAM
from tests.tips.helpers import button, member, say, tap


async def test_an_emoji_only_tip_is_refused_and_can_be_written_again(bot):
    await member(bot, BRAM)
    t = bot.runtime.translators["nl"]
    [picker] = await say(bot, BRAM, "/tip")
    await tap(bot, BRAM, picker, "1|tip_new|food")
    [refusal] = await say(bot, BRAM, "🙂")
    assert refusal.text == t.gettext(
        "Please use words: an emoji alone does not tell others enough."
    )
    editor = (await say(bot, BRAM, "Verse groente op de markt 🥕"))[-1]
    tip_id = int(button(editor, "tip_pub").split("|")[2])
    await tap(bot, BRAM, editor, f"1|tip_set|{tip_id}|area")
    [refusal] = await say(bot, BRAM, "📍📍")
    assert refusal.text == t.gettext(
        "Please use words: an emoji alone does not tell others enough."
    )
