"""How a café reads in someone's language: used for replies and for outbox messages alike."""

from __future__ import annotations

from babel.dates import format_date, format_time

from bot.cafes.store import HOST, WAITING, Cafe, Counts
from bot.clock import from_timestamp
from bot.i18n import Translator


def when(t: Translator, cafe: Cafe) -> str:
    """ "Tuesday 8 December 2026, 19:00–21:00" in the reader's language and the community's zone."""
    start = from_timestamp(cafe.starts_at).astimezone(t.timezone)
    end = from_timestamp(cafe.ends_at).astimezone(t.timezone)
    day = format_date(start, format="full", locale=t.cldr)
    return t.gettext("{day}, {start}–{end}").format(
        day=day,
        start=format_time(start, format="short", locale=t.cldr),
        end=format_time(end, format="short", locale=t.cldr),
    )


def heading(t: Translator, cafe: Cafe) -> str:
    return f"☕ {t.isolate(cafe.title)}"


def card(t: Translator, cafe: Cafe, counts: Counts | None = None) -> str:
    """The café as a newcomer sees it: what, when, where, level, and whether there is room."""
    lines = [
        heading(t, cafe),
        t.gettext("When: {when}").format(when=t.isolate(when(t, cafe))),
        t.gettext("Where: {place}").format(place=t.isolate(cafe.place)),
    ]
    if cafe.level:
        lines.append(t.gettext("Level: {level}").format(level=t.isolate(cafe.level)))
    if counts is not None:
        lines.append(seats_line(t, cafe, counts))
    if cafe.description:
        lines += ["", cafe.description]
    return "\n".join(lines)


def is_full(cafe: Cafe, counts: Counts) -> bool:
    """No learner's seat left: signing up puts a person on the waitlist."""
    return cafe.capacity - counts.learners <= 0


def seats_line(t: Translator, cafe: Cafe, counts: Counts) -> str:
    left = cafe.capacity - counts.learners
    if is_full(cafe, counts):
        return t.gettext("Full: you can join the waitlist.")
    return t.ngettext("{count} seat left", "{count} seats left", left).format(count=t.number(left))


def calendar_description(t: Translator, cafe: Cafe, link: str) -> str:
    """What a calendar app shows under the café: the level, the description, and the way back
    to the café in the bot (to cancel, or to check the details)."""
    lines = []
    if cafe.level:
        lines.append(t.gettext("Level: {level}").format(level=cafe.level))
    if cafe.description:
        lines.append(cafe.description)
    lines.append(t.gettext("Your place, or to cancel it: {link}").format(link=link))
    return "\n\n".join(lines)


def own_status(t: Translator, status: str, kind: str, position: int = 0, guests: int = 0) -> str:
    """The reader's own place at a café."""
    if guests and status != WAITING:
        return t.gettext("✅ You have a seat, and one for your guest (+1).")
    if status == WAITING:
        return t.gettext("You are number {position} on the waitlist.").format(
            position=position or "?"
        )
    if kind == HOST:
        return t.gettext("✅ You have a seat as conversation host.")
    return t.gettext("✅ You have a seat.")
