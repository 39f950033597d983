"""The rules of community tips.

A tip is written in its author's language and has a category; it may carry a photo, a place
(a Telegram location or venue) and a city or neighbourhood. Tips of people who joined recently
wait for an organiser's approval; other tips appear at once. After `fresh_after` the author is
asked whether the tip is still right. A tip whose author does not answer within `answer_within`,
or that enough people flag as outdated, is hidden until an organiser looks at it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

import aiosqlite

from bot import search as fulltext
from bot import ui
from bot.clock import Clock
from bot.db import Database
from bot.i18n import Translator, Translators, language_name, resolve_locale
from bot.moderation import store as moderation_store
from bot.moderation.service import Content
from bot.outbox import store as outbox
from bot.outbox.store import Attachment
from bot.people.roles import Person
from bot.people.service import NotAllowed
from bot.tips import store
from bot.tips.categories import CATEGORIES
from bot.tips.store import SEARCH_TABLE, Reader, Tip

MAX_TIP_CHARS = 2000
UNCHOSEN = "other"  # the category of a tip written before one was chosen, until it is
MAX_AREA_CHARS = 80
MAX_PLACE_CHARS = 200
DRAFTS_KEPT = timedelta(days=7)
EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # of latitude; of longitude at the equator
# Button actions on messages that wait in the outbox (handlers.py handles them).
FRESH = "tip_fresh"
MODERATE = "tip_mod"


class Field(Enum):
    """What an author can change in a tip."""

    TEXT = "text"
    PHOTO = "photo"
    PLACE = "place"
    AREA = "area"


class Sort(Enum):
    NEWEST = "new"
    HELPFUL = "top"


class Refusal(Enum):
    BLOCKED = "blocked"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_WORDS = "no_words"  # only emoji or punctuation


class Refused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


class Rating(Enum):
    """What became of a Helpful vote or an "Outdated?" flag."""

    COUNTED = "counted"
    ALREADY = "already"
    OWN_TIP = "own_tip"
    SENT_FOR_REVIEW = "sent_for_review"  # the flag that made the tip wait for an organiser


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    name: str | None = None  # a venue's title and address


@dataclass(frozen=True)
class Page:
    tips: list[Tip]
    offset: int
    total: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.tips) < self.total


@dataclass(frozen=True)
class Found:
    tips: list[Tip]
    more: bool  # there are other matches than these


@dataclass(frozen=True)
class Near:
    tip: Tip
    km: float


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): plenty precise for "within a few kilometres"."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _clean_text(text: str | None, limit: int) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise Refused(Refusal.EMPTY)
    if len(cleaned) > limit:
        raise Refused(Refusal.TOO_LONG)
    if not ui.has_words(cleaned):
        raise Refused(Refusal.NO_WORDS)
    return cleaned


def _checked_place(place: Place) -> Place:
    if not (-90 <= place.latitude <= 90 and -180 <= place.longitude <= 180):
        raise ValueError(f"not a place on earth: {place}")
    name = (place.name or "").strip()[:MAX_PLACE_CHARS] or None
    return Place(place.latitude, place.longitude, name)


def _search_body(tip: Tip) -> str:
    return "\n".join(part for part in (tip.text, tip.area, tip.place) if part)


class TipService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        translators: Translators,
        default_locale: str,
        admin_ids: frozenset[int] = frozenset(),
        *,
        approval_days: int = 7,
        fresh_after: timedelta = timedelta(days=180),
        answer_within: timedelta = timedelta(days=30),
        outdated_flags: int = 3,
        nearby_km: float = 5.0,
        page_size: int = 5,
    ) -> None:
        self._db = db
        self._clock = clock
        self._translators = translators
        self._default_locale = default_locale
        self._admin_ids = admin_ids
        self._approval_period = timedelta(days=approval_days)
        self._fresh_after = fresh_after
        self._answer_within = answer_within
        self._outdated_flags = outdated_flags
        self.nearby_km = nearby_km
        self.page_size = page_size
        self._words = fulltext.WordCounts(SEARCH_TABLE)

    def locale_of(self, someone: Person | Reader) -> str:
        return resolve_locale(someone.locale, someone.telegram_locale, self._default_locale)

    # -- sharing ------------------------------------------------------------------------------

    async def check_can_share(self, person: Person) -> None:
        """The same block list as for questions: a blocked person shares nothing."""
        if await moderation_store.is_blocked(self._db.reader, person.id):
            raise Refused(Refusal.BLOCKED)

    async def start(
        self, person: Person, category: str, text: str | None, photo: str | None
    ) -> Tip:
        """A draft in the author's language; nobody sees it until it is published."""
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        cleaned = _clean_text(text, MAX_TIP_CHARS)
        await self.check_can_share(person)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            tip_id = await store.insert_tip(
                conn, person.id, category, self.locale_of(person), cleaned, photo, now
            )
            tip = await store.get_tip(conn, tip_id)
        assert tip is not None
        return tip

    async def start_before_category(
        self, person: Person, text: str | None, photo: str | None
    ) -> Tip:
        """A tip written after /tip but before a category was chosen: a draft under "other"
        until `choose_category`, so that nothing the person wrote is lost."""
        return await self.start(person, UNCHOSEN, text, photo)

    async def add_to_draft(
        self, person: Person, tip_id: int, text: str | None, photo: str | None
    ) -> Tip | None:
        """Another message for a draft still waiting for its category: its words join the
        text, its photo replaces the photo. None: not their draft (any more)."""
        tip = await self.editable(person, tip_id)
        if tip is None or tip.status != "draft":
            return None
        joined = "\n".join(part for part in (tip.text, (text or "").strip()) if part)
        changed = await self.change(person, tip_id, Field.TEXT, joined)
        if photo is not None and changed is not None:
            changed = await self.change(person, tip_id, Field.PHOTO, photo)
        return changed

    async def choose_category(self, person: Person, tip_id: int, category: str) -> Tip | None:
        """The category of a tip written before one was chosen (`start_before_category` kept
        it under "other" meanwhile). A draft only: a published tip keeps the category it was
        found under."""
        if category not in CATEGORIES:
            return None
        tip = await self.editable(person, tip_id)
        if tip is None or tip.status != "draft":
            return None
        return await self._edit(person, tip_id, {"category": category})

    def _may_edit(self, person: Person, tip: Tip | None) -> bool:
        if tip is None or tip.author_id != person.id:
            return False
        # A tip an organiser hid stays as it is; the author can still delete it.
        return tip.status != "hidden" or tip.review == "author"

    async def editable(self, person: Person, tip_id: int) -> Tip | None:
        """The tip, if this person wrote it and may change it now."""
        tip = await store.get_tip(self._db.reader, tip_id)
        if not self._may_edit(person, tip):
            return None
        if await moderation_store.is_blocked(self._db.reader, person.id):
            return None
        return tip

    async def change(
        self, person: Person, tip_id: int, field: Field, value: str | Place
    ) -> Tip | None:
        """Change one part of one's own tip. None: not theirs (any more) to change."""
        changes: dict[str, object]
        if field is Field.TEXT:
            changes = {"text": _clean_text(str(value), MAX_TIP_CHARS)}
        elif field is Field.AREA:
            changes = {"area": _clean_text(str(value), MAX_AREA_CHARS)}
        elif field is Field.PHOTO:
            changes = {"photo": str(value)}
        else:
            if not isinstance(value, Place):
                raise ValueError("a place needs coordinates")
            place = _checked_place(value)
            changes = {"latitude": place.latitude, "longitude": place.longitude}
            changes["place"] = place.name
        return await self._edit(person, tip_id, changes)

    async def clear(self, person: Person, tip_id: int, field: Field) -> Tip | None:
        """Take the photo, place or area off one's own tip (a tip always keeps its text)."""
        changes: dict[str, object] = {
            Field.PHOTO: {"photo": None},
            Field.PLACE: {"latitude": None, "longitude": None, "place": None},
            Field.AREA: {"area": None},
        }.get(field, {})
        if not changes:
            raise ValueError(f"{field} cannot be removed")
        return await self._edit(person, tip_id, changes)

    async def _edit(self, person: Person, tip_id: int, changes: dict[str, object]) -> Tip | None:
        if await moderation_store.is_blocked(self._db.reader, person.id):
            return None
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            tip = await store.get_tip(conn, tip_id)
            if not self._may_edit(person, tip):
                return None
            assert tip is not None
            await store.set_tip(conn, tip_id, **changes)
            if tip.status != "draft":
                await self._refresh_after_edit(conn, tip, person, now)
            return await store.get_tip(conn, tip_id)

    async def _refresh_after_edit(
        self, conn: aiosqlite.Connection, tip: Tip, author: Person, now: int
    ) -> None:
        """An edited tip is fresh again, and the old "Outdated?" flags were about the old text.

        A tip the author hid as outdated comes back; a recently joined author's edit waits
        for an organiser like their first version did."""
        await store.set_tip(conn, tip.id, confirmed_at=now, fresh_asked_at=None)
        await store.clear_outdated_flags(conn, tip.id)
        updated = await store.get_tip(conn, tip.id)
        assert updated is not None
        await fulltext.index(conn, SEARCH_TABLE, tip.id, _search_body(updated))
        comes_back = tip.status == "hidden" and tip.review == "author"
        if tip.status == "visible" or comes_back:
            if await self._needs_approval(conn, author, now):
                await store.set_tip(conn, tip.id, status="pending", review="new_author")
                await self._ask_organisers(conn, updated, "new_author", now)
            elif comes_back:
                await store.set_tip(conn, tip.id, status="visible", review=None)

    async def _needs_approval(self, conn: aiosqlite.Connection, author: Person, now: int) -> bool:
        """Someone who joined less than `approval_days` ago; organisers never wait."""
        if author.is_organiser:
            return False
        joined = await store.joined_at(conn, author.id)
        return joined is None or now - joined < self._approval_period.total_seconds()

    async def publish(self, person: Person, tip_id: int) -> Tip | None:
        """Show the draft to everyone, or, for someone who joined recently, to an organiser."""
        await self.check_can_share(person)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            tip = await store.get_tip(conn, tip_id)
            if tip is None or tip.author_id != person.id or tip.status != "draft":
                return None
            if await self._needs_approval(conn, person, now):
                await store.set_tip(conn, tip_id, status="pending", review="new_author")
                await self._ask_organisers(conn, tip, "new_author", now)
            else:
                await store.set_tip(conn, tip_id, status="visible", published_at=now)
            await store.set_tip(conn, tip_id, confirmed_at=now)
            await fulltext.index(conn, SEARCH_TABLE, tip_id, _search_body(tip))
            return await store.get_tip(conn, tip_id)

    async def delete(self, person: Person, tip_id: int) -> bool:
        """Authors may always delete their own tips, whatever became of them."""
        async with self._db.transaction() as conn:
            tip = await store.get_tip(conn, tip_id)
            if tip is None or tip.author_id != person.id:
                return False
            await store.delete_tip(conn, tip_id)
            await fulltext.remove(conn, SEARCH_TABLE, tip_id)
        return True

    async def unfinished_draft(self, person: Person) -> Tip | None:
        """The tip this person started and did not publish (nor discard), if any: /tip offers
        to go on with it, so what they wrote is not lost to a /cancel."""
        tip_id = await store.latest_draft_id(self._db.reader, person.id)
        return await store.get_tip(self._db.reader, tip_id) if tip_id else None

    async def own_tips(self, person: Person, limit: int = 20) -> list[Tip]:
        return await store.tips_by_author(self._db.reader, person.id, limit)

    # -- finding ------------------------------------------------------------------------------

    async def browse(
        self,
        person: Person,
        category: str | None,
        sort: Sort,
        all_languages: bool,
        offset: int = 0,
    ) -> Page:
        """A page of visible tips. An offset past the last tip (a More pressed after tips
        went away) gives the last page: paging never shows an empty page when tips exist."""
        if category is not None and category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        locale = None if all_languages else self.locale_of(person)
        conn = self._db.reader
        total = await store.count_visible(conn, category, locale)
        offset = max(0, offset if offset < total else total - self.page_size)
        tips = await store.visible_tips(
            conn, category, locale, sort is Sort.HELPFUL, self.page_size, offset
        )
        return Page(tips, offset, total)

    async def search(self, person: Person, words: str) -> Found | None:
        """The best tips matching any of the words, in the reader's language first.

        None: the text has no words to look for (only punctuation, emoji...)."""
        conn = self._db.long_reader  # not on the reader everyone's quick reads need
        match = await self._words.match(conn, words)
        if match is None:
            return None
        tips = await store.search_visible(
            conn, match.expression, self.locale_of(person), self.page_size + 1, match.from_rowid
        )
        return Found(tips[: self.page_size], len(tips) > self.page_size)

    async def nearby(self, latitude: float, longitude: float) -> list[Near]:
        """Tips with a place within `nearby_km`, nearest first.

        The store reads only the tips inside a box around the place (a degree of latitude is
        about 111 km everywhere, a degree of longitude shrinks towards the poles); the exact
        distance then decides."""
        lat_span = self.nearby_km / KM_PER_DEGREE
        lon_scale = math.cos(math.radians(latitude)) * KM_PER_DEGREE
        lon_span = self.nearby_km / lon_scale if lon_scale > self.nearby_km else 360.0
        if abs(longitude) + lon_span > 180:  # the box would cross the date line: every longitude
            lon_span = 360.0
        in_box = await store.visible_in_box(
            self._db.reader,
            (latitude - lat_span, latitude + lat_span),
            (longitude - lon_span, longitude + lon_span),
        )
        found = [
            Near(tip, distance_km(latitude, longitude, tip.latitude, tip.longitude))
            for tip in in_box
            if tip.latitude is not None and tip.longitude is not None
        ]
        near = sorted((n for n in found if n.km <= self.nearby_km), key=lambda n: (n.km, -n.tip.id))
        return near[: self.page_size]

    async def viewable(self, person: Person, tip_id: int) -> Tip | None:
        """The tip, if this person may see it: everyone a visible one, authors and
        organisers any other that is not a draft (an author sees their own drafts too)."""
        tip = await store.get_tip(self._db.reader, tip_id)
        if tip is None:
            return None
        if tip.status == "visible" or tip.author_id == person.id:
            return tip
        return tip if person.is_organiser and tip.status != "draft" else None

    async def vote(self, person: Person, tip_id: int) -> tuple[Rating, int] | None:
        """One Helpful per person per tip: (what happened, how many found it helpful)."""
        if await moderation_store.is_blocked(self._db.reader, person.id):
            return None
        async with self._db.transaction() as conn:
            tip = await store.get_tip(conn, tip_id)
            if tip is None or tip.status != "visible":
                return None
            if tip.author_id == person.id:
                return Rating.OWN_TIP, tip.helpful
            added = await store.add_vote(conn, tip_id, person.id, self._clock.timestamp())
            return (Rating.COUNTED if added else Rating.ALREADY), tip.helpful + int(added)

    async def flag_outdated(self, person: Person, tip_id: int) -> Rating | None:
        """Enough flags hide the tip until an organiser looks at it."""
        if await moderation_store.is_blocked(self._db.reader, person.id):
            return None
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            tip = await store.get_tip(conn, tip_id)
            if tip is None or tip.status != "visible":
                return None
            if tip.author_id == person.id:
                return Rating.OWN_TIP
            if not await store.add_outdated_flag(conn, tip_id, person.id, now):
                return Rating.ALREADY
            if await store.count_outdated_flags(conn, tip_id) < self._outdated_flags:
                return Rating.COUNTED
            await store.set_tip(conn, tip_id, status="pending", review="outdated")
            await self._ask_organisers(conn, tip, "outdated", now)
        return Rating.SENT_FOR_REVIEW

    # -- keeping tips fresh -------------------------------------------------------------------

    async def keep_fresh(self) -> int:
        """Job: ask authors about old tips, and hide those whose authors did not answer.

        Everything is read from the database, so a restart loses no question and no deadline.
        Returns how many tips it acted on.
        """
        now = self._clock.now()
        stamp = int(now.timestamp())
        async with self._db.transaction() as conn:  # drafts nobody published are not kept
            acted = await store.delete_drafts(conn, int((now - DRAFTS_KEPT).timestamp()))
        asked_before = int((now - self._answer_within).timestamp())
        for tip in await store.unanswered_freshness_questions(self._db.long_reader, asked_before):
            async with self._db.transaction() as conn:
                current = await store.get_tip(conn, tip.id)
                if current is None or current.status != "visible" or current.fresh_asked_at is None:
                    continue
                await store.set_tip(conn, tip.id, status="pending", review="no_answer")
                await self._ask_organisers(conn, current, "no_answer", stamp)
            acted += 1
        confirmed_before = int((now - self._fresh_after).timestamp())
        for tip in await store.due_for_freshness_question(self._db.long_reader, confirmed_before):
            async with self._db.transaction() as conn:
                current = await store.get_tip(conn, tip.id)
                if current is None or current.status != "visible" or current.fresh_asked_at:
                    continue
                # With nobody to ask (an erased author), the deadline runs out all the same.
                await store.set_tip(conn, tip.id, fresh_asked_at=stamp)
                await self._ask_author(conn, current, stamp)
            acted += 1
        return acted

    async def _ask_author(self, conn: aiosqlite.Connection, tip: Tip, now: int) -> None:
        author = await store.get_reader(conn, tip.author_id) if tip.author_id else None
        if author is None:
            return
        t = self._translators[self.locale_of(author)]
        days = round(self._answer_within.total_seconds() / 86400)
        text = "\n\n".join(
            [
                t.gettext("You shared this tip a while ago. Is it still right?"),
                self.card_text(t, tip),
                t.ngettext(
                    "Without an answer within {days} day, it is hidden until an organiser "
                    "looks at it.",
                    "Without an answer within {days} days, it is hidden until an organiser "
                    "looks at it.",
                    days,
                ).format(days=days),
            ]
        )
        buttons = ui.keyboard_json(
            [[(t.gettext("Still right"), ui.encode(FRESH, tip.id, 1)),
              (t.gettext("Not any more"), ui.encode(FRESH, tip.id, 0))]]
        )  # fmt: skip
        await outbox.enqueue(
            conn,
            author.id,
            text,
            now=now,
            reply_markup=buttons,
            dedupe_key=f"tip_fresh:{tip.id}:{tip.confirmed_at}",
        )

    async def answer_freshness(self, person: Person, tip_id: int, still_right: bool) -> bool:
        """The author's answer to "Is this still right?". "Not any more" hides the tip until
        they edit it; only a question still open can be answered."""
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            tip = await store.get_tip(conn, tip_id)
            if tip is None or tip.author_id != person.id:
                return False
            if tip.status != "visible" or tip.fresh_asked_at is None:
                return False
            if still_right:
                await store.set_tip(conn, tip_id, confirmed_at=now, fresh_asked_at=None)
            else:
                await store.set_tip(
                    conn, tip_id, status="hidden", review="author", fresh_asked_at=None
                )
        return True

    # -- organisers ---------------------------------------------------------------------------

    async def waiting(self, organiser: Person, limit: int = 10) -> list[Tip]:
        _require_organiser(organiser)
        return await store.waiting_tips(self._db.reader, limit)

    async def hidden(self, organiser: Person, limit: int = 10) -> list[Tip]:
        _require_organiser(organiser)
        return await store.hidden_by_moderation(self._db.reader, limit)

    async def approve(self, organiser: Person, tip_id: int) -> bool:
        """A waiting tip is shown to everyone; False when someone handled it already."""
        return await self._make_visible(organiser, tip_id, "pending", "approve")

    async def restore(self, organiser: Person, tip_id: int) -> bool:
        """An organiser's hidden tip comes back; False when it is not hidden (any more)."""
        return await self._make_visible(organiser, tip_id, "hidden", "restore")

    async def _make_visible(
        self, organiser: Person, tip_id: int, from_status: str, action: str
    ) -> bool:
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            tip = await store.get_tip(conn, tip_id)
            if tip is None or tip.status != from_status:
                return False
            if from_status == "hidden" and tip.review not in ("organiser", "report"):
                return False
            # An organiser looked at it: it counts as fresh, and old flags are settled.
            await store.set_tip(
                conn, tip_id, status="visible", review=None, confirmed_at=now,
                fresh_asked_at=None, published_at=tip.published_at or now,
            )  # fmt: skip
            await store.clear_outdated_flags(conn, tip_id)
            await moderation_store.log(conn, organiser.id, action, f"tip:{tip_id}", "", now)
            if tip.review == "new_author" and tip.author_id is not None:
                await self._tell_author_published(conn, tip, now)
        return True

    async def hide(self, organiser: Person, tip_id: int, reason: str) -> bool:
        """Hide a tip, with the reason in the moderation log; False when hidden already."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            tip = await store.get_tip(conn, tip_id)
            if tip is None or tip.status not in ("pending", "visible"):
                return False
            await store.set_tip(conn, tip_id, status="hidden", review="organiser")
            await moderation_store.log(conn, organiser.id, "hide", f"tip:{tip_id}", reason, now)
        return True

    async def _tell_author_published(self, conn: aiosqlite.Connection, tip: Tip, now: int) -> None:
        author = await store.get_reader(conn, tip.author_id) if tip.author_id else None
        if author is None:
            return
        t = self._translators[self.locale_of(author)]
        published = t.gettext("Your tip is published now. Thank you for sharing!")
        await outbox.enqueue(
            conn,
            author.id,
            f"{published}\n\n{self.card_text(t, tip)}",
            now=now,
            dedupe_key=f"tip_published:{tip.id}",
        )

    async def _ask_organisers(
        self, conn: aiosqlite.Connection, tip: Tip, review: str, now: int
    ) -> None:
        """Every organiser hears that a tip waits for them, with Approve and Hide."""
        for organiser in await store.organisers(conn, self._admin_ids):
            if organiser.id == tip.author_id:
                continue
            t = self._translators[self.locale_of(organiser)]
            text = f"{self.review_text(t, review)}\n\n{self.card_text(t, tip)}"
            buttons = ui.keyboard_json(
                [[(t.gettext("Approve"), ui.encode(MODERATE, "approve", tip.id)),
                  (t.gettext("Hide"), ui.encode(MODERATE, "hide", tip.id))]]
            )  # fmt: skip
            # No dedupe key: each notice follows a change of status in the same transaction.
            # The photo comes with it: an organiser approves what readers will see.
            await outbox.enqueue(
                conn,
                organiser.id,
                text,
                now=now,
                reply_markup=buttons,
                attachments=[Attachment("photo", tip.photo)] if tip.photo else (),
                about=[tip.author_id],
            )

    # -- privacy ------------------------------------------------------------------------------

    async def forget_person(
        self, conn: aiosqlite.Connection, user_id: int, _now: int, keep_tips: bool
    ) -> None:
        """Someone erases their data: their tips go too, unless they chose to leave their
        published tips to the community without their name. Drafts never stay."""
        for tip_id in await store.tip_ids_by_author(conn, user_id, published_only=keep_tips):
            if keep_tips:
                await store.set_tip(conn, tip_id, author_id=None)
            else:
                await store.delete_tip(conn, tip_id)
                await fulltext.remove(conn, SEARCH_TABLE, tip_id)
        await store.delete_drafts_of(conn, user_id)
        await store.forget_ratings(conn, user_id)

    # -- the shared moderation (Report) -------------------------------------------------------

    async def load_tip(self, conn: aiosqlite.Connection, tip_id: int) -> Content | None:
        tip = await store.get_tip(conn, tip_id)
        if tip is None or tip.status in ("draft", "hidden"):
            return None
        return Content(tip.text, tip.author_id)

    async def tip_shown_to(self, conn: aiosqlite.Connection, tip_id: int, user_id: int) -> bool:
        """A visible tip is shown to everyone who looks; any other only to its author."""
        tip = await store.get_tip(conn, tip_id)
        return tip is not None and (tip.status == "visible" or tip.author_id == user_id)

    async def hide_tip(self, conn: aiosqlite.Connection, tip_id: int) -> None:
        await store.set_tip(conn, tip_id, status="hidden", review="report")

    # -- texts --------------------------------------------------------------------------------

    def review_text(self, t: Translator, review: str | None) -> str:
        """Why a tip waits for an organiser, or is hidden."""
        return {
            "new_author": t.gettext("A tip from someone who joined recently waits for approval."),
            "no_answer": t.gettext(
                "The author did not say whether this tip is still right. It is hidden until "
                "an organiser looks at it."
            ),
            "outdated": t.gettext(
                "People say this tip is outdated. It is hidden until an organiser looks at it."
            ),
            "author": t.gettext("The author hid this tip: it is not right any more."),
            "organiser": t.gettext("An organiser hid this tip."),
            "report": t.gettext("This tip was hidden after a report."),
        }.get(review or "", "")

    def card_text(
        self, t: Translator, tip: Tip, *, km: float | None = None, in_list: bool = False
    ) -> str:
        """A tip as a reader sees it: category and area, the text, the place, the votes.

        In a list of tips the parts follow each other without blank lines, so that the blank
        line between two tips shows where one ends."""
        category = t.gettext(CATEGORIES.get(tip.category, CATEGORIES["other"]))
        if tip.area:
            heading = t.gettext("{category} · {area}").format(
                category=category, area=t.isolate(tip.area)
            )
        else:
            heading = category
        lines = [f"💡 {heading}", tip.text] if in_list else [f"💡 {heading}", "", tip.text]
        details = []
        if tip.place:
            details.append(f"📍 {t.isolate(tip.place)}")
        elif tip.has_place:
            details.append(t.gettext("📍 A place on the map"))
        if km is not None:
            # Under a kilometre the rounded figure would read "0 km": too near to be nothing.
            distance = (
                t.gettext("less than {distance} km from you").format(distance=t.number(1))
                if km < 1
                else t.gettext("{distance} km from you").format(distance=t.number(round(km, 1)))
            )
            details.append(distance)
        if tip.helpful:
            details.append(
                t.ngettext(
                    "👍 {count} person found this helpful",
                    "👍 {count} people found this helpful",
                    tip.helpful,
                ).format(count=tip.helpful)
            )
        if tip.locale != t.locale:
            details.append(t.gettext("Language: {language}").format(
                language=language_name(tip.locale)
            ))  # fmt: skip
        if details:
            lines += details if in_list else ["", *details]
        return "\n".join(lines)


def _require_organiser(person: Person) -> None:
    if not person.is_organiser:
        raise NotAllowed(f"{person.id} is not an organiser")
