"""The rules about people: who they are, which language they read, which roles they hold."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

import aiosqlite

from bot.clock import Clock
from bot.db import Database
from bot.i18n import SHIPPED_LOCALES, Translators, resolve_locale, shipped_locale
from bot.moderation import store as audit
from bot.outbox import store as outbox
from bot.people import store
from bot.people.roles import ROLE_LABELS, Person, Role

INVITE_VALIDITY = timedelta(days=7)
ADMIN_LINK_VALIDITY = timedelta(hours=24)


class NotAllowed(Exception):
    """The person may not do this (whatever a button or a command claimed)."""


class RedeemOutcome(Enum):
    GRANTED = "granted"
    ALREADY_HAD = "already_had"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class IssuedInvite:
    token: str
    role: Role
    expires_at: datetime


@dataclass(frozen=True)
class Redemption:
    outcome: RedeemOutcome
    role: Role | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PeopleService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        translators: Translators,
        admin_ids: frozenset[int],
        default_locale: str,
    ) -> None:
        self._db = db
        self._clock = clock
        self._translators = translators
        self._admin_ids = admin_ids
        self._default_locale = default_locale

    async def identify(
        self,
        user_id: int,
        first_name: str,
        language_code: str | None = None,
        is_command: bool = False,
    ) -> Person:
        """The person behind an update; created on first contact, kept current after that.

        Their Telegram language is remembered (when we ship it), so that messages reaching
        them later through the outbox speak it too. A command interrupts whatever free text
        the bot was waiting for.
        """
        telegram_locale = shipped_locale(language_code)
        # Every update starts here: a read by key, on the loop's thread (`inline_reader`).
        stored = await store.get_user(self._db.inline_reader, user_id)
        interrupts = is_command and stored is not None and stored.awaiting is not None
        if (
            stored is None
            or stored.first_name != first_name
            or stored.telegram_locale != telegram_locale
            or not stored.reachable
            or interrupts
        ):
            now = self._clock.timestamp()
            async with self._db.transaction() as conn:
                await store.insert_user(conn, user_id, first_name, now)
                await store.update_profile(conn, user_id, first_name, telegram_locale, now)
                # Writing to us again means they unblocked the bot.
                await store.mark_reachable(conn, user_id, True, now)
                if interrupts:
                    await store.set_awaiting(conn, user_id, None)
                stored = await store.get_user(conn, user_id)
            assert stored is not None
        return self._person(stored)

    async def mark_unreachable(self, user_id: int) -> None:
        """They blocked the bot (Telegram said 403): the outbox stops writing to them until
        they write to us again."""
        async with self._db.transaction() as conn:
            await store.mark_reachable(conn, user_id, False, self._clock.timestamp())

    def locale_for(self, person: Person | store.StoredUser | store.Recipient) -> str:
        """The language to write to someone in: their choice, their Telegram's, the default."""
        return resolve_locale(person.locale, person.telegram_locale, self._default_locale)

    async def choose_locale(self, person: Person, locale: str) -> Person:
        if locale not in SHIPPED_LOCALES:
            raise ValueError(f"locale {locale!r} is not shipped")
        async with self._db.transaction() as conn:
            await store.set_locale(conn, person.id, locale, self._clock.timestamp())
        return replace(person, locale=locale)

    async def set_subscribed(self, person: Person, subscribed: bool) -> Person:
        async with self._db.transaction() as conn:
            await store.set_subscribed(conn, person.id, subscribed, self._clock.timestamp())
        return replace(person, subscribed=subscribed)

    async def expect_text(self, person: Person, purpose: str | None) -> Person:
        """Remember what the person's next free text is for (None: nothing)."""
        async with self._db.transaction() as conn:
            await store.set_awaiting(conn, person.id, purpose)
        return replace(person, awaiting=purpose)

    async def create_invite(self, inviter: Person, role: Role) -> IssuedInvite:
        if role not in inviter.invitable_roles():
            raise NotAllowed(f"{inviter.id} may not invite {role}")
        token = secrets.token_urlsafe(12)
        now = self._clock.now()
        expires = now + INVITE_VALIDITY
        async with self._db.transaction() as conn:
            await store.insert_invite(
                conn, _hash(token), role, inviter.id, int(now.timestamp()), int(expires.timestamp())
            )
            await audit.log(conn, inviter.id, "invite", f"role:{role}", "", int(now.timestamp()))
        return IssuedInvite(token, role, expires)

    async def has_admin(self) -> bool:
        """Someone is admin: named in ADMIN_IDS, or made admin by an admin link."""
        return bool(self._admin_ids) or await store.has_stored_admin(self._db.reader)

    async def create_admin_link(self) -> IssuedInvite:
        """A link that makes whoever opens it first an admin, once, within 24 hours: how a new
        bot gets its first admin without anyone looking up their numeric Telegram id. Made by
        the bot itself (at start, or `python -m bot admin-link`); it replaces the previous one
        that nobody opened."""
        token = secrets.token_urlsafe(12)
        now = self._clock.now()
        expires = now + ADMIN_LINK_VALIDITY
        async with self._db.transaction() as conn:
            await store.withdraw_admin_links(conn)
            await store.insert_invite(
                conn, _hash(token), Role.ADMIN, None, int(now.timestamp()), int(expires.timestamp())
            )
        return IssuedInvite(token, Role.ADMIN, expires)

    async def redeem_invite(self, person: Person, token: str) -> Redemption:
        """Give the invite's role to whoever opened the link, once, within its validity."""
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            invite = await store.get_invite(conn, _hash(token))
            if invite is None:
                return Redemption(RedeemOutcome.UNKNOWN)
            if invite.used_by is not None:
                return Redemption(RedeemOutcome.USED, invite.role)
            if invite.expires_at <= now:
                return Redemption(RedeemOutcome.EXPIRED, invite.role)
            await store.mark_invite_used(conn, _hash(token), person.id, now)
            granted = await store.grant_role(conn, person.id, invite.role, invite.created_by, now)
            if granted and invite.created_by is not None:
                await self._tell_inviter(conn, invite.created_by, person, invite.role, now)
            if granted:
                # An admin link has no inviter: the audit names the new admin as the actor.
                actor = invite.created_by if invite.created_by is not None else person.id
                await audit.log(conn, actor, "appoint", f"user:{person.id}", invite.role, now)
        return Redemption(
            RedeemOutcome.GRANTED if granted else RedeemOutcome.ALREADY_HAD, invite.role
        )

    async def _tell_inviter(
        self, conn: aiosqlite.Connection, inviter_id: int, person: Person, role: Role, now: int
    ) -> None:
        inviter = await store.get_user(conn, inviter_id)
        if inviter is None:
            return
        t = self._translators[self.locale_for(inviter)]
        text = t.gettext("{name} opened your invite. Their new role: {role}.").format(
            name=t.isolate(person.first_name), role=t.gettext(ROLE_LABELS[role])
        )
        await outbox.enqueue(conn, inviter_id, text, now=now, about=[person.id])

    async def role_holders(self, viewer: Person) -> list[store.RoleHolder]:
        if not viewer.is_organiser:
            raise NotAllowed(f"{viewer.id} may not list roles")
        holders = await store.role_holders(self._db.reader)
        stored_admins = {h.user_id for h in holders if h.role is Role.ADMIN}
        admins = sorted(self._admin_ids - stored_admins)
        names = await store.first_names(self._db.reader, admins)
        return [store.RoleHolder(a, names.get(a, ""), Role.ADMIN) for a in admins] + holders

    def _person(self, stored: store.StoredUser) -> Person:
        roles = stored.roles | ({Role.ADMIN} if stored.id in self._admin_ids else set())
        return Person(
            stored.id,
            stored.first_name,
            stored.locale,
            stored.telegram_locale,
            stored.reachable,
            stored.subscribed,
            stored.awaiting,
            roles,
            stored.banned,
        )
