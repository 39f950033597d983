"""Buttons and long texts: the callback-data codec, keyboards, message splitting.

Callback data is short, versioned and parsed here only. A button never carries authority: the
handler behind it checks again whether this person may do this, now. This module does not
import telegram, so services can build the buttons of messages that wait in the outbox.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CODEC_VERSION = "1"
SEPARATOR = "|"
MAX_CALLBACK_BYTES = 64  # Telegram's limit
MAX_MESSAGE_CHARS = 4096  # Telegram's limit
MAX_CAPTION_CHARS = 1024  # of a photo or a file; Telegram counts UTF-16 code units
MAX_ID = 2**63 - 1  # the largest integer SQLite stores; Telegram's ids stay far below it


@dataclass(frozen=True)
class Press:
    """A decoded button press: which feature action, with which arguments."""

    action: str
    args: tuple[str, ...]


def encode(action: str, *args: object) -> str:
    parts = [CODEC_VERSION, action, *(str(arg) for arg in args)]
    if any(SEPARATOR in part for part in parts):
        raise ValueError(f"callback parts may not contain {SEPARATOR!r}: {parts}")
    data = SEPARATOR.join(parts)
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def decode(data: object) -> Press | None:
    """The press, or None for data from another version, not ours at all, or forged.

    Numbers are checked here, once for every button: a forged press with a 30-digit id (or
    digits from another script, which `int` also reads) is an expired button, not an error
    deep in a store.
    """
    if not isinstance(data, str):
        return None
    version, _, rest = data.partition(SEPARATOR)
    if version != CODEC_VERSION or not rest:
        return None
    action, *args = rest.split(SEPARATOR)
    if not numbers_in_range(args):
        return None
    return Press(action, tuple(args))


def numbers_in_range(parts: Sequence[str]) -> bool:
    """Whether every part that reads as a number is one we could have made: ASCII digits, in
    SQLite's range. Used by the codec and by the deep-link router, the two doors for ids."""
    return all(not part.isdigit() or (part.isascii() and int(part) <= MAX_ID) for part in parts)


def matches(action: str) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern that selects one action of the current codec version."""

    def check(data: object) -> bool:
        press = decode(data)
        return press is not None and press.action == action

    return check


Rows = Sequence[Sequence[tuple[str, str]]]  # rows of (label, callback data)


# A phone shows about 32 characters across a row of buttons (two buttons: about 15 each);
# Telegram cuts a longer label with "…".
ROW_WIDTH = 32


def label_width(label: str) -> int:
    """How wide a label is on a phone: an emoji counts as two; joiners, isolates and
    combining marks as nothing."""
    total = 0
    for char in label:
        if unicodedata.combining(char) or unicodedata.category(char) == "Cf" or char == "\ufe0f":
            continue
        wide = unicodedata.east_asian_width(char) == "W" or unicodedata.category(char) == "So"
        total += 2 if wide else 1
    return total


def rows_that_fit(
    buttons: Sequence[tuple[str, str]], at_most: int = 2
) -> list[list[tuple[str, str]]]:
    """Buttons in rows of up to `at_most`, a row taking fewer where its labels, in this
    reader's language, would be too wide for a phone together."""
    rows: list[list[tuple[str, str]]] = []
    for button in buttons:
        row = rows[-1] if rows else None
        if (
            row is not None
            and len(row) < at_most
            and sum(label_width(label) for label, _ in [*row, button]) <= ROW_WIDTH
        ):
            row.append(button)
        else:
            rows.append([button])
    return rows


def fitted(rows: Rows) -> list[list[tuple[str, str]]]:
    """The rows, each split where its labels would be too wide for a phone together. A row that
    fits in English may not in Ukrainian or Somali; the keyboard adapts to the reader's
    language instead of cutting their labels."""
    return [fitting for row in rows for fitting in rows_that_fit(row, at_most=len(row))]


def keyboard_json(rows: Rows) -> dict:
    """An inline keyboard in Bot API form."""
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row] for row in fitted(rows)
        ]
    }


def fits_caption(text: str) -> bool:
    return len(text.encode("utf-16-le")) // 2 <= MAX_CAPTION_CHARS


def shorten(text: str, limit: int) -> str:
    """The start of `text`, at most `limit` characters, cut at a word and marked with "…".
    For display only, where the whole text is a press away."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit)
    return text[: cut if cut > 0 else limit - 1].rstrip() + "…"


_SENTENCE_END = re.compile(r"(?<=[.!?؟።。])\s+")


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split a long text at paragraph, then line, then sentence, then word boundaries.

    Nothing is dropped: joining the parts gives back the text up to the whitespace at the cuts.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = _last_boundary(window, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _last_boundary(window: str, limit: int) -> int:
    # Prefer a paragraph break, then a line break, then a sentence end, then a space; a cut
    # in the first quarter would leave a tiny part, so it only counts past that point.
    floor = limit // 4
    for separator in ("\n\n", "\n"):
        index = window.rfind(separator, floor, limit)
        if index > 0:
            return index + len(separator)
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(window, floor) if m.end() <= limit]
    if sentence_ends:
        return sentence_ends[-1]
    index = window.rfind(" ", floor, limit)
    if index > 0:
        return index + 1
    return limit


def has_words(text: str) -> bool:
    """At least one letter or digit: "🙂" or "!!" alone says nothing a reader can act on."""
    return any(unicodedata.category(char)[0] in "LN" for char in text)
