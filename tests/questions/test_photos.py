"""Photos and documents in questions ("What does this letter mean?"), relayed without the asker."""

import json
from io import BytesIO

from PIL import Image
from pypdf import PdfReader

from bot.db import fetchall
from bot.local_api import ApiCall, LocalUser
from tests.harness import ADMIN
from tests.questions.files import (
    ASKER_NAME,
    GPS_IFD,
    TAGS,
    document,
    encrypted_pdf,
    jpeg_with_tags,
    pdf_with_author,
    photo,
)
from tests.questions.test_questions import make_helper

ASKER = LocalUser(777123456, ASKER_NAME, "en")
HELPER = LocalUser(311, "Helga", "en")
OTHER = LocalUser(312, "Olaf", "en")
WARNING_START = "Helpers will see everything on this page."
CAPTION = "What does this letter from the municipality mean?"


async def topic(bot, user=ASKER, key="work"):
    [topics] = await bot.send(user, "/ask")
    await bot.press_data(user, topics, f"1|q_topic|{key}")


def nothing_of_the_asker(calls: list[ApiCall]) -> None:
    """Captions, file names, uploaded bytes and buttons: no name, no id, no hidden tag."""
    for call in calls:
        dumped = json.dumps(call.params, ensure_ascii=False, default=str)
        for secret in [*TAGS, str(ASKER.id)]:
            assert secret not in dumped, (secret, call.method)
        for name, content in call.files.values():
            for secret in [*TAGS, str(ASKER.id)]:
                assert secret not in name and secret.encode() not in content, (secret, name)


async def file_ids(bot) -> list[tuple]:
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT kind, file_id, answer_id FROM question_files ORDER BY id"
    )
    return [tuple(row) for row in rows]


async def asked_with_three_files(bot) -> list[ApiCall]:
    """A photo with a caption, an image file with EXIF tags, a PDF with an author: the
    replies to the asker, in order."""
    await make_helper(bot, HELPER, ["en"], [])
    await topic(bot)
    [warning] = await bot.send_content(ASKER, photo("PHOTO-PAGE-1", CAPTION))
    jpeg = bot.api.add_file(jpeg_with_tags())
    [image_copy] = await bot.send_content(
        ASKER, document(jpeg, f"{ASKER_NAME}_brief_gemeente.jpg", "image/jpeg", 60_000)
    )
    pdf = bot.api.add_file(pdf_with_author())
    [pdf_copy] = await bot.send_content(
        ASKER, document(pdf, f"IND {ASKER_NAME} V-nummer.pdf", "application/pdf", 900)
    )
    return [warning, image_copy, pdf_copy]


async def test_photos_an_image_file_and_a_pdf_reach_the_helper_without_the_asker(bot):
    warning, image_copy, pdf_copy = await asked_with_three_files(bot)
    # the warning comes once, with the first photo, before anything goes out
    assert warning.text.startswith(WARNING_START)
    assert "(BSN)" in warning.text and "V-number" in warning.text
    assert [label for label, _ in warning.buttons] == ["Send", "Take a new photo"]
    assert await bot.deliver() == []  # nothing went anywhere yet
    # the image file came back cleaned, as a photo: that copy is what goes on
    assert image_copy.method == "sendPhoto"
    assert WARNING_START not in image_copy.text
    assert "2 photos or files are ready" in image_copy.text
    name, content = image_copy.files["photo"]
    assert name == "photo.jpg"
    cleaned = Image.open(BytesIO(content))
    assert len(cleaned.getexif()) == 0 and not cleaned.getexif().get_ifd(GPS_IFD)
    assert cleaned.size == (480, 640)  # turned upright as the phone meant, then untagged
    # the PDF came back without its document properties, under a neutral name
    assert pdf_copy.method == "sendDocument"
    name, content = pdf_copy.files["document"]
    assert name == "document.pdf"
    assert not (PdfReader(BytesIO(content)).metadata or {})
    assert "3 photos or files are ready" in pdf_copy.text

    replies = await bot.press(ASKER, pdf_copy, "Send")
    assert replies[-1].text == "Your question went to 1 helper. Answers will come here."
    to_helper = await bot.deliver()
    assert [(c.chat_id, c.method) for c in to_helper] == [
        (HELPER.id, "sendPhoto"),
        (HELPER.id, "sendPhoto"),
        (HELPER.id, "sendDocument"),
    ]
    assert to_helper[0].params["photo"] == "PHOTO-PAGE-1"  # the largest size, by its id
    assert to_helper[1].params["photo"] == image_copy.file_id
    assert to_helper[2].params["document"] == pdf_copy.file_id
    assert CAPTION in to_helper[-1].text
    assert [label for label, _ in to_helper[-1].buttons] == ["Answer", "Report"]
    nothing_of_the_asker([c for c in bot.api.calls if c.chat_id == HELPER.id])

    # the helper answers with a marked-up page, which reaches the asker the same way
    await bot.press(HELPER, to_helper[-1], "Answer")
    [thanks] = await bot.send_content(HELPER, photo("MARKED-UP", "The red circle: pay by 1 May"))
    assert thanks.text == "Sent. Thank you for helping!"
    [answer] = await bot.deliver()
    assert (answer.chat_id, answer.method, answer.params["photo"]) == (
        ASKER.id,
        "sendPhoto",
        "MARKED-UP",
    )
    assert "The red circle: pay by 1 May" in answer.text and "Helga" not in answer.text
    assert [label for label, _ in answer.buttons][:2] == ["This helped", "Ask a follow-up"]
    assert [kind for kind, _id, answer_id in await file_ids(bot) if answer_id] == ["photo"]


