"""The first week of a real community, across rooms: an admin, one invited helper and newcomers
in four languages, each pressing the buttons they see and reading what they get in their own
language. Café seats, a question with a photo, a tip, erasure (of a seat and a tip, and of an
open question with a photo that escalation has queued for the admin), and a small burst."""

import asyncio
import json

from bot.db import fetchall
from bot.i18n import language_name
from bot.local_api import LocalUser
from tests.cafes.helpers import create_cafe
from tests.harness import ADMIN, bot_harness
from tests.privacy.test_erasure import database_files
from tests.questions.files import photo
from tests.questions.test_fresh_community import accept_helper_invite, escalate
from tests.tips.helpers import share

HELPER = LocalUser(802, "Hassan", "ar")
# the asker, who later erases herself; a long id, so that the byte scan after her erasure
# cannot find it by chance in the binary parts of the database files (a 3-digit id can be)
SALMA = LocalUser(777_000_901, "Salma", "ar")
TESFAY = LocalUser(902, "Tesfay", "ti")
BRAM = LocalUser(903, "Bram", "nl")
EMMA = LocalUser(904, "Emma", "en")
TIP = "The Qumran shop on Zwaluwstraat sells fresh injera every Friday"
LETTER = "PHOTO-OF-A-GEMEENTE-LETTER-5521"


def t(bot, user):
    return bot.runtime.translators[user.language_code]


async def start_and_pick_language(bot, user):
    [greeting] = await bot.send(user, "/start")
    _answer, chosen, news = await bot.press(user, greeting, language_name(user.language_code))
    _ = t(bot, user).gettext
    assert chosen.text.startswith(
        _("I will write to you in {language}.").format(language=language_name(user.language_code))
    )
    assert news.text == _("Do you want news about language cafés and community events?")


async def test_day_one_the_cafe_fills_and_a_freed_seat_goes_to_the_waitlist(settings):
    async with bot_harness(settings) as bot:
        await bot.send(ADMIN, "/start")
        done = await accept_helper_invite(bot, HELPER)
        assert "/helper" in done
        [opened] = await bot.deliver()
        assert opened.chat_id == ADMIN.id
        assert opened.text == "Hassan opened your invite. Their new role: helper."
        await create_cafe(bot, seats="2")
        for user in (SALMA, TESFAY, BRAM, EMMA):
            await start_and_pick_language(bot, user)
        for user in (SALMA, TESFAY):
            [listing] = await bot.send(user, "/cafes")
            _ = t(bot, user).gettext
            [(label, _data)] = listing.buttons
            assert label == _("Sign up")
            _answer, seat = await bot.press(user, listing, label)
            assert seat.method == "sendDocument"
            assert seat.text.startswith(_("You have a seat! See you there."))
            assert next(iter(seat.files.values()))[0] == "cafe.ics"
        [listing] = await bot.send(BRAM, "/cafes")
        nl = t(bot, BRAM).gettext
        assert nl("Full: you can join the waitlist.") in listing.text
        [*_, waiting] = await bot.press(BRAM, listing, listing.buttons[0][0])
        assert waiting.text == nl(
            "This café is full. You are number {position} on the waitlist. If a seat comes "
            "free, it is yours automatically and I will tell you."
        ).format(position=1)
        # Tesfay gives up the seat: two taps, in Tigrinya
        ti = t(bot, TESFAY).gettext
        [mine] = await bot.send(TESFAY, "/mycafes")
        [*_, confirm] = await bot.press(TESFAY, mine, ti("Cancel my place"))
        assert confirm.text.startswith(ti("Give up your seat?"))
        [*_, cancelled] = await bot.press(TESFAY, confirm, ti("Yes, give up my seat"))
        assert cancelled.text == ti(
            "Your place is cancelled. Thank you for telling us: someone waiting gets it now."
        )
        promoted = await bot.deliver()
        assert [c.chat_id for c in promoted] == [BRAM.id]
        [told] = promoted
        assert told.method == "sendDocument"
        assert told.text.startswith(nl("Good news: a seat came free, and it is yours!"))
        assert next(iter(told.files.values()))[0] == "cafe.ics"
        assert await bot.deliver() == []


