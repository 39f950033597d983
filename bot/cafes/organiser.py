"""The organiser's side of language cafés: create, manage, check people in, announce.

`/newcafe` on one line for those who do this every month, or step by step; every answer is
kept in the database, so a restart halfway loses nothing.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import segno
from babel.dates import format_skeleton, format_time
from telegram import InputFile, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import ui
from bot.announcements import handlers as announcements
from bot.cafes import texts
from bot.cafes.handlers import CHECK_IN_LINK_PREFIX, MANAGE, cafe_link, service
from bot.cafes.messaging import MAX_TEXT as MAX_MESSAGE
from bot.cafes.messaging import CafeMessaging, MessageError, framed
from bot.cafes.parsing import CafeInputError, parse_one_line
from bot.cafes.service import REPEATS
from bot.cafes.store import HOST, LEARNER, WAITING, Cafe
from bot.clock import from_timestamp
from bot.context import BotContext
from bot.i18n import language_name
from bot.markup import inline_keyboard, reply_in_parts, show_in_place
from bot.people.service import NotAllowed

AWAITING_DRAFT = "newcafe"
AWAITING_EDIT = "editcafe"
SAVE = "cafe_save"
DISCARD = "cafe_discard"
PEOPLE = "cafe_people"
CHECK_IN = "cafe_in"
QR = "cafe_qr"
EDIT = "cafe_edit"
DROP = "cafe_drop"
DROP_CONFIRMED = "cafe_drop_yes"
DROP_FOLLOWING = "cafe_drop_all"
EDIT_SCOPE = "cafe_edit_scope"
FOLLOWING = "following"
COPY = "cafe_copy"
RESUME = "cafe_resume"
RESTART = "cafe_restart"
WHEN = "cafe_when"
MESSAGE = "cafe_msg"
MESSAGE_SEND = "cafe_msg_send"
MESSAGE_DROP = "cafe_msg_drop"
AWAITING_MESSAGE = "cafemsg"
HOSTS = "cafe_hosts"
GUESTS = "cafe_guests"
MAKE_HOST = "cafe_mkhost"
ANNOUNCE = "cafe_announce"

ONE_LINE_EXAMPLE = "/newcafe 2026-12-08 19:00 | Bibliotheek Tiel, Koornmarkt 1 | 12 | Praattafel"


def step_question(context: BotContext, step: str) -> str:
    _ = context._
    questions = {
        "title": _("What is the café called? For example: Praattafel December"),
        "when": _("When does it start? For example: 2026-12-08 19:00, 8-12 19.00 or di 8 dec 19u"),
        "time": _("At what time does it start? For example: 19:00 or 19u"),
        "place": _("Where is it? For example: Bibliotheek Tiel, Koornmarkt 1"),
        "seats": _(
            "How many participants can come? For example: 12. Add seats for Dutch-speaking "
            "conversation hosts with a plus: 12+3"
        ),
        "level": _("For which language level? For example: A2–B1. Send - to skip."),
        "description": _("Anything else people should know? Send - to skip."),
    }
    return (
        questions[step]
        + "\n"
        + _("/cancel stops; what you wrote so far is kept, and /newcafe continues it.")
    )


def input_error(context: BotContext, code: str) -> str:
    _ = context._
    example = (context.runtime.clock.now() + timedelta(days=7)).astimezone(context.t.timezone)
    messages = {
        "format": _("I could not read that line. Write it like this:") + "\n" + ONE_LINE_EXAMPLE,
        "date": _("I could not read the date. Write it like {example}.").format(
            example=example.strftime("%Y-%m-%d 19:00")
        ),
        "past": _("That moment has passed. Choose a date in the future, like {example}.").format(
            example=example.strftime("%Y-%m-%d 19:00")
        ),
        "no_time": _("Please add the time, like {example}.").format(
            example=example.strftime("%d-%m 19:00")
        ),
        "time": _("I could not read the time. Write it like 19:00 or 19u."),
        "weekday": _("That weekday does not go with that date. Please check the date."),
        "capacity": _("Seats must be a whole number of at least 1, like 12, or 12+3 with hosts."),
        "capacity_below_signups": _(
            "More people have signed up than that. Choose at least as many seats as sign-ups."
        ),
        "title": _("The name must be 1 to 80 characters long."),
        "place": _("Please say where the café is, in up to 200 characters."),
        "level": _("The level must be short, like A2–B1 (up to 20 characters)."),
        "description": _("The description can be up to 1000 characters long."),
        "nothing_to_copy": _("There is no café to copy yet. Create one with /newcafe."),
        "no_draft": _("There is no café being written. Start with /newcafe."),
    }
    return messages.get(code, messages["format"])


def _refuse_outside_private(update: Update) -> bool:
    return update.effective_chat.type != ChatType.PRIVATE


async def new_cafe(update: Update, context: BotContext) -> None:
    _ = context._
    if not context.person.is_organiser:
        await update.effective_message.reply_text(_("Only organisers can create language cafés."))
        return
    if _refuse_outside_private(update):
        await update.effective_message.reply_text(_("Please do this in a private chat with me."))
        return
    text = update.effective_message.text or ""
    line = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
    if line:
        try:
            fields = parse_one_line(line, context.runtime.clock.now(), context.t.timezone)
            cafe = await service(context).create(context.person, fields)
        except CafeInputError as error:
            await update.effective_message.reply_text(input_error(context, error.code))
            return
        await update.effective_message.reply_text(_("The café is created."))
        await show_manage_card(update, context, cafe.id)
        return
    if await service(context).has_unfinished_draft(context.person):
        await update.effective_message.reply_text(
            _("You were writing a café. Continue where you left off, or start again?"),
            reply_markup=inline_keyboard(
                [
                    [(_("Continue where you left off"), ui.encode(RESUME))],
                    [(_("Start again"), ui.encode(RESTART))],
                ]
            ),
        )
        return
    step = await service(context).start_draft(context.person)
    await _ask(update, context, step)


async def resume_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if not context.person.is_organiser or _refuse_outside_private(update):
        await query.answer(context._("This button has expired."))
        return
    if ui.decode(query.data).action == RESTART:
        step: str | None = await service(context).start_draft(context.person)
    elif await service(context).has_unfinished_draft(context.person):
        step = await service(context).draft_step(context.person)
    else:  # saved or thrown away since the question was asked
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    if step is None:
        await _show_draft(update, context)
    else:
        await _ask(update, context, step)


async def _ask(update: Update, context: BotContext, step: str) -> None:
    context.person = await context.runtime.people.expect_text(context.person, AWAITING_DRAFT)
    rows: ui.Rows = []
    if step in ("when", "time"):
        # The dates people mostly mean, one tap each: the latest café's weekday and time.
        choices = await service(context).date_choices(context.person)
        buttons = [
            (_date_label(context, moment), ui.encode(WHEN, int(moment.timestamp())))
            for moment in choices
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    await update.effective_message.reply_text(
        step_question(context, step), reply_markup=inline_keyboard(rows) if rows else None
    )


def _date_label(context: BotContext, moment: datetime) -> str:
    """ "Tue 8 Dec, 19:00" in the reader's language."""
    day = format_skeleton("MMMEd", moment, locale=context.t.cldr)
    return context._("{day}, {time}").format(
        day=day, time=format_time(moment, format="short", locale=context.t.cldr)
    )


