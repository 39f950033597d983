"""The outbox sender: drains queued messages at Telegram's pace and never loses a row.

Direct notifications go before bulk ones. Sends are pipelined (several in flight at once), so a
slow round trip to Telegram does not cap the rate; each chat still gets its messages in order,
spaced so that no private chat or group sees a burst.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections import defaultdict
from datetime import timedelta

from aiolimiter import AsyncLimiter
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.clock import Clock
from bot.db import Database
from bot.outbox import store
from bot.people import store as people_store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
MAX_BACKOFF_SECONDS = 300


class OutboxSender:
    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        *,
        messages_per_second: float = 30.0,
        private_chat_interval: float = 1.0,
        group_chat_interval: float = 3.0,
        lookahead: int = 32,
        background: bool = True,
    ) -> None:
        self._db = db
        self._bot = bot
        self._clock = clock
        # Evenly spaced, no burst at the start: Telegram counts per second, not on average.
        self._limiter = AsyncLimiter(1, 1.0 / messages_per_second)
        self._private_interval = private_chat_interval
        self._group_interval = group_chat_interval  # 20 per minute per group
        self._lookahead = lookahead  # chats with a message in flight at most
        self._background = background  # False: only explicit drain() calls send (tests)
        self._wake = asyncio.Event()
        self._paused_until = 0.0
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        """Something was enqueued: look now instead of at the next tick."""
        self._wake.set()

    async def start(self) -> None:
        async with self._db.transaction() as conn:
            requeued = await store.requeue_in_flight(conn)
        if requeued:
            log.info("outbox: %d messages in flight at the last stop are queued again", requeued)
        self._stopping = False
        if self._background:
            self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        """Finish the messages in flight, then stop; what is still queued waits in the file."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                handled = await self.drain()
            except Exception:
                log.exception("outbox: drain failed; trying again shortly")
                handled = 0
            if handled == 0 and not self._stopping:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=1.0)

    async def drain(self) -> int:
        """Send everything that is due now. Returns how many rows were handled.

        A steady pipeline: whenever a chat's messages are done, the next due rows are claimed,
        so the rate limit, not the round trip, sets the pace. A chat with a message in flight
        gets no second one until the first is answered, which keeps each chat's order.
        """
        handled = 0
        in_flight: dict[int, asyncio.Task[None]] = {}
        try:
            while not self._stopping:
                room = self._lookahead - len(in_flight)
                if room > 0:
                    async with self._db.transaction() as conn:
                        rows = await store.claim_due(
                            conn, self._clock.timestamp(), room, in_flight.keys()
                        )
                    by_chat: dict[int, list[store.OutboxRow]] = defaultdict(list)
                    for row in rows:
                        by_chat[row.recipient_id].append(row)
                    for chat_id, chat_rows in by_chat.items():
                        in_flight[chat_id] = asyncio.create_task(self._send_chat(chat_rows))
                    handled += len(rows)
                if not in_flight:
                    break
                await asyncio.wait(in_flight.values(), return_when=asyncio.FIRST_COMPLETED)
                for chat_id, task in list(in_flight.items()):
                    if task.done():
                        del in_flight[chat_id]
                        if task.exception() is not None:
                            log.error("outbox: sending failed", exc_info=task.exception())
        except asyncio.CancelledError:
            # Killed: what was in flight stays marked so, and is sent again after a restart.
            for task in in_flight.values():
                task.cancel()
            raise
        if in_flight:
            await asyncio.gather(*in_flight.values(), return_exceptions=True)
        return handled

    async def _send_chat(self, rows: list[store.OutboxRow]) -> None:
        interval = self._group_interval if rows[0].recipient_id < 0 else self._private_interval
        loop = asyncio.get_running_loop()
        for index, row in enumerate(rows):
            if index:
                await asyncio.sleep(interval)
            if self._paused_until > loop.time():
                await asyncio.sleep(self._paused_until - loop.time())
            await self._limiter.acquire()
            if not await self._send(row):
                # Keep this chat's order: the rest waits for the next round.
                await self._release(rows[index + 1 :])
                return

    async def _release(self, rows: list[store.OutboxRow]) -> None:
        if not rows:
            return
        async with self._db.transaction() as conn:
            for row in rows:
                await store.retry_later(conn, row.id, self._clock.timestamp(), "held back")

    async def _send(self, row: store.OutboxRow) -> bool:
        markup = (
            InlineKeyboardMarkup.de_json(row.reply_markup, self._bot) if row.reply_markup else None
        )
        try:
            if row.voice is not None:
                await self._bot.send_voice(
                    row.recipient_id, row.voice, caption=row.text or None, reply_markup=markup
                )
            else:
                await self._bot.send_message(row.recipient_id, row.text, reply_markup=markup)
        except RetryAfter as error:
            wait = _seconds(error)
            self._paused_until = asyncio.get_running_loop().time() + wait
            await self._record_retry(row, wait, f"retry after {wait:.0f}s")
            return False
        except Forbidden as error:
            await self._record_unreachable(row, str(error))
            return False
        except BadRequest as error:
            await self._record_failure(row, f"bad request: {error}")
            return True
        except NetworkError as error:  # includes TimedOut
            if row.attempts >= MAX_ATTEMPTS:
                await self._record_failure(row, f"gave up after {row.attempts} attempts: {error}")
                return True
            backoff = min(2**row.attempts, MAX_BACKOFF_SECONDS)
            await self._record_retry(row, backoff, f"network: {error}")
            return False
        except TelegramError as error:
            await self._record_failure(row, f"telegram: {error}")
            return True
        async with self._db.transaction() as conn:
            await store.mark_sent(conn, row.id, self._clock.timestamp())
        return True

    async def _record_retry(self, row: store.OutboxRow, wait: float, reason: str) -> None:
        log.info("outbox: message %d will be retried in %.0fs (%s)", row.id, wait, reason)
        async with self._db.transaction() as conn:
            await store.retry_later(conn, row.id, self._clock.timestamp() + int(wait) + 1, reason)

    async def _record_failure(self, row: store.OutboxRow, reason: str) -> None:
        log.warning("outbox: message %d failed: %s", row.id, reason)
        async with self._db.transaction() as conn:
            await store.mark_failed(conn, row.id, reason, self._clock.timestamp())

    async def _record_unreachable(self, row: store.OutboxRow, reason: str) -> None:
        log.info("outbox: recipient of message %d is unreachable", row.id)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            await people_store.mark_reachable(conn, row.recipient_id, False, now)
            await store.drop_for_recipient(conn, row.recipient_id, f"unreachable: {reason}", now)


def _seconds(error: RetryAfter) -> float:
    # python-telegram-bot 22 gives an int unless PTB_TIMEDELTA is set, then a timedelta.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
