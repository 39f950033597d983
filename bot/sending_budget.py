"""One sending budget for everything the bot sends: replies, edits and the outbox.

Telegram lets a bot send about 30 messages a second in all, 20 a minute to one group and about
one a second to one private chat (a short burst passes). Every Bot API call to a chat passes
through here (python-telegram-bot's rate-limiter hook), so replies, edits and the outbox share
one budget instead of each guessing at its own. A call over the budget waits; it does not fail.
Replies to the person who is talking go first, then direct outbox messages, then bulk ones.

A 429 ("retry after N") pauses the whole budget for N seconds, since Telegram counts for the
whole bot. A reply is then tried again, for as long as it takes; only when the bot is stopping
and the wait would outlast the shutdown deadline is the reply handed to the outbox, which sends
it after the next start. The outbox asks not to be retried here: it records the wait on its row.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn

from telegram.error import RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

from bot import shutdown

log = logging.getLogger(__name__)

# Ranks: who goes first when several calls wait for the budget.
REPLY = 0
OUTBOX_DIRECT = 1
OUTBOX_BULK = 2

# Below Telegram's figure: a call is counted when it arrives, and a busy event loop lets a few
# calls arrive closer together than they were let go.
SAFETY = 0.97
_IDLE_CHATS_KEPT = 10_000


@dataclass(frozen=True)
class Send:
    """How one call is treated (python-telegram-bot's `rate_limit_args`)."""

    rank: int = REPLY
    retry: bool = True  # False: a 429 is raised to the caller (the outbox), after the pause


@dataclass(frozen=True)
class Window:
    """At most `calls` calls within any `seconds`."""

    calls: int
    seconds: float


PRIVATE_CHAT = (Window(4, 4.0),)  # one a second, sustained; a reply in parts still goes at once
GROUP_CHAT = (Window(20, 60.0), Window(3, 3.0))

HandOver = Callable[[str, dict[str, Any]], Awaitable[bool]]


class HandedToOutbox(TelegramError):
    """The reply could not be sent before the bot stopped; the outbox sends it after the start."""


class _ChatPace:
    def __init__(self, windows: tuple[Window, ...]) -> None:
        self.windows = windows
        self.sent: deque[float] = deque(maxlen=max(window.calls for window in windows))
        self.lock = asyncio.Lock()

    def wait(self, now: float) -> float:
        """Seconds until this chat may receive the next call."""
        wait = 0.0
        for window in self.windows:
            if len(self.sent) >= window.calls:
                wait = max(wait, self.sent[-window.calls] + window.seconds - now)
        return wait

    def idle(self, now: float) -> bool:
        return not self.lock.locked() and (not self.sent or self.wait(now) <= 0)


class SendingBudget(BaseRateLimiter[Send]):
    def __init__(self, per_second: float = 30.0, *, per_chat: bool = True) -> None:
        self._interval = 1.0 / (per_second * SAFETY)
        self._per_chat = per_chat
        self._next_turn = 0.0
        self._paused_until = 0.0
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._turns: asyncio.Task[None] | None = None
        self._chats: dict[int | str, _ChatPace] = {}
        self.hand_over: HandOver | None = None  # set where the outbox is known (bot.app)
        self.flood_waits = 0  # 429s seen, for benchmarks and the log

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        if self._turns is not None:
            self._turns.cancel()
            self._turns = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Send | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        send = rate_limit_args or Send()
        chat_id = data.get("chat_id")
        if chat_id is None:  # press answers, the command menu: not counted by Telegram
            return await callback(*args, **kwargs)
        with contextlib.suppress(TypeError, ValueError):
            chat_id = int(chat_id)  # one chat, whether its id came as a number or as text
        loop = asyncio.get_running_loop()
        while True:
            # A reply that finds the budget paused waits here, where a stop can cut it short.
            if send.retry and not await self._wait_out(self._paused_until - loop.time()):
                await self._give_up(endpoint, data, chat_id)
            await self._take_turn(chat_id, send.rank)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = retry_after_seconds(error)
                self._pause(wait)
                if not send.retry:
                    raise
                log.info("flood wait: %s to chat %s tried again in %.0f s", endpoint, chat_id, wait)

    async def _give_up(self, endpoint: str, data: dict[str, Any], chat_id: int | str) -> NoReturn:
        """The bot stops before the flood wait ends: the outbox takes the reply over."""
        left = self._paused_until - asyncio.get_running_loop().time()
        if self.hand_over is not None and await self.hand_over(endpoint, data):
            log.info("flood wait: %s to chat %s left to the outbox", endpoint, chat_id)
            raise HandedToOutbox("sent by the outbox after the next start")
        log.warning("flood wait: %s to chat %s not sent: the bot stops first", endpoint, chat_id)
        raise RetryAfter(max(1, round(left)))

    def _pause(self, seconds: float) -> None:
        self.flood_waits += 1
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, until)

    async def _wait_out(self, seconds: float) -> bool:
        """Sleep through a flood wait. False when the bot stops before it would end."""
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while (left := end - loop.time()) > 0:
            if shutdown.elapsed() is not None and left > shutdown.budget():
                return False
            await asyncio.sleep(min(left, 0.5))
        return True

    async def _take_turn(self, chat_id: int | str, rank: int) -> None:
        if not self._per_chat:
            await self._turn(rank)
            return
        pace = self._pace(chat_id)
        loop = asyncio.get_running_loop()
        async with pace.lock:  # one call per chat at a time keeps the chat's order
            wait = pace.wait(loop.time())
            if wait > 0:  # only calls for this chat add to `sent`, and they wait for the lock
                await asyncio.sleep(wait)
            await self._turn(rank)
            pace.sent.append(loop.time())

    def _pace(self, chat_id: int | str) -> _ChatPace:
        pace = self._chats.get(chat_id)
        if pace is None:
            if len(self._chats) > _IDLE_CHATS_KEPT:
                now = asyncio.get_running_loop().time()
                self._chats = {key: p for key, p in self._chats.items() if not p.idle(now)}
            private = isinstance(chat_id, int) and chat_id > 0
            pace = self._chats[chat_id] = _ChatPace(PRIVATE_CHAT if private else GROUP_CHAT)
        return pace

    async def _turn(self, rank: int) -> None:
        """Wait until the overall budget lets this call go; lower ranks go first."""
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (rank, next(self._order), turn))
        if self._turns is None or self._turns.done():
            self._turns = asyncio.create_task(self._give_turns(), name="sending-budget")
        await turn

    async def _give_turns(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            now = loop.time()
            due = max(self._next_turn, self._paused_until)
            if due > now:
                await asyncio.sleep(due - now)
                continue
            _rank, _order, turn = heapq.heappop(self._waiting)
            if turn.done():  # its caller gave up waiting
                continue
            turn.set_result(None)
            # Evenly spaced. After a late wake (a busy loop) it catches up a little, never with
            # a burst: at most two calls half an interval apart.
            self._next_turn = max(self._next_turn + self._interval, now + self._interval / 2)


def retry_after_seconds(error: RetryAfter) -> float:
    # python-telegram-bot 22 gives an int unless PTB_TIMEDELTA is set, then a timedelta.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
