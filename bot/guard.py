"""Checks every update passes before any feature sees it: floods, bans and group chats.

- Nobody can flood the bot: past a per-person rate, updates are dropped (with one notice).
- A banned person gets a neutral refusal, but can still read, take out and erase their data.
- In a group chat the bot answers only what is meant for groups, and never shows personal data;
  anything else is pointed to a private chat, and ordinary group talk is ignored.
"""

from __future__ import annotations

import time
from collections import deque

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot import ui
from bot.privacy.service import ALWAYS_ALLOWED_COMMANDS, ALWAYS_ALLOWED_PRESSES

GROUP_COMMANDS = frozenset({"cafes", "help", "urgent"})


class RateLimiter:
    """At most `limit` updates per person in any `window` seconds."""

    def __init__(self, limit: int = 30, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def allow(self, user_id: int) -> bool:
        now = time.monotonic()
        seen = self._seen.setdefault(user_id, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        self._warned.discard(user_id)
        if len(self._seen) > 10_000:  # forget people who have gone quiet
            for key in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
                del self._seen[key]
        return True

    def first_refusal(self, user_id: int) -> bool:
        """True once per flood, so the notice itself does not flood."""
        if user_id in self._warned:
            return False
        self._warned.add(user_id)
        return True


def command_of(update: Update) -> str | None:
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    return message.text.split()[0][1:].split("@")[0].lower()


def press_of(update: Update) -> str | None:
    if update.callback_query is None:
        return None
    press = ui.decode(update.callback_query.data)
    return press.action if press else None


async def check(update: Update, context) -> None:
    """Raise ApplicationHandlerStop (after a short reply) when the update must go no further."""
    _ = context._
    person = context.person
    limiter: RateLimiter = context.runtime.rate_limiter
    if not limiter.allow(person.id):
        if limiter.first_refusal(person.id):
            await _refuse(update, _("Please slow down a little, and try again in a minute."))
        raise ApplicationHandlerStop
    command, press = command_of(update), press_of(update)
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        if command in GROUP_COMMANDS:
            return
        if command is not None or press is not None:
            link = f"https://t.me/{context.bot.username}"
            await _refuse(
                update, _("Please write to me in a private chat: {link}").format(link=link)
            )
        raise ApplicationHandlerStop  # ordinary group talk is not for the bot
    if (
        person.banned
        and command not in ALWAYS_ALLOWED_COMMANDS
        and (press not in ALWAYS_ALLOWED_PRESSES)
    ):
        await _refuse(update, _("Sorry, this is not available to you."))
        raise ApplicationHandlerStop


async def _refuse(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
