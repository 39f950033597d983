"""The newcomer's side of language cafés: see them, sign up, cancel, check in.

In a group chat the bot only posts a summary with a link to sign up privately: no names.
"""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import ui
from bot.cafes import calendar, texts
from bot.cafes.calendar import CAFE_LINK_PREFIX
from bot.cafes.service import (
    CALENDAR,
    CANT_COME,
    JOIN,
    CafeService,
    CancelOutcome,
    CheckInOutcome,
    SignUpOutcome,
)
from bot.cafes.store import HOST, LEARNER, WAITING, Cafe, Listing
from bot.context import BotContext
from bot.markup import inline_keyboard, reply_in_parts

CANCEL = "cafe_cancel"
GIVE_UP = "cafe_giveup"
KEEP = "cafe_keep"
MANAGE = "cafe_admin"  # handled in organiser.py; offered here to organisers
CHECK_IN_LINK_PREFIX = "in"
KINDS = {"l": LEARNER, "h": HOST, "g": LEARNER}  # g: a participant with a guest


def service(context: BotContext) -> CafeService:
    return context.runtime.cafes


def cafe_link(context: BotContext, cafe_id: int) -> str:
    return calendar.cafe_link(context.bot.username, cafe_id)


def buttons_for(context: BotContext, listing: Listing, number: int | None = None) -> ui.Rows:
    """The café's buttons; in a list of several, each label carries the café's number."""
    _ = context._
    cafe = listing.cafe

    def label(text: str) -> str:
        return text if number is None else context.t.numbered(number, text)

    rows: list[list[tuple[str, str]]] = []
    if listing.mine is not None:
        rows.append([(label(_("Cancel my place")), ui.encode(CANCEL, cafe.id))])
    else:
        # When it is full, the press puts the reader on the waitlist: the label says so.
        full = texts.is_full(cafe, listing.counts)
        join_label = _("Join the waitlist") if full else _("Sign up")
        join = [(label(join_label), ui.encode(JOIN, cafe.id, "l"))]
        if cafe.host_capacity and context.person.is_host:
            join.append((label(_("Sign up as host")), ui.encode(JOIN, cafe.id, "h")))
        rows.append(join)
        if cafe.guests_allowed:  # a long label: a row of its own
            rows.append([(label(_("Sign up with a guest (+1)")), ui.encode(JOIN, cafe.id, "g"))])
    if context.person.is_organiser:
        rows.append([(label(_("Manage")), ui.encode(MANAGE, cafe.id))])
    return rows


def listing_text(context: BotContext, listing: Listing) -> str:
    """The café with room left, or, when the reader is signed up, with their own status
    (not "Full: you can join the waitlist" to someone who has a seat)."""
    if listing.mine is None:
        return texts.card(context.t, listing.cafe, listing.counts)
    return (
        texts.card(context.t, listing.cafe)
        + "\n\n"
        + my_status(
            context, listing.mine.status, listing.mine.kind, listing.position, listing.mine.guests
        )
    )


def my_status(
    context: BotContext, status: str, kind: str, position: int = 0, guests: int = 0
) -> str:
    return texts.own_status(context.t, status, kind, position, guests)


async def list_cafes(update: Update, context: BotContext) -> None:
    if update.effective_chat.type != ChatType.PRIVATE:
        await _group_summary(update, context)
        return
    listings = await service(context).upcoming(context.person)
    if not listings:
        await update.effective_message.reply_text(
            context._("No language cafés are planned yet. /subscribe to hear about new ones.")
        )
        return
    if len(listings) == 1:
        text, rows = listing_text(context, listings[0]), buttons_for(context, listings[0])
    else:
        text, rows = numbered_listings(context, listings)
    await reply_in_parts(update.effective_message, text, rows)


def numbered_listings(context: BotContext, listings: list[Listing]) -> tuple[str, ui.Rows]:
    """All coming cafés in one message, numbered, with each café's buttons in its own rows.

    One message rather than one per café: on a busy evening each message is a round trip
    the person waits for, and one of the 30 a second that Telegram allows the whole bot.
    """
    parts = [context._("Coming language cafés:")]
    rows: list[list[tuple[str, str]]] = []
    for number, listing in enumerate(listings, start=1):
        parts.append(f"{context.t.number(number)}. {listing_text(context, listing)}")
        rows += buttons_for(context, listing, number)
    return "\n\n".join(parts), rows


