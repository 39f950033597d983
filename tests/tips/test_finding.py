"""Finding tips: by category and page, in one's own language or all, by words, near a place."""

import pytest

from bot.local_api import LocalUser
from bot.tips.service import distance_km
from tests.harness import AMIRA
from tests.tips.helpers import (
    button,
    labels,
    listed,
    member,
    say,
    send_location,
    send_venue,
    share,
    shared,
    tap,
    tip_button,
)

AUTHOR = LocalUser(520, "Aster", "en")
READER = LocalUser(521, "Rita", "en")

# Tiel station, and places around it
STATION = (51.8867, 5.4276)
MARKET = (51.8869, 5.4300)  # a few hundred metres
PASSEWAAIJ = (51.8990, 5.3690)  # about 4 km
CULEMBORG = (51.9550, 5.2270)  # about 15 km


async def browse(bot, user, category="all", sort="new", languages="own", offset=0):
    """/tips, then a category: the picker turns into the page, the one message returned."""
    [picker] = await say(bot, user, "/tips")
    _toast, page = await tap(
        bot, user, picker, f"1|tip_page|{category}|{sort}|{languages}|{offset}"
    )
    assert (page.method, page.message_id) == ("editMessageText", picker.message_id)
    return page


async def test_tips_are_paged_newest_first_in_one_message_with_each_tips_buttons(bot):
    await member(bot, AUTHOR)
    for n in range(12):
        await shared(bot, AUTHOR, f"Tip number {n}", "food" if n % 2 == 0 else "free")
        bot.clock.advance(minutes=1)
    await member(bot, READER)
    page = await browse(bot, READER)
    assert listed(page) == [f"Tip number {n}" for n in (11, 10, 9, 8, 7)]
    assert page.text.startswith(
        "All categories: 1–5 of 12 tips\n\n1. 💡 Free activities\nTip number 11\n\n"
        "2. 💡 Food and shops\nTip number 10"
    )
    assert labels(page, 1) == ["1. 👍 Helpful", "1. Outdated?", "1. Report"]
    assert labels(page, 5) == ["5. 👍 Helpful", "5. Outdated?", "5. Report"]
    assert labels(page) == [
        "More ▶", "👍 Most helpful first", "🌍 All languages", "Other categories",
    ]  # fmt: skip
    _toast, page = await tap(bot, READER, page, button(page, "tip_page", "all", "new", "own", 5))
    assert listed(page) == [f"Tip number {n}" for n in (6, 5, 4, 3, 2)]
    assert page.text.startswith("All categories: 6–10 of 12 tips\n\n6. 💡")
    assert labels(page, 6) == ["6. 👍 Helpful", "6. Outdated?", "6. Report"]
    assert labels(page)[:2] == ["◀ Back", "More ▶"]
    _toast, page = await tap(bot, READER, page, button(page, "tip_page", "all", "new", "own", 10))
    assert listed(page) == ["Tip number 1", "Tip number 0"]
    assert page.text.startswith("All categories: 11–12 of 12 tips")
    assert labels(page)[0] == "◀ Back" and "More ▶" not in labels(page)
    _toast, page = await tap(bot, READER, page, button(page, "tip_page", "all", "new", "own", 5))
    assert listed(page) == [f"Tip number {n}" for n in (6, 5, 4, 3, 2)]  # Back
    page = await browse(bot, READER, category="free")
    assert listed(page) == [f"Tip number {n}" for n in (11, 9, 7, 5, 3)]
    assert page.text.startswith("Free activities: 1–5 of 6 tips")
    _toast, picker = await tap(bot, READER, page, button(page, "tip_cats"))
    assert picker.method == "editMessageText"
    assert picker.text == "Which tips would you like to see? To search, write: /tips halal"


async def test_a_page_costs_one_message_and_a_press_one_edit(bot):
    await member(bot, AUTHOR)
    for n in range(7):
        await shared(bot, AUTHOR, f"Tip number {n}")
    await member(bot, READER)
    [picker] = await say(bot, READER, "/tips")
    mark = len(bot.api.calls)
    await bot.press_data(READER, picker, "1|tip_page|all|new|own|0")
    assert sorted(c.method for c in bot.api.calls[mark:]) == [
        "answerCallbackQuery", "editMessageText",
    ]  # fmt: skip
    mark = len(bot.api.calls)
    await bot.send(READER, "/tips tip")
    assert [c.method for c in bot.api.calls[mark:]] == ["sendMessage"]


