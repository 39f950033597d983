"""No seat lost by one tap: giving up a seat asks first, a promoted person gets what a direct
sign-up gets, and a café card says what your own place is."""

from icalendar import Calendar

from bot.local_api import LocalUser
from tests.cafes.helpers import ORGANISER, button, create_cafe

ANNA = LocalUser(301, "Anna", "en")
BEN = LocalUser(302, "Ben", "en")
CARA = LocalUser(303, "Cara", "en")


async def identify(bot, user):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def full_cafe(bot):
    """One seat: Anna has it, Ben waits."""
    cafe = await create_cafe(bot, seats="1")
    await bot.runtime.cafes.sign_up(await identify(bot, ANNA), cafe.id)
    await bot.runtime.cafes.sign_up(await identify(bot, BEN), cafe.id)
    return cafe


async def status_of(bot, user, cafe) -> str | None:
    listing = await bot.runtime.cafes.listing(await identify(bot, user), cafe.id)
    return listing.mine.status if listing.mine else None


async def test_no_keeps_the_seat_and_yes_gives_it_to_the_first_waiting(bot):
    cafe = await full_cafe(bot)
    [mine] = await bot.send(ANNA, "/mycafes")
    _answer, question = await bot.press(ANNA, mine, "Cancel my place")
    assert question.text.startswith("Give up your seat?\n\n☕ Praattafel december")
    assert [label for label, _ in question.buttons] == ["Yes, give up my seat", "No, keep it"]
    [kept] = await bot.press(ANNA, question, "No, keep it")
    assert kept.params["text"] == "Good: nothing has changed."
    assert await status_of(bot, ANNA, cafe) == "confirmed"
    assert await bot.deliver() == []
    _answer, question = await bot.press(ANNA, mine, "Cancel my place")
    replies = await bot.press(ANNA, question, "Yes, give up my seat")
    assert replies[-1].text == (
        "Your place is cancelled. Thank you for telling us: someone waiting gets it now."
    )
    assert await status_of(bot, BEN, cafe) == "confirmed"
    # the same Yes again: there is no seat left to give up
    [again] = await bot.press(ANNA, question, "Yes, give up my seat")
    assert again.params["text"] == "You are not signed up for this café."


async def test_a_forged_give_up_cannot_cancel_someone_elses_seat(bot):
    cafe = await full_cafe(bot)
    [listing] = await bot.send(CARA, "/cafes")
    for forged in (f"1|cafe_giveup|{cafe.id}", f"1|cafe_cant|{cafe.id}", "1|cafe_giveup|x"):
        [refused] = await bot.press_data(CARA, listing, forged)
        assert refused.params["text"] in (
            "You are not signed up for this café.",
            "This button has expired.",
        )
    assert await status_of(bot, ANNA, cafe) == "confirmed"


async def test_the_promoted_person_gets_the_calendar_file_and_the_reminders(bot):
    cafe = await full_cafe(bot)
    await bot.runtime.cafes.cancel_signup(await identify(bot, ANNA), cafe.id)
    [promoted] = await bot.deliver()
    # like a direct sign-up: the calendar file, with the news as its caption
    assert (promoted.chat_id, promoted.method) == (BEN.id, "sendDocument")
    assert promoted.text.startswith("Good news: a seat came free, and it is yours!")
    assert promoted.text.endswith("Add it to your calendar.")
    assert [label for label, _ in promoted.buttons] == ["I can't come"]
    name, content = promoted.files["document"]
    assert name == "cafe.ics"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["uid"]) == f"cafe-{cafe.id}@landgenoot_bot.landgenoot"
    assert f"https://t.me/landgenoot_bot?start=cafe_{cafe.id}" in str(event["description"])
    # and later the reminder, with "I can't come", like anyone with a seat
    bot.clock.advance(days=6, hours=9, minutes=1)
    await bot.runtime.cafes.send_due_reminders()
    [reminder] = await bot.deliver()
    assert reminder.chat_id == BEN.id
    assert reminder.buttons == [("I can't come", f"1|cafe_cant|{cafe.id}")]
    # someone who has no seat gets no calendar file from a forged press
    [refused] = await bot.press_data(CARA, promoted, f"1|cafe_ics|{cafe.id}")
    assert refused.params["text"] == "This button has expired."


async def test_a_shared_link_shows_your_own_place_not_the_waitlist_offer(bot):
    cafe = await full_cafe(bot)
    [card, *_greeting] = await bot.send(ANNA, f"/start cafe_{cafe.id}")
    assert "✅ You have a seat." in card.text
    assert "Full: you can join the waitlist." not in card.text
    assert [label for label, _ in card.buttons] == ["Cancel my place"]
    [card, *_greeting] = await bot.send(BEN, f"/start cafe_{cafe.id}")
    assert "You are number 1 on the waitlist." in card.text
    [card, *_greeting] = await bot.send(CARA, f"/start cafe_{cafe.id}")
    assert "Full: you can join the waitlist." in card.text
    assert [label for label, _ in card.buttons] == ["Join the waitlist"]  # what the press does


async def test_an_announcement_of_the_cafe_tells_people_with_a_seat_their_place(bot):
    cafe = await full_cafe(bot)
    for user in (ANNA, BEN, CARA):
        await bot.send(user, "/subscribe")
    [listing] = await bot.send(ORGANISER, "/cafes")
    card = (await bot.press_data(ORGANISER, listing, button(listing, "cafe_admin")))[-1]
    preview = (await bot.press(ORGANISER, card, "Announce"))[-1]
    await bot.press(ORGANISER, preview, "Send")
    sent = {call.chat_id: call for call in await bot.deliver()}
    assert "✅ You have a seat." in sent[ANNA.id].text and sent[ANNA.id].buttons == []
    assert "You are number 1 on the waitlist." in sent[BEN.id].text
    assert "Full: you can join the waitlist." in sent[CARA.id].text
    assert sent[CARA.id].buttons == [("Join the waitlist", f"1|cafe_join|{cafe.id}|l")]
