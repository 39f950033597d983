"""What tips are about; a tip has one category, and /tips browses by them."""

from __future__ import annotations

from bot.i18n import N_

CATEGORIES: dict[str, str] = {
    "food": N_("Food and shops"),
    "free": N_("Free activities"),
    "health": N_("Health"),
    "school": N_("Children and school"),
    "work": N_("Work"),
    "papers": N_("Papers and money"),
    "transport": N_("Transport"),
    "other": N_("Other"),
}
