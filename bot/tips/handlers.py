"""Community tips as a conversation: share one, browse and search, find tips near a place,
vote, flag, keep one's own tips right, and the organisers' side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import fallbacks, ui
from bot.context import BotContext
from bot.i18n import language_name
from bot.markup import inline_keyboard
from bot.moderation.service import report_button
from bot.tips.categories import CATEGORIES
from bot.tips.service import (
    FRESH,
    MAX_AREA_CHARS,
    MAX_TIP_CHARS,
    MODERATE,
    Field,
    Place,
    Rating,
    Refusal,
    Refused,
    Sort,
    TipService,
)
from bot.tips.store import Tip

NEW = "tip_new"  # a category for a new tip
SET = "tip_set"  # change one part of a tip: text, photo, place, area
CLEAR = "tip_clr"
PUBLISH = "tip_pub"
DONE = "tip_done"
EDIT = "tip_edit"
DELETE = "tip_del"
DELETE_SURE = "tip_delok"
CATEGORY_PICKER = "tip_cats"
PAGE = "tip_page"  # category | sort | languages | offset
VOTE = "tip_vote"
OUTDATED = "tip_old"
MAP = "tip_map"
PHOTO = "tip_pic"  # a tip's photo, which a list of tips (a text message) cannot hold
HIDDEN = "tip_hid"
BACK = "tip_back"  # from a step of the editor back to the tip, without changing it
RESUME = "tip_resume"  # go on with an unpublished draft
RESTART = "tip_again"  # discard that draft and start a new tip
AWAITING_CATEGORY = "tipcat"  # after /tip: a tip written before its category is kept
AWAITING_TEXT = "tiptext"  # tiptext:<category>
AWAITING_FIELD = "tipset"  # tipset:<tip id>:<field>
AWAITING_REASON = "tiphide"  # tiphide:<tip id>
AWAITING_SEARCH = "tipsearch"  # after /tips without words: the next message is a search
ALL = "all"  # every category, or every language
OWN = "own"  # the reader's language only
MAX_CAPTION_CHARS = 1024  # Telegram's limit for a photo's caption


def service(context: BotContext) -> TipService:
    return context.runtime.tips


def refusal_text(context: BotContext, reason: Refusal, field: Field = Field.TEXT) -> str:
    t = context.t
    if reason is Refusal.BLOCKED:
        return t.gettext("You cannot share tips at the moment.")
    if reason is Refusal.NO_WORDS:
        return t.gettext("Please use words: an emoji alone does not tell others enough.")
    if field is Field.AREA:
        return t.ngettext(
            "Please write a city or neighbourhood, in under {count} character.",
            "Please write a city or neighbourhood, in under {count} characters.",
            MAX_AREA_CHARS,
        ).format(count=MAX_AREA_CHARS)
    if reason is Refusal.TOO_LONG:
        return t.ngettext(
            "That is too long. Please keep a tip under {count} character.",
            "That is too long. Please keep a tip under {count} characters.",
            MAX_TIP_CHARS,
        ).format(count=MAX_TIP_CHARS)
    return t.gettext("Please write your tip as text. You can add a photo after that.")


def _tip_id(update: Update, args: int = 1) -> int | None:
    """The tip id a press is about: its first argument, if the press has `args` arguments."""
    press = ui.decode(update.callback_query.data)
    if press is None or len(press.args) != args or not press.args[0].isdigit():
        return None
    return int(press.args[0])


async def expired(update: Update, context: BotContext) -> None:
    await update.callback_query.answer(context._("This button has expired."))


# -- showing tips ---------------------------------------------------------------------------


def status_line(context: BotContext, tip: Tip) -> str | None:
    """For the author and organisers: where a tip that is not visible stands."""
    _ = context._
    if tip.status == "pending":
        return _("⏳ Waits for an organiser")
    if tip.status == "hidden" and tip.review == "author":
        return _("🙈 Hidden by you: edit it to show it again")
    if tip.status == "hidden":
        return _("🙈 Hidden by an organiser")
    return None


def card_buttons(context: BotContext, tip: Tip, *, photo: bool = False) -> ui.Rows:
    """What this reader can do with this tip; every press is checked again. `photo`: a
    button that sends the tip's photo, for a tip shown without it."""
    _ = context._
    person = context.person
    rows: list[list[tuple[str, str]]] = []
    if tip.author_id == person.id:
        rows.append(
            [(_("Edit"), ui.encode(EDIT, tip.id)), (_("Delete"), ui.encode(DELETE, tip.id))]
        )
    elif tip.status == "visible":
        rows.append(
            [
                (_("👍 Helpful"), ui.encode(VOTE, tip.id)),
                (_("Outdated?"), ui.encode(OUTDATED, tip.id)),
            ]
        )
        rows.append([report_button(context.t, "tip", tip.id)])
    if tip.has_place:
        rows.append([(_("📍 Show on the map"), ui.encode(MAP, tip.id))])
    if photo and tip.photo:
        rows.append([(_("📷 Photo"), ui.encode(PHOTO, tip.id))])
    if person.is_organiser:
        if tip.status == "pending":
            rows.append([(_("Approve"), ui.encode(MODERATE, "approve", tip.id)),
                         (_("Hide"), ui.encode(MODERATE, "hide", tip.id))])  # fmt: skip
        elif tip.status == "visible":
            rows.append([(_("Hide"), ui.encode(MODERATE, "hide", tip.id))])
        elif tip.status == "hidden" and tip.review in ("organiser", "report"):
            rows.append([(_("Restore"), ui.encode(MODERATE, "restore", tip.id))])
    return rows


