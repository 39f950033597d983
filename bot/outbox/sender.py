"""The outbox sender: drains queued messages at Telegram's pace and never loses a row.

Direct notifications go before bulk ones. Sends are pipelined (one message in flight for each of
many chats), so a slow round trip to Telegram does not cap the rate, and one chat with a long
queue never holds up the others; each chat still gets its messages in order. The pace itself
comes from the sending budget that replies share (bot.sending_budget).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.clock import Clock
from bot.db import Database
from bot.outbox import store
from bot.people import store as people_store
from bot.sending_budget import OUTBOX_BULK, OUTBOX_DIRECT, Send, retry_after_seconds

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
        lookahead: int = 32,
        background: bool = True,
    ) -> None:
        """`bot` must be the Application's bot: its rate limiter is the shared sending budget."""
        self._db = db
        self._bot = bot
        self._clock = clock
        self._lookahead = lookahead  # chats with a message in flight at most
        self._background = background  # False: only explicit drain() calls send (tests)
        self._wake = asyncio.Event()
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

        A steady pipeline: each claim takes the next message of each chat that has none in
        flight, so a chat with 500 queued gets one at a time beside everyone else's, and the
        budget, not the round trip or one busy chat, sets the pace. A message enqueued meanwhile
        (wake) is claimed at once.
        """
        handled = 0
        in_flight: dict[int, asyncio.Task[None]] = {}
        try:
            while not self._stopping:
                self._wake.clear()
                room = self._lookahead - len(in_flight)
                if room > 0:
                    async with self._db.transaction() as conn:
                        rows = await store.claim_due(
                            conn, self._clock.timestamp(), room, in_flight.keys()
                        )
                    for row in rows:
                        in_flight[row.recipient_id] = asyncio.create_task(self._send(row))
                    handled += len(rows)
                if not in_flight:
                    break
                woken = asyncio.ensure_future(self._wake.wait())
                await asyncio.wait(
                    [*in_flight.values(), woken], return_when=asyncio.FIRST_COMPLETED
                )
                woken.cancel()
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

    async def _send(self, row: store.OutboxRow) -> None:
        markup = (
            InlineKeyboardMarkup.de_json(row.reply_markup, self._bot) if row.reply_markup else None
        )
        # A 429 comes back to us (after the budget paused everyone): the row records the wait.
        budget = Send(rank=OUTBOX_BULK if row.bulk else OUTBOX_DIRECT, retry=False)
        try:
            await self._deliver(row, markup, budget)
        except RetryAfter as error:
            wait = retry_after_seconds(error)
            await self._record_retry(row, wait, f"retry after {wait:.0f}s")
            return
        except Forbidden as error:
            await self._record_unreachable(row, str(error))
            return
        except BadRequest as error:
            await self._record_failure(row, f"bad request: {error}")
            return
        except NetworkError as error:  # includes TimedOut
            if row.attempts >= MAX_ATTEMPTS:
                await self._record_failure(row, f"gave up after {row.attempts} attempts: {error}")
                return
            backoff = min(2**row.attempts, MAX_BACKOFF_SECONDS)
            await self._record_retry(row, backoff, f"network: {error}")
            return
        except TelegramError as error:
            await self._record_failure(row, f"telegram: {error}")
            return
        async with self._db.transaction() as conn:
            await store.mark_sent(conn, row.id, self._clock.timestamp())

    async def _deliver(
        self, row: store.OutboxRow, markup: InlineKeyboardMarkup | None, budget: Send
    ) -> None:
        """One Bot API call: the text, or the file with the text as its caption."""
        file = row.attachment
        if file is None:
            await self._bot.send_message(
                row.recipient_id, row.text, reply_markup=markup, rate_limit_args=budget
            )
            return
        sent = (
            file.file_id
            if file.file_id is not None
            else InputFile(file.content or b"", filename=file.name or "file")
        )
        send = {
            "voice": self._bot.send_voice,
            "photo": self._bot.send_photo,
            "document": self._bot.send_document,
        }[file.kind]
        await send(
            row.recipient_id,
            sent,
            caption=row.text or None,
            reply_markup=markup,
            rate_limit_args=budget,
        )

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
