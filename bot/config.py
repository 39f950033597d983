"""Settings from the environment (and an optional `.env` file), validated once at start.

A bad value stops the program with one line that names the variable: the person running a
community should not have to read a traceback to find a typo in `ADMIN_IDS`.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import SHIPPED_LOCALES

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Telegram delivers webhooks only to these ports.
WEBHOOK_PORTS = (443, 80, 88, 8443)
MIN_SECRET_LENGTH = 16
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")


class ConfigError(Exception):
    """A setting has a value we cannot use. The message names the variable."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = field(default=None, repr=False)
    telegram_base_url: str = DEFAULT_BASE_URL
    # At start, tries to reach Telegram (waiting 1, 2, 4 … 30 s between) before giving up.
    telegram_connect_tries: int = 8
    database_path: Path = Path("data/landgenoot.sqlite3")
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Amsterdam"))
    default_locale: str = "en"
    community_name: str = "Landgenoot"
    reminder_hours: tuple[int, ...] = (24, 2)  # before each café
    questions_per_day: int = 5
    escalation_hours: tuple[float, float] = (12.0, 48.0)  # to key persons, then to organisers
    messages_per_minute: int = 30  # per person, before the bot asks them to slow down
    tip_approval_days: int = 7  # tips of people newer than this wait for an organiser
    tip_fresh_days: int = 180  # then the author is asked "Is this still right?"
    tip_answer_days: int = 30  # no answer by then: the tip waits for an organiser
    tip_outdated_flags: int = 3
    tip_nearby_km: float = 5.0
    # Webhook mode (production): Telegram posts updates to webhook_url, which a TLS proxy
    # forwards to webhook_listen:webhook_port. None: long polling.
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    # GET /healthz, in both modes.
    health_listen: str = "127.0.0.1"
    health_port: int = 8081
    log_format: str = "text"
    log_level: str = "INFO"
    # Where the console chat saves the files and photos the bot sends (None: next to the
    # database, in console-files/).
    console_files: Path | None = None

    @property
    def telegram_base_file_url(self) -> str:
        """Where files are downloaded: the same server as the Bot API, under /file/bot<token>/
        (so a self-hosted Bot API server, or a local stand-in, serves them too)."""
        base = self.telegram_base_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"

    @property
    def webhook_path(self) -> str:
        """The path Telegram posts to: that of WEBHOOK_URL, which the proxy passes on as is."""
        return urlsplit(self.webhook_url or "").path or "/"


def read_env_file(path: Path) -> dict[str, str]:
    """Parse `KEY=value` lines; `#` comments and surrounding quotes are allowed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :]
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: expected KEY=value, got {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Build Settings from `.env` overlaid by the real environment (the environment wins)."""
    merged: dict[str, str] = read_env_file(env_file) if env_file else {}
    merged.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = merged.get(name, "").strip()
        return value or None

    settings = Settings(
        bot_token=get("BOT_TOKEN"),
        telegram_base_url=_parse_base_url(get("TELEGRAM_BASE_URL")),
        telegram_connect_tries=_parse_count(
            "TELEGRAM_CONNECT_TRIES", get("TELEGRAM_CONNECT_TRIES"), 8
        ),
        database_path=Path(get("DATABASE_PATH") or "data/landgenoot.sqlite3"),
        admin_ids=_parse_admin_ids(get("ADMIN_IDS")),
        timezone=_parse_timezone(get("TIMEZONE")),
        default_locale=_parse_locale(get("DEFAULT_LOCALE")),
        community_name=get("COMMUNITY_NAME") or "Landgenoot",
        reminder_hours=_parse_reminder_hours(get("REMINDER_HOURS")),
        questions_per_day=_parse_count("QUESTIONS_PER_DAY", get("QUESTIONS_PER_DAY"), 5),
        escalation_hours=_parse_escalation(get("ESCALATION_HOURS")),
        messages_per_minute=_parse_count("MESSAGES_PER_MINUTE", get("MESSAGES_PER_MINUTE"), 30),
        tip_approval_days=_parse_count("TIP_APPROVAL_DAYS", get("TIP_APPROVAL_DAYS"), 7, minimum=0),
        tip_fresh_days=_parse_count("TIP_FRESH_DAYS", get("TIP_FRESH_DAYS"), 180),
        tip_answer_days=_parse_count("TIP_ANSWER_DAYS", get("TIP_ANSWER_DAYS"), 30),
        tip_outdated_flags=_parse_count("TIP_OUTDATED_FLAGS", get("TIP_OUTDATED_FLAGS"), 3),
        tip_nearby_km=float(_parse_count("TIP_NEARBY_KM", get("TIP_NEARBY_KM"), 5)),
        webhook_url=_parse_webhook_url(get("WEBHOOK_URL")),
        webhook_secret=_parse_secret(get("WEBHOOK_SECRET")),
        webhook_listen=_parse_listen("WEBHOOK_LISTEN", get("WEBHOOK_LISTEN"), "0.0.0.0"),
        webhook_port=_parse_port("WEBHOOK_PORT", get("WEBHOOK_PORT"), 8443),
        health_listen=_parse_listen("HEALTH_LISTEN", get("HEALTH_LISTEN"), "127.0.0.1"),
        health_port=_parse_port("HEALTH_PORT", get("HEALTH_PORT"), 8081),
        log_format=_parse_choice("LOG_FORMAT", get("LOG_FORMAT"), LOG_FORMATS, "text"),
        log_level=_parse_choice("LOG_LEVEL", get("LOG_LEVEL"), LOG_LEVELS, "INFO"),
        console_files=Path(folder) if (folder := get("CONSOLE_FILES")) else None,
    )
    if settings.webhook_url is not None:
        check_webhook(settings)
    return settings


