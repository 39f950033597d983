"""The rules of peer questions.

The asker is never shown to anyone who answers: every message between them is relayed by the
bot, and nothing that identifies the asker (name, username, id) is ever put in a message to a
helper. Questions go to available helpers who answer in one of the asker's languages and
cover the topic (no topics chosen: every topic), least recently asked first; unanswered ones
go to key persons, then to organisers and admins, and a helper who becomes available is
offered the ones still waiting. The asker is told only what actually happened.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

import aiosqlite

from bot import search as fulltext
from bot import ui
from bot.clock import Clock
from bot.db import Database
from bot.i18n import N_, Translator, Translators, language_name, resolve_locale
from bot.moderation import store as moderation_store
from bot.moderation.service import Content, report_button
from bot.outbox import store as outbox
from bot.people import store as people_store
from bot.people.roles import Person
from bot.questions import store
from bot.questions.escalation import EscalationSteps
from bot.questions.files import MAX_FILES
from bot.questions.relaying import ANSWER, attachments, without_words
from bot.questions.store import KNOWLEDGE_TABLE, Answer, Candidate, Question, QuestionFile
from bot.questions.topics import TOPICS

MAX_QUESTION_CHARS = 3000
MIN_WORDS_OF_A_QUESTION = 3  # a stray message this long is offered as a question
NO_TOPIC = ""  # a draft written after /ask before its topic was chosen (choose_topic sets it)
# Button actions on messages that wait in the outbox (handlers.py handles them).
ACCEPT = "q_ok"
FOLLOW_UP = "q_more"
CLOSE = "q_close"


class AskRefusal(Enum):
    BLOCKED = "blocked"
    DAILY_LIMIT = "daily_limit"
    TOO_LONG = "too_long"
    EMPTY = "empty"
    NO_WORDS = "no_words"  # only emoji or punctuation, and no voice note
    TOO_MANY_FILES = "too_many_files"


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
class HelperChange:
    profile: store.Helper
    offered: int  # waiting questions that were sent to the helper because of the change


def _may_match_more(before: store.Helper, after: store.Helper) -> bool:
    """Resumed, a language added, or more topics covered (no topics means every topic)."""
    more_topics = bool(before.topics) and (not after.topics or bool(after.topics - before.topics))
    return before.paused or bool(after.languages - before.languages) or more_topics


# What the asker is told at each escalation step ({question}: its first words).
_WHY_WAITING = N_("This question has been waiting for an answer.")
_WHY_CHOSEN = N_("An organiser sent you this question.")
# A helper who becomes available gets at most this many waiting questions at once.
OFFER_AT_ONCE = 5


def _question_words(text: str | None, voice: str | None) -> str | None:
    """The words of a new question, stripped; refused when there is nothing a helper could read
    or hear, or too much."""
    text = (text or "").strip() or None
    if text is None and voice is None:
        raise Refused(AskRefusal.EMPTY)
    if text is not None and len(text) > MAX_QUESTION_CHARS:
        raise Refused(AskRefusal.TOO_LONG)
    if text is not None and voice is None and not ui.has_words(text):
        raise Refused(AskRefusal.NO_WORDS)
    return text


def _own_draft(question: Question | None, person: Person) -> bool:
    """Whether this is the person's question, not sent yet (a press may be old or forged)."""
    return question is not None and question.asker_id == person.id and question.status == "draft"


async def _still_waiting(conn: aiosqlite.Connection, question_id: int) -> Question | None:
    """The question, if it is open and nobody has answered it yet."""
    question = await store.get_question(conn, question_id)
    if question is None or question.status != "open" or await store.answers_to(conn, question_id):
        return None
    return question


@dataclass(frozen=True)
class Routed:
    helpers: int
    key_persons: int


