"""Latency of every user path at the benchmark size, beside a bare python-telegram-bot floor.

Seeds a community at `--scale 200` (10,000 people, 200 cafés, 5,000 sign-ups, 50,000 questions,
20,000 tips), or uses `--database` (never changed: the benchmark works on copies), then prints
one table:

- p50/p99 from an update in to its last reply out, through the real Application and the local
  Bot API, for each path, from distinct seeded people; and the same for a bare Application
  (same builder, request object and rate limiter) whose only handler replies: the floor.
  Twice, in one run, with a rate limit of 1,000,000 messages/s and no per-chat pace (the
  sending budget's 30/s and one a second per person are not what is measured here):
  - with an API round trip of 0 ms, one update at a time: the bot's own time (SQLite,
    rendering, python-telegram-bot building the request and reading the answer);
  - with the round trip of `--latency` (150 ms, as for the burst), `--lanes` people at a time,
    each one update after the other: what a person waits for. Every Bot API call the reply
    waits on costs a round trip, so a reply of five messages sent one after another takes five
    times the floor. The targets (p50 ≤ 2×, p99 ≤ 5× the floor) are judged here: at 0 ms the
    floor is python-telegram-bot replying "pong" in a twentieth of a millisecond, which no
    path that reads the database can come within 2× of, while the issue allows search
    alone 20 ms;
- while others ask: `/cafes` and `/help` with a 0 ms round trip while 4 other people each ask
  a question (and so run its similar-questions lookup) over and over, beside the same paths
  alone: whether one person's slow read holds up everyone else's (target: p99 ≤ 3× alone);
- search: `QuestionService.search` (FTS5 + the knowledge-base query + answers) at the seeded
  size (50,000 questions at the benchmark size), called directly;
- start-up: `python -m bot console` from process start to the reply to /help; and in-process,
  build_application + running();
- peak RSS of the process that started the bot and ran every path;
- a burst of 200 distinct people in one second with a 150 ms round trip and the real 30/s
  limit: the time until the last has a reply, beside the floor Telegram's 30 messages/s allow.

`--scale 600` or `--scale 2000` (or `--database` with a database seeded that big) measures the
same at 3× or 10× the benchmark size.

Run: `python -m bench.paths` (two to three minutes at the benchmark size). A benchmark, not a
test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
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
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, CommandHandler

from bot import ui
from bot.app import LOCAL_TOKEN, build_application, running, runtime_of
from bot.cafes.service import JOIN
from bot.concurrency import PerUserUpdateProcessor
from bot.config import Settings
from bot.db import Database, latest_version
from bot.local_api import ApiCall, LocalBotAPI, LocalUser, UpdateFactory
from bot.questions.handlers import TOPIC
from bot.seed import BENCHMARK_SCALE, seed
from bot.tips.handlers import ALL, OWN, PAGE
from bot.tips.service import Sort

ASKERS = 4  # people asking a question at the same time, for "while others ask"
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


Make = Callable[[UpdateFactory, LocalUser], Update]
Prepare = Callable[[LocalUser], Awaitable[None]] | None


async def sample(
    app,
    updates,
    watch,
    people: Iterator[LocalUser],
    make: Make,
    prepare: Prepare,
    *,
    samples: int,
    warmup: int,
    lanes: int,
) -> list[float]:
    """Milliseconds per update for `samples` distinct people, `lanes` of them at a time.

    Each lane sends one update after the other, so what is measured is one update's way in
    and out; several lanes only keep a slow round trip from making the run long.
    """
    batch = [next(people) for _ in range(warmup + samples)]
    times: list[float] = []

    async def lane(users: list[LocalUser]) -> None:
        for user in users:
            if prepare is not None:
                await prepare(user)
            took = await timed(app, updates, watch, user, make)
            if user not in warmed_up:
                times.append(took)

    warmed_up = set(batch[:warmup])
    for user in batch[:warmup]:
        if prepare is not None:
            await prepare(user)
        await timed(app, updates, watch, user, make)
    measured = batch[warmup:]
    await asyncio.gather(*(lane(measured[index::lanes]) for index in range(lanes)))
    return times


def user_paths(app, updates: UpdateFactory, cafes: list[int]) -> list[tuple[str, Make, Prepare]]:
    """Every measured path: its name, the update it starts with, what has to come before."""
    rng = random.Random(3)

    def message(text: str) -> Make:
        return lambda u, p: u.message(p, text)

    async def asked(user: LocalUser) -> None:
        await app.process_update(updates.message(user, "/ask"))

    async def topic_chosen(user: LocalUser) -> None:
        await app.process_update(updates.message(user, "/ask"))
        await app.process_update(updates.press(user, ui.encode(TOPIC, "health"), anchor(user)))

    def tips_page(sort: Sort, offset: Callable[[], int]) -> Make:
        return lambda u, p: u.press(p, ui.encode(PAGE, ALL, sort.value, OWN, offset()), anchor(p))

    return [
        ("/start", message("/start"), None),
        ("/help", message("/help"), None),
        ("/cafes", message("/cafes"), None),
        (
            "Sign up (press)",
            lambda u, p: u.press(
                p, ui.encode(JOIN, cafes[p.id % len(cafes)], "l"), anchor(p, "café")
            ),
            None,
        ),
        ("/ask", message("/ask"), None),
        (
            "/ask: topic (press)",
            lambda u, p: u.press(p, ui.encode(TOPIC, "health"), anchor(p)),
            asked,
        ),
        (
            "/ask: question → similar",
            lambda u, p: u.message(p, QUESTION[p.language_code]),
            topic_chosen,
        ),
        (
            "/search",
            lambda u, p: u.message(p, "/search " + rng.choice(SEARCH_WORDS[p.language_code])),
            None,
        ),
        ("/tips", message("/tips"), None),
        ("/tips: category (press)", tips_page(Sort.NEWEST, lambda: 0), None),
        ("/tips: More ▶ (press)", tips_page(Sort.NEWEST, lambda: 5 * rng.randint(1, 20)), None),
        ("/tips: most helpful (press)", tips_page(Sort.HELPFUL, lambda: 0), None),
        ("/tips <words>", lambda u, p: u.message(p, "/tips " + TIP_WORDS[p.language_code]), None),
    ]


def bare_application(api: LocalBotAPI):
    """The floor: the same builder, request object and rate limiter; one handler that replies."""
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
    return bare


async def measure_paths(
    database: Path,
    samples: int,
    warmup: int,
    latency: float,
    round_trip_samples: int,
    lanes: int,
) -> dict:
    """Every path twice: with no API latency (the bot's own time), then with `latency`."""
    people = iter(newcomers(database))
    cafes = coming_cafes(database)
    results: dict[str, dict[str, list[float]]] = {"cpu": {}, "rtt": {}}
    runs = (("cpu", 0.0, samples, 1), ("rtt", latency, round_trip_samples, lanes))

    api = LocalBotAPI()
    watch = Stopwatch()
    api.listener = watch
    bare = bare_application(api)
    async with bare:
        await bare.start()
        updates = UpdateFactory(bare.bot)
        floor_people = iter(LocalUser(8_000_000_000 + n, f"F{n}", "en") for n in range(10**6))
        for run, api.latency, count, width in runs:
            results[run]["floor"] = await sample(
                bare,
                updates,
                watch,
                floor_people,
                lambda u, p: u.message(p, "/ping"),
                None,
                samples=count,
                warmup=warmup,
                lanes=width,
            )
        await bare.stop()

    # No daily question limit: the askers of `while_others_ask` ask again and again.
    settings = Settings(database_path=database, questions_per_day=10**6)
    api = LocalBotAPI()
    watch = Stopwatch()
    api.listener = watch
    started = time.perf_counter()
    app = build_application(
        settings, request=api, messages_per_second=UNLIMITED, per_chat_limits=False
    )
    async with running(app):
        startup = time.perf_counter() - started
        updates = UpdateFactory(app.bot)
        runtime = runtime_of(app)
        for run, api.latency, count, width in runs:
            for name, make, prepare in user_paths(app, updates, cafes):
                results[run][name] = await sample(
                    app,
                    updates,
                    watch,
                    people,
                    make,
                    prepare,
                    samples=count,
                    warmup=warmup,
                    lanes=width,
                )
        api.latency = 0.0
        beside = await while_others_ask(app, updates, watch, people, samples, warmup)

        # search at the seeded size: the service call, without Telegram
        rng = random.Random(5)
        search_ms = []
        for index in range(warmup + samples):
            user = next(people)
            person = await runtime.people.identify(user.id, user.first_name, user.language_code)
            words = rng.choice(SEARCH_WORDS[user.language_code])
            begun = time.perf_counter()
            await runtime.questions.search(person, words)
            if index >= warmup:
                search_ms.append((time.perf_counter() - begun) * 1000)

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu": results["cpu"],
        "rtt": results["rtt"],
        "beside": beside,
        "questions": questions_count(database),
        "search": search_ms,
        "startup_in_process": startup,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
    }