def check_webhook(settings: Settings) -> None:
    """What webhook mode needs beyond single values; raises ConfigError naming the variable."""
    if settings.webhook_url is None:
        raise ConfigError(
            "WEBHOOK_URL must be set for webhook mode: the public https:// address that your "
            "proxy forwards to this bot, such as https://bot.example.org/telegram"
        )
    if settings.webhook_secret is None:
        raise ConfigError(
            "WEBHOOK_SECRET must be set for webhook mode, or anyone could post fake updates; "
            "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    if settings.health_port == settings.webhook_port:
        raise ConfigError(
            f"HEALTH_PORT and WEBHOOK_PORT are both {settings.webhook_port}; give them different "
            "ports"
        )


def _parse_base_url(value: str | None) -> str:
    if value is None:
        return DEFAULT_BASE_URL
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"TELEGRAM_BASE_URL must start with http:// or https://, got {value!r}")
    return value


def _parse_admin_ids(value: str | None) -> frozenset[int]:
    if value is None:
        return frozenset()
    ids = set()
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ConfigError(
                f"ADMIN_IDS must be comma-separated numeric Telegram user ids, got {part!r}"
            )
        ids.add(int(part))
    return frozenset(ids)


def _parse_reminder_hours(value: str | None) -> tuple[int, ...]:
    if value is None:
        return (24, 2)
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or not all(part.isdigit() and 0 < int(part) <= 24 * 14 for part in parts):
        raise ConfigError(
            f"REMINDER_HOURS must be hours before a café, comma-separated (like 24,2), "
            f"got {value!r}"
        )
    return tuple(sorted({int(part) for part in parts}, reverse=True))


def _parse_count(name: str, value: str | None, default: int, minimum: int = 1) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) < minimum or int(value) > 100_000:
        raise ConfigError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(value)


def _parse_escalation(value: str | None) -> tuple[float, float]:
    """Hours, decimals allowed (0.5,2): a small community may want short times."""
    if value is None:
        return (12.0, 48.0)
    hours: list[float] = []
    for part in value.split(","):
        try:
            hours.append(float(part.strip()))
        except ValueError:
            break
    if len(hours) != 2 or not all(math.isfinite(h) for h in hours) or not 0 < hours[0] < hours[1]:
        raise ConfigError(
            "ESCALATION_HOURS must be two numbers of hours, to key persons and then to "
            f"organisers, the second larger (like 12,48 or 0.5,2), got {value!r}"
        )
    return (hours[0], hours[1])


def _parse_timezone(value: str | None) -> ZoneInfo:
    name = value or "Europe/Amsterdam"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"TIMEZONE {name!r} is not a known time zone (example: Europe/Amsterdam)"
        ) from None


def _parse_locale(value: str | None) -> str:
    locale = value or "en"
    if locale not in SHIPPED_LOCALES:
        raise ConfigError(
            f"DEFAULT_LOCALE {locale!r} is not shipped; choose one of {', '.join(SHIPPED_LOCALES)}"
        )
    return locale


def _parse_webhook_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigError(
            f"WEBHOOK_URL must be an https:// address (Telegram only posts over TLS), got {value!r}"
        )
    try:
        port = parts.port or 443
    except ValueError:
        raise ConfigError(f"WEBHOOK_URL has an invalid port: {value!r}") from None
    if port not in WEBHOOK_PORTS:
        raise ConfigError(
            f"WEBHOOK_URL uses port {port}, but Telegram only posts to ports "
            f"{', '.join(map(str, WEBHOOK_PORTS))}"
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"WEBHOOK_URL must not have a ?query or #fragment, got {value!r}")
    return value


def _parse_secret(value: str | None) -> str | None:
    if value is None:
        return None
    if not _SECRET.match(value):
        raise ConfigError(
            "WEBHOOK_SECRET may only contain letters, digits, _ and - (1 to 256 of them)"
        )
    if len(value) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"WEBHOOK_SECRET is too short to be a secret ({len(value)} characters, at least "
            f"{MIN_SECRET_LENGTH}); make one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return value


def _parse_listen(name: str, value: str | None, default: str) -> str:
    if value is None:
        return default
    try:
        ipaddress.ip_address(value)
    except ValueError:
        if not _HOSTNAME.match(value):
            raise ConfigError(
                f"{name} must be an IP address such as 127.0.0.1 or 0.0.0.0, got {value!r}"
            ) from None
    return value


def _parse_port(name: str, value: str | None, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"{name} must be a port number from 1 to 65535, got {value!r}")
    return int(value)


def _parse_choice(name: str, value: str | None, choices: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
