"""The operator's commands: help, and a clear stop when running on Telegram is not possible."""

import os
import signal
import subprocess
import sys
import threading

import pytest

from tests.fake_telegram import FakeTelegram
from tests.ops.helpers import ROOT, start_bot, wait_for


def bot(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "WEBHOOK_URL")},
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("command", ["run", "backup", "health"])
def test_the_operations_commands_have_help(tmp_path, command):
    result = bot(tmp_path, command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_run_help_names_the_modes(tmp_path):
    out = bot(tmp_path, "run", "--help").stdout
    assert "--webhook" in out and "--polling" in out and "SIGTERM" in out


@pytest.mark.parametrize("mode", ["--polling", "--webhook"])
def test_telegram_modes_need_a_token(tmp_path, mode):
    result = bot(
        tmp_path,
        "run",
        mode,
        WEBHOOK_URL="https://bot.example.org/t",
        WEBHOOK_SECRET="a-long-enough-secret_0123456789",
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "BOT_TOKEN" in line


def test_an_unreachable_telegram_is_tried_again_then_stops_with_one_line_of_our_own(tmp_path):
    result = bot(
        tmp_path,
        "run",
        BOT_TOKEN="123:abc",
        TELEGRAM_BASE_URL="http://127.0.0.1:9/bot",
        TELEGRAM_CONNECT_TRIES="3",
    )
    assert result.returncode == 1
    *tries, last = result.stderr.strip().splitlines()
    assert last.startswith(
        "landgenoot: cannot reach Telegram at http://127.0.0.1:9/bot (tried 3 times)"
    )
    assert len(tries) == 2  # one line per try, no traceback
    assert "(try 1 of 3)" in tries[0] and "trying again in 1 s" in tries[0]
    assert "(try 2 of 3)" in tries[1] and "trying again in 2 s" in tries[1]
    assert "123:abc" not in result.stderr


def test_the_bot_starts_once_telegram_answers(tmp_path):
    with FakeTelegram([]) as telegram:
        telegram.refuse("getMe", 502, "Bad Gateway", retry_after=None)
        running = start_bot(tmp_path, telegram, wait=False)
        lines: list[str] = []
        reader = threading.Thread(
            target=lambda: lines.extend(iter(running.process.stderr.readline, "")), daemon=True
        )
        reader.start()
        try:
            wait_for(lambda: any("(try 1 of 8)" in line for line in lines), "a failed try")
            telegram.allow("getMe")
            wait_for(running.is_up, "the bot to start")
            wait_for(lambda: telegram.sent("getUpdates"), "the bot to poll")
        finally:
            running.process.send_signal(signal.SIGTERM)
            running.process.wait(timeout=60)
            reader.join(timeout=10)
    assert running.process.returncode == 0
    assert "Traceback" not in "".join(lines), "".join(lines)[:3000]


def test_in_a_container_a_bad_setting_holds_instead_of_restarting_in_a_loop(tmp_path):
    # compose's `restart: unless-stopped` restarts whatever exits; the bot waits for SIGTERM.
    environment = {
        **{k: v for k, v in os.environ.items() if k != "BOT_TOKEN"},
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--hold-on-config-error"],
        cwd=tmp_path,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stderr.readline()
        second = process.stderr.readline()
        assert process.poll() is None  # still there: nothing for the restart policy to do
    finally:
        process.send_signal(signal.SIGTERM)
        rest = process.communicate(timeout=60)[1]
    assert process.returncode == 2
    assert "configuration error" in first and "BOT_TOKEN" in first
    assert "waiting to be stopped" in second
    assert rest == ""


def test_the_container_runs_the_bot_with_hold_on_config_error():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    assert 'CMD ["run", "--hold-on-config-error"]' in dockerfile
    assert 'command: ["run", "--hold-on-config-error"]' in compose


def test_in_a_container_a_refused_token_holds_too(tmp_path):
    with FakeTelegram([]) as telegram:
        telegram.refuse("getMe", 401, "Unauthorized", retry_after=None)
        running = start_bot(tmp_path, telegram, "--hold-on-config-error", wait=False)
        try:
            first = running.process.stderr.readline()
            second = running.process.stderr.readline()
            assert running.process.poll() is None
        finally:
            running.process.send_signal(signal.SIGTERM)
            running.finish()
    assert running.process.returncode == 2
    assert "Telegram does not accept BOT_TOKEN" in first
    assert "waiting to be stopped" in second
    assert "Traceback" not in running.stderr
