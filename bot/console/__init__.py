"""Chat with the bot in a terminal: the real Application, with a local Bot API instead of HTTPS.

One person plays every part: `/as <id>` becomes someone else and shows what they received
meanwhile, `#N` presses a button, a plain line is always a text message, and console-only
commands (`/console` lists them) send what a phone sends or move the clock. User 1, the first
console user, is an admin.
"""

from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, running, runtime_of
from bot.cafes.parsing import CafeInputError, parse_when
from bot.clock import MovableClock
from bot.config import Settings
from bot.console import phone
from bot.console.files import FileShelf
from bot.console.screen import GROUP_CHAT_ID, PRESS, Screen
from bot.console.start import put_aside, seed_demo
from bot.i18n import SHIPPED_LOCALES
from bot.local_api import LocalBotAPI, LocalUser, UpdateFactory

CONSOLE_ADMIN_ID = 1
INTRO = (
    "Landgenoot console: a local chat, not connected to Telegram (no BOT_TOKEN set). "
    f"Type /start; {PRESS}3 presses button [{PRESS}3]; /as <id> [lang] switches user; "
    "/console lists the console's own commands; Ctrl-D quits."
)
CONSOLE_HELP = f"""Console-only commands (they do not exist on Telegram):
  {PRESS}N                     press button or link [{PRESS}N] (a plain line is always text)
  {PRESS}"Sign up"              press your newest button whose label has these words
  /as <id> [lang]        be user <id> (Telegram in <lang>); shows what they got meanwhile
  /group <text>          write <text> in a group chat that has the bot
  /location <lat> <lon>  send a location, e.g. /location 51.886 5.430
  /photo <path> [text]   send a photo (any image file), with an optional caption
  /voice <path>          send a voice note (any audio file)
  /document <path>       send a file
  /forward {PRESS}N <id>       pass the link [{PRESS}N] on to user <id> (an invite, a check-in code)
  /clock                 show the bot's time
  /clock +13h            move the clock forward (+30m, +2d) and run what became due
  /clock 2035-03-05 18:00   move it forward to that moment
  # <words>              a comment in a script: shown, not sent
  /console               this list
Files the bot sends are saved in {{folder}}."""
COMMENT = "# "  # a line of a script that says what happens next; shown, never sent
_CLOCK_STEP = re.compile(r"^\+?(\d{1,4})([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class Console:
    def __init__(self, application: Application, screen: Screen, clock: MovableClock) -> None:
        self.application = application
        self.screen = screen
        self.clock = clock
        self.updates = UpdateFactory(application.bot, now=lambda: clock.now().timestamp())
        self.users: dict[int, LocalUser] = {}
        self.user = self._become(CONSOLE_ADMIN_ID, "en")

    async def line(self, text: str) -> None:
        """One typed line: a console command, a press, or a message to the bot."""
        command, _, argument = text.partition(" ")
        argument = argument.strip()
        handler = {
            "/as": self.switch_user,
            "/console": self.show_help,
            "/clock": self.move_clock,
            "/group": self.in_group,
            "/location": self.send_location,
            "/photo": self.send_media,
            "/voice": self.send_media,
            "/document": self.send_media,
            "/forward": self.forward,
        }.get(command)
        try:
            if handler is not None:
                await handler(command, argument)
            elif (number := self._number_in(text)) is not None:
                await self.press(number)
            else:
                await self.deliver(self.updates.message(self.user, text))
        except phone.ConsoleInputError as error:
            self.screen.say(f"({error})")
        self.screen.notices()

    async def deliver(self, update: Update) -> None:
        # Finish each line, including the messages it queued for others, before the next.
        await self.application.process_update(update)
        await runtime_of(self.application).outbox.drain()

    def _number_in(self, text: str) -> int | None:
        """`#7`, or `#"Sign up"` for the newest button labelled so; None: not a press."""
        if re.fullmatch(re.escape(PRESS) + r"\d+", text):
            return int(text[len(PRESS) :])
        if match := re.fullmatch(re.escape(PRESS) + r'"(.+)"', text):
            number = self.screen.newest_labelled(match.group(1))
            if number is None:
                raise phone.ConsoleInputError(f"you have no button labelled {match.group(1)!r}")
            return number
        return None

    async def press(self, number: int) -> None:
        pressable = self.screen.pressable(number)
        if pressable is None:
            self.screen.say(f"(you have no button {PRESS}{number}; /console for help)")
            return
        if pressable.start is not None:  # a link to the bot opens a private chat with /start
            await self.deliver(self.updates.message(self.user, f"/start {pressable.start}"))
            return
        message = self.screen.api.message_now(pressable.chat_id, pressable.message_id)
        if message is None:
            self.screen.say("(that message was deleted; on Telegram it would be gone)")
            return
        if pressable.data not in {data for _, data in message.buttons}:
            # Telegram shows the message as it is now: the button is not there to press.
            self.screen.say(
                f"(button {PRESS}{number} is no longer there: the bot changed that message "
                "since; on Telegram you could not press it)"
            )
            return
        await self.deliver(self.updates.press(self.user, pressable.data, message))

    async def switch_user(self, _command: str, argument: str) -> None:
        words = argument.split()
        if not words or not words[0].isdigit() or int(words[0]) < 1:
            raise phone.ConsoleInputError("usage: /as <id> [lang]   for example: /as 2 ar")
        user_id = int(words[0])
        known = self.users.get(user_id)
        language = words[1] if len(words) > 1 else (known or self.user).language_code
        self.user = self._become(user_id, language)
        shipped = "" if language in SHIPPED_LOCALES else " (not shipped: the default is used)"
        self.screen.say(f"You are now user {user_id}, Telegram language {language}{shipped}.")
        if not self.screen.catch_up(user_id):
            self.screen.say("(nothing new for you)")

    async def show_help(self, _command: str, _argument: str) -> None:
        self.screen.say(CONSOLE_HELP.format(folder=self.screen.shelf.folder))

    async def move_clock(self, _command: str, argument: str) -> None:
        runtime = runtime_of(self.application)
        if argument:
            self.clock.move(self._clock_step(argument, runtime.settings))
        now = self.clock.now().astimezone(runtime.settings.timezone)
        ahead = self.clock.ahead
        self.screen.say(
            f"(the bot's clock: {now:%a %d %b %Y %H:%M} {runtime.settings.timezone.key}"
            + (f", {_duration(ahead)} ahead of the real time)" if ahead else ")")
        )
        if argument:
            # Every job once, now: each one looks at the clock and does what has become due.
            for job in self.application.job_queue.jobs():
                await job.run(self.application)
            await runtime.outbox.drain()

    def _clock_step(self, argument: str, settings: Settings) -> timedelta:
        """`+13h`, `+2d 30m`, or a moment to move to: `2035-03-05 18:00` (forward only)."""
        steps = [_CLOCK_STEP.match(word) for word in argument.split()]
        if all(steps):
            return sum(
                (timedelta(**{_UNITS[step.group(2)]: int(step.group(1))}) for step in steps),
                timedelta(),
            )
        try:
            moment = parse_when(argument, self.clock.now(), settings.timezone)
        except CafeInputError:
            raise phone.ConsoleInputError(
                "usage: /clock +30m, /clock +13h, /clock +2d, or a later moment such as "
                "/clock 2035-03-05 18:00"
            ) from None
        return moment - self.clock.now()

    async def in_group(self, _command: str, argument: str) -> None:
        if not argument:
            raise phone.ConsoleInputError("usage: /group <text>   for example: /group /cafes")
        await self.deliver(self.updates.message(self.user, argument, chat_id=GROUP_CHAT_ID))

    async def send_location(self, _command: str, argument: str) -> None:
        await self.deliver(self.updates.sent(self.user, phone.location(argument.split())))

    async def send_media(self, command: str, argument: str) -> None:
        content = phone.media(command.lstrip("/"), argument, self.screen.shelf)
        await self.deliver(self.updates.sent(self.user, content))

    async def forward(self, _command: str, argument: str) -> None:
        words = argument.split()
        usage = f"usage: /forward {PRESS}N <id>   for example: /forward {PRESS}4 20"
        if len(words) < 2 or not words[0].startswith(PRESS) or not words[-1].isdigit():
            raise phone.ConsoleInputError(usage)
        words = [" ".join(words[:-1]), words[-1]]  # a label may have spaces
        number = self._number_in(words[0])
        pressable = self.screen.pressable(number) if number is not None else None
        if pressable is None or pressable.start is None:
            raise phone.ConsoleInputError(f"{words[0]} is not one of your links; {usage}")
        self.screen.forward(pressable, self.user.id, int(words[1]))
        self.screen.say(f"(forwarded to user {words[1]})")

    def _become(self, user_id: int, language: str | None) -> LocalUser:
        user = LocalUser(user_id, f"User{user_id}", language)
        self.users[user_id] = user
        self.screen.user_id = user_id
        return user


def _duration(delta: timedelta) -> str:
    hours, seconds = divmod(int(delta.total_seconds()), 3600)
    days, hours = divmod(hours, 24)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else ""]
    parts.append(f"{seconds // 60} min" if seconds // 60 else "")
    return " ".join(part for part in parts if part) or "less than a minute"


def files_folder(settings: Settings) -> Path:
    return settings.console_files or settings.database_path.parent / "console-files"


async def run_console(
    settings: Settings,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    *,
    fresh: bool = False,
    demo: bool = False,
) -> None:
    """`fresh`: on a new empty database; `demo`: on a new one with the demo community."""
    settings = replace(settings, admin_ids=settings.admin_ids | {CONSOLE_ADMIN_ID})
    api = LocalBotAPI()
    screen = Screen(api, FileShelf(files_folder(settings)), out)
    api.file_source = screen.shelf.read  # the bot downloads what the console user sends
    api.listener = screen.on_call
    screen.say(INTRO)
    if fresh or demo:
        copy = put_aside(settings.database_path)
        kept = f"; the old one is kept as {copy}" if copy else ""
        screen.say(f"(a new empty database at {settings.database_path}{kept})")
    if demo:
        for line in await seed_demo(settings.database_path):
            screen.say(line)
    clock = MovableClock()
    # Telegram's pace per chat does not apply to a local chat: messages come at once.
    interactive = stdin.isatty()
    application = build_application(
        settings,
        request=api,
        clock=clock,
        per_chat_limits=False,
        # A script must play the same every time: its messages go out when the console drains
        # the outbox after each line, never from the background sender in between (which could
        # take a row that a /clock's drain then does not wait for).
        outbox_options=None if interactive else {"background": False},
    )
    async with running(application):
        console = Console(application, screen, clock)
        if not interactive:
            # A script must play the same every time: its jobs run at `/clock` only, never
            # in between on the wall clock's schedule.
            application.job_queue.scheduler.pause()
        while True:
            if interactive:
                print("> ", end="", file=out, flush=True)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            text = line.strip()
            if not interactive and text:
                screen.say(f"> {text}")  # a piped script reads as a conversation
            if text.startswith(COMMENT):
                continue
            if text:
                await console.line(text)
