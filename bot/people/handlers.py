"""The conversation about who you are: /start, your language, /help, /privacy, invites, roles."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import menus, ui
from bot.commands import commands_for
from bot.context import BotContext
from bot.guard import GROUP_COMMANDS
from bot.i18n import SHIPPED_LOCALES, Translator, language_name
from bot.markup import inline_keyboard, show_in_place
from bot.people.roles import ROLE_LABELS, Role, parse_role
from bot.people.service import NotAllowed, RedeemOutcome
from bot.privacy.service import URGENT
from bot.questions import helping
from bot.runtime import Runtime

PICK_LANGUAGE = "lang"
PICK_NEWS = "news"
PICK_INVITE_ROLE = "invite"
INVITE_LINK_PREFIX = "inv"
# Roles that answer questions: accepting an invite to one starts the helper setup.
HELPING_ROLES = frozenset({Role.HELPER, Role.KEY_PERSON})

log = logging.getLogger(__name__)


def language_picker() -> ui.Rows:
    buttons = [(language_name(code), ui.encode(PICK_LANGUAGE, code)) for code in SHIPPED_LOCALES]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def introduction(t: Translator, community: str) -> list[str]:
    """The welcome and what the bot does: the greeting after Start, and the bot's description."""
    _ = t.gettext
    return [
        _("Welcome to {community}!").format(community=t.isolate(community)),
        "\n".join(
            [
                _("☕ Language cafés: practise Dutch with others, sign up in one tap."),
                _(
                    "❓ Questions: ask in your own language; people with the same experience "
                    "answer."
                ),
                _("💡 Tips: where to shop, what is free, how things work here."),
            ]
        ),
    ]


def bot_description(t: Translator, community: str) -> menus.Description:
    """What a newcomer reads about the bot before pressing Start, and on its profile."""
    return menus.Description(
        "\n\n".join(
            [*introduction(t, community), t.gettext("Press Start, then choose your language.")]
        ),
        t.gettext(
            "Language cafés, questions in your own language, and tips"
            " for newcomers in the Netherlands."
        ),
    )


async def send_greeting(update: Update, context: BotContext) -> None:
    text = "\n\n".join(
        [
            *introduction(context.t, context.runtime.settings.community_name),
            context._("Which language do you want me to use? Read /privacy to see what I store."),
        ]
    )
    await update.effective_message.reply_text(text, reply_markup=inline_keyboard(language_picker()))


async def start(update: Update, context: BotContext) -> None:
    if context.args:
        payload = context.args[0]
        prefix, _sep, argument = payload.partition("_")
        open_link = context.runtime.deep_links.get(prefix)
        if open_link is None or not ui.numbers_in_range(payload.split("_")):
            await update.effective_message.reply_text(context._("This link is not valid."))
        else:
            await open_link(update, context, argument)
        if context.person.locale is not None:
            return  # someone who knows the bot already needs no second welcome
    await send_greeting(update, context)


