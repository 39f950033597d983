"""Drive the real Application through the local Bot API, and see what each user receives."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from telegram.ext import Application

from bot.app import build_application, running, runtime_of
from bot.clock import ManualClock
from bot.config import Settings
from bot.local_api import SENDING_METHODS, ApiCall, LocalBotAPI, LocalUser, UpdateFactory
from bot.runtime import Runtime
from tests.buttons import too_wide_rows

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

ADMIN = LocalUser(1, "Ada", "en")
AMIRA = LocalUser(201, "Amira", "ar")
BRAM = LocalUser(202, "Bram", "nl")
TESFAY = LocalUser(203, "Tesfay", "ti")
OKSANA = LocalUser(204, "Oksana", "uk")


@dataclass
class BotHarness:
    app: Application
    api: LocalBotAPI
    clock: ManualClock
    updates: UpdateFactory
    errors: list[BaseException] = field(default_factory=list)

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.app)

    async def send(self, user: LocalUser, text: str, chat_id: int | None = None) -> list[ApiCall]:
        """The user writes `text`; returns what the bot sent or edited in reply."""
        mark = len(self.api.calls)
        await self.app.process_update(self.updates.message(user, text, chat_id))
        return self._replies_since(mark, user.id if chat_id is None else chat_id)

    async def send_content(self, user: LocalUser, content: dict) -> list[ApiCall]:
        """The user sends what a phone sends (`{"photo": [...]}`, `{"document": {...}}`);
        returns every message the bot sent to them in reply, files included."""
        mark = len(self.api.calls)
        await self.app.process_update(self.updates.sent(user, content))
        return [
            call
            for call in self.api.calls[mark:]
            if call.method in SENDING_METHODS | {"editMessageText"} and call.chat_id == user.id
        ]

    async def press(self, user: LocalUser, on: ApiCall, label: str) -> list[ApiCall]:
        """The user taps the button labelled `label` under the bot message `on`."""
        data = dict(on.buttons)[label]
        return await self.press_data(user, on, data)

    async def press_data(self, user: LocalUser, on: ApiCall, data: str) -> list[ApiCall]:
        """The user's client sends a press with any callback data (forged ones included)."""
        mark = len(self.api.calls)
        await self.app.process_update(self.updates.press(user, data, on))
        answers = [c for c in self.api.calls[mark:] if c.method == "answerCallbackQuery"]
        return answers + self._replies_since(mark, on.chat_id)

    async def deliver(self) -> list[ApiCall]:
        """Let the outbox sender send what is due; returns the messages it sent."""
        mark = len(self.api.calls)
        await self.runtime.outbox.drain()
        return [c for c in self.api.calls[mark:] if c.method in SENDING_METHODS]

    def _replies_since(self, mark: int, chat_id: int | None) -> list[ApiCall]:
        # Only this chat: the outbox sender may be delivering to others meanwhile.
        return [
            call
            for call in self.api.calls[mark:]
            if call.method in {"sendMessage", "editMessageText", "sendDocument"}
            and call.chat_id == chat_id
        ]


def settings_for(tmp_path, **overrides) -> Settings:
    values = {
        "database_path": tmp_path / "landgenoot.sqlite3",
        "admin_ids": frozenset({ADMIN.id}),
        "community_name": "Praattafel Tiel",
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def bot_harness(
    settings: Settings,
    clock: ManualClock | None = None,
    latency: float = 0.0,
    api: LocalBotAPI | None = None,
    messages_per_second: float = 30.0,
    per_chat_limits: bool = False,
    **outbox_options: object,
) -> AsyncIterator[BotHarness]:
    api = api or LocalBotAPI(latency=latency)
    clock = clock or ManualClock(START)
    app = build_application(
        settings,
        request=api,
        clock=clock,
        messages_per_second=messages_per_second,
        # A test writes faster than a person: no one-a-second pace per chat, unless asked for.
        per_chat_limits=per_chat_limits,
        # No background sender: messages to others go out when a test calls deliver().
        outbox_options={"background": False, **outbox_options},
    )
    harness = BotHarness(app, api, clock, UpdateFactory(app.bot))

    async def fail_on_error(update: object, context) -> None:
        harness.errors.append(context.error)

    app.add_error_handler(fail_on_error)
    async with running(app):
        yield harness
    if harness.errors:
        raise AssertionError(f"a handler raised: {harness.errors!r}") from harness.errors[0]
    if too_wide := too_wide_rows(api.calls, harness.runtime.translators):
        raise AssertionError("buttons too wide for a phone:\n" + "\n".join(too_wide))
