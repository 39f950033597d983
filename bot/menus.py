"""What Telegram shows of the bot around the chat, in the reader's language: the command menu,
and the description a newcomer reads before pressing Start.

Telegram picks a menu by the language of the phone's app, not by the language chosen here, and
its apps have no Tigrinya or Somali interface. So the menus per app language are only the
default: once a person picks a language (or gets a role), their own chat gets a menu in that
language with the commands their role may use.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.commands import Command, commands_for, menu_commands
from bot.i18n import SHIPPED_LOCALES, Translator, Translators
from bot.people.roles import Person

log = logging.getLogger(__name__)

# Telegram's limits for the two texts (Bot API: setMyDescription, setMyShortDescription).
DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120


@dataclass(frozen=True)
class Description:
    """What Telegram shows before the first Start (up to 512 characters), and on the bot's
    profile (up to 120)."""

    long: str
    short: str


def _menu(t: Translator, commands: list[Command]) -> list[BotCommand]:
    return [BotCommand(command.name, t.gettext(command.description)) for command in commands]


async def set_personal_menu(bot: Bot, person: Person, t: Translator) -> None:
    """The menu of this person's private chat: their language, the commands of their role."""
    await bot.set_my_commands(
        _menu(t, commands_for(person)), scope=BotCommandScopeChat(chat_id=person.id)
    )


async def forget_personal_menu(bot: Bot, user_id: int) -> None:
    """After an erasure: the chat falls back to the default menu, which speaks no chosen
    language and offers no role's commands."""
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=user_id))


async def publish(
    bot: Bot,
    translators: Translators,
    default_locale: str,
    describe: Callable[[Translator], Description],
) -> None:
    """At start-up: the default menus per app language, and the description and short
    description in every shipped language (those only where they changed)."""
    languages = (None, *SHIPPED_LOCALES)
    await asyncio.gather(
        *(
            bot.set_my_commands(
                _menu(translators[code or default_locale], menu_commands()), language_code=code
            )
            for code in languages
        )
    )
    try:
        await asyncio.gather(
            *(
                _publish_description(bot, describe(translators[code or default_locale]), code)
                for code in languages
            )
        )
    except TelegramError as error:
        # The bot works without them; the next start tries again.
        log.warning("could not publish the bot's description: %s", error)


async def _publish_description(bot: Bot, wanted: Description, language_code: str | None) -> None:
    """Telegram rate-limits these two calls hard, so each is made only when the text changed."""
    current, current_short = await asyncio.gather(
        bot.get_my_description(language_code=language_code),
        bot.get_my_short_description(language_code=language_code),
    )
    if current.description != wanted.long:
        await bot.set_my_description(wanted.long, language_code=language_code)
    if current_short.short_description != wanted.short:
        await bot.set_my_short_description(wanted.short, language_code=language_code)