async def choose_language(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(
        context._("Which language do you want me to use?"),
        reply_markup=inline_keyboard(language_picker()),
    )


async def language_picked(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    if press is None or len(press.args) != 1 or press.args[0] not in SHIPPED_LOCALES:
        await query.answer(context._("This button has expired."))
        return
    first_choice = context.person.locale is None
    context.person = await context.runtime.people.choose_locale(context.person, press.args[0])
    context.use_locale(press.args[0])
    _ = context._
    context.acknowledge(query)
    context.alongside(menus.set_personal_menu(context.bot, context.person, context.t))
    await show_in_place(
        query,
        "\n\n".join(
            [
                _("I will write to you in {language}.").format(
                    language=language_name(press.args[0])
                ),
                _("Type /help to see what you can do. You can change the language with /language."),
            ]
        ),
    )
    if first_choice and not context.person.subscribed:  # who chose news is not asked again
        await ask_about_news(update, context)


async def ask_about_news(update: Update, context: BotContext) -> None:
    """Onboarding: news is opt-in, and the default is no."""
    _ = context._
    await update.effective_message.reply_text(
        _("Do you want news about language cafés and community events?"),
        reply_markup=inline_keyboard(
            [
                [(_("Yes, send me news"), ui.encode(PICK_NEWS, 1))],
                [(_("No, thanks"), ui.encode(PICK_NEWS, 0))],
            ]
        ),
    )


async def news_picked(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    if press is None or press.args not in (("0",), ("1",)):
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    await show_in_place(query, await _set_news(context, press.args == ("1",)))


async def subscribe(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(await _set_news(context, True))


async def unsubscribe(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(await _set_news(context, False))


async def _set_news(context: BotContext, wanted: bool) -> str:
    context.person = await context.runtime.people.set_subscribed(context.person, wanted)
    if wanted:
        return context._(
            "You will get news about language cafés and community events. /unsubscribe stops it."
        )
    return context._("You will not get news. /subscribe starts it any time.")


async def cancel(update: Update, context: BotContext) -> None:
    # Any command already ends what the bot was waiting for; this one just says so.
    await update.effective_message.reply_text(
        context._("Stopped. Type /help to see what you can do.")
    )


async def show_help(update: Update, context: BotContext) -> None:
    _ = context._
    lines = [_("This is what you can do:"), ""]
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        # A group shows only what works in a group; everything else is personal.
        lines += [
            f"/{c.name} — {_(c.description)}"
            for c in commands_for(context.person)
            if c.name in GROUP_COMMANDS
        ]
        link = f"https://t.me/{context.bot.username}"
        lines += ["", _("Everything else, in a private chat with me: {link}").format(link=link)]
        await update.effective_message.reply_text("\n".join(lines))
        return
    lines += [f"/{c.name} — {_(c.description)}" for c in commands_for(context.person)]
    await update.effective_message.reply_text(
        "\n".join(lines),
        reply_markup=inline_keyboard([[(_("🚨 Urgent help"), ui.encode(URGENT))]]),
    )


async def invite(update: Update, context: BotContext) -> None:
    _ = context._
    allowed = context.person.invitable_roles()
    if not allowed:
        await update.effective_message.reply_text(_("Only organisers can invite people."))
        return
    if not context.args:
        rows = [
            [(_(ROLE_LABELS[role]), ui.encode(PICK_INVITE_ROLE, role.value))]
            for role in sorted(allowed)
        ]
        await update.effective_message.reply_text(
            _("Which role should the new person get?"), reply_markup=inline_keyboard(rows)
        )
        return
    role = parse_role(" ".join(context.args))
    if role is None or role not in allowed:
        lines = [_("Which role? Send one of these:")]
        lines += [f"/invite {r.value} — {_(ROLE_LABELS[r])}" for r in sorted(allowed)]
        await update.effective_message.reply_text("\n".join(lines))
        return
    await update.effective_message.reply_text(await _invite_text(context, role))


async def invite_role_picked(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = ui.decode(query.data)
    role = parse_role(press.args[0]) if press and len(press.args) == 1 else None
    if role is None or role not in context.person.invitable_roles():
        await query.answer(context._("This button has expired."))
        return
    context.acknowledge(query)
    await show_in_place(query, await _invite_text(context, role))


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={INVITE_LINK_PREFIX}_{token}"


async def announce_admin_link(application: Application) -> None:
    """At start, when nobody is admin: one log line with a one-time admin link, for the person
    running the bot (they see the log; nobody else does)."""
    runtime: Runtime = application.bot_data["runtime"]
    if await runtime.people.has_admin():
        return
    issued = await runtime.people.create_admin_link()
    log.warning(
        "nobody is admin (ADMIN_IDS is empty): the first person to open %s becomes admin; "
        "it works once, until %s UTC; a new link: python -m bot admin-link",
        invite_link(application.bot.username, issued.token),
        f"{issued.expires_at.astimezone(UTC):%Y-%m-%d %H:%M}",
    )


async def _invite_text(context: BotContext, role: Role) -> str:
    issued = await context.runtime.people.create_invite(context.person, role)
    link = invite_link(context.bot.username, issued.token)
    return "\n\n".join(
        [
            context._("Send this link to the person who should get the role: {role}.").format(
                role=context._(ROLE_LABELS[role])
            ),
            context._("It works once, until {date}.").format(
                date=context.t.isolate(context.t.datetime(issued.expires_at, "short"))
            ),
            link,
        ]
    )


async def open_invite(update: Update, context: BotContext, token: str) -> None:
    redemption = await context.runtime.people.redeem_invite(context.person, token)
    _ = context._
    if redemption.outcome is RedeemOutcome.GRANTED and redemption.role is not None:
        context.person = replace(context.person, roles=context.person.roles | {redemption.role})
        context.alongside(menus.set_personal_menu(context.bot, context.person, context.t))
    role = _(ROLE_LABELS[redemption.role]) if redemption.role else ""
    messages = {
        RedeemOutcome.GRANTED: _("Welcome! Your new role: {role}.").format(role=role),
        RedeemOutcome.ALREADY_HAD: _("You already have this role: {role}.").format(role=role),
        RedeemOutcome.USED: _("This invite link has been used already. Ask for a new one."),
        RedeemOutcome.EXPIRED: _("This invite link has expired. Ask for a new one."),
        RedeemOutcome.UNKNOWN: _("This link is not valid."),
    }
    await update.effective_message.reply_text(messages[redemption.outcome])
    if redemption.outcome is RedeemOutcome.GRANTED and redemption.role in HELPING_ROLES:
        if context.person.locale is None:
            # Setting up in their Telegram language makes it their bot language too, so the
            # greeting's language picker does not follow the setup (/language changes it).
            context.person = await context.runtime.people.choose_locale(
                context.person, context.t.locale
            )
        context.person = replace(context.person, roles=context.person.roles | {redemption.role})
        await helping.begin_setup(update, context)


async def show_roles(update: Update, context: BotContext) -> None:
    _ = context._
    try:
        holders = await context.runtime.people.role_holders(context.person)
    except NotAllowed:
        await update.effective_message.reply_text(_("Only organisers can see who has which role."))
        return
    if not holders:
        await update.effective_message.reply_text(_("Nobody has a role yet."))
        return
    lines = [_("Roles in this community:"), ""]
    lines += [
        f"• {context.t.isolate(h.first_name or h.user_id)} — {_(ROLE_LABELS[h.role])}"
        for h in holders
    ]
    await update.effective_message.reply_text("\n".join(lines))


HANDLERS = [
    CommandHandler("start", start),
    CommandHandler("language", choose_language),
    CommandHandler("help", show_help),
    CommandHandler("invite", invite),
    CommandHandler("roles", show_roles),
    CommandHandler("subscribe", subscribe),
    CommandHandler("unsubscribe", unsubscribe),
    CommandHandler("cancel", cancel),
    CallbackQueryHandler(news_picked, pattern=ui.matches(PICK_NEWS)),
    CallbackQueryHandler(language_picked, pattern=ui.matches(PICK_LANGUAGE)),
    CallbackQueryHandler(invite_role_picked, pattern=ui.matches(PICK_INVITE_ROLE)),
]

DEEP_LINKS = {INVITE_LINK_PREFIX: open_invite}
