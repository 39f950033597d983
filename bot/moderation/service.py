"""Moderation rules, shared by every feature whose content people can report.

A feature registers, per kind of content, how to show it to an organiser and how to hide it.
Hiding and blocking always carry a reason, and both are logged with who did it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

import aiosqlite

from bot import ui
from bot.clock import Clock
from bot.db import Database
from bot.i18n import Translator
from bot.moderation import store
from bot.people.roles import Person
from bot.people.service import NotAllowed

REPORT = "report"  # the button action every feature puts under content others wrote


def report_button(t: Translator, kind: str, target_id: int) -> tuple[str, str]:
    """The Report button (label, callback data) under a question, an answer or a tip."""
    return (t.gettext("Report"), ui.encode(REPORT, kind, target_id))


@dataclass(frozen=True)
class Content:
    text: str
    author_id: int | None
    # Photos and documents that came with it, as (kind, Telegram file id): a moderator judges
    # what the readers saw.
    files: tuple[tuple[str, str], ...] = ()


# (connection, target id) -> the content, or None when it does not exist (any more)
ContentLoader = Callable[[aiosqlite.Connection, int], Awaitable[Content | None]]
# (connection, target id) -> None; makes the content invisible everywhere
ContentHider = Callable[[aiosqlite.Connection, int], Awaitable[None]]
# (connection, target id, user id) -> whether the bot showed this content to this person
ShownTo = Callable[[aiosqlite.Connection, int, int], Awaitable[bool]]

# Enough for someone who meets several bad messages; too few to flood the organisers' queue.
MAX_REPORTS_PER_HOUR = 5


@dataclass(frozen=True)
class Kind:
    load: ContentLoader
    hide: ContentHider
    shown_to: ShownTo


class ReportOutcome(Enum):
    REPORTED = "reported"
    NOT_SHOWN = "not_shown"  # no such content, or never shown to them: a stale or forged button
    TOO_MANY = "too_many"


class Action(Enum):
    HIDE = "hide"
    BLOCK = "block"  # hide, and block the author from asking, answering and sharing


@dataclass(frozen=True)
class QueueItem:
    report: store.Report
    content: Content


class ModerationService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._kinds: dict[str, Kind] = {}

    def register(
        self, kind: str, load: ContentLoader, hide: ContentHider, shown_to: ShownTo | None = None
    ) -> None:
        """`shown_to` says whether the bot showed a piece of content to a person; without it,
        nobody can report this kind (a report that cannot be checked could be forged)."""
        self._kinds[kind] = Kind(load, hide, shown_to or _shown_to_nobody)

    async def report(self, reporter: Person, kind: str, target_id: int) -> ReportOutcome:
        """Report content the bot showed this person, a few times an hour at most.

        A button carries no authority: anyone can send any callback data, so without these
        checks one person could fill the organisers' queue with content they never saw."""
        found = self._kinds.get(kind)
        if found is None:
            return ReportOutcome.NOT_SHOWN
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            if await found.load(conn, target_id) is None:
                return ReportOutcome.NOT_SHOWN
            if not await found.shown_to(conn, target_id, reporter.id):
                return ReportOutcome.NOT_SHOWN
            if await store.reports_since(conn, reporter.id, now - 3600) >= MAX_REPORTS_PER_HOUR:
                return ReportOutcome.TOO_MANY
            await store.insert_report(conn, kind, target_id, reporter.id, now)
        return ReportOutcome.REPORTED

    async def is_blocked(self, person: Person) -> bool:
        return await store.is_blocked(self._db.reader, person.id)

    async def queue(self, organiser: Person, limit: int = 10) -> list[QueueItem]:
        _require_organiser(organiser)
        items = []
        for report in await store.open_reports(self._db.reader, limit):
            kind = self._kinds.get(report.kind)
            content = await kind.load(self._db.reader, report.target_id) if kind else None
            if content is not None:
                items.append(QueueItem(report, content))
        return items

    async def reported_content(self, organiser: Person, report_id: int) -> Content | None:
        """The whole reported text (the queue shows a long one shortened); None: no such
        report, or its content is gone."""
        _require_organiser(organiser)
        report = await store.get_report(self._db.reader, report_id)
        kind = self._kinds.get(report.kind) if report else None
        if report is None or kind is None:
            return None
        return await kind.load(self._db.reader, report.target_id)

    async def act(self, organiser: Person, report_id: int, action: Action, reason: str) -> bool:
        """Hide the reported content (and block its author); False if already handled."""
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            report = await store.get_report(conn, report_id)
            kind = self._kinds.get(report.kind) if report else None
            if report is None or kind is None:
                return False
            content = await kind.load(conn, report.target_id)
            await kind.hide(conn, report.target_id)
            await store.close_reports(conn, report.kind, report.target_id, "hidden", now)
            target = f"{report.kind}:{report.target_id}"
            await store.log(conn, organiser.id, "hide", target, reason, now)
            if action is Action.BLOCK and content is not None and content.author_id is not None:
                await store.block(conn, content.author_id, reason, organiser.id, now)
                await store.log(
                    conn, organiser.id, "block", f"user:{content.author_id}", reason, now
                )
        return True

    async def banned(self, organiser: Person) -> list[store.Banned]:
        _require_organiser(organiser)
        return await store.banned(self._db.reader)

    async def unban(self, organiser: Person, user_id: int) -> bool:
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            if not await store.unblock(conn, user_id):
                return False
            await store.log(conn, organiser.id, "unban", f"user:{user_id}", "", now)
        return True

    async def audit(self, admin: Person, limit: int = 30) -> list[store.AuditEntry]:
        """The log of organiser and admin actions: for admins only."""
        if not admin.is_admin:
            raise NotAllowed(f"{admin.id} is not an admin")
        return await store.audit_entries(self._db.reader, limit)

    async def dismiss(self, organiser: Person, report_id: int) -> bool:
        _require_organiser(organiser)
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            report = await store.get_report(conn, report_id)
            if report is None:
                return False
            await store.close_reports(conn, report.kind, report.target_id, "dismissed", now)
            await store.log(
                conn, organiser.id, "dismiss", f"{report.kind}:{report.target_id}", "", now
            )
        return True


async def _shown_to_nobody(_conn: aiosqlite.Connection, _target_id: int, _user_id: int) -> bool:
    return False


def _require_organiser(person: Person) -> None:
    if not person.is_organiser:
        raise NotAllowed(f"{person.id} is not an organiser")