async def date_pressed(update: Update, context: BotContext) -> None:
    """One of the offered dates, instead of typing it."""
    query = update.callback_query
    press = ui.decode(query.data)
    valid = press is not None and len(press.args) == 1 and press.args[0].isdigit()
    if not valid or not context.person.is_organiser or _refuse_outside_private(update):
        await query.answer(context._("This button has expired."))
        return
    try:
        step = await service(context).choose_draft_date(context.person, int(press.args[0]))
    except CafeInputError:  # answered already, or a date no longer (or never) offered
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    await _after_answer(update, context, step)


async def draft_answer(update: Update, context: BotContext, _argument: str) -> None:
    """The organiser's answer to the current /newcafe question."""
    text = update.effective_message.text
    if text is None:  # a photo, a sticker, a location: a café's details are words
        await update.effective_message.reply_text(
            context._("I can only use text here. Please type your answer.")
        )
        current = await service(context).draft_step(context.person)
        if current is not None:
            await _ask(update, context, current)
        return
    try:
        step = await service(context).answer_draft(context.person, text)
    except CafeInputError as error:
        await update.effective_message.reply_text(input_error(context, error.code))
        current = await service(context).draft_step(context.person)
        if current is not None:
            await _ask(update, context, current)
        return
    except NotAllowed:
        await update.effective_message.reply_text(
            context._("Only organisers can create language cafés.")
        )
        return
    await _after_answer(update, context, step)


