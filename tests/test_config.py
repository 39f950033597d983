"""Settings: defaults, .env files, and a clear one-line stop on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_BASE_URL, ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_defaults():
    settings = load_settings({}, env_file=None)
    assert settings.bot_token is None
    assert settings.telegram_base_url == DEFAULT_BASE_URL
    assert settings.database_path == Path("data/landgenoot.sqlite3")
    assert settings.admin_ids == frozenset()
    assert settings.timezone.key == "Europe/Amsterdam"
    assert settings.default_locale == "en"


def test_values_from_the_environment():
    settings = load_settings(
        {
            "BOT_TOKEN": "123:abc",
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "DATABASE_PATH": "/tmp/x.sqlite3",
            "ADMIN_IDS": " 12, 34 ,",
            "TIMEZONE": "Europe/Kyiv",
            "DEFAULT_LOCALE": "nl",
        },
        env_file=None,
    )
    assert settings.admin_ids == {12, 34}
    assert settings.timezone.key == "Europe/Kyiv"
    assert settings.default_locale == "nl"
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"


def test_env_file_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text('# comment\nADMIN_IDS="5"\nexport DEFAULT_LOCALE=fa\n', encoding="utf-8")
    settings = load_settings({"DEFAULT_LOCALE": "tr"}, env_file=env_file)
    assert settings.admin_ids == {5}
    assert settings.default_locale == "tr"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIMEZONE", "Mars/Olympus_Mons"),
        ("ADMIN_IDS", "12,abc"),
        ("ADMIN_IDS", "-5"),
        ("DEFAULT_LOCALE", "de"),
        ("TELEGRAM_BASE_URL", "api.telegram.org/bot"),
    ],
)
def test_a_bad_value_names_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value}, env_file=None)


@pytest.mark.parametrize(
    ("name", "value"),
    [("TIMEZONE", "Nowhere/Town"), ("ADMIN_IDS", "one"), ("DEFAULT_LOCALE", "xx")],
)
def test_the_program_stops_with_one_line_and_exit_code_2(tmp_path, name, value):
    env = {**os.environ, name: value, "DATABASE_PATH": str(tmp_path / "db.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()
