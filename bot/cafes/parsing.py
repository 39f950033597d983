"""Reading what organisers type: dates, seats, and the one-line /newcafe.

`/newcafe 2026-12-08 19:00 | Bibliotheek Tiel, Koornmarkt 1 | 12 | Praattafel december`
Optional after the title: a language level ("A2–B1"), a description, and the word "monthly".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

MAX_TITLE = 80
MAX_PLACE = 200
MAX_LEVEL = 20
MAX_DESCRIPTION = 1000
MAX_SEATS = 500
MONTHLY_WORDS = {"monthly", "maandelijks", "every month", "elke maand"}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2})[:.](\d{2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}))?[ T]+(\d{1,2})[:.](\d{2})$")
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


def parse_when(text: str, now: datetime, timezone: ZoneInfo) -> datetime:
    """`YYYY-MM-DD HH:MM` or `D-M[-YYYY] HH:MM`, in the community's time zone, in the future.

    Without a year, the next such date is meant.
    """
    text = " ".join(text.split())
    local_now = now.astimezone(timezone)
    if match := _ISO.match(text):
        year, month, day, hour, minute = (int(part) for part in match.groups())
        moment = _local(year, month, day, hour, minute, timezone)
    elif match := _DAY_FIRST.match(text):
        day, month = int(match.group(1)), int(match.group(2))
        hour, minute = int(match.group(4)), int(match.group(5))
        if match.group(3):
            moment = _local(int(match.group(3)), month, day, hour, minute, timezone)
        else:
            moment = _local(local_now.year, month, day, hour, minute, timezone)
            if moment <= now:
                moment = _local(local_now.year + 1, month, day, hour, minute, timezone)
    else:
        raise CafeInputError("date")
    if moment <= now:
        raise CafeInputError("past")
    return moment


def _local(year: int, month: int, day: int, hour: int, minute: int, tz: ZoneInfo) -> datetime:
    try:
        return datetime(year, month, day, hour, minute, tzinfo=tz)
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
    monthly = parts[-1].lower() in MONTHLY_WORDS
    if monthly:
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
