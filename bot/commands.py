"""Every command the bot knows, who may use it, and how /help and the menu describe it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.i18n import N_
from bot.people.roles import Person


class Audience(Enum):
    EVERYONE = "everyone"
    HELPERS = "helpers"  # helpers and key persons
    ORGANISERS = "organisers"  # organisers and admins
    ADMINS = "admins"


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # marked with N_, translated when shown
    audience: Audience = Audience.EVERYONE

    def usable_by(self, person: Person) -> bool:
        if self.audience is Audience.HELPERS:
            return person.is_helper
        if self.audience is Audience.ADMINS:
            return person.is_admin
        return self.audience is Audience.EVERYONE or person.is_organiser


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Start, and choose your language")),
    Command("help", N_("What I can do for you")),
    Command("ask", N_("Ask a question in your language")),
    Command("search", N_("Search questions that were answered before")),
    Command("tips", N_("Tips from the community: browse and search")),
    Command("tip", N_("Share a tip with the community")),
    Command("mytips", N_("Your tips: change or delete them")),
    Command("keyperson", N_("Ask a key person (a trained volunteer) to go with you")),
    Command("cafes", N_("Language cafés: see them and sign up")),
    Command("mycafes", N_("The cafés you signed up for")),
    Command("language", N_("Change your language")),
    Command("languages", N_("Other languages you can read")),
    Command("privacy", N_("What is stored about you, and your rights")),
    Command("mydata", N_("Download everything stored about you")),
    Command("deleteme", N_("Erase everything about you")),
    Command("urgent", N_("Emergency and support numbers")),
    Command("subscribe", N_("Get news about language cafés and events")),
    Command("unsubscribe", N_("Stop the news")),
    Command("cancel", N_("Stop what you are doing")),
    Command("helper", N_("Your helper settings: languages, topics, pause"), Audience.HELPERS),
    Command("myimpact", N_("Your contribution, as a statement to show"), Audience.HELPERS),
    Command("newcafe", N_("Create a language café"), Audience.ORGANISERS),
    Command("moderation", N_("Reported content to look at"), Audience.ORGANISERS),
    Command("unanswered", N_("Questions that wait for an answer"), Audience.ORGANISERS),
    Command("banned", N_("Blocked people, and unblocking"), Audience.ORGANISERS),
    Command("audit", N_("What organisers and admins did"), Audience.ADMINS),
    Command("pendingtips", N_("Tips waiting for an organiser"), Audience.ORGANISERS),
    Command("announce", N_("Send news to all subscribers"), Audience.ORGANISERS),
    Command("invite", N_("Invite someone to a role"), Audience.ORGANISERS),
    Command("roles", N_("Who has which role"), Audience.ORGANISERS),
    Command("report", N_("Impact report: cafés, questions, tips"), Audience.ORGANISERS),
)


def commands_for(person: Person) -> list[Command]:
    return [command for command in COMMANDS if command.usable_by(person)]


def menu_commands() -> list[Command]:
    """What Telegram's command menu shows to everyone."""
    return [command for command in COMMANDS if command.audience is Audience.EVERYONE]
