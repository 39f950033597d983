"""Signing up: a seat or a waitlist place, never overbooked, freed seats go to the next."""

import asyncio

from bot.cafes import store
from bot.cafes.service import CancelOutcome, SignUpOutcome
from bot.db import fetchall
from bot.local_api import LocalUser
from tests.cafes.helpers import ORGANISER, button, create_cafe, make_host, newcomers
from tests.harness import AMIRA, BRAM


async def statuses(bot, cafe_id: int) -> list[tuple[int, str]]:
    rows = await fetchall(
        bot.runtime.db.reader,
        "SELECT user_id, status FROM signups WHERE cafe_id = ? ORDER BY id",
        (cafe_id,),
    )
    return [(row[0], row[1]) for row in rows]


async def test_cafes_lists_the_cafe_with_seats_left_and_sign_up(bot):
    cafe = await create_cafe(bot)
    [listing] = await bot.send(AMIRA, "/cafes")
    t = bot.runtime.translators["ar"]
    seats = t.ngettext("{count} seat left", "{count} seats left", 12).format(count=t.number(12))
    assert seats in listing.text
    assert "Bibliotheek Tiel, Koornmarkt 1" in listing.text
    assert [data for _label, data in listing.buttons] == [f"1|cafe_join|{cafe.id}|l"]


async def test_signing_up_confirms_with_details_and_a_calendar_file(bot):
    cafe = await create_cafe(bot)
    [listing] = await bot.send(BRAM, "/cafes")
    answer, confirmation = await bot.press_data(BRAM, listing, button(listing, "cafe_join"))
    assert answer.method == "answerCallbackQuery"
    t = bot.runtime.translators["nl"]
    # One message: the calendar file, with the confirmation and the café as its caption.
    assert confirmation.method == "sendDocument"
    assert confirmation.text.startswith(t.gettext("You have a seat! See you there."))
    assert "Bibliotheek Tiel, Koornmarkt 1" in confirmation.text
    assert confirmation.text.endswith(t.gettext("Add it to your calendar."))
    filename, content = next(iter(confirmation.files.values()))
    assert filename == "cafe.ics"
    assert b"SUMMARY:Praattafel december" in content
    assert b"DTSTART:20261208T180000Z" in content  # 19:00 in Amsterdam
    assert await statuses(bot, cafe.id) == [(BRAM.id, "confirmed")]


async def test_a_confirmation_too_long_for_a_caption_comes_whole_before_the_file(bot):
    description = "Wij praten over het weer, de buren en de markt. " * 20  # 960 characters
    await create_cafe(bot, extra=" | A2 | " + description.strip())
    [listing] = await bot.send(BRAM, "/cafes")
    _answer, confirmation, ics = await bot.press_data(BRAM, listing, button(listing, "cafe_join"))
    t = bot.runtime.translators["nl"]
    assert confirmation.method == "sendMessage"
    assert confirmation.text.startswith(t.gettext("You have a seat! See you there."))
    assert description.strip() in confirmation.text
    assert ics.method == "sendDocument"
    assert ics.text == t.gettext("Add it to your calendar.")


async def test_one_sign_up_per_person(bot):
    cafe = await create_cafe(bot)
    [listing] = await bot.send(BRAM, "/cafes")
    await bot.press_data(BRAM, listing, button(listing, "cafe_join"))
    replies = await bot.press_data(BRAM, listing, button(listing, "cafe_join"))
    t = bot.runtime.translators["nl"]
    assert replies[-1].text.startswith(t.gettext("You are already signed up for this café."))
    assert await statuses(bot, cafe.id) == [(BRAM.id, "confirmed")]


async def test_a_full_cafe_puts_people_on_the_waitlist_with_their_place(bot):
    cafe = await create_cafe(bot, seats="1")
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    [listing] = await bot.send(BRAM, "/cafes")
    assert bot.runtime.translators["nl"].gettext("Full: you can join the waitlist.") in listing.text
    replies = await bot.press_data(BRAM, listing, button(listing, "cafe_join"))
    t = bot.runtime.translators["nl"]
    expected = t.gettext(
        "This café is full. You are number {position} on the waitlist. If a seat comes "
        "free, it is yours automatically and I will tell you."
    ).format(position=1)
    assert replies[-1].text == expected


