"""Outbox rows name the people they are about, so erasing one of them finds every copy."""

from bot.db import fetchall
from bot.outbox import store
from bot.ui import MAX_MESSAGE_CHARS


async def about_rows(bot) -> list[tuple[int, int]]:
    rows = await fetchall(
        bot.runtime.db.reader,
        "SELECT o.recipient_id, a.user_id FROM outbox o JOIN outbox_about a ON a.outbox_id = o.id"
        " ORDER BY o.id, a.user_id",
    )
    return [tuple(row) for row in rows]


async def test_every_part_of_a_long_message_names_who_it_is_about(bot):
    async with bot.runtime.db.transaction() as conn:
        queued = await store.enqueue(
            conn, 5, "word " * MAX_MESSAGE_CHARS, now=0, about=[7, 8, None, 5], dedupe_key="k"
        )
        again = await store.enqueue(conn, 5, "the same cause", now=0, about=[7], dedupe_key="k")
        await store.enqueue(conn, 6, "about nobody", now=0)
    assert queued and not again
    rows = await about_rows(bot)
    assert len(rows) > 2 and set(rows) == {(5, 7), (5, 8)}  # not the recipient, nor None twice


async def test_forgetting_a_person_deletes_what_is_to_them_and_about_them_whatever_its_status(bot):
    async with bot.runtime.db.transaction() as conn:
        await store.enqueue(conn, 5, "your answer", now=0, about=[7])
        await store.enqueue(conn, 7, "to the person", now=0)
        await store.enqueue(conn, 6, "unrelated", now=0, about=[8])
        await conn.execute("UPDATE outbox SET status = 'sent' WHERE recipient_id = 5")
        assert await store.forget_person(conn, 7) == 2
    rows = await fetchall(bot.runtime.db.reader, "SELECT text FROM outbox")
    assert [row[0] for row in rows] == ["unrelated"]
    assert await about_rows(bot) == [(6, 8)]
