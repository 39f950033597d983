"""The rules of language cafés.

A seat is taken inside one write transaction, so fifty people pressing Sign up at once for ten
seats give ten confirmed places and forty waiting, in the order they pressed. A seat that comes
free goes to the first person waiting of the same kind (participant or host), who is told
through the outbox in the same transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

import aiosqlite

from bot import ui
from bot.cafes import store, texts
from bot.cafes.calendar import FILE_NAME, calendar_file
from bot.cafes.feedback import CafeFeedback
from bot.cafes.messaging import CafeMessaging
from bot.cafes.parsing import (
    MAX_DESCRIPTION,
    MAX_LEVEL,
    MAX_PLACE,
    MAX_TITLE,
    CafeFields,
    CafeInputError,
    at_time,
    clean_text,
    parse_day,
    parse_seats,
    parse_time,
    same_weekday_next_month,
)
from bot.cafes.store import CANCELLED, CONFIRMED, HOST, LEARNER, WAITING, Cafe, Counts, Listing
from bot.clock import Clock, from_timestamp
from bot.db import Database
from bot.i18n import Translators, resolve_locale
from bot.moderation import store as audit
from bot.outbox import store as outbox
from bot.people import store as people_store
from bot.people.roles import Person, Role
from bot.people.service import NotAllowed

# The self check-in link works from a little before the start until the end.
CHECK_IN_OPENS = timedelta(minutes=30)
# One host can keep a table of about five learners going.
LEARNERS_PER_HOST = 5
DRAFT_STEPS = ("title", "when", "place", "seats", "level", "description")
SKIP_WORDS = {"-", "–", "—"}
ONCE = "once"
REPEAT_WEEKS = {"weekly": 1, "fortnightly": 2}
REPEATS = (ONCE, *REPEAT_WEEKS, "monthly")
SERIES_AHEAD = 2  # dates of a weekly series open for sign-up at any time
DATE_CHOICE_WEEKS = 6  # how far ahead the guided flow offers dates as buttons
# Button actions that messages from the outbox carry too (see handlers.py for the rest).
JOIN = "cafe_join"
CANT_COME = "cafe_cant"
CALENDAR = "cafe_ics"


class SignUpOutcome(Enum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    ALREADY = "already"  # one sign-up per person per café
    CLOSED = "closed"  # the café has started
    NOT_A_HOST = "not_a_host"  # a host's seat, asked for by someone who does not host
    UNAVAILABLE = "unavailable"  # no such café, cancelled, or no seats of that kind


@dataclass(frozen=True)
class SignUpResult:
    outcome: SignUpOutcome
    cafe: Cafe | None = None
    signup: store.Signup | None = None
    position: int = 0  # on the waitlist


class CancelOutcome(Enum):
    CANCELLED = "cancelled"
    PASSED_ON = "passed_on"  # cancelled, and the first person waiting got the seat
    NOT_SIGNED_UP = "not_signed_up"
    CLOSED = "closed"


class CheckInOutcome(Enum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"
    WALK_IN = "walk_in"  # came without signing up: welcome, and counted
    OUTSIDE_WINDOW = "outside_window"
    INVALID = "invalid"


class CafeService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        translators: Translators,
        timezone: ZoneInfo,
        default_locale: str,
        reminder_hours: tuple[int, ...] = (24, 2),
        bot_username: Callable[[], str | None] = lambda: None,
    ) -> None:
        """`bot_username`: the bot's, once known (after start-up): calendar files name it."""
        self._db = db
        self._bot_username = bot_username
        self._clock = clock
        self._translators = translators
        self._timezone = timezone
        self._default_locale = default_locale
        self._reminder_hours = tuple(sorted(reminder_hours, reverse=True))
        self.messages = CafeMessaging(db, clock, translators, default_locale)
        self.feedback = CafeFeedback(db, clock, translators, timezone, default_locale)

    # -- organisers ---------------------------------------------------------------------------

    async def create(self, organiser: Person, fields: CafeFields) -> Cafe:
        """A café; a weekly or fortnightly one opens its next date for sign-up at once."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        if int(fields.starts_at.timestamp()) <= now:
            raise CafeInputError("past")
        async with self._db.transaction() as conn:
            cafe_id = await self._insert(conn, fields, organiser.id, now)
            await audit.log(conn, organiser.id, "create_cafe", f"cafe:{cafe_id}", "", now)
            if fields.every_weeks:
                await store.update_cafe(conn, cafe_id, now, series_id=cafe_id)
            cafe = await store.get_cafe(conn, cafe_id)
            assert cafe is not None
            if cafe.series_id is not None:
                await self._extend_series(conn, cafe, now)
        return cafe

    async def _insert(
        self,
        conn: aiosqlite.Connection,
        fields: CafeFields,
        author_id: int | None,
        now: int,
        series_id: int | None = None,
    ) -> int:
        starts = int(fields.starts_at.timestamp())
        return await store.insert_cafe(
            conn,
            title=fields.title,
            place=fields.place,
            starts_at=starts,
            ends_at=starts + int(fields.duration.total_seconds()),
            capacity=fields.capacity,
            host_capacity=fields.host_capacity,
            level=fields.level,
            description=fields.description,
            monthly=fields.monthly,
            checkin_token=secrets.token_urlsafe(9),
            created_by=author_id,
            now=now,
            every_weeks=fields.every_weeks,
            series_id=series_id,
            guests_allowed=fields.guests_allowed,
        )

    async def update(
        self, organiser: Person, cafe_id: int, fields: CafeFields, following: bool = False
    ) -> Cafe | None:
        """Replace a café's details. People with a seat hear about a new time or place; a
        larger room lets people in from the waitlist. None: no such upcoming café.

        `following`: the date of a series and all its dates after it take the new details;
        their day moves as this one's does, to the new time of day."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            cafe = await store.get_cafe(conn, cafe_id)
            if cafe is None or cafe.status != "scheduled" or cafe.ends_at <= now:
                return None
            if not following or cafe.series_id is None:
                # One date of a series stays in its series, whatever the line said.
                every_weeks = cafe.every_weeks if cafe.series_id is not None else None
                return await self._update_one(
                    conn, organiser, cafe, replace(fields, every_weeks=every_weeks), now
                )
            first = from_timestamp(cafe.starts_at).astimezone(self._timezone)
            moved_days = (fields.starts_at.date() - first.date()).days
            updated = None
            for date_of_series in await store.series_from(
                conn, cafe.series_id, cafe.starts_at, now
            ):
                local = from_timestamp(date_of_series.starts_at).astimezone(self._timezone)
                starts_at = datetime.combine(
                    local.date() + timedelta(days=moved_days),
                    fields.starts_at.timetz().replace(tzinfo=None),
                    tzinfo=self._timezone,
                )
                changed = await self._update_one(
                    conn, organiser, date_of_series, replace(fields, starts_at=starts_at), now
                )
                updated = updated or changed
            if not fields.every_weeks:  # "weekly" taken off the line: the series stops here
                await store.stop_series(conn, cafe.series_id, cafe.starts_at, now)
        return updated

    async def _update_one(
        self,
        conn: aiosqlite.Connection,
        organiser: Person,
        cafe: Cafe,
        fields: CafeFields,
        now: int,
    ) -> Cafe:
        counts = (await store.counts(conn, [cafe.id]))[cafe.id]
        if fields.capacity < counts.learners or fields.host_capacity < counts.hosts:
            raise CafeInputError("capacity_below_signups")
        starts = int(fields.starts_at.timestamp())
        await store.update_cafe(
            conn,
            cafe.id,
            now,
            title=fields.title,
            place=fields.place,
            starts_at=starts,
            ends_at=starts + (cafe.ends_at - cafe.starts_at),
            capacity=fields.capacity,
            host_capacity=fields.host_capacity,
            level=fields.level,
            description=fields.description,
            monthly=int(fields.monthly),
            every_weeks=fields.every_weeks,
        )
        await audit.log(conn, organiser.id, "edit_cafe", f"cafe:{cafe.id}", "", now)
        updated = await store.get_cafe(conn, cafe.id)
        assert updated is not None
        if (updated.starts_at, updated.place) != (cafe.starts_at, cafe.place):
            await self._tell_everyone(conn, updated, "changed", now)
        for kind in (LEARNER, HOST):
            while await self._promote(conn, updated, kind, now):
                pass
        return updated

    async def cancel_cafe(
        self, organiser: Person, cafe_id: int, following: bool = False
    ) -> Cafe | None:
        """Cancel a café; everyone with a seat or on the waitlist is told. A date of a series
        cancelled on its own leaves the series going; `following` ends it from this date."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            cafe = await store.get_cafe(conn, cafe_id)
            if cafe is None or cafe.status != "scheduled" or cafe.ends_at <= now:
                return None
            dates = [cafe]
            if following and cafe.series_id is not None:
                dates = await store.series_from(conn, cafe.series_id, cafe.starts_at, now)
                await store.stop_series(conn, cafe.series_id, cafe.starts_at, now)
            for date_of_series in dates:
                await store.update_cafe(conn, date_of_series.id, now, status="cancelled", monthly=0)
                await audit.log(
                    conn, organiser.id, "cancel_cafe", f"cafe:{date_of_series.id}", "", now
                )
                await self._tell_everyone(conn, date_of_series, "cancelled", now)
        return replace(cafe, status="cancelled", monthly=False)

    async def continue_series(self) -> list[Cafe]:
        """Job: every weekly or fortnightly series keeps its next dates open for sign-up."""
        now = self._clock.timestamp()
        created = []
        for end in await store.series_ends(self._db.reader):
            async with self._db.transaction() as conn:
                current = await store.get_cafe(conn, end.id)
                if current is None or current.every_weeks is None:
                    continue
                created += await self._extend_series(conn, current, now)
        return created

    async def _extend_series(self, conn: aiosqlite.Connection, last: Cafe, now: int) -> list[Cafe]:
        """Add dates after `last` (the latest of its series) until SERIES_AHEAD are open."""
        assert last.series_id is not None and last.every_weeks is not None
        open_dates = len(await store.series_from(conn, last.series_id, 0, now))
        created = []
        while open_dates < SERIES_AHEAD:
            local = from_timestamp(last.starts_at).astimezone(self._timezone)
            step = timedelta(weeks=last.every_weeks)
            day = local.date() + step
            while datetime.combine(day, local.time(), tzinfo=self._timezone).timestamp() <= now:
                day += step  # the bot was down for weeks: the series goes on from today
            starts_at = datetime.combine(day, local.time(), tzinfo=self._timezone)
            fields = replace(
                self._fields_of(last), starts_at=starts_at, every_weeks=last.every_weeks
            )
            new_id = await self._insert(conn, fields, last.created_by, now, last.series_id)
            last = await store.get_cafe(conn, new_id)
            assert last is not None
            created.append(last)
            open_dates += 1
        return created

    def _fields_of(self, cafe: Cafe) -> CafeFields:
        return CafeFields(
            title=cafe.title,
            starts_at=from_timestamp(cafe.starts_at).astimezone(self._timezone),
            place=cafe.place,
            capacity=cafe.capacity,
            host_capacity=cafe.host_capacity,
            level=cafe.level,
            description=cafe.description,
            monthly=cafe.monthly,
            duration=timedelta(seconds=cafe.ends_at - cafe.starts_at),
            every_weeks=cafe.every_weeks,
            guests_allowed=cafe.guests_allowed,
        )

    async def copy_to_next_month(self, organiser: Person, cafe_id: int | None = None) -> Cafe:
        """The same café on the same weekday of the next month (by default: the latest one)."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            source = (
                await store.get_cafe(conn, cafe_id)
                if cafe_id is not None
                else await store.latest_cafe(conn)
            )
            if source is None:
                raise CafeInputError("nothing_to_copy")
            new_id = await self._insert(conn, self._next_month(source, now), organiser.id, now)
            await audit.log(
                conn, organiser.id, "copy_cafe", f"cafe:{new_id}", f"cafe:{source.id}", now
            )
            copy = await store.get_cafe(conn, new_id)
        assert copy is not None
        return copy

    def _next_month(self, cafe: Cafe, now: int) -> CafeFields:
        start = from_timestamp(cafe.starts_at).astimezone(self._timezone)
        start = same_weekday_next_month(start)
        while start.timestamp() <= now:  # the bot was down for months: skip to the future
            start = same_weekday_next_month(start)
        # A copy of one date of a weekly series is a café of its own.
        return replace(self._fields_of(cafe), starts_at=start, every_weeks=None)

    async def continue_monthly_cafes(self) -> list[Cafe]:
        """Job: when a monthly café has ended, create the next one and tell its organiser."""
        now = self._clock.timestamp()
        created = []
        for ended in await store.ended_monthly_cafes(self._db.reader, now):
            async with self._db.transaction() as conn:
                current = await store.get_cafe(conn, ended.id)
                if current is None or current.followed_by is not None:
                    continue  # another run got there first
                new_id = await self._insert(
                    conn, self._next_month(current, now), current.created_by, now
                )
                await store.update_cafe(conn, current.id, now, followed_by=new_id)
                successor = await store.get_cafe(conn, new_id)
                assert successor is not None
                if current.created_by is not None:
                    await self._tell_organiser_of_successor(
                        conn, current.created_by, successor, now
                    )
            created.append(successor)
        return created

    async def attendees(self, organiser: Person, cafe_id: int) -> tuple[Cafe, list[store.Attendee]]:
        _require_organiser(organiser)
        cafe = await store.get_cafe(self._db.reader, cafe_id)
        if cafe is None:
            raise LookupError(cafe_id)
        return cafe, await store.attendees(self._db.reader, cafe_id)

    async def make_host(self, organiser: Person, signup_id: int) -> store.Attendee | None:
        """An organiser makes someone from a café's list a conversation host, who is told.
        None: no such sign-up, or they host already."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            signup = await store.get_signup(conn, signup_id)
            if signup is None or signup.status == CANCELLED:
                return None
            attendee = next(
                (
                    a
                    for a in await store.attendees(conn, signup.cafe_id)
                    if a.signup_id == signup_id
                ),
                None,
            )
            if attendee is None or not await people_store.grant_role(
                conn, signup.user_id, Role.HOST, organiser.id, now
            ):
                return None
            await audit.log(conn, organiser.id, "appoint", f"user:{signup.user_id}", Role.HOST, now)
            t = self._translators[self._locale(attendee)]
            await outbox.enqueue(
                conn,
                signup.user_id,
                t.gettext(
                    "An organiser made you a conversation host. From now on you can also sign "
                    "up for language cafés as a host: see /cafes."
                ),
                now=now,
                dedupe_key=f"made-host:{signup.user_id}:{now}",
            )
        return attendee

    async def set_guests_allowed(
        self, organiser: Person, cafe_id: int, allowed: bool
    ) -> Cafe | None:
        """Whether people may bring a guest (+1). Guests signed up already keep their seats."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            cafe = await store.get_cafe(conn, cafe_id)
            if cafe is None or cafe.status != "scheduled" or cafe.ends_at <= now:
                return None
            await store.update_cafe(conn, cafe_id, now, guests_allowed=int(allowed))
            await audit.log(
                conn,
                organiser.id,
                "cafe_guests",
                f"cafe:{cafe_id}",
                "on" if allowed else "off",
                now,
            )
            return await store.get_cafe(conn, cafe_id)

    async def toggle_check_in(self, organiser: Person, signup_id: int) -> store.Signup | None:
        """The organiser taps a name: present, or not present after all."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            signup = await store.get_signup(conn, signup_id)
            if signup is None or signup.status != CONFIRMED:
                return None
            await store.mark_checked_in(conn, signup_id, not signup.checked_in, now)
            return replace(signup, checked_in=not signup.checked_in)

    # -- the guided /newcafe: one question at a time, every answer kept in the database --------

    async def start_draft(self, organiser: Person) -> str:
        """Begin a new café (throwing away any unfinished one); returns the first step."""
        _require_organiser(organiser)
        async with self._db.transaction() as conn:
            await store.save_draft(conn, organiser.id, {}, self._clock.timestamp())
        return DRAFT_STEPS[0]

    async def has_unfinished_draft(self, organiser: Person) -> bool:
        """Whether the organiser has answered some questions of a café not saved yet."""
        return bool(await store.get_draft(self._db.reader, organiser.id))

    async def draft_step(self, organiser: Person) -> str | None:
        """The step the organiser is at; None when everything is filled in (or no draft)."""
        draft = await store.get_draft(self._db.reader, organiser.id)
        return None if draft is None else _next_step(draft)

    async def date_choices(self, organiser: Person) -> list[datetime]:
        """The next dates on the weekday and at the time of the latest café, six weeks ahead:
        most cafés are "the same as last time, next week or the week after"."""
        _require_organiser(organiser)
        latest = await store.latest_cafe(self._db.reader)
        if latest is None:
            return []
        now = self._clock.now()
        start = from_timestamp(latest.starts_at).astimezone(self._timezone)
        today = now.astimezone(self._timezone).date()
        first = today + timedelta(days=(start.weekday() - today.weekday()) % 7)
        choices = []
        for week in range(DATE_CHOICE_WEEKS + 1):
            day = first + timedelta(weeks=week)
            moment = datetime.combine(day, start.time(), tzinfo=self._timezone)
            if now < moment <= now + timedelta(weeks=DATE_CHOICE_WEEKS):
                choices.append(moment)
        return choices

    async def choose_draft_date(self, organiser: Person, timestamp: int) -> str | None:
        """The organiser pressed one of the offered dates. Raises CafeInputError("expired")
        when the draft is not at that question or the date is not (or no longer) offered."""
        offered = {int(moment.timestamp()): moment for moment in await self.date_choices(organiser)}
        async with self._db.transaction() as conn:
            draft = await store.get_draft(conn, organiser.id)
            if draft is None or _next_step(draft) not in ("when", "time"):
                raise CafeInputError("expired")
            if timestamp not in offered:
                raise CafeInputError("expired")
            draft.pop("day", None)
            draft["when"] = offered[timestamp].isoformat()
            await store.save_draft(conn, organiser.id, draft, self._clock.timestamp())
        return _next_step(draft)

    async def answer_draft(self, organiser: Person, text: str) -> str | None:
        """Take the answer to the current step. Returns the next step (None: all done).

        Raises CafeInputError when the answer cannot be used; nothing is stored then, except
        that a time in the past also forgets the day it was for, so the date is asked again.
        """
        _require_organiser(organiser)
        now = self._clock.now()
        async with self._db.transaction() as conn:
            draft = await store.get_draft(conn, organiser.id)
            if draft is None:
                raise CafeInputError("no_draft")
            step = _next_step(draft)
            if step is None:
                return None
            refused: CafeInputError | None = None
            try:
                _fill(draft, step, text.strip(), now, self._timezone)
            except CafeInputError as error:
                if step != "time" or error.code != "past":
                    raise
                del draft["day"]
                refused = error
            await store.save_draft(conn, organiser.id, draft, int(now.timestamp()))
        if refused is not None:
            raise refused
        return _next_step(draft)

    async def draft_fields(self, organiser: Person, repeat: str = ONCE) -> CafeFields | None:
        draft = await store.get_draft(self._db.reader, organiser.id)
        if draft is None or any(step not in draft for step in DRAFT_STEPS):
            return None
        learners, hosts = draft["seats"]
        return CafeFields(
            title=draft["title"],
            starts_at=datetime.fromisoformat(draft["when"]),
            place=draft["place"],
            capacity=learners,
            host_capacity=hosts,
            level=draft["level"],
            description=draft["description"],
            monthly=repeat == "monthly",
            every_weeks=REPEAT_WEEKS.get(repeat),
        )

    async def draft_preview(self, organiser: Person) -> Cafe | None:
        """The finished draft as the café it will become, to show before saving."""
        fields = await self.draft_fields(organiser)
        if fields is None:
            return None
        starts = int(fields.starts_at.timestamp())
        return Cafe(
            id=0,
            title=fields.title,
            place=fields.place,
            starts_at=starts,
            ends_at=starts + int(fields.duration.total_seconds()),
            capacity=fields.capacity,
            host_capacity=fields.host_capacity,
            level=fields.level,
            description=fields.description,
            monthly=False,
            status="scheduled",
            checkin_token="",
            created_by=organiser.id,
            followed_by=None,
        )

    async def save_draft(self, organiser: Person, repeat: str = ONCE) -> Cafe | None:
        """Create the café from a complete draft (repeat: one of REPEATS); None when there
        is no complete draft."""
        fields = await self.draft_fields(organiser, repeat)
        if fields is None:
            return None
        cafe = await self.create(organiser, fields)
        await self.discard_draft(organiser)
        return cafe

    async def discard_draft(self, organiser: Person) -> bool:
        async with self._db.transaction() as conn:
            existed = await store.get_draft(conn, organiser.id) is not None
            await store.delete_draft(conn, organiser.id)
        return existed

    # -- newcomers ----------------------------------------------------------------------------

    async def upcoming(self, person: Person | None, limit: int = 10) -> list[Listing]:
        # A few cafés by an index, read on the loop's thread (`inline_reader`).
        return await store.upcoming_listings(
            self._db.inline_reader, self._clock.timestamp(), limit, person.id if person else None
        )

    async def listing(self, person: Person, cafe_id: int) -> Listing | None:
        return await store.cafe_listing(self._db.inline_reader, cafe_id, person.id)

    async def my_signups(self, person: Person) -> list[tuple[Cafe, store.Signup, int]]:
        """(café, sign-up, waitlist position or 0) for each of the person's coming cafés."""
        result = []
        for cafe, signup in await store.signups_of(
            self._db.reader, person.id, self._clock.timestamp()
        ):
            position = (
                await store.waiting_position(self._db.reader, signup)
                if signup.status == WAITING
                else 0
            )
            result.append((cafe, signup, position))
        return result

    async def sign_up(
        self, person: Person, cafe_id: int, kind: str = LEARNER, guest: bool = False
    ) -> SignUpResult:
        """A seat, or a place on the waitlist; with `guest`, a seat for their guest too (both
        or neither: a guest does not sit without them)."""
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            cafe = await store.get_cafe(conn, cafe_id)
            if cafe is None or cafe.status != "scheduled" or cafe.seats(kind) == 0:
                return SignUpResult(SignUpOutcome.UNAVAILABLE, cafe)
            if kind == HOST and not person.is_host:
                return SignUpResult(SignUpOutcome.NOT_A_HOST, cafe)
            if guest and (kind == HOST or not cafe.guests_allowed):
                return SignUpResult(SignUpOutcome.UNAVAILABLE, cafe)
            if now >= cafe.starts_at:
                return SignUpResult(SignUpOutcome.CLOSED, cafe)
            existing = await store.active_signup(conn, cafe_id, person.id)
            if existing is not None:
                position = (
                    await store.waiting_position(conn, existing)
                    if existing.status == WAITING
                    else 0
                )
                return SignUpResult(SignUpOutcome.ALREADY, cafe, existing, position)
            counts = (await store.counts(conn, [cafe_id]))[cafe_id]
            needed = 1 + int(guest)
            fits = counts.confirmed(kind) + needed <= cafe.seats(kind)
            status = CONFIRMED if fits else WAITING
            signup_id = await store.insert_signup(
                conn, cafe_id, person.id, kind, status, now, guests=int(guest)
            )
            signup = await store.get_signup(conn, signup_id)
            assert signup is not None
            position = await store.waiting_position(conn, signup) if status == WAITING else 0
        outcome = SignUpOutcome.CONFIRMED if status == CONFIRMED else SignUpOutcome.WAITING
        return SignUpResult(outcome, cafe, signup, position)

    async def cancel_signup(self, person: Person, cafe_id: int) -> CancelOutcome:
        """Give up a seat or a waitlist place; a freed seat goes to the first person waiting."""
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            signup = await store.active_signup(conn, cafe_id, person.id)
            cafe = await store.get_cafe(conn, cafe_id)
            if signup is None or cafe is None:
                return CancelOutcome.NOT_SIGNED_UP
            if now >= cafe.starts_at:
                return CancelOutcome.CLOSED
            await store.set_signup_status(conn, signup.id, "cancelled", now)
            frees_a_seat = signup.status == CONFIRMED and cafe.status == "scheduled"
            if frees_a_seat and await self._promote(conn, cafe, signup.kind, now):
                return CancelOutcome.PASSED_ON
        return CancelOutcome.CANCELLED

    async def self_check_in(self, person: Person, cafe_id: int, token: str) -> CheckInOutcome:
        """Check in through the link shown at the café, during the café only."""
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            cafe = await store.get_cafe(conn, cafe_id)
            if (
                cafe is None
                or cafe.status != "scheduled"
                or not secrets.compare_digest(cafe.checkin_token, token)
            ):
                return CheckInOutcome.INVALID
            opens = cafe.starts_at - int(CHECK_IN_OPENS.total_seconds())
            if not opens <= now <= cafe.ends_at:
                return CheckInOutcome.OUTSIDE_WINDOW
            signup = await store.active_signup(conn, cafe_id, person.id)
            if signup is not None and signup.checked_in:
                return CheckInOutcome.ALREADY
            if signup is None or signup.status == WAITING:
                # Whoever is in the room is counted; a waitlisted person who came gets the seat.
                if signup is not None:
                    await store.set_signup_status(conn, signup.id, "cancelled", now)
                signup_id = await store.insert_signup(
                    conn, cafe_id, person.id, LEARNER, CONFIRMED, now
                )
                await store.mark_checked_in(conn, signup_id, True, now)
                return CheckInOutcome.WALK_IN
            await store.mark_checked_in(conn, signup.id, True, now)
        return CheckInOutcome.CHECKED_IN

    async def forget_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int, _keep_tips: bool
    ) -> None:
        """Someone erases their data: their seats in coming cafés go to the waitlist."""
        for cafe, signup in await store.signups_of(conn, user_id, now):
            await store.set_signup_status(conn, signup.id, "cancelled", now)
            if signup.status == CONFIRMED and now < cafe.starts_at:
                await self._promote(conn, cafe, signup.kind, now)

    # -- reminders ----------------------------------------------------------------------------

    async def send_due_reminders(self) -> int:
        """Job: queue the reminder that is due for each confirmed seat, at most once each.

        Rebuilt from the database on every run, so nothing is lost in a restart. A reminder
        missed while the bot was down goes out late, but only before the café starts, and
        only the latest one that is due (nobody needs "tomorrow" two hours before).
        """
        now = self._clock.timestamp()
        horizon = now + 3600 * self._reminder_hours[0]
        queued = 0
        async with self._db.transaction() as conn:
            for cafe, recipient in await store.confirmed_between(conn, now, horizon):
                due = [h for h in self._reminder_hours if cafe.starts_at - 3600 * h <= now]
                hours = min(due)
                t = self._translators[self._locale(recipient)]
                text = "\n".join(
                    [
                        t.gettext("Reminder: you have a seat at this language café."),
                        "",
                        texts.card(t, cafe),
                    ]
                )
                buttons = ui.keyboard_json(
                    [[(t.gettext("I can't come"), ui.encode(CANT_COME, cafe.id))]]
                )
                queued += await outbox.enqueue(
                    conn,
                    recipient.user_id,
                    text,
                    now=now,
                    reply_markup=buttons,
                    dedupe_key=f"remind:{recipient.signup_id}:{hours}",
                )
        return queued

    # -- telling people -----------------------------------------------------------------------

    def _locale(self, someone: store.Recipient | store.Attendee | people_store.StoredUser) -> str:
        return resolve_locale(someone.locale, someone.telegram_locale, self._default_locale)

    async def _promote(self, conn: aiosqlite.Connection, cafe: Cafe, kind: str, now: int) -> bool:
        """Give a free seat of this kind to the first person waiting; False if none/no seat."""
        counts = (await store.counts(conn, [cafe.id]))[cafe.id]
        free = cafe.seats(kind) - counts.confirmed(kind)
        if free <= 0:
            return False
        # The first person waiting who fits: one free seat cannot take someone with a guest.
        first = await store.first_waiting(conn, cafe.id, kind, free)
        if first is None:
            return False
        await store.set_signup_status(conn, first.id, CONFIRMED, now)
        person = await people_store.get_user(conn, first.user_id)
        if person is not None and person.reachable:
            t = self._translators[self._locale(person)]
            text = "\n".join(
                [
                    t.gettext("Good news: a seat came free, and it is yours!"),
                    "",
                    texts.card(t, cafe),
                ]
            )
            # What a direct sign-up gets: the calendar file, and the way to give the seat
            # back. Before the bot knows its name (never after start-up) the file is a tap away.
            username = self._bot_username()
            calendar = []
            if username is not None:
                ics = calendar_file(t, cafe, username)
                calendar.append(outbox.Attachment("document", content=ics, name=FILE_NAME))
            rows = [[(t.gettext("I can't come"), ui.encode(CANT_COME, cafe.id))]]
            if calendar:
                text = f"{text}\n\n{t.gettext('Add it to your calendar.')}"
            else:
                rows.insert(0, [(t.gettext("Add to my calendar"), ui.encode(CALENDAR, cafe.id))])
            await outbox.enqueue(
                conn,
                first.user_id,
                text,
                now=now,
                reply_markup=ui.keyboard_json(rows),
                attachments=calendar,
                dedupe_key=f"promoted:{first.id}",
            )
        return True

    async def _tell_everyone(
        self, conn: aiosqlite.Connection, cafe: Cafe, what: str, now: int
    ) -> None:
        for recipient in await store.recipients(conn, cafe.id):
            t = self._translators[self._locale(recipient)]
            if what == "cancelled":
                first = t.gettext("This language café has been cancelled. We are sorry.")
            else:
                first = t.gettext("This language café has changed. Please check the new details.")
            await outbox.enqueue(
                conn,
                recipient.user_id,
                f"{first}\n\n{texts.card(t, cafe)}",
                now=now,
                dedupe_key=f"cafe-{what}:{cafe.id}:{recipient.user_id}:{now}",
            )

    async def _tell_organiser_of_successor(
        self, conn: aiosqlite.Connection, organiser_id: int, cafe: Cafe, now: int
    ) -> None:
        organiser = await people_store.get_user(conn, organiser_id)
        if organiser is None:
            return
        t = self._translators[self._locale(organiser)]
        text = "\n".join(
            [t.gettext("The next monthly language café is ready:"), "", texts.card(t, cafe)]
        )
        await outbox.enqueue(conn, organiser_id, text, now=now, dedupe_key=f"successor:{cafe.id}")

    def needs_more_hosts(self, cafe: Cafe, counts: Counts) -> bool:
        """Too few conversation hosts for the learners who are coming."""
        return cafe.host_capacity > 0 and counts.hosts * LEARNERS_PER_HOST < counts.learners


