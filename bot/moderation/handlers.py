"""Reporting content, and the organisers' queue of reports."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import ui
from bot.context import BotContext
from bot.markup import inline_keyboard, reply_in_parts
from bot.moderation.audit import audit_line
from bot.moderation.service import REPORT, Action, ModerationService, QueueItem, ReportOutcome

log = logging.getLogger(__name__)

DECIDE = "mod"
READ_IN_FULL = "modfull"
# A reported text is shown shortened past this, so that it fits one message with its header.
SHOWN_CHARS = 3500
AWAITING_REASON = "modreason"
UNBAN = "unban"


def service(context: BotContext) -> ModerationService:
    return context.runtime.moderation


async def report_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    outcome = ReportOutcome.NOT_SHOWN
    if press and len(press.args) == 2 and press.args[1].isdigit():
        outcome = await service(context).report(context.person, press.args[0], int(press.args[1]))
    if outcome is ReportOutcome.NOT_SHOWN:
        await query.answer(context._("This button has expired."))
    elif outcome is ReportOutcome.TOO_MANY:
        await query.answer(
            context._("You reported a lot in the last hour. Please try again in an hour."),
            show_alert=True,
        )
    else:
        await query.answer(context._("Thank you. An organiser will look at it."), show_alert=True)


async def show_reports(update: Update, context: BotContext) -> None:
    _ = context._
    if not context.person.is_organiser:
        await update.effective_message.reply_text(_("Only organisers can see reports."))
        return
    items = await service(context).queue(context.person)
    if not items:
        await update.effective_message.reply_text(_("No reports are waiting."))
        return
    not_shown = 0
    for item in items:
        try:
            await _show_report(update, context, item)
        except Forbidden:
            raise  # the organiser blocked the bot: no point in the rest
        except TelegramError as error:
            # One report that cannot be shown must not hide the ones after it.
            log.warning("report %d could not be shown: %s", item.report.id, error)
            not_shown += 1
    if not_shown:
        await update.effective_message.reply_text(
            context.t.ngettext(
                "{count} report could not be shown. Try /moderation again later.",
                "{count} reports could not be shown. Try /moderation again later.",
                not_shown,
            ).format(count=not_shown)
        )


async def _show_report(update: Update, context: BotContext, item: QueueItem) -> None:
    """One report, in one message: a long text is shortened, with a button to read it whole."""
    _ = context._
    header = context.t.ngettext(
        "Reported by {count} person:", "Reported by {count} people:", item.report.count
    ).format(count=item.report.count)
    rid = item.report.id
    rows = [
        [
            (_("Hide"), ui.encode(DECIDE, "hide", rid)),
            (_("Hide and block the author"), ui.encode(DECIDE, "block", rid)),
        ],
        [(_("Nothing wrong"), ui.encode(DECIDE, "dismiss", rid))],
    ]
    text = item.content.text
    if len(text) > SHOWN_CHARS:
        text = ui.shorten(text, SHOWN_CHARS)
        rows.insert(0, [(_("Read it in full"), ui.encode(READ_IN_FULL, rid))])
    message = update.effective_message
    for kind, file_id in item.content.files:  # what the readers saw, before the decision
        send = message.reply_photo if kind == "photo" else message.reply_document
        await send(file_id)
    await message.reply_text(f"{header}\n\n{text}", reply_markup=inline_keyboard(rows))


async def read_in_full_pressed(update: Update, context: BotContext) -> None:
    """The whole reported text, in as many messages as it takes."""
    query = update.callback_query
    press = ui.decode(query.data)
    content = None
    if press and len(press.args) == 1 and press.args[0].isdigit() and context.person.is_organiser:
        content = await service(context).reported_content(context.person, int(press.args[0]))
    if content is None:
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    await reply_in_parts(update.effective_message, content.text)


async def decision_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    valid = (
        press is not None
        and len(press.args) == 2
        and press.args[0] in {"hide", "block", "dismiss"}
        and press.args[1].isdigit()
        and context.person.is_organiser
    )
    if not valid:
        await query.answer(context._("This button has expired."))
        return
    decision, report_id = press.args[0], int(press.args[1])
    if decision == "dismiss":
        done = await service(context).dismiss(context.person, report_id)
        await query.answer(context._("Done.") if done else context._("This button has expired."))
        if done:
            context.close_keyboard(query)
        return
    context.acknowledge(query)
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_REASON}:{decision}:{report_id}"
    )
    await update.effective_message.reply_text(
        context._("Why? Write the reason in one message; it is kept in the moderation log.")
    )


async def reason_given(update: Update, context: BotContext, argument: str) -> None:
    decision, _sep, report_id = argument.partition(":")
    reason = (update.effective_message.text or "").strip()
    if not reason:
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_REASON}:{argument}"
        )
        await update.effective_message.reply_text(context._("Please write the reason as text."))
        return
    action = Action.BLOCK if decision == "block" else Action.HIDE
    done = report_id.isdigit() and await service(context).act(
        context.person, int(report_id), action, reason
    )
    await update.effective_message.reply_text(
        context._("Done. It is hidden everywhere.")
        if done
        else context._("This was handled already.")
    )


async def show_banned(update: Update, context: BotContext) -> None:
    _ = context._
    if not context.person.is_organiser:
        await update.effective_message.reply_text(_("Only organisers can see this."))
        return
    people = await service(context).banned(context.person)
    if not people:
        await update.effective_message.reply_text(_("Nobody is blocked."))
        return
    for person in people:
        await update.effective_message.reply_text(
            _("Blocked: {name}. Reason: {reason}").format(
                name=context.t.isolate(person.first_name), reason=context.t.isolate(person.reason)
            ),
            reply_markup=inline_keyboard([[(_("Unblock"), ui.encode(UNBAN, person.user_id))]]),
        )


async def unban_pressed(update: Update, context: BotContext) -> None:
    press = ui.decode(update.callback_query.data)
    valid = press is not None and len(press.args) == 1 and press.args[0].isdigit()
    if not valid or not context.person.is_organiser:
        await update.callback_query.answer(context._("This button has expired."))
        return
    if not await service(context).unban(context.person, int(press.args[0])):
        await update.callback_query.answer(context._("This was handled already."))
        return
    await update.callback_query.answer(context._("Unblocked."))
    context.close_keyboard(update.callback_query)


async def show_audit(update: Update, context: BotContext) -> None:
    _ = context._
    if not context.person.is_admin:
        await update.effective_message.reply_text(_("Only admins can see the audit log."))
        return
    entries = await service(context).audit(context.person)
    if not entries:
        await update.effective_message.reply_text(_("The audit log is empty."))
        return
    lines = [_("Latest organiser and admin actions:"), ""]
    lines += [audit_line(context.t, entry) for entry in entries]
    for part in ui.split_text("\n".join(lines)):
        await update.effective_message.reply_text(part)


HANDLERS = [
    CommandHandler("moderation", show_reports),
    CommandHandler("banned", show_banned),
    CommandHandler("audit", show_audit),
    CallbackQueryHandler(unban_pressed, pattern=ui.matches(UNBAN)),
    CallbackQueryHandler(report_pressed, pattern=ui.matches(REPORT)),
    CallbackQueryHandler(decision_pressed, pattern=ui.matches(DECIDE)),
    CallbackQueryHandler(read_in_full_pressed, pattern=ui.matches(READ_IN_FULL)),
]

TEXT_INPUTS = {AWAITING_REASON: reason_given}
