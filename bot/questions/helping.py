"""Being a helper or key person: the setup right after accepting an invite, and /helper.

The setup asks three things in a few presses (the languages they answer in, their topics,
whether their first name shows) and makes them active at the end. /helper always opens with
one line that says what this person will receive, so nobody is "active" and yet never asked.
"""

from __future__ import annotations

from babel.lists import format_list
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import ui
from bot.context import BotContext
from bot.i18n import SHIPPED_LOCALES, language_name
from bot.markup import inline_keyboard, show_in_place
from bot.questions.service import QuestionService
from bot.questions.store import Helper
from bot.questions.topics import TOPICS

HELPER = "helper"
SETUP = "hsetup"


def service(context: BotContext) -> QuestionService:
    return context.runtime.questions


def status_line(context: BotContext, profile: Helper) -> str:
    """What this person will receive, in one line."""
    _ = context._
    if profile.paused:
        return _("Paused: you get no questions.")
    if not profile.languages:
        return _("You get no questions: choose at least one language.")
    languages = format_list(
        [
            context.t.isolate(language_name(code))
            for code in SHIPPED_LOCALES
            if code in profile.languages
        ],
        locale=context.t.cldr,
    )
    if not profile.topics:
        return _("You get questions in {languages}, about every topic.").format(languages=languages)
    topics = format_list(
        [_(label) for key, label in TOPICS.items() if key in profile.topics], locale=context.t.cldr
    )
    return _("You get questions in {languages}, about: {topics}.").format(
        languages=languages, topics=topics
    )


def _offered_line(context: BotContext, offered: int) -> list[str]:
    if not offered:
        return []
    text = context.t.ngettext(
        "{count} question that was waiting for an answer is on its way to you.",
        "{count} questions that were waiting for an answer are on their way to you.",
        offered,
    ).format(count=context.t.number(offered))
    return ["", text]


