"""The console as one person playing every part: typing, pressing, files, places, time."""

import json
import sqlite3
import struct
import zlib
from pathlib import Path

from tests.console.helpers import buttons, play, seen_by
from tests.questions.files import TAGS, pdf_with_author

START_AS_ENGLISH = "/start\n#2\n#10\n"  # language English, no news
CAFE = "/newcafe 2035-03-06 19:00 | Bibliotheek Tiel, Koornmarkt 1 | 12 | Praattafel maart\n"


def png(path: Path) -> Path:
    """The smallest real PNG: one white pixel."""
    row = zlib.compress(b"\x00\xff\xff\xff")

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", row) + chunk(b"IEND", b"")
    )
    return path


async def test_a_typed_number_is_text_so_the_seats_step_takes_12(settings, tmp_path):
    script = START_AS_ENGLISH + "/newcafe\nPraattafel\n2035-03-06 19:00\nBibliotheek Tiel\n12\n"
    out = await play(settings, script)
    assert "For which language level? For example: A2–B1. Send - to skip." in out
    assert "no button" not in out


async def test_a_button_pressed_twice_or_taken_off_answers_as_telegram_would(settings):
    # The language buttons go when one is chosen: #4 is no longer on the screen.
    out = await play(settings, "/start\n#2\n#4\n#99\n")
    assert "(button #4 is no longer there: the bot changed that message since" in out
    assert "(you have no button #99; /console for help)" in out
    assert out.count("I will write to you in English.") == 1


async def test_a_reminder_that_came_meanwhile_can_be_pressed_after_as(settings, tmp_path):
    setup = START_AS_ENGLISH + CAFE + "/as 10 ar\n/start\n#3\n#10\n/cafes\n"
    out = await play(settings, setup)
    sign_up = buttons(seen_by(out)[10])["تسجيل"]
    script = f"{setup}#{sign_up}\n/as 1\n/clock 2035-03-05 19:30\n/as 10\n"
    out = await play(settings, script, fresh=True)
    organiser_view = out[out.index("> /clock") :]
    assert "(new messages for user 10 (1): /as <id> shows them)" in organiser_view
    amira = out[out.rindex("You are now user 10") :]
    [cannot_come] = [n for label, n in buttons(amira).items() if label == "لا أستطيع الحضور"]
    out = await play(settings, f"{script}#{cannot_come}\n", fresh=True)
    # A seat is never lost by one tap: she is asked first, then gives it up.
    [give_up] = [n for label, n in buttons(out).items() if label == "نعم، أتخلى عن مقعدي"]
    out = await play(settings, f"{script}#{cannot_come}\n#{give_up}\n", fresh=True)
    assert "إلغاء" in out[out.rindex(f"> #{give_up}") :]  # her seat is cancelled