async def _after_answer(update: Update, context: BotContext, step: str | None) -> None:
    """The next question, or the finished café to check."""
    if step is not None:
        await _ask(update, context, step)
    else:
        await _show_draft(update, context)


async def _show_draft(update: Update, context: BotContext) -> None:
    preview = await service(context).draft_preview(context.person)
    if preview is None:
        return
    _ = context._
    await update.effective_message.reply_text(
        _("Is this right?")
        + "\n\n"
        + texts.card(context.t, preview)
        + "\n"
        + _seats_summary(context, preview),
        reply_markup=inline_keyboard(
            [
                [(_("Save"), ui.encode(SAVE, "once"))],
                [
                    (_("Save, every week"), ui.encode(SAVE, "weekly")),
                    (_("Save, every 2 weeks"), ui.encode(SAVE, "fortnightly")),
                ],
                [(_("Save, every month"), ui.encode(SAVE, "monthly"))],
                [(_("Throw away"), ui.encode(DISCARD))],
            ]
        ),
    )


def _seats_summary(context: BotContext, cafe: Cafe) -> str:
    text = context._("Seats: {count}").format(count=cafe.capacity)
    if cafe.host_capacity:
        text += " + " + context._("hosts: {count}").format(count=cafe.host_capacity)
    return text


async def save_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    valid = press is not None and len(press.args) == 1 and press.args[0] in REPEATS
    if not valid or not context.person.is_organiser:
        await query.answer(context._("This button has expired."))
        return
    try:
        cafe = await service(context).save_draft(context.person, press.args[0])
    except CafeInputError as error:  # the date passed while the card waited
        context.acknowledge(query)
        await update.effective_message.reply_text(input_error(context, error.code))
        return
    if cafe is None:
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    await update.effective_message.reply_text(context._("The café is created."))
    await show_manage_card(update, context, cafe.id)


async def discard_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if not context.person.is_organiser or not await service(context).discard_draft(context.person):
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    await update.effective_message.reply_text(context._("Thrown away. Nothing was created."))


# -- managing one café ---------------------------------------------------------------------


def _cafe_id(update: Update) -> int | None:
    press = ui.decode(update.callback_query.data)
    if press is None or len(press.args) != 1 or not press.args[0].isdigit():
        return None
    return int(press.args[0])


async def _organiser_press(update: Update, context: BotContext) -> int | None:
    """The café id of an organiser's button press in a private chat, else a refusal."""
    query = update.callback_query
    cafe_id = _cafe_id(update)
    if cafe_id is None or not context.person.is_organiser or _refuse_outside_private(update):
        await query.answer(context._("This button has expired."))
        return None
    context.acknowledge(query)
    return cafe_id


async def manage_pressed(update: Update, context: BotContext) -> None:
    cafe_id = await _organiser_press(update, context)
    if cafe_id is not None:
        await show_manage_card(update, context, cafe_id)