async def test_thirty_newcomers_at_once_each_get_their_replies_once(settings):
    async with bot_harness(settings) as bot:
        await create_cafe(bot, seats="10")
        crowd = [LocalUser(6000 + n, f"N{n}", ("ar", "ti", "nl", "en")[n % 4]) for n in range(30)]
        starts = await asyncio.gather(*(bot.send(user, "/start") for user in crowd))
        listings = await asyncio.gather(*(bot.send(user, "/cafes") for user in crowd))
        for user, started, listed in zip(crowd, starts, listings, strict=True):
            _ = t(bot, user).gettext
            [greeting] = started
            assert greeting.text.startswith(
                _("Welcome to {community}!").format(
                    community=t(bot, user).isolate("Praattafel Tiel")
                )
            )
            [listing] = listed
            assert "Bibliotheek Tiel, Koornmarkt 1" in listing.text
            assert [label for label, _data in listing.buttons] == [_("Sign up")]
        for user in crowd:
            assert len([c for c in bot.api.calls if c.chat_id == user.id]) == 2


async def salma_asks_with_the_letter(bot, words: str):
    """A fresh community (the admin, and a helper who accepted an invite); Salma asks her
    question with a photo of the letter, presses through the warning, and sends it."""
    await bot.send(ADMIN, "/start")
    await accept_helper_invite(bot, HELPER)
    await bot.deliver()
    [topics] = await bot.send(SALMA, "/ask")
    await bot.press(SALMA, topics, topics.buttons[0][0])
    [warning] = await bot.send_content(SALMA, photo(LETTER, words))
    [*_, sent] = await bot.press(SALMA, warning, t(bot, SALMA).gettext("Send"))
    return sent


async def test_a_question_with_a_photo_waits_escalates_is_answered_shared_and_found(settings):
    async with bot_harness(settings) as bot:
        ar = t(bot, SALMA).gettext
        sent = await salma_asks_with_the_letter(bot, "ماذا تعني هذه الرسالة من البلدية؟")
        assert sent.text == t(bot, SALMA).ngettext(
            "Your question went to {count} helper. Answers will come here.",
            "Your question went to {count} helpers. Answers will come here.",
            1,
        ).format(count=1)
        relayed = await bot.deliver()
        assert {c.chat_id for c in relayed} == {HELPER.id}
        assert relayed[0].params["photo"] == LETTER
        for call in relayed:
            dumped = json.dumps(call.params, ensure_ascii=False, default=str)
            assert "Salma" not in dumped and str(SALMA.id) not in dumped
        for _pass in range(4):
            bot.clock.advance(hours=24)
            passed = await escalate(bot)
            assert len([c for c in passed if c.chat_id == ADMIN.id]) <= 1
        question = relayed[-1]
        await bot.press(HELPER, question, t(bot, HELPER).gettext("Answer"))
        await bot.send(HELPER, "إنها فاتورة ضريبة البلدية، ادفعيها قبل نهاية الشهر")
        [answer] = [c for c in await bot.deliver() if c.chat_id == SALMA.id]
        assert "ضريبة البلدية" in answer.text and "Hassan" not in answer.text
        [*_, close] = await bot.press(SALMA, answer, ar("Close the question"))
        await bot.press(SALMA, close, ar("Yes, share it without my name"))
        reader = LocalUser(905, "Yusuf", "ar")
        mark = len(bot.api.calls)
        [found] = await bot.send(reader, "/search رسالة البلدية")
        assert "ضريبة البلدية" in found.text
        # the knowledge base is text only: the photo of the letter is not shown to a reader
        shown = [c for c in bot.api.calls[mark:] if c.chat_id == reader.id]
        assert [c.method for c in shown] == ["sendMessage"]
        assert LETTER not in json.dumps([c.params for c in shown], default=str)


async def test_a_newcomers_tip_is_approved_and_found_then_mydata_and_deleteme(settings):
    async with bot_harness(settings) as bot:
        await bot.send(ADMIN, "/start")
        cafe = await create_cafe(bot, seats="1")
        await start_and_pick_language(bot, SALMA)
        [listing] = await bot.send(SALMA, "/cafes")
        await bot.press(SALMA, listing, listing.buttons[0][0])
        tip, replies = await share(bot, SALMA, TIP)
        assert tip.status == "pending"  # she joined today: an organiser looks first
        assert replies[-1].text == t(bot, SALMA).gettext(
            "Thank you! Because you joined recently, an organiser looks at your tip first. "
            "You will hear when it is published."
        )
        [notice] = [c for c in await bot.deliver() if c.chat_id == ADMIN.id]
        assert TIP in notice.text
        replies = await bot.press(ADMIN, notice, "Approve")
        assert replies[-1].text == "Published: everyone can find the tip now."
        told = await bot.deliver()
        assert [c.chat_id for c in told] == [SALMA.id]  # she hears it is published
        [found] = await bot.send(EMMA, "/tips injera")
        assert TIP in found.text
        summary, document = await bot.send(SALMA, "/mydata")
        data = json.loads(next(iter(document.files.values()))[1])
        assert summary.text.startswith("هذا كل ما أحفظه عنك، في ملف.")
        assert len(data["cafe_signups"]) == 1 and data["tips"][0]["text"] == TIP
        [confirm] = await bot.send(SALMA, "/deleteme")
        replies = await bot.press(SALMA, confirm, t(bot, SALMA).gettext("Erase everything"))
        assert replies[-1].text.startswith("تم مسح كل شيء.")
        files = database_files(settings)
        assert [
            s for s in ("Salma", str(SALMA.id), TIP) if any(s.encode() in b for b in files.values())
        ] == []
        [listing] = await bot.send(EMMA, "/cafes")
        assert "1 seat left" in listing.text  # her seat is free again for the others
        assert cafe.id == 1


