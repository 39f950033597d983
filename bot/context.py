"""The CallbackContext every handler receives: the person, their language, the runtime.

The person and their locale are resolved once per update, by `identify` in the first handler
group, and shared by every handler that runs for that update.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, CallbackContext, ExtBot

from bot import guard
from bot.i18n import Translator
from bot.people.roles import Person
from bot.runtime import Runtime


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    person: Person
    t: Translator

    @property
    def runtime(self) -> Runtime:
        return self.bot_data["runtime"]

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    def use_locale(self, locale: str) -> None:
        self.t = self.runtime.translators[locale]


async def identify(update: Update, context: BotContext) -> None:
    """Load (or create) the person behind this update and pick their language."""
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop  # channel posts and the like: nothing for us
    runtime = context.runtime
    message = update.message
    is_command = bool(message and message.text and message.text.startswith("/"))
    context.person = await runtime.people.identify(
        user.id, user.first_name, user.language_code, is_command
    )
    context.use_locale(runtime.people.locale_for(context.person))
    await guard.check(update, context)


async def wake_outbox(update: Update, context: BotContext) -> None:
    """After every update: if it queued messages for others, send them now."""
    context.runtime.outbox.wake()
