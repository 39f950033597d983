"""The example story from start to end: what each of the five people saw."""

import io
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from PIL import Image

from bot.i18n import Translators
from tests.console.helpers import play, seen_by

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "first-evening.txt"
ORGANISER, AMIRA, TESFAY, HELPER, KEY_PERSON = 1, 10, 11, 20, 30


async def test_the_first_evening_plays_from_start_to_end(settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    transcript = await play(settings, SCRIPT.read_text(encoding="utf-8"), fresh=True)
    translators = Translators(ZoneInfo("Europe/Amsterdam"))
    ar, ti = translators["ar"].gettext, translators["ti"].gettext
    # The script matches the bot: every press found its button, every command its arguments.
    slips = ("you have no button", "no longer there", "usage:", "is not one of your links")
    for slip in slips:
        assert slip not in transcript
    seen = seen_by(transcript)

    organiser = seen[ORGANISER]
    assert "The café is created." in organiser
    assert "Their new role: helper." in organiser and "Their new role: key person." in organiser
    assert "Cafés held: 1" in organiser and "Attended (checked in): <5" in organiser
    assert "[photo: console-files/" in organiser and "check-in.png]" in organiser

    helper = seen[HELPER]
    assert "❓ A question" in helper and "كيف أجد غرفة للإيجار في تيل؟" in helper
    assert "Sent. Thank you for helping!" in helper

    amira = seen[AMIRA]
    assert "Kijk op huurwoningen.nl" in amira  # the helper's answer, relayed
    assert ar("Your question is closed. Thank you!") in amira
    assert ar("You have a seat! See you there.") in amira
    assert "Hoogeinde 12" in amira  # Tesfay's tip, found near her location

    tesfay = seen[TESFAY]
    assert "Praattafel maart" in tesfay
    assert ti("Good news: a seat came free, and it is yours!") in tesfay
    assert "huisarts near your home" in tesfay  # the key person's answer
    assert ti("Reminder: you have a seat at this language café.") in tesfay
    assert ti("Welcome! You are checked in.") in tesfay

    assert "ናብ ሓኪም ገዛ ብኸመይ ክምዝገብ እኽእል?" in seen[KEY_PERSON]

    folder = settings.database_path.parent / "console-files"
    # Amira's, with her seat, and Tesfay's, with the seat that came free
    calendars = sorted(folder.glob("*-cafe.ics"))
    assert len(calendars) == 2
    for calendar in calendars:
        assert icalendar.Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
    for picture in folder.glob("*.png"):
        Image.open(io.BytesIO(picture.read_bytes())).verify()
    assert len(list(folder.glob("*-impact-2035-03.*"))) == 2  # the CSV and the chart
