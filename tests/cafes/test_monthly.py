"""Monthly cafés: when one ends, the next (same nth weekday) is made and the organiser told."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cafes.parsing import same_weekday_next_month
from bot.db import fetchall
from tests.cafes.helpers import ORGANISER, create_cafe

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_the_same_nth_weekday_next_month_keeps_the_local_time_across_dst():
    second_tuesday = datetime(2027, 3, 9, 19, 0, tzinfo=AMSTERDAM)  # before summer time
    assert same_weekday_next_month(second_tuesday) == datetime(2027, 4, 13, 19, 0, tzinfo=AMSTERDAM)


def test_a_fifth_weekday_becomes_the_last_one_of_a_shorter_month():
    fifth_tuesday = datetime(2026, 12, 29, 19, 0, tzinfo=AMSTERDAM)
    assert same_weekday_next_month(fifth_tuesday) == datetime(2027, 1, 26, 19, 0, tzinfo=AMSTERDAM)


async def run_job(bot) -> list:
    job = bot.app.job_queue.get_jobs_by_name("cafe-monthly")[0]
    await job.run(bot.app)
    return await bot.deliver()


async def test_a_monthly_cafe_that_ended_gets_its_successor_once(bot):
    await create_cafe(bot, extra=" | | | monthly")
    assert await run_job(bot) == []
    bot.clock.advance(days=8)  # 9 December: it has ended
    [told] = await run_job(bot)
    assert told.chat_id == ORGANISER.id
    assert told.text.startswith("The next monthly language café is ready:")
    assert await run_job(bot) == []
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT id, starts_at, monthly, followed_by FROM cafes ORDER BY id"
    )
    assert [tuple(row) for row in rows] == [(1, 1796752800, 1, 2), (2, 1799776800, 1, None)]


async def test_a_cancelled_monthly_cafe_does_not_continue(bot):
    cafe = await create_cafe(bot, extra=" | | | monthly")
    organiser = await bot.runtime.people.identify(ORGANISER.id, ORGANISER.first_name)
    await bot.runtime.cafes.cancel_cafe(organiser, cafe.id)
    bot.clock.advance(days=8)
    assert await run_job(bot) == []