async def test_an_open_question_with_a_photo_is_in_mydata_and_gone_after_deleteme(settings):
    """Her question waits, with its photo, and has reached the admin's outbox by escalation when
    she erases herself: nothing of it is sent afterwards, and nothing is left in the files."""
    words = "ماذا تعني هذه الرسالة من مصلحة الضرائب؟"
    async with bot_harness(settings) as bot:
        ar = t(bot, SALMA).gettext
        await salma_asks_with_the_letter(bot, words)
        assert [c.chat_id for c in await bot.deliver()] == [HELPER.id]
        queued = []
        for _pass in range(4):  # passes run, but the outbox is not sent yet
            bot.clock.advance(hours=24)
            await bot.app.job_queue.get_jobs_by_name("question-escalation")[0].run(bot.app)
            queued = await fetchall(
                bot.runtime.db.reader,
                "SELECT text, file_id FROM outbox WHERE recipient_id = ? AND status = 'pending'",
                (ADMIN.id,),
            )
            if queued:
                break
        # one question in the pass: the admin gets the question itself, with its photo
        assert [(words in row["text"], row["file_id"]) for row in queued] == [(True, LETTER)]

        _summary, document = await bot.send(SALMA, "/mydata")
        data = json.loads(next(iter(document.files.values()))[1])
        assert [q["text"] for q in data["questions"]] == [words]
        assert [f["file_id"] for f in data["files_in_your_questions"]] == [LETTER]

        [confirm] = await bot.send(SALMA, "/deleteme")
        replies = await bot.press(SALMA, confirm, ar("Erase everything"))
        assert replies[-1].text.startswith("تم مسح كل شيء.")
        sent = await bot.deliver()
        dumped = json.dumps([c.params for c in sent], ensure_ascii=False, default=str)
        assert LETTER not in dumped and words not in dumped
        files = database_files(settings)
        everything = b"".join(files.values())
        assert [
            s for s in ("Salma", str(SALMA.id), LETTER, words) if s.encode() in everything
        ] == []


async def test_day_one_a_newcomer_types_her_question_without_ask_and_the_helper_gets_it(settings):
    """What most people do first: /start, their language, then the question itself."""
    async with bot_harness(settings) as bot:
        await bot.send(ADMIN, "/start")
        await accept_helper_invite(bot, HELPER)
        await bot.deliver()
        await start_and_pick_language(bot, SALMA)
        ar = t(bot, SALMA).gettext
        [offer] = await bot.send(SALMA, "أين أتعلم اللغة الهولندية مجانا في تيل؟")
        assert offer.text == ar(
            "I did not understand that. Is it a question for the community? Choose what it is "
            "about, and I will look for answers. Or type /help to see what I can do."
        )
        [*_, sent] = await bot.press(SALMA, offer, ar("Language and study"))
        assert sent.text == t(bot, SALMA).ngettext(
            "Your question went to {count} helper. Answers will come here.",
            "Your question went to {count} helpers. Answers will come here.",
            1,
        ).format(count=1)
        [question] = await bot.deliver()
        assert question.chat_id == HELPER.id and "مجانا في تيل" in question.text
        assert "Salma" not in json.dumps(question.params, ensure_ascii=False)
        # Hassan writes his answer straight away, without pressing Answer: he is told how
        [hint] = await bot.send(HELPER, "في المكتبة، كل يوم ثلاثاء، مجانا")
        assert hint.text == t(bot, HELPER).gettext(
            "I did not understand that. To answer a question, press Answer under it "
            "first, then write your answer. Type /help to see what I can do."
        )
        assert await bot.deliver() == []
        await bot.press(HELPER, question, t(bot, HELPER).gettext("Answer"))
        await bot.send(HELPER, "في المكتبة، كل يوم ثلاثاء، مجانا")
        [answer] = [c for c in await bot.deliver() if c.chat_id == SALMA.id]
        assert "في المكتبة" in answer.text and "Hassan" not in answer.text
