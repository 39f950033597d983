"""A café as an .ics file, so it lands in the newcomer's own calendar app."""

from __future__ import annotations

from icalendar import Calendar, Event

from bot.cafes import texts
from bot.cafes.store import Cafe
from bot.clock import from_timestamp
from bot.i18n import Translator

CAFE_LINK_PREFIX = "cafe"
FILE_NAME = "cafe.ics"


def cafe_link(bot_username: str, cafe_id: int) -> str:
    """The café in the bot: a tap opens its card (to see the details, or to cancel)."""
    return f"https://t.me/{bot_username}?start={CAFE_LINK_PREFIX}_{cafe_id}"


def calendar_file(t: Translator, cafe: Cafe, bot_username: str) -> bytes:
    """The .ics a person with a seat gets, described in their language."""
    description = texts.calendar_description(t, cafe, cafe_link(bot_username, cafe.id))
    return ics_for(cafe, description, bot_username)


def ics_for(cafe: Cafe, description: str, bot_username: str) -> bytes:
    """The UID names the bot, which is one per community: two communities' café number 1
    are two events in one calendar, not one overwriting the other."""
    calendar = Calendar()
    calendar.add("prodid", "-//Landgenoot//language cafés//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"cafe-{cafe.id}@{bot_username}.landgenoot")
    event.add("dtstamp", from_timestamp(cafe.starts_at))
    event.add("dtstart", from_timestamp(cafe.starts_at))
    event.add("dtend", from_timestamp(cafe.ends_at))
    event.add("summary", cafe.title)
    event.add("location", cafe.place)
    event.add("description", description)
    if cafe.status == "cancelled":
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()
