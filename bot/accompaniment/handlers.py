"""/keyperson: ask for a trained key person to go along to an appointment."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import ui
from bot.accompaniment.service import (
    CONFIRM,
    DECLINE,
    KINDS,
    TAKE,
    AccompanimentService,
    TakeOutcome,
    usable_note,
)
from bot.context import BotContext
from bot.markup import inline_keyboard

KIND = "acc_kind"
# After /keyperson: when and where, if written before the kind of appointment was pressed, is
# held here (accwhere:<their words>) until the press; any command lets it go.
AWAITING_KIND = "accwhere"
AWAITING_NOTE = "accompany"


def service(context: BotContext) -> AccompanimentService:
    return context.runtime.accompaniment


def _kind_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    _ = context._
    return inline_keyboard([[(_(label), ui.encode(KIND, key))] for key, label in KINDS.items()])


async def key_person_command(update: Update, context: BotContext) -> None:
    context.person = await context.runtime.people.expect_text(context.person, AWAITING_KIND)
    await update.effective_message.reply_text(
        context._("A key person is a trained volunteer who can go with you. Where to?"),
        reply_markup=_kind_keyboard(context),
    )


async def written_before_kind(update: Update, context: BotContext, held: str) -> None:
    """When and where, written before pressing where to: held until the press, not lost."""
    words = (update.effective_message.text or "").strip()
    note = usable_note("\n".join(part for part in (held, words) if part))
    if not words or note is None:
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_KIND}:{held}" if held else AWAITING_KIND
        )
        await update.effective_message.reply_text(
            context._("Please write when and where in one short message (up to 500 characters).")
        )
        return
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_KIND}:{note}"
    )
    await update.effective_message.reply_text(
        context._("I have kept what you wrote. Where should the key person go with you?"),
        reply_markup=_kind_keyboard(context),
    )


async def kind_picked(update: Update, context: BotContext) -> None:
    press = ui.decode(update.callback_query.data)
    if press is None or len(press.args) != 1 or press.args[0] not in KINDS:
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    purpose, _sep, held = (context.person.awaiting or "").partition(":")
    if purpose == AWAITING_KIND and held:  # when and where came first
        context.close_keyboard(update.callback_query)
        context.person = await context.runtime.people.expect_text(context.person, None)
        await _ask_key_persons(update, context, press.args[0], held)
        return
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_NOTE}:{press.args[0]}"
    )
    await update.effective_message.reply_text(
        context._(
            "When and where? For example: Tuesday 10:00, huisarts in Tiel. Do not write your "
            "address or phone number: you share contacts only after you both agree."
        )
    )


async def note_written(update: Update, context: BotContext, kind: str) -> None:
    await _ask_key_persons(update, context, kind, update.effective_message.text or "")


async def _ask_key_persons(update: Update, context: BotContext, kind: str, note: str) -> None:
    languages = await context.runtime.questions.reading_locales(
        context.runtime.db.reader, context.person.id
    )
    asked = await service(context).request(context.person, kind, note, languages)
    _ = context._
    if asked is None:
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_NOTE}:{kind}"
        )
        await update.effective_message.reply_text(
            _("Please write when and where in one short message (up to 500 characters).")
        )
    elif asked:
        await update.effective_message.reply_text(
            context.t.ngettext(
                "I asked {count} key person. When one can go, I will ask you to confirm.",
                "I asked {count} key persons. When one can go, I will ask you to confirm.",
                asked,
            ).format(count=asked)
        )
    else:
        await update.effective_message.reply_text(
            _("There is no key person for your language yet. Please ask an organiser.")
        )


def _request_id(update: Update) -> int | None:
    press = ui.decode(update.callback_query.data)
    if press is None or len(press.args) != 1 or not press.args[0].isdigit():
        return None
    return int(press.args[0])


async def take_pressed(update: Update, context: BotContext) -> None:
    request_id = _request_id(update)
    outcome = (
        await service(context).take(context.person, request_id)
        if request_id
        else TakeOutcome.NOT_ALLOWED
    )
    _ = context._
    if outcome is TakeOutcome.NOT_ALLOWED:
        await update.callback_query.answer(_("This button has expired."))
    elif outcome is TakeOutcome.TOO_LATE:
        await update.callback_query.answer(_("Another key person is going already. Thank you!"))
    else:
        context.acknowledge(update.callback_query)
        context.close_keyboard(update.callback_query)
        await update.effective_message.reply_text(
            _("Thank you! I asked the person to confirm; then you get each other's contact.")
        )


async def confirm_pressed(update: Update, context: BotContext) -> None:
    await _answer(update, context, confirmed=True)


async def decline_pressed(update: Update, context: BotContext) -> None:
    await _answer(update, context, confirmed=False)


async def _answer(update: Update, context: BotContext, confirmed: bool) -> None:
    request_id = _request_id(update)
    if request_id is None or not await service(context).answer(
        context.person, request_id, confirmed
    ):
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    if not confirmed:
        await update.effective_message.reply_text(context._("Cancelled. The key person is told."))


HANDLERS = [
    CommandHandler("keyperson", key_person_command),
    CallbackQueryHandler(kind_picked, pattern=ui.matches(KIND)),
    CallbackQueryHandler(take_pressed, pattern=ui.matches(TAKE)),
    CallbackQueryHandler(confirm_pressed, pattern=ui.matches(CONFIRM)),
    CallbackQueryHandler(decline_pressed, pattern=ui.matches(DECLINE)),
]

TEXT_INPUTS = {AWAITING_KIND: written_before_kind, AWAITING_NOTE: note_written}
