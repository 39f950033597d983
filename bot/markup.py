"""Turn ui keyboards into python-telegram-bot objects, and send a text with its keyboard:
the one place handlers need them."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot import ui
from bot.ui import Rows, fitted, split_text

log = logging.getLogger(__name__)


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


async def show_in_place(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Turn the pressed message into what the press asked for: one edit, no new message.

    A double tap edits to what is on the screen already ("message is not modified"): nothing
    to do. A press on a message that is gone or cannot be edited (deleted, too old, not a
    text) gets what it asked for as a new message instead.
    """
    message = query.message
    if message is not None and message.is_accessible:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return
            log.info("could not edit the pressed message (%s): sending a new one", error)
    chat_id = message.chat.id if message is not None else query.from_user.id
    await query.get_bot().send_message(chat_id, text, reply_markup=markup)


def without_button(markup: InlineKeyboardMarkup | None, action: str) -> InlineKeyboardMarkup:
    """The same keyboard without the buttons of `action`: a step that must not run twice."""
    pressed = ui.matches(action)
    rows = [
        [button for button in row if not pressed(button.callback_data)]
        for row in (markup.inline_keyboard if markup else ())
    ]
    return InlineKeyboardMarkup([row for row in rows if row])
