"""Drawing the report chart and the statement card, per reader's script.

For en, nl, ar, fa and ti: the median and the slowest of `--runs` draws of the /report chart (a
quarter, with the morning-after answers, so the largest chart) and of the /myimpact card,
called directly as the handlers call them in their worker thread; the share of that time spent
preparing the texts (lettering: joining, right-to-left order); and the first draw of the
process, which loads matplotlib and the fonts. On the seeded community of tests/reports.

Run: `python -m bench.pictures`. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.reports import files, lettering
from tests.harness import ADMIN, bot_harness, settings_for
from tests.reports import seed

LOCALES = ("en", "nl", "ar", "fa", "ti")


def timed(draw, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        draw()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, max(times) * 1000


async def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with bot_harness(settings_for(Path(tmp))) as bot:
            await seed.seed_community(bot.runtime.db)
            await seed.seed_feedback(bot.runtime.db)
            people = bot.runtime.people
            organiser = await people.identify(ADMIN.id, ADMIN.first_name, "en")
            key = seed.KEY_PERSON
            helper = await people.identify(key.id, key.first_name, key.language_code)
            report = await bot.runtime.reports.impact(organiser, "2026-Q4")
            contribution = await bot.runtime.reports.contribution(helper, "2026-11")
            translators = bot.runtime.translators
    issued = datetime(2026, 12, 1, tzinfo=UTC)

    start = time.perf_counter()
    files.report_chart([translators["en"]], report)
    first = (time.perf_counter() - start) * 1000
    print(f"first chart of the process (matplotlib and fonts loaded): {first:.0f} ms")
    print(
        f"{'locale':<7} {'chart p50':>10} {'max':>7} {'card p50':>10} {'max':>7} {'lettering':>10}"
    )
    for locale in LOCALES:
        t = translators[locale]
        chart = timed(lambda t=t: files.report_chart([t], report), runs)
        card = timed(
            lambda t=t: files.contribution_card([t], contribution, "Mariam", "Tiel", issued),
            runs,
        )
        texts = files._chart_texts(t, report) + files._card_texts(t, contribution, issued)
        shaping = timed(lambda t=t, texts=texts: [lettering.shaped(s, t.rtl) for s in texts], runs)
        print(
            f"{locale:<7} {chart[0]:>8.0f}ms {chart[1]:>5.0f}ms {card[0]:>8.0f}ms "
            f"{card[1]:>5.0f}ms {shaping[0]:>8.2f}ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    asyncio.run(main(parser.parse_args().runs))
