"""Files in the console: what the bot sends is saved in a folder, what you send is read from disk.

On Telegram a photo is a file id that the bot can send again; here a file id is the name of a
file on this machine, so a tip's photo sent back later shows the same path.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from bot.local_api import ApiCall

# The parameter that carries the file, per Bot API method.
FILE_PARAMETERS = {"sendDocument": "document", "sendPhoto": "photo", "sendVoice": "voice"}
KINDS = {"sendDocument": "file", "sendPhoto": "photo", "sendVoice": "voice"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FileShelf:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._uploads: dict[str, Path] = {}  # file id -> the file a console user sent
        taken = [int(p.name[:4]) for p in folder.glob("[0-9][0-9][0-9][0-9]-*")]
        # Numbers go on from an earlier session, so a saved file is never overwritten.
        self._numbers = itertools.count(max(taken, default=0) + 1)

    def upload(self, path: Path) -> str:
        """A file a console user sends: its file id, which the bot may send back later."""
        file_id = f"console:{path.resolve()}"
        self._uploads[file_id] = path
        return file_id

    def read(self, file_id: str) -> bytes | None:
        """The bytes behind a file id, for the bot that downloads a file a console user sent."""
        path = self._uploads.get(file_id)
        return path.read_bytes() if path is not None and path.is_file() else None

    def keep(self, call: ApiCall) -> str:
        """Save the file the bot sends with `call`; returns the path to show."""
        parameter = FILE_PARAMETERS[call.method]
        if parameter in call.files:
            name, content = call.files[parameter]
            path = self.folder / f"{next(self._numbers):04d}-{_UNSAFE.sub('-', name) or 'file'}"
            self.folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            if call.file_id is not None:  # sent again by this id later (a cleaned photo)
                self._uploads[call.file_id] = path
            return _shown(path)
        file_id = str(call.params.get(parameter, ""))
        if file_id in self._uploads:
            return _shown(self._uploads[file_id])
        return f"Telegram file {file_id} (not on this machine)"


def _shown(path: Path) -> str:
    """Relative to where the console runs, when it is below it: shorter to read and to open."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
