"""The organiser's side: create in one line or step by step, manage, check in, announce."""

from bot.cafes import store
from bot.db import fetchall
from bot.local_api import LocalUser
from tests.cafes.helpers import ORGANISER, button, create_cafe
from tests.harness import AMIRA, BRAM, OKSANA, bot_harness

GOOD = "2026-12-08 19:00 | Bibliotheek Tiel, Koornmarkt 1 | 12 | Praattafel december"


async def cafes(bot) -> list:
    rows = await fetchall(bot.runtime.db.reader, "SELECT id FROM cafes ORDER BY id")
    return [await store.get_cafe(bot.runtime.db.reader, row[0]) for row in rows]


async def person(bot, user: LocalUser):
    return await bot.runtime.people.identify(user.id, user.first_name, user.language_code)


async def test_one_line_creates_the_cafe_in_the_community_timezone(bot):
    replies = await bot.send(ORGANISER, f"/newcafe {GOOD} | A2–B1 | Bring a snack")
    assert replies[0].text == "The café is created."
    [cafe] = await cafes(bot)
    assert (cafe.title, cafe.place, cafe.capacity, cafe.level, cafe.description) == (
        "Praattafel december", "Bibliotheek Tiel, Koornmarkt 1", 12, "A2–B1", "Bring a snack",
    )  # fmt: skip
    assert cafe.starts_at == 1796752800  # 2026-12-08 18:00 UTC = 19:00 in Amsterdam
    assert "/newcafe" not in replies[1].text and "Praattafel december" in replies[1].text


async def test_day_first_dates_and_a_missing_year_are_understood(bot):
    await bot.send(ORGANISER, "/newcafe 8-12 19:00 | Bieb | 5 | Praattafel")
    await bot.send(ORGANISER, "/newcafe 12-1-2027 19:30 | Bieb | 5+2 | Praattafel | | | monthly")
    first, second = await cafes(bot)
    assert first.starts_at == 1796752800
    assert (second.host_capacity, second.monthly) == (2, True)


async def test_bad_lines_say_what_is_wrong_with_an_example_and_create_nothing(bot):
    cases = {
        "/newcafe 2026-11-01 19:00 | Bieb | 12 | Past": "That moment has passed",
        "/newcafe 2026-12-08 19:00 | Bieb | 0 | Zero": "Seats must be a whole number",
        "/newcafe 2026-12-08 19:00 | Bieb | twelve | Words": "Seats must be a whole number",
        "/newcafe 31-2-2027 19:00 | Bieb | 12 | No such day": "I could not read the date",
        "/newcafe tomorrow evening": "I could not read that line",
        "/newcafe 2026-12-08 19:00 | | 12 | No place": "Please say where the café is",
    }
    for line, expected in cases.items():
        [reply] = await bot.send(ORGANISER, line)
        assert reply.text.startswith(expected), (line, reply.text)
    [garbled] = await bot.send(ORGANISER, "/newcafe tomorrow evening")
    assert "/newcafe 2026-12-08 19:00 | Bibliotheek Tiel" in garbled.text
    assert await cafes(bot) == []


async def test_only_organisers_create_cafes(bot):
    [reply] = await bot.send(BRAM, f"/newcafe {GOOD}")
    assert reply.text == bot.runtime.translators["nl"].gettext(
        "Only organisers can create language cafés."
    )
    assert await cafes(bot) == []


async def test_the_guided_flow_survives_a_restart_halfway_and_bad_answers(settings):
    async with bot_harness(settings) as bot:
        [question] = await bot.send(ORGANISER, "/newcafe")
        assert question.text.startswith("What is the café called?")
        [question] = await bot.send(ORGANISER, "Praattafel januari")
        assert question.text.startswith("When does it start?")
        wrong, again = await bot.send(ORGANISER, "next tuesday")
        assert wrong.text.startswith("I could not read the date")
        assert again.text.startswith("When does it start?")
    async with bot_harness(settings) as bot:
        [question] = await bot.send(ORGANISER, "12-1-2027 19:00")
        assert question.text.startswith("Where is it?")
        await bot.send(ORGANISER, "Bibliotheek Tiel")
        await bot.send(ORGANISER, "10+2")
        await bot.send(ORGANISER, "-")
        [card] = await bot.send(ORGANISER, "Tea and cake")
        assert card.text.startswith("Is this right?")
        assert "Praattafel januari" in card.text and "Tea and cake" in card.text
        assert [label for label, _ in card.buttons] == [
            "Save",
            "Save, every week",
            "Save, every 2 weeks",
            "Save, every month",
            "Throw away",
        ]
        replies = await bot.press(ORGANISER, card, "Save, every month")
        assert replies[-2].text == "The café is created."
        [cafe] = await cafes(bot)
        assert (cafe.capacity, cafe.host_capacity, cafe.level, cafe.monthly) == (10, 2, None, True)
        # the draft is gone: a second press creates nothing
        await bot.press(ORGANISER, card, "Save")
        assert len(await cafes(bot)) == 1


