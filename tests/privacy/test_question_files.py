"""Photos of a question are kept no longer than needed: only their file ids, listed in /mydata,
gone 30 days after the question closes and at once with /deleteme; /search shows words only."""

import json

from bot.db import fetchall
from bot.local_api import LocalUser
from tests.harness import bot_harness
from tests.privacy.test_erasure import database_files
from tests.questions.files import document, pdf_with_author, photo
from tests.questions.test_questions import make_helper

ASKER = LocalUser(777123456, "Xandrilla", "en")
HELPER = LocalUser(321, "Hilde", "en")
READER = LocalUser(322, "Reader", "en")
QUESTION = "What does this letter about the toeslag mean?"


async def photo_question_answered(bot) -> list:
    """ASKER asks with a photo and a PDF; HELPER answers with a photo. The answer message."""
    await make_helper(bot, HELPER, ["en"], [])
    [topics] = await bot.send(ASKER, "/ask")
    await bot.press_data(ASKER, topics, "1|q_topic|papers")
    await bot.send_content(ASKER, photo("ASKER-PHOTO-ID-7781", QUESTION))
    pdf = bot.api.add_file(pdf_with_author())
    [copy] = await bot.send_content(ASKER, document(pdf, "brief.pdf", "application/pdf", 900))
    await bot.press(ASKER, copy, "Send")
    *_files, question = await bot.deliver()
    await bot.press(HELPER, question, "Answer")
    await bot.send_content(HELPER, photo("HELPER-PHOTO-ID-5531", "You get money back"))
    [answer] = await bot.deliver()
    return answer, copy.file_id


async def stored_file_ids(bot) -> list[str]:
    rows = await fetchall(bot.runtime.db.reader, "SELECT file_id FROM question_files ORDER BY id")
    return [row[0] for row in rows]


async def test_mydata_lists_the_file_ids_of_ones_questions_and_answers(bot):
    _answer, pdf_copy = await photo_question_answered(bot)
    summary, export = await bot.send(ASKER, "/mydata")
    assert "Photos and files: 3" in summary.text
    data = json.loads(export.files["document"][1])
    assert [(f["sent_by"], f["kind"], f["file_id"]) for f in data["files_in_your_questions"]] == [
        ("you", "photo", "ASKER-PHOTO-ID-7781"),
        ("you", "document", pdf_copy),
        ("helper", "photo", "HELPER-PHOTO-ID-5531"),
    ]
    assert data["files_in_your_questions"][0]["added_at"].startswith("2026-12-01T")
    _summary, export = await bot.send(HELPER, "/mydata")
    data = json.loads(export.files["document"][1])
    assert [f["file_id"] for f in data["files_in_your_answers"]] == ["HELPER-PHOTO-ID-5531"]


async def test_file_ids_go_30_days_after_the_question_closes_and_search_shows_words(bot):
    answer, _pdf = await photo_question_answered(bot)
    close = (await bot.press(ASKER, answer, "Close the question"))[-1]
    await bot.press(ASKER, close, "Yes, share it without my name")
    [found] = await bot.send(READER, "/search toeslag")
    assert QUESTION in found.text and found.method == "sendMessage"
    assert not [c for c in bot.api.calls if c.chat_id == READER.id and c.method != "sendMessage"]
    bot.clock.advance(days=29)
    done = await bot.runtime.privacy.apply_retention()
    assert done["question_files"] == 0 and len(await stored_file_ids(bot)) == 3
    bot.clock.advance(days=2)
    done = await bot.runtime.privacy.apply_retention()
    assert done["question_files"] == 3 and await stored_file_ids(bot) == []
    [found] = await bot.send(READER, "/search toeslag")
    assert QUESTION in found.text  # the shared question keeps its words


async def test_a_draft_never_sent_loses_its_photos_after_30_days(bot):
    [topics] = await bot.send(ASKER, "/ask")
    await bot.press_data(ASKER, topics, "1|q_topic|papers")
    await bot.send_content(ASKER, photo("DRAFT-PHOTO"))
    bot.clock.advance(days=31)
    await bot.runtime.privacy.apply_retention()
    assert await stored_file_ids(bot) == []


async def test_deleteme_removes_the_file_ids_down_to_the_bytes_even_of_a_shared_question(
    settings,
):
    async with bot_harness(settings) as bot:
        answer, pdf_copy = await photo_question_answered(bot)
        close = (await bot.press(ASKER, answer, "Close the question"))[-1]
        await bot.press(ASKER, close, "Yes, share it without my name")
        secrets = ["ASKER-PHOTO-ID-7781", pdf_copy, "HELPER-PHOTO-ID-5531"]
        before = b"".join(database_files(settings).values())
        assert all(secret.encode() in before for secret in secrets)  # the check sees them
        [confirm] = await bot.send(ASKER, "/deleteme")
        await bot.press(ASKER, confirm, "Erase everything")
        assert await stored_file_ids(bot) == []
        after = b"".join(database_files(settings).values())
        assert [secret for secret in secrets if secret.encode() in after] == []
        [found] = await bot.send(READER, "/search toeslag")
        assert QUESTION in found.text  # shared without a name: its words stay, nothing else
