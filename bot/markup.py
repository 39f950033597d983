"""Turn ui keyboards into python-telegram-bot objects, and send a text with its keyboard:
the one place handlers need them."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import ui
from bot.ui import Rows, split_text


def inline_keyboard(rows: Rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def reply_in_parts(message: Message, text: str, rows: Rows | None = None) -> None:
    """One message whenever the text fits: each message is a round trip the person waits for,
    and one of the 30 a second Telegram allows the whole bot. A longer text (a list of cafés
    or questions with their answers) is split, never cut, with the buttons under the last part.
    """
    *before, last = split_text(text)
    for part in before:
        await message.reply_text(part)
    await message.reply_text(last, reply_markup=inline_keyboard(rows) if rows else None)


def without_button(markup: InlineKeyboardMarkup | None, action: str) -> InlineKeyboardMarkup:
    """The same keyboard without the buttons of `action`: a step that must not run twice."""
    pressed = ui.matches(action)
    rows = [
        [button for button in row if not pressed(button.callback_data)]
        for row in (markup.inline_keyboard if markup else ())
    ]
    return InlineKeyboardMarkup([row for row in rows if row])