async def test_throwing_away_a_draft_creates_nothing(bot):
    await bot.send(ORGANISER, "/newcafe")
    for answer in ("Praattafel", "12-1-2027 19:00", "Bieb", "8", "-"):
        await bot.send(ORGANISER, answer)
    [card] = await bot.send(ORGANISER, "-")
    replies = await bot.press(ORGANISER, card, "Throw away")
    assert replies[-1].text == "Thrown away. Nothing was created."
    assert await cafes(bot) == []


async def test_the_manage_card_counts_and_nudges_for_hosts(bot):
    cafe = await create_cafe(bot, seats="12+2")
    for n in range(6):
        await bot.runtime.cafes.sign_up(
            await person(bot, LocalUser(800 + n, f"P{n}", "en")), cafe.id
        )
    [listing] = await bot.send(ORGANISER, "/cafes")
    replies = await bot.press_data(ORGANISER, listing, button(listing, "cafe_admin"))
    card = replies[-1]
    assert "Participants: 6 of 12, waiting: 0" in card.text
    assert "Hosts: 0 of 2, waiting: 0" in card.text
    assert "Few hosts: 0 for 6 participants" in card.text
    assert f"https://t.me/landgenoot_bot?start=cafe_{cafe.id}" in card.text


async def test_attendees_show_first_names_and_languages_and_a_tap_checks_in(bot):
    cafe = await create_cafe(bot)
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    await bot.runtime.cafes.sign_up(await person(bot, OKSANA), cafe.id)
    [listing] = await bot.send(ORGANISER, "/cafes")
    replies = await bot.press_data(ORGANISER, listing, f"1|cafe_people|{cafe.id}")
    people = replies[-1]
    assert "Amira · العربية" in people.text and "Oksana · Українська" in people.text
    assert [label for label, _ in people.buttons] == ["▫️ Amira", "▫️ Oksana", "Make someone a host"]
    answer, edited = await bot.press(ORGANISER, people, "▫️ Amira")
    assert answer.params["text"] == "Marked as here."
    assert [label for label, _ in edited.buttons] == ["✅ Amira", "▫️ Oksana", "Make someone a host"]
    row = await fetchall(
        bot.runtime.db.reader, "SELECT user_id FROM signups WHERE checked_in_at IS NOT NULL"
    )
    assert [r[0] for r in row] == [AMIRA.id]


async def test_newcomers_cannot_see_attendees_or_check_people_in(bot):
    cafe = await create_cafe(bot)
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    [listing] = await bot.send(BRAM, "/cafes")
    for data in (f"1|cafe_people|{cafe.id}", "1|cafe_in|1", f"1|cafe_qr|{cafe.id}"):
        replies = await bot.press_data(BRAM, listing, data)
        assert [call.method for call in replies] == ["answerCallbackQuery"]
        assert "Amira" not in str([call.params for call in replies])
    row = await fetchall(bot.runtime.db.reader, "SELECT checked_in_at FROM signups")
    assert row[0][0] is None


