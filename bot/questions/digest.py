"""The escalation digest: one message per escalation pass to each key person and organiser,
listing the questions that reached them in that pass, so that nobody's phone buzzes once per
question. It shows a count and each question's first words (never who asked), with a numbered
button to open each; the question itself, with its Answer button, comes when they open it."""

from __future__ import annotations

from bot import ui
from bot.i18n import Translator, language_name
from bot.questions.relaying import opening
from bot.questions.store import DigestItem

OPEN = "q_open"  # open a question from a digest (handlers.py)
SHOWN = 20  # questions listed, each with a button; the rest are counted
BUTTONS_PER_ROW = 5  # number buttons: "1" … "20", five fit a phone's row


def digest_text(t: Translator, items: list[DigestItem]) -> str:
    lines = [
        t.ngettext(
            "🔔 {count} question still waits for an answer:",
            "🔔 {count} questions still wait for an answer:",
            len(items),
        ).format(count=t.number(len(items)))
    ]
    for number, item in enumerate(items[:SHOWN], start=1):
        question = item.question
        lines.append(
            f"{t.number(number)}. “{t.isolate(opening(t, question))}” · "
            f"{language_name(question.locale)}"
        )
    as_organiser = any(item.for_organiser for item in items)
    hidden = len(items) - SHOWN
    if hidden > 0:
        lines.append(
            t.ngettext(
                "…and {count} more: /unanswered shows them all.",
                "…and {count} more: /unanswered shows them all.",
                hidden,
            ).format(count=t.number(hidden))
            if as_organiser
            else t.ngettext(
                "…and {count} more. The organisers see every waiting question.",
                "…and {count} more. The organisers see every waiting question.",
                hidden,
            ).format(count=t.number(hidden))
        )
    lines.append("")
    lines.append(
        t.gettext(
            "Press a number to read that question and answer it. You can also send them to "
            "a helper or key person with /unanswered."
        )
        if as_organiser
        else t.gettext("Press a number to read that question and answer it.")
    )
    return "\n".join(lines)


def digest_buttons(t: Translator, items: list[DigestItem]) -> dict:
    buttons = [
        (t.number(number), ui.encode(OPEN, item.question.id))
        for number, item in enumerate(items[:SHOWN], start=1)
    ]
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return ui.keyboard_json(rows)