async def show_manage_card(update: Update, context: BotContext, cafe_id: int) -> None:
    _ = context._
    listing = await service(context).listing(context.person, cafe_id)
    if listing is None:
        await update.effective_message.reply_text(_("This café does not exist."))
        return
    cafe, counts = listing.cafe, listing.counts
    lines = [texts.card(context.t, cafe), ""]
    if cafe.status == "cancelled":
        lines.append(_("This café is cancelled."))
    elif _repeats(cafe):
        lines.append(_("Every week.") if cafe.every_weeks == 1 else _("Every 2 weeks."))
    if cafe.guests_allowed:
        lines.append(_("Everyone may bring a guest (+1), who takes a seat too."))
    lines.append(
        _("Participants: {taken} of {seats}, waiting: {waiting}").format(
            taken=counts.learners, seats=cafe.capacity, waiting=counts.learners_waiting
        )
    )
    if cafe.host_capacity:
        lines.append(
            _("Hosts: {taken} of {seats}, waiting: {waiting}").format(
                taken=counts.hosts, seats=cafe.host_capacity, waiting=counts.hosts_waiting
            )
        )
    if service(context).needs_more_hosts(cafe, counts):
        lines.append(
            _(
                "⚠️ Few hosts: {hosts} for {learners} participants. One host per 5 works well."
            ).format(hosts=counts.hosts, learners=counts.learners)
        )
    lines.append(_("Link to share: {link}").format(link=cafe_link(context, cafe.id)))
    rows = [
        [(_("Attendees"), ui.encode(PEOPLE, cafe.id)), (_("Check-in QR"), ui.encode(QR, cafe.id))],
        [(_("Edit"), ui.encode(EDIT, cafe.id)), (_("Cancel café"), ui.encode(DROP, cafe.id))],
        [
            (_("Copy to next month"), ui.encode(COPY, cafe.id)),
            (_("Announce"), ui.encode(ANNOUNCE, cafe.id)),
        ],
        [(_("Message the people signed up"), ui.encode(MESSAGE, cafe.id))],
        [
            (
                _("No more guests (+1)") if cafe.guests_allowed else _("Allow a guest (+1) each"),
                ui.encode(GUESTS, cafe.id, "off" if cafe.guests_allowed else "on"),
            )
        ],
    ]
    if cafe.status == "cancelled":
        rows = [rows[2]]
    await update.effective_message.reply_text("\n".join(lines), reply_markup=inline_keyboard(rows))


async def people_pressed(update: Update, context: BotContext) -> None:
    cafe_id = await _organiser_press(update, context)
    if cafe_id is not None:
        text, rows = await _attendee_list(context, cafe_id)
        await update.effective_message.reply_text(text, reply_markup=inline_keyboard(rows))


async def _attendee_list(context: BotContext, cafe_id: int) -> tuple[str, ui.Rows]:
    """First names and languages, with a tap to mark someone present. Organisers only."""
    _ = context._
    try:
        cafe, people = await service(context).attendees(context.person, cafe_id)
    except LookupError:
        return _("This café does not exist."), []
    lines = [texts.heading(context.t, cafe)]
    rows = []
    for kind, title in ((LEARNER, _("Participants")), (HOST, _("Hosts"))):
        confirmed = [p for p in people if p.kind == kind and p.status != WAITING]
        waiting = [p for p in people if p.kind == kind and p.status == WAITING]
        if not confirmed and not waiting:
            continue
        lines += ["", f"{title}: {sum(1 + p.guests for p in confirmed)}"]
        for person in confirmed:
            mark = "✅" if person.checked_in else "▫️"
            language = language_name(person.locale or person.telegram_locale or "en")
            name = context.t.isolate(person.first_name) + (" + 1" if person.guests else "")
            lines.append(f"{mark} {name} · {language}")
            label = person.first_name + (" + 1" if person.guests else "")
            rows.append([(f"{mark} {label}", ui.encode(CHECK_IN, person.signup_id))])
        if waiting:
            lines.append(
                _("Waiting: {names}").format(
                    names=", ".join(context.t.isolate(p.first_name) for p in waiting)
                )
            )
    if len(lines) == 1:
        lines += ["", _("Nobody has signed up yet.")]
    else:
        lines += ["", _("Tap a name to mark who is here.")]
        rows.append([(_("Make someone a host"), ui.encode(HOSTS, cafe.id))])
    return "\n".join(lines), rows


