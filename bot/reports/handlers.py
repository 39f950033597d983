"""/report for organisers and /myimpact for helpers and key persons.

/report [period] sends the figures as a message, a CSV and a chart; /myimpact [period] sends
the person's own contribution as a message and as a statement card. Drawing runs in a worker
thread, so that other people are not kept waiting meanwhile.
"""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot import ui
from bot.context import BotContext
from bot.i18n import SOURCE_LOCALE, Translator, language_name
from bot.people.service import NotAllowed
from bot.reports import files, texts
from bot.reports.service import PeriodError, ReportService


def service(context: BotContext) -> ReportService:
    return context.runtime.reports


def file_translators(context: BotContext) -> list[Translator]:
    """The reader's language first; if a picture cannot be drawn in it, the community's
    default language, then English."""
    runtime = context.runtime
    found: list[Translator] = []
    for locale in (context.t.locale, runtime.settings.default_locale, SOURCE_LOCALE):
        if all(t.locale != locale for t in found):
            found.append(runtime.translators[locale])
    return found


def picture_note(context: BotContext, picture: files.Picture) -> list[str]:
    """Said when the picture could not be drawn in the reader's script."""
    used = picture.translator.locale
    if used == context.t.locale:
        return []
    return [
        context._(
            "The picture is in {language}: I cannot write your alphabet in pictures yet."
        ).format(language=context.t.isolate(language_name(used)))
    ]


async def report(update: Update, context: BotContext) -> None:
    _ = context._
    message = update.effective_message
    try:
        impact = await service(context).impact(context.person, " ".join(context.args) or None)
    except NotAllowed:
        await message.reply_text(_("Only organisers can see impact reports."))
        return
    except PeriodError as error:
        await message.reply_text(
            texts.period_error(context.t, error, "report", service(context).examples())
        )
        return
    for part in ui.split_text(texts.report_text(context.t, impact)):
        await message.reply_text(part)
    code = impact.total.period.code
    await message.reply_document(
        InputFile(files.report_csv(context.t, impact), filename=f"impact-{code}.csv"),
        caption=_("The figures as a table, for a spreadsheet."),
    )
    chart = await asyncio.to_thread(files.report_chart, file_translators(context), impact)
    await message.reply_photo(
        InputFile(chart.png, filename=f"impact-{code}.png"),
        caption="\n".join(
            [_("Attendance and questions, month by month."), *picture_note(context, chart)]
        ),
    )


async def my_impact(update: Update, context: BotContext) -> None:
    _ = context._
    message = update.effective_message
    try:
        contribution = await service(context).contribution(
            context.person, " ".join(context.args) or None
        )
    except NotAllowed:
        await message.reply_text(
            _(
                "/myimpact is for helpers and key persons: it shows the questions they "
                "answered and the people they went along with."
            )
        )
        return
    except PeriodError as error:
        await message.reply_text(
            texts.period_error(context.t, error, "myimpact", service(context).examples())
        )
        return
    await message.reply_text(texts.contribution_text(context.t, contribution))
    card, with_name = await asyncio.to_thread(
        files.contribution_card,
        file_translators(context),
        contribution,
        context.person.first_name,
        context.runtime.settings.community_name,
        context.runtime.clock.now(),
    )
    caption = [_("A statement you can show to a municipality or an employer.")]
    caption += picture_note(context, card)
    if not with_name:
        caption.append(_("I could not write your name in the picture: please add it yourself."))
    await message.reply_document(
        InputFile(card.png, filename=f"contribution-{contribution.period.code}.png"),
        caption="\n".join(caption),
    )


HANDLERS = [
    CommandHandler("report", report),
    CommandHandler("myimpact", my_impact),
]
