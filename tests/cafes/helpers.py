"""Shared steps for café scenarios."""

from bot.cafes.store import Cafe, latest_cafe
from bot.local_api import LocalUser
from bot.people import store as people_store
from bot.people.roles import Role
from tests.harness import ADMIN

ORGANISER = ADMIN
LINE = "{when} | Bibliotheek Tiel, Koornmarkt 1 | {seats} | Praattafel december"


async def create_cafe(
    bot, seats: str = "12", extra: str = "", when: str = "2026-12-08 19:00"
) -> Cafe:
    replies = await bot.send(ORGANISER, "/newcafe " + LINE.format(when=when, seats=seats) + extra)
    assert replies[0].text == "The café is created.", replies[0].text
    return await latest_cafe(bot.runtime.db.reader)


def newcomers(count: int, start: int = 5000, language: str = "en") -> list[LocalUser]:
    return [LocalUser(start + n, f"N{n}", language) for n in range(count)]


def button(call, action: str) -> str:
    """The callback data of the first button under `call` whose data is for `action`."""
    return next(data for _label, data in call.buttons if data.split("|")[1] == action)


async def make_host(bot, user: LocalUser) -> None:
    """An organiser made this person a conversation host."""
    await bot.runtime.people.identify(user.id, user.first_name, user.language_code)
    async with bot.runtime.db.transaction() as conn:
        await people_store.grant_role(conn, user.id, Role.HOST, ORGANISER.id, 0)
