"""The program as people start it: console without a token, Telegram (or a stand-in) with one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.i18n import Translators
from tests.fake_telegram import FakeTelegram
from tests.ops.helpers import free_port

ROOT = Path(__file__).resolve().parent.parent


def bot_command(tmp_path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if k != "BOT_TOKEN"},
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_console_reads_piped_lines_and_exits_cleanly(tmp_path):
    result = bot_command(tmp_path, "console", stdin="/start\n#2\n/help\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0].startswith("Landgenoot console")
    assert "Welcome to Landgenoot!" in out
    assert "[#1] Nederlands" in out and "[#2] English" in out
    assert "I will write to you in English." in out
    assert "/privacy — What is stored about you, and your rights" in out
    assert "/invite" in out  # the first console user is an admin


def test_run_without_a_token_stops_with_one_line_naming_bot_token(tmp_path):
    # What systemd starts: exit 2 (no restart), never a console that reads end-of-file.
    result = bot_command(tmp_path, "run", stdin="/start\n")
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("landgenoot: configuration error:") and "BOT_TOKEN" in line
    assert not (tmp_path / "db.sqlite3").exists()


def test_make_run_without_a_token_starts_the_console_and_says_so(tmp_path):
    # `make run` passes --console-without-token: a newcomer to the code gets the console chat.
    result = bot_command(tmp_path, "run", "--console-without-token", stdin="/start\n")
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert "console" in first and "no BOT_TOKEN" in first
    assert "  [#1] Nederlands" in rest


def test_make_run_passes_the_console_option():
    makefile = (ROOT / "Makefile").read_text()
    assert "-m bot run --console-without-token" in makefile


def test_console_switches_user_and_keeps_the_choice(tmp_path):
    script = "/as 5 ar\n/start\n#1\n/as 1\n/as 5 ar\n/help\n"
    result = bot_command(tmp_path, "console", stdin=script)
    assert result.returncode == 0, result.stderr
    translators = Translators(ZoneInfo("Europe/Amsterdam"))
    assert "You are now user 5, Telegram language ar." in result.stdout
    assert translators["ar"].gettext("Which language do you want me to use?") in result.stdout
    assert translators["nl"].gettext("This is what you can do:") in result.stdout


def test_every_command_has_help(tmp_path):
    for command in ("run", "console", "migrate"):
        result = bot_command(tmp_path, command, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_migrate_creates_the_database_and_is_idempotent(tmp_path):
    first = bot_command(tmp_path, "migrate", DATABASE_PATH=str(tmp_path / "sub" / "x.sqlite3"))
    assert first.returncode == 0 and "applied 0001_people.sql" in first.stdout
    again = bot_command(tmp_path, "migrate", DATABASE_PATH=str(tmp_path / "sub" / "x.sqlite3"))
    assert again.returncode == 0 and "up to date" in again.stdout


def test_the_bot_answers_start_in_arabic_through_a_bot_api_stand_in(tmp_path):
    start = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": 555, "type": "private", "first_name": "Amira"},
            "from": {"id": 555, "is_bot": False, "first_name": "Amira", "language_code": "ar"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    with FakeTelegram([start]) as telegram:
        environment = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": "123456:TEST",
            "TELEGRAM_BASE_URL": telegram.base_url,
            "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
            # Its own health port: another bot on this machine may hold the default one.
            "HEALTH_PORT": str(free_port()),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            for _ in range(600):  # a hang guard, not a speed requirement
                if telegram.sent("sendMessage") or process.poll() is not None:
                    break
                time.sleep(0.1)
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=60)
    assert telegram.sent("sendMessage"), err
    [reply] = telegram.sent("sendMessage")
    arabic = Translators(ZoneInfo("Europe/Amsterdam"))["ar"].gettext
    assert reply["chat_id"] == 555
    assert reply["text"].startswith(
        arabic("Welcome to {community}!").format(community="\u2068Landgenoot\u2069")
    )
    assert out.splitlines()[0].startswith("Landgenoot: connecting to Telegram at http://127.0.0.1")
    assert {params.get("language_code") for params in telegram.sent("setMyCommands")} >= {
        "ar",
        "nl",
    }
    assert "123456:TEST" not in err  # the token never reaches the log
