"""The rules behind reports, without the bot: periods, small counts, medians, what can be drawn."""

from datetime import UTC, date, datetime

import pytest

from bot.local_api import LocalUser
from bot.reports import files
from bot.reports.service import Period, PeriodError, median, parse_period, suppressed
from tests.reports.seed import AMSTERDAM, add_user, at

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, Period(2026, 12, 1)),  # this month, so far: today's work counts
        ("", Period(2026, 12, 1)),
        ("2026-11", Period(2026, 11, 1)),
        ("2026-3", Period(2026, 3, 1)),
        ("2026-Q4", Period(2026, 10, 3)),
        ("2026q1", Period(2026, 1, 3)),
        ("2025", Period(2025, 1, 12)),
        (" 2026-12 ", Period(2026, 12, 1)),  # this month, so far
    ],
)
def test_periods_are_months_quarters_or_years(text, expected):
    assert parse_period(text, TODAY) == expected


def test_without_a_period_on_the_first_of_january_it_is_january_so_far():
    assert parse_period(None, date(2027, 1, 1)) == Period(2027, 1, 1)


@pytest.mark.parametrize("text", ["november", "2026-13", "2026-0", "26-11", "2026-Q5", "1999"])
def test_unreadable_periods(text):
    with pytest.raises(PeriodError) as raised:
        parse_period(text, TODAY)
    assert raised.value.reason == "unreadable"


@pytest.mark.parametrize("text", ["2027", "2027-01", "2027-Q1"])
def test_periods_that_have_not_begun(text):
    with pytest.raises(PeriodError) as raised:
        parse_period(text, TODAY)
    assert raised.value.reason == "not_begun"


def test_codes_and_months():
    quarter = Period(2026, 10, 3)
    assert quarter.code == "2026-Q4"
    assert [m.code for m in quarter.months()] == ["2026-10", "2026-11", "2026-12"]
    assert Period(2026, 1, 12).months()[-1].code == "2026-12"
    assert Period(2026, 12, 1).day_after == date(2027, 1, 1)


def test_months_begin_at_midnight_in_the_community_time_zone():
    start, end = Period(2026, 3, 1).bounds(AMSTERDAM)
    assert datetime.fromtimestamp(start, UTC) == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert datetime.fromtimestamp(end, UTC) == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # summer
    assert (start, end) == (at(2026, 3, 1, 0), at(2026, 4, 1, 0))


def test_counts_from_1_to_4_are_suppressed_and_0_is_not():
    assert [suppressed(n) for n in range(7)] == [False, True, True, True, True, False, False]


def test_median():
    assert median([]) is None
    assert median([8, 1, 3]) == 3
    assert median([1, 2, 3, 5]) == 2.5


def test_what_the_pictures_can_draw():
    assert files.drawable("Questions asked: <5 · Nederlands, Українська, Türkçe, Soomaali")
    assert files.drawable("العربية", rtl=True)  # joined, right to left (lettering)
    assert files.drawable("پرسش‌هایی", rtl=True)  # Persian letters and the ZWNJ
    assert files.drawable("ትግርኛ")  # Ge'ez letters, from the shipped Ethiopic font
    assert not files.drawable("美玲")  # no font of the bot has Chinese
    assert not files.drawable("Amira 🙂")


async def test_a_name_that_cannot_be_drawn_is_left_off_the_statement(bot):
    amina = LocalUser(700000201, "美玲", "en")
    async with bot.runtime.db.transaction() as conn:
        await add_user(conn, amina.id, amina.first_name, "en", "en", "helper")
    await bot.send(amina, "/myimpact")
    [card] = [c for c in bot.api.calls if c.method == "sendDocument" and c.chat_id == amina.id]
    assert card.text == (
        "A statement you can show to a municipality or an employer.\n"
        "I could not write your name in the picture: please add it yourself."
    )


def test_a_count_shown_as_under_5_is_a_visible_bar_marked_as_a_range():
    assert files.chart_bars([0, 3, 12]) == [(0, False), (5, True), (12, False)]
