"""Locales, gettext catalogs, and locale-aware formatting (Babel / CLDR).

A locale is resolved once per update and handed to handlers as a `Translator`; nothing here
installs a global gettext. Module-level texts are marked with `N_` and translated at use.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, localedata
from babel.dates import format_datetime, parse_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

# Order matters: it is the order of the language picker.
SHIPPED_LOCALES: tuple[str, ...] = ("nl", "en", "ar", "ti", "uk", "fa", "tr", "so")
SOURCE_LOCALE = "en"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

# Unicode "first strong isolate" and "pop directional isolate": a Latin address or a number
# inside an Arabic sentence keeps its own direction without scrambling the words around it.
FSI = "\u2068"
PDI = "\u2069"


def N_(message: str) -> str:
    """Mark a module-level text for extraction; it is translated later, at use."""
    return message


def shipped_locale(telegram_code: str | None) -> str | None:
    """The shipped locale for a Telegram language code ("ar-EG" -> "ar"), if we ship it."""
    if not telegram_code:
        return None
    primary = telegram_code.replace("_", "-").split("-")[0].lower()
    return primary if primary in SHIPPED_LOCALES else None


def resolve_locale(stored: str | None, telegram_code: str | None, default: str) -> str:
    """The user's own choice, else their Telegram language when we ship it, else the default."""
    if stored in SHIPPED_LOCALES:
        return stored
    return shipped_locale(telegram_code) or default


# Where CLDR's formats for a language do not read right to its readers here, what they get.
# English readers live in the Netherlands: dates and times as Babel's en_NL writes them
# ("8 Dec 2026, 19:00", never "12/8/26, 7:00 PM"), numbers still as in English ("0.2 km").
DATES_AND_TIMES_AS: dict[str, str] = {"en": "en_NL"}
_DATE_AND_TIME_DATA = (
    "date_formats",
    "time_formats",
    "datetime_formats",
    "datetime_skeletons",
    "interval_formats",
)
# Tigrinya and Somali readers see the 24-hour time the organiser typed, and the day before the
# month, as everything else they read here does (CLDR: "7:00 ድ.ቀ.", "Diseembar 8, 2026").
_24_HOURS = {
    "full": "HH:mm:ss zzzz",
    "long": "HH:mm:ss z",
    "medium": "HH:mm:ss",
    "short": "HH:mm",
}
_DAY_MONTH = {"long": "d MMMM y", "medium": "d MMM y", "short": "dd/MM/y"}
PATTERNS: dict[str, dict[str, dict[str, str]]] = {
    # Tigrinya's full date is day-month already ("ሰሉስ፣ 8 ታሕሳስ 2026"); its shorter ones are not.
    "ti": {"time_formats": _24_HOURS, "date_formats": _DAY_MONTH},
    "so": {"time_formats": _24_HOURS, "date_formats": {"full": "EEEE, d MMMM y", **_DAY_MONTH}},
}


class _AdjustedLocale(Locale):
    """A CLDR locale with some of its data replaced. Babel's formatters read every pattern
    from the locale's data, so dates, times and both together all pick the changes up."""

    def __init__(self, locale: Locale, replaced: dict[str, Any]) -> None:
        super().__init__(locale.language, locale.territory, locale.script, locale.variant)
        self._adjusted = localedata.LocaleDataDict({**localedata.load(str(locale)), **replaced})

    @property
    def _data(self) -> localedata.LocaleDataDict:
        return self._adjusted


def _adjusted(locale: str) -> Locale:
    parsed = Locale.parse(locale)
    replaced: dict[str, Any] = {}
    if locale in DATES_AND_TIMES_AS:
        source = Locale.parse(DATES_AND_TIMES_AS[locale])
        replaced = {key: dict(source._data[key].items()) for key in _DATE_AND_TIME_DATA}
    for key, patterns in PATTERNS.get(locale, {}).items():
        replaced[key] = {
            **parsed._data[key],
            **{name: parse_pattern(pattern) for name, pattern in patterns.items()},
        }
    return _AdjustedLocale(parsed, replaced) if replaced else parsed


@cache
def cldr_locale(locale: str) -> Locale:
    """Babel's locale object for a reader's dates and numbers, made once: Babel's formatters
    parse a locale name every call (a quarter of a list's rendering time), but take a made one
    as it is."""
    return _adjusted(locale)


@cache
def is_rtl(locale: str) -> bool:
    return cldr_locale(locale).character_order == "right-to-left"


@cache
def language_name(locale: str) -> str:
    """A language's name in that language itself ("Nederlands", "العربية"), capitalised."""
    name = Locale.parse(locale).get_display_name(locale) or locale
    return name[:1].upper() + name[1:]


def load_catalog(locale: str, locales_dir: Path = LOCALES_DIR) -> gettext.NullTranslations:
    """The compiled catalog, or one compiled in memory from the .po when `make` has not run."""
    folder = locales_dir / locale / "LC_MESSAGES"
    mo_path, po_path = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo_path.is_file() and (
        not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po_path.is_file():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    if locale == SOURCE_LOCALE:
        return gettext.NullTranslations()
    raise FileNotFoundError(f"no catalog for locale {locale!r} in {folder}")


@dataclass(frozen=True)
class Translator:
    """Everything a handler needs to speak to one reader: their words, dates and numbers."""

    locale: str
    catalog: gettext.NullTranslations
    timezone: ZoneInfo

    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.catalog.ngettext(singular, plural, count)

    @property
    def rtl(self) -> bool:
        return is_rtl(self.locale)

    def isolate(self, value: object) -> str:
        """Wrap a user-supplied value so it cannot scramble a right-to-left sentence."""
        text = str(value)
        return f"{FSI}{text}{PDI}" if self.rtl else text

    @property
    def cldr(self) -> Locale:
        return cldr_locale(self.locale)

    def datetime(self, moment: datetime, format: str = "medium") -> str:
        return format_datetime(moment.astimezone(self.timezone), format=format, locale=self.cldr)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.cldr)

    def numbered(self, number: int, action: str) -> str:
        """A button under a numbered list of cafés or tips: "2. Sign up", in the reader's
        digits, so that it is clear which item it is for."""
        return self.gettext("{number}. {action}").format(number=self.number(number), action=action)


class Translators:
    """One catalog per shipped locale, loaded once at start."""

    def __init__(self, timezone: ZoneInfo, locales_dir: Path = LOCALES_DIR) -> None:
        self._by_locale = {
            locale: Translator(locale, load_catalog(locale, locales_dir), timezone)
            for locale in SHIPPED_LOCALES
        }

    def __getitem__(self, locale: str) -> Translator:
        return self._by_locale[locale]
