"""The CallbackContext every handler receives: the person, their language, the runtime.

The person and their locale are resolved once per update, by `identify` in the first handler
group, and shared by every handler that runs for that update.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext, ExtBot

from bot import guard
from bot.i18n import Translator
from bot.people.roles import Person
from bot.runtime import Runtime

log = logging.getLogger(__name__)


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    person: Person
    t: Translator

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self._alongside: list[asyncio.Future] = []

    @property
    def runtime(self) -> Runtime:
        return self.bot_data["runtime"]

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    def use_locale(self, locale: str) -> None:
        self.t = self.runtime.translators[locale]

    def alongside(self, call: Coroutine[Any, Any, object]) -> None:
        """Make a Bot API call beside the reply instead of before it.

        Answering a press or taking the buttons off the pressed message need not finish
        before the reply goes out: awaited first, each would put a whole round trip in front
        of it. Sent side by side, they all arrive after one. `finish_update` waits for them
        before the update counts as handled.
        """
        self._alongside.append(asyncio.ensure_future(call))

    def acknowledge(self, query: CallbackQuery) -> None:
        """Answer a button press (the client stops its spinner) beside the reply."""
        self.alongside(query.answer())

    def close_keyboard(self, query: CallbackQuery) -> None:
        """Take the buttons off the pressed message (they did their work), beside the reply.

        A message that is gone (deleted, or too old for the bot to see) has no buttons left.
        """
        if query.message is not None and query.message.is_accessible:
            self.alongside(query.edit_message_reply_markup(reply_markup=None))

    async def calls_alongside_done(self) -> None:
        for task in self._alongside:
            try:
                await task
            except TelegramError as error:
                # "query is too old" (the press waited while the bot was down), "message is
                # not modified" (a double tap) or "message to edit not found" (deleted): the
                # reply has gone out all the same; nothing to tell anyone.
                log.info("a call beside the reply failed: %s", error)
        self._alongside.clear()


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


async def finish_update(update: Update, context: BotContext) -> None:
    """After every update: wait for the calls made beside the reply, and if the update queued
    messages for others, send them now."""
    await context.calls_alongside_done()
    context.runtime.outbox.wake()
