"""Telegram's menu and the bot's description speak the reader's language, not their phone's.

Telegram apps have no Tigrinya or Somali interface, so a menu per app language never reaches
those readers: their own chat gets a menu once they pick a language, and again with a new role.
"""

from dataclasses import replace
from zoneinfo import ZoneInfo

from bot.i18n import SHIPPED_LOCALES, Translators
from bot.local_api import LocalBotAPI, LocalUser
from bot.menus import DESCRIPTION_LIMIT, SHORT_DESCRIPTION_LIMIT
from bot.people.handlers import bot_description
from tests.harness import ADMIN, BRAM, bot_harness
from tests.people.test_invites import link_in

SELAM = LocalUser(501, "Selam", "en")  # a Tigrinya reader with an English phone


def chat_menus(bot, user: LocalUser) -> list[dict[str, str]]:
    """Every menu set for this person's private chat, in order: {command: description}."""
    return [
        {command["command"]: command["description"] for command in call.params["commands"]}
        for call in bot.api.calls
        if call.method == "setMyCommands"
        and call.params.get("scope") == {"type": "chat", "chat_id": user.id}
    ]


async def pick_language(bot, user: LocalUser, locale: str) -> None:
    [greeting] = await bot.send(user, "/start")
    await bot.press_data(user, greeting, f"1|lang|{locale}")


async def test_picking_a_language_gives_the_chat_a_menu_in_that_language(bot):
    await pick_language(bot, SELAM, "ti")
    [menu] = chat_menus(bot, SELAM)
    ti = bot.runtime.translators["ti"].gettext
    assert menu["help"] == ti("What I can do for you") != "What I can do for you"
    assert menu["cafes"] == ti("Language cafés: see them and sign up")
    assert "helper" not in menu and "newcafe" not in menu
    assert chat_menus(bot, BRAM) == []  # nobody else's menu changed


async def test_changing_the_language_changes_the_menu(bot):
    await pick_language(bot, SELAM, "ti")
    [choice] = await bot.send(SELAM, "/language")
    await bot.press_data(SELAM, choice, "1|lang|so")
    first, second = chat_menus(bot, SELAM)
    so = bot.runtime.translators["so"].gettext
    assert second["help"] == so("What I can do for you") != first["help"]


async def test_a_new_helper_gets_the_helper_commands_in_their_language(bot):
    await pick_language(bot, SELAM, "ti")
    [invite] = await bot.send(ADMIN, "/invite helper")
    await bot.send(SELAM, f"/start {link_in(invite.text)}")
    menu = chat_menus(bot, SELAM)[-1]
    ti = bot.runtime.translators["ti"].gettext
    assert menu["helper"] == ti("Your helper settings: languages, topics, pause")
    assert "newcafe" not in menu


async def test_a_new_organiser_gets_the_organiser_commands(bot):
    [invite] = await bot.send(ADMIN, "/invite organiser")
    await bot.send(BRAM, f"/start {link_in(invite.text)}")
    menu = chat_menus(bot, BRAM)[-1]
    nl = bot.runtime.translators["nl"].gettext
    assert menu["newcafe"] == nl("Create a language café")
    assert "audit" not in menu  # for admins only
    assert "helper" not in menu


async def test_a_used_invite_changes_no_menu(bot):
    [invite] = await bot.send(ADMIN, "/invite helper")
    link = link_in(invite.text)
    await bot.send(BRAM, f"/start {link}")
    await bot.send(SELAM, f"/start {link}")
    assert chat_menus(bot, SELAM) == []


async def test_a_forged_language_press_sets_no_menu(bot):
    [greeting] = await bot.send(SELAM, "/start")
    await bot.press_data(SELAM, greeting, "1|lang|xx")
    assert chat_menus(bot, SELAM) == []


def descriptions(api: LocalBotAPI) -> dict[tuple[str, str | None], str]:
    return {
        (call.method, call.params.get("language_code")): call.params.get("description")
        or call.params.get("short_description")
        for call in api.calls
        if call.method in {"setMyDescription", "setMyShortDescription"}
    }


async def test_the_description_is_set_in_every_language_and_again_only_when_it_changed(settings):
    api = LocalBotAPI()
    async with bot_harness(settings, api=api) as bot:
        first = descriptions(api)
        translators = bot.runtime.translators
    for method in ("setMyDescription", "setMyShortDescription"):
        assert {code for name, code in first if name == method} == {None, *SHIPPED_LOCALES}
    so = bot_description(translators["so"], "Praattafel Tiel")
    assert first["setMyDescription", "so"] == so.long
    assert first["setMyShortDescription", "so"] == so.short
    default = bot_description(translators[settings.default_locale], "Praattafel Tiel")
    assert first["setMyDescription", None] == default.long
    mark = len(api.calls)
    async with bot_harness(settings, api=api):
        pass
    again = [c.method for c in api.calls[mark:] if c.method.startswith("setMy")]
    assert "setMyDescription" not in again and "setMyShortDescription" not in again
    renamed = replace(settings, community_name="Taalcafé Culemborg")
    mark = len(api.calls)
    async with bot_harness(renamed, api=api):
        pass
    changed = {(c.method, c.params.get("language_code")) for c in api.calls[mark:]}
    assert ("setMyDescription", "ar") in changed
    assert ("setMyShortDescription", "ar") not in changed  # it names no community


async def test_a_failing_description_does_not_stop_the_bot(settings):
    api = LocalBotAPI()
    api.fail("setMyDescription", description="Bad Request: description is too long", times=9)
    async with bot_harness(settings, api=api) as bot:
        [greeting] = await bot.send(BRAM, "/start")
    assert greeting.buttons


def test_the_descriptions_fit_telegram_in_every_language():
    translators = Translators(ZoneInfo("Europe/Amsterdam"))
    community = "Stichting Taalcafé en Praattafel voor Nieuwkomers Geldermalsen"
    for locale in SHIPPED_LOCALES:
        description = bot_description(translators[locale], community)
        assert len(description.long) <= DESCRIPTION_LIMIT, locale
        assert len(description.short) <= SHORT_DESCRIPTION_LIMIT, locale


async def test_erasing_everything_takes_the_chat_menu_back_to_the_default(bot):
    await pick_language(bot, SELAM, "ti")
    [confirm] = await bot.send(SELAM, "/deleteme")
    mark = len(bot.api.calls)
    await bot.press_data(SELAM, confirm, "1|erase|all")
    [deleted] = [c for c in bot.api.calls[mark:] if c.method == "deleteMyCommands"]
    assert deleted.params["scope"] == {"type": "chat", "chat_id": SELAM.id}


async def test_saying_no_to_erasure_keeps_the_menu(bot):
    await pick_language(bot, SELAM, "ti")
    [confirm] = await bot.send(SELAM, "/deleteme")
    await bot.press_data(SELAM, confirm, "1|erase|no")
    assert not [c for c in bot.api.calls if c.method == "deleteMyCommands"]
