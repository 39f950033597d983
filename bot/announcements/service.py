"""The rules of announcements: only organisers announce, to subscribers, once, in their language."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import aiosqlite

from bot import ui
from bot.announcements import store
from bot.cafes import store as cafe_store
from bot.cafes import texts as cafe_texts
from bot.cafes.service import JOIN
from bot.cafes.store import WAITING
from bot.clock import Clock
from bot.db import Database
from bot.i18n import Translator, Translators, resolve_locale
from bot.moderation import store as audit
from bot.outbox import store as outbox
from bot.people import store as people_store
from bot.people.roles import Person
from bot.people.service import NotAllowed

BATCH_PREFIX = "ann"


@dataclass(frozen=True)
class Draft:
    id: int
    subscribers: int


class SendOutcome(Enum):
    QUEUED = "queued"
    ALREADY_HANDLED = "already_handled"  # sent or cancelled before: a second press
    NOT_FOUND = "not_found"  # no such draft of yours


@dataclass(frozen=True)
class Progress:
    announcement: store.Announcement
    counts: outbox.BatchCounts
    finished_now: bool  # this check saw the last message go out
    author_locale: str


class AnnouncementService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        translators: Translators,
        community_name: str,
        default_locale: str,
    ) -> None:
        self._db = db
        self._clock = clock
        self._translators = translators
        self._community_name = community_name
        self._default_locale = default_locale

    def framed(self, t: Translator, text: str) -> str:
        """The announcement as a recipient reading `t`'s language sees it."""
        heading = t.gettext("Announcement from {community}:").format(
            community=t.isolate(self._community_name)
        )
        return f"{heading}\n\n{text}"

    async def draft(self, author: Person, text: str, cafe_id: int | None = None) -> Draft:
        """A draft of the organiser's text, or of a café (shown to each in their language)."""
        if not author.is_organiser:
            raise NotAllowed(f"{author.id} may not announce")
        text = text.strip()
        if not text and cafe_id is None:
            raise ValueError("an announcement needs text")
        async with self._db.transaction() as conn:
            announcement_id = await store.insert_draft(
                conn, author.id, text, cafe_id, self._clock.timestamp()
            )
            subscribers = await people_store.count_reachable_subscribers(conn)
        return Draft(announcement_id, subscribers)

    async def rendered(
        self, conn: aiosqlite.Connection, t: Translator, announcement: store.Announcement
    ) -> tuple[str, dict | None]:
        """The message and buttons as a reader of `t`'s language receives the announcement."""
        if announcement.cafe_id is None:
            return self.framed(t, announcement.text), None
        cafe = await cafe_store.get_cafe(conn, announcement.cafe_id)
        if cafe is None:
            return self.framed(t, announcement.text), None
        counts = (await cafe_store.counts(conn, [cafe.id]))[cafe.id]
        full = cafe_texts.is_full(cafe, counts)
        label = t.gettext("Join the waitlist") if full else t.gettext("Sign up")
        buttons = ui.keyboard_json([[(label, ui.encode(JOIN, cafe.id, "l"))]])
        return self.framed(t, cafe_texts.card(t, cafe, counts)), buttons

    async def _rendered_for_signed_up(
        self,
        conn: aiosqlite.Connection,
        t: Translator,
        announcement: store.Announcement,
        signup: cafe_store.Signup,
    ) -> tuple[str, dict | None]:
        cafe = await cafe_store.get_cafe(conn, signup.cafe_id)
        if cafe is None:
            return await self.rendered(conn, t, announcement)
        position = (
            await cafe_store.waiting_position(conn, signup) if signup.status == WAITING else 0
        )
        status = cafe_texts.own_status(t, signup.status, signup.kind, position)
        return self.framed(t, f"{cafe_texts.card(t, cafe)}\n\n{status}"), None

    async def preview(self, t: Translator, announcement_id: int) -> tuple[str, dict | None]:
        announcement = await store.get(self._db.reader, announcement_id)
        if announcement is None:
            raise LookupError(announcement_id)
        return await self.rendered(self._db.reader, t, announcement)

    async def send(self, author: Person, announcement_id: int) -> tuple[SendOutcome, int]:
        """Queue the announcement for every reachable subscriber, in one transaction.

        Returns the outcome and how many people it was queued for.
        """
        if not author.is_organiser:
            raise NotAllowed(f"{author.id} may not announce")
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            announcement = await store.get(conn, announcement_id)
            if announcement is None or announcement.author_id != author.id:
                return SendOutcome.NOT_FOUND, 0
            if not await store.start_sending(conn, announcement_id, now):
                return SendOutcome.ALREADY_HANDLED, announcement.recipients or 0
            recipients = await people_store.reachable_subscribers(conn)
            by_locale: dict[str, tuple[str, dict | None]] = {}
            # Someone signed up for the announced café reads their own place, not "Sign up".
            signed_up = (
                await cafe_store.active_signups_of_cafe(conn, announcement.cafe_id)
                if announcement.cafe_id is not None
                else {}
            )
            messages = []
            for recipient in recipients:
                locale = resolve_locale(
                    recipient.locale, recipient.telegram_locale, self._default_locale
                )
                if recipient.id in signed_up:
                    own = await self._rendered_for_signed_up(
                        conn, self._translators[locale], announcement, signed_up[recipient.id]
                    )
                    messages.append((recipient.id, *own))
                    continue
                if locale not in by_locale:
                    by_locale[locale] = await self.rendered(
                        conn, self._translators[locale], announcement
                    )
                messages.append((recipient.id, *by_locale[locale]))
            await outbox.enqueue_many(
                conn,
                messages,
                now=now,
                batch_id=announcement_id,
                dedupe_prefix=f"{BATCH_PREFIX}:{announcement_id}",
            )
            await store.set_recipients(conn, announcement_id, len(recipients))
            await audit.log(conn, author.id, "announce", f"announcement:{announcement_id}", "", now)
        return SendOutcome.QUEUED, len(recipients)

    async def show_progress_in(self, announcement_id: int, chat_id: int, message_id: int) -> None:
        """The message that the progress job keeps up to date for the organiser."""
        async with self._db.transaction() as conn:
            await store.set_progress_message(conn, announcement_id, chat_id, message_id)

    async def cancel(self, author: Person, announcement_id: int) -> bool:
        if not author.is_organiser:
            raise NotAllowed(f"{author.id} may not announce")
        async with self._db.transaction() as conn:
            announcement = await store.get(conn, announcement_id)
            if announcement is None or announcement.author_id != author.id:
                return False
            return await store.cancel(conn, announcement_id, self._clock.timestamp())

    async def check_progress(self) -> list[Progress]:
        """How far each running announcement is; the finished ones are closed, and their
        author gets a summary through the outbox."""
        progress = []
        for announcement in await store.sending(self._db.reader):
            counts = await outbox.batch_counts(self._db.reader, announcement.id)
            author = (
                await people_store.get_user(self._db.reader, announcement.author_id)
                if announcement.author_id is not None
                else None
            )
            locale = (
                resolve_locale(author.locale, author.telegram_locale, self._default_locale)
                if author
                else self._default_locale
            )
            finished_now = False
            if counts.finished:
                async with self._db.transaction() as conn:
                    finished_now = await store.finish(
                        conn, announcement.id, self._clock.timestamp()
                    )
                    if finished_now and author is not None:
                        await self._send_summary(conn, announcement, counts, locale)
            progress.append(Progress(announcement, counts, finished_now, locale))
        return progress

    async def _send_summary(
        self,
        conn: aiosqlite.Connection,
        announcement: store.Announcement,
        counts: outbox.BatchCounts,
        locale: str,
    ) -> None:
        t = self._translators[locale]
        text = "\n".join(
            [
                t.gettext("Your announcement has been sent."),
                t.gettext("Delivered: {count}").format(count=t.number(counts.delivered)),
                t.gettext("Unreachable (blocked the bot): {count}").format(
                    count=t.number(counts.unreachable)
                ),
                t.gettext("Failed: {count}").format(count=t.number(counts.failed)),
            ]
        )
        await outbox.enqueue(
            conn,
            announcement.author_id,
            text,
            now=self._clock.timestamp(),
            dedupe_key=f"{BATCH_PREFIX}:{announcement.id}:summary",
        )

    # -- privacy ------------------------------------------------------------------------------

    async def forget_person(
        self, conn: aiosqlite.Connection, user_id: int, _now: int, _keep_tips: bool
    ) -> None:
        """Someone erases their data: announcements they did not send go (ON DELETE SET NULL
        then leaves the sent ones without their author)."""
        await store.forget_author(conn, user_id)
