"""The outbox sender: drains queued messages at Telegram's pace and never loses a row.

Direct notifications go before bulk ones. Sends are pipelined (several in flight at once), so a
slow round trip to Telegram does not cap the rate; each chat still gets its messages in order,
spaced so that no private chat or group sees a burst.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

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
        messages_per_second: float = 28.0,
        private_chat_interval: float = 1.0,
        group_chat_interval: float = 3.0,
        max_in_flight: int = 16,
        batch_size: int = 120,
        background: bool = True,
    ) -> None:
        self._db = db
        self._bot = bot
        self._clock = clock
        # A little under Telegram's 30/s, so replies to people who are talking still fit.
        self._limiter = AsyncLimiter(messages_per_second, 1.0)
        self._private_interval = private_chat_interval
        self._group_interval = group_chat_interval  # 20 per minute per group
        self._in_flight = asyncio.Semaphore(max_in_flight)
        self._batch_size = batch_size
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
        """Send everything that is due now. Returns how many rows were handled."""
        handled = 0
        while not self._stopping:
            async with self._db.transaction() as conn:
                rows = await store.claim_due(conn, self._clock.timestamp(), self._batch_size)
            if not rows:
                break
            by_chat: dict[int, list[store.OutboxRow]] = defaultdict(list)
            for row in rows:
                by_chat[row.recipient_id].append(row)
            await asyncio.gather(*(self._send_chat(chat_rows) for chat_rows in by_chat.values()))
            handled += len(rows)
        return handled

    async def _send_chat(self, rows: list[store.OutboxRow]) -> None:
        interval = self._group_interval if rows[0].recipient_id < 0 else self._private_interval
        loop = asyncio.get_running_loop()
        for index, row in enumerate(rows):
            if index:
                await asyncio.sleep(interval)
            if self._paused_until > loop.time():
                await asyncio.sleep(self._paused_until - loop.time())
            async with self._in_flight:
                await self._limiter.acquire()
                delivered = await self._send(row)
            if not delivered:
                # Keep this chat's order: the rest waits for the next drain.
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
            await self._bot.send_message(row.recipient_id, row.text, reply_markup=markup)
        except RetryAfter as error:
            wait = error.retry_after.total_seconds()
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
