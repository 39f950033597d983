"""Turn ui keyboards into python-telegram-bot objects, and send a text with its keyboard:
the one place handlers need them."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.ui import Rows, fitted, split_text


def inline_keyboard(rows: Rows) -> InlineKeyboardMarkup:
    """The keyboard, each row split where it would be too wide for a phone (`ui.fitted`)."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in fitted(rows)
        ]
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