async def hosts_pressed(update: Update, context: BotContext) -> None:
    """The participants of a café as buttons: the one tapped becomes a conversation host."""
    cafe_id = await _organiser_press(update, context)
    if cafe_id is None:
        return
    try:
        _cafe, people = await service(context).attendees(context.person, cafe_id)
    except LookupError:
        await update.effective_message.reply_text(context._("This café does not exist."))
        return
    rows = [
        [(person.first_name, ui.encode(MAKE_HOST, person.signup_id))]
        for person in people
        if person.kind == LEARNER
    ]
    if not rows:
        await update.effective_message.reply_text(context._("Nobody has signed up yet."))
        return
    await update.effective_message.reply_text(
        context._(
            "Who should become a conversation host? They will be told, and can then sign up "
            "as host."
        ),
        reply_markup=inline_keyboard(rows),
    )


async def make_host_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    signup_id = _cafe_id(update)  # the argument is a sign-up id here
    if signup_id is None or not context.person.is_organiser or _refuse_outside_private(update):
        await query.answer(context._("This button has expired."))
        return
    made = await service(context).make_host(context.person, signup_id)
    if made is None:
        await query.answer(context._("This was handled already."))
        return
    context.acknowledge(query)
    await update.effective_message.reply_text(
        context._("{name} is now a conversation host.").format(
            name=context.t.isolate(made.first_name)
        )
    )


async def check_in_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    signup_id = _cafe_id(update)  # the argument is a sign-up id here
    if signup_id is None or not context.person.is_organiser or _refuse_outside_private(update):
        await query.answer(context._("This button has expired."))
        return
    signup = await service(context).toggle_check_in(context.person, signup_id)
    if signup is None:
        await query.answer(context._("This button has expired."))
        return
    await query.answer(
        context._("Marked as here.") if signup.checked_in else context._("Marked as not here.")
    )
    text, rows = await _attendee_list(context, signup.cafe_id)
    await show_in_place(query, text, inline_keyboard(rows))


async def qr_pressed(update: Update, context: BotContext) -> None:
    cafe_id = await _organiser_press(update, context)
    if cafe_id is None:
        return
    listing = await service(context).listing(context.person, cafe_id)
    if listing is None:
        return
    cafe = listing.cafe
    link = f"https://t.me/{context.bot.username}?start={CHECK_IN_LINK_PREFIX}_{cafe.id}_{cafe.checkin_token}"
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=10, border=2)
    await update.effective_message.reply_photo(
        InputFile(image.getvalue(), filename="check-in.png"),
        caption=_qr_caption(context, cafe) + "\n" + link,
    )


def _qr_caption(context: BotContext, cafe: Cafe) -> str:
    opens = from_timestamp(cafe.starts_at) - timedelta(minutes=30)
    return context._(
        "Show this at the café: scanning it checks people in. It works from {time} until the end."
    ).format(time=context.t.isolate(context.t.datetime(opens, "short")))


def _repeats(cafe: Cafe) -> bool:
    """A date of a weekly or fortnightly series: changes may be for the dates after it too."""
    return cafe.series_id is not None and cafe.every_weeks is not None


async def edit_pressed(update: Update, context: BotContext) -> None:
    cafe_id = await _organiser_press(update, context)
    if cafe_id is None:
        return
    listing = await service(context).listing(context.person, cafe_id)
    if listing is None:
        return
    _ = context._
    if _repeats(listing.cafe):
        await update.effective_message.reply_text(
            _("This café repeats. Change only this date, or this date and all that follow?"),
            reply_markup=inline_keyboard(
                [
                    [(_("Only this date"), ui.encode(EDIT_SCOPE, cafe_id, "one"))],
                    [(_("This date and all that follow"), ui.encode(EDIT_SCOPE, cafe_id, "all"))],
                ]
            ),
        )
        return
    await _ask_for_line(update, context, listing.cafe, following=False)