async def send_tip(
    message: Message,
    context: BotContext,
    tip: Tip,
    *,
    km: float | None = None,
    heading: str | None = None,
    rows: ui.Rows | None = None,
    status: bool = True,
) -> None:
    """One tip as its own message, with its photo and buttons."""
    lines = [line for line in (heading, status and status_line(context, tip)) if line]
    text = "\n\n".join([*lines, service(context).card_text(context.t, tip, km=km)])
    rows = card_buttons(context, tip) if rows is None else rows
    markup = inline_keyboard(rows) if rows else None
    if tip.photo:
        if len(text) <= MAX_CAPTION_CHARS:
            await message.reply_photo(tip.photo, caption=text, reply_markup=markup)
            return
        await message.reply_photo(tip.photo)
    parts = ui.split_text(text)
    for part in parts[:-1]:
        await message.reply_text(part)
    await message.reply_text(parts[-1], reply_markup=markup)


TIP_BUTTONS_PER_ROW = 3  # under a list: each label carries a number, so rows hold fewer


def list_buttons(context: BotContext, tip: Tip, number: int) -> list[list[tuple[str, str]]]:
    """A tip's buttons under a numbered list of tips, each labelled with the tip's number."""
    labelled = [
        (context.t.numbered(number, label), data)
        for row in card_buttons(context, tip, photo=True)
        for label, data in row
    ]
    return [
        labelled[i : i + TIP_BUTTONS_PER_ROW] for i in range(0, len(labelled), TIP_BUTTONS_PER_ROW)
    ]


@dataclass(frozen=True)
class Numbered:
    """Tips as the entries of a numbered list, and each tip's rows of buttons."""

    entries: list[str]
    buttons: list[list[list[tuple[str, str]]]]

    def rows(self, shown: int) -> list[list[tuple[str, str]]]:
        """The buttons of the first `shown` tips, tip after tip."""
        return [row for rows in self.buttons[:shown] for row in rows]


def numbered(
    context: BotContext, tips: Sequence[Tip], first: int, kms: Sequence[float] | None = None
) -> Numbered:
    """The tips numbered from `first` (and, if given, their distances from the reader)."""
    t = context.t
    card = service(context).card_text
    entries, buttons = [], []
    for i, tip in enumerate(tips):
        entries.append(
            f"{t.number(first + i)}. " + card(t, tip, km=kms[i] if kms else None, in_list=True)
        )
        buttons.append(list_buttons(context, tip, first + i))
    return Numbered(entries, buttons)


def fitting(text_with: Callable[[int], str], count: int) -> tuple[int, str]:
    """How many of `count` tips one message holds, and that text (`text_with(n)`: the
    message with the first n tips).

    A page rather shows fewer tips (More shows the rest) than becomes several messages. One
    tip always fits: its text is at most MAX_TIP_CHARS, far under Telegram's limit."""
    text = text_with(count)
    while count > 1 and len(text) > ui.MAX_MESSAGE_CHARS:
        count -= 1
        text = text_with(count)
    return count, text


async def show_in_place(query: CallbackQuery, text: str, rows: ui.Rows) -> None:
    """Turn the pressed message into what the press asked for: one edit, no new message."""
    markup = inline_keyboard(rows) if rows else None
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return  # the same view pressed twice: it is on the screen already
        # The message cannot be edited (deleted, or not a text): the view comes as a new one.
        await query.message.reply_text(text, reply_markup=markup)


# -- sharing --------------------------------------------------------------------------------


async def share(update: Update, context: BotContext) -> None:
    try:
        await service(context).check_can_share(context.person)
    except Refused as refused:
        await update.effective_message.reply_text(refusal_text(context, refused.reason))
        return
    _ = context._
    draft = await service(context).unfinished_draft(context.person)
    if draft is not None:
        await send_tip(
            update.effective_message,
            context,
            draft,
            heading=_("You started this tip and did not publish it yet."),
            rows=[
                [(_("Continue where you left off"), ui.encode(RESUME, draft.id))],
                [(_("Start again"), ui.encode(RESTART, draft.id))],
            ],
        )
        return
    # Many people write the tip straight after /tip: it is kept, not refused.
    context.person = await context.runtime.people.expect_text(context.person, AWAITING_CATEGORY)
    await update.effective_message.reply_text(
        _("What is your tip about?"), reply_markup=inline_keyboard(category_rows(context))
    )