async def person(bot, user: LocalUser):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def test_fifty_at_once_for_ten_seats_gives_ten_seats_and_forty_waiting_in_order(bot):
    cafe = await create_cafe(bot, seats="10")
    people = [await person(bot, user) for user in newcomers(50)]
    results = await asyncio.gather(*(bot.runtime.cafes.sign_up(p, cafe.id) for p in people))
    outcomes = [result.outcome for result in results]
    assert outcomes == [SignUpOutcome.CONFIRMED] * 10 + [SignUpOutcome.WAITING] * 40
    assert [result.position for result in results[10:]] == list(range(1, 41))
    assert [user for user, _ in await statuses(bot, cafe.id)] == [p.id for p in people]


async def test_fifty_presses_through_the_bot_at_once_never_overbook(bot):
    cafe = await create_cafe(bot, seats="10")
    users = newcomers(50)
    [listing] = await bot.send(users[0], "/cafes")
    join = button(listing, "cafe_join")
    for user in users:
        await bot.app.update_queue.put(bot.updates.press(user, join, listing))
    for _ in range(2000):  # a guard against hanging, not a speed requirement
        rows = await statuses(bot, cafe.id)
        if len(rows) == 50:
            break
        await asyncio.sleep(0.01)
    rows = await statuses(bot, cafe.id)
    assert [status for _, status in rows] == ["confirmed"] * 10 + ["waiting"] * 40
    counts = (await store.counts(bot.runtime.db.reader, [cafe.id]))[cafe.id]
    assert (counts.learners, counts.learners_waiting) == (10, 40)


async def test_a_cancellation_promotes_exactly_one_and_tells_them(bot):
    cafe = await create_cafe(bot, seats="1")
    first, second, third = [await person(bot, user) for user in (AMIRA, BRAM, newcomers(1)[0])]
    for someone in (first, second, third):
        await bot.runtime.cafes.sign_up(someone, cafe.id)
    [mine] = await bot.send(AMIRA, "/mycafes")
    replies = await bot.press_data(AMIRA, mine, button(mine, "cafe_cancel"))
    assert replies[0].method == "answerCallbackQuery"
    await bot.press_data(AMIRA, replies[-1], button(replies[-1], "cafe_giveup"))
    assert await statuses(bot, cafe.id) == [
        (AMIRA.id, "cancelled"), (BRAM.id, "confirmed"), (newcomers(1)[0].id, "waiting"),
    ]  # fmt: skip
    [told] = await bot.deliver()
    assert told.chat_id == BRAM.id
    assert told.text.startswith(
        bot.runtime.translators["nl"].gettext("Good news: a seat came free, and it is yours!")
    )


async def test_cancelling_a_waitlist_place_promotes_nobody(bot):
    cafe = await create_cafe(bot, seats="1")
    first, second = await person(bot, AMIRA), await person(bot, BRAM)
    await bot.runtime.cafes.sign_up(first, cafe.id)
    await bot.runtime.cafes.sign_up(second, cafe.id)
    await bot.runtime.cafes.cancel_signup(second, cafe.id)
    assert await statuses(bot, cafe.id) == [(AMIRA.id, "confirmed"), (BRAM.id, "cancelled")]
    assert await bot.deliver() == []


async def test_forged_presses_change_nothing(bot):
    cafe = await create_cafe(bot, seats="1")
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    [listing] = await bot.send(BRAM, "/cafes")
    forged = [
        f"1|cafe_cancel|{cafe.id}",  # Amira's seat: Bram has none to cancel
        "1|cafe_join|999|l",  # no such café
        f"1|cafe_join|{cafe.id}|h",  # no host seats
        f"1|cafe_join|{cafe.id}|x",
        "1|cafe_join|abc|l",
        f"1|cafe_admin|{cafe.id}",  # organisers only
        f"1|cafe_drop_yes|{cafe.id}",
        f"1|cafe_people|{cafe.id}",
    ]
    not_open = bot.runtime.translators["nl"].gettext("This café is not open for sign-up.")
    for data in forged:
        replies = await bot.press_data(BRAM, listing, data)
        assert all(c.method == "answerCallbackQuery" or c.text == not_open for c in replies), data
    assert await statuses(bot, cafe.id) == [(AMIRA.id, "confirmed")]
    assert (await store.get_cafe(bot.runtime.db.reader, cafe.id)).status == "scheduled"