class QuestionService(EscalationSteps):
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
        admin_ids: frozenset[int] = frozenset(),
    ) -> None:
        self._db = db
        self._clock = clock
        self._translators = translators
        self._default_locale = default_locale
        self._questions_per_day = questions_per_day
        self._escalations = (to_key_persons_after, to_organisers_after)
        self._helpers_per_question = helpers_per_question
        self._knowledge_words = fulltext.WordCounts(KNOWLEDGE_TABLE)
        self._admin_ids = admin_ids

    # -- languages ----------------------------------------------------------------------------

    def _locale(self, someone: Person | Candidate | people_store.StoredUser) -> str:
        return resolve_locale(someone.locale, someone.telegram_locale, self._default_locale)

    async def reading_locales(self, conn: aiosqlite.Connection, person_id: int) -> list[str]:
        """The person's own language first, then the others they said they can read."""
        user = await people_store.get_user(conn, person_id)
        own = self._locale(user) if user else self._default_locale
        return [own, *sorted(await store.also_reads(conn, person_id) - {own})]

    async def _own_reading_locales(self, conn: aiosqlite.Connection, person: Person) -> list[str]:
        """`reading_locales` of the person who is talking, whose language the update has
        loaded already: one query, not a second lookup of the person."""
        own = self._locale(person)
        return [own, *sorted(await store.also_reads(conn, person.id) - {own})]

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
        text = _question_words(text, voice)
        await self.check_can_ask(person)
        async with self._db.transaction() as conn:
            locales = await self._own_reading_locales(conn, person)
            question_id = await store.insert_question(
                conn, person.id, topic, locales[0], text, voice, self._clock.timestamp()
            )
        similar = await self.similar(person, text, locales=locales) if text else []
        return Draft(question_id, similar)

    async def similar(
        self, person: Person, text: str, limit: int = 3, *, locales: list[str] | None = None
    ) -> list[KnownAnswer]:
        """Answered questions from the knowledge base, in languages the person reads
        (`locales`, when the caller has them already)."""
        # A search may take a while at 10× the benchmark size: never on the reader that the
        # quick reads of everyone else's updates go to.
        conn = self._db.long_reader
        if locales is None:
            locales = await self._own_reading_locales(conn, person)
        if not locales:
            return []

        async def best(match: fulltext.Match) -> list[Question]:
            return await store.answered_in_knowledge(
                conn, match.expression, locales, limit, match.from_rowid
            )

        questions = await self._knowledge_words.find(
            conn, text, best, enough=limit, languages=locales
        )
        if not questions:
            return []
        answers = await store.answers_for(conn, [question.id for question in questions])
        # The reads are not one snapshot: an answer hidden in between leaves nothing to show.
        return [KnownAnswer(q, answers[q.id]) for q in questions if answers[q.id]]

    async def draft_before_topic(self, person: Person, text: str | None, voice: str | None) -> int:
        """Words or a voice note sent after /ask but before a topic was chosen: kept as a draft
        without a topic, so that nothing the person wrote is lost; `choose_topic` goes on."""
        text = _question_words(text, voice)
        await self.check_can_ask(person)
        async with self._db.transaction() as conn:
            locales = await self._own_reading_locales(conn, person)
            return await store.insert_question(
                conn, person.id, NO_TOPIC, locales[0], text, voice, self._clock.timestamp()
            )

    async def discard_without_topic(self, person: Person, question_id: int) -> bool:
        """ "Start again": the question kept before its topic goes. False: not theirs, not a
        draft, or it has a topic already (a draft at another step is left alone)."""
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if not _own_draft(question, person) or question.topic != NO_TOPIC:
                return False
            await store.delete_question(conn, question_id)
        return True

    @staticmethod
    def may_be_a_question(text: str) -> bool:
        """Whether a message that no step waited for is long enough to offer as a question:
        "hallo?" or "thanks" is not."""
        return len(re.findall(r"\w+", text)) >= MIN_WORDS_OF_A_QUESTION

    async def kept_without_topic(self, person: Person) -> Question | None:
        """What the person wrote before choosing a topic and did not send (a /cancel, another
        command): /ask offers to go on with it, so that it is not lost."""
        return await store.latest_draft_without_topic(self._db.reader, person.id)

    async def choose_topic(self, person: Person, question_id: int, topic: str) -> Draft | None:
        """The topic of a draft written before it; then answered questions that look the same,
        as for any written question. None: not their draft, or its topic is chosen already."""
        if topic not in TOPICS:
            return None
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if not _own_draft(question, person) or question.topic != NO_TOPIC:
                return None
            await store.set_question(conn, question_id, topic=topic)
            locales = await self._own_reading_locales(conn, person)
        if not question.text:  # a voice note alone: nothing to search for
            return Draft(question_id, [])
        return Draft(question_id, await self.similar(person, question.text, locales=locales))

    async def withdraw(self, person: Person, question_id: int) -> bool:
        """ "This answers it": the draft is not needed, so it is not kept."""
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if not _own_draft(question, person):
                return False
            await store.delete_question(conn, question_id)
        return True

    # -- asking with photos and documents ------------------------------------------------------

    async def begin_with_file(self, person: Person, topic: str, text: str | None) -> int:
        """A question that starts with a photo or document (its caption, if any, as text):
        a draft, which `attach` fills and `send_draft` sends on."""
        if topic not in TOPICS:
            raise ValueError(f"unknown topic {topic!r}")
        text = (text or "").strip() or None
        if text is not None and len(text) > MAX_QUESTION_CHARS:
            raise Refused(AskRefusal.TOO_LONG)
        await self.check_can_ask(person)
        async with self._db.transaction() as conn:
            locales = await self._own_reading_locales(conn, person)
            return await store.insert_question(
                conn, person.id, topic, locales[0], text, None, self._clock.timestamp()
            )

    async def room_for_files(self, person: Person, question_id: int) -> int | None:
        """How many more files the person's draft can take; None when it is not their draft."""
        question = await store.get_question(self._db.reader, question_id)
        if not _own_draft(question, person):
            return None
        return MAX_FILES - len(await store.files_of(self._db.reader, question_id))

    async def attach(
        self,
        person: Person,
        question_id: int,
        *,
        file: QuestionFile | None = None,
        text: str | None = None,
        voice: str | None = None,
    ) -> int | None:
        """Add a photo or document, words (after what was written) or a voice note to the
        person's draft. How many files it has now; None when it is not their draft (any more)."""
        text = (text or "").strip() or None
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if not _own_draft(question, person):
                return None
            files = await store.files_of(conn, question_id)
            if file is not None and len(files) >= MAX_FILES:
                raise Refused(AskRefusal.TOO_MANY_FILES)
            if text is not None:
                joined = "\n\n".join(part for part in (question.text, text) if part)
                if len(joined) > MAX_QUESTION_CHARS:
                    raise Refused(AskRefusal.TOO_LONG)
                await store.set_question(conn, question_id, text=joined)
            if voice is not None:
                await store.set_question(conn, question_id, voice=voice)
            if file is not None:
                await store.add_file(conn, question_id, None, file, self._clock.timestamp())
                files.append(file)
        return len(files)

    async def send_draft(self, person: Person, question_id: int) -> Draft | None:
        """ "Send" under a question with photos: find answered questions like its words (the
        caption or text) first, as for a written question. None: not their draft (any more)."""
        question = await store.get_question(self._db.reader, question_id)
        if not _own_draft(question, person):
            return None
        similar = await self.similar(person, question.text) if question.text else []
        return Draft(question_id, similar)

    async def retake(self, person: Person, question_id: int) -> str | None:
        """ "Take a new photo": the draft and its files go. Its topic, to ask again; None when
        it is not their draft (any more)."""
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if not _own_draft(question, person):
                return None
            await store.delete_question(conn, question_id)
        return question.topic

    async def route(self, person: Person, question_id: int) -> Routed | None:
        """Send the question to helpers (or, when there are none, to key persons)."""
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if not _own_draft(question, person):
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
                key_persons = await store.key_person_candidates(
                    conn, question_id, languages, person.id
                )
                await self._send_question(conn, question, key_persons, now)
                await store.set_question(conn, question_id, escalation=1)
        return Routed(len(helpers), len(key_persons))

    def question_text(
        self,
        t: Translator,
        question: Question,
        follow_up: str | None = None,
        note: str | None = None,
    ) -> str:
        """What a helper sees: the question, its topic and language, and why it comes to them
        (`note`, a text to translate). Nothing about the asker."""
        lines = [
            t.gettext("❓ A question"),
            *([t.gettext(note)] if note else []),
            t.gettext("Topic: {topic}").format(topic=t.gettext(TOPICS[question.topic])),
            t.gettext("Language: {language}").format(language=language_name(question.locale)),
            "",
            question.text or without_words(t, question),
        ]
        if follow_up is not None:
            lines += ["", t.gettext("Follow-up question:"), follow_up]
        return "\n".join(lines)

    async def _send_question(
        self,
        conn: aiosqlite.Connection,
        question: Question,
        people: list[Candidate],
        now: int,
        note: str | None = None,
    ) -> None:
        files = attachments(await store.files_of(conn, question.id), question.voice)
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
                self.question_text(t, question, note=note),
                now=now,
                reply_markup=buttons,
                attachments=files,
                dedupe_key=f"question:{question.id}:{candidate.user_id}",
                about=[question.asker_id],
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
        self,
        person: Person,
        question_id: int,
        text: str | None,
        voice: str | None,
        files: Sequence[QuestionFile] = (),
    ) -> Answer | None:
        """Relay an answer (words, a voice note, photos such as a marked-up page) to the asker."""
        text = (text or "").strip() or None
        if text is None and voice is None and not files:
            raise Refused(AskRefusal.EMPTY)
        if await self.may_answer(person, question_id) is None:
            return None
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            question = await store.get_question(conn, question_id)
            if question is None or question.status != "open":
                return None
            profile = await store.get_helper(conn, person.id)
            signed = bool(profile and profile.show_name)
            answer_id = await store.insert_answer(
                conn, question_id, person.id, text, voice, person.is_key_person, signed, now
            )
            for file in files:
                await store.add_file(conn, question_id, answer_id, file, now)
            answer = await store.get_answer(conn, answer_id)
            assert answer is not None
            await self._deliver_answer(conn, question, answer, now, files)
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
        body = answer.text or (
            t.gettext("(voice note)") if answer.voice else t.gettext("(photo or file)")
        )
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
        self,
        conn: aiosqlite.Connection,
        question: Question,
        answer: Answer,
        now: int,
        files: Sequence[QuestionFile] = (),
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
            attachments=attachments(files, answer.voice),
            dedupe_key=f"answer:{answer.id}",
            about=[answer.helper_id],  # their words, maybe their name
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
        self,
        person: Person,
        answer_id: int,
        text: str | None,
        voice: str | None,
        files: Sequence[QuestionFile] = (),
    ) -> bool:
        """Relay the asker's follow-up to the helper who answered, still anonymously. Its
        photos live only in the outbox, as copies about the asker."""
        text = (text or "").strip() or None
        if text is None and voice is None and not files:
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
                self.question_text(
                    t,
                    question,
                    follow_up=text
                    or (t.gettext("(voice note)") if voice else t.gettext("(photo or file)")),
                ),
                now=now,
                reply_markup=buttons,
                attachments=attachments(files, voice),
                dedupe_key=f"question:{question.id}:follow-up:{now}:{answer.id}",
                about=[person.id],
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
                await fulltext.index(
                    conn, KNOWLEDGE_TABLE, question_id, body, language=question.locale
                )
            else:
                await fulltext.remove(conn, KNOWLEDGE_TABLE, question_id)
        return True

    async def search(self, person: Person, words: str, limit: int = 5) -> list[KnownAnswer]:
        return await self.similar(person, words, limit)

    # -- offering waiting questions, and the organisers' view -----------------------------------

    async def _offer_waiting(self, conn: aiosqlite.Connection, user_id: int, now: int) -> int:
        """A helper who just became available gets the oldest questions that wait for a first
        answer and match them: at most OFFER_AT_ONCE, never their own, never one twice."""
        profile = await store.get_helper(conn, user_id)
        if profile is None:
            return 0
        waiting = await store.waiting_for(conn, user_id, sorted(profile.languages), OFFER_AT_ONCE)
        user = await people_store.get_user(conn, user_id)
        if user is None:
            return 0
        candidate = Candidate(user.id, user.locale, user.telegram_locale)
        for question in waiting:
            await self._send_question(conn, question, [candidate], now, _WHY_WAITING)
        return len(waiting)

    async def unanswered(self, viewer: Person, limit: int) -> list[store.Waiting]:
        """Open questions without an answer, oldest first; one more than `limit` when there
        are more, so the organiser can be told that only the oldest are shown."""
        if not viewer.is_organiser:
            raise PermissionError(f"{viewer.id} may not see unanswered questions")
        return await store.unanswered_open(self._db.reader, limit + 1)

    async def readers_for(
        self, viewer: Person, question_id: int
    ) -> tuple[Question, list[tuple[Candidate, str]]] | None:
        """The question, and who could be sent it: helpers and key persons who read its
        language and have not received it. None when it no longer waits for an answer."""
        if not viewer.is_organiser:
            return None
        conn = self._db.reader
        question = await _still_waiting(conn, question_id)
        if question is None:
            return None
        readers = await store.readers_of(conn, question_id, question.locale, question.asker_id)
        return question, readers

    async def send_to(self, viewer: Person, question_id: int, user_id: int) -> str | None:
        """An organiser sends a waiting question to one helper or key person; that person
        gets it the usual anonymous way. Their first name, or None when it cannot be done."""
        if not viewer.is_organiser:
            return None
        now = self._clock.timestamp()
        async with self._db.transaction() as conn:
            question = await _still_waiting(conn, question_id)
            if question is None:
                return None
            readers = await store.readers_of(conn, question_id, question.locale, question.asker_id)
            chosen = next(((c, name) for c, name in readers if c.user_id == user_id), None)
            if chosen is None:
                return None
            await self._send_question(conn, question, [chosen[0]], now, _WHY_CHOSEN)
        return chosen[1]

    # -- helpers ------------------------------------------------------------------------------

    async def helper_profile(self, person: Person) -> store.Helper:
        profile = await store.get_helper(self._db.reader, person.id)
        if profile is None:
            own = self._locale(person)
            profile = store.Helper(person.id, frozenset({own}), frozenset(), True, False)
        return profile

    async def begin_setup(self, person: Person) -> store.Helper:
        """A new helper or key person: a profile in their own language, all topics, paused
        until they finish the setup. Someone who had a profile keeps it as it was."""
        if not person.is_helper:
            raise PermissionError(f"{person.id} is not a helper")
        async with self._db.transaction() as conn:
            profile = await store.get_helper(conn, person.id)
            if profile is None:
                profile = store.Helper(
                    person.id, frozenset({self._locale(person)}), frozenset(), True, False
                )
                await store.save_helper(conn, profile, self._clock.timestamp())
        return profile

    async def update_helper(self, person: Person, **changes: object) -> HelperChange:
        """Change the helper profile: languages, topics, paused, show_name. When the person is
        active afterwards and may now match more, waiting questions are offered to them."""
        if not person.is_helper:
            raise PermissionError(f"{person.id} is not a helper")
        now = self._clock.timestamp()
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
            await store.save_helper(conn, updated, now)
            offered = 0
            if not updated.paused and _may_match_more(profile, updated):
                offered = await self._offer_waiting(conn, person.id, now)
        return HelperChange(updated, offered)

    async def forget_person(
        self, conn: aiosqlite.Connection, user_id: int, _now: int, _keep_tips: bool
    ) -> None:
        """Someone erases their data: their questions and answers go, unless kept anonymously.
        The copies relayed to others name them as `about`, so the outbox forgets those."""
        await self._rewrite_digests(conn, user_id)  # before their questions go
        await store.forget_asker(conn, user_id)
        await store.forget_helper(conn, user_id)

    # -- moderation hooks ---------------------------------------------------------------------

    async def load_question(self, conn: aiosqlite.Connection, question_id: int) -> Content | None:
        question = await store.get_question(conn, question_id)
        if question is None or question.status in ("draft", "hidden"):
            return None
        shown = question.text or ("(voice note)" if question.voice else "(photo or file)")
        files = await store.files_of(conn, question_id)
        return Content(shown, question.asker_id, tuple((f.kind, f.file_id) for f in files))

    async def question_shown_to(
        self, conn: aiosqlite.Connection, question_id: int, user_id: int
    ) -> bool:
        """They asked it, or it was sent to them (to answer it, or escalated)."""
        question = await store.get_question(conn, question_id)
        return question is not None and (
            question.asker_id == user_id or await store.is_recipient(conn, question_id, user_id)
        )

    async def hide_question(self, conn: aiosqlite.Connection, question_id: int) -> None:
        await store.set_question(conn, question_id, status="hidden", kept=0)
        await fulltext.remove(conn, KNOWLEDGE_TABLE, question_id)

    async def load_answer(self, conn: aiosqlite.Connection, answer_id: int) -> Content | None:
        answer = await store.get_answer(conn, answer_id)
        if answer is None or answer.hidden:
            return None
        files = await store.files_of(conn, answer.question_id, answer_id)
        shown = answer.text or ("(voice note)" if answer.voice else "(photo or file)")
        return Content(shown, answer.helper_id, tuple((f.kind, f.file_id) for f in files))

    async def answer_shown_to(
        self, conn: aiosqlite.Connection, answer_id: int, user_id: int
    ) -> bool:
        """They wrote it, or it answers their question (answers go to the asker only)."""
        answer = await store.get_answer(conn, answer_id)
        if answer is None:
            return False
        if answer.helper_id == user_id:
            return True
        question = await store.get_question(conn, answer.question_id)
        return question is not None and question.asker_id == user_id

    async def hide_answer(self, conn: aiosqlite.Connection, answer_id: int) -> None:
        answer = await store.get_answer(conn, answer_id)
        if answer is None:
            return
        await store.set_answer(conn, answer_id, hidden=1)
        await store.refresh_answered(conn, [answer.question_id])
        question = await store.get_question(conn, answer.question_id)
        if question is not None and question.kept:  # the knowledge base forgets it too
            answers = await store.answers_to(conn, question.id)
            body = "\n".join([question.text or "", *(a.text or "" for a in answers)])
            await fulltext.index(conn, KNOWLEDGE_TABLE, question.id, body, language=question.locale)