def category_rows(context: BotContext, tip_id: int | None = None) -> ui.Rows:
    """The categories, two a row; with `tip_id`, for the tip already written."""
    extra = () if tip_id is None else (tip_id,)
    buttons = [(context._(label), ui.encode(NEW, key, *extra)) for key, label in CATEGORIES.items()]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _kept_tip(awaiting: str | None) -> int | None:
    """The tip written after /tip and before a category, while the bot still waits for it."""
    purpose, _sep, argument = (awaiting or "").partition(":")
    return int(argument) if purpose == AWAITING_CATEGORY and argument.isdigit() else None


async def written_before_category(update: Update, context: BotContext, argument: str) -> None:
    """After /tip, the tip itself before a category was pressed: kept as a draft (a second
    message joins it), and the categories come again, for this tip."""
    message = update.effective_message
    photo = message.photo[-1].file_id if message.photo else None
    words = message.text or message.caption
    tips = service(context)
    try:
        tip = (
            await tips.add_to_draft(context.person, int(argument), words, photo)
            if argument.isdigit()
            else None
        ) or await tips.start_before_category(context.person, words, photo)
    except Refused as refused:
        await message.reply_text(refusal_text(context, refused.reason))
        if refused.reason is not Refusal.BLOCKED:
            context.person = await context.runtime.people.expect_text(
                context.person, f"{AWAITING_CATEGORY}:{argument}" if argument else AWAITING_CATEGORY
            )
        return
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_CATEGORY}:{tip.id}"
    )
    await message.reply_text(
        context._("I have kept your tip. What is it about?"),
        reply_markup=inline_keyboard(category_rows(context, tip.id)),
    )


async def resume_pressed(update: Update, context: BotContext) -> None:
    tip_id = _tip_id(update)
    tip = await service(context).editable(context.person, tip_id) if tip_id else None
    if tip is None or tip.status != "draft":
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    await show_editor(update.effective_message, context, tip)


async def restart_pressed(update: Update, context: BotContext) -> None:
    tip_id = _tip_id(update)
    tip = await service(context).editable(context.person, tip_id) if tip_id else None
    if (
        tip is None
        or tip.status != "draft"
        or not await service(context).delete(context.person, tip.id)
    ):
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    await update.effective_message.reply_text(
        context._("What is your tip about?"), reply_markup=inline_keyboard(category_rows(context))
    )


async def category_picked(update: Update, context: BotContext) -> None:
    press = ui.decode(update.callback_query.data)
    if (
        press is None
        or len(press.args) not in (1, 2)
        or press.args[0] not in CATEGORIES
        or (len(press.args) == 2 and not press.args[1].isdigit())
    ):
        await expired(update, context)
        return
    kept = int(press.args[1]) if len(press.args) == 2 else _kept_tip(context.person.awaiting)
    if kept is not None:  # the category of a tip written before it
        tip = await service(context).choose_category(context.person, kept, press.args[0])
        if tip is None:
            await expired(update, context)
            return
        context.acknowledge(update.callback_query)
        context.close_keyboard(update.callback_query)
        if context.person.awaiting is not None:
            context.person = await context.runtime.people.expect_text(context.person, None)
        await show_editor(update.effective_message, context, tip)
        return
    context.acknowledge(update.callback_query)
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_TEXT}:{press.args[0]}"
    )
    await update.effective_message.reply_text(
        context._(
            "Write your tip: what, where, and how much it costs if it does. You can add a "
            "photo, a place and a city or neighbourhood after that. /cancel stops."
        )
    )


async def tip_written(update: Update, context: BotContext, category: str) -> None:
    message = update.effective_message
    photo = message.photo[-1].file_id if message.photo else None
    try:
        tip = await service(context).start(
            context.person, category, message.text or message.caption, photo
        )
    except Refused as refused:
        await message.reply_text(refusal_text(context, refused.reason))
        if refused.reason is not Refusal.BLOCKED:
            context.person = await context.runtime.people.expect_text(
                context.person, f"{AWAITING_TEXT}:{category}"
            )
        return
    except ValueError:
        await message.reply_text(context._("This button has expired."))
        return
    await show_editor(message, context, tip)


