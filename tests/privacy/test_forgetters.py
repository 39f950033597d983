"""Every table that holds a user id is taken care of by an erasure: so that the next feature
cannot forget to say what to forget."""

import re

from bot.db import fetchall

# Ids that never point to a person, though no foreign key says what they point to.
NOT_PEOPLE = {"batch_id", "target_id"}


async def user_columns(conn) -> dict[str, list[str]]:
    """table -> its columns that hold a user id and outlive the person's row.

    A user id is a column with a foreign key to users, or any `..._id` / `..._by` column
    without a foreign key to another table (a new table's `owner_id INTEGER` counts). A
    column whose foreign key deletes the row with the user (ON DELETE CASCADE) needs nothing
    more; one that is set to NULL, or has no foreign key, leaves a row that may still hold
    the person's words: a forgetter has to say what happens to it."""
    tables = await fetchall(
        conn,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%_fts_%'"
        " AND name NOT LIKE 'knowledge_%'",
    )
    found: dict[str, list[str]] = {}
    for (table,) in tables:
        keys = {
            row["from"]: row for row in await fetchall(conn, f"PRAGMA foreign_key_list({table})")
        }
        for column in await fetchall(conn, f"PRAGMA table_info({table})"):
            name = column["name"]
            key = keys.get(name)
            if key is not None:
                holds_user = key["table"] == "users"
            else:
                holds_user = (
                    re.search(r"_(id|by)$", name) is not None and name not in NOT_PEOPLE
                ) or (table, name) == ("users", "id")
            if holds_user and (key is None or key["on_delete"] != "CASCADE"):
                found.setdefault(table, []).append(name)
    return found


async def test_every_table_with_a_user_id_has_a_forgetter(bot):
    columns = await user_columns(bot.runtime.db.reader)
    assert {"users", "outbox", "tips", "accompaniments"} <= set(columns)  # the check sees them
    missing = {t: c for t, c in columns.items() if t not in bot.runtime.privacy.handled_tables}
    assert missing == {}, "register a forgetter that names these tables (bot/privacy/service.py)"


async def test_a_new_table_with_a_user_id_and_no_forgetter_is_caught(bot):
    async with bot.runtime.db.transaction() as conn:
        await conn.execute(
            "CREATE TABLE stickers (id INTEGER PRIMARY KEY, owner_id INTEGER, sent_by INTEGER"
            " REFERENCES users(id) ON DELETE SET NULL, tip_id INTEGER REFERENCES tips(id))"
        )
        await conn.execute(
            "CREATE TABLE badges (user_id INTEGER REFERENCES users(id) ON DELETE CASCADE)"
        )
    columns = await user_columns(bot.runtime.db.reader)
    assert columns["stickers"] == ["owner_id", "sent_by"]
    assert "badges" not in columns  # goes with the person's row
    assert "stickers" not in bot.runtime.privacy.handled_tables
