"""No dead ends while writing a tip: a written address becomes the area, the place step has
Skip and Back, and a tip left half-way waits for its author at the next /tip."""

from bot.tips.store import get_tip
from tests.harness import BRAM
from tests.tips.helpers import button, member, say, tap


async def draft(bot, user, text: str):
    [picker] = await say(bot, user, "/tip")
    await tap(bot, user, picker, "1|tip_new|food")
    editor = (await say(bot, user, text))[-1]
    return editor, int(button(editor, "tip_pub").split("|")[2])


async def test_a_written_address_at_the_place_step_becomes_the_area(bot):
    await member(bot, BRAM)
    t = bot.runtime.translators["nl"]
    editor, tip_id = await draft(bot, BRAM, "Goedkope fietsen bij de kringloop")
    *_, prompt = await tap(bot, BRAM, editor, f"1|tip_set|{tip_id}|place")
    assert prompt.text == t.gettext(
        "Send the place: tap 📎, choose Location, and send a point on the map or pick a "
        "place from the list. Or write the city or neighbourhood."
    )
    assert [label for label, _data in prompt.buttons] == [t.gettext("Skip"), t.gettext("⬅️ Back")]
    editor = (await say(bot, BRAM, "Papesteeg 5, Tiel"))[-1]
    assert "Papesteeg 5, Tiel" in editor.text
    tip = await get_tip(bot.runtime.db.reader, tip_id)
    assert tip.area == "Papesteeg 5, Tiel" and not tip.has_place


async def test_back_from_the_place_step_shows_the_tip_and_stops_waiting_for_a_place(bot):
    await member(bot, BRAM)
    editor, tip_id = await draft(bot, BRAM, "Gratis koffie in de bibliotheek")
    *_, prompt = await tap(bot, BRAM, editor, f"1|tip_set|{tip_id}|place")
    *_, back = await tap(bot, BRAM, prompt, f"1|tip_back|{tip_id}")
    assert "Gratis koffie in de bibliotheek" in back.text
    assert button(back, "tip_pub")  # the draft's editor, with Publish
    later = await say(bot, BRAM, "Hallo")  # no longer read as the place
    tip = await get_tip(bot.runtime.db.reader, tip_id)
    assert tip.area is None and later and "Hallo" not in later[-1].text
    forged = await tap(bot, BRAM, prompt, "1|tip_back|999")
    assert forged[0].params["text"] == bot.runtime.translators["nl"].gettext(
        "This button has expired."
    )


async def test_a_tip_left_half_way_can_be_continued_or_started_again(bot):
    await member(bot, BRAM)
    t = bot.runtime.translators["nl"]
    _editor, tip_id = await draft(bot, BRAM, "Turkse bakker op de Waalkade")
    await say(bot, BRAM, "/cancel")
    [offer] = await say(bot, BRAM, "/tip")
    assert offer.text.startswith(t.gettext("You started this tip and did not publish it yet."))
    assert "Turkse bakker op de Waalkade" in offer.text
    *_, editor = await tap(bot, BRAM, offer, f"1|tip_resume|{tip_id}")
    assert button(editor, "tip_pub", tip_id)  # what was written is kept
    [offer] = await say(bot, BRAM, "/tip")
    *_, picker = await tap(bot, BRAM, offer, f"1|tip_again|{tip_id}")
    assert picker.text == t.gettext("What is your tip about?")
    assert await get_tip(bot.runtime.db.reader, tip_id) is None
    [fresh] = await say(bot, BRAM, "/tip")  # nothing left half-way any more
    assert fresh.text == t.gettext("What is your tip about?")