async def test_cancelling_a_cafe_tells_everyone_signed_up_or_waiting(bot):
    cafe = await create_cafe(bot, seats="1")
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    await bot.runtime.cafes.sign_up(await person(bot, BRAM), cafe.id)
    [listing] = await bot.send(ORGANISER, "/cafes")
    confirm = (await bot.press_data(ORGANISER, listing, f"1|cafe_drop|{cafe.id}"))[-1]
    replies = await bot.press(ORGANISER, confirm, "Yes, cancel the café")
    assert replies[-1].text.startswith("The café is cancelled.")
    told = {call.chat_id: call.text for call in await bot.deliver()}
    assert set(told) == {AMIRA.id, BRAM.id}
    assert told[BRAM.id].startswith(
        bot.runtime.translators["nl"].gettext(
            "This language café has been cancelled. We are sorry."
        )
    )
    assert (await store.get_cafe(bot.runtime.db.reader, cafe.id)).status == "cancelled"


async def test_copy_to_next_month_keeps_the_weekday(bot):
    cafe = await create_cafe(bot)  # Tuesday 8 December: the 2nd Tuesday
    [listing] = await bot.send(ORGANISER, "/cafes")
    await bot.press_data(ORGANISER, listing, f"1|cafe_copy|{cafe.id}")
    _first, copy = await cafes(bot)
    assert copy.starts_at == 1799776800  # Tuesday 12 January 2027, 19:00 in Amsterdam
    assert (copy.title, copy.place, copy.capacity) == (cafe.title, cafe.place, cafe.capacity)


async def test_editing_time_tells_people_and_more_seats_admit_the_waitlist(bot):
    cafe = await create_cafe(bot, seats="1")
    await bot.runtime.cafes.sign_up(await person(bot, AMIRA), cafe.id)
    await bot.runtime.cafes.sign_up(await person(bot, BRAM), cafe.id)
    [listing] = await bot.send(ORGANISER, "/cafes")
    prompt = (await bot.press_data(ORGANISER, listing, f"1|cafe_edit|{cafe.id}"))[-1]
    assert (
        "2026-12-08 19:00 | Bibliotheek Tiel, Koornmarkt 1 | 1 | Praattafel december" in prompt.text
    )
    replies = await bot.send(
        ORGANISER, "2026-12-08 19:30 | Bibliotheek Tiel, Koornmarkt 1 | 2 | Praattafel december"
    )
    assert replies[0].text.startswith("Saved.")
    sent = await bot.deliver()
    texts_to = {}
    for call in sent:
        texts_to.setdefault(call.chat_id, []).append(call.text)
    nl = bot.runtime.translators["nl"].gettext
    assert any(
        t.startswith(nl("Good news: a seat came free, and it is yours!")) for t in texts_to[BRAM.id]
    )
    changed = bot.runtime.translators["ar"].gettext(
        "This language café has changed. Please check the new details."
    )
    assert any(t.startswith(changed) for t in texts_to[AMIRA.id])


async def test_announcing_a_cafe_reaches_subscribers_in_their_language_with_sign_up(bot):
    cafe = await create_cafe(bot)
    for user in (AMIRA, BRAM):
        await bot.send(user, "/subscribe")
    [listing] = await bot.send(ORGANISER, "/cafes")
    preview = (await bot.press_data(ORGANISER, listing, f"1|cafe_announce|{cafe.id}"))[-1]
    assert preview.text.endswith("Send to 2 subscribers?")
    await bot.press(ORGANISER, preview, "Send")
    sent = {call.chat_id: call for call in await bot.deliver()}
    arabic = bot.runtime.translators["ar"]
    assert sent[AMIRA.id].text.startswith(
        arabic.gettext("Announcement from {community}:").format(
            community=arabic.isolate("Praattafel Tiel")
        )
    )
    assert sent[AMIRA.id].buttons == [(arabic.gettext("Sign up"), f"1|cafe_join|{cafe.id}|l")]
    assert sent[BRAM.id].buttons[0][0] == bot.runtime.translators["nl"].gettext("Sign up")


async def test_the_check_in_qr_is_a_png_with_the_link(bot):
    cafe = await create_cafe(bot)
    [listing] = await bot.send(ORGANISER, "/cafes")
    photo = await bot.press_data(ORGANISER, listing, f"1|cafe_qr|{cafe.id}")
    sent = [call for call in bot.api.calls if call.method == "sendPhoto"][-1]
    _filename, content = next(iter(sent.files.values()))
    assert content.startswith(b"\x89PNG")
    assert f"start=in_{cafe.id}_{cafe.checkin_token}" in sent.text
    assert photo[0].method == "answerCallbackQuery"
