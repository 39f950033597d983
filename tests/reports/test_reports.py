"""Impact reports against a seeded community (see seed.py for where each figure comes from)."""

import csv
import io

import pytest

from bot.local_api import LocalUser
from tests.harness import ADMIN
from tests.questions.test_questions import ask, make_helper
from tests.reports import seed
from tests.reports.pictures import keep_pictures
from tests.reports.seed import HELPER, KEY_PERSON, NEWCOMER

GROUP = -100777


@pytest.fixture
async def community(bot):
    await seed.seed_community(bot.runtime.db)
    return bot


def calls_since(bot, mark: int, chat_id: int, method: str) -> list:
    return [c for c in bot.api.calls[mark:] if c.method == method and c.chat_id == chat_id]


async def run(bot, user: LocalUser, text: str):
    """Send a command; returns (messages, documents, photos) the bot sent back."""
    mark = len(bot.api.calls)
    await bot.send(user, text)
    return (
        calls_since(bot, mark, user.id, "sendMessage"),
        calls_since(bot, mark, user.id, "sendDocument"),
        calls_since(bot, mark, user.id, "sendPhoto"),
    )


def file_of(call) -> tuple[str, bytes]:
    [(filename, content)] = call.files.values()
    return filename, content


def csv_rows(call) -> list[list[str]]:
    _name, content = file_of(call)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for spreadsheets
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


async def test_last_month_with_exact_figures(community):
    [message], [table], [chart] = await run(community, ADMIN, "/report 2026-11")
    assert message.text == "\n".join(
        [
            "📊 Impact report: November 2026",
            "",
            "☕ Language cafés",
            "Cafés held: 2",
            "Sign-ups: 17",
            "Attended (checked in): 14",
            "Unique attendees: 12",
            "Returning attendees: 5",
            "No-shows: <5",
            "",
            "💬 How people felt after the café",
            "Nobody answered the morning-after question in this period.",
            "",
            "🗣 Languages of the people who came (the language they use me in)",
            "العربية: 6",
            "Nederlands: 5",
            "Other or unknown languages: <5",
            "",
            "❓ Questions",
            "Questions asked: 9",
            "Questions answered: 5",
            "Median time to a first answer: 3 hours",
            "Answered by a key person: 40%",
            "",
            "💡 Tips shared: 6",
            "",
            "🔥 Topics in demand",
            "Housing: 5",
            "Work and money: <5",
            "Health: <5",
            "Other: <5",
            "Themes to offer at the next cafés: Housing · Work and money · Health",
            "",
            "Counts from 1 to 4 are shown as “<5”, so that nobody can be singled out.",
        ]
    )
    assert file_of(table)[0] == "impact-2026-11.csv"
    filename, png = file_of(chart)
    assert filename == "impact-2026-11.png"
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.text == "Attendance and questions, month by month."


async def test_a_language_with_fewer_than_5_people_is_not_named(community):
    [message], [table], _photos = await run(community, ADMIN, "/report 2026-11")
    assert "ትግርኛ" not in message.text  # one Tigrinya speaker came: pooled, never named
    assert "ትግርኛ" not in file_of(table)[1].decode("utf-8-sig")


async def test_the_csv_holds_every_figure_with_small_counts_suppressed(community):
    _messages, [table], _photos = await run(community, ADMIN, "/report 2026-11")
    assert csv_rows(table) == [
        ["Period", "Measure", "Detail", "Value"],
        ["2026-11", "Cafés held", "", "2"],
        ["2026-11", "Sign-ups", "", "17"],
        ["2026-11", "Attended (checked in)", "", "14"],
        ["2026-11", "Unique attendees", "", "12"],
        ["2026-11", "Returning attendees", "", "5"],
        ["2026-11", "No-shows", "", "<5"],
        ["2026-11", "Questions asked", "", "9"],
        ["2026-11", "Questions answered", "", "5"],
        ["2026-11", "Median hours to a first answer", "", "3.0"],
        ["2026-11", "Answered by a key person (%)", "", "40"],
        ["2026-11", "Tips shared", "", "6"],
        ["2026-11", "People who came, by language", "العربية", "6"],
        ["2026-11", "People who came, by language", "Nederlands", "5"],
        ["2026-11", "People who came, by language", "Other or unknown languages", "<5"],
        ["2026-11", "Questions by topic", "Housing", "5"],
        ["2026-11", "Questions by topic", "Work and money", "<5"],
        ["2026-11", "Questions by topic", "Health", "<5"],
        ["2026-11", "Questions by topic", "Other", "<5"],
    ]


