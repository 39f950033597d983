"""Reminders: the day before and two hours before, from the database, with "I can't come"."""

from collections import Counter

from bot.db import fetchall
from tests.cafes.helpers import create_cafe
from tests.harness import AMIRA, BRAM, bot_harness


async def person(bot, user):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def remind(bot) -> list:
    job = bot.app.job_queue.get_jobs_by_name("cafe-reminders")[0]
    await job.run(bot.app)
    return await bot.deliver()


async def test_reminders_come_the_day_before_and_two_hours_before_once_each(bot):
    cafe = await create_cafe(bot)  # 8 December 19:00 Amsterdam; the clock says 1 December
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    assert await remind(bot) == []
    bot.clock.advance(days=6, hours=9, minutes=1)  # 7 December 18:01 UTC: 24 h before
    [day_before] = await remind(bot)
    arabic = bot.runtime.translators["ar"].gettext
    assert day_before.chat_id == AMIRA.id
    assert day_before.text.startswith(arabic("Reminder: you have a seat at this language café."))
    assert day_before.buttons == [(arabic("I can't come"), f"1|cafe_cant|{cafe.id}")]
    assert await remind(bot) == []  # not twice
    bot.clock.advance(hours=22)  # 8 December 16:01 UTC: two hours before
    [two_hours] = await remind(bot)
    assert two_hours.chat_id == AMIRA.id
    bot.clock.advance(hours=3)  # started
    assert await remind(bot) == []


async def test_i_cant_come_frees_the_seat_for_the_waitlist(bot):
    cafe = await create_cafe(bot, seats="1")
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    await bot.runtime.cafes.sign_up(await person(bot, BRAM), cafe.id)
    bot.clock.advance(days=6, hours=9, minutes=1)
    [reminder] = await remind(bot)
    replies = await bot.press_data(AMIRA, reminder, reminder.buttons[0][1])
    arabic = bot.runtime.translators["ar"].gettext
    assert replies[-1].text.startswith(arabic("Give up your seat?"))
    replies = await bot.press(AMIRA, replies[-1], arabic("Yes, give up my seat"))
    assert replies[-1].text == bot.runtime.translators["ar"].gettext(
        "Your place is cancelled. Thank you for telling us: someone waiting gets it now."
    )
    [promoted] = await bot.deliver()
    assert promoted.chat_id == BRAM.id


async def test_reminders_missed_during_a_restart_go_out_late_only_before_the_start(settings):
    async with bot_harness(settings) as bot:
        cafe = await create_cafe(bot)
        await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
        await bot.runtime.cafes.sign_up(await person(bot, BRAM), cafe.id)
        clock = bot.clock
    # The bot was down through the day-before moment; it comes back 3 hours before.
    clock.advance(days=7, hours=6)
    async with bot_harness(settings, clock=clock) as restarted:
        sent = await remind(restarted)
        assert Counter(call.chat_id for call in sent) == Counter({AMIRA.id: 1, BRAM.id: 1})
        # only the latest due reminder, not both
        keys = await fetchall(restarted.runtime.db.reader, "SELECT dedupe_key FROM outbox")
        assert all(key[0].endswith(":24") for key in keys)
    clock.advance(hours=5)  # the café has started: nothing late after that
    async with bot_harness(settings, clock=clock) as later:
        assert await remind(later) == []


async def test_waitlisted_people_get_no_reminder(bot):
    cafe = await create_cafe(bot, seats="1")
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    await bot.runtime.cafes.sign_up(await person(bot, BRAM), cafe.id)
    bot.clock.advance(days=6, hours=9, minutes=1)
    assert [call.chat_id for call in await remind(bot)] == [AMIRA.id]
