"""Authors edit and delete their own tips; organisers approve, hide and restore; reports;
and presses on someone else's tip change nothing."""

from bot import ui
from bot.db import fetchall
from bot.local_api import LocalUser
from bot.tips import handlers
from bot.tips.service import FRESH, MODERATE, Field
from bot.tips.store import get_tip
from tests.harness import ADMIN
from tests.tips.helpers import (
    button,
    member,
    organiser,
    say,
    send_location,
    share,
    shared,
    tap,
)

AUTHOR = LocalUser(560, "Aster", "en")
OTHER = LocalUser(561, "Intruder", "en")
OLGA = LocalUser(562, "Olga", "en")
NEWCOMER = LocalUser(563, "Nadia", "en")
EXPIRED = "This button has expired."


async def snapshot(bot) -> list[tuple]:
    rows = await fetchall(bot.runtime.db.reader, "SELECT * FROM tips ORDER BY id")
    votes = await fetchall(bot.runtime.db.reader, "SELECT * FROM tip_votes")
    flags = await fetchall(bot.runtime.db.reader, "SELECT * FROM tip_outdated")
    log = await fetchall(bot.runtime.db.reader, "SELECT * FROM moderation_log")
    return [tuple(r) for r in rows + votes + flags + log]


async def test_authors_edit_their_tips_from_mytips(bot):
    await member(bot, AUTHOR)
    tip, _ = await share(
        bot, AUTHOR, "Free coffee at the Buurthuis", area="Tiel", place=(51.88, 5.42)
    )
    [card] = await say(bot, AUTHOR, "/mytips")
    assert "Free coffee at the Buurthuis" in card.text
    toast, editor = await tap(bot, AUTHOR, card, button(card, "tip_edit"))
    assert editor.text.startswith("Your tip. What would you like to change?")
    toast, prompt = await tap(bot, AUTHOR, editor, button(editor, "tip_set", tip.id, "area"))
    assert [label for label, _ in prompt.buttons] == ["Remove it"]
    toast, editor = await tap(bot, AUTHOR, prompt, button(prompt, "tip_clr"))
    assert "Tiel" not in editor.text
    assert (await bot.runtime.people.identify(AUTHOR.id, "Aster", "en")).awaiting is None
    await tap(bot, AUTHOR, editor, button(editor, "tip_set", tip.id, "place"))
    [editor] = await send_location(bot, AUTHOR, 51.9, 5.4)  # inside the flow: the tip's place
    edited = await get_tip(bot.runtime.db.reader, tip.id)
    assert (edited.latitude, edited.longitude, edited.area) == (51.9, 5.4, None)
    [toast] = await tap(bot, AUTHOR, editor, button(editor, "tip_done"))
    assert toast.params["text"] == "Saved."


async def test_a_newcomers_edit_of_a_published_tip_waits_for_an_organiser_again(bot):
    await organiser(bot, OLGA)
    newcomer = await bot.runtime.people.identify(NEWCOMER.id, NEWCOMER.first_name, "en")
    tip = await shared(bot, NEWCOMER, "Cheap phone cards at the Primera")
    assert tip.status == "pending"
    await bot.runtime.tips.approve(await organiser(bot, OLGA), tip.id)
    await bot.deliver()
    await bot.runtime.tips.change(newcomer, tip.id, Field.TEXT, "Visit my website")
    assert (await get_tip(bot.runtime.db.reader, tip.id)).status == "pending"
    [notice] = [c for c in await bot.deliver() if c.chat_id == OLGA.id]
    assert "Visit my website" in notice.text


async def test_authors_delete_their_tips_after_confirming(bot):
    await member(bot, AUTHOR)
    tip = await shared(bot, AUTHOR, "Kringloop De Cirkel has cheap furniture")
    [card] = await say(bot, AUTHOR, "/mytips")
    _toast, confirm = await tap(bot, AUTHOR, card, button(card, "tip_del"))
    assert confirm.text == "Delete this tip? It cannot be undone."
    _toast, done = await tap(bot, AUTHOR, confirm, button(confirm, "tip_delok"))
    assert done.text == "Your tip is deleted."
    assert await get_tip(bot.runtime.db.reader, tip.id) is None
    [none] = await say(bot, AUTHOR, "/mytips")
    assert none.text == "You have not shared any tips yet. /tip shares one."
    rows = await fetchall(bot.runtime.db.reader, "SELECT rowid FROM tips_fts")
    assert rows == []


