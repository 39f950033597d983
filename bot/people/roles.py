"""Who may do what. Roles are stored per user; `admin` comes from ADMIN_IDS, or is stored when
someone opened an admin link (the way a bot without ADMIN_IDS gets its first admin)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import N_


class Role(StrEnum):
    HELPER = "helper"
    KEY_PERSON = "key_person"
    ORGANISER = "organiser"
    ADMIN = "admin"
    HOST = "host"  # a Dutch-speaking conversation host at the language cafés


# Which roles each role may hand out with /invite. An admin can do everything an organiser can.
INVITABLE_BY: dict[Role, frozenset[Role]] = {
    Role.ADMIN: frozenset({Role.ORGANISER, Role.HELPER, Role.KEY_PERSON, Role.HOST}),
    Role.ORGANISER: frozenset({Role.HELPER, Role.KEY_PERSON, Role.HOST}),
}

# Spellings accepted after /invite; the canonical one is shown in messages.
ROLE_ALIASES: dict[str, Role] = {
    "helper": Role.HELPER,
    "keyperson": Role.KEY_PERSON,
    "key_person": Role.KEY_PERSON,
    "key-person": Role.KEY_PERSON,
    "sleutelpersoon": Role.KEY_PERSON,
    "organiser": Role.ORGANISER,
    "organizer": Role.ORGANISER,
    "host": Role.HOST,
    "gastheer": Role.HOST,
    "gastvrouw": Role.HOST,
}


def parse_role(word: str) -> Role | None:
    return ROLE_ALIASES.get(word.strip().lower())


@dataclass(frozen=True)
class Person:
    id: int
    first_name: str
    locale: str | None  # chosen with the picker
    telegram_locale: str | None  # their Telegram app's language, when we ship it
    reachable: bool
    subscribed: bool
    awaiting: str | None  # what the next free text is for, if anything
    roles: frozenset[Role]
    banned: bool = False  # by an organiser: only privacy commands still work

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_organiser(self) -> bool:
        return bool({Role.ORGANISER, Role.ADMIN} & self.roles)

    @property
    def is_key_person(self) -> bool:
        return Role.KEY_PERSON in self.roles

    @property
    def is_host(self) -> bool:
        """May sign up as a conversation host: hosts, and organisers (who host themselves)."""
        return Role.HOST in self.roles or self.is_organiser

    @property
    def is_helper(self) -> bool:
        return bool({Role.HELPER, Role.KEY_PERSON} & self.roles)

    def invitable_roles(self) -> frozenset[Role]:
        allowed: frozenset[Role] = frozenset()
        for role in self.roles:
            allowed |= INVITABLE_BY.get(role, frozenset())
        return allowed


ROLE_LABELS: dict[Role, str] = {
    Role.HELPER: N_("helper"),
    Role.KEY_PERSON: N_("key person"),
    Role.ORGANISER: N_("organiser"),
    Role.ADMIN: N_("admin"),
    Role.HOST: N_("conversation host"),
}