async def test_the_files_are_downloaded_from_the_bot_api_file_server(bot):
    await asked_with_three_files(bot)
    assert len(bot.api.downloads) == 2  # the image file and the PDF; the photo is relayed
    assert bot.runtime.settings.telegram_base_file_url == "https://api.telegram.org/file/bot"


async def test_a_helper_answers_with_a_pdf_and_the_asker_gets_the_cleaned_copy(bot):
    await make_helper(bot, HELPER, ["en"], [])
    await topic(bot)
    [warning] = await bot.send_content(ASKER, photo("PHOTO-P", CAPTION))
    await bot.press(ASKER, warning, "Send")
    [question] = await bot.deliver()
    await bot.press(HELPER, question, "Answer")
    pdf = bot.api.add_file(pdf_with_author())
    copy, thanks = await bot.send_content(
        HELPER, document(pdf, "Helga's notes.pdf", "application/pdf", 900)
    )
    assert copy.method == "sendDocument" and copy.files["document"][0] == "document.pdf"
    assert thanks.text == "Sent. Thank you for helping!"
    [answer] = await bot.deliver()
    assert (answer.chat_id, answer.params["document"]) == (ASKER.id, copy.file_id)
    assert "(photo or file)" in answer.text


async def test_send_and_take_a_new_photo_are_checked_again_on_every_press(bot):
    await make_helper(bot, HELPER, ["en"], [])
    await topic(bot)
    [warning] = await bot.send_content(ASKER, photo("PHOTO-X"))
    # someone else, or made-up data, cannot send or drop the asker's draft
    for forged in ("1|q_fsend|x", "1|q_retake|999", "1|q_fsend"):
        [refused] = await bot.press_data(ASKER, warning, forged)
        assert refused.params["text"] == "This button has expired."
    [refused] = await bot.press(OTHER, warning, "Send")
    assert refused.params["text"] == "This button has expired."
    [refused] = await bot.press(OTHER, warning, "Take a new photo")
    assert refused.params["text"] == "This button has expired."
    assert await bot.deliver() == []
    # a new photo: the first goes, the question starts again, and the new one is warned about
    replies = await bot.press(ASKER, warning, "Take a new photo")
    assert replies[-1].text.startswith("Nothing was sent. Send the photo or file again")
    assert await file_ids(bot) == []
    [warning] = await bot.send_content(ASKER, photo("PHOTO-Y"))
    assert warning.text.startswith(WARNING_START)
    # words after the photo join it, and feed the search; Send works once
    [added] = await bot.send(ASKER, "Is this about my benefits?")
    assert added.text.startswith("Added to your question.")
    await bot.press(ASKER, added, "Send")
    [again] = await bot.press(ASKER, warning, "Send")
    assert again.params["text"] == "This button has expired."
    [sent] = await bot.deliver()
    assert sent.params["photo"] == "PHOTO-Y" and "Is this about my benefits?" in sent.text


async def test_files_that_cannot_go_are_refused_with_what_happens_next(bot):
    await topic(bot)
    too_big = bot.api.add_file(b"x")
    [reply] = await bot.send_content(
        ASKER, document(too_big, "scan.pdf", "application/pdf", 25 * 1024 * 1024)
    )
    assert reply.text.startswith("This file is too big for me to pass on (more than 20 MB).")
    word = bot.api.add_file(b"PK\x03\x04 a word file")
    [reply] = await bot.send_content(
        ASKER, document(word, "brief.docx", "application/vnd.openxmlformats", 100)
    )
    assert reply.text.startswith("I can pass on photos, images and PDF files")
    broken = bot.api.add_file(b"%PDF-1.7 this is not really a PDF")
    [reply] = await bot.send_content(ASKER, document(broken, "b.pdf", "application/pdf", 30))
    assert reply.text.startswith("I could not open this file.")
    locked = bot.api.add_file(encrypted_pdf())
    [reply] = await bot.send_content(ASKER, document(locked, "l.pdf", "application/pdf", 900))
    assert reply.text.startswith("This PDF is protected with a password")
    not_an_image = bot.api.add_file(b"GIF89a but then nothing")
    [reply] = await bot.send_content(ASKER, document(not_an_image, "a.gif", "image/gif", 20))
    assert reply.text.startswith("I could not open this file.")
    [reply] = await bot.send_content(ASKER, document("GONE", "c.pdf", "application/pdf", 10))
    assert reply.text.startswith("I could not fetch this file from Telegram just now.")
    video = {"file_id": "V", "file_unique_id": "V", "width": 1, "height": 1, "duration": 3}
    [reply] = await bot.send_content(ASKER, {"video": video})
    assert reply.text.startswith("I can pass on photos, images and PDF files")
    assert await file_ids(bot) == []
    # after all that, the question can still be asked: the bot still waits for it
    [warning] = await bot.send_content(ASKER, photo("PHOTO-OK"))
    assert warning.text.startswith(WARNING_START)


