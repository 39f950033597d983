"""Finding tips: by category and page, in one's own language or all, by words, near a place."""

import pytest

from bot.local_api import LocalUser
from bot.tips.service import distance_km
from tests.harness import AMIRA
from tests.tips.helpers import (
    button,
    member,
    say,
    send_location,
    send_venue,
    share,
    shared,
    tap,
)

AUTHOR = LocalUser(520, "Aster", "en")
READER = LocalUser(521, "Rita", "en")

# Tiel station, and places around it
STATION = (51.8867, 5.4276)
MARKET = (51.8869, 5.4300)  # a few hundred metres
PASSEWAAIJ = (51.8990, 5.3690)  # about 4 km
CULEMBORG = (51.9550, 5.2270)  # about 15 km


async def browse(bot, user, category="all", sort="new", languages="own", offset=0):
    [picker] = await say(bot, user, "/tips")
    return (await tap(bot, user, picker, f"1|tip_page|{category}|{sort}|{languages}|{offset}"))[1:]


def tip_texts(calls) -> list[str]:
    return [c.text.split("\n\n")[1] for c in calls if c.text.startswith("💡")]


async def test_tips_are_paged_newest_first_with_buttons(bot):
    await member(bot, AUTHOR)
    for n in range(12):
        await shared(bot, AUTHOR, f"Tip number {n}", "food" if n % 2 == 0 else "free")
        bot.clock.advance(minutes=1)
    await member(bot, READER)
    *cards, nav = await browse(bot, READER)
    assert tip_texts(cards) == [f"Tip number {n}" for n in (11, 10, 9, 8, 7)]
    assert nav.text == "All categories: 1–5 of 12 tips"
    assert [label for label, _ in nav.buttons] == [
        "More ▶", "👍 Most helpful first", "🌍 All languages", "Other categories",
    ]  # fmt: skip
    _toast, *shown = await tap(bot, READER, nav, button(nav, "tip_page", "all", "new", "own", 5))
    *cards, nav = shown
    assert tip_texts(cards) == [f"Tip number {n}" for n in (6, 5, 4, 3, 2)]
    assert nav.text == "All categories: 6–10 of 12 tips"
    assert [label for label, _ in nav.buttons][:2] == ["◀ Back", "More ▶"]
    *cards, nav = (await tap(bot, READER, nav, button(nav, "tip_page", "all", "new", "own", 10)))[
        1:
    ]
    assert tip_texts(cards) == ["Tip number 1", "Tip number 0"]
    assert nav.text == "All categories: 11–12 of 12 tips"
    assert next(label for label, _ in nav.buttons) == "◀ Back"
    assert "More ▶" not in [label for label, _ in nav.buttons]
    *cards, nav = await browse(bot, READER, category="free")
    assert tip_texts(cards) == [f"Tip number {n}" for n in (11, 9, 7, 5, 3)]
    assert nav.text == "Free activities: 1–5 of 6 tips"


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
    *cards, nav = await browse(bot, READER, sort="top")
    assert tip_texts(cards) == ["Tip 1", "Tip 0", "Tip 2"]
    assert "👍 3 people found this helpful" in cards[0].text
    assert "👍 1 person found this helpful" in cards[1].text
    assert next(label for label, _ in nav.buttons) == "🕒 Newest first"


async def test_tips_come_in_the_readers_language_with_a_switch_to_all(bot):
    await member(bot, AMIRA)  # Arabic
    await member(bot, AUTHOR)  # English
    await share(bot, AMIRA, "لحم حلال في السوق يوم السبت")
    await share(bot, AUTHOR, "Halal meat at the Saturday market")
    await member(bot, READER)
    *cards, nav = await browse(bot, READER)
    assert tip_texts(cards) == ["Halal meat at the Saturday market"]
    *cards, nav = (await tap(bot, READER, nav, button(nav, "tip_page", "all", "new", "all")))[1:]
    assert tip_texts(cards) == ["Halal meat at the Saturday market", "لحم حلال في السوق يوم السبت"]
    assert "Language:" not in cards[0].text
    assert "Language: العربية" in cards[1].text
    assert [label for label, _ in nav.buttons][-2] == "Only English"