async def test_no_sign_up_for_a_cancelled_or_started_cafe(bot):
    await create_cafe(bot)
    [listing] = await bot.send(BRAM, "/cafes")
    join = button(listing, "cafe_join")
    bot.clock.advance(days=8)  # 9 December: the café has started (and ended)
    replies = await bot.press_data(BRAM, listing, join)
    assert replies[-1].text == bot.runtime.translators["nl"].gettext(
        "Sign-up has closed: this café has started."
    )
    second = await create_cafe(bot, when="2027-01-12 19:00")
    await bot.runtime.cafes.cancel_cafe(await person(bot, ORGANISER), second.id)
    replies = await bot.press_data(BRAM, listing, f"1|cafe_join|{second.id}|l")
    assert replies[-1].text == bot.runtime.translators["nl"].gettext(
        "This café is not open for sign-up."
    )
    assert await statuses(bot, second.id) == []


async def test_hosts_have_their_own_seats_and_waitlist(bot):
    cafe = await create_cafe(bot, seats="2+1")
    await make_host(bot, BRAM)
    await make_host(bot, AMIRA)
    [listing] = await bot.send(BRAM, "/cafes")
    assert f"1|cafe_join|{cafe.id}|h" in [data for _label, data in listing.buttons]
    await bot.press_data(BRAM, listing, f"1|cafe_join|{cafe.id}|h")
    await bot.press_data(AMIRA, listing, f"1|cafe_join|{cafe.id}|h")
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT user_id, kind, status FROM signups ORDER BY id"
    )
    assert [tuple(row) for row in rows] == [(BRAM.id, "host", "confirmed"),
                                            (AMIRA.id, "host", "waiting")]  # fmt: skip


async def test_my_cafes_shows_seat_and_waitlist_place(bot):
    cafe = await create_cafe(bot, seats="1")
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    await bot.runtime.cafes.sign_up(await person(bot, BRAM), cafe.id)
    [mine] = await bot.send(BRAM, "/mycafes")
    t = bot.runtime.translators["nl"]
    assert t.gettext("You are number {position} on the waitlist.").format(position=1) in mine.text
    [nothing] = await bot.send(newcomers(1)[0], "/mycafes")
    assert nothing.text == "You have not signed up for a language café. See /cafes."


async def test_a_cafe_link_opens_the_cafe_with_sign_up(bot):
    cafe = await create_cafe(bot)
    replies = await bot.send(LocalUser(7001, "Lina", "en"), f"/start cafe_{cafe.id}")
    assert "Praattafel december" in replies[0].text
    assert f"1|cafe_join|{cafe.id}|l" in [data for _label, data in replies[0].buttons]
    [bad, _greeting] = await bot.send(LocalUser(7002, "Omar", "en"), "/start cafe_999")
    assert bad.text == "This link is not valid."


async def test_several_cafes_come_in_one_numbered_message_with_buttons_per_cafe(bot):
    first = await create_cafe(bot, when="2026-12-08 19:00")
    second = await create_cafe(bot, seats="8+2", when="2026-12-15 19:00")
    await make_host(bot, BRAM)
    [listing] = await bot.send(BRAM, "/cafes")
    t = bot.runtime.translators["nl"]
    assert listing.text.startswith(t.gettext("Coming language cafés:"))
    assert "1. ☕" in listing.text and "2. ☕" in listing.text
    assert listing.text.index("1. ☕") < listing.text.index("2. ☕")  # soonest first
    numbered = t.gettext("{number}. {action}")
    assert listing.buttons == [
        (numbered.format(number=1, action=t.gettext("Sign up")), f"1|cafe_join|{first.id}|l"),
        (numbered.format(number=2, action=t.gettext("Sign up")), f"1|cafe_join|{second.id}|l"),
        (
            numbered.format(number=2, action=t.gettext("Sign up as host")),
            f"1|cafe_join|{second.id}|h",
        ),
    ]
    await bot.press_data(BRAM, listing, f"1|cafe_join|{second.id}|l")
    assert await statuses(bot, first.id) == []
    assert await statuses(bot, second.id) == [(BRAM.id, "confirmed")]


