"""Latency of every user path at the benchmark size, beside a bare python-telegram-bot floor.

Seeds a community at `--scale 200` (10,000 people, 200 cafés, 5,000 sign-ups, 50,000 questions,
20,000 tips), or uses `--database` (never changed: the benchmark works on copies), then prints
one table:

- p50/p99 from an update in to its last reply out, through the real Application and the local
  Bot API, for each path, sent one at a time from distinct seeded people; and the same for a
  bare Application (same builder, request object and rate limiter) whose only handler replies:
  the floor. Both run with API latency 0 and a rate limit of 1,000,000 messages/s, so that
  neither the round trip nor AIORateLimiter (30/s in production) is what is measured;
- search: `QuestionService.search` (FTS5 + the knowledge-base query + answers) at 50,000
  questions, called directly;
- start-up: `python -m bot console` from process start to the reply to /help; and in-process,
  build_application + running();
- peak RSS of the process that started the bot and ran every path;
- a burst of 200 distinct people in one second with a 150 ms round trip and the real 30/s
  limit: the time until the last has a reply, beside the floor Telegram's 30 messages/s allow.

Run: `python -m bench.paths` (about a minute). A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from telegram.ext import AIORateLimiter, ApplicationBuilder, CommandHandler

from bot import ui
from bot.app import LOCAL_TOKEN, build_application, running, runtime_of
from bot.cafes.service import JOIN
from bot.concurrency import PerUserUpdateProcessor
from bot.config import Settings
from bot.local_api import ApiCall, LocalBotAPI, LocalUser, UpdateFactory
from bot.questions.handlers import TOPIC
from bot.seed import BENCHMARK_SCALE, seed
from bot.tips.handlers import ALL, OWN, PAGE
from bot.tips.service import Sort

UNLIMITED = 1_000_000.0  # messages/s for the path benchmark: the limiter never waits
TELEGRAM_RATE = 30.0
REPLIES = {"sendMessage", "editMessageText", "sendDocument"}

# Words people look for, per language, as the seeded texts use them.
SEARCH_WORDS = {
    "nl": ("huisarts", "fiets", "huurtoeslag", "school", "DigiD"),
    "en": ("GP", "bike", "rent benefit", "school", "DigiD"),
    "ar": ("طبيب", "دراجة", "الإيجار", "مدرسة", "DigiD"),
    "ti": ("ሓኪም", "ብሽክሌታ", "ገዛ", "ቤት ትምህርቲ", "DigiD"),
    "uk": ("лікаря", "велосипед", "оренди", "школи", "DigiD"),
    "fa": ("پزشک", "دوچرخه", "اجاره", "مدرسه", "DigiD"),
    "tr": ("hekimine", "bisiklet", "kira", "okul", "DigiD"),
    "so": ("dhakhtarka", "baaskiil", "kirada", "dugsi", "DigiD"),
}
TIP_WORDS = {
    "nl": "fiets",
    "en": "bike",
    "ar": "دراجات",
    "ti": "ብሽክሌታ",
    "uk": "велосипеди",
    "fa": "دوچرخه",
    "tr": "bisiklet",
    "so": "baaskiillo",
}
QUESTION = {
    "nl": "Hoe vind ik een huisarts in Tiel?",
    "en": "How do I find a GP in Tiel?",
    "ar": "كيف أجد طبيب العائلة في Tiel؟",
    "ti": "ኣብ Tiel ሓኪም ስድራ ብኸመይ ይረክብ?",
    "uk": "Як знайти сімейного лікаря в Tiel?",
    "fa": "چطور در Tiel پزشک خانواده پیدا کنم؟",
    "tr": "Tiel şehrinde aile hekimi nasıl bulurum?",
    "so": "Sideen ku helaa dhakhtarka qoyska Tiel?",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Stopwatch:
    """Timestamps the last reply to a chat; the listener of the local Bot API."""

    def __init__(self) -> None:
        self.last: dict[int, float] = {}
        self.calls: dict[int, ApiCall] = {}

    def __call__(self, call: ApiCall) -> None:
        if call.method in REPLIES and call.chat_id is not None:
            self.last[call.chat_id] = time.perf_counter()
            if call.buttons:
                self.calls[call.chat_id] = call


def newcomers(database: Path) -> list[LocalUser]:
    """Seeded people without a role, as their Telegram client presents them."""
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT id, first_name, telegram_locale FROM users"
            " WHERE id NOT IN (SELECT user_id FROM roles) AND awaiting IS NULL ORDER BY id"
        ).fetchall()
    people = [LocalUser(uid, name, locale) for uid, name, locale in rows]
    random.Random(7).shuffle(people)
    return people


def coming_cafes(database: Path) -> list[int]:
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT id FROM cafes WHERE status = 'scheduled' AND starts_at > ? ORDER BY starts_at",
            (int(time.time()),),
        ).fetchall()
    return [row[0] for row in rows]


async def timed(app, updates: UpdateFactory, watch: Stopwatch, user: LocalUser, make) -> float:
    """Milliseconds from the update going in to the last reply to this person coming out."""
    watch.last.pop(user.id, None)
    update = make(updates, user)
    started = time.perf_counter()
    await app.process_update(update)
    if user.id not in watch.last:
        raise RuntimeError(f"no reply to {user} for {update.to_dict()}")
    return (watch.last[user.id] - started) * 1000


def anchor(user: LocalUser, text: str = "") -> ApiCall:
    """A bot message in this person's chat, for a press to be on."""
    call = ApiCall("sendMessage", {"chat_id": user.id, "text": text})
    call.message_id = 1
    return call