async def _group_summary(update: Update, context: BotContext) -> None:
    """Groups get what is on and a private sign-up link: never who is coming."""
    listings = await service(context).upcoming(None, limit=5)
    if not listings:
        await update.effective_message.reply_text(context._("No language cafés are planned yet."))
        return
    t = context.t
    lines = [context._("Coming language cafés:"), ""]
    for listing in listings:
        lines.append(f"{texts.heading(t, listing.cafe)} — {t.isolate(texts.when(t, listing.cafe))}")
        lines.append(texts.seats_line(t, listing.cafe, listing.counts))
        lines.append("")
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context._("Sign up: {title}").format(title=listing.cafe.title),
                    url=cafe_link(context, listing.cafe.id),
                )
            ]
            for listing in listings
        ]
    )
    await update.effective_message.reply_text("\n".join(lines).strip(), reply_markup=keyboard)


async def my_cafes(update: Update, context: BotContext) -> None:
    mine = await service(context).my_signups(context.person)
    if not mine:
        await update.effective_message.reply_text(
            context._("You have not signed up for a language café. See /cafes.")
        )
        return
    cards, rows = [], []
    for number, (cafe, signup, position) in enumerate(mine, start=1):
        card = texts.card(context.t, cafe) + "\n\n"
        card += my_status(context, signup.status, signup.kind, position, signup.guests)
        cancel = context._("Cancel my place")
        if len(mine) > 1:  # numbered, in one message (one round trip, not one per café)
            card = f"{context.t.number(number)}. {card}"
            cancel = context.t.numbered(number, cancel)
        cards.append(card)
        rows.append([(cancel, ui.encode(CANCEL, cafe.id))])
    await reply_in_parts(update.effective_message, "\n\n".join(cards), rows)


def _cafe_id(press: ui.Press | None, arguments: int = 1) -> int | None:
    if press is None or len(press.args) != arguments or not press.args[0].isdigit():
        return None
    return int(press.args[0])


async def join_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    cafe_id = _cafe_id(press, arguments=2)
    kind = KINDS.get(press.args[1]) if cafe_id is not None else None
    if cafe_id is None or kind is None:
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    await sign_up(update, context, cafe_id, kind, guest=press.args[1] == "g")


async def sign_up(
    update: Update, context: BotContext, cafe_id: int, kind: str, guest: bool = False
) -> None:
    _ = context._
    result = await service(context).sign_up(context.person, cafe_id, kind, guest)
    message = update.effective_message
    if result.outcome is SignUpOutcome.CONFIRMED:
        welcome = (
            _("You have a seat, and so has your guest! See you there.")
            if result.signup.guests
            else _("You have a seat! See you there.")
        )
        text = "\n\n".join([welcome, texts.card(context.t, result.cafe)])
        calendar = InputFile(calendar_file(context, result.cafe), filename="cafe.ics")
        add_it = _("Add it to your calendar.")
        # One message, the calendar file with the confirmation as its caption, is one round
        # trip; a caption too long for Telegram (a long description) makes it two.
        if ui.fits_caption(f"{text}\n\n{add_it}"):
            await message.reply_document(calendar, caption=f"{text}\n\n{add_it}")
        else:
            await message.reply_text(text)
            await message.reply_document(calendar, caption=add_it)
    elif result.outcome is SignUpOutcome.WAITING:
        await message.reply_text(
            _(
                "This café is full. You are number {position} on the waitlist. If a seat comes "
                "free, it is yours automatically and I will tell you."
            ).format(position=result.position)
        )
    elif result.outcome is SignUpOutcome.ALREADY:
        await message.reply_text(
            _("You are already signed up for this café.")
            + "\n"
            + my_status(
                context,
                result.signup.status,
                result.signup.kind,
                result.position,
                result.signup.guests,
            )
        )
    elif result.outcome is SignUpOutcome.NOT_A_HOST:
        await message.reply_text(
            _("Signing up as host is for conversation hosts. You can sign up as a participant.")
        )
    elif result.outcome is SignUpOutcome.CLOSED:
        await message.reply_text(_("Sign-up has closed: this café has started."))
    else:
        await message.reply_text(_("This café is not open for sign-up."))


async def cancel_pressed(update: Update, context: BotContext) -> None:
    """ "Cancel my place" or "I can't come": first asks, so that no seat is lost by one tap."""
    query = update.callback_query
    _ = context._
    cafe_id = _cafe_id(ui.decode(query.data))
    listing = await service(context).listing(context.person, cafe_id) if cafe_id else None
    if listing is None:
        await query.answer(_("This button has expired."))
        return
    if listing.mine is None:
        await query.answer(_("You are not signed up for this café."))
        return
    context.acknowledge(query)
    waiting = listing.mine.status == WAITING
    question = _("Leave the waitlist?") if waiting else _("Give up your seat?")
    yes = _("Yes, leave the waitlist") if waiting else _("Yes, give up my seat")
    await update.effective_message.reply_text(
        f"{question}\n\n{texts.card(context.t, listing.cafe)}",
        reply_markup=inline_keyboard(
            [[(yes, ui.encode(GIVE_UP, cafe_id))], [(_("No, keep it"), ui.encode(KEEP, cafe_id))]]
        ),
    )


