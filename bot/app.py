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
from functools import partial

from telegram import Bot, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    TypeHandler,
)
from telegram.request import BaseRequest

from bot import fallbacks, health, menus, shutdown
from bot.accompaniment import handlers as accompaniment
from bot.accompaniment.service import AccompanimentService
from bot.announcements import handlers as announcements
from bot.announcements.service import AnnouncementService
from bot.cafes import feedback_handlers as cafe_feedback
from bot.cafes import handlers as cafes
from bot.cafes import organiser as cafe_organiser
from bot.cafes.service import CafeService
from bot.clock import Clock
from bot.concurrency import PerUserUpdateProcessor
from bot.config import Settings
from bot.context import BotContext, finish_update, identify
from bot.db import Database
from bot.guard import RateLimiter
from bot.i18n import Translators
from bot.moderation import handlers as moderation
from bot.moderation.service import ModerationService
from bot.outbox import store as outbox_store
from bot.outbox.sender import OutboxSender
from bot.people import handlers as people
from bot.people.service import PeopleService
from bot.privacy import handlers as privacy
from bot.privacy.service import PrivacyService
from bot.questions import handlers as questions
from bot.questions import helping, unanswered
from bot.questions.service import QuestionService
from bot.questions.store import KNOWLEDGE_TABLE
from bot.reports import handlers as impact_reports
from bot.reports.service import ReportService
from bot.runtime import Runtime
from bot.sending_budget import HandOver, SendingBudget
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
    per_chat_limits: bool = True,
) -> Application:
    """The whole bot. `messages_per_second` is Telegram's global limit (benchmarks change it);
    without `per_chat_limits` one chat may get more than one message a second (tests)."""
    budget = SendingBudget(messages_per_second, per_chat=per_chat_limits)
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token or LOCAL_TOKEN)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerUserUpdateProcessor())
        .rate_limiter(budget)
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
        outbox=OutboxSender(db, application.bot, clock, **(outbox_options or {})),
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
            bot_username=partial(_known_username, application.bot),
        ),
        questions=QuestionService(
            db,
            clock,
            translators,
            settings.default_locale,
            questions_per_day=settings.questions_per_day,
            to_key_persons_after=timedelta(hours=settings.escalation_hours[0]),
            to_organisers_after=timedelta(hours=settings.escalation_hours[1]),
            admin_ids=settings.admin_ids,
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
    runtime.privacy.register(
        runtime.cafes.forget_person, tables=("signups", "cafe_drafts", "cafes")
    )
    runtime.privacy.register(
        runtime.questions.forget_person,
        tables=("questions", "answers", "question_recipients", "helpers", "question_files"),
        search_table=KNOWLEDGE_TABLE,
    )
    runtime.privacy.register(runtime.accompaniment.forget_person, tables=("accompaniments",))
    runtime.privacy.register(runtime.announcements.forget_person, tables=("announcements",))
    runtime.privacy.register(runtime.cafes.messages.forget_person, tables=("cafe_messages",))
    runtime.privacy.register(runtime.cafes.feedback.forget_person, tables=("cafe_feedback",))
    runtime.moderation.register(
        "question",
        runtime.questions.load_question,
        runtime.questions.hide_question,
        runtime.questions.question_shown_to,
    )
    runtime.moderation.register(
        "answer",
        runtime.questions.load_answer,
        runtime.questions.hide_answer,
        runtime.questions.answer_shown_to,
    )
    runtime.moderation.register(
        "tip", runtime.tips.load_tip, runtime.tips.hide_tip, runtime.tips.tip_shown_to
    )
    runtime.privacy.register(
        runtime.tips.forget_person,
        tables=("tips", "tip_votes", "tip_outdated"),
        search_table=TIPS_TABLE,
    )
    runtime.deep_links.update(people.DEEP_LINKS)
    runtime.deep_links.update(cafes.DEEP_LINKS)
    runtime.text_inputs.update(announcements.TEXT_INPUTS)
    runtime.text_inputs.update(cafe_organiser.TEXT_INPUTS)
    runtime.text_inputs.update(cafe_feedback.TEXT_INPUTS)
    runtime.text_inputs.update(questions.TEXT_INPUTS)
    runtime.text_inputs.update(moderation.TEXT_INPUTS)
    runtime.text_inputs.update(accompaniment.TEXT_INPUTS)
    runtime.text_inputs.update(tips.TEXT_INPUTS)
    runtime.stray_text = questions.stray_message
    application.bot_data["runtime"] = runtime
    budget.hand_over = _outbox_takes_over(runtime)

    application.add_handler(TypeHandler(object, health.note_update), group=-2)
    application.add_handler(TypeHandler(Update, identify), group=-1)
    application.add_handlers(privacy.HANDLERS, group=0)
    application.add_handlers(people.HANDLERS, group=0)
    application.add_handlers(announcements.HANDLERS, group=0)
    application.add_handlers(cafes.HANDLERS, group=0)
    application.add_handlers(cafe_organiser.HANDLERS, group=0)
    application.add_handlers(cafe_feedback.HANDLERS, group=0)
    application.add_handlers(questions.HANDLERS, group=0)
    application.add_handlers(helping.HANDLERS, group=0)
    application.add_handlers(unanswered.HANDLERS, group=0)
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
        questions.escalate,
        interval=questions.ESCALATION_CHECK_SECONDS,
        first=10,
        name="question-escalation",
    )
    application.job_queue.run_repeating(
        privacy.apply_retention, interval=24 * 3600, first=60, name="retention"
    )
    application.job_queue.run_repeating(
        tips.keep_tips_fresh, interval=3600, first=20, name="tip-freshness"
    )
    return application


