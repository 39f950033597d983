"""The rules of peer questions.

The asker is never shown to anyone who answers: every message between them is relayed by the
bot, and nothing that identifies the asker (name, username, id) is ever put in a message to a
helper. Questions go to helpers who speak one of the asker's languages and cover the topic,
least recently asked first; unanswered ones go to key persons, then to organisers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

import aiosqlite

from bot import search as fulltext
from bot import ui
from bot.clock import Clock
from bot.db import Database
from bot.i18n import Translator, Translators, language_name, resolve_locale
from bot.moderation import store as moderation_store
from bot.moderation.service import Content, report_button
from bot.outbox import store as outbox
from bot.people import store as people_store
from bot.people.roles import Person
from bot.questions import store
from bot.questions.store import KNOWLEDGE_TABLE, Answer, Candidate, Question
from bot.questions.topics import TOPICS

MAX_QUESTION_CHARS = 3000
# Button actions on messages that wait in the outbox (handlers.py handles them).
ANSWER = "q_answer"
ACCEPT = "q_ok"
FOLLOW_UP = "q_more"
CLOSE = "q_close"


class AskRefusal(Enum):
    BLOCKED = "blocked"
    DAILY_LIMIT = "daily_limit"
    TOO_LONG = "too_long"
    EMPTY = "empty"
    NO_WORDS = "no_words"  # only emoji or punctuation, and no voice note


class Refused(Exception):
    def __init__(self, reason: AskRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class KnownAnswer:
    question: Question
    answers: list[Answer]


@dataclass(frozen=True)
class Draft:
    question_id: int
    similar: list[KnownAnswer]


@dataclass(frozen=True)
class Routed:
    helpers: int
    key_persons: int


class QuestionService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        translators: Translators,
        default_locale: str,
        *,
        questions_per_day: int = 5,
        to_key_persons_after: timedelta = timedelta(hours=12),
        to_organisers_after: timedelta = timedelta(hours=48),
        helpers_per_question: int = 5,
    ) -> None:
        self._db = db
        self._clock = clock
        self._translators = translators
        self._default_locale = default_locale
        self._questions_per_day = questions_per_day
        self._escalations = (to_key_persons_after, to_organisers_after)
        self._helpers_per_question = helpers_per_question

    # -- languages ----------------------------------------------------------------------------

    def _locale(self, someone: Person | Candidate | people_store.StoredUser) -> str:
        return resolve_locale(someone.locale, someone.telegram_locale, self._default_locale)

    async def reading_locales(self, conn: aiosqlite.Connection, person_id: int) -> list[str]:
        """The person's own language first, then the others they said they can read."""
        user = await people_store.get_user(conn, person_id)
        own = self._locale(user) if user else self._default_locale
        return [own, *sorted(await store.also_reads(conn, person_id) - {own})]

    async def toggle_also_reads(self, person: Person, locale: str) -> frozenset[str]:
        async with self._db.transaction() as conn:
            current = await store.also_reads(conn, person.id)
            updated = current - {locale} if locale in current else current | {locale}
            await store.set_also_reads(conn, person.id, updated)
        return updated

    async def also_reads(self, person: Person) -> frozenset[str]:
        return await store.also_reads(self._db.reader, person.id)

    # -- asking -------------------------------------------------------------------------------

    async def check_can_ask(self, person: Person) -> None:
        if await moderation_store.is_blocked(self._db.reader, person.id):
            raise Refused(AskRefusal.BLOCKED)
        since = self._clock.timestamp() - 24 * 3600
        if (
            await store.questions_since(self._db.reader, person.id, since)
            >= self._questions_per_day
        ):
            raise Refused(AskRefusal.DAILY_LIMIT)

    async def draft(self, person: Person, topic: str, text: str | None, voice: str | None) -> Draft:
        """Keep what the person asked, and find answered questions that look the same."""
        if topic not in TOPICS:
            raise ValueError(f"unknown topic {topic!r}")
        text = (text or "").strip() or None
        if text is None and voice is None:
            raise Refused(AskRefusal.EMPTY)
        if text is not None and len(text) > MAX_QUESTION_CHARS:
            raise Refused(AskRefusal.TOO_LONG)
        if text is not None and voice is None and not ui.has_words(text):
            raise Refused(AskRefusal.NO_WORDS)
        await self.check_can_ask(person)
        async with self._db.transaction() as conn:
            locale = (await self.reading_locales(conn, person.id))[0]
            question_id = await store.insert_question(
                conn, person.id, topic, locale, text, voice, self._clock.timestamp()
            )
        similar = await self.similar(person, text) if text else []
        return Draft(question_id, similar)

    async def similar(self, person: Person, text: str, limit: int = 3) -> list[KnownAnswer]:
        """Answered questions from the knowledge base, in languages the person reads."""
        match = fulltext.build_match(text)
        if match is None:
            return []
        conn = self._db.reader
        locales = await self.reading_locales(conn, person.id)
        questions = await store.answered_in_knowledge(conn, match, locales, limit)
        answers = await store.answers_for(conn, [question.id for question in questions])
        # The reads are not one snapshot: an answer hidden in between leaves nothing to show.
        return [KnownAnswer(q, answers[q.id]) for q in questions if answers[q.id]]

    async def withdraw(self, person: Person, question_id: int) -> bool:
        """ "This answers it": the draft is not needed, so it is not kept."""
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if question is None or question.asker_id != person.id or question.status != "draft":
                return False
            await store.delete_question(conn, question_id)
        return True

    async def route(self, person: Person, question_id: int) -> Routed | None:
        """Send the question to helpers (or, when there are none, to key persons)."""
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if question is None or question.asker_id != person.id or question.status != "draft":
                return None
            await store.set_question(conn, question_id, status="open", routed_at=now)
            languages = await self.reading_locales(conn, person.id)
            helpers = await store.helper_candidates(
                conn,
                question_id,
                languages,
                question.topic,
                person.id,
                self._helpers_per_question,
            )
            await self._send_question(conn, question, helpers, now)
            key_persons: list[Candidate] = []
            if not helpers:  # nobody to ask yet: go to key persons straight away
                key_persons = await store.role_candidates(
                    conn, question_id, "key_person", languages, person.id
                )
                await self._send_question(conn, question, key_persons, now)
                await store.set_question(conn, question_id, escalation=1)
        return Routed(len(helpers), len(key_persons))

    def question_text(self, t: Translator, question: Question, follow_up: str | None = None) -> str:
        """What a helper sees: the question, its topic and language. Nothing about the asker."""
        lines = [
            t.gettext("❓ A question"),
            t.gettext("Topic: {topic}").format(topic=t.gettext(TOPICS[question.topic])),
            t.gettext("Language: {language}").format(language=language_name(question.locale)),
            "",
            question.text or t.gettext("(voice note)"),
        ]
        if follow_up is not None:
            lines += ["", t.gettext("Follow-up question:"), follow_up]
        return "\n".join(lines)

    async def _send_question(
        self, conn: aiosqlite.Connection, question: Question, people: list[Candidate], now: int
    ) -> None:
        for candidate in people:
            t = self._translators[self._locale(candidate)]
            buttons = ui.keyboard_json(
                [
                    [
                        (t.gettext("Answer"), ui.encode(ANSWER, question.id)),
                        report_button(t, "question", question.id),
                    ]
                ]
            )
            await store.add_recipient(conn, question.id, candidate.user_id, now)
            await outbox.enqueue(
                conn,
                candidate.user_id,
                self.question_text(t, question),
                now=now,
                reply_markup=buttons,
                voice=question.voice,
                dedupe_key=f"question:{question.id}:{candidate.user_id}",
            )

    # -- answering ----------------------------------------------------------------------------

    async def may_answer(self, person: Person, question_id: int) -> Question | None:
        """The question, if this person received it, it is open, and they are not blocked."""
        conn = self._db.reader
        question = await store.get_question(conn, question_id)
        if question is None or question.status != "open":
            return None
        if await moderation_store.is_blocked(conn, person.id):
            return None
        if not await store.is_recipient(conn, question_id, person.id):
            return None
        return question

    async def answer(
        self, person: Person, question_id: int, text: str | None, voice: str | None
    ) -> Answer | None:
        text = (text or "").strip() or None
        if text is None and voice is None:
            raise Refused(AskRefusal.EMPTY)
        if await self.may_answer(person, question_id) is None:
            return None
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if question is None or question.status != "open":
                return None
            profile = await store.get_helper(conn, person.id)
            signed_as = person.first_name if profile and profile.show_name else None
            answer_id = await store.insert_answer(
                conn, question_id, person.id, text, voice, person.is_key_person, signed_as, now
            )
            answer = await store.get_answer(conn, answer_id)
            assert answer is not None
            await self._deliver_answer(conn, question, answer, now)
        return answer

    def answer_text(self, t: Translator, answer: Answer) -> str:
        if answer.by_key_person and answer.signed_as:
            signature = t.gettext("— {name}, key person").format(name=t.isolate(answer.signed_as))
        elif answer.by_key_person:
            signature = t.gettext("— a key person")
        elif answer.signed_as:
            signature = t.gettext("— {name}").format(name=t.isolate(answer.signed_as))
        else:
            signature = t.gettext("— a helper")
        heading = t.gettext("💬 An answer to your question:")
        body = answer.text or t.gettext("(voice note)")
        return f"{heading}\n\n{body}\n\n{signature}"

    async def _reachable_asker(
        self, conn: aiosqlite.Connection, question: Question
    ) -> tuple[int, Translator] | None:
        """The asker's id and language, if there is still someone to tell."""
        if question.asker_id is None:
            return None
        asker = await people_store.get_user(conn, question.asker_id)
        if asker is None or not asker.reachable:
            return None
        return asker.id, self._translators[self._locale(asker)]

    async def _deliver_answer(
        self, conn: aiosqlite.Connection, question: Question, answer: Answer, now: int
    ) -> None:
        found = await self._reachable_asker(conn, question)
        if found is None:
            return
        asker_id, t = found
        buttons = ui.keyboard_json(
            [
                [
                    (t.gettext("This helped"), ui.encode(ACCEPT, answer.id)),
                    (t.gettext("Ask a follow-up"), ui.encode(FOLLOW_UP, answer.id)),
                ],
                [
                    (t.gettext("Close the question"), ui.encode(CLOSE, question.id)),
                    report_button(t, "answer", answer.id),
                ],
            ]
        )
        await outbox.enqueue(
            conn,
            asker_id,
            self.answer_text(t, answer),
            now=now,
            reply_markup=buttons,
            voice=answer.voice,
            dedupe_key=f"answer:{answer.id}",
        )

    async def _asker_answer(self, person: Person, answer_id: int) -> tuple[Question, Answer] | None:
        """The answer and its question, if the person is the one who asked."""
        answer = await store.get_answer(self._db.reader, answer_id)
        if answer is None or answer.hidden:
            return None
        question = await store.get_question(self._db.reader, answer.question_id)
        if question is None or question.asker_id != person.id or question.status == "hidden":
            return None
        return question, answer

    async def accept(self, person: Person, answer_id: int) -> bool:
        found = await self._asker_answer(person, answer_id)
        if found is None:
            return False
        _question, answer = found
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            await store.set_answer(conn, answer_id, accepted=1)
            helper = (
                await people_store.get_user(conn, answer.helper_id) if answer.helper_id else None
            )
            if helper is not None and not answer.accepted:
                t = self._translators[self._locale(helper)]
                await outbox.enqueue(
                    conn,
                    helper.id,
                    t.gettext("✅ Your answer helped. Thank you!"),
                    now=now,
                    dedupe_key=f"accepted:{answer_id}",
                )
        return True

    async def may_follow_up(self, person: Person, answer_id: int) -> bool:
        found = await self._asker_answer(person, answer_id)
        return found is not None and found[0].status == "open" and found[1].helper_id is not None

    async def follow_up(
        self, person: Person, answer_id: int, text: str | None, voice: str | None
    ) -> bool:
        """Relay the asker's follow-up to the helper who answered, still anonymously."""
        text = (text or "").strip() or None
        if text is None and voice is None:
            raise Refused(AskRefusal.EMPTY)
        found = await self._asker_answer(person, answer_id)
        if found is None or found[0].status != "open" or found[1].helper_id is None:
            return False
        question, answer = found
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            helper = await people_store.get_user(conn, answer.helper_id)
            if helper is None:
                return False
            t = self._translators[self._locale(helper)]
            buttons = ui.keyboard_json(
                [
                    [
                        (t.gettext("Answer"), ui.encode(ANSWER, question.id)),
                        report_button(t, "question", question.id),
                    ]
                ]
            )
            await outbox.enqueue(
                conn,
                helper.id,
                self.question_text(t, question, follow_up=text or t.gettext("(voice note)")),
                now=now,
                reply_markup=buttons,
                voice=voice,
                dedupe_key=f"question:{question.id}:follow-up:{now}:{answer.id}",
            )
        return True

    async def may_close(self, person: Person, question_id: int) -> bool:
        question = await store.get_question(self._db.reader, question_id)
        return (
            question is not None
            and question.asker_id == person.id
            and (question.status in ("open", "closed"))
        )

    async def close(self, person: Person, question_id: int, keep: bool) -> bool:
        """Close the question; with the asker's consent, keep it (without them) for others."""
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if question is None or question.asker_id != person.id:
                return False
            if question.status not in ("open", "closed"):
                return False
            answers = await store.answers_to(conn, question_id)
            keep = keep and bool(question.text) and bool(answers)
            await store.set_question(
                conn, question_id, status="closed", kept=int(keep), closed_at=now
            )
            if keep:
                body = "\n".join([question.text or "", *(a.text or "" for a in answers)])
                await fulltext.index(conn, KNOWLEDGE_TABLE, question_id, body)
            else:
                await fulltext.remove(conn, KNOWLEDGE_TABLE, question_id)
        return True

    async def search(self, person: Person, words: str, limit: int = 5) -> list[KnownAnswer]:
        return await self.similar(person, words, limit)

    # -- escalation ---------------------------------------------------------------------------

    async def escalate_due(self) -> int:
        """Job: unanswered questions go to key persons after 12 h, to organisers after 48 h.

        Everything is read from the database, so escalations survive restarts.
        """
        now = self._clock.now()
        escalated = 0
        for level, (role, after) in enumerate(
            (("key_person", self._escalations[0]), ("organiser", self._escalations[1]))
        ):
            moment = int((now - after).timestamp())
            for question in await store.unanswered(self._db.reader, level, moment):
                async with self._db.transaction() as conn:
                    current = await store.get_question(conn, question.id)
                    if current is None or current.status != "open" or current.escalation != level:
                        continue
                    languages = (
                        await self.reading_locales(conn, question.asker_id)
                        if question.asker_id
                        else [question.locale]
                    )
                    people = await store.role_candidates(
                        conn,
                        question.id,
                        role,
                        languages if role == "key_person" else None,
                        question.asker_id,
                    )
                    stamp = int(now.timestamp())
                    await self._send_question(conn, question, people, stamp)
                    await store.set_question(conn, question.id, escalation=level + 1)
                    await self._tell_asker_escalated(conn, question, level + 1, stamp)
                escalated += 1
        return escalated

    async def _tell_asker_escalated(
        self, conn: aiosqlite.Connection, question: Question, level: int, now: int
    ) -> None:
        found = await self._reachable_asker(conn, question)
        if found is None:
            return
        asker_id, t = found
        text = (
            t.gettext("Nobody has answered your question yet, so I asked a key person too.")
            if level == 1
            else t.gettext("Still no answer, so I asked the organisers of the community too.")
        )
        await outbox.enqueue(
            conn, asker_id, text, now=now, dedupe_key=f"escalated:{question.id}:{level}"
        )

    # -- helpers ------------------------------------------------------------------------------

    async def helper_profile(self, person: Person) -> store.Helper:
        profile = await store.get_helper(self._db.reader, person.id)
        if profile is None:
            own = self._locale(person)
            profile = store.Helper(person.id, frozenset({own}), frozenset(), True, False)
        return profile

    async def update_helper(self, person: Person, **changes: object) -> store.Helper:
        """Change the helper profile: languages, topics, paused, show_name."""
        if not person.is_helper:
            raise PermissionError(f"{person.id} is not a helper")
        async with self._db.transaction() as conn:
            profile = await store.get_helper(conn, person.id) or await self.helper_profile(person)
            values = {
                "languages": profile.languages,
                "topics": profile.topics,
                "paused": profile.paused,
                "show_name": profile.show_name,
            }
            values.update(changes)
            updated = store.Helper(person.id, **values)
            await store.save_helper(conn, updated, self._clock.timestamp())
        return updated

    async def forget_person(
        self, conn: aiosqlite.Connection, user_id: int, _now: int, _keep_tips: bool
    ) -> None:
        """Someone erases their data: their questions and answers go, unless kept anonymously,
        and so do the copies that were relayed to others."""
        questions = await store.private_questions_of(conn, user_id)
        answers = await store.private_answers_of(conn, user_id)
        await outbox.forget(
            conn, [f"question:{q}:" for q in questions] + [f"answer:{a}" for a in answers]
        )
        await store.forget_asker(conn, user_id)
        await store.forget_helper(conn, user_id)

    # -- moderation hooks ---------------------------------------------------------------------

    async def load_question(self, conn: aiosqlite.Connection, question_id: int) -> Content | None:
        question = await store.get_question(conn, question_id)
        if question is None or question.status in ("draft", "hidden"):
            return None
        return Content(question.text or "(voice note)", question.asker_id)

    async def hide_question(self, conn: aiosqlite.Connection, question_id: int) -> None:
        await store.set_question(conn, question_id, status="hidden", kept=0)
        await fulltext.remove(conn, KNOWLEDGE_TABLE, question_id)

    async def load_answer(self, conn: aiosqlite.Connection, answer_id: int) -> Content | None:
        answer = await store.get_answer(conn, answer_id)
        if answer is None or answer.hidden:
            return None
        return Content(answer.text or "(voice note)", answer.helper_id)

    async def hide_answer(self, conn: aiosqlite.Connection, answer_id: int) -> None:
        answer = await store.get_answer(conn, answer_id)
        if answer is None:
            return
        await store.set_answer(conn, answer_id, hidden=1)
        question = await store.get_question(conn, answer.question_id)
        if question is not None and question.kept:  # the knowledge base forgets it too
            answers = await store.answers_to(conn, question.id)
            body = "\n".join([question.text or "", *(a.text or "" for a in answers)])
            await fulltext.index(conn, KNOWLEDGE_TABLE, question.id, body)