async def test_forged_presses_on_someone_elses_tip_change_nothing(bot):
    await member(bot, AUTHOR)
    await member(bot, OTHER)
    tip = await shared(bot, AUTHOR, "Halal meat at the Saturday market")
    draft = await bot.runtime.tips.start(
        await member(bot, AUTHOR), "food", "A draft nobody else may touch", None
    )
    [card] = await say(bot, OTHER, "/tips halal")
    await tap(bot, OTHER, card, button(card, "tip_vote"))  # one real vote
    before = await snapshot(bot)
    for data in [
        f"1|tip_edit|{tip.id}",
        f"1|tip_del|{tip.id}",
        f"1|tip_delok|{tip.id}",
        f"1|tip_set|{tip.id}|text",
        f"1|tip_clr|{tip.id}|area",
        f"1|tip_done|{tip.id}",
        f"1|tip_pub|{draft.id}",
        f"1|tip_delok|{draft.id}",
        f"1|tip_set|{draft.id}|photo",
        f"1|tip_fresh|{tip.id}|0",
        f"1|tip_mod|hide|{tip.id}",
        f"1|tip_mod|approve|{draft.id}",
        f"1|tip_mod|restore|{tip.id}",
        f"1|tip_map|{draft.id}",
        f"1|tip_map|{tip.id}",  # a tip without a place
        f"1|tip_pic|{draft.id}",
        f"1|tip_pic|{tip.id}",  # a tip without a photo
        f"1|tip_pic|{tip.id}|extra",
        "1|tip_pic|",
        f"1|tip_vote|{draft.id}",
        f"1|tip_old|{draft.id}",
        f"1|tip_vote|{tip.id}|extra",
        "1|tip_vote|abc",
        "1|tip_page|nonsense|new|own|0",
        "1|tip_page|all|new|own|-5",
        "1|tip_new|nonsense",
        "1|tip_hid",
    ]:
        replies = await tap(bot, OTHER, card, data)
        assert [c.method for c in replies] == ["answerCallbackQuery"], data
        assert replies[0].params["text"] in (EXPIRED, "This tip cannot be changed any more."), data
    [toast] = await tap(bot, OTHER, card, button(card, "tip_vote"))  # voting twice
    assert toast.params["text"] == "You marked this tip as helpful already."
    assert await snapshot(bot) == before
    assert (await bot.runtime.people.identify(OTHER.id, "Intruder", "en")).awaiting is None
    assert await bot.deliver() == []


async def test_a_newcomer_cannot_approve_or_see_the_queue(bot):
    await organiser(bot, OLGA)
    newcomer = await bot.runtime.people.identify(NEWCOMER.id, NEWCOMER.first_name, "en")
    tip = await shared(bot, NEWCOMER, "Buy cheap watches")
    [notice] = await bot.deliver()
    before = await snapshot(bot)
    [toast] = await tap(bot, NEWCOMER, notice, button(notice, "tip_mod", "approve"))
    assert toast.params["text"] == EXPIRED
    [refused] = await say(bot, NEWCOMER, "/pendingtips")
    assert refused.text == "Only organisers can see this."
    assert await snapshot(bot) == before
    assert (await get_tip(bot.runtime.db.reader, tip.id)).status == "pending"
    assert newcomer.is_organiser is False


