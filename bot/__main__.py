"""Command line: `python -m bot run | console | migrate` (each with --help)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from telegram import Update

from bot.config import ConfigError, Settings, load_settings
from bot.db import Database, DatabaseTooNew

EXIT_CONFIG = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Landgenoot, a Telegram bot for newcomer communities."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "run",
        help="run the bot (long polling); without BOT_TOKEN, the local console chat",
        description="Run the bot on Telegram with long polling. Without BOT_TOKEN it starts "
        "the local console chat instead.",
    )
    commands.add_parser(
        "console",
        help="chat with the bot in this terminal, without Telegram",
        description="Chat with the bot in this terminal. Nothing is sent to Telegram. A number "
        "presses a button; /as <id> [lang] switches user; user 1 is an admin.",
    )
    commands.add_parser(
        "migrate",
        help="apply database migrations and exit",
        description="Bring the database at DATABASE_PATH up to the current schema, then exit.",
    )
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"landgenoot: configuration error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    console = args.command == "console" or (args.command == "run" and settings.bot_token is None)
    # In the console chat only warnings interrupt the conversation.
    _configure_logging(logging.WARNING if console else logging.INFO)

    try:
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if console:
            from bot.console import run_console

            asyncio.run(run_console(settings))
            return 0
        return _run_polling(settings)
    except DatabaseTooNew as error:
        print(f"landgenoot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


def _configure_logging(level: int) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # httpx logs every request URL at INFO, and the URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


async def _migrate(settings: Settings) -> int:
    async with Database(settings.database_path) as db:
        applied = await db.migrate()
        version = await db.schema_version()
    if applied:
        print(f"applied {', '.join(applied)}; {settings.database_path} is at version {version}")
    else:
        print(f"{settings.database_path} is up to date (version {version})")
    return 0


def _run_polling(settings: Settings) -> int:
    from bot.app import build_application

    print(
        f"Landgenoot: connecting to Telegram at {settings.telegram_base_url} (long polling).",
        flush=True,
    )
    application = build_application(settings)
    application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