async def test_a_quarter_has_month_rows_and_counts_returning_within_the_period(community):
    [message], [table], [chart] = await run(community, ADMIN, "/report 2026-q4")
    assert message.text.startswith(
        "📊 Impact report: Oct\u2009–\u2009Dec 2026\n"
        "The period is not over: figures up to 01/12/2026, 10:00."
    )
    # P5 came in November and again on 1 December, earlier in the same quarter: returning.
    assert "Unique attendees: 12\nReturning attendees: 6\n" in message.text
    rows = csv_rows(table)
    assert ["2026-Q4", "Cafés held", "", "4"] in rows
    assert ["2026-Q4", "Attended (checked in)", "", "20"] in rows
    assert ["2026-10", "Sign-ups", "", "6"] in rows
    assert ["2026-10", "Attended (checked in)", "", "5"] in rows
    assert ["2026-10", "No-shows", "", "<5"] in rows
    assert ["2026-11", "Returning attendees", "", "5"] in rows
    assert ["2026-12", "Cafés held", "", "1"] in rows  # the café on the 8th is still to come
    assert ["2026-12", "Questions asked", "", "<5"] in rows
    assert ["2026-12", "No-shows", "", "0"] in rows  # zero is shown as it is
    assert file_of(chart)[1].startswith(b"\x89PNG")


async def test_the_chart_draws_a_count_under_5_as_a_visible_bar_marked_under_5(
    community, monkeypatch
):
    pictures = keep_pictures(monkeypatch)
    await run(community, ADMIN, "/report 2026-Q4")
    [chart] = pictures
    # October, November, December: attended 5, 14, 1 (P5 at 00:30 on the 1st); asked 0, 9, <5
    assert chart.bars == [("5", 5), ("14", 14), ("<5", 5), ("0", 0), ("9", 9), ("<5", 5)]
    assert chart.texts.count("<5") == 2
    assert "Counts from 1 to 4 are shown as “<5”, so that nobody can be singled out." in (
        chart.texts
    )


async def test_aggregates_survive_retention_as_counts(community):
    [before], _docs, _photos = await run(community, ADMIN, "/report 2025-Q4")
    await community.runtime.privacy.apply_retention()
    [after], [table], [chart] = await run(community, ADMIN, "/report 2025-Q4")
    for figure in ["Cafés held: 2", "Sign-ups: 13", "Attended (checked in): 11", "No-shows: <5"]:
        assert figure in before.text
        assert figure in after.text
    assert "Unique attendees: 6\nReturning attendees: 5\n" in before.text
    # Who came to the October café is forgotten: the quarter counts the people of December,
    # and the people of October no longer count as having come before.
    assert "Unique attendees: 6\nReturning attendees: 0\n" in after.text
    assert (
        "Unique and returning attendees and languages are not known for October 2025: the "
        "sign-ups of older cafés are kept only as counts."
    ) in after.text
    rows = csv_rows(table)
    assert ["2025-10", "Attended (checked in)", "", "5"] in rows
    assert not [row for row in rows if row[0] == "2025-10" and row[1] == "Unique attendees"]
    assert ["2025-12", "Unique attendees", "", "6"] in rows
    assert file_of(chart)[1].startswith(b"\x89PNG")


async def test_no_name_and_no_id_in_any_report_file(community):
    await community.runtime.privacy.apply_retention()
    for period in ("", " 2026-11", " 2026-Q4", " 2026", " 2025"):
        messages, [table], [chart] = await run(community, ADMIN, "/report" + period)
        texts = "\n".join(m.text for m in messages) + table.text + chart.text
        contents = {"text": texts.encode(), "csv": file_of(table)[1], "png": file_of(chart)[1]}
        for kind, content in contents.items():
            for secret in [*seed.every_name(), seed.CAFE_TITLE, seed.CAFE_PLACE, "Wilhelmintje"]:
                assert secret.encode() not in content, (period, kind, secret)
            for user_id in seed.every_id():
                assert str(user_id).encode() not in content, (period, kind, user_id)
            assert b"700000" not in content and b"700001" not in content, (period, kind)


async def test_bad_and_future_periods_get_examples(community):
    for text in ("/report november", "/report 2026-13", "/report 26-11", "/report 2026-Q5"):
        messages, documents, photos = await run(community, ADMIN, text)
        assert [m.text for m in messages] == [
            "I did not understand that period. Write a month, a quarter or a year, for "
            "example: /report 2026-11, /report 2026-Q4, /report 2026"
        ], text
        assert not documents and not photos
    [message], _docs, _photos = await run(community, ADMIN, "/report 2027")
    assert message.text == (
        "That period has not begun yet. For example: /report 2026-11, /report 2026-Q4, /report 2026"
    )


async def test_only_organisers_get_reports(community):
    for user in (NEWCOMER, HELPER, KEY_PERSON):
        t = community.runtime.translators[user.language_code]
        messages, documents, photos = await run(community, user, "/report 2026-11")
        assert [m.text for m in messages] == [t.gettext("Only organisers can see impact reports.")]
        assert not documents and not photos
    # In a group, nobody gets figures: the bot points to a private chat.
    mark = len(community.api.calls)
    await community.send(ADMIN, "/report", chat_id=GROUP)
    sent = [c for c in community.api.calls[mark:] if c.chat_id == GROUP]
    assert [c.method for c in sent] == ["sendMessage"]
    assert sent[0].text.startswith("Please write to me in a private chat")