async def test_organisers_hide_with_a_reason_and_restore(bot):
    await member(bot, AUTHOR)
    await organiser(bot, OLGA)
    tip = await shared(bot, AUTHOR, "Ask for Mo at the station for cheap papers")
    [card] = await say(bot, OLGA, "/tips papers")
    assert [label for label, _ in card.buttons][-1] == "1. Hide"
    toast, why = await tap(bot, OLGA, card, button(card, "tip_mod", "hide"))
    assert why.text.startswith("Why? Write the reason")
    [done] = await say(bot, OLGA, "Illegal advice")
    assert done.text == "Done. The tip is hidden."
    assert (await get_tip(bot.runtime.db.reader, tip.id)).status == "hidden"
    [nothing] = await say(bot, OTHER, "/tips papers")
    assert nothing.text.startswith("I found no tips")
    [toast] = await tap(bot, OLGA, card, button(card, "tip_mod", "hide"))
    assert toast.params["text"] == "This was handled already."
    [none, *_] = await say(bot, OLGA, "/pendingtips")
    assert none.text == "No tips are waiting."
    toast, hidden = await tap(bot, OLGA, none, button(none, "tip_hid"))
    assert hidden.text.startswith("An organiser hid this tip.")
    assert "Restore" in [label for label, _ in hidden.buttons]
    [toast] = await tap(bot, OLGA, hidden, button(hidden, "tip_mod", "restore"))
    assert toast.params["text"] == "The tip can be found again."
    assert (await get_tip(bot.runtime.db.reader, tip.id)).status == "visible"
    log = await fetchall(
        bot.runtime.db.reader, "SELECT actor_id, action, target, reason FROM moderation_log"
    )
    assert [tuple(r) for r in log] == [
        (OLGA.id, "hide", f"tip:{tip.id}", "Illegal advice"),
        (OLGA.id, "restore", f"tip:{tip.id}", ""),
    ]


async def test_a_reported_tip_is_hidden_from_reports_and_its_author_blocked(bot):
    await member(bot, AUTHOR)
    await member(bot, OTHER)
    tip = await shared(bot, AUTHOR, "Buy cheap watches at my place")
    [card] = await say(bot, OTHER, "/tips watches")
    [toast] = await tap(bot, OTHER, card, button(card, "report", "tip"))
    assert toast.params["text"] == "Thank you. An organiser will look at it."
    [queue] = await bot.send(ADMIN, "/moderation")
    assert "Buy cheap watches" in queue.text and "Aster" not in queue.text
    await bot.press(ADMIN, queue, "Hide and block the author")
    [done] = await bot.send(ADMIN, "advertising")
    assert done.text == "Done. It is hidden everywhere."
    hidden = await get_tip(bot.runtime.db.reader, tip.id)
    assert (hidden.status, hidden.review) == ("hidden", "report")
    [nothing] = await say(bot, OTHER, "/tips watches")
    assert nothing.text.startswith("I found no tips")
    # the same block list as for questions: no more tips from them
    [blocked] = await say(bot, AUTHOR, "/tip")
    assert blocked.text in (
        "You cannot share tips at the moment.",
        "Sorry, this is not available to you.",
    )
    # and a hidden tip cannot be edited back into view, though its author may delete it
    author = await member(bot, AUTHOR)
    assert await bot.runtime.tips.editable(author, tip.id) is None
    assert await bot.runtime.tips.delete(author, tip.id)


async def test_erasing_oneself_takes_ones_tips_along_unless_left_without_a_name(bot):
    await member(bot, AUTHOR)
    await member(bot, OTHER)
    kept = await shared(bot, AUTHOR, "Free museum day on the first Sunday")
    gone = await shared(bot, OTHER, "Bike repair café on Saturdays")
    await bot.runtime.tips.vote(await member(bot, OTHER), kept.id)
    async with bot.runtime.db.transaction() as conn:
        await bot.runtime.tips.forget_person(conn, AUTHOR.id, 0, True)
        await bot.runtime.tips.forget_person(conn, OTHER.id, 0, False)
    left = await get_tip(bot.runtime.db.reader, kept.id)
    assert (left.author_id, left.status, left.helpful) == (None, "visible", 0)
    assert await get_tip(bot.runtime.db.reader, gone.id) is None
    [found] = await say(bot, NEWCOMER, "/tips museum")
    assert "Free museum day" in found.text
    [nothing] = await say(bot, NEWCOMER, "/tips repair")
    assert nothing.text.startswith("I found no tips")


async def test_a_location_while_writing_a_question_goes_to_the_question(bot):
    """Somebody else's text input still gets the location: the tips feature does not take it."""
    await member(bot, OTHER)
    await bot.runtime.people.expect_text(await member(bot, OTHER), "ask:housing")
    [reply] = await send_location(bot, OTHER, 51.88, 5.42)
    assert reply.text == "Please write your question, or send a voice note."


def test_callback_data_fits_telegrams_64_bytes_for_large_ids():
    big = 10**12
    assert ui.encode(handlers.PAGE, "transport", "top", "all", big)
    assert ui.encode(handlers.CLEAR, big, "place")
    assert ui.encode(MODERATE, "restore", big)
    assert ui.encode(FRESH, big, 1)