async def test_paging_reaches_the_last_tip_and_no_further(bot):
    await member(bot, AUTHOR)
    for n in range(13):
        await shared(bot, AUTHOR, f"Tip number {n}")
        bot.clock.advance(minutes=1)
    await member(bot, READER)
    page = await browse(bot, READER)
    seen = listed(page)
    while "More ▶" in labels(page):
        _toast, page = await tap(bot, READER, page, dict(page.buttons)["More ▶"])
        seen += listed(page)
    assert seen == [f"Tip number {n}" for n in reversed(range(13))]
    assert page.text.startswith("All categories: 11–13 of 13 tips")
    # A More that outlived the tips it pointed at (or a made-up offset) shows the last tips.
    _toast, last = await tap(bot, READER, page, "1|tip_page|all|new|own|500")
    assert listed(last) == [f"Tip number {n}" for n in (4, 3, 2, 1, 0)]
    assert "More ▶" not in labels(last)


async def test_long_tips_make_a_page_of_fewer_tips_never_a_cut_message(bot):
    await member(bot, AUTHOR)
    texts = [f"Long tip {n}: " + "Where and when to go, and what to bring. " * 45 for n in range(5)]
    assert all(1800 < len(text) <= 2000 for text in texts)
    for text in texts:
        await shared(bot, AUTHOR, text)
        bot.clock.advance(minutes=1)
    await member(bot, READER)
    page = await browse(bot, READER)
    seen = [page]
    while "More ▶" in labels(page):
        _toast, page = await tap(bot, READER, page, dict(page.buttons)["More ▶"])
        seen.append(page)
    assert all(len(call.text) <= 4096 for call in seen)
    assert [tip for call in seen for tip in listed(call)] == [t.strip() for t in reversed(texts)]
    assert seen[0].text.startswith("All categories: 1–2 of 5 tips")


async def test_a_page_that_cannot_be_edited_comes_as_a_new_message(bot):
    await member(bot, AUTHOR)
    await shared(bot, AUTHOR, "Free Dutch lessons at the library")
    await member(bot, READER)
    [picker] = await say(bot, READER, "/tips")
    bot.api.fail("editMessageText", description="Bad Request: message to edit not found")
    _toast, page = await tap(bot, READER, picker, "1|tip_page|all|new|own|0")
    assert page.method == "sendMessage"
    assert listed(page) == ["Free Dutch lessons at the library"]
    # The same page pressed twice: Telegram says "not modified", and nothing more is sent.
    bot.api.fail("editMessageText", description="Bad Request: message is not modified")
    [toast] = await tap(bot, READER, page, "1|tip_page|all|new|own|0")
    assert toast.method == "answerCallbackQuery" and "text" not in toast.params


async def test_most_helpful_first(bot):
    await member(bot, AUTHOR)
    tips = [await shared(bot, AUTHOR, f"Tip {n}") for n in range(3)]
    voters = [LocalUser(530 + n, f"V{n}", "en") for n in range(3)]
    for voter in voters:
        await member(bot, voter)
    for tip, votes in zip(tips, (1, 3, 0), strict=True):
        for voter in voters[:votes]:
            await bot.runtime.tips.vote(
                await bot.runtime.people.identify(voter.id, voter.first_name, "en"), tip.id
            )
    await member(bot, READER)
    page = await browse(bot, READER, sort="top")
    assert listed(page) == ["Tip 1", "Tip 0", "Tip 2"]
    assert "1. 💡 Food and shops\nTip 1\n👍 3 people found this helpful" in page.text
    assert "2. 💡 Food and shops\nTip 0\n👍 1 person found this helpful" in page.text
    assert labels(page)[0] == "🕒 Newest first"


async def test_tips_come_in_the_readers_language_with_a_switch_to_all(bot):
    await member(bot, AMIRA)  # Arabic
    await member(bot, AUTHOR)  # English
    await share(bot, AMIRA, "لحم حلال في السوق يوم السبت")
    await share(bot, AUTHOR, "Halal meat at the Saturday market")
    await member(bot, READER)
    page = await browse(bot, READER)
    assert listed(page) == ["Halal meat at the Saturday market"]
    _toast, page = await tap(bot, READER, page, button(page, "tip_page", "all", "new", "all"))
    assert listed(page) == ["Halal meat at the Saturday market", "لحم حلال في السوق يوم السبت"]
    first, second = page.text.split("\n\n")[1:]
    assert "Language:" not in first
    assert "Language: العربية" in second
    assert labels(page)[-2] == "Only English"


