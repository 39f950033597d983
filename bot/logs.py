"""Log lines for the people who run the bot: one line per event, as text or as JSON.

Privacy: at INFO and above nothing logs what people write or their names; ids are fine. While
an update is being handled, every line carries its update id (set by `bind_update`), so an
error can be matched to the update that caused it. DEBUG is for developers: the libraries log
whole updates and requests there.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

_update_id: ContextVar[int | None] = ContextVar("update_id", default=None)

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "update_id"}

# Libraries that are chatty at INFO, or worse: httpx logs request URLs, which hold the token.
QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "apscheduler": logging.WARNING}


def bind_update(update_id: int | None) -> None:
    """Tag every line logged from here on in this task (one update's handling) with its id."""
    _update_id.set(update_id)


def current_update() -> int | None:
    return _update_id.get()


class UpdateIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "update_id", None) is None:
            record.update_id = _update_id.get()
        return True


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _one_line(text: str) -> str:
    return " | ".join(line for line in text.splitlines() if line.strip()) if text else text


class TextFormatter(logging.Formatter):
    """`2026-05-01T19:00:00.123Z INFO bot.app: message update_id=5 | Traceback ... | Error`"""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        update_id = getattr(record, "update_id", None)
        if update_id is not None:
            line += f" update_id={update_id}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return _one_line(line)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, update_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        update_id = getattr(record, "update_id", None)
        if update_id is not None:
            entry["update_id"] = update_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(
    level: int | str = logging.INFO, fmt: str = "text", stream: TextIO | None = None
) -> None:
    """Send every log line to `stream` (stderr): `fmt` is "text" or "json"."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(UpdateIdFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet_level in QUIET.items():
        logging.getLogger(name).setLevel(quiet_level)