def editor_rows(context: BotContext, tip: Tip) -> ui.Rows:
    _ = context._
    finish = (
        [
            (_("✅ Publish"), ui.encode(PUBLISH, tip.id)),
            (_("Discard"), ui.encode(DELETE_SURE, tip.id)),
        ]
        if tip.status == "draft"
        else [(_("✅ Done"), ui.encode(DONE, tip.id)), (_("Delete"), ui.encode(DELETE, tip.id))]
    )
    return [
        [(_("✏️ Text"), ui.encode(SET, tip.id, Field.TEXT.value)),
         (_("📷 Photo"), ui.encode(SET, tip.id, Field.PHOTO.value))],
        [(_("📍 Place"), ui.encode(SET, tip.id, Field.PLACE.value)),
         (_("🏙 City or neighbourhood"), ui.encode(SET, tip.id, Field.AREA.value))],
        finish,
    ]  # fmt: skip


async def show_editor(message: Message, context: BotContext, tip: Tip) -> None:
    """The author's own tip with what they can change; a draft waits for Publish."""
    _ = context._
    heading = (
        _("Your tip, not published yet. Add a photo, a place or a city or neighbourhood if "
          "you like, then press Publish.")
        if tip.status == "draft"
        else _("Your tip. What would you like to change?")
    )  # fmt: skip
    await send_tip(message, context, tip, heading=heading, rows=editor_rows(context, tip))


def _field_press(update: Update) -> tuple[int, Field] | None:
    press = ui.decode(update.callback_query.data)
    if press is None or len(press.args) != 2 or not press.args[0].isdigit():
        return None
    field = next((f for f in Field if f.value == press.args[1]), None)
    return (int(press.args[0]), field) if field else None


async def field_pressed(update: Update, context: BotContext) -> None:
    pressed = _field_press(update)
    tip = await service(context).editable(context.person, pressed[0]) if pressed else None
    if pressed is None or tip is None:
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    tip_id, field = pressed
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_FIELD}:{tip_id}:{field.value}"
    )
    _ = context._
    prompt = {
        Field.TEXT: _("Write the new text of your tip. /cancel stops."),
        Field.PHOTO: _("Send the photo. /cancel stops."),
        Field.PLACE: _(
            "Send the place: tap 📎, choose Location, and send a point on the map or pick a "
            "place from the list. Or write the city or neighbourhood."
        ),
        Field.AREA: _(
            "Write the city or neighbourhood, like: Tiel, or Kanaleneiland. /cancel stops."
        ),
    }[field]
    is_set = {
        Field.TEXT: False,
        Field.PHOTO: tip.photo is not None,
        Field.PLACE: tip.has_place,
        Field.AREA: tip.area is not None,
    }[field]
    rows = [[(_("Remove it"), ui.encode(CLEAR, tip_id, field.value))]] if is_set else []
    if field is Field.PLACE:  # an address cannot be looked up: never a dead end
        rows.append([(_("Skip"), ui.encode(BACK, tip_id)), (_("⬅️ Back"), ui.encode(BACK, tip_id))])
    await update.effective_message.reply_text(
        prompt, reply_markup=inline_keyboard(rows) if rows else None
    )


def _place_of(message: Message) -> Place | None:
    if message.venue is not None:
        venue = message.venue
        name = ", ".join(part for part in (venue.title, venue.address) if part)
        return Place(venue.location.latitude, venue.location.longitude, name)
    if message.location is not None:
        return Place(message.location.latitude, message.location.longitude)
    return None


async def field_written(update: Update, context: BotContext, argument: str) -> None:
    """The new text, photo, place or area of a tip, as asked for by `field_pressed`."""
    message = update.effective_message
    _ = context._
    tip_id, _sep, field_name = argument.partition(":")
    field = next((f for f in Field if f.value == field_name), None)
    if not tip_id.isdigit() or field is None:
        await message.reply_text(_("This button has expired."))
        return
    if field is Field.PLACE and message.text:
        # A written address cannot be put on the map; as a city or neighbourhood it helps.
        field = Field.AREA
    value: str | Place | None = {
        Field.TEXT: message.text,
        Field.AREA: message.text,
        Field.PHOTO: message.photo[-1].file_id if message.photo else None,
        Field.PLACE: _place_of(message),
    }[field]
    if value is None:
        wrong_kind = {
            Field.TEXT: _("Please write the text of your tip."),
            Field.AREA: _("Please write the city or neighbourhood."),
            Field.PHOTO: _("Please send a photo."),
            Field.PLACE: _(
                "Please send a place (tap 📎 and choose Location), or write the city or "
                "neighbourhood."
            ),
        }
        await _ask_again(message, context, argument, wrong_kind[field])
        return
    try:
        tip = await service(context).change(context.person, int(tip_id), field, value)
    except Refused as refused:
        await _ask_again(message, context, argument, refusal_text(context, refused.reason, field))
        return
    if tip is None:
        await message.reply_text(_("This tip cannot be changed any more."))
        return
    await show_editor(message, context, tip)