async def edit_scope_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    valid = (
        press is not None
        and len(press.args) == 2
        and press.args[0].isdigit()
        and press.args[1] in ("one", "all")
    )
    if not valid or not context.person.is_organiser or _refuse_outside_private(update):
        await query.answer(context._("This button has expired."))
        return
    listing = await service(context).listing(context.person, int(press.args[0]))
    if listing is None:
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    await _ask_for_line(update, context, listing.cafe, following=press.args[1] == "all")


async def _ask_for_line(update: Update, context: BotContext, cafe: Cafe, following: bool) -> None:
    awaiting = f"{AWAITING_EDIT}:{cafe.id}" + (f":{FOLLOWING}" if following else "")
    context.person = await context.runtime.people.expect_text(context.person, awaiting)
    start = from_timestamp(cafe.starts_at).astimezone(context.t.timezone)
    seats = f"{cafe.capacity}+{cafe.host_capacity}" if cafe.host_capacity else str(cafe.capacity)
    parts = [
        start.strftime("%Y-%m-%d %H:%M"),
        cafe.place,
        seats,
        cafe.title,
        cafe.level or "",
        cafe.description or "",
    ]
    if cafe.monthly:
        parts.append("monthly")
    elif cafe.every_weeks:
        parts.append("weekly" if cafe.every_weeks == 1 else "every 2 weeks")
    current = " | ".join(parts).rstrip(" |")
    await update.effective_message.reply_text(
        context._("Send the café's new details in one line. This is the current line:")
        + "\n\n"
        + current
    )


async def edit_answer(update: Update, context: BotContext, argument: str) -> None:
    """The new line for a café (argument: its id, and ":following" for the dates after it)."""
    cafe_part, _sep, scope = argument.partition(":")
    if not cafe_part.isdigit():
        return
    if update.effective_message.text is None:
        await update.effective_message.reply_text(
            context._("I can only use text here. Please type your answer.")
        )
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_EDIT}:{argument}"
        )
        return
    try:
        fields = parse_one_line(
            update.effective_message.text, context.runtime.clock.now(), context.t.timezone
        )
        cafe = await service(context).update(
            context.person, int(cafe_part), fields, following=scope == FOLLOWING
        )
    except CafeInputError as error:
        await update.effective_message.reply_text(input_error(context, error.code))
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_EDIT}:{argument}"
        )
        return
    except NotAllowed:
        await update.effective_message.reply_text(
            context._("Only organisers can create language cafés.")
        )
        return
    if cafe is None:
        await update.effective_message.reply_text(context._("This café can no longer be changed."))
        return
    await update.effective_message.reply_text(
        context._("Saved. People with a seat are told about a new time or place.")
    )
    await show_manage_card(update, context, cafe.id)


async def drop_pressed(update: Update, context: BotContext) -> None:
    cafe_id = await _organiser_press(update, context)
    if cafe_id is None:
        return
    _ = context._
    listing = await service(context).listing(context.person, cafe_id)
    rows = [
        [
            (_("Yes, cancel the café"), ui.encode(DROP_CONFIRMED, cafe_id)),
            (_("No"), ui.encode(MANAGE, cafe_id)),
        ]
    ]
    question = _("Cancel this café? Everyone who signed up or is waiting will be told.")
    if listing is not None and _repeats(listing.cafe):
        question += "\n" + _("This café repeats. Only this date, or this date and all that follow?")
        rows = [
            [(_("Only this date"), ui.encode(DROP_CONFIRMED, cafe_id))],
            [(_("This date and all that follow"), ui.encode(DROP_FOLLOWING, cafe_id))],
            [(_("No"), ui.encode(MANAGE, cafe_id))],
        ]
    await update.effective_message.reply_text(question, reply_markup=inline_keyboard(rows))


async def drop_confirmed(update: Update, context: BotContext) -> None:
    cafe_id = await _organiser_press(update, context)
    if cafe_id is None:
        return
    following = ui.decode(update.callback_query.data).action == DROP_FOLLOWING
    cafe = await service(context).cancel_cafe(context.person, cafe_id, following=following)
    context.close_keyboard(update.callback_query)
    if cafe is None:
        await update.effective_message.reply_text(context._("This café can no longer be changed."))
        return
    await update.effective_message.reply_text(
        context._("The café is cancelled. Everyone who signed up is being told.")
    )


