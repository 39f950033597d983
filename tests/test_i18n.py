"""Every shipped locale speaks every message, with the same placeholders; formatting is CLDR's."""

import gettext
import re
import string
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.dates import format_date, format_time
from babel.messages.pofile import read_po

from bot.i18n import (
    FSI,
    LOCALES_DIR,
    PDI,
    SHIPPED_LOCALES,
    SOURCE_LOCALE,
    Translators,
    language_name,
    resolve_locale,
)
from bot.reports.service import Period
from bot.reports.texts import period_name

TEMPLATE = LOCALES_DIR / "messages.pot"
PERCENT_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def placeholders(text: str) -> set[str]:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return names | set(PERCENT_PLACEHOLDER.findall(text))


def load(path):
    with path.open("rb") as handle:
        return read_po(handle)


def template_ids() -> set:
    return {message.id for message in load(TEMPLATE) if message.id}


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_every_message_is_in_the_catalog(locale):
    catalog = load(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")
    assert template_ids() <= {message.id for message in catalog if message.id}, (
        "run `make messages`"
    )


# The placeholder that carries the number choosing a plural form ("{count} seats left").
COUNT_PLACEHOLDERS = {"count", "days", "total"}


def forms_for_one_number(catalog) -> set[int]:
    """The plural forms that only one number selects (Arabic: 0, 1 and 2; Somali: 1). Such a
    form may say the number in words ("مكانان", "hal boos") and leave the count out."""
    plural = gettext.c2py(catalog.plural_expr)
    numbers: dict[int, set[int]] = {}
    for n in range(1000):
        numbers.setdefault(plural(n), set()).add(n)
    return {form for form, selecting in numbers.items() if len(selecting) == 1}


def may_leave_out(form: int, single_forms: set[int], expected: set[str]) -> list[set[str]]:
    """The placeholders a translation of this plural form may have: all of them, or for a form
    that one number selects, all but the count."""
    allowed = [expected]
    if form in single_forms:
        allowed += [expected - {name} for name in expected & COUNT_PLACEHOLDERS]
    return allowed


@pytest.mark.parametrize("locale", [code for code in SHIPPED_LOCALES if code != SOURCE_LOCALE])
def test_every_message_is_translated_with_the_same_placeholders(locale):
    catalog = load(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")
    single_forms = forms_for_one_number(catalog)
    wanted = template_ids()
    problems = []
    for message in catalog:
        if not message.id or message.id not in wanted:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(translations):
            problems.append(f"untranslated: {sources[0]!r}")
            continue
        expected = placeholders(sources[-1])
        for form, translation in enumerate(translations):
            allowed = (
                may_leave_out(form, single_forms, expected) if message.pluralizable else [expected]
            )
            if placeholders(translation) not in allowed:
                problems.append(f"placeholders differ: {sources[0]!r} -> {translation!r}")
    assert not problems, "\n".join(problems)


def test_only_a_form_for_one_number_may_leave_the_count_out():
    arabic = load(LOCALES_DIR / "ar" / "LC_MESSAGES" / "messages.po")
    tigrinya = load(LOCALES_DIR / "ti" / "LC_MESSAGES" / "messages.po")
    assert forms_for_one_number(arabic) == {0, 1, 2}
    assert forms_for_one_number(tigrinya) == set()  # its first form serves both 0 and 1
    expected = {"category", "first", "last", "total"}
    assert {"category", "first", "last"} in may_leave_out(2, {0, 1, 2}, expected)
    assert {"first", "last", "total"} not in may_leave_out(2, {0, 1, 2}, expected)
    assert may_leave_out(3, {0, 1, 2}, expected) == [expected]


def test_the_template_is_current_with_the_code():
    """A text in the code that is not in the template would never be translated."""
    from babel.messages.extract import extract_from_dir

    root = LOCALES_DIR.parent
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            root / "bot", keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
        )
    }
    found = {m if isinstance(m, str) else m[0] for m in found}
    ids = {i if isinstance(i, str) else i[0] for i in template_ids()}
    assert found <= ids, f"run `make messages`; missing: {sorted(found - ids)}"