async def measure_paths(database: Path, samples: int, warmup: int) -> dict:
    people = iter(newcomers(database))
    cafes = coming_cafes(database)
    results: dict[str, list[float]] = {}

    def take(n: int) -> list[LocalUser]:
        return [next(people) for _ in range(n)]

    # -- the floor: the same builder, request object and rate limiter; one replying handler
    api = LocalBotAPI()
    watch = Stopwatch()
    api.listener = watch
    bare = (
        ApplicationBuilder()
        .token(LOCAL_TOKEN)
        .request(api)
        .get_updates_request(api)
        .concurrent_updates(PerUserUpdateProcessor())
        .rate_limiter(AIORateLimiter(overall_max_rate=UNLIMITED, max_retries=2))
        .build()
    )

    async def pong(update, context) -> None:
        await update.effective_message.reply_text("pong")

    bare.add_handler(CommandHandler("ping", pong))
    async with bare:
        await bare.start()
        updates = UpdateFactory(bare.bot)
        floor_people = [LocalUser(8_000_000_000 + n, f"F{n}", "en") for n in range(samples)]
        for user in floor_people[:warmup]:
            await timed(bare, updates, watch, user, lambda u, p: u.message(p, "/ping"))
        results["floor"] = [
            await timed(bare, updates, watch, user, lambda u, p: u.message(p, "/ping"))
            for user in floor_people
        ]
        await bare.stop()

    # -- the bot
    settings = Settings(database_path=database)
    api = LocalBotAPI()
    watch = Stopwatch()
    api.listener = watch
    started = time.perf_counter()
    app = build_application(settings, request=api, messages_per_second=UNLIMITED)
    async with running(app):
        startup = time.perf_counter() - started
        updates = UpdateFactory(app.bot)
        runtime = runtime_of(app)

        async def run(name: str, make, prepare=None) -> None:
            batch = take(warmup + samples)
            times = []
            for index, user in enumerate(batch):
                if prepare is not None:
                    await prepare(user)
                took = await timed(app, updates, watch, user, make)
                if index >= warmup:
                    times.append(took)
            results[name] = times

        def message(text):
            return lambda u, p: u.message(p, text)

        await run("/start", message("/start"))
        await run("/help", message("/help"))
        await run("/cafes", message("/cafes"))
        await run(
            "Sign up (press)",
            lambda u, p: u.press(
                p, ui.encode(JOIN, cafes[p.id % len(cafes)], "l"), anchor(p, "café")
            ),
        )
        await run("/ask", message("/ask"))

        async def asked(user: LocalUser) -> None:
            await app.process_update(updates.message(user, "/ask"))

        await run(
            "/ask: topic (press)",
            lambda u, p: u.press(p, ui.encode(TOPIC, "health"), anchor(p)),
            prepare=asked,
        )

        async def topic_chosen(user: LocalUser) -> None:
            await app.process_update(updates.message(user, "/ask"))
            await app.process_update(updates.press(user, ui.encode(TOPIC, "health"), anchor(user)))

        await run(
            "/ask: question → similar",
            lambda u, p: u.message(p, QUESTION[p.language_code]),
            prepare=topic_chosen,
        )
        rng = random.Random(3)
        await run(
            "/search",
            lambda u, p: u.message(p, "/search " + rng.choice(SEARCH_WORDS[p.language_code])),
        )
        await run("/tips", message("/tips"))
        await run(
            "/tips: category (press)",
            lambda u, p: u.press(p, ui.encode(PAGE, ALL, Sort.NEWEST.value, OWN, 0), anchor(p)),
        )
        await run(
            "/tips: More ▶ (press)",
            lambda u, p: u.press(
                p, ui.encode(PAGE, ALL, Sort.NEWEST.value, OWN, 5 * rng.randint(1, 20)), anchor(p)
            ),
        )
        await run(
            "/tips: most helpful (press)",
            lambda u, p: u.press(p, ui.encode(PAGE, ALL, Sort.HELPFUL.value, OWN, 0), anchor(p)),
        )
        await run(
            "/tips <words>",
            lambda u, p: u.message(p, "/tips " + TIP_WORDS[p.language_code]),
        )

        # search at 50,000 questions: the service call, without Telegram
        people_by_locale = take(warmup + samples)
        search_ms = []
        for index, user in enumerate(people_by_locale):
            person = await runtime.people.identify(user.id, user.first_name, user.language_code)
            words = rng.choice(SEARCH_WORDS[user.language_code])
            begun = time.perf_counter()
            await runtime.questions.search(person, words)
            if index >= warmup:
                search_ms.append((time.perf_counter() - begun) * 1000)
        results["search service"] = search_ms

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "paths": results,
        "startup_in_process": startup,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
    }


