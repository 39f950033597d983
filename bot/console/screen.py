"""What each console user sees: their messages, with every button and bot link numbered.

Numbers are per user and only count up, so `#7` keeps meaning the same button while the
conversation goes on. Messages for someone who is not at the keyboard wait until `/as` shows
them; a press always goes to the message as it is now, as on a phone.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TextIO

from bot.console.files import KINDS, FileShelf
from bot.local_api import BOT_USER, SENDING_METHODS, ApiCall, LocalBotAPI

PRESS = "#"  # `#7` presses button 7; a plain line is always a text message
GROUP_CHAT_ID = -100_200_300  # the one group chat the console knows, for `/group`
_BOT_LINK = re.compile(r"https://t\.me/" + BOT_USER["username"] + r"\?start=([A-Za-z0-9_-]+)")
Key = tuple[int, int]  # (chat id, message id)


@dataclass(frozen=True)
class Pressable:
    """A button (callback data) or a link to the bot (a /start payload) on one message."""

    chat_id: int
    message_id: int
    data: str | None = None
    start: str | None = None
    label: str = ""


class Screen:
    def __init__(self, api: LocalBotAPI, shelf: FileShelf, out: TextIO) -> None:
        self.api = api
        self.shelf = shelf
        self.out = out
        self.user_id = 0  # who is at the keyboard
        self._pressables: dict[int, dict[int, Pressable]] = defaultdict(dict)
        self._counters: dict[int, itertools.count] = defaultdict(lambda: itertools.count(1))
        self._unseen: dict[int, list[tuple[Key, bool]]] = defaultdict(list)
        self._forwarded: dict[int, list[tuple[int, Pressable]]] = defaultdict(list)
        self._files: dict[Key, str] = {}
        self._shown: dict[Key, set[str | None]] = {}  # the buttons last shown, per message
        self._waiting: set[int] = set()  # users told nothing yet about their new messages

    # The local Bot API calls this for every call the bot makes.
    def on_call(self, call: ApiCall) -> None:
        if call.method == "answerCallbackQuery":
            if call.params.get("text"):
                alert = "[alert] " if str(call.params.get("show_alert")).lower() == "true" else ""
                self.say(f"  ({alert}{call.params['text']})")
            return
        if call.chat_id is None or call.message_id is None:
            return
        key = (call.chat_id, call.message_id)
        if call.method in KINDS:
            self._files[key] = self.shelf.keep(call)
        edited = call.method not in SENDING_METHODS
        if call.method == "editMessageReplyMarkup" and self._only_fewer_buttons(key, call):
            # Buttons taken off: the numbers of those left still press them; nothing to show.
            return
        if call.method not in SENDING_METHODS and not call.method.startswith("edit"):
            return
        if call.chat_id == self.user_id or call.chat_id < 0:
            self.show(key, edited)
        else:
            self._unseen[call.chat_id].append((key, edited))
            self._waiting.add(call.chat_id)

    def show(self, key: Key, edited: bool = False) -> None:
        message = self.api.message_now(*key)
        if message is None:
            return  # deleted before anyone looked
        header = "[group] " if key[0] < 0 else ""
        header += "(edited) " if edited else ""
        if message.method in KINDS:
            header += f"[{KINDS[message.method]}: {self._files.get(key, '?')}] "
        if message.method == "sendLocation":
            header += f"[location: {message.params.get('latitude')}, "
            header += f"{message.params.get('longitude')}] "
        self.say(f"{header}{message.text}".rstrip())
        self._shown[key] = {button.get("callback_data") for _label, button in _buttons(message)}
        for label, button in _buttons(message):
            if "callback_data" in button:
                self._number(Pressable(*key, data=button["callback_data"], label=label))
            elif match := _BOT_LINK.fullmatch(button.get("url", "")):
                self._number(Pressable(*key, start=match.group(1), label=f"{label} (link)"))
            elif "url" in button:
                self.say(f"  [link] {label}: {button['url']}")
        for match in _BOT_LINK.finditer(message.text):
            link = Pressable(*key, start=match.group(1), label=f"open {match.group(0)}")
            self._number(link)
        self.say("")

    def catch_up(self, user_id: int) -> int:
        """Show `user_id` what came for them since they last looked; returns how many."""
        unseen, self._unseen[user_id] = self._unseen[user_id], []
        self._waiting.discard(user_id)
        first: dict[Key, bool] = {}  # sent, then edited before they looked: shown once, as now
        for key, edited in unseen:
            first.setdefault(key, edited)
        for key, edited in first.items():
            self.show(key, edited)
        forwarded, self._forwarded[user_id] = self._forwarded[user_id], []
        for sender, link in forwarded:
            self.say(f"(forwarded by user {sender})")
            self._number(link)
            self.say("")
        return len(first) + len(forwarded)

    def forward(self, link: Pressable, sender: int, to_user: int) -> None:
        """A link passed on by hand, as an organiser sends an invite in another chat."""
        self._forwarded[to_user].append((sender, link))
        self._waiting.add(to_user)

    def pressable(self, number: int) -> Pressable | None:
        return self._pressables[self.user_id].get(number)

    def newest_labelled(self, words: str) -> int | None:
        """The number of the newest button or link labelled `words` (else the newest whose label
        contains them): a script can say `#"Sign up"` and keep working when a new button shifts
        the numbers."""
        mine = self._pressables[self.user_id]
        newest_first = sorted(mine, reverse=True)
        exact = (n for n in newest_first if mine[n].label == words)
        return next(exact, next((n for n in newest_first if words in mine[n].label), None))

    def notices(self) -> None:
        """One line about messages that wait for people who are not at the keyboard."""
        waiting = sorted(self._waiting - {self.user_id})
        self._waiting.clear()
        if waiting:
            who = ", ".join(
                f"{uid} ({len(self._unseen[uid]) + len(self._forwarded[uid])})" for uid in waiting
            )
            self.say(f"  (new messages for user {who}: /as <id> shows them)")

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _only_fewer_buttons(self, key: Key, call: ApiCall) -> bool:
        left = {button.get("callback_data") for _label, button in _buttons(call)}
        return key in self._shown and left <= self._shown[key]

    def _number(self, pressable: Pressable) -> None:
        number = next(self._counters[self.user_id])
        self._pressables[self.user_id][number] = pressable
        self.say(f"  [{PRESS}{number}] {pressable.label}")


def _markup(call: ApiCall) -> dict:
    markup = call.params.get("reply_markup") or {}
    return json.loads(markup) if isinstance(markup, str) else markup


def _buttons(call: ApiCall) -> list[tuple[str, dict]]:
    return [
        (button["text"], button)
        for row in _markup(call).get("inline_keyboard", [])
        for button in row
    ]
