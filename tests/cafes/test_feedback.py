"""After the café: those checked in are asked the next morning, in one tap; /report counts the
answers with counts under 5 shown as "<5", and a word someone wrote only when 5 wrote it."""

import csv
import io

from bot.db import fetchall
from tests.cafes.helpers import ORGANISER, create_cafe, newcomers
from tests.harness import AMIRA
from tests.reports.pictures import keep_pictures


async def identify(bot, user):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def a_cafe_where_people_came(bot, came: int = 6):
    """`came` newcomers checked in on 8 December, one more signed up and stayed away."""
    cafe = await create_cafe(bot)
    people = newcomers(came + 1)
    for user in people:
        await bot.runtime.cafes.sign_up(await identify(bot, user), cafe.id)
    bot.clock.advance(days=7, hours=9, minutes=30)  # 8 December 19:30 in Amsterdam
    for user in people[:came]:
        await bot.runtime.cafes.self_check_in(
            await identify(bot, user), cafe.id, cafe.checkin_token
        )
    return cafe, people[:came], people[came]


async def ask(bot) -> list:
    await bot.runtime.cafes.feedback.ask_due()
    return await bot.deliver()


async def test_those_who_came_are_asked_the_next_morning_once(bot):
    _cafe, came, stayed_away = await a_cafe_where_people_came(bot)
    bot.clock.advance(hours=13, minutes=29)  # 9 December 8:59 in Amsterdam
    assert await ask(bot) == []
    bot.clock.advance(minutes=1)
    asked = await ask(bot)
    assert sorted(call.chat_id for call in asked) == sorted(user.id for user in came)
    assert stayed_away.id not in [call.chat_id for call in asked]
    assert asked[0].text == "Thank you for coming to Praattafel december! How was it?"
    assert [label for label, _ in asked[0].buttons] == ["🙂", "😐", "🙁"]
    bot.clock.advance(hours=1)
    assert await ask(bot) == []  # not twice
    bot.clock.advance(days=3)
    assert await ask(bot) == []


async def answer(bot, user, asked, face: str, theme: str | None = None, word: str | None = None):
    replies = await bot.press(user, asked, face)
    question = replies[-1]
    assert question.text.startswith("Thank you! What shall we talk about next time?")
    if theme is not None:
        return (await bot.press(user, question, theme))[-1]
    if word is not None:
        return (await bot.send(user, word))[-1]
    return question


async def test_answers_are_counted_in_the_report_with_small_counts_hidden(bot):
    await a_cafe_where_people_came(bot, came=7)
    bot.clock.advance(hours=13, minutes=30)
    asked = {call.chat_id: call for call in await ask(bot)}
    people = newcomers(7)
    for user in people[:5]:
        thanks = await answer(bot, user, asked[user.id], "🙂", theme="Housing")
        assert thanks.text == "Thank you! The organisers will see it, without your name."
    await answer(bot, people[5], asked[people[5].id], "🙁", theme="Work and money")
    await answer(bot, people[6], asked[people[6].id], "😐", word="Cooking together")
    [report, *_files] = await bot.send(ORGANISER, "/report 2026-12")
    assert "💬 How people felt after the café\n🙂 5 😐 <5 🙁 <5" in report.text
    assert "Asked for next time: Housing 5 · Work and money <5" in report.text
    assert "Cooking" not in report.text  # one person's own words are not on a report


def csv_rows(document) -> list[list[str]]:
    [(_filename, content)] = document.files.values()
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


async def test_answers_are_in_the_csv_and_the_chart_with_small_counts_as_under_5(bot, monkeypatch):
    await a_cafe_where_people_came(bot, came=7)
    bot.clock.advance(hours=13, minutes=30)
    asked = {call.chat_id: call for call in await ask(bot)}
    people = newcomers(7)
    for user in people[:5]:
        await answer(bot, user, asked[user.id], "🙂", theme="Housing")
    await answer(bot, people[5], asked[people[5].id], "🙁", theme="Work and money")
    await answer(bot, people[6], asked[people[6].id], "😐", word="Cooking together")
    pictures = keep_pictures(monkeypatch)
    mark = len(bot.api.calls)
    [_report, table] = await bot.send(ORGANISER, "/report 2026-12")
    rows = csv_rows(table)
    feedback = [row for row in rows if row[1] in ("How people felt after the café",
                                                   "Asked for next time")]  # fmt: skip
    assert feedback == [
        ["2026-12", "How people felt after the café", "Good", "5"],
        ["2026-12", "How people felt after the café", "Okay", "<5"],
        ["2026-12", "How people felt after the café", "Not good", "<5"],
        ["2026-12", "Asked for next time", "Housing", "5"],
        ["2026-12", "Asked for next time", "Work and money", "<5"],
    ]
    assert not any("Cooking" in "".join(row) for row in rows)  # one person's own words
    [photo] = [c for c in bot.api.calls[mark:] if c.method == "sendPhoto"]
    [chart] = pictures
    for label in ("How people felt after the café", "Good", "Okay", "Not good",
                  "Asked for next time", "Housing", "Work and money"):  # fmt: skip
        assert label in chart.texts, label
    assert not [text for text in chart.texts if "Cooking" in text]
    # Good 5, okay 1, not good 1, housing 5, work 1: a "<5" is a visible bar, 5 high, marked
    feedback_bars = chart.bars[-5:]
    assert feedback_bars == [("5", 5), ("<5", 5), ("<5", 5), ("5", 5), ("<5", 5)]
    [(_filename, png)] = photo.files.values()
    assert png == chart.png and png.startswith(b"\x89PNG")