def console_startup(database: Path) -> float:
    """Seconds from starting `python -m bot console` to its reply to /help."""
    env = dict(os.environ, DATABASE_PATH=str(database))
    env.pop("BOT_TOKEN", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert process.stdin and process.stdout
    process.stdin.write("/help\n")
    process.stdin.flush()
    process.stdout.readline()  # the console's introduction
    process.stdout.readline()  # the first line of the reply
    took = time.perf_counter() - started
    process.stdin.close()
    process.wait(timeout=30)
    return took


async def burst(database: Path, users: int, latency: float) -> float:
    """Seconds until the last of `users` people who write within one second has a reply."""
    people = newcomers(database)[:users]
    api = LocalBotAPI(latency=latency)
    app = build_application(
        Settings(database_path=database), request=api, messages_per_second=TELEGRAM_RATE
    )
    async with running(app):
        updates = UpdateFactory(app.bot)
        waiting = {user.id for user in people}
        everyone_answered = asyncio.Event()

        def count(call: ApiCall) -> None:
            if call.method == "sendMessage":
                waiting.discard(call.chat_id)
                if not waiting:
                    everyone_answered.set()

        api.listener = count
        started = time.perf_counter()
        for index, user in enumerate(people):  # spread over one second
            await asyncio.sleep(max(0.0, started + index / users - time.perf_counter()))
            await app.update_queue.put(updates.message(user, "/help"))
        await everyone_answered.wait()
        return time.perf_counter() - started


def copy_of(database: Path, folder: Path, name: str) -> Path:
    target = folder / name
    with sqlite3.connect(database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def table(report: dict, startup: float, burst_s: float, users: int, latency: float) -> str:
    paths = report["paths"]
    floor = paths.pop("floor")
    floor50, floor99 = statistics.median(floor), percentile(floor, 0.99)
    search = paths.pop("search service")
    lines = [
        f"{'path':<30} {'p50 ms':>8} {'p99 ms':>8} {'p50/floor':>10} {'p99/floor':>10}  target met",
        f"{'floor: bare PTB handler':<30} {floor50:>8.2f} {floor99:>8.2f} {1:>10.2f} {1:>10.2f}  -",
    ]
    for name, values in paths.items():
        p50, p99 = statistics.median(values), percentile(values, 0.99)
        met = p50 <= 2 * floor50 and p99 <= 5 * floor99
        lines.append(
            f"{name:<30} {p50:>8.2f} {p99:>8.2f} {p50 / floor50:>10.2f} {p99 / floor99:>10.2f}"
            f"  {'yes' if met else 'NO'} (≤2×, ≤5×)"
        )
    s50, s99 = statistics.median(search), percentile(search, 0.99)
    lines.append(
        f"{'search at 50k questions':<30} {s50:>8.2f} {s99:>8.2f} {'':>10} {'':>10}"
        f"  {'yes' if s99 <= 20 else 'NO'} (p99 ≤ 20 ms)"
    )
    rate_floor = max(0.0, (users - TELEGRAM_RATE) / TELEGRAM_RATE) + latency
    lines.append(
        f"{f'burst {users} people, {latency * 1000:.0f} ms RTT':<30} {burst_s:>7.2f}s"
        f" {'':>8} {burst_s / rate_floor:>10.2f} {'':>10}"
        f"  {'yes' if burst_s <= 1.2 * rate_floor else 'NO'} (≤1.2× the 30/s floor,"
        f" {rate_floor:.2f} s)"
    )
    lines.append(
        f"{'start-up (console → /help)':<30} {startup:>7.2f}s {'':>8} {'':>10} {'':>10}"
        f"  {'yes' if startup <= 2 else 'NO'} (≤ 2 s; in-process "
        f"{report['startup_in_process']:.2f} s)"
    )
    rss = report["peak_rss_mb"]
    lines.append(
        f"{'peak RSS (start-up + paths)':<30} {rss:>6.0f}MB {'':>8} {'':>10} {'':>10}"
        f"  {'yes' if rss <= 150 else 'NO'} (≤ 150 MB)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, help="a seeded database (default: seed one)")
    parser.add_argument("--scale", type=int, default=BENCHMARK_SCALE)
    parser.add_argument("--samples", type=int, default=300, help="updates per path")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--burst-users", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.15, help="API round trip, burst")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # the measured process: start-up and every path, then its peak RSS
        report = asyncio.run(measure_paths(args.child, args.samples, args.warmup))
        print(json.dumps(report))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = args.database
        if database is None:
            database = folder / "seeded.sqlite3"
            seeded = asyncio.run(seed(database, args.scale))
            print(seeded.summary(database), file=sys.stderr)
        child = subprocess.run(
            [
                sys.executable, "-m", "bench.paths", "--child",
                str(copy_of(database, folder, "paths.sqlite3")),
                "--samples", str(args.samples), "--warmup", str(args.warmup),
            ],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        report = json.loads(child.stdout.strip().splitlines()[-1])
        startup = console_startup(copy_of(database, folder, "console.sqlite3"))
        burst_s = asyncio.run(
            burst(copy_of(database, folder, "burst.sqlite3"), args.burst_users, args.latency)
        )
    print(table(report, startup, burst_s, args.burst_users, args.latency))


if __name__ == "__main__":
    main()
