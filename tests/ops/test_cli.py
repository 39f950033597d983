"""The operator's commands: help, and a clear stop when running on Telegram is not possible."""

import os
import signal
import subprocess
import sys

import pytest

from tests.ops.helpers import ROOT


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


def test_an_unreachable_telegram_stops_the_bot_with_one_line_of_our_own(tmp_path):
    result = bot(tmp_path, "run", BOT_TOKEN="123:abc", TELEGRAM_BASE_URL="http://127.0.0.1:9/bot")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("landgenoot: cannot reach Telegram at http://127.0.0.1:9/bot")
    )
    assert "123:abc" not in result.stderr


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