def _language_buttons(profile: Helper, action: str) -> list[list[tuple[str, str]]]:
    buttons = [
        (
            ("✅ " if code in profile.languages else "") + language_name(code),
            ui.encode(action, "lang", code),
        )
        for code in SHIPPED_LOCALES
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _topic_buttons(
    context: BotContext, profile: Helper, action: str
) -> list[list[tuple[str, str]]]:
    _ = context._
    buttons = [
        (("✅ " if key in profile.topics else "") + _(label), ui.encode(action, "topic", key))
        for key, label in TOPICS.items()
    ]
    every = ("✅ " if not profile.topics else "") + _("All topics")
    return [[(every, ui.encode(action, "all", "-"))]] + [
        buttons[i : i + 2] for i in range(0, len(buttons), 2)
    ]


# -- the setup after accepting an invite -----------------------------------------------------


async def begin_setup(update: Update, context: BotContext) -> None:
    """Called when someone has just become a helper or key person."""
    profile = await service(context).begin_setup(context.person)
    text, rows = _setup_languages(context, profile)
    await update.effective_message.reply_text(text, reply_markup=inline_keyboard(rows))


def _setup_languages(context: BotContext, profile: Helper) -> tuple[str, ui.Rows]:
    _ = context._
    text = "\n\n".join(
        [
            _("Let us set up how you help. Step 1 of 3."),
            _("In which languages can you answer questions? Tap to add or remove."),
        ]
    )
    rows = _language_buttons(profile, SETUP)
    rows.append([(_("Next"), ui.encode(SETUP, "next", "topics"))])
    return text, rows


def _setup_topics(context: BotContext, profile: Helper) -> tuple[str, ui.Rows]:
    _ = context._
    text = "\n\n".join(
        [
            _("Step 2 of 3."),
            _("Which topics can you answer about? Choose All topics, or tap the ones you know."),
        ]
    )
    rows = _topic_buttons(context, profile, SETUP)
    rows.append([(_("Next"), ui.encode(SETUP, "next", "name"))])
    return text, rows


def _setup_name(context: BotContext) -> tuple[str, ui.Rows]:
    _ = context._
    text = "\n\n".join(
        [
            _("Step 3 of 3."),
            _(
                "Should your first name be shown under your answers? The person who asks never "
                "sees your account, and you never see theirs."
            ),
        ]
    )
    rows = [
        [(_("Show my first name"), ui.encode(SETUP, "name", 1))],
        [(_("Stay anonymous"), ui.encode(SETUP, "name", 0))],
    ]
    return text, rows


async def setup_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    if press is None or len(press.args) != 2 or not context.person.is_helper:
        await query.answer(context._("This button has expired."))
        return
    step, value = press.args
    profile = await service(context).helper_profile(context.person)
    if step == "lang" and value in SHIPPED_LOCALES:
        profile = await _save(context, languages=profile.languages ^ {value})
        text, rows = _setup_languages(context, profile)
    elif step == "next" and value == "topics":
        text, rows = _setup_topics(context, profile)
    elif step == "topic" and value in TOPICS:
        profile = await _save(context, topics=profile.topics ^ {value})
        text, rows = _setup_topics(context, profile)
    elif (step, value) in (("all", "-"), ("next", "name")):
        if step == "all":
            await _save(context, topics=frozenset())
        text, rows = _setup_name(context)
    elif step == "name" and value in ("0", "1"):
        change = await service(context).update_helper(
            context.person, show_name=value == "1", paused=False
        )
        context.acknowledge(query)
        await show_in_place(query, _setup_done(context, change.profile, change.offered))
        return
    else:
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    await show_in_place(query, text, inline_keyboard(rows))


async def _save(context: BotContext, **changes: object) -> Helper:
    return (await service(context).update_helper(context.person, **changes)).profile


def _setup_done(context: BotContext, profile: Helper, offered: int) -> str:
    _ = context._
    lines = [
        _("Thank you, you are set up."),
        status_line(context, profile),
        "",
        _(
            "Questions come here as a message with an Answer button. To pause, or to change "
            "your languages and topics, send /helper."
        ),
    ]
    return "\n".join(lines + _offered_line(context, offered))


# -- /helper ---------------------------------------------------------------------------------


async def helper_command(update: Update, context: BotContext) -> None:
    if not context.person.is_helper:
        await update.effective_message.reply_text(
            context._(
                "Helpers answer questions from newcomers. Ask an organiser for a helper invite."
            )
        )
        return
    profile = await service(context).helper_profile(context.person)
    text, rows = _helper_view(context, profile)
    await update.effective_message.reply_text(text, reply_markup=inline_keyboard(rows))


def _helper_view(context: BotContext, profile: Helper, offered: int = 0) -> tuple[str, ui.Rows]:
    _ = context._
    name = (
        _("Your first name is shown under your answers.")
        if profile.show_name
        else _("Your answers are anonymous.")
    )
    lines = [
        status_line(context, profile),
        "",
        _("Your helper settings"),
        name,
        "",
        _("Tap to choose your languages and topics:"),
    ]
    rows = _language_buttons(profile, HELPER) + _topic_buttons(context, profile, HELPER)
    pause = _("Resume") if profile.paused else _("Pause")
    name_label = _("Hide my name") if profile.show_name else _("Show my first name")
    rows.append(
        [
            (pause, ui.encode(HELPER, "pause", int(not profile.paused))),
            (name_label, ui.encode(HELPER, "name", int(not profile.show_name))),
        ]
    )
    return "\n".join(lines + _offered_line(context, offered)), rows


async def helper_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    if press is None or len(press.args) != 2 or not context.person.is_helper:
        await query.answer(context._("This button has expired."))
        return
    setting, value = press.args
    profile = await service(context).helper_profile(context.person)
    if setting == "lang" and value in SHIPPED_LOCALES:
        changes = {"languages": profile.languages ^ {value}}
    elif setting == "topic" and value in TOPICS:
        changes = {"topics": profile.topics ^ {value}}
    elif setting == "all" and value == "-":
        changes = {"topics": frozenset()}
    elif setting == "pause" and value in ("0", "1"):
        changes = {"paused": value == "1"}
    elif setting == "name" and value in ("0", "1"):
        changes = {"show_name": value == "1"}
    else:
        await query.answer(context._("This button has expired."))
        return
    change = await service(context).update_helper(context.person, **changes)
    context.acknowledge(query)
    text, rows = _helper_view(context, change.profile, change.offered)
    await show_in_place(query, text, inline_keyboard(rows))


HANDLERS = [
    CommandHandler("helper", helper_command),
    CallbackQueryHandler(helper_pressed, pattern=ui.matches(HELPER)),
    CallbackQueryHandler(setup_pressed, pattern=ui.matches(SETUP)),
]
