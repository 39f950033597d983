"""How a question is carried in a message to someone else: named by its first words (never
by who asked), and sent with its photos, files and voice note."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator
from bot.outbox.store import Attachment
from bot.questions.store import Question, QuestionFile

OPENING_WORDS = 6
ANSWER = "q_answer"  # the Answer button under a relayed question (handlers.py handles it)


def without_words(t: Translator, question: Question) -> str:
    """What stands for a question that has no text: its voice note, or its photos or files."""
    return t.gettext("(voice note)") if question.voice else t.gettext("(photo or file)")


def attachments(files: Sequence[QuestionFile], voice: str | None = None) -> list[Attachment]:
    return [
        *(Attachment(file.kind, file.file_id) for file in files),
        *([Attachment("voice", voice)] if voice else []),
    ]


def opening(t: Translator, question: Question) -> str:
    """The first words of a question, so that the asker knows which one a message is about."""
    if not question.text:
        return without_words(t, question)
    words = question.text.split()
    shown = " ".join(words[:OPENING_WORDS])
    if len(shown) > 60:
        shown = shown[:60].rstrip()
    return shown if shown == " ".join(words) else f"{shown}…"
