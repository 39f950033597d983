"""After the café: one message the next morning to those who were checked in. 🙂 😐 🙁, then
"What shall we talk about next time?" (a question topic, or a word). /report counts them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import aiosqlite

from bot import ui
from bot.cafes import store
from bot.clock import Clock, from_timestamp
from bot.db import Database
from bot.i18n import Translators, resolve_locale
from bot.outbox import store as outbox
from bot.people.roles import Person
from bot.questions.topics import TOPICS

MOODS = {"good": "🙂", "okay": "😐", "bad": "🙁"}
THEME_TOPICS = [topic for topic in TOPICS if topic != "other"]
MAX_THEME_WORDS = 60  # characters: "a word or two", not a second message
ASK_AT = time(9, 0)  # the next morning, in the community's time zone
ASK_UNTIL = timedelta(days=2)  # a bot that was down longer does not ask about old cafés
KEEP_WHO = timedelta(days=14)  # after that, an answer is kept without who gave it
MOOD = "cafe_fb"


class CafeFeedback:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        translators: Translators,
        timezone: ZoneInfo,
        default_locale: str,
    ) -> None:
        self._db = db
        self._clock = clock
        self._translators = translators
        self._timezone = timezone
        self._default_locale = default_locale

    def asked_at(self, ends_at: int) -> datetime:
        """9:00 on the day after the café, in the community's time zone."""
        day = from_timestamp(ends_at).astimezone(self._timezone).date() + timedelta(days=1)
        return datetime.combine(day, ASK_AT, tzinfo=self._timezone)

    async def ask_due(self) -> int:
        """Job: the morning message for each person checked in at yesterday's cafés, once.

        Built from the database on every run (deduplicated per sign-up), so a restart loses
        nothing and asks nobody twice."""
        now = self._clock.now()
        queued = 0
        async with self._db.transaction() as conn:
            ended_after = int((now - ASK_UNTIL - timedelta(days=1)).timestamp())
            for cafe, person in await store.checked_in_at_cafes_ended_between(
                conn, ended_after, int(now.timestamp())
            ):
                asked_at = self.asked_at(cafe.ends_at)
                if not asked_at <= now < asked_at + ASK_UNTIL:
                    continue
                t = self._translators[
                    resolve_locale(person.locale, person.telegram_locale, self._default_locale)
                ]
                text = t.gettext("Thank you for coming to {title}! How was it?").format(
                    title=t.isolate(cafe.title)
                )
                buttons = ui.keyboard_json(
                    [[(face, ui.encode(MOOD, cafe.id, mood)) for mood, face in MOODS.items()]]
                )
                queued += await outbox.enqueue(
                    conn,
                    person.user_id,
                    text,
                    now=int(now.timestamp()),
                    reply_markup=buttons,
                    dedupe_key=f"feedback:{person.signup_id}",
                )
            await store.let_go_of_feedback_people(conn, int((now - KEEP_WHO).timestamp()))
        return queued

    async def record_mood(self, person: Person, cafe_id: int, mood: str) -> bool:
        """False: not a mood, or they were not checked in at that café."""
        if mood not in MOODS:
            return False
        async with self._db.transaction() as conn:
            if not await store.was_checked_in(conn, cafe_id, person.id):
                return False
            await store.save_mood(conn, cafe_id, person.id, mood, self._clock.timestamp())
        return True

    async def record_theme(
        self, person: Person, cafe_id: int, topic: str | None = None, word: str | None = None
    ) -> bool:
        """A question topic or their own word for next time. Raises ValueError for a word
        that is empty or longer than a few words; False when they gave no mood first."""
        if topic is not None and topic not in THEME_TOPICS:
            return False
        if word is not None:
            word = " ".join(word.split())
            if not word or len(word) > MAX_THEME_WORDS:
                raise ValueError("theme words")
        async with self._db.transaction() as conn:
            return await store.save_theme(conn, cafe_id, person.id, topic, word)

    async def forget_person(
        self, conn: aiosqlite.Connection, user_id: int, _now: int, _keep_tips: bool
    ) -> None:
        await store.forget_feedback_of(conn, user_id)