async def test_cancelling_from_the_list_asks_first_and_keeps_the_list(bot):
    first = await create_cafe(bot, when="2026-12-08 19:00")
    await create_cafe(bot, when="2026-12-15 19:00")
    await bot.runtime.cafes.sign_up(await person(bot, BRAM), first.id)
    [listing] = await bot.send(BRAM, "/cafes")
    t = bot.runtime.translators["nl"]
    assert t.gettext("✅ You have a seat.") in listing.text
    mark = len(bot.api.calls)
    _answer, question = await bot.press_data(BRAM, listing, f"1|cafe_cancel|{first.id}")
    assert question.text.startswith(t.gettext("Give up your seat?"))
    assert await statuses(bot, first.id) == [(BRAM.id, "confirmed")]  # one tap loses nothing
    replies = await bot.press(BRAM, question, t.gettext("Yes, give up my seat"))
    # nobody was waiting, so nobody is said to get it
    assert replies[-1].text == t.gettext("Your place is cancelled. Thank you for telling us.")
    edited = [c.message_id for c in bot.api.calls[mark:] if c.method == "editMessageReplyMarkup"]
    assert edited == [question.message_id]  # the list keeps its buttons for the other café
    assert await statuses(bot, first.id) == [(BRAM.id, "cancelled")]


async def test_my_cafes_lists_every_sign_up_in_one_message_each_with_cancel(bot):
    first = await create_cafe(bot, when="2026-12-08 19:00")
    second = await create_cafe(bot, seats="1", when="2026-12-15 19:00")
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), second.id)
    await bot.runtime.cafes.sign_up(await person(bot, BRAM), first.id)
    await bot.runtime.cafes.sign_up(await person(bot, BRAM), second.id)
    [mine] = await bot.send(BRAM, "/mycafes")
    t = bot.runtime.translators["nl"]
    assert t.gettext("✅ You have a seat.") in mine.text
    assert t.gettext("You are number {position} on the waitlist.").format(position=1) in mine.text
    numbered = t.gettext("{number}. {action}")
    cancel = t.gettext("Cancel my place")
    assert mine.buttons == [
        (numbered.format(number=1, action=cancel), f"1|cafe_cancel|{first.id}"),
        (numbered.format(number=2, action=cancel), f"1|cafe_cancel|{second.id}"),
    ]
    replies = await bot.press_data(BRAM, mine, f"1|cafe_cancel|{second.id}")
    assert replies[-1].text.startswith(t.gettext("Leave the waitlist?"))
    await bot.press(BRAM, replies[-1], t.gettext("Yes, leave the waitlist"))
    assert await statuses(bot, second.id) == [(AMIRA.id, "confirmed"), (BRAM.id, "cancelled")]
    assert await statuses(bot, first.id) == [(BRAM.id, "confirmed")]


async def test_cafes_shows_each_cafe_with_the_readers_own_place_counted_now(bot):
    """/cafes reads the cafés, their seats and the reader's places together: each café's own
    status, the waitlist place among people of the same café still waiting."""
    first = await create_cafe(bot, seats="1", when="2026-12-08 19:00")
    second = await create_cafe(bot, when="2026-12-15 19:00")
    ahead = newcomers(1)[0]
    for user in (AMIRA, ahead, BRAM):
        await bot.runtime.cafes.sign_up(await person(bot, user), first.id)
    await bot.runtime.cafes.sign_up(await person(bot, BRAM), second.id)
    t = bot.runtime.translators["nl"]
    number = t.gettext("You are number {position} on the waitlist.")

    [listing] = await bot.send(BRAM, "/cafes")
    first_part, second_part = listing.text.split("\n\n2. ")
    assert number.format(position=2) in first_part
    assert t.gettext("✅ You have a seat.") in second_part

    outcome = await bot.runtime.cafes.cancel_signup(await person(bot, ahead), first.id)
    assert outcome is CancelOutcome.CANCELLED
    [listing] = await bot.send(BRAM, "/cafes")
    assert number.format(position=1) in listing.text.split("\n\n2. ")[0]
    [other] = await bot.send(ahead, "/cafes")  # someone who left sees the café as before
    english = bot.runtime.translators["en"]
    assert english.gettext("Full: you can join the waitlist.") in other.text.split("\n\n2. ")[0]
