"""Look at the pictures the bot draws: what is written on them, and what matplotlib said."""

from __future__ import annotations

import logging
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from bot.reports import files, lettering


def keep_pictures(monkeypatch) -> list[files.Picture]:
    """From now on, every chart and statement card the handlers draw, as files.Picture."""
    pictures: list[files.Picture] = []

    def keeping(draw):
        def draw_and_keep(*args):
            drawn = draw(*args)
            pictures.append(drawn[0] if isinstance(drawn, tuple) else drawn)
            return drawn

        return draw_and_keep

    monkeypatch.setattr(files, "report_chart", keeping(files.report_chart))
    monkeypatch.setattr(files, "contribution_card", keeping(files.contribution_card))
    return pictures


@contextmanager
def nothing_missing(caplog) -> Iterator[None]:
    """Fails when matplotlib warns of a glyph missing from the fonts (it draws an empty box
    then) or logs that it could not find a font family."""
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    assert not [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]


def undrawable(picture: files.Picture) -> list[str]:
    """The characters on the picture that none of the bot's fonts has."""
    known = lettering.glyphs()
    return [c for text in picture.texts for c in text if not c.isspace() and ord(c) not in known]


def unjoined_arabic(picture: files.Picture) -> list[str]:
    """Arabic letters drawn as they are stored, not as the joined form they take."""
    return [
        c
        for text in picture.texts
        for c in text
        if 0x0600 <= ord(c) <= 0x06FF and unicodedata.category(c) == "Lo"
    ]


def png_of(call) -> bytes:
    [(_filename, content)] = call.files.values()
    return content
