"""Build the Application: every feature's handlers and jobs, wired in one visible place.

Handler groups: -2 notes that an update arrived (for /healthz and the log); -1 identifies the
person and their language; 0 holds the features, and the fallbacks last (unknown command, stray
text, expired button); 1 wakes the outbox sender.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    TypeHandler,
)
from telegram.request import BaseRequest

from bot import fallbacks, health, shutdown
from bot.accompaniment import handlers as accompaniment
from bot.accompaniment.service import AccompanimentService
from bot.announcements import handlers as announcements
from bot.announcements.service import AnnouncementService
from bot.cafes import feedback_handlers as cafe_feedback
from bot.cafes import handlers as cafes
from bot.cafes import organiser as cafe_organiser
from bot.cafes.service import CafeService
from bot.clock import Clock
from bot.commands import menu_commands
from bot.concurrency import PerUserUpdateProcessor
from bot.config import Settings
from bot.context import BotContext, finish_update, identify
from bot.db import Database
from bot.guard import RateLimiter
from bot.i18n import SHIPPED_LOCALES, Translators
from bot.moderation import handlers as moderation
from bot.moderation.service import ModerationService
from bot.outbox.sender import OutboxSender
from bot.people import handlers as people
from bot.people.service import PeopleService
from bot.privacy import handlers as privacy
from bot.privacy.service import PrivacyService
from bot.questions import handlers as questions
from bot.questions.service import QuestionService
from bot.questions.store import KNOWLEDGE_TABLE
from bot.reports import handlers as impact_reports
from bot.reports.service import ReportService
from bot.runtime import Runtime
from bot.tips import handlers as tips
from bot.tips.service import TipService
from bot.tips.store import SEARCH_TABLE as TIPS_TABLE

log = logging.getLogger(__name__)

# With no BOT_TOKEN the bot talks to a local request object; the token only has to look real.
LOCAL_TOKEN = "1000:local-console"


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    outbox_options: dict | None = None,
    messages_per_second: float = 30.0,
) -> Application:
    """The whole bot. `messages_per_second` is Telegram's global limit (benchmarks change it)."""
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token or LOCAL_TOKEN)
        .base_url(settings.telegram_base_url)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerUserUpdateProcessor())
        .rate_limiter(AIORateLimiter(overall_max_rate=messages_per_second, max_retries=2))
        .post_init(on_startup)
        .post_stop(on_stop)
        .post_shutdown(on_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()

    clock = clock or Clock()
    db = Database(settings.database_path)
    translators = Translators(settings.timezone)
    runtime = Runtime(
        settings=settings,
        db=db,
        clock=clock,
        translators=translators,
        people=PeopleService(db, clock, translators, settings.admin_ids, settings.default_locale),
        outbox=OutboxSender(
            db,
            application.bot,
            clock,
            messages_per_second=messages_per_second,
            **(outbox_options or {}),
        ),
        announcements=AnnouncementService(
            db, clock, translators, settings.community_name, settings.default_locale
        ),
        cafes=CafeService(
            db,
            clock,
            translators,
            settings.timezone,
            settings.default_locale,
            reminder_hours=settings.reminder_hours,
        ),
        questions=QuestionService(
            db,
            clock,
            translators,
            settings.default_locale,
            questions_per_day=settings.questions_per_day,
            to_key_persons_after=timedelta(hours=settings.escalation_hours[0]),
            to_organisers_after=timedelta(hours=settings.escalation_hours[1]),
        ),
        moderation=ModerationService(db, clock),
        accompaniment=AccompanimentService(db, clock, translators, settings.default_locale),
        privacy=PrivacyService(db, clock),
        rate_limiter=RateLimiter(limit=settings.messages_per_minute),
        tips=TipService(
            db,
            clock,
            translators,
            settings.default_locale,
            settings.admin_ids,
            approval_days=settings.tip_approval_days,
            fresh_after=timedelta(days=settings.tip_fresh_days),
            answer_within=timedelta(days=settings.tip_answer_days),
            outdated_flags=settings.tip_outdated_flags,
            nearby_km=settings.tip_nearby_km,
        ),
        reports=ReportService(db, clock, settings.timezone),
    )
    runtime.privacy.register(runtime.cafes.forget_person)
    runtime.privacy.register(runtime.cafes.messages.forget_person)
    runtime.privacy.register(runtime.cafes.feedback.forget_person)
    runtime.privacy.register(runtime.questions.forget_person, search_table=KNOWLEDGE_TABLE)
    runtime.moderation.register(
        "question", runtime.questions.load_question, runtime.questions.hide_question
    )
    runtime.moderation.register(
        "answer", runtime.questions.load_answer, runtime.questions.hide_answer
    )
    runtime.moderation.register("tip", runtime.tips.load_tip, runtime.tips.hide_tip)
    runtime.privacy.register(runtime.tips.forget_person, search_table=TIPS_TABLE)
    runtime.deep_links.update(people.DEEP_LINKS)
    runtime.deep_links.update(cafes.DEEP_LINKS)
    runtime.text_inputs.update(announcements.TEXT_INPUTS)
    runtime.text_inputs.update(cafe_organiser.TEXT_INPUTS)
    runtime.text_inputs.update(cafe_feedback.TEXT_INPUTS)
    runtime.text_inputs.update(questions.TEXT_INPUTS)
    runtime.text_inputs.update(moderation.TEXT_INPUTS)
    runtime.text_inputs.update(accompaniment.TEXT_INPUTS)
    runtime.text_inputs.update(tips.TEXT_INPUTS)
    application.bot_data["runtime"] = runtime

    application.add_handler(TypeHandler(object, health.note_update), group=-2)
    application.add_handler(TypeHandler(Update, identify), group=-1)
    application.add_handlers(privacy.HANDLERS, group=0)
    application.add_handlers(people.HANDLERS, group=0)
    application.add_handlers(announcements.HANDLERS, group=0)
    application.add_handlers(cafes.HANDLERS, group=0)
    application.add_handlers(cafe_organiser.HANDLERS, group=0)
    application.add_handlers(cafe_feedback.HANDLERS, group=0)
    application.add_handlers(questions.HANDLERS, group=0)
    application.add_handlers(moderation.HANDLERS, group=0)
    application.add_handlers(accompaniment.HANDLERS, group=0)
    application.add_handlers(tips.HANDLERS, group=0)  # its location handler before the fallbacks
    application.add_handlers(impact_reports.HANDLERS, group=0)
    application.add_handlers(fallbacks.HANDLERS, group=0)  # last in the group: nothing else took it
    application.add_handler(TypeHandler(Update, finish_update), group=1)
    application.add_error_handler(fallbacks.on_error)

    application.job_queue.run_repeating(
        announcements.report_progress,
        interval=announcements.PROGRESS_INTERVAL_SECONDS,
        name="announcement-progress",
    )
    application.job_queue.run_repeating(
        cafes.send_reminders, interval=60, first=1, name="cafe-reminders"
    )
    application.job_queue.run_repeating(
        cafes.continue_monthly_cafes, interval=300, first=5, name="cafe-monthly"
    )
    application.job_queue.run_repeating(
        cafes.after_cafes, interval=300, first=15, name="cafe-after"
    )
    application.job_queue.run_repeating(
        questions.escalate, interval=300, first=10, name="question-escalation"
    )
    application.job_queue.run_repeating(
        privacy.apply_retention, interval=24 * 3600, first=60, name="retention"
    )
    application.job_queue.run_repeating(
        tips.keep_tips_fresh, interval=3600, first=20, name="tip-freshness"
    )
    return application


def runtime_of(application: Application) -> Runtime:
    return application.bot_data["runtime"]


async def on_startup(application: Application) -> None:
    """Open the store, bring its schema up to date, publish the menu, start the sender."""
    runtime = runtime_of(application)
    await runtime.db.open()
    applied = await runtime.db.migrate()
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    await health.start(application)  # only when __main__ asked for it (not console, tests)
    await publish_command_menu(application)
    await runtime.outbox.start()


async def on_stop(application: Application) -> None:
    """No more updates come in: let the sender finish what is in flight while the bot can send."""
    await health.stop(application)
    # Within the shutdown deadline; cut off, the unfinished rows go out at the next start.
    await shutdown.within_budget(runtime_of(application).outbox.stop(), "outbox sender")


async def on_shutdown(application: Application) -> None:
    await runtime_of(application).db.close()


async def publish_command_menu(application: Application) -> None:
    """One menu per shipped language, so Telegram shows each user the menu in their language."""
    runtime = runtime_of(application)
    commands = menu_commands()
    for locale in (None, *SHIPPED_LOCALES):
        t = runtime.translators[locale or runtime.settings.default_locale]
        await application.bot.set_my_commands(
            [BotCommand(c.name, t.gettext(c.description)) for c in commands],
            language_code=locale,
        )


@asynccontextmanager
async def running(application: Application) -> AsyncIterator[Application]:
    """Run the Application without polling: for the console and the tests, which feed updates
    themselves. The same start-up and stop steps as `run_polling`, in the same order."""
    try:
        async with application:
            await on_startup(application)
            await application.start()
            try:
                yield application
            finally:
                await application.stop()
                await on_stop(application)
    finally:
        # Also after a failure: an open database keeps its worker threads, and with them
        # the process, alive.
        await on_shutdown(application)
