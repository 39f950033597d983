"""The rules of going along: a newcomer asks, a key person who reads their language says yes,
and only when the newcomer confirms do the two learn who the other is."""

from __future__ import annotations

from enum import Enum

import aiosqlite

from bot import ui
from bot.accompaniment import store
from bot.accompaniment.store import Contact, Request
from bot.clock import Clock
from bot.db import Database
from bot.i18n import N_, Translator, Translators, language_name, resolve_locale
from bot.moderation import store as moderation_store
from bot.outbox import store as outbox
from bot.people.roles import Person

KINDS: dict[str, str] = {
    "gp": N_("The GP (huisarts)"),
    "police": N_("The police"),
    "school": N_("A school meeting"),
    "municipality": N_("The municipality"),
    "other": N_("Something else"),
}
MAX_NOTE_CHARS = 500
TAKE = "acc_take"
CONFIRM = "acc_ok"
DECLINE = "acc_no"


class TakeOutcome(Enum):
    TAKEN = "taken"
    TOO_LATE = "too_late"  # another key person said yes first
    NOT_ALLOWED = "not_allowed"


def usable_note(words: str) -> str | None:
    """When and where, as a key person will read it; None: empty, or longer than fits."""
    note = words.strip()
    return note if note and len(note) <= MAX_NOTE_CHARS else None


class AccompanimentService:
    def __init__(
        self, db: Database, clock: Clock, translators: Translators, default_locale: str
    ) -> None:
        self._db = db
        self._clock = clock
        self._translators = translators
        self._default_locale = default_locale

    def _t(self, someone: Person | Contact) -> Translator:
        locale = resolve_locale(someone.locale, someone.telegram_locale, self._default_locale)
        return self._translators[locale]

    async def request(
        self, person: Person, kind: str, note: str, languages: list[str]
    ) -> int | None:
        """Ask key persons who read one of `languages`; returns how many were asked.

        None: the person may not ask (blocked), or the request is not usable.
        """
        note = usable_note(note)
        if kind not in KINDS or note is None:
            return None
        if await moderation_store.is_blocked(self._db.reader, person.id):
            return None
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            request_id = await store.insert(conn, person.id, kind, languages[0], note, now)
            request = await store.get(conn, request_id)
            assert request is not None
            key_persons = await store.key_persons_for(conn, languages, person.id)
            for key_person in key_persons:
                t = self._t(key_person)
                await outbox.enqueue(
                    conn,
                    key_person.user_id,
                    self.request_text(t, request),
                    now=now,
                    reply_markup=ui.keyboard_json(
                        [[(t.gettext("I can go"), ui.encode(TAKE, request_id))]]
                    ),
                    dedupe_key=f"accompany:{request_id}:{key_person.user_id}",
                    about=[person.id],  # the note is their words
                )
        return len(key_persons)

    def request_text(self, t: Translator, request: Request) -> str:
        """What key persons see: what, in which language, when and where. Not who."""
        return "\n".join(
            [
                t.gettext("🤝 Someone asks for a key person to go along."),
                t.gettext("To: {what}").format(what=t.gettext(KINDS[request.kind])),
                t.gettext("Language: {language}").format(language=language_name(request.locale)),
                t.gettext("When and where: {note}").format(note=t.isolate(request.note)),
            ]
        )

    async def take(self, key_person: Person, request_id: int) -> TakeOutcome:
        if not key_person.is_key_person:
            return TakeOutcome.NOT_ALLOWED
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            request = await store.get(conn, request_id)
            if request is None or request.requester_id == key_person.id:
                return TakeOutcome.NOT_ALLOWED
            if not await store.take(conn, request_id, key_person.id, now):
                return TakeOutcome.TOO_LATE
            requester = await store.contact(conn, request.requester_id)
            if requester is not None:
                t = self._t(requester)
                await outbox.enqueue(
                    conn,
                    requester.user_id,
                    "\n\n".join(
                        [
                            t.gettext("A key person can go with you."),
                            self.request_text(t, request).split("\n", 1)[1],
                            t.gettext("Shall I give you each other's contact?"),
                        ]
                    ),
                    now=now,
                    reply_markup=ui.keyboard_json(
                        [
                            [(t.gettext("Yes, share our contact"), ui.encode(CONFIRM, request_id))],
                            [(t.gettext("No, cancel"), ui.encode(DECLINE, request_id))],
                        ]
                    ),
                    dedupe_key=f"accompany-taken:{request_id}",
                    about=[key_person.id],  # their offer: it goes if they leave
                )
        return TakeOutcome.TAKEN

    async def answer(self, requester: Person, request_id: int, confirmed: bool) -> bool:
        """The requester's yes (contacts are exchanged) or no (the key person is told)."""
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            request = await store.get(conn, request_id)
            if (
                request is None
                or request.requester_id != requester.id
                or request.status != "accepted"
                or request.key_person_id is None
            ):
                return False
            await store.finish(conn, request_id, "confirmed" if confirmed else "cancelled", now)
            key_person = await store.contact(conn, request.key_person_id)
            me = await store.contact(conn, requester.id)
            if key_person is None or me is None:
                return True
            if confirmed:
                await self._introduce(conn, me, key_person, request_id, now)
                await self._introduce(conn, key_person, me, request_id, now)
            else:
                t = self._t(key_person)
                await outbox.enqueue(
                    conn,
                    key_person.user_id,
                    t.gettext("The person no longer needs someone to go along. Thank you!"),
                    now=now,
                    dedupe_key=f"accompany-cancelled:{request_id}",
                    about=[requester.id],
                )
        return True

    async def _introduce(
        self, conn: aiosqlite.Connection, to: Contact, other: Contact, request_id: int, now: int
    ) -> None:
        t = self._t(to)
        await outbox.enqueue(
            conn,
            to.user_id,
            t.gettext("You can now write to each other: {name}.").format(
                name=t.isolate(other.first_name)
            ),
            now=now,
            reply_markup={
                "inline_keyboard": [
                    [{"text": t.gettext("Open the chat"), "url": f"tg://user?id={other.user_id}"}]
                ]
            },
            dedupe_key=f"accompany-contact:{request_id}:{to.user_id}",
            about=[other.user_id],  # their name, and their id in the button
        )

    # -- privacy ------------------------------------------------------------------------------

    async def forget_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int, _keep_tips: bool
    ) -> None:
        """Someone erases their data: their requests go; if they were about to go along with
        someone, that person hears that they must ask again."""
        await store.forget_requester(conn, user_id)
        for request in await store.drop_key_person(conn, user_id, now):
            requester = await store.contact(conn, request.requester_id)
            if requester is None:
                continue
            t = self._t(requester)
            await outbox.enqueue(
                conn,
                requester.user_id,
                t.gettext(
                    "The key person who could go with you can no longer go. Please ask again "
                    "with /keyperson."
                ),
                now=now,
                dedupe_key=f"accompany-gone:{request.id}",
            )
