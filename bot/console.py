"""Chat with the bot in a terminal: the real Application, with a local Bot API instead of HTTPS.

Bot messages are printed with their buttons numbered; a number presses that button on the last
keyboard, `/...` is a command, anything else a text message. `/as <id> [lang]` becomes someone
else. User 1, the first console user, is an admin, so one person can play every part.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from typing import TextIO

from bot.app import build_application, running, runtime_of
from bot.config import Settings
from bot.i18n import SHIPPED_LOCALES
from bot.local_api import ApiCall, LocalBotAPI, LocalUser, UpdateFactory

CONSOLE_ADMIN_ID = 1
INTRO = (
    "Landgenoot console: a local chat, not connected to Telegram (no BOT_TOKEN set). "
    "Type /start; a number presses a button; /as <id> [lang] switches user; Ctrl-D quits."
)


class ConsoleChat:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.user = LocalUser(CONSOLE_ADMIN_ID, "Admin", "en")
        self.keyboard: ApiCall | None = None  # the last message with buttons, for this user

    def show(self, call: ApiCall) -> None:
        """Print what the bot does, as a chat would show it."""
        if call.method == "answerCallbackQuery":
            if call.params.get("text"):
                self._print(f"  ({call.params['text']})")
            return
        if call.method not in {"sendMessage", "editMessageText", "sendDocument"}:
            return
        to_other = call.chat_id is not None and call.chat_id != self.user.id
        header = f"[to user {call.chat_id}] " if to_other else ""
        if call.method == "editMessageText":
            header += "(edited) "
        if call.method == "sendDocument":
            name = next(iter(call.files.values()), ("file", b""))[0]
            self._print(f"{header}[file: {name}] {call.text}".rstrip())
        else:
            self._print(f"{header}{call.text}")
        buttons = call.buttons
        for number, (label, _data) in enumerate(buttons, start=1):
            self._print(f"  [{number}] {label}")
        if not to_other:
            self.keyboard = (
                call if buttons else (None if call.method == "editMessageText" else self.keyboard)
            )
        self._print("")

    def switch_user(self, words: list[str]) -> str:
        if not words or not words[0].isdigit():
            return "usage: /as <id> [lang]   for example: /as 2 ar"
        language = words[1] if len(words) > 1 else self.user.language_code
        self.user = LocalUser(int(words[0]), f"User{words[0]}", language)
        self.keyboard = None
        known = "" if language in SHIPPED_LOCALES else " (not shipped: the default is used)"
        return f"You are now user {self.user.id}, Telegram language {language}{known}."

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


async def run_console(
    settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    settings = replace(settings, admin_ids=settings.admin_ids | {CONSOLE_ADMIN_ID})
    chat = ConsoleChat(out)
    api = LocalBotAPI(listener=chat.show)
    application = build_application(settings, request=api)
    print(INTRO, file=out, flush=True)
    async with running(application):
        updates = UpdateFactory(application.bot)
        outbox = runtime_of(application).outbox
        interactive = stdin.isatty()
        while True:
            if interactive:
                print("> ", end="", file=out, flush=True)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if text.split()[0] == "/as":
                chat._print(chat.switch_user(text.split()[1:]))
                continue
            if text.isdigit():
                number = int(text)
                if chat.keyboard is None or not 1 <= number <= len(chat.keyboard.buttons):
                    chat._print("(there is no button with that number)")
                    continue
                update = updates.press(
                    chat.user, chat.keyboard.buttons[number - 1][1], chat.keyboard
                )
            else:
                update = updates.message(chat.user, text)
            # Finish each line, including the messages it queued for others, before the next.
            await application.process_update(update)
            await outbox.drain()
