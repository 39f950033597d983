"""The newcomer's answer to the morning-after message: a face, then a theme for next time."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot import ui
from bot.cafes.feedback import MAX_THEME_WORDS, MOOD, THEME_TOPICS, CafeFeedback
from bot.context import BotContext
from bot.markup import inline_keyboard
from bot.questions.topics import TOPICS

THEME = "cafe_theme"
AWAITING_THEME = "cafetheme"


def feedback(context: BotContext) -> CafeFeedback:
    return context.runtime.cafes.feedback


async def mood_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    valid = press is not None and len(press.args) == 2 and press.args[0].isdigit()
    cafe_id = int(press.args[0]) if valid else 0
    if not valid or not await feedback(context).record_mood(context.person, cafe_id, press.args[1]):
        await query.answer(context._("This button has expired."))
        return
    _ = context._
    context.acknowledge(query)
    context.close_keyboard(query)
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_THEME}:{cafe_id}"
    )
    buttons = [(_(TOPICS[topic]), ui.encode(THEME, cafe_id, topic)) for topic in THEME_TOPICS]
    await update.effective_message.reply_text(
        _("Thank you! What shall we talk about next time? Choose a topic, or write a word or two."),
        reply_markup=inline_keyboard([buttons[i : i + 2] for i in range(0, len(buttons), 2)]),
    )


async def theme_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    valid = press is not None and len(press.args) == 2 and press.args[0].isdigit()
    if not valid or not await feedback(context).record_theme(
        context.person, int(press.args[0]), topic=press.args[1]
    ):
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    context.person = await context.runtime.people.expect_text(context.person, None)
    await update.effective_message.reply_text(_thanks(context))


async def theme_words(update: Update, context: BotContext, argument: str) -> None:
    if not argument.isdigit():
        return
    try:
        saved = await feedback(context).record_theme(
            context.person, int(argument), word=update.effective_message.text or ""
        )
    except ValueError:
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_THEME}:{argument}"
        )
        await update.effective_message.reply_text(
            context._("A word or two, please (up to {count} letters), or choose a topic.").format(
                count=context.t.number(MAX_THEME_WORDS)
            )
        )
        return
    if not saved:
        await update.effective_message.reply_text(context._("This was handled already."))
        return
    await update.effective_message.reply_text(_thanks(context))


def _thanks(context: BotContext) -> str:
    return context._("Thank you! The organisers will see it, without your name.")


HANDLERS = [
    CallbackQueryHandler(mood_pressed, pattern=ui.matches(MOOD)),
    CallbackQueryHandler(theme_pressed, pattern=ui.matches(THEME)),
]

TEXT_INPUTS = {AWAITING_THEME: theme_words}