async def _ask_again(message: Message, context: BotContext, argument: str, text: str) -> None:
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_FIELD}:{argument}"
    )
    await message.reply_text(text)


async def back_pressed(update: Update, context: BotContext) -> None:
    """Skip or Back from the place step: the tip as it was, and the bot no longer waits."""
    tip_id = _tip_id(update)
    tip = await service(context).editable(context.person, tip_id) if tip_id else None
    if tip is None:
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    if (context.person.awaiting or "").startswith(f"{AWAITING_FIELD}:{tip.id}:"):
        context.person = await context.runtime.people.expect_text(context.person, None)
    await show_editor(update.effective_message, context, tip)


async def clear_pressed(update: Update, context: BotContext) -> None:
    pressed = _field_press(update)
    tip = None
    if pressed is not None and pressed[1] is not Field.TEXT:
        tip = await service(context).clear(context.person, *pressed)
    if tip is None:
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    tip_id, field = pressed
    if context.person.awaiting == f"{AWAITING_FIELD}:{tip_id}:{field.value}":
        # Removed instead of sent: the bot no longer waits for it.
        context.person = await context.runtime.people.expect_text(context.person, None)
    await show_editor(update.effective_message, context, tip)


async def publish_pressed(update: Update, context: BotContext) -> None:
    tip_id = _tip_id(update)
    try:
        tip = await service(context).publish(context.person, tip_id) if tip_id else None
    except Refused as refused:
        await update.callback_query.answer(refusal_text(context, refused.reason), show_alert=True)
        return
    if tip is None:
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    _ = context._
    await update.effective_message.reply_text(
        _("Thank you! Your tip is published.")
        if tip.status == "visible"
        else _(
            "Thank you! Because you joined recently, an organiser looks at your tip first. "
            "You will hear when it is published."
        )
    )


async def done_pressed(update: Update, context: BotContext) -> None:
    tip_id = _tip_id(update)
    if tip_id is None or await service(context).editable(context.person, tip_id) is None:
        await expired(update, context)
        return
    await update.callback_query.answer(context._("Saved."))
    context.close_keyboard(update.callback_query)


async def edit_pressed(update: Update, context: BotContext) -> None:
    tip_id = _tip_id(update)
    tip = await service(context).editable(context.person, tip_id) if tip_id else None
    if tip is None:
        await update.callback_query.answer(context._("This tip cannot be changed any more."))
        return
    context.acknowledge(update.callback_query)
    await show_editor(update.effective_message, context, tip)


async def delete_pressed(update: Update, context: BotContext) -> None:
    """Ask first: a deleted tip cannot come back."""
    tip_id = _tip_id(update)
    tip = await service(context).viewable(context.person, tip_id) if tip_id else None
    if tip is None or tip.author_id != context.person.id:
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    _ = context._
    await update.effective_message.reply_text(
        _("Delete this tip? It cannot be undone."),
        reply_markup=inline_keyboard([[(_("Yes, delete it"), ui.encode(DELETE_SURE, tip.id))]]),
    )


async def delete_confirmed(update: Update, context: BotContext) -> None:
    tip_id = _tip_id(update)
    if tip_id is None or not await service(context).delete(context.person, tip_id):
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    await update.effective_message.reply_text(context._("Your tip is deleted."))


async def my_tips(update: Update, context: BotContext) -> None:
    tips = await service(context).own_tips(context.person)
    if not tips:
        await update.effective_message.reply_text(
            context._("You have not shared any tips yet. /tip shares one.")
        )
        return
    for tip in tips:
        await send_tip(update.effective_message, context, tip)


# -- finding --------------------------------------------------------------------------------


async def tips_command(update: Update, context: BotContext) -> None:
    words = " ".join(context.args or [])
    if words.strip():
        await search(update, context, words)
        return
    # "To search, write: /tips halal": "halal" alone, as the next message, searches too.
    context.person = await context.runtime.people.expect_text(context.person, AWAITING_SEARCH)
    text, rows = category_picker(context)
    await update.effective_message.reply_text(text, reply_markup=inline_keyboard(rows))


async def search_written(update: Update, context: BotContext, _argument: str) -> None:
    await search(update, context, update.effective_message.text or "")


