"""Log lines: one per event, text or JSON, the update id on errors, nobody's words or names."""

import io
import json
import logging
import sys
from contextlib import contextmanager

from telegram import Update
from telegram.ext import TypeHandler

from bot import logs
from tests.harness import ADMIN, AMIRA, bot_harness, settings_for


@contextmanager
def captured(fmt: str, level: int = logging.INFO):
    """What the configured handler would write, from every logger, at `level` and above."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter() if fmt == "json" else logs.TextFormatter())
    handler.addFilter(logs.UpdateIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def failing_record() -> logging.LogRecord:
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        return logging.getLogger("bot.test").makeRecord(
            "bot.test", logging.ERROR, __file__, 1, "update %s failed", (5,), sys.exc_info()
        )


def test_a_text_line_holds_the_whole_event_including_the_traceback():
    line = logs.TextFormatter().format(failing_record())
    assert "\n" not in line
    assert " ERROR bot.test: update 5 failed | Traceback (most recent call last):" in line
    assert line.endswith("ZeroDivisionError: division by zero")


def test_a_json_line_is_one_object_with_the_exception_and_extras():
    record = failing_record()
    record.update_id = 5
    record.batch = 12  # as from log.info(..., extra={"batch": 12})
    line = logs.JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "bot.test"
    assert entry["message"] == "update 5 failed"
    assert entry["update_id"] == 5
    assert entry["batch"] == 12
    assert "ZeroDivisionError" in entry["exception"]
    assert entry["time"].endswith("Z")


async def test_an_error_while_handling_an_update_carries_its_update_id(tmp_path):
    async def explode(update: Update, context) -> None:
        logging.getLogger("bot.feature").warning("about to fail")
        raise RuntimeError("boom")

    async with bot_harness(settings_for(tmp_path)) as bot:
        bot.app.add_handler(TypeHandler(Update, explode), group=5)
        with captured("json") as stream:
            await bot.send(ADMIN, "/help")
        bot.errors.clear()  # expected: this test is about how the failure is logged
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    warning = next(e for e in entries if e["message"] == "about to fail")
    failure = next(e for e in entries if e["level"] == "ERROR")
    assert warning["update_id"] == failure["update_id"] is not None
    assert failure["message"] == f"update {failure['update_id']} failed"
    assert "RuntimeError: boom" in failure["exception"]


async def test_nothing_people_write_nor_their_names_is_logged_at_info(tmp_path):
    secret = "Ik zoek een huis in Tiel voor mijn familie"
    with captured("text") as stream:
        async with bot_harness(settings_for(tmp_path)) as bot:
            await bot.send(AMIRA, "/start")
            await bot.send(AMIRA, secret)
            await bot.send(AMIRA, "/subscribe")
            await bot.send(ADMIN, "/start")
            preview = (await bot.send(ADMIN, f"/announce {secret}"))[-1]
            send = next(label for label, _ in preview.buttons)
            await bot.press(ADMIN, preview, send)
            delivered = await bot.deliver()
            assert AMIRA.id in {call.chat_id for call in delivered}
            bot.errors.clear()
    text = stream.getvalue()
    for private in (AMIRA.first_name, ADMIN.first_name, secret, "huis"):
        assert private not in text, f"{private!r} was logged"


def test_configure_sets_one_handler_and_quietens_httpx():
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        logs.configure("INFO", "json", stream=stream)
        logs.configure("INFO", "json", stream=stream)  # twice: still one handler
        assert len(root.handlers) == 1
        logging.getLogger("httpx").info("GET https://api.telegram.org/bot123:SECRET/getMe")
        logging.getLogger("bot.x").info("hello")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
    [line] = stream.getvalue().splitlines()
    assert json.loads(line)["message"] == "hello"
