"""Webhook mode, for real: `python -m bot run --webhook` against the Bot API stand-in.

Telegram's side is played by posting updates to the bot's port, with and without the secret
header; the stand-in sees whether the bot answered.
"""

import json
import subprocess
import sys

from tests.fake_telegram import FakeTelegram
from tests.ops.helpers import (
    ROOT,
    SECRET,
    TOKEN,
    free_port,
    http,
    message_update,
    start_bot,
    wait_for,
)

WEBHOOK_URL = "https://bot.example.org/telegram"


def post_update(port: int, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    body = json.dumps(update).encode()
    return http(f"http://127.0.0.1:{port}/telegram", data=body, headers=headers).status


def test_only_updates_with_the_secret_are_processed(tmp_path):
    port = free_port()
    with FakeTelegram([]) as telegram:
        bot = start_bot(
            tmp_path,
            telegram,
            "--webhook",
            WEBHOOK_URL=WEBHOOK_URL,
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
        try:
            [webhook] = telegram.sent("setWebhook")
            assert webhook["url"] == WEBHOOK_URL
            assert webhook["secret_token"] == SECRET
            assert bot.health().json()["mode"] == "webhook"
            assert bot.health().json()["last_update_at"] is None

            assert post_update(port, message_update(1, 555, "/start"), secret=None) == 403
            assert post_update(port, message_update(2, 556, "/start"), secret="wrong" * 4) == 403
            assert post_update(port, message_update(3, 557, "/start"), secret=SECRET) == 200
            wait_for(lambda: telegram.sent("sendMessage"), "the reply to the update")
            health = bot.health().json()
            assert health["last_update_at"] is not None
            assert health["database"] == "ok"
        finally:
            bot.terminate()
    assert {m["chat_id"] for m in telegram.sent("sendMessage")} == {557}
    assert bot.process.returncode == 0
    assert "webhook https://bot.example.org/telegram" in bot.stdout.splitlines()[0]
    assert SECRET not in bot.stderr + bot.stdout
    assert TOKEN not in bot.stderr


def test_an_update_in_flight_at_sigterm_is_finished(tmp_path):
    port = free_port()
    # Telegram takes a while to accept the reply: the update is still being handled at SIGTERM.
    with FakeTelegram([], latency={"sendMessage": 1.5}) as telegram:
        bot = start_bot(
            tmp_path,
            telegram,
            WEBHOOK_URL=WEBHOOK_URL,  # webhook mode without --webhook
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
        assert post_update(port, message_update(7, 555, "/start"), secret=SECRET) == 200
        wait_for(lambda: bot.health().json()["last_update_at"], "the update to arrive")
        bot.terminate()
        assert [m["chat_id"] for m in telegram.sent("sendMessage")] == [555]
    assert bot.process.returncode == 0, bot.stderr
    assert "SIGTERM: stopping" in bot.stderr
    assert not telegram.sent("deleteWebhook")  # Telegram keeps updates for the next start


def test_webhook_mode_refuses_to_start_without_a_secret(tmp_path):
    environment = {
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/bin:/bin",
        "BOT_TOKEN": TOKEN,
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
    }
    for extra, args in (
        ({"WEBHOOK_URL": WEBHOOK_URL}, ["run"]),
        ({}, ["run", "--webhook"]),
        ({"WEBHOOK_URL": WEBHOOK_URL, "WEBHOOK_SECRET": "short"}, ["run"]),
        ({"WEBHOOK_URL": "http://bot.example.org/telegram", "WEBHOOK_SECRET": SECRET}, ["run"]),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp_path,
            env={**environment, **extra},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert "WEBHOOK_" in line and "configuration error" in line
    assert not (tmp_path / "db.sqlite3").exists()
