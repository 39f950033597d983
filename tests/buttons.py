"""Do the buttons fit a phone, in every language?

A phone shows about 32 characters across a row of inline buttons (two buttons: about 15 each);
Telegram cuts a longer label with "…". Every keyboard a test makes the bot send is checked
here, and not only in the language the test used: each label is traced back to its message in
the catalog and the row is rebuilt in every shipped locale, split as `ui.fitted` splits rows
for that reader. What is left too wide is a label too long on its own.
"""

from __future__ import annotations

import json
import re
from functools import cache

from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, SHIPPED_LOCALES, SOURCE_LOCALE, Translators
from bot.local_api import ApiCall
from bot.ui import ROW_WIDTH, fitted, label_width

NUMBERED = re.compile(r"^(\d+)\. (.+)$")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def rows_of(call: ApiCall) -> list[list[str]]:
    markup = call.params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [[button["text"] for button in row] for row in markup.get("inline_keyboard", [])]


@cache
def _catalog(locale: str) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """What this locale shows for each message: the plain texts (text -> message), and the
    texts with placeholders as patterns that find them back (a placeholder matches anything)."""
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    plain, templates = {}, []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        text = message.string or message.id
        parts = PLACEHOLDER.split(text)
        if len(parts) == 1:
            plain[text] = message.id
        elif any(char.isalpha() for char in "".join(parts[::2])):  # not just "{a}: {b}"
            pattern = "".join(
                f"(?P<{part}>.+?)" if index % 2 else re.escape(part)
                for index, part in enumerate(parts)
            )
            templates.append((re.compile(f"^{pattern}$"), message.id))
    return plain, templates


@cache
def _message_of(label: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """The message a label shows, in whichever shipped locale it is, with its values."""
    for locale in (SOURCE_LOCALE, *SHIPPED_LOCALES):
        plain, templates = _catalog(locale)
        if label in plain:
            return plain[label], ()
        for pattern, message_id in templates:
            if found := pattern.match(label):
                return message_id, tuple(found.groupdict().items())
    return None


def in_every_locale(label: str, translators: Translators) -> dict[str, str]:
    """The label as each shipped locale shows it; one we cannot trace back to a message (a
    name, a café's title) stays as it is."""
    if match := NUMBERED.match(label):
        number = int(match[1])
        actions = in_every_locale(match[2], translators)
        return {code: translators[code].numbered(number, actions[code]) for code in actions}
    found = _message_of(label)
    if found is None:
        return dict.fromkeys(SHIPPED_LOCALES, label)
    message_id, values = found
    return {
        code: translators[code].gettext(message_id).format(**dict(values))
        if values
        else translators[code].gettext(message_id)
        for code in SHIPPED_LOCALES
    }


def too_wide_rows(calls: list[ApiCall], translators: Translators) -> list[str]:
    """Every row of every keyboard sent that is wider than a phone, in any shipped locale."""
    problems = set()
    for call in calls:
        for row in rows_of(call):
            labels = [in_every_locale(label, translators) for label in row]
            for code in SHIPPED_LOCALES:
                shown = [(label[code], "") for label in labels]
                for fitting in fitted([shown]):
                    if sum(label_width(label) for label, _ in fitting) > ROW_WIDTH:
                        problems.add(f"{code}: {' | '.join(label for label, _ in fitting)}")
    return sorted(problems)