async def copy_pressed(update: Update, context: BotContext) -> None:
    cafe_id = await _organiser_press(update, context)
    if cafe_id is None:
        return
    try:
        copy = await service(context).copy_to_next_month(context.person, cafe_id)
    except CafeInputError as error:
        await update.effective_message.reply_text(input_error(context, error.code))
        return
    await update.effective_message.reply_text(context._("Copied to next month:"))
    await show_manage_card(update, context, copy.id)


async def announce_pressed(update: Update, context: BotContext) -> None:
    cafe_id = await _organiser_press(update, context)
    if cafe_id is not None:
        await announcements.preview_cafe(update, context, cafe_id)


async def guests_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    valid = (
        press is not None
        and len(press.args) == 2
        and press.args[0].isdigit()
        and press.args[1] in ("on", "off")
    )
    if not valid or not context.person.is_organiser or _refuse_outside_private(update):
        await query.answer(context._("This button has expired."))
        return
    cafe = await service(context).set_guests_allowed(
        context.person, int(press.args[0]), press.args[1] == "on"
    )
    if cafe is None:
        await query.answer(context._("This café can no longer be changed."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    await show_manage_card(update, context, cafe.id)


# -- a message to one café's people --------------------------------------------------------


async def message_pressed(update: Update, context: BotContext) -> None:
    cafe_id = await _organiser_press(update, context)
    if cafe_id is None:
        return
    listing = await service(context).listing(context.person, cafe_id)
    if listing is None:
        return
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_MESSAGE}:{cafe_id}"
    )
    await update.effective_message.reply_text(
        context._(
            "Write your message to the people signed up for {title}, in one message. "
            "I will show it to you before it goes. /cancel stops."
        ).format(title=texts.heading(context.t, listing.cafe))
    )


async def message_text(update: Update, context: BotContext, argument: str) -> None:
    """The organiser's message, after "Message the people signed up": show it, with the count."""
    _ = context._
    if not argument.isdigit():
        return
    text = update.effective_message.text
    try:
        if text is None:
            raise MessageError("empty")
        draft = await messages(context).write(context.person, int(argument), text)
    except MessageError as error:
        if error.code == "no_cafe":
            await update.effective_message.reply_text(_("This café can no longer be changed."))
            return
        refusal = {
            "empty": _("The message must be text. Write it now, or /cancel."),
            "too_long": _(
                "That is too long: up to {count} characters, please. Write it again, or /cancel."
            ).format(count=context.t.number(MAX_MESSAGE)),
        }
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_MESSAGE}:{argument}"
        )
        await update.effective_message.reply_text(refusal[error.code])
        return
    except NotAllowed:
        await update.effective_message.reply_text(_("Only organisers can do this."))
        return
    seated, waiting = draft.audience.seated, draft.audience.waiting
    if seated + waiting == 0:
        await messages(context).cancel(context.person, draft.id)
        await update.effective_message.reply_text(
            _("Nobody has signed up for this café yet, so there is no one to send this to.")
        )
        return
    question = context.t.ngettext(
        "Send it to {count} person with a seat?", "Send it to {count} people with a seat?", seated
    ).format(count=context.t.number(seated))
    if waiting:
        question += " " + context.t.ngettext(
            "{count} more person is on the waitlist.",
            "{count} more people are on the waitlist.",
            waiting,
        ).format(count=context.t.number(waiting))
    buttons = [[(_("Send"), ui.encode(MESSAGE_SEND, draft.id, "s"))]] if seated else []
    if waiting:
        buttons.append([(_("Send, also to the waitlist"), ui.encode(MESSAGE_SEND, draft.id, "w"))])
    buttons.append([(_("Cancel"), ui.encode(MESSAGE_DROP, draft.id))])
    preview = framed(context.t, draft.cafe, draft.text)
    await update.effective_message.reply_text(_("This is how it will look:"))
    await reply_in_parts(update.effective_message, f"{preview}\n\n{question}", buttons)


