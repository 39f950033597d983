"""Many people write their tip straight after /tip, before pressing a category: the tip is
kept as a draft, the categories come again, and the press opens the tip's editor."""

from bot.local_api import LocalUser
from bot.tips.store import get_tip
from tests.harness import BRAM
from tests.tips.helpers import button, member, say, send_photo, tap

KEPT = "I have kept your tip. What is it about?"


async def test_a_tip_written_before_its_category_is_kept_and_goes_on_after_it(bot):
    await member(bot, BRAM)
    t = bot.runtime.translators["nl"]
    [picker] = await say(bot, BRAM, "/tip")
    [kept] = await say(bot, BRAM, "De Turkse winkel op de Kerkstraat")
    assert kept.text == t.gettext(KEPT)
    assert [label for label, _data in kept.buttons] == [label for label, _d in picker.buttons]
    [kept] = await say(bot, BRAM, "verkoopt halal vlees, goedkoop op vrijdag")  # it joins
    tip_id = int(button(kept, "tip_new", "food").split("|")[-1])
    *_, editor = await tap(bot, BRAM, kept, button(kept, "tip_new", "food"))
    assert t.gettext("Food and shops") in editor.text
    assert "De Turkse winkel op de Kerkstraat\nverkoopt halal vlees" in editor.text
    assert button(editor, "tip_pub", tip_id)  # a draft: nobody sees it before Publish
    tip = await get_tip(bot.runtime.db.reader, tip_id)
    assert tip.category == "food" and tip.status == "draft"
    later = await say(bot, BRAM, "Hallo")  # no longer taken as the tip
    assert "Hallo" not in (await get_tip(bot.runtime.db.reader, tip_id)).text
    assert later[-1].text != t.gettext(KEPT)


async def test_a_category_of_the_first_keyboard_goes_on_with_the_kept_tip(bot):
    await member(bot, BRAM)
    [picker] = await say(bot, BRAM, "/tip")
    await say(bot, BRAM, "Gratis zwemmen voor kinderen op woensdag")
    *_, editor = await tap(bot, BRAM, picker, button(picker, "tip_new", "free"))
    assert "Gratis zwemmen voor kinderen op woensdag" in editor.text
    assert bot.runtime.translators["nl"].gettext("Free activities") in editor.text


async def test_forged_presses_on_a_kept_tip_change_nothing(bot):
    await member(bot, BRAM)
    other = LocalUser(206, "Olga", "nl")
    await member(bot, other)
    expired = bot.runtime.translators["nl"].gettext("This button has expired.")
    await say(bot, BRAM, "/tip")
    [kept] = await say(bot, BRAM, "Goedkope fietsen bij de kringloop")
    tip_id = int(button(kept, "tip_new", "food").split("|")[-1])
    for data in (
        f"1|tip_new|food|{tip_id}",  # somebody else's tip
        "1|tip_new|food|999999",
        "1|tip_new|food|x",
        f"1|tip_new|nonsense|{tip_id}",
    ):
        [toast, *_] = await tap(bot, other, kept, data)
        assert toast.params["text"] == expired
    assert (await get_tip(bot.runtime.db.reader, tip_id)).category == "other"
    *_, editor = await tap(bot, BRAM, kept, button(kept, "tip_new", "transport"))
    await tap(bot, BRAM, editor, button(editor, "tip_pub", tip_id))
    assert (await get_tip(bot.runtime.db.reader, tip_id)).status != "draft"
    [toast, *_] = await tap(bot, BRAM, kept, button(kept, "tip_new", "food"))
    assert toast.params["text"] == expired  # published: its category stays
    assert (await get_tip(bot.runtime.db.reader, tip_id)).category == "transport"


async def test_an_empty_or_emoji_tip_before_the_category_is_refused_and_still_waits(bot):
    await member(bot, BRAM)
    t = bot.runtime.translators["nl"]
    await say(bot, BRAM, "/tip")
    [refused] = await say(bot, BRAM, "🙂🙂")
    assert refused.text != t.gettext(KEPT)
    [kept] = await say(bot, BRAM, "Gratis koffie in de bibliotheek")
    assert kept.text == t.gettext(KEPT)


async def test_a_photo_with_its_words_before_the_category_is_kept_with_the_photo(bot):
    await member(bot, BRAM)
    t = bot.runtime.translators["nl"]
    await say(bot, BRAM, "/tip")
    [refused] = await send_photo(bot, BRAM, "SHOP-PHOTO")  # a photo alone says nothing yet
    assert refused.text == t.gettext(
        "Please write your tip as text. You can add a photo after that."
    )
    [kept] = await send_photo(bot, BRAM, "SHOP-PHOTO", "Verse injera bij Toko Addis")
    assert kept.text == t.gettext(KEPT)
    tip_id = int(button(kept, "tip_new", "food").split("|")[-1])
    await tap(bot, BRAM, kept, button(kept, "tip_new", "food"))
    tip = await get_tip(bot.runtime.db.reader, tip_id)
    assert (tip.text, tip.photo, tip.category) == (
        "Verse injera bij Toko Addis",
        "SHOP-PHOTO",
        "food",
    )
