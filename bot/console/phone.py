"""What a phone sends besides text, typed as console commands: a place, a photo, a voice note,
a file. Each is turned into the message content Telegram would deliver."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import Any

from bot.console.files import FileShelf


class ConsoleInputError(ValueError):
    """What is wrong with a console command's arguments, as one line to show."""


def location(words: list[str]) -> dict[str, Any]:
    try:
        latitude, longitude = (float(word.replace(",", ".")) for word in words[:2])
    except ValueError:
        latitude = longitude = None
    if len(words) != 2 or latitude is None or longitude is None:
        raise ConsoleInputError(
            "usage: /location <latitude> <longitude>, e.g. /location 51.886 5.43"
        )
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ConsoleInputError("a latitude is -90 to 90 and a longitude -180 to 180")
    return {"location": {"latitude": latitude, "longitude": longitude}}


def media(kind: str, argument: str, shelf: FileShelf) -> dict[str, Any]:
    """`/photo`, `/voice` or `/document` <path> [caption]."""
    path_text, _, caption = argument.partition(" ")
    if not path_text:
        raise ConsoleInputError(f"usage: /{kind} <path to a file> [caption]")
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise ConsoleInputError(f"there is no file at {path}")
    size = path.stat().st_size
    file = {
        "file_id": shelf.upload(path),
        "file_unique_id": hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16],
        "file_size": size,
    }
    content: dict[str, Any]
    if kind == "photo":
        content = {"photo": [{**file, "width": 1280, "height": 960}]}
    elif kind == "voice":
        # A phone records Opus; any audio file stands in for it. About 2 kB a second.
        content = {"voice": {**file, "duration": max(1, size // 2000), "mime_type": "audio/ogg"}}
    else:
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        content = {"document": {**file, "file_name": path.name, "mime_type": mime}}
    if caption.strip():
        content["caption"] = caption.strip()
    return content
