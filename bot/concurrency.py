"""Handle updates from different people at once, and each person's updates in order.

python-telegram-bot can process updates concurrently, but then two quick taps from one person
could overtake each other. This processor keeps a queue per person (per chat when there is no
person), so a slow round trip for one user never holds up the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerUserUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # how many updates each key has waiting or running

    @staticmethod
    def _key(update: object) -> int | None:
        if not isinstance(update, Update):
            return None
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self._key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:  # asyncio.Lock wakes waiters first-in, first-out
                await coroutine
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:  # forget idle people so the dicts stay small
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