def category_picker(context: BotContext) -> tuple[str, ui.Rows]:
    _ = context._
    buttons = [
        (_(label), ui.encode(PAGE, key, Sort.NEWEST.value, OWN, 0))
        for key, label in CATEGORIES.items()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([(_("All categories"), ui.encode(PAGE, ALL, Sort.NEWEST.value, OWN, 0))])
    return _("Which tips would you like to see? To search, write: /tips halal"), rows


async def categories_pressed(update: Update, context: BotContext) -> None:
    context.acknowledge(update.callback_query)
    text, rows = category_picker(context)
    await show_in_place(update.callback_query, text, rows)


async def page_pressed(update: Update, context: BotContext) -> None:
    press = ui.decode(update.callback_query.data)
    valid = press is not None and len(press.args) == 4
    if valid:
        category, sort, languages, offset = press.args
        valid = (
            (category == ALL or category in CATEGORIES)
            and sort in {s.value for s in Sort}
            and languages in (OWN, ALL)
            and offset.isdigit()
        )
    if not valid:
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    text, rows = await tips_page(context, category, Sort(sort), languages == ALL, int(offset))
    await show_in_place(update.callback_query, text, rows)


async def tips_page(
    context: BotContext, category: str, sort: Sort, all_languages: bool, offset: int
) -> tuple[str, ui.Rows]:
    """One page of tips as one message: the tips numbered, each with its buttons, and the
    buttons to page, sort, switch language and pick another category."""
    _ = context._
    t = context.t
    page = await service(context).browse(
        context.person, None if category == ALL else category, sort, all_languages, offset
    )
    label = _("All categories") if category == ALL else _(CATEGORIES[category])
    listed = numbered(context, page.tips, page.offset + 1)

    def heading(shown: int) -> str:
        return t.ngettext(
            "{category}: {first}–{last} of {total} tip",
            "{category}: {first}–{last} of {total} tips",
            page.total,
        ).format(
            category=label,
            first=t.number(page.offset + 1),
            last=t.number(page.offset + shown),
            total=t.number(page.total),
        )

    def text_with(shown: int) -> str:
        return "\n\n".join([heading(shown), *listed.entries[:shown]])

    if page.tips:
        shown, text = fitting(text_with, len(page.tips))
        page = replace(page, tips=page.tips[:shown])
    elif all_languages:
        text = _("{category}: no tips yet. Share the first one with /tip.").format(category=label)
    else:
        text = _(
            "{category}: no tips in your language yet. Look in all languages, or share one "
            "with /tip."
        ).format(category=label)

    def to(new_sort: Sort, languages: bool, new_offset: int) -> str:
        return ui.encode(PAGE, category, new_sort.value, ALL if languages else OWN, new_offset)

    size = service(context).page_size
    rows = listed.rows(len(page.tips))
    paging = []
    if page.offset > 0:
        paging.append((_("◀ Back"), to(sort, all_languages, max(0, page.offset - size))))
    if page.has_more:
        paging.append((_("More ▶"), to(sort, all_languages, page.offset + len(page.tips))))
    if paging:
        rows.append(paging)
    if sort is Sort.NEWEST:
        rows.append([(_("👍 Most helpful first"), to(Sort.HELPFUL, all_languages, 0))])
    else:
        rows.append([(_("🕒 Newest first"), to(Sort.NEWEST, all_languages, 0))])
    if all_languages:
        only = _("Only {language}").format(language=language_name(t.locale))
        rows.append([(only, to(sort, False, 0))])
    else:
        rows.append([(_("🌍 All languages"), to(sort, True, 0))])
    rows.append([(_("Other categories"), ui.encode(CATEGORY_PICKER))])
    return text, rows


async def search(update: Update, context: BotContext, words: str) -> None:
    """The best matches as one message, numbered, each with its buttons."""
    _ = context._
    found = await service(context).search(context.person, words)
    if found is None:
        await update.effective_message.reply_text(
            _("Write what you are looking for, like: /tips halal")
        )
        return
    if not found.tips:
        await update.effective_message.reply_text(
            _("I found no tips about that. You can share one with /tip.")
        )
        return
    listed = numbered(context, found.tips, 1)

    def text_with(shown: int) -> str:
        if not found.more and shown == len(found.tips):
            return "\n\n".join(listed.entries)
        more = context.t.ngettext(
            "This is the best {count} match. Add words to find fewer tips.",
            "These are the best {count} matches. Add words to find fewer tips.",
            shown,
        ).format(count=shown)
        return "\n\n".join([*listed.entries[:shown], more])

    shown, text = fitting(text_with, len(found.tips))
    await update.effective_message.reply_text(
        text, reply_markup=inline_keyboard(listed.rows(shown))
    )


async def location_sent(update: Update, context: BotContext) -> None:
    """A location or venue: nearby tips; unless the bot asked for something (a tip's place)."""
    if context.person.awaiting:
        await fallbacks.free_text(update, context)
        return
    place = _place_of(update.effective_message)
    if place is None:
        return
    nearby = await service(context).nearby(place.latitude, place.longitude)
    _ = context._
    if not nearby:
        await update.effective_message.reply_text(
            _("No tips have a place within {distance} km of there. You can share one with /tip.")
            .format(distance=context.t.number(service(context).nearby_km))
        )  # fmt: skip
        return
    listed = numbered(context, [n.tip for n in nearby], 1, kms=[n.km for n in nearby])
    heading = _("Tips near that place, the nearest first:")

    def text_with(shown: int) -> str:
        return "\n\n".join([heading, *listed.entries[:shown]])

    shown, text = fitting(text_with, len(nearby))
    await update.effective_message.reply_text(
        text, reply_markup=inline_keyboard(listed.rows(shown))
    )


async def vote_pressed(update: Update, context: BotContext) -> None:
    tip_id = _tip_id(update)
    result = await service(context).vote(context.person, tip_id) if tip_id else None
    if result is None:
        await expired(update, context)
        return
    rating, count = result
    _ = context._
    await update.callback_query.answer(
        {
            Rating.COUNTED: context.t.ngettext(
                "Thank you! {count} person found this helpful.",
                "Thank you! {count} people found this helpful.",
                count,
            ).format(count=count),
            Rating.ALREADY: _("You marked this tip as helpful already."),
            Rating.OWN_TIP: _("This is your own tip."),
        }[rating]
    )


async def outdated_pressed(update: Update, context: BotContext) -> None:
    tip_id = _tip_id(update)
    rating = await service(context).flag_outdated(context.person, tip_id) if tip_id else None
    if rating is None:
        await expired(update, context)
        return
    _ = context._
    await update.callback_query.answer(
        {
            Rating.COUNTED: _("Thank you. If more people say so, an organiser checks it."),
            Rating.ALREADY: _("You said this tip is outdated already."),
            Rating.OWN_TIP: _("This is your own tip. You can edit it."),
            Rating.SENT_FOR_REVIEW: _("Thank you. The tip is hidden until an organiser checks it."),
        }[rating],
        show_alert=rating is Rating.SENT_FOR_REVIEW,
    )


async def map_pressed(update: Update, context: BotContext) -> None:
    tip_id = _tip_id(update)
    tip = await service(context).viewable(context.person, tip_id) if tip_id else None
    if tip is None or tip.latitude is None or tip.longitude is None:
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    await update.effective_message.reply_location(tip.latitude, tip.longitude)


async def photo_pressed(update: Update, context: BotContext) -> None:
    """The photo of a tip in a list, with the tip as its caption when the caption holds it
    (the list above has the text in any case) and the tip's own buttons."""
    tip_id = _tip_id(update)
    tip = await service(context).viewable(context.person, tip_id) if tip_id else None
    if tip is None or tip.photo is None:
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    text = service(context).card_text(context.t, tip)
    rows = card_buttons(context, tip)
    await update.effective_message.reply_photo(
        tip.photo,
        caption=text if len(text) <= MAX_CAPTION_CHARS else None,
        reply_markup=inline_keyboard(rows) if rows else None,
    )


# -- keeping tips fresh ---------------------------------------------------------------------


async def freshness_answered(update: Update, context: BotContext) -> None:
    press = ui.decode(update.callback_query.data)
    tip_id = _tip_id(update, args=2)
    answer = press.args[1] if tip_id is not None and press is not None else None
    still_right = answer == "1"
    if answer not in ("0", "1") or not await service(context).answer_freshness(
        context.person, tip_id, still_right
    ):
        await expired(update, context)
        return
    _ = context._
    context.close_keyboard(update.callback_query)
    if still_right:
        await update.callback_query.answer(_("Thank you! The tip stays."))
        return
    context.acknowledge(update.callback_query)
    await update.effective_message.reply_text(
        _("Thank you. The tip is hidden now. Edit it to make it right, or delete it."),
        reply_markup=inline_keyboard(
            [[(_("Edit"), ui.encode(EDIT, tip_id)), (_("Delete"), ui.encode(DELETE, tip_id))]]
        ),
    )


async def keep_tips_fresh(context: BotContext) -> None:
    """Job: authors are asked about old tips; unanswered ones wait for an organiser."""
    if await service(context).keep_fresh():
        context.runtime.outbox.wake()


# -- organisers -----------------------------------------------------------------------------


async def waiting_tips(update: Update, context: BotContext) -> None:
    _ = context._
    if not context.person.is_organiser:
        await update.effective_message.reply_text(_("Only organisers can see this."))
        return
    tips = await service(context).waiting(context.person)
    for tip in tips:
        review = service(context).review_text(context.t, tip.review)
        await send_tip(update.effective_message, context, tip, heading=review, status=False)
    text = (
        context.t.ngettext(
            "{count} tip waits for an organiser.", "{count} tips wait for an organiser.", len(tips)
        ).format(count=len(tips))
        if tips
        else _("No tips are waiting.")
    )
    await update.effective_message.reply_text(
        text, reply_markup=inline_keyboard([[(_("Hidden tips"), ui.encode(HIDDEN))]])
    )


async def hidden_pressed(update: Update, context: BotContext) -> None:
    if not context.person.is_organiser:
        await expired(update, context)
        return
    context.acknowledge(update.callback_query)
    tips = await service(context).hidden(context.person)
    if not tips:
        await update.effective_message.reply_text(context._("No tips are hidden."))
        return
    for tip in tips:
        review = service(context).review_text(context.t, tip.review)
        await send_tip(update.effective_message, context, tip, heading=review, status=False)


async def moderate_pressed(update: Update, context: BotContext) -> None:
    press = ui.decode(update.callback_query.data)
    valid = (
        press is not None
        and len(press.args) == 2
        and press.args[0] in ("approve", "hide", "restore")
        and press.args[1].isdigit()
        and context.person.is_organiser
    )
    if not valid:
        await expired(update, context)
        return
    action, tip_id = press.args[0], int(press.args[1])
    _ = context._
    if action == "hide":
        tip = await service(context).viewable(context.person, tip_id)
        if tip is None or tip.status not in ("pending", "visible"):
            await update.callback_query.answer(_("This was handled already."))
            return
        context.acknowledge(update.callback_query)
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_REASON}:{tip_id}"
        )
        await update.effective_message.reply_text(
            _("Why? Write the reason in one message; it is kept in the moderation log.")
        )
        return
    tips = service(context)
    done = await (tips.approve if action == "approve" else tips.restore)(context.person, tip_id)
    if not done:
        await update.callback_query.answer(_("This was handled already."))
        return
    # Say what happened and what comes next, not just "Done."
    await update.callback_query.answer(
        _("Published: everyone can find the tip now.")
        if action == "approve"
        else _("The tip can be found again.")
    )
    context.close_keyboard(update.callback_query)


