"""A newcomer's first minutes: greeting, language, help, and whatever they type next."""

from bot.i18n import FSI, PDI, SHIPPED_LOCALES, language_name
from bot.local_api import LocalUser
from bot.people import store
from tests.harness import AMIRA, BRAM, OKSANA, bot_harness


def catalog(bot, locale: str):
    return bot.runtime.translators[locale].gettext


async def test_start_greets_in_english_with_every_language_on_a_button(bot):
    [greeting] = await bot.send(LocalUser(301, "Sam", "en-GB"), "/start")
    assert greeting.text.startswith("Welcome to Praattafel Tiel!")
    assert "Language cafés" in greeting.text and "/privacy" in greeting.text
    labels = [label for label, _ in greeting.buttons]
    assert labels == [language_name(code) for code in SHIPPED_LOCALES]
    assert labels[:3] == ["Nederlands", "English", "العربية"]


async def test_start_greets_in_dutch_for_a_dutch_telegram(bot):
    [greeting] = await bot.send(BRAM, "/start")
    _ = catalog(bot, "nl")
    assert greeting.text.startswith(
        _("Welcome to {community}!").format(community="Praattafel Tiel")
    )
    assert not greeting.text.startswith("Welcome")


async def test_start_greets_in_arabic_with_the_community_name_isolated(bot):
    [greeting] = await bot.send(AMIRA, "/start")
    _ = catalog(bot, "ar")
    expected = _("Welcome to {community}!").format(community=f"{FSI}Praattafel Tiel{PDI}")
    assert greeting.text.startswith(expected)
    assert "Welcome" not in greeting.text


async def test_unshipped_telegram_language_falls_back_to_the_default(bot):
    [greeting] = await bot.send(LocalUser(302, "Ana", "pt-BR"), "/start")
    assert greeting.text.startswith("Welcome to")


async def test_picking_a_language_switches_and_is_stored(bot):
    [greeting] = await bot.send(OKSANA, "/start")
    replies = await bot.press(OKSANA, greeting, "Nederlands")
    answer, edited, news_question = replies
    assert answer.method == "answerCallbackQuery"
    _ = catalog(bot, "nl")
    assert edited.method == "editMessageText"
    assert edited.text.startswith(
        _("I will write to you in {language}.").format(language="Nederlands")
    )
    user = await store.get_user(bot.runtime.db.reader, OKSANA.id)
    assert user.locale == "nl"
    assert news_question.text == _("Do you want news about language cafés and community events?")


async def test_the_language_choice_survives_a_restart(settings):
    async with bot_harness(settings) as bot:
        [greeting] = await bot.send(BRAM, "/start")
        await bot.press(BRAM, greeting, "Türkçe")
    async with bot_harness(settings) as restarted:
        [help_text] = await restarted.send(BRAM, "/help")
        _ = catalog(restarted, "tr")
        assert help_text.text.startswith(_("This is what you can do:"))
        assert _("This is what you can do:") != "This is what you can do:"


async def test_language_command_offers_the_picker_again(bot):
    [reply] = await bot.send(BRAM, "/language")
    assert len(reply.buttons) == len(SHIPPED_LOCALES)


async def test_help_lists_only_what_this_person_may_use(bot):
    [newcomer_help] = await bot.send(LocalUser(303, "Noor", "en"), "/help")
    assert "/language" in newcomer_help.text and "/privacy" in newcomer_help.text
    assert "/invite" not in newcomer_help.text and "/roles" not in newcomer_help.text
    [admin_help] = await bot.send(LocalUser(1, "Ada", "en"), "/help")
    assert "/invite" in admin_help.text and "/roles" in admin_help.text


async def test_privacy_explains_what_is_stored(bot):
    [reply] = await bot.send(BRAM, "/privacy")
    _ = catalog(bot, "nl")
    assert _("Your privacy") in reply.text


async def test_unknown_command_gets_a_helpful_reply(bot):
    [reply] = await bot.send(AMIRA, "/frobnicate")
    _ = catalog(bot, "ar")
    assert reply.text == _("I do not know that command. Type /help to see what I can do.")


async def test_stray_text_gets_a_helpful_reply_not_silence(bot):
    [reply] = await bot.send(BRAM, "hallo?")
    _ = catalog(bot, "nl")
    assert reply.text == _("I did not understand that. Type /help to see what I can do.")


async def test_unknown_start_link_says_so_and_still_greets(bot):
    replies = await bot.send(BRAM, "/start cafe_doesnotexist")
    _ = catalog(bot, "nl")
    assert replies[0].text == _("This link is not valid.")
    assert len(replies[1].buttons) == len(SHIPPED_LOCALES)


async def test_forged_or_stale_presses_are_answered_and_change_nothing(bot):
    [greeting] = await bot.send(BRAM, "/start")
    forged = [
        "1|lang|xx",  # a language we do not ship
        "1|lang",  # no argument
        "1|lang|nl|extra",
        "0|lang|nl",  # an older codec version
        "1|nosuchaction|1",
        "garbage",
        "",
    ]
    _ = catalog(bot, "nl")
    for data in forged:
        replies = await bot.press_data(BRAM, greeting, data)
        assert [(c.method, c.params.get("text")) for c in replies] == [
            ("answerCallbackQuery", _("This button has expired."))
        ], data
    user = await store.get_user(bot.runtime.db.reader, BRAM.id)
    assert user.locale is None


async def test_the_command_menu_is_published_in_every_language(bot):
    menus = {
        call.params.get("language_code"): call.params["commands"]
        for call in bot.api.calls
        if call.method == "setMyCommands"
    }
    assert set(menus) == {None, *SHIPPED_LOCALES}
    _ = catalog(bot, "fa")
    persian = {command["command"]: command["description"] for command in menus["fa"]}
    assert persian["help"] == _("What I can do for you")
    assert "invite" not in persian
