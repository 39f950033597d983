"""The organiser's side of announcements: write, preview, send or cancel, watch it go out."""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import ui
from bot.announcements.service import AnnouncementService, SendOutcome
from bot.context import BotContext
from bot.markup import inline_keyboard
from bot.people.service import NotAllowed

log = logging.getLogger(__name__)

SEND = "ann_send"
CANCEL = "ann_cancel"
AWAITING_TEXT = "announce"
PROGRESS_INTERVAL_SECONDS = 5


def service(context: BotContext) -> AnnouncementService:
    return context.runtime.announcements


def _text_after_command(text: str) -> str:
    """Everything after `/announce`, line breaks kept (context.args would flatten them)."""
    parts = re.split(r"\s", text, maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def announce(update: Update, context: BotContext) -> None:
    _ = context._
    if not context.person.is_organiser:
        await update.effective_message.reply_text(_("Only organisers can send announcements."))
        return
    text = _text_after_command(update.effective_message.text or "")
    if not text:
        context.person = await context.runtime.people.expect_text(context.person, AWAITING_TEXT)
        await update.effective_message.reply_text(
            _("Write the announcement now, in one message. /cancel stops.")
        )
        return
    await _preview(update, context, text)


async def announcement_text(update: Update, context: BotContext, _argument: str) -> None:
    """The organiser's next message after a bare /announce."""
    text = update.effective_message.text or ""
    if not text.strip():
        context.person = await context.runtime.people.expect_text(context.person, AWAITING_TEXT)
        await update.effective_message.reply_text(
            context._("An announcement must be text. Write it now, or /cancel.")
        )
        return
    await _preview(update, context, text)


async def preview_cafe(update: Update, context: BotContext, cafe_id: int) -> None:
    """An organiser's "Announce" on a café: each subscriber gets the café in their language."""
    await _preview(update, context, "", cafe_id)


async def _preview(
    update: Update, context: BotContext, text: str, cafe_id: int | None = None
) -> None:
    _ = context._
    try:
        draft = await service(context).draft(context.person, text, cafe_id)
    except NotAllowed:
        await update.effective_message.reply_text(_("Only organisers can send announcements."))
        return
    preview, _buttons = await service(context).preview(context.t, draft.id)
    if draft.subscribers == 0:
        await update.effective_message.reply_text(
            _("Nobody has subscribed to news yet, so there is no one to send this to.")
        )
        return
    question = context.t.ngettext(
        "Send to {count} subscriber?", "Send to {count} subscribers?", draft.subscribers
    ).format(count=context.t.number(draft.subscribers))
    await update.effective_message.reply_text(_("This is how it will look:"))
    for part in ui.split_text(preview)[:-1]:
        await update.effective_message.reply_text(part)
    last = ui.split_text(preview)[-1]
    await update.effective_message.reply_text(
        last if len(last) + len(question) + 2 > ui.MAX_MESSAGE_CHARS else f"{last}\n\n{question}",
        reply_markup=inline_keyboard(
            [[(_("Send"), ui.encode(SEND, draft.id)), (_("Cancel"), ui.encode(CANCEL, draft.id))]]
        ),
    )


def _announcement_id(update: Update) -> int | None:
    press = ui.decode(update.callback_query.data)
    if press is None or len(press.args) != 1 or not press.args[0].isdigit():
        return None
    return int(press.args[0])


async def send_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    _ = context._
    announcement_id = _announcement_id(update)
    if announcement_id is None:
        await query.answer(_("This button has expired."))
        return
    try:
        outcome, count = await service(context).send(context.person, announcement_id)
    except NotAllowed:
        await query.answer(_("Only organisers can send announcements."), show_alert=True)
        return
    if outcome is SendOutcome.NOT_FOUND:
        await query.answer(_("This button has expired."))
        return
    if outcome is SendOutcome.ALREADY_HANDLED:
        await query.answer(_("This announcement was handled already."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    status = await query.message.reply_text(
        context.t.ngettext(
            "Sending to {count} subscriber. I will tell you when it is done.",
            "Sending to {count} subscribers. I will tell you when it is done.",
            count,
        ).format(count=context.t.number(count))
    )
    await service(context).show_progress_in(announcement_id, status.chat_id, status.message_id)


async def cancel_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    _ = context._
    announcement_id = _announcement_id(update)
    try:
        cancelled = announcement_id is not None and await service(context).cancel(
            context.person, announcement_id
        )
    except NotAllowed:
        await query.answer(_("Only organisers can send announcements."), show_alert=True)
        return
    if not cancelled:
        await query.answer(_("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    await query.message.reply_text(_("Cancelled. Nothing was sent."))


async def report_progress(context: BotContext) -> None:
    """Job: show the organiser how far a long announcement is (the summary goes by outbox)."""
    for progress in await service(context).check_progress():
        announcement = progress.announcement
        if progress.finished_now or announcement.progress_chat is None:
            continue
        t = context.runtime.translators[progress.author_locale]
        done = progress.counts.delivered + progress.counts.unreachable + progress.counts.failed
        text = t.gettext("Sending the announcement: {done} of {total} done.").format(
            done=t.number(done), total=t.number(announcement.recipients or 0)
        )
        try:
            await context.bot.edit_message_text(
                text, announcement.progress_chat, announcement.progress_message
            )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                log.warning("announcement %d: progress not shown: %s", announcement.id, error)


HANDLERS = [
    CommandHandler("announce", announce),
    CallbackQueryHandler(send_pressed, pattern=ui.matches(SEND)),
    CallbackQueryHandler(cancel_pressed, pattern=ui.matches(CANCEL)),
]

TEXT_INPUTS = {AWAITING_TEXT: announcement_text}
