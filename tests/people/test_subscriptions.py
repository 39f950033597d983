"""News is opt-in: asked once during onboarding, changed any time."""

from bot.people import store
from tests.harness import BRAM, OKSANA


async def subscribed(bot, user) -> bool:
    return (await store.get_user(bot.runtime.db.reader, user.id)).subscribed


async def test_onboarding_asks_once_and_the_default_is_no(bot):
    [greeting] = await bot.send(OKSANA, "/start")
    assert not await subscribed(bot, OKSANA)
    *_, question = await bot.press(OKSANA, greeting, "English")
    assert question.text == "Do you want news about language cafés and community events?"
    _answer, confirmation = await bot.press(OKSANA, question, "Yes, send me news")
    assert confirmation.text.startswith("You will get news")
    assert await subscribed(bot, OKSANA)
    # choosing another language later does not ask again
    [picker] = await bot.send(OKSANA, "/language")
    replies = await bot.press(OKSANA, picker, "Nederlands")
    assert len(replies) == 2


async def test_no_thanks_keeps_news_off(bot):
    [greeting] = await bot.send(OKSANA, "/start")
    *_, question = await bot.press(OKSANA, greeting, "English")
    await bot.press(OKSANA, question, "No, thanks")
    assert not await subscribed(bot, OKSANA)


async def test_subscribe_and_unsubscribe_commands(bot):
    [on] = await bot.send(BRAM, "/subscribe")
    t = bot.runtime.translators["nl"]
    assert on.text == t.gettext(
        "You will get news about language cafés and community events. /unsubscribe stops it."
    )
    assert await subscribed(bot, BRAM)
    [off] = await bot.send(BRAM, "/unsubscribe")
    assert off.text == t.gettext("You will not get news. /subscribe starts it any time.")
    assert not await subscribed(bot, BRAM)


async def test_a_forged_news_press_changes_nothing(bot):
    [greeting] = await bot.send(OKSANA, "/start")
    for data in ("1|news|2", "1|news|", "1|news|1|1"):
        replies = await bot.press_data(OKSANA, greeting, data)
        assert [call.method for call in replies] == ["answerCallbackQuery"]
    assert not await subscribed(bot, OKSANA)


async def test_language_does_not_ask_about_news_someone_who_subscribed_first(bot):
    await bot.send(BRAM, "/subscribe")  # before ever choosing a language
    [picker] = await bot.send(BRAM, "/language")
    replies = await bot.press(BRAM, picker, "English")
    texts = [call.text for call in replies if call.method != "answerCallbackQuery"]
    assert texts and not any("Do you want news" in text for text in texts)
    assert await subscribed(bot, BRAM)
