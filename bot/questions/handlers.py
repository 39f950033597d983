"""Peer questions as a conversation: ask, see similar answers, answer, follow up, close, search.

Every message between asker and helper goes through the bot; neither sees the other's account.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import ui
from bot.context import BotContext
from bot.i18n import SHIPPED_LOCALES, language_name
from bot.markup import inline_keyboard, reply_in_parts, show_in_place, without_button
from bot.privacy.handlers import urgent_text
from bot.questions import attaching
from bot.questions.attaching import RETAKE, SEND_DRAFT, carries_file
from bot.questions.conversation import (
    ATTACHING,
    AWAITING_ANSWER,
    AWAITING_FOLLOW_UP,
    AWAITING_QUESTION,
    AWAITING_TOPIC,
    refusal_text,
    service,
)
from bot.questions.digest import OPEN
from bot.questions.escalation import Opened
from bot.questions.relaying import ANSWER, opening
from bot.questions.service import (
    ACCEPT,
    CLOSE,
    FOLLOW_UP,
    AskRefusal,
    Draft,
    KnownAnswer,
    Refused,
    Routed,
)
from bot.questions.topics import TOPICS

TOPIC = "q_topic"
ASK_AGAIN = "q_again"  # discard a question kept without a topic, and choose a topic anew
ASK_ANYWAY = "q_send"
SOLVED = "q_solved"
KEEP = "q_keep"
ALSO_READS = "also"
AWAITING_SEARCH = "search"  # after /search without words: the next message is the words


def _content(message: Message) -> tuple[str | None, str | None]:
    """(text, voice file id) of a message; a voice note may carry a caption."""
    voice = message.voice.file_id if message.voice else None
    return message.text or message.caption, voice


# -- asking ---------------------------------------------------------------------------------


async def ask(update: Update, context: BotContext) -> None:
    try:
        await service(context).check_can_ask(context.person)
    except Refused as refused:
        await update.effective_message.reply_text(refusal_text(context, refused.reason))
        return
    kept = await service(context).kept_without_topic(context.person)
    if kept is not None:  # written before a topic, then left: go on with it, or start again
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_TOPIC}:{kept.id}"
        )
        await update.effective_message.reply_text(
            context._(
                "You started this question and did not send it yet: “{question}”. What is it about?"
            ).format(question=context.t.isolate(opening(context.t, kept))),
            reply_markup=inline_keyboard(
                [
                    *_topic_rows(context, kept.id),
                    [(context._("Start again"), ui.encode(ASK_AGAIN, kept.id))],
                ]
            ),
        )
        return
    # Many people write their question straight after /ask: it is kept, not refused.
    context.person = await context.runtime.people.expect_text(context.person, AWAITING_TOPIC)
    await update.effective_message.reply_text(
        context._("What is your question about?"), reply_markup=_topic_keyboard(context)
    )


async def ask_again_pressed(update: Update, context: BotContext) -> None:
    """ "Start again" under a question kept without a topic: it goes, and /ask begins anew."""
    question_id = _question_id(update)
    gone = (
        await service(context).discard_without_topic(context.person, question_id)
        if question_id
        else False
    )
    if not gone:
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    context.person = await context.runtime.people.expect_text(context.person, AWAITING_TOPIC)
    await update.effective_message.reply_text(
        context._("What is your question about?"), reply_markup=_topic_keyboard(context)
    )


def _topic_rows(context: BotContext, draft_id: int | None = None) -> ui.Rows:
    """The topics, two a row; with `draft_id`, for the words already kept in that draft."""
    _ = context._
    extra = () if draft_id is None else (draft_id,)
    topics = [(_(label), ui.encode(TOPIC, key, *extra)) for key, label in TOPICS.items()]
    return [topics[i : i + 2] for i in range(0, len(topics), 2)]


def _topic_keyboard(context: BotContext, draft_id: int | None = None) -> InlineKeyboardMarkup:
    return inline_keyboard(_topic_rows(context, draft_id))


def _kept_draft(awaiting: str | None) -> int | None:
    """The draft written after /ask and before a topic, while the bot still waits for it."""
    purpose, _sep, argument = (awaiting or "").partition(":")
    return int(argument) if purpose == AWAITING_TOPIC and argument.isdigit() else None


async def topic_picked(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    if (
        press is None
        or len(press.args) not in (1, 2)
        or press.args[0] not in TOPICS
        or (len(press.args) == 2 and not press.args[1].isdigit())
    ):
        await query.answer(context._("This button has expired."))
        return
    draft_id = int(press.args[1]) if len(press.args) == 2 else _kept_draft(context.person.awaiting)
    if draft_id is not None:
        await _topic_for_kept_draft(update, context, draft_id, press.args[0])
        return
    context.acknowledge(query)
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_QUESTION}:{press.args[0]}"
    )
    parts = [
        context._(
            "Write your question, send a voice note, or send a photo of the letter (or the "
            "letter as a PDF). Nobody who answers will see who you are. /cancel stops."
        )
    ]
    if press.args[0] == "health":  # people answer in hours; some health questions cannot wait
        parts.append(urgent_text(context))
    await update.effective_message.reply_text("\n\n".join(parts))


async def _topic_for_kept_draft(
    update: Update, context: BotContext, draft_id: int, topic: str
) -> None:
    """A topic for what was written before it: the question goes on as if written after it."""
    query = update.callback_query
    draft = await service(context).choose_topic(context.person, draft_id, topic)
    if draft is None:
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    context.close_keyboard(query)
    if context.person.awaiting is not None:
        context.person = await context.runtime.people.expect_text(context.person, None)
    if topic == "health":  # as after any health topic: some health questions cannot wait
        await update.effective_message.reply_text(urgent_text(context))
    await after_draft(update, context, draft)


async def stray_message(update: Update, context: BotContext) -> bool:
    """A private message of a few words that no step waited for. From a helper it is most
    likely an answer written without pressing Answer: they are told how. From anyone else it
    is often a question typed without /ask: it is kept (a draft without a topic, gone after
    30 days if never sent) and offered with the topics, so that it need not be typed again.
    False: too short ("hallo?", "thanks"), not text, or the person may not ask now; then the
    usual reply comes."""
    message = update.effective_message
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE or not message.text:
        return False
    if not service(context).may_be_a_question(message.text):
        return False
    if context.person.is_helper:
        await message.reply_text(
            context._(
                "I did not understand that. To answer a question, press Answer under it "
                "first, then write your answer. Type /help to see what I can do."
            )
        )
        return True
    try:
        draft_id = await service(context).draft_before_topic(context.person, message.text, None)
    except Refused:
        return False
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_TOPIC}:{draft_id}"
    )
    await message.reply_text(
        context._(
            "I did not understand that. Is it a question for the community? Choose what it is "
            "about, and I will look for answers. Or type /help to see what I can do."
        ),
        reply_markup=_topic_keyboard(context, draft_id),
    )
    return True


async def written_before_topic(update: Update, context: BotContext, argument: str) -> None:
    """After /ask, a message before any topic was pressed. Words and voice notes are kept (a
    draft without a topic) and the topics are shown again; a photo or file has to wait for the
    topic, because its warning and Send come after it."""
    message = update.effective_message
    people = context.runtime.people
    draft_id = int(argument) if argument.isdigit() else None
    waiting_for = AWAITING_TOPIC if draft_id is None else f"{AWAITING_TOPIC}:{draft_id}"
    if carries_file(message):
        context.person = await people.expect_text(context.person, waiting_for)
        await message.reply_text(
            context._(
                "First choose what your question is about. Then send the photo or file again: "
                "nothing was sent yet."
            ),
            reply_markup=_topic_keyboard(context, draft_id),
        )
        return
    text, voice = _content(message)
    try:
        if draft_id is not None and not (text or "").strip() and voice is None:
            raise Refused(AskRefusal.EMPTY)
        added = draft_id is not None and (
            await service(context).attach(context.person, draft_id, text=text, voice=voice)
            is not None
        )
        if not added:  # the first message, or the kept draft is gone (withdrawn, erased)
            draft_id = await service(context).draft_before_topic(context.person, text, voice)
    except Refused as refused:
        await message.reply_text(refusal_text(context, refused.reason))
        if refused.reason in (AskRefusal.EMPTY, AskRefusal.TOO_LONG, AskRefusal.NO_WORDS):
            context.person = await people.expect_text(context.person, waiting_for)
        return
    context.person = await people.expect_text(context.person, f"{AWAITING_TOPIC}:{draft_id}")
    await message.reply_text(
        context._("I have kept what you wrote. What is your question about?"),
        reply_markup=_topic_keyboard(context, draft_id),
    )


async def question_written(update: Update, context: BotContext, topic: str) -> None:
    if carries_file(update.effective_message):
        await attaching.question_file(update, context, topic)
        return
    text, voice = _content(update.effective_message)
    try:
        draft = await service(context).draft(context.person, topic, text, voice)
    except Refused as refused:
        await update.effective_message.reply_text(refusal_text(context, refused.reason))
        if refused.reason in (AskRefusal.EMPTY, AskRefusal.TOO_LONG, AskRefusal.NO_WORDS):
            context.person = await context.runtime.people.expect_text(
                context.person, f"{AWAITING_QUESTION}:{topic}"
            )
        return
    except ValueError:
        await update.effective_message.reply_text(context._("This button has expired."))
        return
    await after_draft(update, context, draft)


async def after_draft(update: Update, context: BotContext, draft: Draft) -> None:
    """Answered questions that look the same, with "This answers it" and "Ask anyway"; with
    none, the question goes to helpers at once."""
    if not draft.similar:
        routed = await service(context).route(context.person, draft.question_id)
        await _tell_routed(update, context, routed)
        return
    _ = context._
    text = "\n\n".join(
        [known_answers_text(context, draft.similar), _("Does one of these answer your question?")]
    )
    await reply_in_parts(
        update.effective_message,
        text,
        [
            [(_("This answers it"), ui.encode(SOLVED, draft.question_id))],
            [(_("Ask anyway"), ui.encode(ASK_ANYWAY, draft.question_id))],
        ],
    )


def known_answers_text(context: BotContext, found: list[KnownAnswer]) -> str:
    """Answered questions, numbered, each with its answers, under one heading."""
    parts = [context._("These questions were answered before:")]
    for number, known in enumerate(found, start=1):
        lines = [f"{context.t.number(number)}. ❓ {known.question.text}"]
        lines += [f"💬 {answer.text}" for answer in known.answers if answer.text]
        parts.append("\n\n".join(lines))
    return "\n\n".join(parts)


def _question_id(update: Update) -> int | None:
    press = ui.decode(update.callback_query.data)
    if press is None or len(press.args) != 1 or not press.args[0].isdigit():
        return None
    return int(press.args[0])


async def ask_anyway_pressed(update: Update, context: BotContext) -> None:
    question_id = _question_id(update)
    routed = await service(context).route(context.person, question_id) if question_id else None
    if routed is None:
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    await _tell_routed(update, context, routed)


async def _tell_routed(update: Update, context: BotContext, routed: Routed | None) -> None:
    _ = context._
    if routed is None:
        await update.effective_message.reply_text(_("This button has expired."))
        return
    if routed.helpers:
        text = context.t.ngettext(
            "Your question went to {count} helper. Answers will come here.",
            "Your question went to {count} helpers. Answers will come here.",
            routed.helpers,
        ).format(count=routed.helpers)
    elif routed.key_persons:
        text = _("No helper for your language is free now, so a key person got your question.")
    else:
        text = _(
            "Nobody who reads your language is available right now. Your question stays open: "
            "the first helper who becomes free gets it."
        )
    await update.effective_message.reply_text(text)


async def send_draft_pressed(update: Update, context: BotContext) -> None:
    """ "Send" under a question with photos: on as a written question goes (similar first)."""
    question_id = _question_id(update)
    draft = await service(context).send_draft(context.person, question_id) if question_id else None
    if draft is None:
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    if context.person.awaiting == f"{ATTACHING}:{question_id}":
        context.person = await context.runtime.people.expect_text(context.person, None)
    await after_draft(update, context, draft)


async def retake_pressed(update: Update, context: BotContext) -> None:
    """ "Take a new photo": what was sent goes, and the question starts again at its topic."""
    question_id = _question_id(update)
    topic = await service(context).retake(context.person, question_id) if question_id else None
    if topic is None:
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_QUESTION}:{topic}"
    )
    await update.effective_message.reply_text(
        context._(
            "Nothing was sent. Send the photo or file again, or write your question. /cancel stops."
        )
    )


async def solved_pressed(update: Update, context: BotContext) -> None:
    question_id = _question_id(update)
    if question_id is None or not await service(context).withdraw(context.person, question_id):
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    await update.effective_message.reply_text(context._("Good! Your question was not sent."))


# -- answering ------------------------------------------------------------------------------


async def answer_pressed(update: Update, context: BotContext) -> None:
    question_id = _question_id(update)
    question = (
        await service(context).may_answer(context.person, question_id) if question_id else None
    )
    if question is None:
        await update.callback_query.answer(
            context._("This question is closed or not yours to answer.")
        )
        return
    context.acknowledge(update.callback_query)
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_ANSWER}:{question_id}"
    )
    await update.effective_message.reply_text(
        context._("Write your answer, send a voice note or a photo. /cancel stops.")
    )


async def answer_written(update: Update, context: BotContext, argument: str) -> None:
    if carries_file(update.effective_message) and argument.isdigit():
        sent = await attaching.answer_file(update, context, int(argument))
        if sent is None:  # the file could not go (they were told why): the answer still can
            context.person = await context.runtime.people.expect_text(
                context.person, f"{AWAITING_ANSWER}:{argument}"
            )
            return
        await update.effective_message.reply_text(
            context._("Sent. Thank you for helping!")
            if sent
            else context._("This question is closed or not yours to answer.")
        )
        return
    text, voice = _content(update.effective_message)
    try:
        answer = (
            await service(context).answer(context.person, int(argument), text, voice)
            if argument.isdigit()
            else None
        )
    except Refused:
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_ANSWER}:{argument}"
        )
        await update.effective_message.reply_text(
            context._("Please write your answer as text, or send a voice note.")
        )
        return
    if answer is None:
        await update.effective_message.reply_text(
            context._("This question is closed or not yours to answer.")
        )
        return
    await update.effective_message.reply_text(context._("Sent. Thank you for helping!"))


async def digest_open_pressed(update: Update, context: BotContext) -> None:
    """A number under an escalation digest: the question, with its Answer button; a stale or
    forged press says why there is nothing to open."""
    _ = context._
    query = update.callback_query
    question_id = _question_id(update)
    found, question = (
        await service(context).open_from_digest(context.person, question_id)
        if question_id
        else (Opened.GONE, None)
    )
    if question is None:
        await query.answer(
            {
                Opened.ANSWERED: _("Someone has answered this question already. Thank you!"),
                Opened.CLOSED: _("This question is closed. Thank you!"),
                Opened.BLOCKED: _("You cannot ask or answer questions at the moment."),
                Opened.GONE: _("This button has expired: the question is no longer here."),
            }[found]
        )
        return
    context.acknowledge(query)
    text, rows = service(context).escalated_question(context.t, context.person, question)
    message = update.effective_message
    for file in await service(context).files_of(question):  # the letter, as the others saw it
        send = message.reply_photo if file.kind == "photo" else message.reply_document
        await send(file.file_id)
    if question.voice:
        await message.reply_voice(question.voice)
    await reply_in_parts(update.effective_message, text, rows)


# -- the asker's buttons under an answer -----------------------------------------------------


async def accept_pressed(update: Update, context: BotContext) -> None:
    answer_id = _question_id(update)
    if answer_id is None or not await service(context).accept(context.person, answer_id):
        await update.callback_query.answer(context._("This button has expired."))
        return
    await update.callback_query.answer(context._("Thank you! The helper will hear it helped."))


async def follow_up_pressed(update: Update, context: BotContext) -> None:
    answer_id = _question_id(update)
    if answer_id is None or not await service(context).may_follow_up(context.person, answer_id):
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    context.person = await context.runtime.people.expect_text(
        context.person, f"{AWAITING_FOLLOW_UP}:{answer_id}"
    )
    await update.effective_message.reply_text(
        context._("Write your follow-up question. It goes to the same helper, without your name.")
    )


async def follow_up_written(update: Update, context: BotContext, argument: str) -> None:
    if carries_file(update.effective_message):
        # No warning about what is on a page comes on this path: a photo is a new question.
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_FOLLOW_UP}:{argument}"
        )
        await update.effective_message.reply_text(
            context._(
                "A follow-up can be words or a voice note. Nothing was sent. For a photo or "
                "a file, please /ask a new question."
            )
        )
        return
    text, voice = _content(update.effective_message)
    try:
        sent = argument.isdigit() and await service(context).follow_up(
            context.person, int(argument), text, voice
        )
    except Refused:
        sent = False
    await update.effective_message.reply_text(
        context._("Sent to the helper.") if sent else context._("This question is closed.")
    )


async def close_pressed(update: Update, context: BotContext) -> None:
    question_id = _question_id(update)
    if question_id is None or not await service(context).may_close(context.person, question_id):
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    # Close goes from this answer, so a second press cannot ask the share question again.
    markup = without_button(update.callback_query.message.reply_markup, CLOSE)
    context.alongside(update.callback_query.edit_message_reply_markup(reply_markup=markup))
    _ = context._
    await update.effective_message.reply_text(
        _(
            "May others with the same question read your question and its answers? "
            "Your name is never shown. A shared question stays, without your name, even "
            "after /deleteme."
        ),
        reply_markup=inline_keyboard(
            [
                [(_("Yes, share it without my name"), ui.encode(KEEP, question_id, 1))],
                [(_("No, keep it private"), ui.encode(KEEP, question_id, 0))],
            ]
        ),
    )


async def keep_pressed(update: Update, context: BotContext) -> None:
    press = ui.decode(update.callback_query.data)
    valid = press is not None and len(press.args) == 2 and press.args[0].isdigit()
    valid = valid and press.args[1] in ("0", "1")
    if not valid or not await service(context).close(
        context.person, int(press.args[0]), keep=press.args[1] == "1"
    ):
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    await update.effective_message.reply_text(context._("Your question is closed. Thank you!"))


# -- the knowledge base ---------------------------------------------------------------------


async def search_command(update: Update, context: BotContext) -> None:
    words = " ".join(context.args or [])
    if not words.strip():
        await _ask_for_search_words(update, context)
        return
    await _search(update, context, words)


async def search_written(update: Update, context: BotContext, _argument: str) -> None:
    words = update.effective_message.text or ""
    if not ui.has_words(words):  # an emoji, a sticker, a photo: nothing to look for
        await _ask_for_search_words(update, context)
        return
    await _search(update, context, words)


async def _ask_for_search_words(update: Update, context: BotContext) -> None:
    # The words may come as the next message too: "huisarts" works as "/search huisarts".
    context.person = await context.runtime.people.expect_text(context.person, AWAITING_SEARCH)
    await update.effective_message.reply_text(
        context._("Write what you are looking for, like: /search huisarts")
    )


async def _search(update: Update, context: BotContext, words: str) -> None:
    _ = context._
    found = await service(context).search(context.person, words)
    if not found:
        await update.effective_message.reply_text(
            _("I found no answered questions about that. You can /ask.")
        )
        return
    await reply_in_parts(update.effective_message, known_answers_text(context, found))


# -- languages one reads, and helping -------------------------------------------------------


async def also_reads_command(update: Update, context: BotContext) -> None:
    text, rows = await _also_reads_view(context)
    await update.effective_message.reply_text(text, reply_markup=inline_keyboard(rows))


async def _also_reads_view(context: BotContext) -> tuple[str, ui.Rows]:
    chosen = await service(context).also_reads(context.person)
    own = context.t.locale
    rows = [
        [(("✅ " if code in chosen else "") + language_name(code), ui.encode(ALSO_READS, code))]
        for code in SHIPPED_LOCALES
        if code != own
    ]
    return context._(
        "Which other languages can you read? Questions and answers in them can reach you too."
    ), rows


async def also_reads_pressed(update: Update, context: BotContext) -> None:
    press = ui.decode(update.callback_query.data)
    if press is None or len(press.args) != 1 or press.args[0] not in SHIPPED_LOCALES:
        await update.callback_query.answer(context._("This button has expired."))
        return
    await service(context).toggle_also_reads(context.person, press.args[0])
    context.acknowledge(update.callback_query)
    text, rows = await _also_reads_view(context)
    await show_in_place(update.callback_query, text, inline_keyboard(rows))


# The escalation check is one indexed query, so it can look often: a community may choose
# escalation times of minutes (ESCALATION_HOURS=0.05,0.1), and each step is then on time.
ESCALATION_CHECK_SECONDS = 30


async def escalate(context: BotContext) -> None:
    """Job: questions nobody answered move up to key persons, then organisers and admins."""
    if await service(context).escalate_due():
        context.runtime.outbox.wake()


HANDLERS = [
    CommandHandler("ask", ask),
    CommandHandler("search", search_command),
    CommandHandler("languages", also_reads_command),
    CallbackQueryHandler(topic_picked, pattern=ui.matches(TOPIC)),
    CallbackQueryHandler(ask_again_pressed, pattern=ui.matches(ASK_AGAIN)),
    CallbackQueryHandler(ask_anyway_pressed, pattern=ui.matches(ASK_ANYWAY)),
    CallbackQueryHandler(send_draft_pressed, pattern=ui.matches(SEND_DRAFT)),
    CallbackQueryHandler(retake_pressed, pattern=ui.matches(RETAKE)),
    CallbackQueryHandler(solved_pressed, pattern=ui.matches(SOLVED)),
    CallbackQueryHandler(answer_pressed, pattern=ui.matches(ANSWER)),
    CallbackQueryHandler(digest_open_pressed, pattern=ui.matches(OPEN)),
    CallbackQueryHandler(accept_pressed, pattern=ui.matches(ACCEPT)),
    CallbackQueryHandler(follow_up_pressed, pattern=ui.matches(FOLLOW_UP)),
    CallbackQueryHandler(close_pressed, pattern=ui.matches(CLOSE)),
    CallbackQueryHandler(keep_pressed, pattern=ui.matches(KEEP)),
    CallbackQueryHandler(also_reads_pressed, pattern=ui.matches(ALSO_READS)),
]

TEXT_INPUTS = {
    AWAITING_TOPIC: written_before_topic,
    AWAITING_SEARCH: search_written,
    AWAITING_QUESTION: question_written,
    AWAITING_ANSWER: answer_written,
    AWAITING_FOLLOW_UP: follow_up_written,
    ATTACHING: attaching.more_of_draft,
}