async def test_an_arabic_reader_gets_the_list_in_arabic(bot):
    await member(bot, AMIRA)
    await share(bot, AMIRA, "لحم حلال في السوق يوم السبت", area="Tiel")
    ar = bot.runtime.translators["ar"]
    page = await browse(bot, AMIRA)
    assert listed(page) == ["لحم حلال في السوق يوم السبت"]
    assert ar.isolate("Tiel") in page.text  # the Latin area cannot scramble the line
    assert labels(page, 1)[0] == ar.gettext("{number}. {action}").format(
        number=ar.number(1), action=ar.gettext("Edit")
    )


async def test_search_finds_words_whatever_their_spelling(bot):
    await member(bot, AMIRA)
    await member(bot, AUTHOR)
    await share(bot, AUTHOR, "Injera flour at Toko Addis, Stationsweg 3", area="Tiel")
    await share(bot, AUTHOR, "The Bibliotheek has free Dutch lessons (taalcafé)")
    await share(bot, AMIRA, "مكتبة المدينة فيها دروس مجانية")
    await member(bot, READER)
    [found] = await say(bot, READER, "/tips INJERA")
    assert listed(found) == ["Injera flour at Toko Addis, Stationsweg 3"]
    [found] = await say(bot, READER, "/tips tiel")  # the area is searchable too
    assert listed(found) == ["Injera flour at Toko Addis, Stationsweg 3"]
    [found] = await say(bot, READER, "/tips taalcafe")  # diacritics
    assert listed(found) == ["The Bibliotheek has free Dutch lessons (taalcafé)"]
    # Arabic letter variants and diacritics fold; the reader's own language comes first
    [found] = await say(bot, READER, "/tips مكتبه lessons")
    assert listed(found) == [
        "The Bibliotheek has free Dutch lessons (taalcafé)",
        "مكتبة المدينة فيها دروس مجانية",
    ]
    assert labels(found, 2) == ["2. 👍 Helpful", "2. Outdated?", "2. Report"]


async def test_words_written_after_tips_alone_search_too(bot):
    await member(bot, AUTHOR)
    await share(bot, AUTHOR, "Injera flour at Toko Addis, Stationsweg 3")
    await member(bot, READER)
    await say(bot, READER, "/tips")  # "To search, write: /tips halal"
    [found] = await say(bot, READER, "injera")
    assert listed(found) == ["Injera flour at Toko Addis, Stationsweg 3"]
    [after] = await say(bot, READER, "injera")  # once: then it is a message like any other
    assert after.text == "I did not understand that. Type /help to see what I can do."


@pytest.mark.parametrize(
    "words",
    ['"', "*", "AND", "NEAR(", "🙂🙂", "a", "' OR 1=1 --", '"unbalanced', "x" * 3000, "body:x"],
)
async def test_search_survives_any_input(bot, words):
    await member(bot, AUTHOR)
    await share(bot, AUTHOR, "Cheap bikes at the Fietsbank")
    replies = await say(bot, READER, f"/tips {words}")
    assert [c.text for c in replies] in (
        ["I found no tips about that. You can share one with /tip."],
        ["Write what you are looking for, like: /tips halal"],
    )


async def test_search_shows_the_best_five_and_says_there_are_more(bot):
    await member(bot, AUTHOR)
    for n in range(7):
        await shared(bot, AUTHOR, f"Bike shop number {n}")
    [found] = await say(bot, READER, "/tips bike")
    assert len(listed(found)) == 5
    assert found.text.endswith("\n\nThese are the best 5 matches. Add words to find fewer tips.")
    assert labels(found) == []  # a search has no pages: more words find fewer tips


async def test_a_location_lists_tips_nearby_nearest_first(bot):
    await member(bot, AUTHOR)
    await share(bot, AUTHOR, "Cheap vegetables at the Passewaaij shop", place=PASSEWAAIJ)
    await shared(bot, AUTHOR, "Turkish bakery in Culemborg", place=CULEMBORG)
    await shared(bot, AUTHOR, "Friday market on the Waalkade", place=MARKET)
    await shared(bot, AUTHOR, "A tip without a place")
    await member(bot, READER)
    [near] = await send_location(bot, READER, *STATION)
    assert near.text.startswith("Tips near that place, the nearest first:\n\n1. 💡")
    assert listed(near) == [
        "Friday market on the Waalkade",
        "Cheap vegetables at the Passewaaij shop",
    ]
    first, second = near.text.split("\n\n")[1:]
    assert "less than 1 km from you" in first  # 0.2 km: "0 km" would read as nothing
    assert "4.2 km from you" in second
    assert labels(near, 1) == [
        "1. 👍 Helpful", "1. Outdated?", "1. Report", "1. 📍 Show on the map",
    ]  # fmt: skip
    # a venue works as well as a pin
    [near] = await send_venue(bot, READER, *CULEMBORG, "Station Culemborg", "Stationsweg")
    assert listed(near) == ["Turkish bakery in Culemborg"]
    [none] = await send_location(bot, READER, 52.37, 4.89)  # Amsterdam
    assert none.text == "No tips have a place within 5 km of there. You can share one with /tip."