async def give_up_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    cafe_id = _cafe_id(ui.decode(query.data))
    if cafe_id is None:
        await query.answer(context._("This button has expired."))
        return
    outcome = await service(context).cancel_signup(context.person, cafe_id)
    _ = context._
    if outcome is CancelOutcome.NOT_SIGNED_UP:
        await query.answer(_("You are not signed up for this café."))
        return
    if outcome is CancelOutcome.CLOSED:
        await query.answer(_("This café has started already."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    if outcome is CancelOutcome.PASSED_ON:
        text = _("Your place is cancelled. Thank you for telling us: someone waiting gets it now.")
    else:
        text = _("Your place is cancelled. Thank you for telling us.")
    await update.effective_message.reply_text(text)


async def keep_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    await query.answer(context._("Good: nothing has changed."))
    context.close_keyboard(query)


async def calendar_pressed(update: Update, context: BotContext) -> None:
    """The calendar file, for someone whose seat came through the outbox (a promotion)."""
    query = update.callback_query
    cafe_id = _cafe_id(ui.decode(query.data))
    listing = await service(context).listing(context.person, cafe_id) if cafe_id else None
    if listing is None or listing.mine is None or listing.mine.status == WAITING:
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    await update.effective_message.reply_document(
        InputFile(calendar_file(context, listing.cafe), filename="cafe.ics"),
        caption=context._("Add it to your calendar."),
    )


def calendar_file(context: BotContext, cafe: Cafe) -> bytes:
    return calendar.calendar_file(context.t, cafe, context.bot.username)


async def open_cafe_link(update: Update, context: BotContext, argument: str) -> None:
    listing = (
        await service(context).listing(context.person, int(argument))
        if argument.isdigit()
        else None
    )
    if listing is None or listing.cafe.status != "scheduled":
        await update.effective_message.reply_text(context._("This link is not valid."))
        return
    await update.effective_message.reply_text(
        listing_text(context, listing), reply_markup=inline_keyboard(buttons_for(context, listing))
    )


async def open_check_in_link(update: Update, context: BotContext, argument: str) -> None:
    cafe_part, _sep, token = argument.partition("_")
    _ = context._
    if not cafe_part.isdigit() or not token:
        await update.effective_message.reply_text(_("This link is not valid."))
        return
    outcome = await service(context).self_check_in(context.person, int(cafe_part), token)
    messages = {
        CheckInOutcome.CHECKED_IN: _("Welcome! You are checked in."),
        CheckInOutcome.WALK_IN: _("Welcome! You are checked in. Next time, sign up with /cafes."),
        CheckInOutcome.ALREADY: _("You are checked in already. Enjoy!"),
        CheckInOutcome.OUTSIDE_WINDOW: _("Check-in is only possible during the café."),
        CheckInOutcome.INVALID: _("This link is not valid."),
    }
    await update.effective_message.reply_text(messages[outcome])


async def send_reminders(context: BotContext) -> None:
    """Job: reminders come from the database each minute, so a restart loses none."""
    await service(context).send_due_reminders()
    context.runtime.outbox.wake()


async def continue_monthly_cafes(context: BotContext) -> None:
    """Job: a monthly café that has ended gets its successor; a weekly series keeps its next
    dates open for sign-up."""
    await service(context).continue_series()
    if await service(context).continue_monthly_cafes():
        context.runtime.outbox.wake()


async def after_cafes(context: BotContext) -> None:
    """Job: the morning after a café, those who came are asked how it was; a month after, the
    organisers' messages to its people are let go."""
    await service(context).messages.forget_old()
    if await service(context).feedback.ask_due():
        context.runtime.outbox.wake()


HANDLERS = [
    CommandHandler("cafes", list_cafes),
    CommandHandler("mycafes", my_cafes),
    CallbackQueryHandler(join_pressed, pattern=ui.matches(JOIN)),
    CallbackQueryHandler(cancel_pressed, pattern=ui.matches(CANCEL)),
    CallbackQueryHandler(cancel_pressed, pattern=ui.matches(CANT_COME)),
    CallbackQueryHandler(give_up_pressed, pattern=ui.matches(GIVE_UP)),
    CallbackQueryHandler(keep_pressed, pattern=ui.matches(KEEP)),
    CallbackQueryHandler(calendar_pressed, pattern=ui.matches(CALENDAR)),
]

DEEP_LINKS = {CAFE_LINK_PREFIX: open_cafe_link, CHECK_IN_LINK_PREFIX: open_check_in_link}
