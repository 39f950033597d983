"""Photos and documents in questions and answers ("What does this letter mean?").

After the topic, a person may send photos or a document instead of (or as well as) text. The
first one gets a plain warning, once: helpers see everything on the page, so cover the BSN,
V-number, name and address; then "Send" or "Take a new photo". A photo goes on by its file id;
a file is downloaded from the Bot API's own file server, cleaned of its hidden details
(bot.questions.files), and sent back to its sender: that copy, and only that copy, goes on.
Helpers may answer with a photo (a marked-up page) the same way.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import InputFile, Message, Update
from telegram.error import BadRequest, NetworkError, TelegramError

from bot import ui
from bot.context import BotContext
from bot.markup import inline_keyboard
from bot.questions import files
from bot.questions.conversation import (
    ATTACHING,
    AWAITING_QUESTION,
    refusal_text,
    service,
)
from bot.questions.files import Cleaned, FileProblem, Unusable
from bot.questions.service import AskRefusal, Refused
from bot.questions.store import QuestionFile

log = logging.getLogger(__name__)

SEND_DRAFT = "q_fsend"
RETAKE = "q_retake"


@dataclass(frozen=True)
class Incoming:
    """A photo to pass on by its file id, or a file that was downloaded and cleaned."""

    file_id: str | None = None
    cleaned: Cleaned | None = None


def carries_file(message: Message) -> bool:
    """A photo, a document, or something else that is not words or a voice note."""
    return bool(
        message.photo
        or message.document
        or message.video
        or message.animation
        or message.audio
        or message.video_note
        or message.sticker
    )


def problem_text(context: BotContext, problem: FileProblem | None) -> str:
    """What went wrong with a file, and what to do; None: it could not be fetched."""
    _ = context._
    if problem is FileProblem.TOO_BIG:
        return _(
            "This file is too big for me to pass on (more than 20 MB). Nothing was sent. "
            "Please send a photo of each page instead, or a smaller file."
        )
    if problem is FileProblem.UNSUPPORTED:
        return _(
            "I can pass on photos, images and PDF files, not this kind of file. Nothing was "
            "sent. Please send a photo of the page, or the letter as a PDF."
        )
    if problem is FileProblem.PROTECTED:
        return _(
            "This PDF is protected with a password, so I cannot pass it on. Nothing was sent. "
            "Please send a photo of each page instead."
        )
    if problem is FileProblem.UNREADABLE:
        return _(
            "I could not open this file. Nothing was sent. Please send a photo of the page instead."
        )
    return _(
        "I could not fetch this file from Telegram just now. Nothing was sent. Please send "
        "it again in a minute."
    )


async def incoming(update: Update, context: BotContext) -> Incoming | None:
    """The photo or file of this message, ready to pass on; None when it cannot be (the
    person has been told why, and that nothing was sent)."""
    message = update.effective_message
    if message.photo:  # Telegram re-encoded it: no hidden details left to take off
        return Incoming(file_id=message.photo[-1].file_id)
    document = message.document
    try:
        if document is None:
            raise Unusable(FileProblem.UNSUPPORTED)
        kind = files.document_kind(document.mime_type, document.file_name, document.file_size)
        content = await _download(context, document.file_id)
        cleaned = await asyncio.to_thread(files.clean, kind, content)
    except Unusable as unusable:
        await message.reply_text(problem_text(context, unusable.problem))
        return None
    except (TelegramError, RuntimeError) as error:
        log.info("a file could not be downloaded: %s", error)
        await message.reply_text(problem_text(context, None))
        return None
    return Incoming(cleaned=cleaned)


async def _download(context: BotContext, file_id: str) -> bytes:
    """From the server the Bot API runs on (TELEGRAM_BASE_URL, under /file/bot<token>/)."""
    try:
        telegram_file = await context.bot.get_file(file_id)
    except BadRequest as error:
        if "too big" in str(error).lower():
            raise Unusable(FileProblem.TOO_BIG) from None
        raise
    if telegram_file.file_size and telegram_file.file_size > files.MAX_DOWNLOAD_BYTES:
        raise Unusable(FileProblem.TOO_BIG)
    return bytes(await telegram_file.download_as_bytearray())


async def send_back(
    message: Message, cleaned: Cleaned, caption: str, rows: ui.Rows | None = None
) -> str:
    """The cleaned copy, to the person who sent the file, under a neutral name: its file id
    is what goes on. NetworkError and BadRequest reach the caller."""
    upload = InputFile(cleaned.content, filename=cleaned.name)
    markup = inline_keyboard(rows) if rows else None
    if cleaned.kind == "photo":
        sent = await message.reply_photo(upload, caption=caption, reply_markup=markup)
        return sent.photo[-1].file_id
    sent = await message.reply_document(upload, caption=caption, reply_markup=markup)
    return sent.document.file_id


def _not_sent_back(context: BotContext, error: TelegramError) -> str:
    """Telegram refused the cleaned copy (an image it will not take as a photo), or could not
    be reached: what the person is told."""
    log.info("a cleaned file could not be sent back: %s", error)
    return problem_text(context, FileProblem.UNREADABLE if isinstance(error, BadRequest) else None)


def _kind(ready: Incoming) -> str:
    return "photo" if ready.cleaned is None else ready.cleaned.kind


def cleaned_copy_text(context: BotContext) -> str:
    return context._(
        "This copy goes on, without the hidden details a file carries (the place, the device, "
        "the author)."
    )


# -- asking -----------------------------------------------------------------------------------


def _warning(context: BotContext) -> str:
    return context._(
        "Helpers will see everything on this page. Is your citizen service number (BSN), "
        "V-number, name or address on it? Then cover it, with paper or a finger, and take a "
        "new photo. You can send more pages, or write what you want to know."
    )


def _ready_text(context: BotContext, count: int) -> str:
    return context.t.ngettext(
        "{count} photo or file is ready. Send more, or press Send.",
        "{count} photos or files are ready. Send more, or press Send.",
        count,
    ).format(count=count)


def _draft_buttons(context: BotContext, question_id: int) -> ui.Rows:
    _ = context._
    return [
        [(_("Send"), ui.encode(SEND_DRAFT, question_id))],
        [(_("Take a new photo"), ui.encode(RETAKE, question_id))],
    ]


async def question_file(update: Update, context: BotContext, topic: str) -> None:
    """The first photo or document of a question: a draft, and the warning, once."""
    message = update.effective_message
    try:
        await service(context).check_can_ask(context.person)
    except Refused as refused:
        await message.reply_text(refusal_text(context, refused.reason))
        return
    ready = await incoming(update, context)
    if ready is None:
        context.person = await context.runtime.people.expect_text(
            context.person, f"{AWAITING_QUESTION}:{topic}"
        )
        return
    try:
        question_id = await service(context).begin_with_file(context.person, topic, message.caption)
    except Refused as refused:
        await message.reply_text(refusal_text(context, refused.reason))
        return
    except ValueError:
        await message.reply_text(context._("This button has expired."))
        return
    if await _keep(update, context, question_id, ready, _warning(context)):
        waiting_for = f"{ATTACHING}:{question_id}"
    else:  # nothing of it can go: the question starts again at its topic
        await service(context).retake(context.person, question_id)
        waiting_for = f"{AWAITING_QUESTION}:{topic}"
    context.person = await context.runtime.people.expect_text(context.person, waiting_for)


async def more_of_draft(update: Update, context: BotContext, argument: str) -> None:
    """After the first photo: more pages, words, or a voice note for the same draft."""
    message = update.effective_message
    if not argument.isdigit():
        await message.reply_text(context._("This button has expired."))
        return
    question_id = int(argument)
    context.person = await context.runtime.people.expect_text(
        context.person, f"{ATTACHING}:{question_id}"
    )
    room = await service(context).room_for_files(context.person, question_id)
    if room is not None and carries_file(message):
        if room <= 0:
            await message.reply_text(refusal_text(context, AskRefusal.TOO_MANY_FILES))
            return
        ready = await incoming(update, context)
        if ready is None:
            return  # told why nothing was added; the draft waits as it was
        if message.caption:
            await _add_words(update, context, question_id, message.caption, quiet=True)
        await _keep(update, context, question_id, ready, None)
        return
    if room is not None:
        words = message.text or message.caption
        voice = message.voice.file_id if message.voice else None
        if words is None and voice is None:
            await message.reply_text(refusal_text(context, AskRefusal.EMPTY))
            return
        if await _add_words(update, context, question_id, words, voice=voice):
            return
    context.person = await context.runtime.people.expect_text(context.person, None)
    await message.reply_text(context._("This question was sent or withdrawn already."))


async def _add_words(
    update: Update,
    context: BotContext,
    question_id: int,
    words: str | None,
    *,
    voice: str | None = None,
    quiet: bool = False,
) -> bool:
    try:
        count = await service(context).attach(context.person, question_id, text=words, voice=voice)
    except Refused as refused:
        await update.effective_message.reply_text(refusal_text(context, refused.reason))
        return True
    if count is None:
        return False
    if not quiet:
        text = "\n\n".join([context._("Added to your question."), _ready_text(context, count)])
        await update.effective_message.reply_text(
            text, reply_markup=inline_keyboard(_draft_buttons(context, question_id))
        )
    return True


async def _keep(
    update: Update,
    context: BotContext,
    question_id: int,
    ready: Incoming,
    first_words: str | None,
) -> bool:
    """Add the file to the draft and show the person where they are: the warning with the
    first file, the count after that. A cleaned file is shown back: that copy goes on."""
    message = update.effective_message
    rows = _draft_buttons(context, question_id)
    room = await service(context).room_for_files(context.person, question_id)
    if room is None:
        await message.reply_text(context._("This question was sent or withdrawn already."))
        return False
    if room <= 0:
        await message.reply_text(refusal_text(context, AskRefusal.TOO_MANY_FILES))
        return False
    caption = first_words or _ready_text(context, files.MAX_FILES - room + 1)
    file_id = ready.file_id
    if ready.cleaned is not None:
        try:
            file_id = await send_back(
                message, ready.cleaned, f"{cleaned_copy_text(context)}\n\n{caption}", rows
            )
        except (BadRequest, NetworkError) as error:
            await message.reply_text(_not_sent_back(context, error))
            return False
    try:
        count = await service(context).attach(
            context.person, question_id, file=QuestionFile(_kind(ready), file_id)
        )
    except Refused as refused:
        await message.reply_text(refusal_text(context, refused.reason))
        return False
    if count is None:
        await message.reply_text(context._("This question was sent or withdrawn already."))
        return False
    if ready.cleaned is None:
        await message.reply_text(
            first_words or _ready_text(context, count), reply_markup=inline_keyboard(rows)
        )
    return True


# -- answering with a photo -------------------------------------------------------------------


async def answer_file(update: Update, context: BotContext, question_id: int) -> bool | None:
    """A helper's photo (a marked-up page) or file as an answer. True: sent; False: the
    question is closed or not theirs; None: the file could not go (they were told why)."""
    message = update.effective_message
    if await service(context).may_answer(context.person, question_id) is None:
        return False
    ready = await incoming(update, context)
    if ready is None:
        return None
    file_id = ready.file_id
    if ready.cleaned is not None:
        try:
            file_id = await send_back(message, ready.cleaned, cleaned_copy_text(context))
        except (BadRequest, NetworkError) as error:
            await message.reply_text(_not_sent_back(context, error))
            return None
    answer = await service(context).answer(
        context.person,
        question_id,
        message.caption,
        None,
        [QuestionFile(_kind(ready), file_id)],
    )
    return answer is not None
