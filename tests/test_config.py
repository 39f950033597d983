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


def test_operations_defaults():
    settings = load_settings({}, env_file=None)
    assert settings.webhook_url is None and settings.webhook_secret is None
    assert (settings.webhook_listen, settings.webhook_port) == ("0.0.0.0", 8443)
    assert (settings.health_listen, settings.health_port) == ("127.0.0.1", 8081)
    assert (settings.log_format, settings.log_level) == ("text", "INFO")


SECRET = "a-long-enough-secret_0123456789"


def test_webhook_values_from_the_environment():
    settings = load_settings(
        {
            "WEBHOOK_URL": "https://bot.example.org:8443/telegram",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": "9000",
            "HEALTH_LISTEN": "::1",
            "HEALTH_PORT": "9001",
            "LOG_FORMAT": "JSON",
            "LOG_LEVEL": "warning",
        },
        env_file=None,
    )
    assert settings.webhook_path == "/telegram"
    assert settings.webhook_port == 9000 and settings.health_port == 9001
    assert settings.health_listen == "::1"
    assert (settings.log_format, settings.log_level) == ("json", "WARNING")
    assert SECRET not in repr(settings)  # nor the token: settings may end up in a traceback


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEBHOOK_URL", "http://bot.example.org/telegram"),
        ("WEBHOOK_URL", "https://bot.example.org:8080/telegram"),
        ("WEBHOOK_URL", "https:///telegram"),
        ("WEBHOOK_SECRET", "has spaces in it and is long"),
        ("WEBHOOK_SECRET", "short"),
        ("WEBHOOK_PORT", "0"),
        ("WEBHOOK_PORT", "https"),
        ("HEALTH_PORT", "70000"),
        ("WEBHOOK_LISTEN", "not an address"),
        ("HEALTH_LISTEN", "127.0.0.1:8081"),
        ("LOG_FORMAT", "yaml"),
        ("LOG_LEVEL", "loud"),
    ],
)
def test_a_bad_operations_value_names_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value}, env_file=None)


def test_a_webhook_needs_a_secret_and_its_own_port():
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET must be set"):
        load_settings({"WEBHOOK_URL": "https://bot.example.org/t"}, env_file=None)
    with pytest.raises(ConfigError, match="HEALTH_PORT and WEBHOOK_PORT"):
        load_settings(
            {
                "WEBHOOK_URL": "https://bot.example.org/t",
                "WEBHOOK_SECRET": SECRET,
                "HEALTH_PORT": "8443",
            },
            env_file=None,
        )
    bare = load_settings({"WEBHOOK_URL": "https://bot.example.org", "WEBHOOK_SECRET": SECRET}, None)
    assert bare.webhook_path == "/"


def test_feature_settings_have_defaults_and_refuse_bad_values():
    settings = load_settings({"QUESTIONS_PER_DAY": "3", "ESCALATION_HOURS": "6,24"}, env_file=None)
    assert (settings.questions_per_day, settings.escalation_hours) == (3, (6, 24))
    assert load_settings({}, env_file=None).tip_fresh_days == 180
    for name, value in [("ESCALATION_HOURS", "48,12"), ("QUESTIONS_PER_DAY", "0"),
                        ("TIP_NEARBY_KM", "far"), ("MESSAGES_PER_MINUTE", "-1")]:  # fmt: skip
        with pytest.raises(ConfigError, match=name):
            load_settings({name: value}, env_file=None)
