"""Every command the bot knows, who may use it, and how /help and the menu describe it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.i18n import N_
from bot.people.roles import Person


class Audience(Enum):
    EVERYONE = "everyone"
    ORGANISERS = "organisers"  # organisers and admins


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # marked with N_, translated when shown
    audience: Audience = Audience.EVERYONE

    def usable_by(self, person: Person) -> bool:
        return self.audience is Audience.EVERYONE or person.is_organiser


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Start, and choose your language")),
    Command("help", N_("What I can do for you")),
    Command("language", N_("Change your language")),
    Command("privacy", N_("What is stored about you, and your rights")),
    Command("subscribe", N_("Get news about language cafés and events")),
    Command("unsubscribe", N_("Stop the news")),
    Command("cancel", N_("Stop what you are doing")),
    Command("announce", N_("Send news to all subscribers"), Audience.ORGANISERS),
    Command("invite", N_("Invite someone to a role"), Audience.ORGANISERS),
    Command("roles", N_("Who has which role"), Audience.ORGANISERS),
)


def commands_for(person: Person) -> list[Command]:
    return [command for command in COMMANDS if command.usable_by(person)]


def menu_commands() -> list[Command]:
    """What Telegram's command menu shows to everyone."""
    return [command for command in COMMANDS if command.audience is Audience.EVERYONE]