async def test_places_far_north_and_across_the_date_line_are_found_too(bot):
    await member(bot, AUTHOR)
    await shared(bot, AUTHOR, "Fish market in Longyearbyen", place=(89.99, 15.0))
    await shared(bot, AUTHOR, "Kava bar in Taveuni", place=(-16.8, 179.99))
    assert [n.tip.text for n in await bot.runtime.tips.nearby(89.99, -160.0)] == [
        "Fish market in Longyearbyen"
    ]
    assert [n.tip.text for n in await bot.runtime.tips.nearby(-16.8, -179.99)] == [
        "Kava bar in Taveuni"
    ]


async def test_the_map_button_sends_the_place(bot):
    await member(bot, AUTHOR)
    await share(bot, AUTHOR, "Friday market on the Waalkade", place=MARKET)
    await member(bot, READER)
    [near] = await send_location(bot, READER, *STATION)
    _toast, pin = await tap(bot, READER, near, tip_button(near, 1, "tip_map"))
    assert pin.method == "sendLocation"
    assert (pin.params["latitude"], pin.params["longitude"]) == MARKET


def test_distances_are_great_circle_kilometres():
    assert distance_km(*STATION, *STATION) == 0
    assert 14 < distance_km(*STATION, *CULEMBORG) < 16
    assert 55 < distance_km(52.3676, 4.9041, 51.9244, 4.4777) < 60  # Amsterdam–Rotterdam


async def test_one_helpful_vote_per_person_and_none_for_ones_own_tip(bot):
    await member(bot, AUTHOR)
    await shared(bot, AUTHOR, "Cheap bikes at the Fietsbank")
    tip, _ = await share(bot, AUTHOR, "Free swimming lessons for children at De Schelp")
    await member(bot, READER)
    page = await browse(bot, READER)
    assert listed(page)[0] == "Free swimming lessons for children at De Schelp"
    vote = tip_button(page, 1, "tip_vote")
    assert vote == f"1|tip_vote|{tip.id}"
    [toast] = await tap(bot, READER, page, vote)
    assert toast.params["text"] == "Thank you! 1 person found this helpful."
    [toast] = await tap(bot, READER, page, vote)
    assert toast.params["text"] == "You marked this tip as helpful already."
    [toast] = await tap(bot, AUTHOR, page, vote)
    assert toast.params["text"] == "This is your own tip."
    other = LocalUser(522, "Omar", "en")
    await member(bot, other)
    [toast] = await tap(bot, other, page, vote)
    assert toast.params["text"] == "Thank you! 2 people found this helpful."
    assert (await bot.runtime.tips.viewable(await member(bot, READER), tip.id)).helpful == 2
    [toast] = await tap(bot, READER, page, tip_button(page, 2, "tip_old"))
    assert toast.params["text"] == "Thank you. If more people say so, an organiser checks it."
    [toast] = await tap(bot, READER, page, tip_button(page, 2, "report"))
    assert toast.params["text"] == "Thank you. An organiser will look at it."


async def test_the_author_sees_edit_and_delete_instead_of_votes(bot):
    await member(bot, AUTHOR)
    tip, _ = await share(bot, AUTHOR, "Second-hand school books at the Kringloop")
    page = await browse(bot, AUTHOR)
    assert labels(page, 1) == ["1. Edit", "1. Delete"]
    _toast, editor = await tap(bot, AUTHOR, page, tip_button(page, 1, "tip_edit"))
    assert editor.text.startswith("Your tip. What would you like to change?")
    _toast, confirm = await tap(bot, AUTHOR, page, tip_button(page, 1, "tip_del"))
    assert confirm.text == "Delete this tip? It cannot be undone."
    assert button(confirm, "tip_delok") == f"1|tip_delok|{tip.id}"
