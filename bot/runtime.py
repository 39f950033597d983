"""What every handler can reach: settings, the store, the clock, catalogs and the services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.accompaniment.service import AccompanimentService
from bot.announcements.service import AnnouncementService
from bot.cafes.service import CafeService
from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.i18n import Translators
from bot.moderation.service import ModerationService
from bot.people.service import PeopleService
from bot.privacy.service import PrivacyService
from bot.questions.service import QuestionService
from bot.reports.service import ReportService
from bot.tips.service import TipService

if TYPE_CHECKING:
    from bot.guard import RateLimiter
    from bot.outbox.sender import OutboxSender

DeepLinkHandler = Callable[..., Awaitable[None]]  # (update, context, argument)
# (update, context, argument): Person.awaiting is "<purpose>" or "<purpose>:<argument>"
TextInputHandler = Callable[..., Awaitable[None]]
# (update, context) -> whether it answered a private message that no step waited for
StrayTextHandler = Callable[..., Awaitable[bool]]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock
    translators: Translators
    people: PeopleService
    outbox: OutboxSender
    announcements: AnnouncementService
    cafes: CafeService
    questions: QuestionService
    moderation: ModerationService
    accompaniment: AccompanimentService
    privacy: PrivacyService
    rate_limiter: RateLimiter
    tips: TipService
    reports: ReportService
    # /start payloads: "<prefix>_<argument>" -> the feature that owns the prefix
    deep_links: dict[str, DeepLinkHandler] = field(default_factory=dict)
    # what a person's next free text is for (Person.awaiting) -> the feature that reads it
    text_inputs: dict[str, TextInputHandler] = field(default_factory=dict)
    # a message that no step waited for, before "I did not understand that": maybe a question
    stray_text: StrayTextHandler | None = None