async def test_help_lists_the_commands_for_their_people(community):
    t = community.runtime.translators[HELPER.language_code]
    [organiser_help], _d, _p = await run(community, ADMIN, "/help")
    [helper_help], _d, _p = await run(community, HELPER, "/help")
    [newcomer_help], _d, _p = await run(community, NEWCOMER, "/help")
    assert "/report — Impact report: cafés, questions, tips" in organiser_help.text
    mine = t.gettext("Your contribution, as a statement to show")
    assert f"/myimpact — {mine}" in helper_help.text
    assert "/report " not in helper_help.text
    assert "/myimpact" not in newcomer_help.text and "/report " not in newcomer_help.text


async def test_myimpact_for_a_helper(community):
    t = community.runtime.translators[HELPER.language_code]  # Dutch
    [message], [card], photos = await run(community, HELPER, "/myimpact 2026-11")
    assert message.text == "\n".join(
        [
            "🙌 " + t.gettext("Your contribution: {period}").format(period="november 2026"),
            "",
            t.ngettext(
                "You answered {count} question.", "You answered {count} questions.", 4
            ).format(count=4),
            t.ngettext(
                "{count} of your answers was marked as helpful by the person who asked.",
                "{count} of your answers were marked as helpful by the people who asked.",
                2,
            ).format(count=2),
            t.ngettext(
                "You hosted {count} language café.", "You hosted {count} language cafés.", 1
            ).format(count=1),
            "",
            t.gettext("Thank you!"),
        ]
    )
    filename, png = file_of(card)
    assert filename == "contribution-2026-11.png"
    assert png.startswith(b"\x89PNG")
    assert card.text == t.gettext("A statement you can show to a municipality or an employer.")
    assert not photos


async def test_myimpact_for_a_key_person_counts_going_along(community):
    t = community.runtime.translators[KEY_PERSON.language_code]  # Tigrinya

    def going_along(count: int) -> str:
        return t.ngettext(
            "You took on {count} request to go along to an appointment.",
            "You took on {count} requests to go along to an appointment.",
            count,
        ).format(count=count)

    [message], [card], _photos = await run(community, KEY_PERSON, "/myimpact 2026-11")
    lines = message.text.splitlines()
    assert lines[2] == t.ngettext(
        "You answered {count} question.", "You answered {count} questions.", 2
    ).format(count=2)
    assert lines[4] == going_along(2)
    assert lines[5] == t.ngettext(
        "You hosted {count} language café.", "You hosted {count} language cafés.", 1
    ).format(count=1)
    assert file_of(card)[1].startswith(b"\x89PNG")
    [message], _cards, _photos = await run(community, KEY_PERSON, "/myimpact 2026")
    assert going_along(3) in message.text.splitlines()  # one in October, two in November
    assert message.text.splitlines()[1].startswith(
        t.gettext("The period is not over: figures up to {date}.").split("{date}")[0]
    )


async def test_myimpact_is_for_helpers_and_key_persons(community):
    for user in (NEWCOMER, ADMIN):
        messages, documents, _photos = await run(community, user, "/myimpact")
        assert [m.text for m in messages] == [
            "/myimpact is for helpers and key persons: it shows the questions they answered "
            "and the people they went along with."
        ]
        assert not documents
    [message], documents, _photos = await run(community, NEWCOMER, "/report later")
    assert message.text == "Only organisers can see impact reports."  # refused before parsing
    t = community.runtime.translators[HELPER.language_code]
    [message], documents, _photos = await run(community, HELPER, "/myimpact later")
    assert message.text == t.gettext(
        "I did not understand that period. Write a month, a quarter or a year, "
        "for example: {examples}"
    ).format(examples="/myimpact 2026-11, /myimpact 2026-Q4, /myimpact 2026")
    assert not documents


async def test_without_a_period_the_current_month_so_far_and_it_says_so(community):
    [message], _tables, _charts = await run(community, ADMIN, "/report")
    first, second = message.text.splitlines()[:2]
    assert first == "📊 Impact report: December 2026"
    assert second.startswith("The period is not over: figures up to")


async def test_a_helper_who_answered_today_sees_it_without_a_period(bot):
    helper, asker = LocalUser(310, "Hanna", "en"), LocalUser(311, "Asker", "en")
    await make_helper(bot, helper, ["en"], ["daily"])
    await ask(bot, asker, "daily", "Where do I find a cheap bike?")
    [question] = await bot.deliver()
    await bot.press(helper, question, "Answer")
    await bot.send(helper, "At the Saturday market.")
    [message], _cards, _photos = await run(bot, helper, "/myimpact")
    assert "You answered 1 question." in message.text.splitlines()
