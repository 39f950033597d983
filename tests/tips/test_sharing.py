"""Sharing a tip: category, text, photo, place and area; newcomers wait for an organiser."""

import pytest

from bot.db import fetchall
from bot.local_api import LocalUser
from bot.tips.service import Refused, TipService
from bot.tips.store import get_tip
from tests.harness import ADMIN
from tests.tips.helpers import (
    button,
    labels,
    listed,
    member,
    organiser,
    say,
    send_location,
    send_photo,
    send_venue,
    share,
    tap,
    tip_button,
)

SELAM = LocalUser(501, "Selam", "ti")  # joined long ago
NOOR = LocalUser(502, "Noor", "en")  # joined long ago
NEW = LocalUser(503, "Newton", "en")  # joined today
READER = LocalUser(504, "Rita", "en")


async def test_a_member_shares_a_tip_with_photo_place_and_area_and_it_appears_at_once(bot):
    await member(bot, NOOR)
    [picker] = await say(bot, NOOR, "/tip")
    assert picker.text == "What is your tip about?"
    assert [label for label, _ in picker.buttons] == [
        "Food and shops", "Free activities", "Health", "Children and school", "Work",
        "Papers and money", "Transport", "Other",
    ]  # fmt: skip
    [prompt] = (await tap(bot, NOOR, picker, "1|tip_new|food"))[1:]
    assert prompt.text.startswith("Write your tip: what, where, and how much it costs")
    [editor] = await say(bot, NOOR, "Halal butcher De Kroon sells goat meat on Saturdays.")
    assert editor.text.startswith("Your tip, not published yet.")
    assert "Halal butcher De Kroon" in editor.text
    tip_id = int(button(editor, "tip_pub").split("|")[2])
    [ask_area] = (await tap(bot, NOOR, editor, f"1|tip_set|{tip_id}|area"))[1:]
    assert ask_area.text.startswith("Write the city or neighbourhood")
    [editor] = await say(bot, NOOR, "Tiel, Passewaaij")
    await tap(bot, NOOR, editor, f"1|tip_set|{tip_id}|place")
    [editor] = await send_venue(bot, NOOR, 51.8866, 5.4257, "Slagerij De Kroon", "Waalkade 2")
    await tap(bot, NOOR, editor, f"1|tip_set|{tip_id}|photo")
    [editor] = await send_photo(bot, NOOR, "PHOTO-MEAT")
    assert editor.method == "sendPhoto" and editor.params["photo"] == "PHOTO-MEAT"
    assert "Food and shops · Tiel, Passewaaij" in editor.text
    assert "📍 Slagerij De Kroon, Waalkade 2" in editor.text
    assert await bot.deliver() == []  # a draft is nobody's business
    _toast, published = await tap(bot, NOOR, editor, f"1|tip_pub|{tip_id}")
    assert published.text == "Thank you! Your tip is published."
    tip = await get_tip(bot.runtime.db.reader, tip_id)
    assert (tip.status, tip.locale, tip.photo, tip.area) == (
        "visible", "en", "PHOTO-MEAT", "Tiel, Passewaaij"
    )  # fmt: skip
    assert (tip.latitude, tip.longitude) == (51.8866, 5.4257)
    assert await bot.deliver() == []  # nothing for organisers to do


async def test_a_tips_language_is_its_authors(bot):
    await member(bot, SELAM)
    tip, _replies = await share(bot, SELAM, "ጣይታ ኣብ Toko Asmara ይርከብ")
    assert tip.locale == "ti"
    await member(bot, NOOR)
    await bot.runtime.people.choose_locale(
        await bot.runtime.people.identify(NOOR.id, NOOR.first_name, "en"), "ar"
    )
    tip, _replies = await share(bot, NOOR, "خبز في السوق")
    assert tip.locale == "ar"  # the language they chose, not their Telegram's