def _outbox_takes_over(runtime: Runtime) -> HandOver:
    async def hand_over(endpoint: str, data: dict) -> bool:
        """A reply that cannot wait out a flood wait before the bot stops goes to the outbox,
        with the person as recipient: sent after the next start, not lost."""
        markup = data.get("reply_markup")
        if endpoint != "sendMessage" or not data.get("text"):
            return False
        if markup is not None and not isinstance(markup, InlineKeyboardMarkup):
            return False
        async with runtime.db.transaction() as conn:
            await outbox_store.enqueue(
                conn,
                int(data["chat_id"]),
                data["text"],
                now=runtime.clock.timestamp(),
                reply_markup=markup.to_dict() if markup else None,
            )
        return True

    return hand_over


def _known_username(bot: Bot) -> str | None:
    """The bot's username, which Telegram tells at start-up (getMe); None before."""
    try:
        return bot.username
    except RuntimeError:
        return None


def runtime_of(application: Application) -> Runtime:
    return application.bot_data["runtime"]


async def on_startup(application: Application) -> None:
    """Open the store (ours alone, and undamaged), bring its schema up to date, publish the
    menu, start the sender."""
    runtime = runtime_of(application)
    runtime.db.take_process_lock()  # one bot per database, or messages go out twice
    await runtime.db.open()
    await runtime.db.verify()
    applied = await runtime.db.migrate()
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    await health.start(application)  # only when __main__ asked for it (not console, tests)
    if runtime.settings.bot_token is not None:  # on Telegram, not in the console chat
        await people.announce_admin_link(application)
    settings = runtime.settings
    await menus.publish(
        application.bot,
        runtime.translators,
        settings.default_locale,
        partial(people.bot_description, community=settings.community_name),
    )
    await runtime.outbox.start()


async def on_stop(application: Application) -> None:
    """No more updates come in: let the sender finish what is in flight while the bot can send."""
    await health.stop(application)
    # Within the shutdown deadline; cut off, the unfinished rows go out at the next start.
    await shutdown.within_budget(runtime_of(application).outbox.stop(), "outbox sender")


async def on_shutdown(application: Application) -> None:
    await runtime_of(application).db.close()


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
