"""Command line: `python -m bot run | console | migrate | backup | health | seed` (see --help)."""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import logging
import os
import signal
import sqlite3
import sys
import urllib.error
import urllib.request
from datetime import UTC
from pathlib import Path

from telegram import Update

from bot import health, logs, shutdown
from bot.config import ConfigError, Settings, check_webhook, load_settings
from bot.db import Database, DatabaseProblem, DatabaseTooNew, NoBackupBeforeMigration

EXIT_CONFIG = 2
CONNECT_FIRST_DELAY_SECONDS = 1.0
CONNECT_MAX_DELAY_SECONDS = 30.0
_CANNOT_LISTEN = {errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES}

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Landgenoot, a Telegram bot for newcomer communities."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run the bot on Telegram (long polling, or a webhook when WEBHOOK_URL is set)",
        description="Run the bot on Telegram: with long polling, or, when WEBHOOK_URL is set, "
        "by serving Telegram's webhook on WEBHOOK_LISTEN:WEBHOOK_PORT behind a TLS proxy. "
        "Serves GET /healthz on HEALTH_LISTEN:HEALTH_PORT in both modes. Stops gracefully on "
        "SIGTERM or Ctrl-C. Without BOT_TOKEN it exits with code 2, unless "
        "--console-without-token is given (what `make run` does).",
    )
    run.add_argument(
        "--console-without-token",
        action="store_true",
        help="without BOT_TOKEN, start the local console chat instead of exiting",
    )
    run.add_argument(
        "--hold-on-config-error",
        action="store_true",
        help="on a bad setting or token, print its line and wait for SIGTERM instead of "
        "exiting, so that a container's restart policy does not restart it in a loop",
    )
    mode = run.add_mutually_exclusive_group()
    mode.add_argument(
        "--webhook",
        action="store_true",
        help="serve the webhook (needs WEBHOOK_URL and WEBHOOK_SECRET)",
    )
    mode.add_argument(
        "--polling", action="store_true", help="use long polling even if WEBHOOK_URL is set"
    )
    console_command = commands.add_parser(
        "console",
        help="chat with the bot in this terminal, without Telegram",
        description="Chat with the bot in this terminal. Nothing is sent to Telegram. #3 "
        "presses button [#3]; /as <id> [lang] switches user; user 1 is an admin; /console "
        "lists the console's own commands. Reads piped input line by line.",
    )
    console_command.add_argument(
        "--fresh",
        action="store_true",
        help="start with a new empty database (the old one is kept as a dated copy)",
    )
    console_command.add_argument(
        "--demo",
        action="store_true",
        help="start with a new database filled with the small demo community (as --fresh, "
        "the old one is kept as a dated copy)",
    )
    commands.add_parser(
        "migrate",
        help="apply database migrations and exit",
        description="Bring the database at DATABASE_PATH up to the current schema, then exit.",
    )
    backup = commands.add_parser(
        "backup",
        help="copy the database consistently, also while the bot runs",
        description="Copy the database at DATABASE_PATH to PATH, also while the bot runs, "
        "without stopping it. The copy is checked with PRAGMA integrity_check. An existing "
        "file is never overwritten. When PATH is a folder (or ends with /), the copy is named "
        "landgenoot-<UTC date and time>.sqlite3 in it. Restoring: see deploy/README.md.",
    )
    backup.add_argument("path", help="the file to create, or a folder to create it in")
    backup.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="after the backup, keep only the newest N dated backups in the folder",
    )
    commands.add_parser(
        "admin-link",
        help="print a one-time link that makes whoever opens it first an admin",
        description="Print a link https://t.me/<bot>?start=... that makes the first person who "
        "opens it an admin of the bot, once, within 24 hours; it replaces the previous link "
        "that nobody opened. Needs BOT_TOKEN (to learn the bot's name) and the database at "
        "DATABASE_PATH. The bot also logs such a link at start while nobody is admin.",
    )
    commands.add_parser(
        "health",
        help="ask the running bot's /healthz; exit 0 when it is healthy",
        description="Ask the bot running on this machine for GET /healthz at HEALTH_LISTEN:"
        "HEALTH_PORT, print its answer, and exit 0 when healthy, 1 otherwise (for Docker's "
        "HEALTHCHECK or a monitoring script).",
    )
    seed = commands.add_parser(
        "seed",
        help="fill a new database with a made-up community, for a demo or a benchmark",
        description="Migrate the database at DATABASE_PATH (or --database) and fill it with a "
        "realistic, multilingual, made-up community: per unit of scale 50 people, a café "
        "(at least 4), 25 sign-ups, 250 questions and 100 tips. --scale 1 is a small demo; "
        "--scale 200 is the benchmark size. Refuses a database that already has people.",
    )
    seed.add_argument("--scale", type=int, default=1, metavar="N", help="size (default 1)")
    seed.add_argument("--database", type=Path, metavar="PATH", help="instead of DATABASE_PATH")
    seed.add_argument(
        "--force", action="store_true", help="seed even if the database already has people"
    )
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
        webhook = _wants_webhook(args, settings)
    except ConfigError as error:
        print(f"landgenoot: configuration error: {error}", file=sys.stderr)
        return _config_error_exit(hold=getattr(args, "hold_on_config_error", False))
    console = args.command == "console" or (
        args.command == "run" and settings.bot_token is None and args.console_without_token
    )
    # In the console chat only warnings interrupt the conversation.
    if console:
        logs.configure(logging.WARNING, "text")
    else:
        logs.configure(settings.log_level, settings.log_format)

    try:
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.command == "backup":
            return _backup(settings, args.path, args.keep)
        if args.command == "seed":
            return asyncio.run(
                _seed(args.database or settings.database_path, args.scale, args.force)
            )
        if args.command == "health":
            return _check_health(settings)
        if args.command == "admin-link":
            return asyncio.run(_admin_link(settings))
        if console:
            from bot.console import run_console

            fresh, demo = getattr(args, "fresh", False), getattr(args, "demo", False)
            asyncio.run(run_console(settings, fresh=fresh, demo=demo))
            return 0
        return _run_on_telegram(settings, webhook=webhook, hold=args.hold_on_config_error)
    except (DatabaseTooNew, NoBackupBeforeMigration) as error:
        print(f"landgenoot: {error}", file=sys.stderr)
        return 1
    except DatabaseProblem as error:  # a broken, unwritable or busy database file: one line
        print(f"landgenoot: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 0


def _wants_webhook(args: argparse.Namespace, settings: Settings) -> bool:
    """Webhook mode: `run --webhook`, or `run` with WEBHOOK_URL set (unless --polling)."""
    if args.command != "run":
        return False
    webhook = args.webhook or (settings.webhook_url is not None and not args.polling)
    if webhook:
        check_webhook(settings)
    # `run` is what a service manager starts: without a token it must fail loudly (exit 2, so
    # that systemd does not restart it), never open a console that reads end-of-file and exits 0.
    console_allowed = args.console_without_token and not (webhook or args.polling)
    if settings.bot_token is None and not console_allowed:
        raise ConfigError("BOT_TOKEN must be set to run on Telegram (the token from @BotFather)")
    return webhook


async def _migrate(settings: Settings) -> int:
    db = Database(settings.database_path)
    db.take_process_lock()  # not under a running bot: it would go on with the old schema
    async with db:
        await db.verify()
        applied = await db.migrate()
        version = await db.schema_version()
    if applied:
        print(f"applied {', '.join(applied)}; {settings.database_path} is at version {version}")
    else:
        print(f"{settings.database_path} is up to date (version {version})")
    return 0


async def _seed(path: Path, scale: int, force: bool) -> int:
    from bot.seed import AlreadySeeded, seed

    if scale < 1:
        print("landgenoot: --scale must be at least 1", file=sys.stderr)
        return EXIT_CONFIG
    try:
        seeded = await seed(path, scale, force=force)
    except AlreadySeeded as error:
        print(f"landgenoot: {error}", file=sys.stderr)
        return 1
    print(seeded.summary(path))
    return 0


def _config_error_exit(*, hold: bool) -> int:
    """Exit code 2; with `hold`, only after SIGTERM or SIGINT. Docker has no systemd's
    RestartPreventExitStatus: a container that exits is started again, and a bad token would
    print its line every few seconds, for ever. Holding keeps the one line, and the container
    shows as unhealthy until the setting is fixed and the container recreated."""
    if hold:
        stop = {signal.SIGTERM, signal.SIGINT}
        signal.pthread_sigmask(signal.SIG_BLOCK, stop)  # before saying so: none may slip by
        print(
            "landgenoot: not running; waiting to be stopped (fix the setting, then recreate "
            "the container)",
            file=sys.stderr,
            flush=True,
        )
        signal.sigwait(stop)
    return EXIT_CONFIG


def _run_on_telegram(settings: Settings, *, webhook: bool, hold: bool = False) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application

    if webhook:
        how = (
            f"webhook {settings.webhook_url}, listening on "
            f"{settings.webhook_listen}:{settings.webhook_port}"
        )
    else:
        how = "long polling"
    print(
        f"Landgenoot: connecting to Telegram at {settings.telegram_base_url} ({how}).", flush=True
    )
    application = build_application(settings)
    health.serve(
        application,
        settings.health_listen,
        settings.health_port,
        "webhook" if webhook else "polling",
    )
    # Our own loop and signal handlers: SIGTERM starts the graceful stop and its deadline.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    shutdown.install(loop)
    try:
        loop.run_until_complete(_reach_telegram(settings))
        if webhook:
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=settings.webhook_path,
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
                stop_signals=None,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=None)
    except InvalidToken:
        print("landgenoot: Telegram does not accept BOT_TOKEN; check it", file=sys.stderr)
        return _config_error_exit(hold=hold)
    except NetworkError as error:
        # At start only (later, polling and the outbox retry by themselves). systemd or Docker
        # start us again shortly.
        print(
            f"landgenoot: cannot reach Telegram at {settings.telegram_base_url} "
            f"(tried {settings.telegram_connect_tries} times): {error}",
            file=sys.stderr,
        )
        return 1
    except health.HealthServerError as error:
        print(f"landgenoot: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        if not webhook or error.errno not in _CANNOT_LISTEN:
            raise
        print(
            f"landgenoot: cannot listen for the webhook on {settings.webhook_listen}:"
            f"{settings.webhook_port} (WEBHOOK_LISTEN, WEBHOOK_PORT): {error.strerror}",
            file=sys.stderr,
        )
        return 1
    finally:
        took = shutdown.elapsed()
        shutdown.disarm()
    if took is not None:
        log.info("stopped, %.1f s after the signal", took)
    return 0


async def _admin_link(settings: Settings) -> int:
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError

    from bot.clock import Clock
    from bot.i18n import Translators
    from bot.people.handlers import invite_link
    from bot.people.service import PeopleService

    if settings.bot_token is None:
        print(
            "landgenoot: configuration error: BOT_TOKEN must be set to make an admin link "
            "(the link names the bot)",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    try:
        async with Bot(settings.bot_token, base_url=settings.telegram_base_url) as bot:
            username = bot.username
    except InvalidToken:
        print("landgenoot: Telegram does not accept BOT_TOKEN; check it", file=sys.stderr)
        return EXIT_CONFIG
    except NetworkError as error:
        print(
            f"landgenoot: cannot reach Telegram at {settings.telegram_base_url}: {error}",
            file=sys.stderr,
        )
        return 1
    async with Database(settings.database_path) as db:
        await db.migrate()
        people = PeopleService(
            db, Clock(), Translators(settings.timezone), settings.admin_ids, settings.default_locale
        )
        issued = await people.create_admin_link()
    print(invite_link(username, issued.token))
    print(
        f"The first person to open it becomes admin. It works once, until "
        f"{issued.expires_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
    )
    return 0


async def _reach_telegram(settings: Settings) -> None:
    """Ask Telegram who the bot is until it answers: at a boot the network may not be up yet,
    and a traceback per restart helps nobody. One log line per failed try, waiting 1, 2, 4 …
    30 s between tries; after TELEGRAM_CONNECT_TRIES the last NetworkError is raised. A token
    Telegram refuses (InvalidToken) is raised at once: waiting does not fix it."""
    from telegram import Bot
    from telegram.error import NetworkError

    delay = CONNECT_FIRST_DELAY_SECONDS
    for attempt in range(1, settings.telegram_connect_tries + 1):
        try:
            async with Bot(settings.bot_token or "", base_url=settings.telegram_base_url):
                return
        except NetworkError as error:
            if attempt == settings.telegram_connect_tries:
                raise
            log.warning(
                "cannot reach Telegram at %s (try %d of %d): %s; trying again in %.0f s",
                settings.telegram_base_url,
                attempt,
                settings.telegram_connect_tries,
                error,
                delay,
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, CONNECT_MAX_DELAY_SECONDS)


def _backup(settings: Settings, target: str, keep: int | None) -> int:
    from bot.backup import BackupError, human_size, make_backup

    try:
        made = make_backup(
            settings.database_path,
            Path(target),
            into_folder=target.endswith(("/", os.sep)),
            keep=keep,
        )
    except (BackupError, OSError) as error:
        print(f"landgenoot: backup failed: {error}", file=sys.stderr)
        return 1
    except sqlite3.Error as error:
        print(
            f"landgenoot: backup failed: {settings.database_path} (DATABASE_PATH) cannot be "
            f"read as a database: {error}",
            file=sys.stderr,
        )
        return 1
    print(
        f"{made.path.resolve()} ({human_size(made.size)}, schema version {made.schema_version}, "
        f"integrity ok, {made.seconds:.2f} s)"
    )
    for old in made.removed:
        print(f"removed {old} (--keep {keep})")
    return 0


def _check_health(settings: Settings) -> int:
    host = settings.health_listen
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    host = f"[{host}]" if ":" in host else host
    url = f"http://{host}:{settings.health_port}/healthz"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        with opener.open(url, timeout=5) as response:
            print(response.read().decode().strip())
            return 0
    except urllib.error.HTTPError as error:
        print(error.read().decode().strip() or json.dumps({"status": error.code}))
        return 1
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        print(f"landgenoot: no answer from {url}: {reason}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