async def test_a_newcomers_tip_waits_for_an_organiser_and_they_hear_when_it_is_published(bot):
    olga = LocalUser(510, "Olga", "en")
    await organiser(bot, olga)
    await bot.runtime.people.identify(NEW.id, NEW.first_name, "en")  # joined just now
    tip, [_toast, told] = await share(bot, NEW, "Free bikes at the Fietsbank on Tuesdays.")
    assert tip.status == "pending"
    assert told.text.startswith("Thank you! Because you joined recently, an organiser looks")
    await member(bot, READER)
    [picker] = await say(bot, READER, "/tips")
    [empty] = (await tap(bot, READER, picker, "1|tip_page|all|new|own|0"))[1:]
    assert empty.text.startswith("All categories: no tips in your language yet.")
    notices = await bot.deliver()
    assert [c.chat_id for c in notices] == [olga.id]  # the admin has never talked to the bot
    notice = next(c for c in notices if c.chat_id == olga.id)
    assert notice.text.startswith("A tip from someone who joined recently waits for approval.")
    assert "Free bikes at the Fietsbank" in notice.text and "Newton" not in notice.text
    toast, *_ = await tap(bot, olga, notice, button(notice, "tip_mod", "approve"))
    assert toast.params["text"] == "Published: everyone can find the tip now."
    [published] = await bot.deliver()
    assert published.chat_id == NEW.id
    assert published.text.startswith("Your tip is published now. Thank you for sharing!")
    log = await fetchall(
        bot.runtime.db.reader, "SELECT actor_id, action, target FROM moderation_log"
    )
    assert [tuple(row) for row in log] == [(olga.id, "approve", f"tip:{tip.id}")]
    again, *_ = await tap(bot, olga, notice, button(notice, "tip_mod", "approve"))
    assert again.params["text"] == "This was handled already."


async def test_after_seven_days_a_members_tips_appear_at_once(bot):
    await bot.runtime.people.identify(NEW.id, NEW.first_name, "en")
    first, _ = await share(bot, NEW, "The library on Koornmarkt has free Dutch lessons.")
    assert first.status == "pending"
    bot.clock.advance(days=7, minutes=1)
    second, _ = await share(bot, NEW, "The Voedselbank helps on Fridays.")
    assert second.status == "visible"


async def test_the_approval_period_is_a_setting(bot):
    tips = TipService(bot.runtime.db, bot.clock, bot.runtime.translators, "en", approval_days=0)
    newton = await bot.runtime.people.identify(NEW.id, NEW.first_name, "en")
    draft = await tips.start(newton, "other", "No waiting here.", None)
    assert (await tips.publish(newton, draft.id)).status == "visible"


async def test_a_tip_without_words_too_long_or_of_the_wrong_kind_is_asked_again(bot):
    await member(bot, NOOR)
    [picker] = await say(bot, NOOR, "/tip")
    await tap(bot, NOOR, picker, "1|tip_new|work")
    [refused] = await say(bot, NOOR, "x" * 2001)
    assert refused.text == "That is too long. Please keep a tip under 2000 characters."
    [refused] = await send_location(bot, NOOR, 51.9, 5.4)
    assert refused.text == "Please write your tip as text. You can add a photo after that."
    [editor] = await send_photo(bot, NOOR, "CV-PHOTO", caption="Uitzendbureau Tiel helps with CVs")
    assert editor.params["photo"] == "CV-PHOTO"
    tip_id = int(button(editor, "tip_pub").split("|")[2])
    await tap(bot, NOOR, editor, f"1|tip_set|{tip_id}|photo")
    [refused] = await say(bot, NOOR, "here is the photo")
    assert refused.text == "Please send a photo."
    [editor] = await send_photo(bot, NOOR, "CV-PHOTO-2")
    await tap(bot, NOOR, editor, f"1|tip_set|{tip_id}|place")
    [refused] = await send_photo(bot, NOOR, "NOT-A-PLACE")
    assert refused.text == (
        "Please send a place (tap 📎 and choose Location), or write the city or neighbourhood."
    )
    [editor] = await send_location(bot, NOOR, 51.89, 5.43)
    await tap(bot, NOOR, editor, f"1|tip_set|{tip_id}|area")
    [refused] = await say(bot, NOOR, "a" * 81)
    assert refused.text == "Please write a city or neighbourhood, in under 80 characters."
    [_stopped] = await say(bot, NOOR, "/cancel")
    assert (await bot.runtime.people.identify(NOOR.id, "Noor", "en")).awaiting is None
    tip = await get_tip(bot.runtime.db.reader, tip_id)
    assert (tip.status, tip.photo, tip.area) == ("draft", "CV-PHOTO-2", None)


