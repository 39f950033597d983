"""The rules of impact reports: periods, who may see what, small counts, medians.

- A period is a month ("2026-11"), a quarter ("2026-Q4") or a year ("2026"), in the community's
  time zone; without one, the current month so far (a helper who answered today sees it). A
  period that has not begun is refused; one that is still running is reported up to now, and
  says so.
- Counts of people or of what people did (sign-ups, attendance, questions, tips, per language,
  per topic) from 1 to 4 are shown as "<5", so nobody can be singled out. Zero is shown as 0:
  it says that nobody did something, which points at no one. The number of cafés held counts
  events, not people, and is shown as it is. The median time to a first answer and the
  key-person share are not shown when fewer than 5 questions were answered.
  Suppression is per figure: it hides small groups, it does not stop someone from subtracting
  one shown figure from another.
- A language is named only when at least 5 people of it came; the others are pooled with the
  people whose language is not known, so a lone speaker's language is never on a report.
- Unique attendees are the different people checked in at cafés held in the period; returning
  attendees are those of them who had been checked in at an earlier café, before the period or
  earlier in it. Sign-ups of cafés past retention are gone (their counts are kept), so for those
  months unique, returning and languages are not known; the report says which months.
- A café is held when it is over and was not cancelled. Hosts count as attendees.
- Organisers see reports; helpers and key persons see their own contribution, with their exact
  counts (nobody else's data is in it).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.db import Database
from bot.people.roles import Person
from bot.people.service import NotAllowed
from bot.questions.topics import TOPICS
from bot.reports import store
from bot.reports.store import Attendees, OwnContribution

SMALL_COUNT = 5  # counts from 1 up to this one (exclusive) are not shown exactly
THEMES = 3  # how many topics are offered as themes for the next cafés
NOT_A_THEME = frozenset({"other"})

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


def suppressed(count: int) -> bool:
    """Is this count of people too small to show exactly?"""
    return 0 < count < SMALL_COUNT


def too_few_to_describe(base: int) -> bool:
    """Is a median or a share over `base` items too revealing (or too shaky) to show?"""
    return base < SMALL_COUNT


class PeriodError(ValueError):
    """The period cannot be reported on: `reason` is "unreadable" or "not_begun"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Period:
    year: int
    first_month: int
    length: int  # in months: 1, 3 or 12

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, month, 1)

    @property
    def kind(self) -> str:
        return {1: "month", 3: "quarter", 12: "year"}[self.length]

    @property
    def code(self) -> str:
        """How the period is written: in /report, in file names and in the CSV."""
        if self.length == 1:
            return f"{self.year}-{self.first_month:02d}"
        if self.length == 3:
            return f"{self.year}-Q{(self.first_month - 1) // 3 + 1}"
        return str(self.year)

    @property
    def first_day(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def day_after(self) -> date:
        months = self.year * 12 + self.first_month - 1 + self.length
        return date(months // 12, months % 12 + 1, 1)

    def months(self) -> list[Period]:
        first = self.year * 12 + self.first_month - 1
        return [Period.month(m // 12, m % 12 + 1) for m in range(first, first + self.length)]

    def bounds(self, timezone: ZoneInfo) -> tuple[int, int]:
        """[start, end) in UTC seconds: midnight at the start, in the community's time zone."""
        return _midnight(self.first_day, timezone), _midnight(self.day_after, timezone)


def _midnight(day: date, timezone: ZoneInfo) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone).timestamp())


def parse_period(text: str | None, today: date) -> Period:
    """The period written as "2026-11", "2026-Q4" or "2026"; none: the current month."""
    if not text or not text.strip():
        return Period.month(today.year, today.month)
    text = text.strip()
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError("unreadable")
        period = Period.month(year, month)
    elif match := _QUARTER.match(text):
        period = Period(int(match[1]), 3 * int(match[2]) - 2, 3)
    elif match := _YEAR.match(text):
        period = Period(int(match[1]), 1, 12)
    else:
        raise PeriodError("unreadable")
    if period.year < 2000:
        raise PeriodError("unreadable")
    if period.first_day > today:
        raise PeriodError("not_begun")
    return period


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def pool_languages(people: dict[str | None, int]) -> tuple[list[tuple[str, int]], int]:
    """Languages of at least SMALL_COUNT people, most first; and everyone else, together."""
    named = [(language, n) for language, n in people.items() if language and n >= SMALL_COUNT]
    named.sort(key=lambda item: (-item[1], item[0]))
    return named, sum(people.values()) - sum(n for _language, n in named)


def rank_topics(questions: Sequence[store.AskedQuestion]) -> list[tuple[str, int]]:
    """(topic, questions asked), most asked first; ties in the order /ask shows topics."""
    order = list(TOPICS)
    asked = Counter(q.topic for q in questions)
    return sorted(
        asked.items(),
        key=lambda item: (-item[1], order.index(item[0]) if item[0] in order else len(order)),
    )


@dataclass(frozen=True)
class CafeFigures:
    held: int
    signed_up: int
    attended: int
    no_shows: int


@dataclass(frozen=True)
class QuestionFigures:
    asked: int
    answered: int
    by_key_person: int  # answered questions that a key person answered
    median_first_answer: float | None  # seconds from being asked to the first answer

    @property
    def key_person_share(self) -> float | None:
        return self.by_key_person / self.answered if self.answered else None


@dataclass(frozen=True)
class Figures:
    """One month, or the whole period."""

    period: Period
    cafes: CafeFigures
    attendees: Attendees | None  # None: who came to (some of) these cafés is no longer stored
    questions: QuestionFigures
    tips: int | None  # None: this community has no tips


@dataclass(frozen=True)
class Feedback:
    """The morning-after answers: counts per mood, and what people asked to talk about."""

    moods: dict[str, int]  # "good", "okay", "bad"
    topics: list[tuple[str, int]]  # (question topic, people), most first
    words: list[tuple[str, int]]  # (their own word, people): only words of 5 people or more

    @property
    def answers(self) -> int:
        return sum(self.moods.values())


def count_feedback(answers: Sequence[store.FeedbackAnswer]) -> Feedback:
    """A word someone wrote is shown only when at least SMALL_COUNT people wrote it: a lone
    word may say who wrote it; a topic chosen from the list is counted like any figure."""
    moods = Counter(answer.mood for answer in answers)
    order = list(TOPICS)
    topics = Counter(answer.theme_topic for answer in answers if answer.theme_topic)
    words = Counter(answer.theme_word.casefold() for answer in answers if answer.theme_word)
    return Feedback(
        moods={mood: moods.get(mood, 0) for mood in ("good", "okay", "bad")},
        topics=sorted(topics.items(), key=lambda item: (-item[1], order.index(item[0]))),
        words=sorted(
            ((word, n) for word, n in words.items() if n >= SMALL_COUNT),
            key=lambda item: (-item[1], item[0]),
        ),
    )


@dataclass(frozen=True)
class ImpactReport:
    total: Figures
    months: list[Figures]
    until: datetime | None  # the period is still running: figures up to this moment
    kept_as_counts: list[Period]  # months whose attendees are no longer known, only counted
    languages: list[tuple[str, int]]  # (locale, people), only languages of 5 people or more
    other_languages: int  # people of smaller or unknown languages, together
    topics: list[tuple[str, int]]  # (topic, questions), most asked first
    themes: list[str]  # the most asked topics, offered as themes for the next cafés
    feedback: Feedback | None = None  # the morning-after answers about the held cafés

    @property
    def partial(self) -> bool:
        return bool(self.kept_as_counts)


@dataclass(frozen=True)
class Contribution:
    period: Period
    until: datetime | None
    is_key_person: bool
    figures: OwnContribution


class ReportService:
    def __init__(self, db: Database, clock: Clock, timezone: ZoneInfo) -> None:
        self._db = db
        self._clock = clock
        self._timezone = timezone

    def today(self) -> date:
        return self._clock.now().astimezone(self._timezone).date()

    def parse_period(self, text: str | None) -> Period:
        return parse_period(text, self.today())

    def examples(self) -> list[str]:
        """Periods to suggest: the last full month, its quarter and its year."""
        today = self.today()
        previous = today.year * 12 + today.month - 2
        month = Period.month(previous // 12, previous % 12 + 1)
        quarter = Period(month.year, (month.first_month - 1) // 3 * 3 + 1, 3)
        return [month.code, quarter.code, str(month.year)]

    def _until(self, period: Period) -> datetime | None:
        now = self._clock.now()
        _start, end = period.bounds(self._timezone)
        return now if now.timestamp() < end else None

    # -- for organisers -----------------------------------------------------------------------

    async def impact(self, organiser: Person, period_text: str | None) -> ImpactReport:
        """The community's figures for a period. Raises NotAllowed, PeriodError."""
        if not organiser.is_organiser:
            raise NotAllowed
        period = self.parse_period(period_text)
        now = self._clock.timestamp()
        conn = self._db.long_reader
        start, end = period.bounds(self._timezone)
        cafes = await store.held_cafes(conn, start, end, now)
        questions = await store.asked_questions(conn, start, end)
        tips = await store.tips_published(conn, start, end)

        months, kept_as_counts = [], []
        for month in period.months():
            low, high = month.bounds(self._timezone)
            month_cafes = [c for c in cafes if low <= c.starts_at < high]
            if any(c.kept_as_counts for c in month_cafes):
                kept_as_counts.append(month)
            months.append(
                await self._figures(
                    month,
                    month_cafes,
                    [q for q in questions if low <= q.routed_at < high],
                    None if tips is None else [t for t in tips if low <= t < high],
                    now,
                )
            )
        total = await self._figures(period, cafes, questions, tips, now)

        named, other = pool_languages(await store.attendee_languages(conn, start, end, now))
        topics = rank_topics(questions)
        return ImpactReport(
            total=total,
            months=months,
            until=self._until(period),
            kept_as_counts=kept_as_counts,
            languages=named,
            other_languages=other,
            topics=topics,
            themes=[topic for topic, _count in topics if topic not in NOT_A_THEME][:THEMES],
            feedback=count_feedback(await store.cafe_feedback(conn, start, end, now)),
        )

    async def _figures(
        self,
        period: Period,
        cafes: list[store.HeldCafe],
        questions: list[store.AskedQuestion],
        tips: list[int] | None,
        now: int,
    ) -> Figures:
        live = [c for c in cafes if not c.kept_as_counts]
        # A month with a café past retention has no unique count; a quarter or a year counts
        # the people of the cafés whose sign-ups are still stored, and the report names the
        # months left out.
        known = len(live) == len(cafes) or (period.length > 1 and bool(live))
        attendees = None
        if known:
            start, end = period.bounds(self._timezone)
            attendees = await store.attendees(self._db.long_reader, start, end, now)
        answered = [q for q in questions if q.first_answer_at is not None]
        waits = [q.first_answer_at - q.routed_at for q in answered if q.first_answer_at]
        return Figures(
            period=period,
            cafes=CafeFigures(
                held=len(cafes),
                signed_up=sum(c.signed_up for c in cafes),
                attended=sum(c.attended for c in cafes),
                no_shows=sum(c.no_shows for c in cafes),
            ),
            attendees=attendees,
            questions=QuestionFigures(
                asked=len(questions),
                answered=len(answered),
                by_key_person=sum(q.by_key_person for q in answered),
                median_first_answer=median(waits),
            ),
            tips=None if tips is None else len(tips),
        )

    # -- for helpers and key persons ----------------------------------------------------------

    async def contribution(self, helper: Person, period_text: str | None) -> Contribution:
        """What this helper or key person did in a period. Raises NotAllowed, PeriodError."""
        if not helper.is_helper:
            raise NotAllowed
        period = self.parse_period(period_text)
        start, end = period.bounds(self._timezone)
        figures = await store.own_contribution(
            self._db.long_reader, helper.id, start, end, self._clock.timestamp()
        )
        return Contribution(period, self._until(period), helper.is_key_person, figures)
