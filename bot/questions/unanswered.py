"""/unanswered: organisers see the open questions nobody has answered yet, oldest first, and
can send one to a helper or key person of their choice. Never who asked."""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_timedelta
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import ui
from bot.context import BotContext
from bot.i18n import language_name
from bot.markup import inline_keyboard, reply_in_parts
from bot.questions.relaying import opening
from bot.questions.service import QuestionService
from bot.questions.store import Waiting
from bot.questions.topics import TOPICS

PICK = "q_wait"  # choose who gets a waiting question
SEND = "q_give"  # send it to that person
SHOWN = 10  # questions in one view
CHOICES = 20  # people to choose from (ordered by first name)


def service(context: BotContext) -> QuestionService:
    return context.runtime.questions


async def show_unanswered(update: Update, context: BotContext) -> None:
    _ = context._
    if not context.person.is_organiser:
        await update.effective_message.reply_text(
            _("Only organisers can see the questions that wait for an answer.")
        )
        return
    waiting = await service(context).unanswered(context.person, SHOWN)
    if not waiting:
        await update.effective_message.reply_text(_("Every open question has an answer."))
        return
    now = context.runtime.clock.timestamp()
    parts = [_("Questions that wait for a first answer, the oldest first:")]
    rows = []
    for number, item in enumerate(waiting[:SHOWN], start=1):
        parts.append(_waiting_text(context, number, item, now))
        rows.append(
            [(context.t.numbered(number, _("Send to someone")), ui.encode(PICK, item.question.id))]
        )
    if len(waiting) > SHOWN:
        parts.append(
            _("More questions wait: these are the oldest {count}.").format(
                count=context.t.number(SHOWN)
            )
        )
    await reply_in_parts(update.effective_message, "\n\n".join(parts), rows)


def _waiting_text(context: BotContext, number: int, item: Waiting, now: int) -> str:
    """One numbered question: its first words; topic, language, age, how many received it."""
    t, question = context.t, item.question
    age = format_timedelta(
        timedelta(seconds=now - (question.routed_at or question.created_at)), locale=t.cldr
    )
    received = t.ngettext(
        "{count} person received it", "{count} people received it", item.recipients
    ).format(count=t.number(item.recipients))
    facts = [
        t.gettext(TOPICS[question.topic]),
        language_name(question.locale),
        t.gettext("waiting for {age}").format(age=age),
        received,
    ]
    return f"{t.number(number)}. “{t.isolate(opening(t, question))}”\n" + " · ".join(facts)


def _number_arg(press: ui.Press | None, count: int) -> list[int] | None:
    if press is None or len(press.args) != count or not all(a.isdigit() for a in press.args):
        return None
    return [int(arg) for arg in press.args]


async def pick_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    args = _number_arg(ui.decode(query.data), 1)
    if args is None or not context.person.is_organiser:
        await query.answer(context._("This button has expired."))
        return
    found = await service(context).readers_for(context.person, args[0])
    if found is None:
        await query.answer(context._("This question has an answer already, or is closed."))
        return
    context.acknowledge(query)
    question, readers = found
    _ = context._
    opened = context.t.isolate(opening(context.t, question))
    if not readers:
        await update.effective_message.reply_text(
            _(
                "No helper or key person who reads {language} is available, or they all have "
                "“{question}” already."
            ).format(language=language_name(question.locale), question=opened)
        )
        return
    rows = [
        [
            (
                context.t.isolate(name),
                ui.encode(SEND, question.id, candidate.user_id),
            )
        ]
        for candidate, name in readers[:CHOICES]
    ]
    await update.effective_message.reply_text(
        _("Who should get “{question}”? They read {language}.").format(
            question=opened, language=language_name(question.locale)
        ),
        reply_markup=inline_keyboard(rows),
    )


async def send_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    args = _number_arg(ui.decode(query.data), 2)
    name = await service(context).send_to(context.person, *args) if args else None
    if name is None:
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    await update.effective_message.reply_text(
        context._("Sent to {name}. They do not see who asked.").format(name=context.t.isolate(name))
    )


HANDLERS = [
    CommandHandler("unanswered", show_unanswered),
    CallbackQueryHandler(pick_pressed, pattern=ui.matches(PICK)),
    CallbackQueryHandler(send_pressed, pattern=ui.matches(SEND)),
]
