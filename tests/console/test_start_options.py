"""`python -m bot console --demo` and `--fresh`, as a newcomer starts them."""

import sqlite3

from tests.test_command_line import bot_command


def test_demo_starts_a_filled_community_and_says_who_to_play(tmp_path):
    first = bot_command(tmp_path, "console", stdin="/start\n#2\n")
    assert first.returncode == 0, first.stderr
    result = bot_command(tmp_path, "console", "--demo", stdin="/cafes\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "(a new empty database at " in out and "the old one is kept as " in out
    assert "(demo community: seeded " in out and "50 people" in out
    assert "/as 9000000000 " in out and "organiser" in out
    assert "☕ " in out and "Sign up" in out  # the demo's cafés, with their buttons
    [copy] = tmp_path.glob("db-*.sqlite3")
    with sqlite3.connect(copy) as old:
        assert old.execute("SELECT count(*) FROM users").fetchone()[0] == 1


def test_console_help_names_the_start_options(tmp_path):
    result = bot_command(tmp_path, "console", "--help")
    assert "--fresh" in result.stdout and "--demo" in result.stdout