async def test_own_words_in_the_csv_are_never_a_formula(bot):
    await a_cafe_where_people_came(bot, came=5)
    bot.clock.advance(hours=13, minutes=30)
    asked = {call.chat_id: call for call in await ask(bot)}
    for user in newcomers(5):
        await answer(bot, user, asked[user.id], "🙂", word="=HYPERLINK(1)")
    [_report, table] = await bot.send(ORGANISER, "/report 2026-12")
    assert ["2026-12", "Asked for next time", "'=hyperlink(1)", "5"] in csv_rows(table)


async def test_a_second_tap_changes_the_answer_and_forged_presses_are_refused(bot):
    cafe, came, stayed_away = await a_cafe_where_people_came(bot, came=1)
    bot.clock.advance(hours=13, minutes=30)
    [asked] = await ask(bot)
    await bot.press(came[0], asked, "🙂")
    await bot.press(came[0], asked, "🙁")
    rows = await fetchall(bot.runtime.db.reader, "SELECT user_id, mood FROM cafe_feedback")
    assert [tuple(row) for row in rows] == [(came[0].id, "bad")]
    for user, data in (
        (stayed_away, f"1|cafe_fb|{cafe.id}|good"),  # signed up, but did not come
        (came[0], f"1|cafe_fb|{cafe.id}|great"),
        (came[0], "1|cafe_fb|x|good"),
        (stayed_away, f"1|cafe_theme|{cafe.id}|housing"),  # no answer to follow up
        (came[0], f"1|cafe_theme|{cafe.id}|politics"),
    ):
        [refused] = await bot.press_data(user, asked, data)
        assert refused.params["text"] == "This button has expired.", data
    [too_long] = await bot.send(came[0], "x" * 61)
    assert too_long.text.startswith("A word or two, please (up to 60 letters)")


async def test_feedback_is_in_my_data_and_own_words_go_with_an_erasure(bot):
    cafe = await create_cafe(bot)
    amira = await identify(bot, AMIRA)
    await bot.runtime.cafes.sign_up(amira, cafe.id)
    bot.clock.advance(days=7, hours=9, minutes=30)
    await bot.runtime.cafes.self_check_in(amira, cafe.id, cafe.checkin_token)
    bot.clock.advance(hours=13, minutes=30)
    [asked] = await ask(bot)
    await bot.press(AMIRA, asked, "🙂")
    await bot.send(AMIRA, "Dutch songs")
    data = await bot.runtime.privacy.export(amira)
    assert [(f["mood"], f["theme_word"]) for f in data["cafe_feedback"]] == [
        ("good", "Dutch songs")
    ]
    await bot.runtime.privacy.erase(amira)
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT user_id, mood, theme_word FROM cafe_feedback"
    )
    assert [tuple(row) for row in rows] == [(None, "good", None)]


async def test_after_two_weeks_an_answer_is_kept_without_who_gave_it(bot):
    _cafe, came, _stayed_away = await a_cafe_where_people_came(bot, came=1)
    bot.clock.advance(hours=13, minutes=30)
    [asked] = await ask(bot)
    await bot.press(came[0], asked, "😐")
    bot.clock.advance(days=15)
    await ask(bot)
    rows = await fetchall(bot.runtime.db.reader, "SELECT user_id, mood FROM cafe_feedback")
    assert [tuple(row) for row in rows] == [(None, "okay")]


async def test_own_words_with_dollars_are_drawn_as_words(bot, monkeypatch):
    await a_cafe_where_people_came(bot, came=5)
    bot.clock.advance(hours=13, minutes=30)
    asked = {call.chat_id: call for call in await ask(bot)}
    for user in newcomers(5):
        await answer(bot, user, asked[user.id], "🙂", word="$$ rent $$")  # math, to matplotlib
    pictures = keep_pictures(monkeypatch)
    mark = len(bot.api.calls)
    await bot.send(ORGANISER, "/report 2026-12")
    assert [c.method for c in bot.api.calls[mark:]].count("sendPhoto") == 1
    [chart] = pictures
    assert "$$ rent $$" in chart.texts