def test_locale_resolution():
    assert resolve_locale("fa", "en", "en") == "fa"
    assert resolve_locale(None, "ar-EG", "en") == "ar"
    assert resolve_locale(None, "pt-br", "nl") == "nl"
    assert resolve_locale(None, None, "en") == "en"


def test_language_names_come_from_cldr_in_their_own_language():
    assert [language_name(code) for code in SHIPPED_LOCALES] == [
        "Nederlands", "English", "العربية", "ትግርኛ", "Українська", "فارسی", "Türkçe", "Soomaali",
    ]  # fmt: skip


def test_values_are_isolated_in_right_to_left_locales_only():
    translators = Translators(ZoneInfo("Europe/Amsterdam"))
    assert translators["ar"].isolate("Koornmarkt 1") == f"{FSI}Koornmarkt 1{PDI}"
    assert translators["fa"].isolate(12) == f"{FSI}12{PDI}"
    assert translators["nl"].isolate("Koornmarkt 1") == "Koornmarkt 1"


def test_dates_are_shown_in_the_community_timezone_and_the_reader_locale():
    translators = Translators(ZoneInfo("Europe/Amsterdam"))
    moment = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)  # 19:00 in Amsterdam
    assert "19:00" in translators["nl"].datetime(moment)
    assert "dec" in translators["nl"].datetime(moment)
    assert translators["en"].datetime(moment, "short") == "08/12/2026, 19:00"


def test_english_readers_get_the_dutch_day_month_order_and_24_hours():
    translators = Translators(ZoneInfo("Europe/Amsterdam"))
    moment = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)
    assert translators["en"].datetime(moment) == "8 Dec 2026, 19:00:00"
    assert format_date(moment, "full", locale=translators["en"].cldr) == "Tuesday, 8 December 2026"


@pytest.mark.parametrize(
    ("locale", "long_date"), [("ti", "8 ታሕሳስ 2026"), ("so", "8 Diseembar 2026")]
)
def test_tigrinya_and_somali_get_24_hours_and_the_day_before_the_month(locale, long_date):
    t = Translators(ZoneInfo("Europe/Amsterdam"))[locale]
    moment = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)
    assert format_time(moment.astimezone(t.timezone), "short", locale=t.cldr) == "19:00"
    assert format_date(moment, "long", locale=t.cldr) == long_date
    assert t.datetime(moment, "short") == "08/12/2026 19:00"
    assert t.cldr.plural_form(1) == Locale.parse(locale).plural_form(1)  # the rest is CLDR's


def test_somali_full_dates_put_the_day_first():
    t = Translators(ZoneInfo("Europe/Amsterdam"))["so"]
    assert format_date(date(2026, 12, 8), "full", locale=t.cldr) == "Talaado, 8 Diseembar 2026"


@pytest.mark.parametrize(
    ("locale", "label"),
    [
        ("en", "Oct\u2009–\u2009Dec 2026"),
        ("nl", "okt–dec 2026"),
        ("ti", "ጥቅ–ታሕ 2026"),
        ("so", "Okt–Dis 2026"),
    ],
)
def test_a_quarter_is_named_by_its_months(locale, label):
    t = Translators(ZoneInfo("Europe/Amsterdam"))[locale]
    assert period_name(t, Period(2026, 10, 3)) == label


# The key-person term each catalog uses (locales/GLOSSARY.md), as the stems its forms share.
KEY_PERSON_TERMS = {
    "nl": ("sleutelperso",),
    "ar": ("وسيط", "وسطاء"),
    "ti": ("መሰነይታ",),
    "uk": ("супровідник",),
    "fa": ("همراه داوطلب", "همراهان داوطلب"),
    "tr": ("refakatçi",),
    "so": ("weheliy", "Weheliy"),
}


@pytest.mark.parametrize("locale", sorted(KEY_PERSON_TERMS))
def test_every_message_about_a_key_person_uses_the_glossary_term(locale):
    catalog = load(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")
    stems = KEY_PERSON_TERMS[locale]
    astray = []
    for message in catalog:
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        if not message.id or not any("key person" in source.lower() for source in sources):
            continue
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        astray += [text for text in translations if not any(stem in text for stem in stems)]
    assert not astray, "see locales/GLOSSARY.md:\n" + "\n".join(astray)
    assert (LOCALES_DIR / "GLOSSARY.md").read_text().count(stems[0]) >= 1
