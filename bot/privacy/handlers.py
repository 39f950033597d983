"""/privacy, /mydata, /deleteme and /urgent: what is stored, take it out, erase it, get help."""

from __future__ import annotations

import json

from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import menus, ui
from bot.context import BotContext
from bot.markup import inline_keyboard
from bot.privacy.service import ERASE, URGENT, PrivacyService

# Numbers are not translated; the sentences around them are.
EMERGENCY = "112"
VEILIG_THUIS = "0800-2000"
SUICIDE_PREVENTION = "0800-0113"
VICTIM_SUPPORT = "0900-0101"
VLUCHTELINGENWERK = "vluchtelingenwerk.nl"


def service(context: BotContext) -> PrivacyService:
    return context.runtime.privacy


def urgent_text(context: BotContext) -> str:
    _ = context._
    return "\n\n".join(
        [
            _("🚨 Danger, fire, a serious accident or crime happening now: call {number}.").format(
                number=EMERGENCY
            ),
            _(
                "🩺 You need a doctor in the evening, at night or at the weekend: call your own "
                "family doctor (huisarts). Outside office hours you then hear the number for "
                "evenings and nights (huisartsenpost). If you live in an asylum centre (azc), "
                "call the health practice of your centre."
            ),
            _(
                "🏠 Violence at home or child abuse: Veilig Thuis, {number}, free, day and night."
            ).format(number=VEILIG_THUIS),
            _(
                "💬 Thinking about suicide: 113 Zelfmoordpreventie, {number}, free, day and night."
            ).format(number=SUICIDE_PREVENTION),
            _("🤝 Victim of a crime or an accident: Slachtofferhulp, {number}.").format(
                number=VICTIM_SUPPORT
            ),
            _("📄 Asylum, papers, family reunification: VluchtelingenWerk, {site}.").format(
                site=VLUCHTELINGENWERK
            ),
            _(
                "⚠️ Nobody watches this bot day and night. In an emergency, always call "
                "the numbers above."
            ),
        ]
    )


async def urgent(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(urgent_text(context))


async def urgent_pressed(update: Update, context: BotContext) -> None:
    context.acknowledge(update.callback_query)
    await update.effective_message.reply_text(urgent_text(context))


async def privacy_notice(update: Update, context: BotContext) -> None:
    _ = context._
    paragraphs = [
        "🔒 " + _("Your privacy"),
        _(
            "What I store: your Telegram account number (not your phone number) and first name, "
            "the languages you chose, whether you want news, your roles, your café sign-ups, "
            "your questions and answers, and tips you share. Never your phone number or "
            "username."
        ),
        _(
            "Why: only to run the cafés, questions and tips. Nothing is sold or shared "
            "outside this community."
        ),
        _(
            "Who sees what: helpers see your question, never your name. Organisers see first "
            "names on café lists and of people with a role. In group chats I show no names."
        ),
        _(
            "How long: 6 months after a question is closed, I delete what it said, who asked "
            "it and its answers. 12 months after a café, I delete who signed up for it; only "
            "the numbers stay. If you block the bot, I delete your data after 12 months. "
            "Questions you allowed to be shared stay, without your name."
        ),
        _(
            "Photos and files in a question: I keep only Telegram's reference to them, not "
            "the file, and delete it 30 days after the question is closed. A shared question "
            "keeps only its words."
        ),
        _("A question you began but never sent: I delete it after 30 days."),
        _("Your rights: /mydata gives you everything I store. /deleteme erases it."),
    ]
    await update.effective_message.reply_text("\n\n".join(paragraphs))


async def my_data(update: Update, context: BotContext) -> None:
    data = await service(context).export(context.person)
    _ = context._
    summary = [
        _("Here is everything I store about you, as a file."),
        _("Café sign-ups: {count}").format(count=len(data["cafe_signups"])),
        _("Questions: {count}").format(count=len(data["questions"])),
        _("Answers you wrote: {count}").format(count=len(data["answers_you_wrote"])),
        *(
            [_("Photos and files: {count}").format(count=files)]
            if (files := len(data["files_in_your_questions"]) + len(data["files_in_your_answers"]))
            else []
        ),
        _("Tips: {count}").format(count=len(data["tips"])),
        _("Messages to you or about you: {count}").format(
            count=len(data["messages_to_you"])
            + len(data["messages_about_you"])
            + len(data["digests_listing_your_questions"])
        ),
    ]
    await update.effective_message.reply_text("\n".join(summary))
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await update.effective_message.reply_document(
        InputFile(payload, filename="my-data.json"), caption=_("Your data")
    )


async def delete_me(update: Update, context: BotContext) -> None:
    _ = context._
    await update.effective_message.reply_text(
        "\n\n".join(
            [
                _("Erase everything about you?"),
                _(
                    "Your profile, roles and sign-ups go (your café seats go to the next person "
                    "waiting). Your questions and answers go, except those already shared "
                    "without names. You cannot undo this."
                ),
            ]
        ),
        reply_markup=inline_keyboard(
            [
                [(_("Erase everything"), ui.encode(ERASE, "all"))],
                [(_("Erase, keep my tips anonymous"), ui.encode(ERASE, "keeptips"))],
                [(_("No, keep my data"), ui.encode(ERASE, "no"))],
            ]
        ),
    )


async def erase_pressed(update: Update, context: BotContext) -> None:
    press = ui.decode(update.callback_query.data)
    choice = press.args[0] if press and len(press.args) == 1 else None
    if choice not in ("all", "keeptips", "no"):
        await update.callback_query.answer(context._("This button has expired."))
        return
    context.acknowledge(update.callback_query)
    context.close_keyboard(update.callback_query)
    if choice == "no":
        await update.effective_message.reply_text(context._("Nothing was erased."))
        return
    # The goodbye is written before the erasure: afterwards we know nothing about them.
    goodbye = context._("Everything is erased. Goodbye, and good luck! /start begins again.")
    await service(context).erase(context.person, keep_tips_anonymously=choice == "keeptips")
    context.alongside(menus.forget_personal_menu(context.bot, context.person.id))
    await update.effective_message.reply_text(goodbye)


async def apply_retention(context: BotContext) -> None:
    """Job, daily: forget what has been kept long enough."""
    await service(context).apply_retention()


HANDLERS = [
    CommandHandler("privacy", privacy_notice),
    CommandHandler("mydata", my_data),
    CommandHandler("deleteme", delete_me),
    CommandHandler("urgent", urgent),
    CallbackQueryHandler(erase_pressed, pattern=ui.matches(ERASE)),
    CallbackQueryHandler(urgent_pressed, pattern=ui.matches(URGENT)),
]