async def test_a_tips_photo_comes_on_demand_from_a_list_with_the_tips_buttons(bot):
    await member(bot, NOOR)
    long_text = "Where to buy cheap spices: " + "cumin, berbere, sumac. " * 60
    assert 1024 < len(long_text) <= 2000
    long_tip, _ = await share(bot, NOOR, long_text, photo="SPICES")
    bot.clock.advance(minutes=1)
    short_tip, _ = await share(bot, NOOR, "Fresh injera on Fridays", photo="INJERA")
    await member(bot, READER)
    [picker] = await say(bot, READER, "/tips")
    [page] = (await tap(bot, READER, picker, "1|tip_page|food|new|own|0"))[1:]
    assert page.method == "editMessageText"  # a list is text: the photos wait for a press
    assert listed(page) == ["Fresh injera on Fridays", long_text.strip()]
    assert labels(page, 2) == ["2. 👍 Helpful", "2. Outdated?", "2. Report", "2. 📷 Photo"]
    _toast, photo = await tap(bot, READER, page, tip_button(page, 1, "tip_pic"))
    assert (photo.method, photo.params["photo"]) == ("sendPhoto", "INJERA")
    assert photo.text.startswith("💡 Food and shops\n\nFresh injera on Fridays")
    assert button(photo, "tip_vote") == f"1|tip_vote|{short_tip.id}"
    # a caption holds 1,024 characters: the long tip's photo comes without (the list has it)
    _toast, photo = await tap(bot, READER, page, tip_button(page, 2, "tip_pic"))
    assert (photo.method, photo.params["photo"]) == ("sendPhoto", "SPICES")
    assert "caption" not in photo.params
    assert button(photo, "tip_vote") == f"1|tip_vote|{long_tip.id}"
    # a photo of a tip that is not visible any more is not sent
    await bot.runtime.tips.delete(await member(bot, NOOR), short_tip.id)
    [toast] = await tap(bot, READER, page, tip_button(page, 1, "tip_pic"))
    assert toast.params["text"] == "This button has expired."


async def test_blocked_people_cannot_share_tips(bot):
    """The same block list as for questions (a ban may also stop them before any feature)."""
    noor = await member(bot, NOOR)
    async with bot.runtime.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO blocks (user_id, reason, blocked_by, blocked_at) VALUES (?, 'spam', ?, 0)",
            (NOOR.id, ADMIN.id),
        )
    [refused] = await say(bot, NOOR, "/tip")
    assert refused.text in (
        "You cannot share tips at the moment.",
        "Sorry, this is not available to you.",
    )
    with pytest.raises(Refused):
        await bot.runtime.tips.start(noor, "food", "Buy my watches", None)
    assert await fetchall(bot.runtime.db.reader, "SELECT id FROM tips") == []


async def test_the_organiser_who_approves_a_newcomers_tip_sees_its_photo(bot):
    olga = LocalUser(511, "Olga", "en")
    await organiser(bot, olga)
    await bot.runtime.people.identify(NEW.id, NEW.first_name, "en")  # joined just now
    tip, _replies = await share(bot, NEW, "The Fietsbank repairs bikes.", photo="PHOTO-BIKE")
    assert tip.status == "pending"
    [notice] = [c for c in await bot.deliver() if c.chat_id == olga.id]
    assert (notice.method, notice.params["photo"]) == ("sendPhoto", "PHOTO-BIKE")
    assert "The Fietsbank repairs bikes." in notice.text  # the caption, with Approve and Hide
    assert [label for label, _ in notice.buttons] == ["Approve", "Hide"]
