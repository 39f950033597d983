"""The last word: what the bot says when no feature took an update, and when one failed."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import resolve_locale
from bot.sending_budget import HandedToOutbox

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(
        context._("I do not know that command. Type /help to see what I can do.")
    )


async def free_text(update: Update, context: BotContext) -> None:
    """A message that is not a command: the answer to a question the bot asked, if it asked one."""
    purpose, _sep, argument = (context.person.awaiting or "").partition(":")
    read = context.runtime.text_inputs.get(purpose)
    if read is None:
        offer = context.runtime.stray_text
        if not purpose and offer is not None and await offer(update, context):
            return
        await update.effective_message.reply_text(
            context._("I did not understand that. Type /help to see what I can do.")
        )
        return
    context.person = await context.runtime.people.expect_text(context.person, None)
    await read(update, context, argument)


async def expired_button(update: Update, context: BotContext) -> None:
    """A press that no feature recognised: an old keyboard, or data someone made up."""
    await update.callback_query.answer(context._("This button has expired."))


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its update id; tell the person briefly, in their language."""
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, HandedToOutbox):
        return  # not a failure: the reply waits in the outbox (logged by the sending budget)
    if isinstance(context.error, Forbidden) and isinstance(update, Update):
        # They blocked the bot while it was answering: an apology could not reach them either.
        log.info("update %s: the person blocked the bot (%s)", update_id, context.error)
        user, chat = update.effective_user, update.effective_chat
        if user is not None and (chat is None or chat.id == user.id):  # not a group we left
            await context.runtime.people.mark_unreachable(user.id)
        return
    log.error("update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    translator = getattr(context, "t", None)
    if translator is None:
        runtime = context.runtime
        user = update.effective_user
        code = user.language_code if user else None
        translator = runtime.translators[
            resolve_locale(None, code, runtime.settings.default_locale)
        ]
    try:
        await context.bot.send_message(
            update.effective_chat.id,
            translator.gettext("Sorry, something went wrong on my side. Please try again later."),
        )
    except Exception:
        log.exception("update %s: could not send the apology", update_id)


HANDLERS = [
    MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, unknown_command),
    MessageHandler(filters.UpdateType.MESSAGE, free_text),
    CallbackQueryHandler(expired_button),
]
