"""Settings from the environment (and an optional `.env` file), validated once at start.

A bad value stops the program with one line that names the variable: the person running a
community should not have to read a traceback to find a typo in `ADMIN_IDS`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import SHIPPED_LOCALES

DEFAULT_BASE_URL = "https://api.telegram.org/bot"


class ConfigError(Exception):
    """A setting has a value we cannot use. The message names the variable."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = None
    telegram_base_url: str = DEFAULT_BASE_URL
    database_path: Path = Path("data/landgenoot.sqlite3")
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Amsterdam"))
    default_locale: str = "en"
    community_name: str = "Landgenoot"
    reminder_hours: tuple[int, ...] = (24, 2)  # before each café


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

    return Settings(
        bot_token=get("BOT_TOKEN"),
        telegram_base_url=_parse_base_url(get("TELEGRAM_BASE_URL")),
        database_path=Path(get("DATABASE_PATH") or "data/landgenoot.sqlite3"),
        admin_ids=_parse_admin_ids(get("ADMIN_IDS")),
        timezone=_parse_timezone(get("TIMEZONE")),
        default_locale=_parse_locale(get("DEFAULT_LOCALE")),
        community_name=get("COMMUNITY_NAME") or "Landgenoot",
        reminder_hours=_parse_reminder_hours(get("REMINDER_HOURS")),
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