async def while_others_ask(
    app,
    updates: UpdateFactory,
    watch: Stopwatch,
    people: Iterator[LocalUser],
    samples: int,
    warmup: int,
) -> dict[str, list[float]]:
    """/cafes and /help, one at a time with a 0 ms round trip, while `ASKERS` other people
    each ask a question (/ask, a topic, the question: its similar-questions lookup) over and
    over: whether one person's slow read holds up everyone else's."""
    stop = asyncio.Event()

    async def keep_asking(askers: Iterator[LocalUser]) -> None:
        while not stop.is_set():
            user = next(askers)
            await app.process_update(updates.message(user, "/ask"))
            await app.process_update(updates.press(user, ui.encode(TOPIC, "health"), anchor(user)))
            await app.process_update(updates.message(user, QUESTION[user.language_code]))

    # Each asker cycles through a few people (the app allows them any number of questions a day)
    # so that the seeded people last for every path at any scale.
    askers = [
        asyncio.create_task(keep_asking(itertools.cycle([next(people) for _ in range(25)])))
        for _ in range(ASKERS)
    ]
    measured: dict[str, list[float]] = {}
    try:
        for name in ("/cafes", "/help"):
            measured[name] = []
            for index in range(warmup + samples):
                await asyncio.sleep(0)  # let the askers have their turn between two updates
                took = await timed(
                    app, updates, watch, next(people), lambda u, p, text=name: u.message(p, text)
                )
                if index >= warmup:
                    measured[name].append(took)
    finally:
        stop.set()
        await asyncio.gather(*askers)
    return measured


