"""Keeping tips fresh: authors are asked after six months; silence or three "Outdated?" flags
hide a tip until an organiser looks at it."""

from bot.db import fetchall
from bot.local_api import LocalUser
from bot.tips.store import get_tip
from tests.harness import bot_harness
from tests.tips.helpers import button, member, organiser, say, shared, tap

AUTHOR = LocalUser(540, "Aster", "ti")
OLGA = LocalUser(541, "Olga", "en")
READERS = [LocalUser(550 + n, f"R{n}", "en") for n in range(4)]


async def run_freshness(bot) -> list:
    job = bot.app.job_queue.get_jobs_by_name("tip-freshness")[0]
    await job.run(bot.app)
    return await bot.deliver()


async def status(bot, tip_id: int) -> tuple[str, str | None]:
    tip = await get_tip(bot.runtime.db.reader, tip_id)
    return tip.status, tip.review


async def test_after_six_months_the_author_is_asked_in_their_language_and_still_right_keeps_it(
    bot,
):
    await member(bot, AUTHOR)
    tip = await shared(bot, AUTHOR, "ሕክምና ኣብ Tiel")
    bot.clock.advance(days=179)
    assert await run_freshness(bot) == []
    bot.clock.advance(days=1, minutes=1)
    [asked] = await run_freshness(bot)
    ti = bot.runtime.translators["ti"]
    assert asked.chat_id == AUTHOR.id
    assert asked.text.startswith(ti.gettext("You shared this tip a while ago. Is it still right?"))
    assert "ሕክምና ኣብ Tiel" in asked.text
    assert [label for label, _ in asked.buttons] == [
        ti.gettext("Still right"),
        ti.gettext("Not any more"),
    ]
    assert await run_freshness(bot) == []  # asked once
    bot.clock.advance(days=10)
    [toast] = await tap(bot, AUTHOR, asked, button(asked, "tip_fresh", tip.id, 1))
    assert toast.params["text"] == ti.gettext("Thank you! The tip stays.")
    assert await status(bot, tip.id) == ("visible", None)
    bot.clock.advance(days=60)  # the 30 days would have run out: the answer counts
    assert await run_freshness(bot) == []
    assert await status(bot, tip.id) == ("visible", None)
    bot.clock.advance(days=121)  # six months after the answer: asked again
    [again] = await run_freshness(bot)
    assert again.chat_id == AUTHOR.id


async def test_without_an_answer_in_30_days_the_tip_waits_for_an_organiser_across_restarts(
    settings,
):
    async with bot_harness(settings) as bot:
        await member(bot, AUTHOR)
        await organiser(bot, OLGA)
        tip = await shared(bot, AUTHOR, "Free Dutch lessons at the library")
        bot.clock.advance(days=181)
        [asked] = await run_freshness(bot)
        clock = bot.clock
    clock.advance(days=29)
    async with bot_harness(settings, clock=clock) as bot:
        assert await run_freshness(bot) == []
        bot.clock.advance(days=1, minutes=1)
        [notice] = await run_freshness(bot)
        assert notice.chat_id == OLGA.id
        assert notice.text.startswith(
            "The author did not say whether this tip is still right. It is hidden until an "
            "organiser looks at it."
        )
        assert await status(bot, tip.id) == ("pending", "no_answer")
        await member(bot, READERS[0])
        [nothing] = await say(bot, READERS[0], "/tips library")
        assert nothing.text == "I found no tips about that. You can share one with /tip."
        late = await tap(bot, AUTHOR, asked, button(asked, "tip_fresh", tip.id, 1))
        assert late[0].params["text"] == bot.runtime.translators["ti"].gettext(
            "This button has expired."
        )
        assert await status(bot, tip.id) == ("pending", "no_answer")
        await tap(bot, OLGA, notice, button(notice, "tip_mod", "approve"))
        assert await status(bot, tip.id) == ("visible", None)
        [found] = await say(bot, READERS[0], "/tips library")
        assert "Free Dutch lessons" in found.text
        assert await bot.deliver() == []  # the author is not told: it was never new