async def test_search_finds_words_whatever_their_spelling(bot):
    await member(bot, AMIRA)
    await member(bot, AUTHOR)
    await share(bot, AUTHOR, "Injera flour at Toko Addis, Stationsweg 3", area="Tiel")
    await share(bot, AUTHOR, "The Bibliotheek has free Dutch lessons (taalcafé)")
    await share(bot, AMIRA, "مكتبة المدينة فيها دروس مجانية")
    await member(bot, READER)
    [found] = await say(bot, READER, "/tips INJERA")
    assert "Injera flour" in found.text
    [found] = await say(bot, READER, "/tips tiel")  # the area is searchable too
    assert "Injera flour" in found.text
    [found] = await say(bot, READER, "/tips taalcafe")  # diacritics
    assert "free Dutch lessons" in found.text
    # Arabic letter variants and diacritics fold; the reader's own language comes first
    first, second = await say(bot, READER, "/tips مكتبه lessons")
    assert "free Dutch lessons" in first.text and "مكتبة" in second.text


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
    replies = await say(bot, READER, "/tips bike")
    assert len(replies) == 6
    assert replies[-1].text == "These are the best 5 matches. Add words to find fewer tips."


async def test_a_location_lists_tips_nearby_nearest_first(bot):
    await member(bot, AUTHOR)
    await share(bot, AUTHOR, "Cheap vegetables at the Passewaaij shop", place=PASSEWAAIJ)
    await shared(bot, AUTHOR, "Turkish bakery in Culemborg", place=CULEMBORG)
    await shared(bot, AUTHOR, "Friday market on the Waalkade", place=MARKET)
    await shared(bot, AUTHOR, "A tip without a place")
    await member(bot, READER)
    header, *cards = await send_location(bot, READER, *STATION)
    assert header.text == "Tips near that place, the nearest first:"
    assert tip_texts(cards) == [
        "Friday market on the Waalkade",
        "Cheap vegetables at the Passewaaij shop",
    ]
    assert "0.2 km from you" in cards[0].text
    assert "4.2 km from you" in cards[1].text
    # a venue works as well as a pin
    header, *cards = await send_venue(bot, READER, *CULEMBORG, "Station Culemborg", "Stationsweg")
    assert tip_texts(cards) == ["Turkish bakery in Culemborg"]
    [none] = await send_location(bot, READER, 52.37, 4.89)  # Amsterdam
    assert none.text == "No tips have a place within 5 km of there. You can share one with /tip."


async def test_the_map_button_sends_the_place(bot):
    await member(bot, AUTHOR)
    await share(bot, AUTHOR, "Friday market on the Waalkade", place=MARKET)
    await member(bot, READER)
    [card] = (await send_location(bot, READER, *STATION))[1:]
    _toast, pin = await tap(bot, READER, card, button(card, "tip_map"))
    assert pin.method == "sendLocation"
    assert (pin.params["latitude"], pin.params["longitude"]) == MARKET


def test_distances_are_great_circle_kilometres():
    assert distance_km(*STATION, *STATION) == 0
    assert 14 < distance_km(*STATION, *CULEMBORG) < 16
    assert 55 < distance_km(52.3676, 4.9041, 51.9244, 4.4777) < 60  # Amsterdam–Rotterdam


async def test_one_helpful_vote_per_person_and_none_for_ones_own_tip(bot):
    await member(bot, AUTHOR)
    tip, _ = await share(bot, AUTHOR, "Free swimming lessons for children at De Schelp")
    await member(bot, READER)
    [card, _nav] = await browse(bot, READER)
    vote = button(card, "tip_vote")
    [toast] = await tap(bot, READER, card, vote)
    assert toast.params["text"] == "Thank you! 1 person found this helpful."
    [toast] = await tap(bot, READER, card, vote)
    assert toast.params["text"] == "You marked this tip as helpful already."
    [toast] = await tap(bot, AUTHOR, card, vote)
    assert toast.params["text"] == "This is your own tip."
    other = LocalUser(522, "Omar", "en")
    await member(bot, other)
    [toast] = await tap(bot, other, card, vote)
    assert toast.params["text"] == "Thank you! 2 people found this helpful."
    assert (await bot.runtime.tips.viewable(await member(bot, READER), tip.id)).helpful == 2


async def test_the_author_sees_edit_and_delete_instead_of_votes(bot):
    await member(bot, AUTHOR)
    await share(bot, AUTHOR, "Second-hand school books at the Kringloop")
    [card, _nav] = await browse(bot, AUTHOR)
    assert [label for label, _ in card.buttons] == ["Edit", "Delete"]
