"""The audit log reads as sentences in the admin's language, with names instead of ids."""

from bot.moderation import store as moderation_store
from bot.moderation.audit import audit_line
from bot.moderation.store import AuditEntry
from tests.harness import ADMIN, BRAM


async def test_blocks_and_appointments_read_with_the_names_of_the_people(bot):
    await bot.send(ADMIN, "/start")
    await bot.send(BRAM, "/start")
    async with bot.runtime.db.transaction() as conn:
        await moderation_store.log(conn, ADMIN.id, "block", f"user:{BRAM.id}", "spam", 10)
        await moderation_store.log(conn, ADMIN.id, "appoint", f"user:{BRAM.id}", "helper", 20)
    [log] = await bot.send(ADMIN, "/audit")
    assert "Bram became helper through an invite from Ada" in log.text
    assert "Ada blocked Bram — spam" in log.text
    assert str(BRAM.id) not in log.text


def test_an_action_without_words_yet_shows_its_codes(bot):
    t = bot.runtime.translators["nl"]
    entry = AuditEntry(0, "Ada", "new_thing", "cafe:3", None)
    assert audit_line(t, entry).endswith("Ada: new_thing cafe:3")
    entry = AuditEntry(0, None, "hide", "tip:12", "reclame", None)
    assert audit_line(t, entry).endswith("(gewist) verborg tip 12 — reclame")
