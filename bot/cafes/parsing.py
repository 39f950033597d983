"""Reading what organisers type: dates, seats, and the one-line /newcafe.

`/newcafe 2026-12-08 19:00 | Bibliotheek Tiel, Koornmarkt 1 | 12 | Praattafel december`
Optional after the title: a language level ("A2–B1"), a description, and how it repeats:
"monthly", "weekly" or "every 2 weeks" (or in Dutch: maandelijks, wekelijks, om de week).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_TITLE = 80
MAX_PLACE = 200
MAX_LEVEL = 20
MAX_DESCRIPTION = 1000
MAX_SEATS = 500
MONTHLY_WORDS = {"monthly", "maandelijks", "every month", "elke maand"}
WEEKLY_WORDS = {"weekly", "wekelijks", "every week", "elke week"}
FORTNIGHTLY_WORDS = {
    "every 2 weeks",
    "every two weeks",
    "fortnightly",
    "biweekly",
    "tweewekelijks",
    "om de week",
    "elke 2 weken",
    "om de twee weken",
}

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}))?$")
# 19:00, 19.00, 19u, 19u30, 19h (after "19 uur" has become "19u")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2})|[uh](\d{2})?)$")
_SEATS = re.compile(r"^(\d{1,4})(?:\s*\+\s*(\d{1,4}))?$")


class CafeInputError(ValueError):
    """What is wrong with an organiser's input, as a code the handler turns into words."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CafeFields:
    title: str
    starts_at: datetime  # aware
    place: str
    capacity: int
    host_capacity: int = 0
    level: str | None = None
    description: str | None = None
    monthly: bool = False
    duration: timedelta = timedelta(hours=2)
    every_weeks: int | None = None  # 1 or 2: a weekly or fortnightly series
    guests_allowed: bool = False  # set from the Manage card, kept by the next dates


