"""Questions nobody answered move up: to key persons, later to organisers and admins.

Each of them gets one digest per escalation pass (`bot.questions.digest`); the asker is told
only what happened. Mixed into `QuestionService`, whose database, clock, catalogs and message
texts these steps use.
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum

import aiosqlite

from bot import ui
from bot.clock import Clock
from bot.db import Database
from bot.i18n import N_, Translator, Translators
from bot.moderation import store as moderation_store
from bot.moderation.service import report_button
from bot.outbox import store as outbox
from bot.people import store as people_store
from bot.people.roles import Person
from bot.questions import digest, store
from bot.questions.relaying import ANSWER, attachments, opening
from bot.questions.store import Candidate, Question, QuestionFile


class Opened(Enum):
    """What a press on a question in an escalation digest finds."""

    WAITING = "waiting"  # still open, nobody answered: shown, with its Answer button
    ANSWERED = "answered"
    CLOSED = "closed"  # closed by its asker, or hidden by a moderator
    BLOCKED = "blocked"  # the person may not answer at the moment
    GONE = "gone"  # erased, or never sent to this person (a stale or forged button)


_ESCALATED = (
    N_("Nobody has answered “{question}” yet, so a key person got your question too."),
    N_("Still no answer to “{question}”, so the organisers of the community got it too."),
)
_NOBODY_AVAILABLE = N_(
    "Nobody is available to answer “{question}” right now. Your question stays open: the "
    "first helper who becomes free gets it. For something urgent, see /urgent."
)
# Why a question reaches someone who was not among the first to get it.
_WHY_ESCALATED = (
    N_("Nobody has answered this question yet."),
    N_(
        "Nobody has answered this question yet. You can answer it, or send it to a helper or "
        "key person with /unanswered."
    ),
)


class EscalationSteps:
    """The escalation steps of `QuestionService` (which also provides `_locale`,
    `reading_locales`, `question_text` and `_reachable_asker`)."""

    _db: Database
    _clock: Clock
    _translators: Translators
    _escalations: tuple[timedelta, timedelta]  # to key persons, then to organisers
    _admin_ids: frozenset[int]

    # -- escalation ---------------------------------------------------------------------------

    async def escalate_due(self) -> int:
        """Job: an unanswered question goes to key persons, later to organisers and admins.

        Each of them gets one digest per pass, listing every question that reached them in it
        (`bot.questions.digest`), in the same transaction as the escalation. The asker is told
        only what happened: that a key person or the organisers got it, or, when at the last
        step nobody could, that nobody is available and the question stays open. Everything is
        read from the database, so escalations survive restarts.
        """
        now = self._clock.now()
        stamp = int(now.timestamp())
        # The scans run on the long-read lane, before the write: the writer waits for no scan, and
        # quick reads (/cafes, /help) never queue behind one.
        due = [
            await store.unanswered(self._db.long_reader, level, int((now - after).timestamp()))
            for level, after in enumerate(self._escalations)
        ]
        last = len(self._escalations) - 1
        organisers_from = int((now - self._escalations[last]).timestamp())
        reached: dict[int, tuple[Candidate, list[store.DigestItem]]] = {}
        escalated = 0
        async with self._db.transaction() as conn:
            for level in range(len(self._escalations)):
                for question in due[level]:
                    current = await store.get_question(conn, question.id)
                    if current is None or current.status != "open" or current.escalation != level:
                        continue
                    people = await self._escalation_candidates(conn, current, level)
                    await store.add_recipients(
                        conn, current.id, [candidate.user_id for candidate in people], stamp
                    )
                    for candidate in people:
                        item = store.DigestItem(current, for_organiser=level == last)
                        reached.setdefault(candidate.user_id, (candidate, []))[1].append(item)
                    await store.set_question(conn, current.id, escalation=level + 1)
                    if people:
                        await self._tell_asker(conn, current, _ESCALATED[level], level + 1, stamp)
                    elif level == last:
                        await self._tell_asker(conn, current, _NOBODY_AVAILABLE, "nobody", stamp)
                    escalated += 1
                    # Overdue for the next step too (the bot was down): it goes on in this pass.
                    if level < last and (current.routed_at or 0) <= organisers_from:
                        due[level + 1].append(current)
            for candidate, items in reached.values():
                await self._send_digest(conn, candidate, items, f"digest:{stamp}", stamp)
        return escalated

    async def _escalation_candidates(
        self, conn: aiosqlite.Connection, question: Question, level: int
    ) -> list[Candidate]:
        if level == 0:
            languages = await self._asker_languages(conn, question)
            return await store.key_person_candidates(
                conn, question.id, languages, question.asker_id
            )
        return await store.organiser_candidates(
            conn, question.id, self._admin_ids, question.asker_id
        )

    async def _send_digest(
        self,
        conn: aiosqlite.Connection,
        candidate: Candidate,
        items: list[store.DigestItem],
        dedupe_prefix: str,
        now: int,
    ) -> None:
        """One message listing the questions; it is about each of their askers, and records
        which questions it lists so that an erasure can rewrite it (`_rewrite_digests`)."""
        t = self._translators[self._locale(candidate)]
        # The first question is new to this person in this pass: the key is never reused.
        dedupe_key = f"{dedupe_prefix}:{items[0].question.id}:{candidate.user_id}"
        if len(items) == 1:  # one question: the question itself, ready to answer
            [item] = items
            text, rows = self._escalated_message(t, item.question, item.for_organiser)
            question = item.question
            files = attachments(await store.files_of(conn, question.id), question.voice)
            markup = ui.keyboard_json(rows)
        else:
            text, files = digest.digest_text(t, items), []
            markup = digest.digest_buttons(t, items)
        queued = await outbox.enqueue(
            conn,
            candidate.user_id,
            text,
            now=now,
            reply_markup=markup,
            attachments=files,
            dedupe_key=dedupe_key,
            about=[item.question.asker_id for item in items],
        )
        outbox_id = await store.outbox_id_for(conn, dedupe_key) if queued else None
        if outbox_id is not None:
            await store.record_digest(conn, outbox_id, items)

    async def _rewrite_digests(self, conn: aiosqlite.Connection, asker_id: int) -> None:
        """An asker erases their data: a digest still queued that lists their question is
        queued again without it, so the other askers' questions still reach the organiser.
        (The old row is about the asker, so the erasure deletes it; one already sent is gone
        from the outbox the same way, and cannot be sent again.)"""
        for outbox_id in await store.queued_digests_listing(conn, asker_id):
            recipient_id, items = await store.digest_items(conn, outbox_id, asker_id)
            user = await people_store.get_user(conn, recipient_id)
            await outbox.delete(conn, outbox_id)
            if user is None or not items:
                continue
            candidate = Candidate(user.id, user.locale, user.telegram_locale)
            await self._send_digest(
                conn, candidate, items, f"digest:rewritten:{outbox_id}", self._clock.timestamp()
            )

    async def open_from_digest(
        self, person: Person, question_id: int
    ) -> tuple[Opened, Question | None]:
        """A question from a digest, if it reached this person and still waits for an answer.
        A question that is not theirs looks the same as one that is gone: nothing is told."""
        conn = self._db.reader
        question = await store.get_question(conn, question_id)
        if question is None or not await store.is_recipient(conn, question_id, person.id):
            return Opened.GONE, None
        if question.status != "open":
            return Opened.CLOSED, None
        if await moderation_store.is_blocked(conn, person.id):
            return Opened.BLOCKED, None
        if await store.answers_to(conn, question_id):
            return Opened.ANSWERED, None
        return Opened.WAITING, question

    async def files_of(self, question: Question) -> list[QuestionFile]:
        """The photos and documents a question was sent with (file ids only)."""
        return await store.files_of(self._db.reader, question.id)

    def escalated_question(
        self, t: Translator, person: Person, question: Question
    ) -> tuple[str, ui.Rows]:
        """What a digest's button opens: the question, why it came, and its buttons."""
        return self._escalated_message(t, question, person.is_organiser)

    def _escalated_message(
        self, t: Translator, question: Question, for_organiser: bool
    ) -> tuple[str, ui.Rows]:
        note = _WHY_ESCALATED[1] if for_organiser else _WHY_ESCALATED[0]
        buttons = [
            [
                (t.gettext("Answer"), ui.encode(ANSWER, question.id)),
                report_button(t, "question", question.id),
            ]
        ]
        return self.question_text(t, question, note=note), buttons

    async def _asker_languages(self, conn: aiosqlite.Connection, question: Question) -> list[str]:
        if question.asker_id is None:
            return [question.locale]
        return await self.reading_locales(conn, question.asker_id)

    async def _tell_asker(
        self,
        conn: aiosqlite.Connection,
        question: Question,
        message: str,
        step: object,
        now: int,
    ) -> None:
        """One message about this question to its asker, naming it by its first words."""
        found = await self._reachable_asker(conn, question)
        if found is None:
            return
        asker_id, t = found
        text = t.gettext(message).format(question=t.isolate(opening(t, question)))
        await outbox.enqueue(
            conn, asker_id, text, now=now, dedupe_key=f"escalated:{question.id}:{step}"
        )
