"""Shared steps for tip scenarios: people who joined long ago, messages with a photo or a place."""

from __future__ import annotations

import re
from datetime import timedelta

from telegram import Update

from bot.local_api import SENDING_METHODS, ApiCall, LocalUser
from bot.people import store as people_store
from bot.people.roles import Role
from bot.tips.service import Field, Place
from bot.tips.store import Tip, get_tip
from tests.harness import ADMIN, START

SHOWN = SENDING_METHODS | {"editMessageText"}


async def member(bot, user: LocalUser, joined_days_ago: int = 30):
    """Someone who joined the community `joined_days_ago` before the test started."""
    person = await bot.runtime.people.identify(user.id, user.first_name, user.language_code)
    joined = int((START - timedelta(days=joined_days_ago)).timestamp())
    async with bot.runtime.db.transaction() as conn:
        await conn.execute("UPDATE users SET created_at = ? WHERE id = ?", (joined, user.id))
    return person


async def organiser(bot, user: LocalUser):
    await member(bot, user)
    async with bot.runtime.db.transaction() as conn:
        await people_store.grant_role(conn, user.id, Role.ORGANISER, ADMIN.id, 0)
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


def shown(bot, user: LocalUser, mark: int) -> list[ApiCall]:
    """Everything the bot sent to the user's chat since `mark`, photos and maps included."""
    return [c for c in bot.api.calls[mark:] if c.method in SHOWN and c.chat_id == user.id]


async def say(bot, user: LocalUser, text: str) -> list[ApiCall]:
    mark = len(bot.api.calls)
    await bot.send(user, text)
    return shown(bot, user, mark)


async def tap(bot, user: LocalUser, on: ApiCall, data: str) -> list[ApiCall]:
    """Press a button; returns the toast (answerCallbackQuery) first, then what was shown."""
    mark = len(bot.api.calls)
    await bot.press_data(user, on, data)
    toasts = [c for c in bot.api.calls[mark:] if c.method == "answerCallbackQuery"]
    return toasts + shown(bot, user, mark)


async def send_update(bot, user: LocalUser, **content) -> list[ApiCall]:
    """A message with a photo, a location or a venue instead of text."""
    data = bot.updates.message(user, "").to_dict()
    data["message"].pop("text")
    data["message"].update(content)
    mark = len(bot.api.calls)
    await bot.app.process_update(Update.de_json(data, bot.app.bot))
    return shown(bot, user, mark)


async def send_photo(bot, user: LocalUser, file_id: str, caption: str | None = None):
    photo = [
        {"file_id": f"{file_id}-small", "file_unique_id": f"{file_id}s", "width": 90, "height": 90},
        {"file_id": file_id, "file_unique_id": f"{file_id}l", "width": 800, "height": 800},
    ]
    extra = {"caption": caption} if caption else {}
    return await send_update(bot, user, photo=photo, **extra)


async def send_location(bot, user: LocalUser, latitude: float, longitude: float):
    return await send_update(bot, user, location={"latitude": latitude, "longitude": longitude})


async def send_venue(bot, user: LocalUser, latitude: float, longitude: float, title, address):
    location = {"latitude": latitude, "longitude": longitude}
    venue = {"location": location, "title": title, "address": address}
    return await send_update(bot, user, location=location, venue=venue)


def listed(call: ApiCall) -> list[str]:
    """The texts of the tips a list of tips shows, in their order (each entry is "N. 💡 ...",
    then the tip's text on the next line)."""
    entries = [part for part in call.text.split("\n\n") if re.match(r"\d+\. 💡", part)]
    return [entry.split("\n")[1] for entry in entries]


def labels(call: ApiCall, number: int | None = None) -> list[str]:
    """The button labels of tip `number` in a list, or (None) those of no tip: the navigation."""
    if number is None:
        return [label for label, _data in call.buttons if not re.match(r"\d+\. ", label)]
    return [label for label, _data in call.buttons if label.startswith(f"{number}. ")]


def tip_button(call: ApiCall, number: int, action: str) -> str:
    """The callback data of tip `number`'s button for `action` under a list of tips."""
    return next(
        data
        for label, data in call.buttons
        if label.startswith(f"{number}. ") and data.split("|")[1] == action
    )


def button(call: ApiCall, action: str, *args: object) -> str:
    """The callback data under `call` for `action` (and, if given, starting with `args`)."""
    prefix = "|".join(["1", action, *map(str, args)])
    return next(d for _label, d in call.buttons if d == prefix or d.startswith(prefix + "|"))


async def share(
    bot,
    user: LocalUser,
    text: str,
    category: str = "food",
    *,
    area: str | None = None,
    place: tuple[float, float] | None = None,
    photo: str | None = None,
) -> tuple[Tip, list[ApiCall]]:
    """Go through /tip: category, text, the extras, Publish. Returns the tip and the replies
    to Publish."""
    [picker] = await say(bot, user, "/tip")
    await tap(bot, user, picker, f"1|tip_new|{category}")
    editor = (await say(bot, user, text))[-1]  # a long text with a photo comes in two
    tip_id = int(button(editor, "tip_pub").split("|")[2])
    if area is not None:
        await tap(bot, user, editor, f"1|tip_set|{tip_id}|area")
        editor = (await say(bot, user, area))[-1]
    if place is not None:
        await tap(bot, user, editor, f"1|tip_set|{tip_id}|place")
        editor = (await send_location(bot, user, *place))[-1]
    if photo is not None:
        await tap(bot, user, editor, f"1|tip_set|{tip_id}|photo")
        editor = (await send_photo(bot, user, photo))[-1]
    replies = await tap(bot, user, editor, f"1|tip_pub|{tip_id}")
    tip = await get_tip(bot.runtime.db.reader, tip_id)
    assert tip is not None
    return tip, replies


async def shared(
    bot,
    user: LocalUser,
    text: str,
    category: str = "food",
    *,
    place: tuple[float, float] | None = None,
) -> Tip:
    """A tip shared through the service: for scenarios that need many tips (the bot's flood
    guard would slow down one person sending dozens of messages a minute)."""
    tips = bot.runtime.tips
    person = await bot.runtime.people.identify(user.id, user.first_name, user.language_code)
    draft = await tips.start(person, category, text, None)
    if place is not None:
        await tips.change(person, draft.id, Field.PLACE, Place(*place))
    tip = await tips.publish(person, draft.id)
    assert tip is not None
    return tip
