"""The topics people ask about; helpers choose the ones they can answer."""

from __future__ import annotations

from bot.i18n import N_

TOPICS: dict[str, str] = {
    "housing": N_("Housing"),
    "health": N_("Health"),
    "work": N_("Work and money"),
    "school": N_("School and children"),
    "papers": N_("Papers and the municipality"),
    "study": N_("Language and study"),
    "daily": N_("Daily life"),
    "other": N_("Other"),
}