async def test_not_any_more_hides_the_tip_until_the_author_edits_it(bot):
    await member(bot, AUTHOR)
    tip = await shared(bot, AUTHOR, "The Fietsbank gives bikes on Tuesdays")
    bot.clock.advance(days=181)
    [asked] = await run_freshness(bot)
    ti = bot.runtime.translators["ti"]
    _toast, hidden = await tap(bot, AUTHOR, asked, button(asked, "tip_fresh", tip.id, 0))
    assert hidden.text == ti.gettext(
        "Thank you. The tip is hidden now. Edit it to make it right, or delete it."
    )
    assert await status(bot, tip.id) == ("hidden", "author")
    _toast, editor = await tap(bot, AUTHOR, hidden, button(hidden, "tip_edit"))
    assert ti.gettext("🙈 Hidden by you: edit it to show it again") in editor.text
    await tap(bot, AUTHOR, editor, button(editor, "tip_set", tip.id, "text"))
    [editor] = await say(bot, AUTHOR, "The Fietsbank gives bikes on Thursdays now")
    assert await status(bot, tip.id) == ("visible", None)
    edited = await get_tip(bot.runtime.db.reader, tip.id)
    assert edited.text == "The Fietsbank gives bikes on Thursdays now"
    assert edited.confirmed_at == bot.clock.timestamp()  # fresh for another six months
    await member(bot, READERS[0])
    [found] = await say(bot, READERS[0], "/tips thursdays")
    assert "Thursdays now" in found.text
    [nothing] = await say(bot, READERS[0], "/tips tuesdays")  # the old words are gone
    assert nothing.text.startswith("I found no tips")


async def test_three_outdated_flags_hide_a_tip_until_an_organiser_looks(bot):
    await member(bot, AUTHOR)
    await organiser(bot, OLGA)
    tip = await shared(bot, AUTHOR, "Lidl on the Papesteeg is open on Sundays")
    cards = []
    for reader in READERS[:3]:
        await member(bot, reader)
        [card] = await say(bot, reader, "/tips lidl")
        cards.append(card)
    [toast] = await tap(bot, READERS[0], cards[0], button(cards[0], "tip_old"))
    assert toast.params["text"] == "Thank you. If more people say so, an organiser checks it."
    [toast] = await tap(bot, READERS[0], cards[0], button(cards[0], "tip_old"))
    assert toast.params["text"] == "You said this tip is outdated already."
    [toast] = await tap(bot, AUTHOR, cards[0], button(cards[0], "tip_old"))
    assert toast.params["text"] == bot.runtime.translators["ti"].gettext(
        "This is your own tip. You can edit it."
    )
    await tap(bot, READERS[1], cards[1], button(cards[1], "tip_old"))
    assert await status(bot, tip.id) == ("visible", None)
    [toast] = await tap(bot, READERS[2], cards[2], button(cards[2], "tip_old"))
    assert toast.params["text"] == "Thank you. The tip is hidden until an organiser checks it."
    assert await status(bot, tip.id) == ("pending", "outdated")
    [notice] = await bot.deliver()
    assert notice.chat_id == OLGA.id
    assert notice.text.startswith("People say this tip is outdated.")
    [waiting, summary] = await say(bot, OLGA, "/pendingtips")
    assert "Lidl on the Papesteeg" in waiting.text
    assert summary.text == "1 tip waits for an organiser."
    [toast] = await tap(bot, OLGA, waiting, button(waiting, "tip_mod", "approve"))
    assert toast.params["text"] == "Published: everyone can find the tip now."
    assert await status(bot, tip.id) == ("visible", None)
    # the organiser settled it: the old flags no longer count
    assert await fetchall(bot.runtime.db.reader, "SELECT * FROM tip_outdated") == []


async def test_drafts_nobody_published_are_not_kept(bot):
    person = await member(bot, AUTHOR)
    draft = await bot.runtime.tips.start(person, "other", "Half a thought", None)
    bot.clock.advance(days=8)
    await run_freshness(bot)
    assert await get_tip(bot.runtime.db.reader, draft.id) is None
