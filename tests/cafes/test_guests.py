"""A guest per person (+1): the guest takes a seat, shows as "Lina + 1", and leaves with the
person who brought them."""

import asyncio

from bot.cafes import store
from bot.db import fetchall
from tests.cafes.helpers import ORGANISER, button, create_cafe, newcomers

LINA, NEXT = newcomers(2, start=6000)


async def identify(bot, user):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def allow_guests(bot, cafe) -> None:
    [listing] = await bot.send(ORGANISER, "/cafes")
    card = (await bot.press_data(ORGANISER, listing, f"1|cafe_admin|{cafe.id}"))[-1]
    replies = await bot.press(ORGANISER, card, "Allow a guest (+1) each")
    assert "Everyone may bring a guest (+1), who takes a seat too." in replies[-1].text
    assert "No more guests (+1)" in [label for label, _ in replies[-1].buttons]


async def seats(bot, cafe) -> tuple[int, int]:
    counts = (await store.counts(bot.runtime.db.reader, [cafe.id]))[cafe.id]
    return counts.learners, counts.learners_waiting


async def test_a_guest_takes_a_seat_shows_as_plus_one_and_leaves_with_their_host(bot):
    cafe = await create_cafe(bot, seats="2")
    [listing] = await bot.send(LINA, "/cafes")
    assert [label for label, _ in listing.buttons] == ["Sign up"]
    await allow_guests(bot, cafe)
    [listing] = await bot.send(LINA, "/cafes")
    assert [label for label, _ in listing.buttons] == ["Sign up", "Sign up with a guest (+1)"]
    replies = await bot.press(LINA, listing, "Sign up with a guest (+1)")
    assert replies[-1].text.startswith("You have a seat, and so has your guest! See you there.")
    assert await seats(bot, cafe) == (2, 0)
    await bot.runtime.cafes.sign_up(await identify(bot, NEXT), cafe.id)
    assert await seats(bot, cafe) == (2, 1)  # the café is full: the guest has the last seat
    [mine] = await bot.send(LINA, "/mycafes")
    assert "✅ You have a seat, and one for your guest (+1)." in mine.text
    [listing] = await bot.send(ORGANISER, "/cafes")
    people = (await bot.press_data(ORGANISER, listing, f"1|cafe_people|{cafe.id}"))[-1]
    assert "Participants: 2" in people.text and f"▫️ {LINA.first_name} + 1 · English" in people.text
    _answer, question = await bot.press(LINA, mine, "Cancel my place")
    await bot.press(LINA, question, "Yes, give up my seat")
    assert await seats(bot, cafe) == (1, 0)  # both seats freed; the one waiting got one


async def test_a_guest_press_where_guests_are_not_allowed_is_refused(bot):
    cafe = await create_cafe(bot, seats="5")
    [listing] = await bot.send(LINA, "/cafes")
    replies = await bot.press_data(LINA, listing, f"1|cafe_join|{cafe.id}|g")
    assert replies[-1].text == "This café is not open for sign-up."
    assert await seats(bot, cafe) == (0, 0)
    [refused] = await bot.press_data(LINA, listing, f"1|cafe_guests|{cafe.id}|on")
    assert refused.params["text"] == "This button has expired."


async def test_one_free_seat_goes_to_the_first_waiting_who_fits(bot):
    cafe = await create_cafe(bot, seats="2")
    await allow_guests(bot, cafe)
    first, second, pair, single = [await identify(bot, u) for u in newcomers(4, start=6100)]
    cafes = bot.runtime.cafes
    await cafes.sign_up(first, cafe.id)
    await cafes.sign_up(second, cafe.id)
    await cafes.sign_up(pair, cafe.id, guest=True)
    await cafes.sign_up(single, cafe.id)
    await cafes.cancel_signup(first, cafe.id)
    rows = await fetchall(bot.runtime.db.reader, "SELECT user_id, status FROM signups ORDER BY id")
    assert [tuple(row)[1] for row in rows] == ["cancelled", "confirmed", "waiting", "confirmed"]


async def test_twenty_at_once_for_the_last_seats_with_guests_never_overbook(bot):
    cafe = await create_cafe(bot, seats="10")
    await allow_guests(bot, cafe)
    for early in newcomers(5, start=6200):
        await bot.runtime.cafes.sign_up(await identify(bot, early), cafe.id)
    users = newcomers(20, start=6300)
    [listing] = await bot.send(users[0], "/cafes")
    for number, user in enumerate(users):
        kind = "g" if number % 2 == 0 else "l"
        await bot.app.update_queue.put(
            bot.updates.press(user, f"1|cafe_join|{cafe.id}|{kind}", listing)
        )
    for _ in range(2000):  # a guard against hanging, not a speed requirement
        rows = await fetchall(bot.runtime.db.reader, "SELECT count(*) FROM signups")
        if rows[0][0] == 25:
            break
        await asyncio.sleep(0.01)
    rows = await fetchall(
        bot.runtime.db.reader, "SELECT status, guests FROM signups WHERE status != 'cancelled'"
    )
    assert len(rows) == 25
    taken = sum(1 + guests for status, guests in rows if status == "confirmed")
    assert taken <= 10
    # nobody waits who would have fitted in what is left
    waiting = [1 + guests for status, guests in rows if status == "waiting"]
    assert all(needed > 10 - taken for needed in waiting)
    assert (await seats(bot, cafe))[0] == taken
    assert button(listing, "cafe_join")
