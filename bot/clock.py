"""Time: stored as UTC seconds, read from one clock that tests can move by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def timestamp(self) -> int:
        return int(self.now().timestamp())


class ManualClock(Clock):
    """A clock that only moves when told to; for tests and simulations."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)


def from_timestamp(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


class MovableClock(Clock):
    """The wall clock, plus however far it was moved forward (the console's `/clock +13h`)."""

    def __init__(self) -> None:
        self.ahead = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def move(self, delta: timedelta) -> None:
        self.ahead += delta