def _next_step(draft: dict) -> str | None:
    """The first question not answered yet; "time" when a day was given without one."""
    for step in DRAFT_STEPS:
        if step not in draft:
            return "time" if step == "when" and "day" in draft else step
    return None


def _fill(draft: dict, step: str, text: str, now: datetime, timezone: ZoneInfo) -> None:
    """Put the answer to `step` into the draft, or raise CafeInputError."""
    skip = text in SKIP_WORDS
    if step == "title":
        draft["title"] = clean_text(text, MAX_TITLE, "title")
    elif step == "when":
        day, moment_time = parse_day(text, now, timezone)
        if moment_time is None:
            draft["day"] = day.isoformat()  # the time is asked next
        else:
            draft["when"] = at_time(day, moment_time, now, timezone).isoformat()
    elif step == "time":
        moment_time = parse_time(text)
        if moment_time is None:
            raise CafeInputError("time")
        day = date.fromisoformat(draft["day"])
        draft["when"] = at_time(day, moment_time, now, timezone).isoformat()
        del draft["day"]
    elif step == "place":
        draft["place"] = clean_text(text, MAX_PLACE, "place")
    elif step == "seats":
        draft["seats"] = list(parse_seats(text))
    elif step == "level":
        draft["level"] = None if skip else clean_text(text, MAX_LEVEL, "level")
    elif step == "description":
        draft["description"] = None if skip else clean_text(text, MAX_DESCRIPTION, "description")


def _require_organiser(person: Person) -> None:
    if not person.is_organiser:
        raise NotAllowed(f"{person.id} is not an organiser")