# How Dutch (and English) organisers write a day: "di 8 dec", "dinsdag 8 december 2026".
WEEKDAYS = {
    **dict.fromkeys(("ma", "maandag", "mon", "monday"), 0),
    **dict.fromkeys(("di", "din", "dinsdag", "tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wo", "woe", "woensdag", "wed", "wednesday"), 2),
    **dict.fromkeys(("do", "don", "donderdag", "thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("vr", "vrij", "vrijdag", "fri", "friday"), 4),
    **dict.fromkeys(("za", "zat", "zaterdag", "sat", "saturday"), 5),
    **dict.fromkeys(("zo", "zon", "zondag", "sun", "sunday"), 6),
}
MONTHS = {
    **dict.fromkeys(("jan", "januari", "january"), 1),
    **dict.fromkeys(("feb", "februari", "february"), 2),
    **dict.fromkeys(("mrt", "maart", "mar", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7),
    **dict.fromkeys(("aug", "augustus", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oktober", "oct", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11),
    **dict.fromkeys(("dec", "december"), 12),
}


def parse_when(text: str, now: datetime, timezone: ZoneInfo) -> datetime:
    """A moment in the community's time zone, in the future, written the way people do:
    `2026-12-08 19:00`, `8-12 19.00`, `di 8 dec 19u`, `dinsdag 19:00`.

    Without a year, the next such date is meant. A date without a time raises "no_time"
    (the guided flow then asks for the time: see `parse_day`).
    """
    day, moment_time = parse_day(text, now, timezone)
    if moment_time is None:
        raise CafeInputError("no_time")
    return at_time(day, moment_time, now, timezone)


def parse_day(text: str, now: datetime, timezone: ZoneInfo) -> tuple[date, time | None]:
    """The day, and the time when one was given. Raises "date" or "weekday"."""
    text = re.sub(r"(\d)\s*(?:uur|u)\b", r"\1u", text.lower())
    text = re.sub(r"(\d)t(\d)", r"\1 \2", text)  # 2026-12-08T19:00
    words = [word.strip(".") for word in text.replace(",", " ").split()]
    words = [word for word in words if word]
    moment_time = None
    if len(words) >= 2 and (moment_time := parse_time(words[-1])) is not None:
        words = words[:-1]
        if words[-1] in ("om", "at"):
            words = words[:-1]
    return _day(words, now.astimezone(timezone).date()), moment_time


def parse_time(text: str) -> time | None:
    """`19:00`, `19.00`, `19u`, `19u30`, `19 uur`; None when it is not a time of day."""
    match = _TIME.match(re.sub(r"(\d)\s*(?:uur|u)$", r"\1u", text.strip().lower()))
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or match.group(3) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def at_time(day: date, moment_time: time, now: datetime, timezone: ZoneInfo) -> datetime:
    """The day at that local time; "past" when that moment has gone."""
    moment = datetime.combine(day, moment_time, tzinfo=timezone)
    if moment <= now:
        raise CafeInputError("past")
    return moment


def _day(words: list[str], today: date) -> date:
    weekday = WEEKDAYS.get(words[0]) if words else None
    if weekday is not None:
        words = words[1:]
    if not words:
        if weekday is None:
            raise CafeInputError("date")
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    if len(words) == 1 and (match := _ISO_DAY.match(words[0])):
        day = _date(int(match[1]), int(match[2]), int(match[3]))
    elif len(words) == 1 and (match := _DAY_FIRST.match(words[0])):
        day = _yearless(today, int(match[2]), int(match[1]), match[3])
    elif 2 <= len(words) <= 3 and words[0].isdigit() and words[1] in MONTHS:
        year = words[2] if len(words) == 3 else None
        if year is not None and not (year.isdigit() and len(year) == 4):
            raise CafeInputError("date")
        day = _yearless(today, MONTHS[words[1]], int(words[0]), year)
    else:
        raise CafeInputError("date")
    if weekday is not None and day.weekday() != weekday:
        raise CafeInputError("weekday")
    return day


def _yearless(today: date, month: int, day: int, year: str | None) -> date:
    if year is not None:
        return _date(int(year), month, day)
    found = _date(today.year, month, day)
    return found if found >= today else _date(today.year + 1, month, day)


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CafeInputError("date") from None


def parse_seats(text: str) -> tuple[int, int]:
    """ "12" -> 12 learners; "12+3" -> 12 learners and 3 hosts."""
    match = _SEATS.match(text.strip())
    if not match:
        raise CafeInputError("capacity")
    learners, hosts = int(match.group(1)), int(match.group(2) or 0)
    if not 1 <= learners <= MAX_SEATS or hosts > MAX_SEATS:
        raise CafeInputError("capacity")
    return learners, hosts


def clean_text(text: str, limit: int, code: str) -> str:
    text = text.strip()
    if not text or len(text) > limit:
        raise CafeInputError(code)
    return text


def parse_one_line(text: str, now: datetime, timezone: ZoneInfo) -> CafeFields:
    parts = [part.strip() for part in text.split("|")]
    if len(parts) < 4:
        raise CafeInputError("format")
    repeat = " ".join(parts[-1].lower().split())
    monthly = repeat in MONTHLY_WORDS
    every_weeks = 1 if repeat in WEEKLY_WORDS else 2 if repeat in FORTNIGHTLY_WORDS else None
    if monthly or every_weeks:
        parts = parts[:-1]
    if not 4 <= len(parts) <= 6:
        raise CafeInputError("format")
    when, place, seats, title, *optional = parts
    level = optional[0] if optional and optional[0] else None
    description = optional[1] if len(optional) > 1 and optional[1] else None
    capacity, hosts = parse_seats(seats)
    return CafeFields(
        title=clean_text(title, MAX_TITLE, "title"),
        starts_at=parse_when(when, now, timezone),
        place=clean_text(place, MAX_PLACE, "place"),
        capacity=capacity,
        host_capacity=hosts,
        level=clean_text(level, MAX_LEVEL, "level") if level else None,
        description=clean_text(description, MAX_DESCRIPTION, "description")
        if description
        else None,
        monthly=monthly,
        every_weeks=every_weeks,
    )


def same_weekday_next_month(moment: datetime) -> datetime:
    """The same nth weekday of the next month at the same local time ("every 2nd Tuesday").

    A 5th weekday that the next month does not have becomes that month's last one.
    """
    nth = (moment.day - 1) // 7  # 0 = first
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    first = moment.replace(year=year, month=month, day=1)
    offset = (moment.weekday() - first.weekday()) % 7
    day = 1 + offset + 7 * nth
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 7
