"""A café as an .ics file, so it lands in the newcomer's own calendar app."""

from __future__ import annotations

from icalendar import Calendar, Event

from bot.cafes.store import Cafe
from bot.clock import from_timestamp


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