async def test_files_are_saved_and_readable(settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = await play(settings, START_AS_ENGLISH + "/mydata\n/console\n")
    [line] = [line for line in out.splitlines() if line.startswith("[file: ")]
    path = tmp_path / line[len("[file: ") : line.index("]")]
    assert path.parent == tmp_path / "console-files" and path.name.endswith("-my-data.json")
    assert json.loads(path.read_text(encoding="utf-8"))
    assert f"Files the bot sends are saved in {tmp_path / 'console-files'}." in out


async def test_console_files_can_go_elsewhere(tmp_path, monkeypatch):
    from tests.harness import settings_for

    monkeypatch.chdir(tmp_path)
    settings = settings_for(tmp_path, console_files=tmp_path / "elsewhere")
    await play(settings, START_AS_ENGLISH + "/mydata\n")
    assert list((tmp_path / "elsewhere").glob("0001-my-data.json"))


async def test_a_photo_sent_with_a_tip_comes_back_as_the_same_file(settings, tmp_path):
    picture = png(tmp_path / "shop.png")
    script = START_AS_ENGLISH + "/as 10\n/start\n#2\n#10\n/tip\n#11\nThe shop sells injera.\n"
    out = await play(settings, script)
    photo = buttons(out)["📷 Photo"]
    script += f"#{photo}\n/photo {picture}\n"
    out = await play(settings, script, fresh=True)
    publish = buttons(out)["✅ Publish"]
    out = await play(settings, script + f"#{publish}\n/as 1\n/pendingtips\n", fresh=True)
    seen = seen_by(out)
    assert f"[photo: {picture}]" in seen[10]  # the draft, as its author sees it
    assert f"[photo: {picture}]" in seen[1]  # the same photo, to the organiser


async def test_a_location_finds_tips_nearby_and_bad_coordinates_are_refused(settings):
    out = await play(settings, START_AS_ENGLISH + "/location 51.88 5.43\n/location north\n")
    assert "No tips have a place within 5 km of there." in out
    assert "(usage: /location <latitude> <longitude>" in out
    out = await play(settings, "/location 95 5\n", fresh=True)
    assert "(a latitude is -90 to 90 and a longitude -180 to 180)" in out


async def test_a_voice_question_nobody_answers_reaches_the_organisers_after_two_days(
    settings, tmp_path
):
    voice = tmp_path / "question.ogg"
    voice.write_bytes(b"OggS" + bytes(4000))
    script = START_AS_ENGLISH + "/invite organiser\n/forward #11 5\n/as 5\n#1\n" + START_AS_ENGLISH
    script += "/as 10 ar\n/start\n#3\n#10\n/ask\n#12\n"
    script += f"/voice {voice}\n/as 5\n/clock +2d\n"
    out = await play(settings, script)
    organiser = out[out.rindex("> /clock +2d") :]
    assert f"[voice: {voice}]" in organiser
    assert "العربية" in organiser  # the language of the question
    assert "(the bot's clock: " in organiser and "2 d ahead of the real time)" in organiser


async def test_bad_console_commands_say_how_to_use_them(settings, tmp_path):
    script = "/clock -3h\n/photo\n/voice /no/such/file.ogg\n/as\n/forward 3\n/group\n"
    out = await play(settings, script)
    assert "(usage: /clock +30m, /clock +13h, /clock +2d" in out
    assert "(usage: /photo <path to a file> [caption])" in out
    assert "(there is no file at /no/such/file.ogg)" in out
    assert "(usage: /as <id> [lang]" in out
    assert "(usage: /forward #N <id>" in out
    assert "(usage: /group <text>" in out


async def test_group_chat_and_console_help(settings):
    out = await play(settings, "/group /cafes\n/console\n")
    assert "[group] " in out
    for command in ("/as", "/group", "/location", "/photo", "/voice", "/document", "/clock"):
        assert f"\n  {command} " in out


async def test_fresh_keeps_the_old_database_as_a_dated_copy(settings, tmp_path):
    await play(settings, START_AS_ENGLISH + "/as 7\n/start\n")
    out = await play(settings, "/help\n", fresh=True)
    [copy] = tmp_path.glob("landgenoot-*.sqlite3")
    assert f"the old one is kept as {copy}" in out
    with sqlite3.connect(copy) as old:
        assert old.execute("SELECT count(*) FROM users").fetchone()[0] == 2
    with sqlite3.connect(settings.database_path) as new:
        assert new.execute("SELECT count(*) FROM users").fetchone()[0] == 1  # only /help's


async def test_a_button_can_be_pressed_by_its_label(settings):
    out = await play(settings, '/start\n#"English"\n#"No"\n#"Nothing like this"\n')
    assert "I will write to you in English." in out
    assert "You will not get news. /subscribe starts it any time." in out  # "No, thanks"
    assert "(you have no button labelled 'Nothing like this')" in out


async def test_a_document_reaches_the_bot_and_help_in_the_group_is_for_groups(settings, tmp_path):
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4 a letter from the municipality")
    out = await play(settings, START_AS_ENGLISH + f"/document {letter}\n/group /help\n")
    answer = out[out.index("> /document") : out.index("> /group")]
    assert answer.count("\n") > 1  # the bot answered the file: nothing fails silently
    group = out[out.index("> /group") :]
    assert "[group] This is what you can do:" in group
    assert "/mydata" not in group and "/urgent" in group


async def test_a_letter_sent_with_a_question_comes_back_cleaned_to_the_console(settings, tmp_path):
    letter = tmp_path / "brief-Xandrilla.pdf"
    letter.write_bytes(pdf_with_author())
    out = await play(settings, START_AS_ENGLISH + "/ask\n#15\n" + f"/document {letter}\n")
    answer = out[out.index("> /document") :]
    assert "[file: " in answer and "document.pdf]" in answer
    assert "Helpers will see everything on this page." in answer
    [copy] = (settings.database_path.parent / "console-files").glob("*-document.pdf")
    assert not any(tag.encode() in copy.read_bytes() for tag in TAGS)
