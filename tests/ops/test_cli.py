"""The operator's commands: help, and a clear stop when running on Telegram is not possible."""

import os
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
