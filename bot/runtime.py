"""What every handler can reach: settings, the store, the clock, catalogs and the services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.i18n import Translators
from bot.people.service import PeopleService

if TYPE_CHECKING:
    from bot.outbox.sender import OutboxSender

DeepLinkHandler = Callable[..., Awaitable[None]]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock
    translators: Translators
    people: PeopleService
    outbox: OutboxSender
    # /start payloads: "<prefix>_<argument>" -> the feature that owns the prefix
    deep_links: dict[str, DeepLinkHandler] = field(default_factory=dict)