async def reason_given(update: Update, context: BotContext, argument: str) -> None:
    reason = (update.effective_message.text or "").strip()
    if not reason:
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_REASON}:{argument}"
        )
        await update.effective_message.reply_text(context._("Please write the reason as text."))
        return
    done = (
        argument.isdigit()
        and context.person.is_organiser
        and await service(context).hide(context.person, int(argument), reason)
    )
    await update.effective_message.reply_text(
        context._("Done. The tip is hidden.") if done else context._("This was handled already.")
    )


HANDLERS = [
    CommandHandler("tip", share),
    CommandHandler("tips", tips_command),
    CommandHandler("mytips", my_tips),
    CommandHandler("pendingtips", waiting_tips),
    # A location in a private chat: nearby tips, or the place of a tip being written.
    MessageHandler(
        filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & (filters.LOCATION | filters.VENUE),
        location_sent,
    ),
    CallbackQueryHandler(category_picked, pattern=ui.matches(NEW)),
    CallbackQueryHandler(field_pressed, pattern=ui.matches(SET)),
    CallbackQueryHandler(clear_pressed, pattern=ui.matches(CLEAR)),
    CallbackQueryHandler(back_pressed, pattern=ui.matches(BACK)),
    CallbackQueryHandler(resume_pressed, pattern=ui.matches(RESUME)),
    CallbackQueryHandler(restart_pressed, pattern=ui.matches(RESTART)),
    CallbackQueryHandler(publish_pressed, pattern=ui.matches(PUBLISH)),
    CallbackQueryHandler(done_pressed, pattern=ui.matches(DONE)),
    CallbackQueryHandler(edit_pressed, pattern=ui.matches(EDIT)),
    CallbackQueryHandler(delete_pressed, pattern=ui.matches(DELETE)),
    CallbackQueryHandler(delete_confirmed, pattern=ui.matches(DELETE_SURE)),
    CallbackQueryHandler(categories_pressed, pattern=ui.matches(CATEGORY_PICKER)),
    CallbackQueryHandler(page_pressed, pattern=ui.matches(PAGE)),
    CallbackQueryHandler(vote_pressed, pattern=ui.matches(VOTE)),
    CallbackQueryHandler(outdated_pressed, pattern=ui.matches(OUTDATED)),
    CallbackQueryHandler(map_pressed, pattern=ui.matches(MAP)),
    CallbackQueryHandler(photo_pressed, pattern=ui.matches(PHOTO)),
    CallbackQueryHandler(freshness_answered, pattern=ui.matches(FRESH)),
    CallbackQueryHandler(hidden_pressed, pattern=ui.matches(HIDDEN)),
    CallbackQueryHandler(moderate_pressed, pattern=ui.matches(MODERATE)),
]

TEXT_INPUTS = {
    AWAITING_CATEGORY: written_before_category,
    AWAITING_SEARCH: search_written,
    AWAITING_TEXT: tip_written,
    AWAITING_FIELD: field_written,
    AWAITING_REASON: reason_given,
}