async def test_a_question_takes_at_most_ten_files(bot):
    await topic(bot)
    for number in range(10):
        await bot.send_content(ASKER, photo(f"PAGE-{number}"))
    [refused] = await bot.send_content(ASKER, photo("PAGE-10"))
    assert refused.text.startswith("A question can carry at most 10 photos or files.")
    assert len(await file_ids(bot)) == 10


async def test_a_follow_up_photo_is_refused_and_nothing_is_sent(bot):
    await make_helper(bot, HELPER, ["en"], [])
    await topic(bot)
    await bot.send(ASKER, "Where do I send a letter to the IND?")
    [question] = await bot.deliver()
    await bot.press(HELPER, question, "Answer")
    await bot.send(HELPER, "To the address on the letter.")
    [answer] = await bot.deliver()
    await bot.press(ASKER, answer, "Ask a follow-up")
    [reply] = await bot.send_content(ASKER, photo("FOLLOW-PHOTO"))
    assert reply.text.startswith("A follow-up can be words or a voice note. Nothing was sent.")
    assert await bot.deliver() == []


async def test_a_cleaned_copy_telegram_refuses_leaves_nothing_behind(bot):
    await topic(bot)
    jpeg = bot.api.add_file(jpeg_with_tags())
    bot.api.fail("sendPhoto", chat_id=ASKER.id, description="Bad Request: PHOTO_INVALID_DIMENSIONS")
    [reply] = await bot.send_content(ASKER, document(jpeg, "a.jpg", "image/jpeg", 60_000))
    assert reply.text.startswith("I could not open this file. Nothing was sent.")
    assert await file_ids(bot) == []
    rows = await fetchall(bot.runtime.db.reader, "SELECT count(*) FROM questions")
    assert rows[0][0] == 0  # the draft it would have started is gone too
    [warning] = await bot.send_content(ASKER, photo("PHOTO-AGAIN"))  # still asking
    assert warning.text.startswith(WARNING_START)


async def test_an_organiser_judging_a_reported_photo_question_sees_the_photo(bot):
    await make_helper(bot, HELPER, ["en"], [])
    await topic(bot)
    [warning] = await bot.send_content(ASKER, photo("PHOTO-REPORTED", "Look at this"))
    await bot.press(ASKER, warning, "Send")
    [question] = await bot.deliver()
    await bot.press(HELPER, question, "Report")
    mark = len(bot.api.calls)
    await bot.send(ADMIN, "/moderation")
    shown = [c for c in bot.api.calls[mark:] if c.chat_id == ADMIN.id]
    assert [(c.method, c.params.get("photo")) for c in shown] == [
        ("sendPhoto", "PHOTO-REPORTED"),
        ("sendMessage", None),
    ]
    assert "Look at this" in shown[-1].text and "Hide" in dict(shown[-1].buttons)


async def test_the_caption_finds_answered_questions_before_the_photo_goes_out(bot):
    await make_helper(bot, HELPER, ["en"], [])
    await topic(bot, OTHER)
    await bot.send(OTHER, "How do I pay back zorgtoeslag?")
    [question] = await bot.deliver()
    await bot.press(HELPER, question, "Answer")
    await bot.send(HELPER, "Use the Mijn toeslagen page.")
    [answer] = await bot.deliver()
    close = (await bot.press(OTHER, answer, "Close the question"))[-1]
    await bot.press(OTHER, close, "Yes, share it without my name")

    await topic(bot)
    [warning] = await bot.send_content(ASKER, photo("PHOTO-TOESLAG", "A zorgtoeslag letter"))
    [similar] = [c for c in await bot.press(ASKER, warning, "Send") if c.method == "sendMessage"]
    assert "How do I pay back zorgtoeslag?" in similar.text
    assert [label for label, _ in similar.buttons] == ["This answers it", "Ask anyway"]
    assert await bot.deliver() == []  # not sent yet
    await bot.press(ASKER, similar, "This answers it")
    assert await file_ids(bot) == []  # the draft, and its photo, are not kept