def questions_count(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM questions").fetchone()[0]


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


async def up_to_date(database: Path, folder: Path) -> Path:
    """`database`, or a copy migrated to this version's schema if it was seeded by an older
    one: the start-up figures must not include a one-off migration (12 s at 10×)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as given:
        if given.execute("PRAGMA user_version").fetchone()[0] == latest_version():
            return database
    copy = copy_of(database, folder, "migrated.sqlite3")
    async with Database(copy) as db:
        applied = await db.migrate()
    print(f"migrated a copy of {database}: {', '.join(applied)}", file=sys.stderr)
    return copy


def copy_of(database: Path, folder: Path, name: str) -> Path:
    target = folder / name
    with sqlite3.connect(database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def table(report: dict, startup: float, burst_s: float, users: int, latency: float) -> str:
    cpu, rtt = report["cpu"], report["rtt"]
    rtt_ms = f"{latency * 1000:.0f} ms"

    def figures(values: list[float]) -> tuple[float, float]:
        return statistics.median(values), percentile(values, 0.99)

    cpu_floor50, cpu_floor99 = figures(cpu.pop("floor"))
    floor50, floor99 = figures(rtt.pop("floor"))
    lines = [
        f"{'':<30} {'API round trip 0 ms: the bot itself':^40}   "
        f"{f'API round trip {rtt_ms}: what a person waits':^50}",
        f"{'path':<30} {'p50 ms':>8} {'p99 ms':>8} {'p50/floor':>10} {'p99/floor':>10}   "
        f"{'p50 ms':>8} {'p99 ms':>8} {'p50/floor':>10} {'p99/floor':>10}  target (≤2×, ≤5×)",
        f"{'floor: bare PTB handler':<30} {cpu_floor50:>8.2f} {cpu_floor99:>8.2f} {1:>10.2f}"
        f" {1:>10.2f}   {floor50:>8.1f} {floor99:>8.1f} {1:>10.2f} {1:>10.2f}  -",
    ]
    for name, values in rtt.items():
        c50, c99 = figures(cpu[name])
        p50, p99 = figures(values)
        met = p50 <= 2 * floor50 and p99 <= 5 * floor99
        lines.append(
            f"{name:<30} {c50:>8.2f} {c99:>8.2f} {c50 / cpu_floor50:>10.1f}"
            f" {c99 / cpu_floor99:>10.1f}   {p50:>8.1f} {p99:>8.1f} {p50 / floor50:>10.2f}"
            f" {p99 / floor99:>10.2f}  {'yes' if met else 'NO'}"
        )
    s50, s99 = figures(report["search"])
    search_label = f"search at {report['questions'] // 1000}k questions"
    lines.append(
        f"{search_label:<30} {s50:>8.2f} {s99:>8.2f} {'':>10} {'':>10}   "
        f"{'':>50}  {'yes' if s99 <= 20 else 'NO'} (p99 ≤ 20 ms)"
    )
    rate_floor = max(0.0, (users - TELEGRAM_RATE) / TELEGRAM_RATE) + latency
    lines.append(
        f"{f'burst {users} people, {rtt_ms} RTT':<30} {'':>40}   {burst_s:>7.2f}s"
        f" {'':>8} {burst_s / rate_floor:>10.2f} {'':>10}"
        f"  {'yes' if burst_s <= 1.2 * rate_floor else 'NO'} (≤1.2× the 30/s floor,"
        f" {rate_floor:.2f} s)"
    )
    lines.append(
        f"{'start-up (console → /help)':<30} {startup:>7.2f}s {'':>32}   {'':>50}"
        f"  {'yes' if startup <= 2 else 'NO'} (≤ 2 s; in-process "
        f"{report['startup_in_process']:.2f} s)"
    )
    rss = report["peak_rss_mb"]
    lines.append(
        f"{'peak RSS (start-up + paths)':<30} {rss:>6.0f}MB {'':>32}   {'':>50}"
        f"  {'yes' if rss <= 150 else 'NO'} (≤ 150 MB)"
    )
    lines += ["", beside_table(report["beside"], cpu)]
    return "\n".join(line.rstrip() for line in lines)


def beside_table(beside: dict[str, list[float]], alone: dict[str, list[float]]) -> str:
    """Each path alone and while others ask, at 0 ms API; the target is p99 ≤ 3× alone."""
    lines = [
        f"{'API round trip 0 ms':<30} {'alone':^17}   {f'while {ASKERS} others ask':^17}",
        f"{'path':<30} {'p50 ms':>8} {'p99 ms':>8}   {'p50 ms':>8} {'p99 ms':>8}"
        f" {'p99/alone':>10}  target (≤3×)",
    ]
    for name, values in beside.items():
        a50, a99 = statistics.median(alone[name]), percentile(alone[name], 0.99)
        b50, b99 = statistics.median(values), percentile(values, 0.99)
        lines.append(
            f"{name:<30} {a50:>8.2f} {a99:>8.2f}   {b50:>8.2f} {b99:>8.2f} {b99 / a99:>10.1f}"
            f"  {'yes' if b99 <= 3 * a99 else 'NO'}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, help="a seeded database (default: seed one)")
    parser.add_argument("--scale", type=int, default=BENCHMARK_SCALE)
    parser.add_argument("--samples", type=int, default=300, help="updates per path, 0 ms API")
    parser.add_argument(
        "--round-trip-samples", type=int, default=100, help="updates per path, with --latency"
    )
    parser.add_argument("--lanes", type=int, default=4, help="people at a time, with --latency")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--burst-users", type=int, default=200)
    parser.add_argument(
        "--latency", type=float, default=0.15, help="Bot API round trip, seconds (paths, burst)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # the measured process: start-up and every path, then its peak RSS
        report = asyncio.run(
            measure_paths(
                args.child,
                args.samples,
                args.warmup,
                args.latency,
                args.round_trip_samples,
                args.lanes,
            )
        )
        print(json.dumps(report))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = args.database
        if database is None:
            database = folder / "seeded.sqlite3"
            seeded = asyncio.run(seed(database, args.scale))
            print(seeded.summary(database), file=sys.stderr)
        else:
            database = asyncio.run(up_to_date(database, folder))
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.paths",
                "--child",
                str(copy_of(database, folder, "paths.sqlite3")),
                "--samples",
                str(args.samples),
                "--warmup",
                str(args.warmup),
                "--latency",
                str(args.latency),
                "--lanes",
                str(args.lanes),
                "--round-trip-samples",
                str(args.round_trip_samples),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        report = json.loads(child.stdout.strip().splitlines()[-1])
        startup = console_startup(copy_of(database, folder, "console.sqlite3"))
        burst_s = asyncio.run(
            burst(copy_of(database, folder, "burst.sqlite3"), args.burst_users, args.latency)
        )
    print(table(report, startup, burst_s, args.burst_users, args.latency))


if __name__ == "__main__":
    main()