def messages(context: BotContext) -> CafeMessaging:
    return service(context).messages


async def message_send_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    _ = context._
    press = ui.decode(query.data)
    valid = (
        press is not None
        and len(press.args) == 2
        and press.args[0].isdigit()
        and press.args[1] in ("s", "w")
    )
    if not valid or not context.person.is_organiser or _refuse_outside_private(update):
        await query.answer(_("This button has expired."))
        return
    try:
        count = await messages(context).send(
            context.person, int(press.args[0]), to_waitlist=press.args[1] == "w"
        )
    except MessageError:
        context.acknowledge(query)
        context.close_keyboard(query)
        await update.effective_message.reply_text(
            _("This café can no longer be changed. Nothing was sent.")
        )
        return
    if count is None:
        await query.answer(_("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    if count == 0:
        text = _("Nobody is signed up any more, so nothing was sent.")
    else:
        text = context.t.ngettext(
            "Your message is on its way to {count} person.",
            "Your message is on its way to {count} people.",
            count,
        ).format(count=context.t.number(count))
    await update.effective_message.reply_text(text)


async def message_drop_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    valid = press is not None and len(press.args) == 1 and press.args[0].isdigit()
    if (
        not valid
        or not context.person.is_organiser
        or not await messages(context).cancel(context.person, int(press.args[0]))
    ):
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    await update.effective_message.reply_text(context._("Cancelled. Nothing was sent."))


HANDLERS = [
    CommandHandler("newcafe", new_cafe),
    CallbackQueryHandler(resume_pressed, pattern=ui.matches(RESUME)),
    CallbackQueryHandler(resume_pressed, pattern=ui.matches(RESTART)),
    CallbackQueryHandler(date_pressed, pattern=ui.matches(WHEN)),
    CallbackQueryHandler(save_pressed, pattern=ui.matches(SAVE)),
    CallbackQueryHandler(discard_pressed, pattern=ui.matches(DISCARD)),
    CallbackQueryHandler(manage_pressed, pattern=ui.matches(MANAGE)),
    CallbackQueryHandler(people_pressed, pattern=ui.matches(PEOPLE)),
    CallbackQueryHandler(check_in_pressed, pattern=ui.matches(CHECK_IN)),
    CallbackQueryHandler(hosts_pressed, pattern=ui.matches(HOSTS)),
    CallbackQueryHandler(guests_pressed, pattern=ui.matches(GUESTS)),
    CallbackQueryHandler(make_host_pressed, pattern=ui.matches(MAKE_HOST)),
    CallbackQueryHandler(qr_pressed, pattern=ui.matches(QR)),
    CallbackQueryHandler(edit_pressed, pattern=ui.matches(EDIT)),
    CallbackQueryHandler(drop_pressed, pattern=ui.matches(DROP)),
    CallbackQueryHandler(drop_confirmed, pattern=ui.matches(DROP_CONFIRMED)),
    CallbackQueryHandler(drop_confirmed, pattern=ui.matches(DROP_FOLLOWING)),
    CallbackQueryHandler(edit_scope_pressed, pattern=ui.matches(EDIT_SCOPE)),
    CallbackQueryHandler(copy_pressed, pattern=ui.matches(COPY)),
    CallbackQueryHandler(announce_pressed, pattern=ui.matches(ANNOUNCE)),
    CallbackQueryHandler(message_pressed, pattern=ui.matches(MESSAGE)),
    CallbackQueryHandler(message_send_pressed, pattern=ui.matches(MESSAGE_SEND)),
    CallbackQueryHandler(message_drop_pressed, pattern=ui.matches(MESSAGE_DROP)),
]

TEXT_INPUTS = {
    AWAITING_DRAFT: draft_answer,
    AWAITING_EDIT: edit_answer,
    AWAITING_MESSAGE: message_text,
}
