"""A message from the organisers to one café's people: "the room changed", "bring your card".

The organiser writes it, sees it as the readers will and how many it reaches, then sends it.
It goes to everyone with a seat (and, when chosen, the waitlist) through the outbox, framed in
each reader's language, and the send is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import aiosqlite

from bot.cafes import store, texts
from bot.cafes.store import CONFIRMED, WAITING, Cafe
from bot.clock import Clock
from bot.db import Database
from bot.i18n import Translator, Translators, resolve_locale
from bot.moderation import store as audit
from bot.outbox import store as outbox
from bot.outbox.store import Priority
from bot.people.roles import Person
from bot.people.service import NotAllowed

# Room for the frame ("Message from the organisers of ...") within one Telegram message.
MAX_TEXT = 3500
# The organiser's words are kept as long as the outbox keeps what it sent, then they go.
KEEP_AFTER_CAFE = timedelta(days=30)


class MessageError(ValueError):
    """Why a message cannot be written: "empty", "too_long" or "no_cafe"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Audience:
    seated: int  # people with a seat, who can be reached
    waiting: int  # people on the waitlist, who can be reached


@dataclass(frozen=True)
class MessageDraft:
    id: int
    cafe: Cafe
    text: str
    audience: Audience


def framed(t: Translator, cafe: Cafe, text: str) -> str:
    """The message as a reader gets it: who it is from and which café, then the words."""
    intro = t.gettext("Message from the organisers of {title} ({when}):").format(
        title=t.isolate(cafe.title), when=t.isolate(texts.when(t, cafe))
    )
    return f"✉️ {intro}\n\n{text}"


class CafeMessaging:
    def __init__(
        self, db: Database, clock: Clock, translators: Translators, default_locale: str
    ) -> None:
        self._db = db
        self._clock = clock
        self._translators = translators
        self._default_locale = default_locale

    async def write(self, organiser: Person, cafe_id: int, text: str) -> MessageDraft:
        """Keep the organiser's text for the preview; nothing is sent yet."""
        _require_organiser(organiser)
        text = text.strip()
        if not text:
            raise MessageError("empty")
        if len(text) > MAX_TEXT:
            raise MessageError("too_long")
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            cafe = await _open_cafe(conn, cafe_id, now)
            message_id = await store.insert_message(conn, cafe_id, organiser.id, text, now)
            audience = _audience(await store.recipients(conn, cafe_id))
        return MessageDraft(message_id, cafe, text, audience)

    async def send(self, organiser: Person, message_id: int, to_waitlist: bool) -> int | None:
        """Queue the message for each reader, in their language. The number of people it
        goes to; None when the draft is not this organiser's or was handled already."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            message = await store.get_message(conn, message_id)
            if message is None or message.author_id != organiser.id or message.status != "draft":
                return None
            try:
                cafe = await _open_cafe(conn, message.cafe_id, now)
            except MessageError:
                await store.finish_message(conn, message_id, "cancelled", now)
                raise
            wanted = {CONFIRMED, WAITING} if to_waitlist else {CONFIRMED}
            readers = [r for r in await store.recipients(conn, cafe.id) if r.status in wanted]
            for reader in readers:
                t = self._translators[
                    resolve_locale(reader.locale, reader.telegram_locale, self._default_locale)
                ]
                await outbox.enqueue(
                    conn,
                    reader.user_id,
                    framed(t, cafe, message.text),
                    now=now,
                    priority=Priority.BULK,
                    dedupe_key=f"cafe-message:{message_id}:{reader.user_id}",
                )
            await store.finish_message(
                conn, message_id, "sent", now, to_waitlist=to_waitlist, recipients=len(readers)
            )
            scope = "seats and waitlist" if to_waitlist else "seats"
            await audit.log(
                conn,
                organiser.id,
                "message_cafe",
                f"cafe:{cafe.id}",
                f"{scope}: {len(readers)}",
                now,
            )
        return len(readers)

    async def cancel(self, organiser: Person, message_id: int) -> bool:
        _require_organiser(organiser)
        async with self._db.transaction() as conn:
            message = await store.get_message(conn, message_id)
            if message is None or message.author_id != organiser.id:
                return False
            return await store.finish_message(
                conn, message_id, "cancelled", self._clock.timestamp()
            )

    async def forget_old(self) -> int:
        """Job: messages about cafés that ended a month ago are not needed any more."""
        before = self._clock.now() - KEEP_AFTER_CAFE
        async with self._db.transaction() as conn:
            return await store.forget_messages_of_cafes_ended_before(conn, int(before.timestamp()))

    async def forget_person(
        self, conn: aiosqlite.Connection, user_id: int, _now: int, _keep_tips: bool
    ) -> None:
        """An organiser erases their data: the messages they wrote go (the audit line stays,
        without their name)."""
        await store.forget_messages_by(conn, user_id)


async def _open_cafe(conn: aiosqlite.Connection, cafe_id: int, now: int) -> Cafe:
    cafe = await store.get_cafe(conn, cafe_id)
    if cafe is None or cafe.status != "scheduled" or cafe.ends_at <= now:
        raise MessageError("no_cafe")
    return cafe


def _audience(recipients: list[store.Recipient]) -> Audience:
    return Audience(
        seated=sum(r.status == CONFIRMED for r in recipients),
        waiting=sum(r.status == WAITING for r in recipients),
    )


def _require_organiser(person: Person) -> None:
    if not person.is_organiser:
        raise NotAllowed(f"{person.id} is not an organiser")
