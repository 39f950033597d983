"""What the question handlers share: the steps a person's next message can be for, the
service, and the words for a refused question."""

from __future__ import annotations

from bot.context import BotContext
from bot.questions.files import MAX_FILES
from bot.questions.service import AskRefusal, QuestionService

AWAITING_TOPIC = "asktopic"  # after /ask: what is written before a topic is pressed is kept
AWAITING_QUESTION = "ask"
AWAITING_ANSWER = "answer"
AWAITING_FOLLOW_UP = "followup"
ATTACHING = "attach"  # more photos, pages or words for a draft question


def service(context: BotContext) -> QuestionService:
    return context.runtime.questions


def refusal_text(context: BotContext, reason: AskRefusal) -> str:
    _ = context._
    return {
        AskRefusal.BLOCKED: _("You cannot ask or answer questions at the moment."),
        AskRefusal.DAILY_LIMIT: _(
            "You have asked the most questions for today. You can ask again tomorrow."
        ),
        AskRefusal.TOO_LONG: _("That is too long. Please keep a question under 3000 characters."),
        AskRefusal.EMPTY: _("Please write your question, or send a voice note."),
        AskRefusal.NO_WORDS: _(
            "Please write your question in words, or send a voice note: an emoji alone does "
            "not tell a helper what you need."
        ),
        AskRefusal.TOO_MANY_FILES: _(
            "A question can carry at most {count} photos or files. Press Send, or take a new "
            "photo to start again."
        ).format(count=MAX_FILES),
    }[reason]
