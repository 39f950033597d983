"""What impact reports say, in the reader's language: the message, and the labels the CSV, the
chart and the statement share. Numbers, dates, durations and shares come from Babel."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date, format_interval, format_skeleton, format_timedelta
from babel.numbers import format_percent

from bot.i18n import N_, Translator, language_name
from bot.questions.topics import TOPICS
from bot.reports.service import (
    Contribution,
    Figures,
    ImpactReport,
    Period,
    PeriodError,
    suppressed,
    too_few_to_describe,
)

SUPPRESSED = "<5"  # a symbol, the same in every language
NOT_SHOWN = "—"
THEME_SEPARATOR = " · "

LINE = N_("{label}: {value}")
CAFES_HELD = N_("Cafés held")
SIGN_UPS = N_("Sign-ups")
ATTENDED = N_("Attended (checked in)")
UNIQUE = N_("Unique attendees")
RETURNING = N_("Returning attendees")
NO_SHOWS = N_("No-shows")
ASKED = N_("Questions asked")
ANSWERED = N_("Questions answered")
MEDIAN = N_("Median time to a first answer")
MEDIAN_HOURS = N_("Median hours to a first answer")
KEY_PERSON_SHARE = N_("Answered by a key person")
KEY_PERSON_PERCENT = N_("Answered by a key person (%)")
TIPS = N_("Tips shared")
OTHER_LANGUAGES = N_("Other or unknown languages")
BY_LANGUAGE = N_("People who came, by language")
BY_TOPIC = N_("Questions by topic")
SMALL_COUNTS = N_("Counts from 1 to 4 are shown as “<5”, so that nobody can be singled out.")
ACCEPTED = N_("Answers the asker marked as helpful")
ACCOMPANIMENTS = N_("Requests to go along, taken on")
CAFES_HOSTED = N_("Language cafés hosted")
FELT = N_("How people felt after the café")
ASKED_FOR = N_("Asked for next time")
MOODS = {"good": N_("Good"), "okay": N_("Okay"), "bad": N_("Not good")}  # 🙂 😐 🙁 in words

_SKELETONS = {1: "yMMMM", 12: "y"}


def period_name(t: Translator, period: Period) -> str:
    """ "November 2026", "Oct – Dec 2026", "2026", in the reader's language. A quarter is
    named by its months: "Q4" has no name in most of our languages ("ር4 2026")."""
    if period.length == 3:
        last_day = period.day_after - timedelta(days=1)
        return format_interval(period.first_day, last_day, "yMMM", locale=t.cldr)
    return format_skeleton(_SKELETONS[period.length], period.first_day, locale=t.cldr)


def day(t: Translator, moment: datetime) -> str:
    """The date of a moment, in the community's time zone: "1 December 2026"."""
    return format_date(moment.astimezone(t.timezone).date(), "long", locale=t.cldr)


def month_abbreviation(t: Translator, period: Period) -> str:
    return format_skeleton("MMM", period.first_day, locale=t.cldr)


def count(t: Translator, value: int) -> str:
    """A count of people as it may be shown: "<5" when it is small."""
    return SUPPRESSED if suppressed(value) else t.number(value)


def line(t: Translator, label: str, value: str) -> str:
    """A label already in the reader's language, and its value."""
    return t.gettext(LINE).format(label=label, value=t.isolate(value))


def field(t: Translator, label: str, value: str) -> str:
    """One of the labels above (marked with N_), and its value."""
    return line(t, t.gettext(label), value)


def duration(t: Translator, seconds: float) -> str:
    return format_timedelta(timedelta(seconds=seconds), threshold=1, locale=t.cldr)


def share(t: Translator, fraction: float) -> str:
    return format_percent(fraction, locale=t.cldr)


def period_error(t: Translator, error: PeriodError, command: str, examples: list[str]) -> str:
    shown = ", ".join(f"/{command} {example}" for example in examples)
    if error.reason == "not_begun":
        return t.gettext("That period has not begun yet. For example: {examples}").format(
            examples=shown
        )
    return t.gettext(
        "I did not understand that period. Write a month, a quarter or a year, "
        "for example: {examples}"
    ).format(examples=shown)


def up_to(t: Translator, report: ImpactReport | Contribution) -> list[str]:
    if report.until is None:
        return []
    return [
        t.gettext("The period is not over: figures up to {date}.").format(
            date=t.isolate(t.datetime(report.until, "short"))
        )
    ]


def cafe_lines(t: Translator, figures: Figures) -> list[str]:
    cafes = figures.cafes
    lines = [
        field(t, CAFES_HELD, t.number(cafes.held)),
        field(t, SIGN_UPS, count(t, cafes.signed_up)),
        field(t, ATTENDED, count(t, cafes.attended)),
    ]
    people = figures.attendees
    lines += [
        field(t, UNIQUE, NOT_SHOWN if people is None else count(t, people.unique)),
        field(t, RETURNING, NOT_SHOWN if people is None else count(t, people.returning)),
        field(t, NO_SHOWS, count(t, cafes.no_shows)),
    ]
    return lines


def question_lines(t: Translator, figures: Figures) -> list[str]:
    questions = figures.questions
    lines = [
        field(t, ASKED, count(t, questions.asked)),
        field(t, ANSWERED, count(t, questions.answered)),
    ]
    if too_few_to_describe(questions.answered):
        lines += [field(t, MEDIAN, NOT_SHOWN), field(t, KEY_PERSON_SHARE, NOT_SHOWN)]
    else:
        assert questions.median_first_answer is not None
        assert questions.key_person_share is not None
        lines += [
            field(t, MEDIAN, duration(t, questions.median_first_answer)),
            field(t, KEY_PERSON_SHARE, share(t, questions.key_person_share)),
        ]
    return lines


def language_lines(t: Translator, report: ImpactReport) -> list[str]:
    lines = [
        line(t, language_name(locale), count(t, people)) for locale, people in report.languages
    ]
    if report.other_languages:
        lines.append(field(t, OTHER_LANGUAGES, count(t, report.other_languages)))
    if lines:
        return lines
    if report.total.attendees is None:
        return [t.gettext("Not known for this period.")]
    return [t.gettext("Nobody was checked in at a café in this period.")]


def topic_lines(t: Translator, report: ImpactReport) -> list[str]:
    if not report.topics:
        return [t.gettext("No questions were asked in this period.")]
    lines = [field(t, TOPICS[topic], count(t, asked)) for topic, asked in report.topics]
    if report.themes:
        themes = THEME_SEPARATOR.join(t.gettext(TOPICS[topic]) for topic in report.themes)
        lines.append(
            t.gettext("Themes to offer at the next cafés: {themes}").format(
                themes=t.isolate(themes)
            )
        )
    return lines


MOOD_FACES = {"good": "🙂", "okay": "😐", "bad": "🙁"}


def feedback_lines(t: Translator, report: ImpactReport) -> list[str]:
    feedback = report.feedback
    if feedback is None or not feedback.answers:
        return [t.gettext("Nobody answered the morning-after question in this period.")]
    lines = [" ".join(f"{MOOD_FACES[mood]} {count(t, n)}" for mood, n in feedback.moods.items())]
    asked = [f"{t.gettext(TOPICS[topic])} {count(t, n)}" for topic, n in feedback.topics]
    asked += [f"{t.isolate(word)} {t.number(n)}" for word, n in feedback.words]
    if asked:
        lines.append(
            t.gettext("Asked for next time: {themes}").format(
                themes=t.isolate(THEME_SEPARATOR.join(asked))
            )
        )
    return lines


def report_text(t: Translator, report: ImpactReport) -> str:
    total = report.total
    blocks = [
        [
            "📊 "
            + t.gettext("Impact report: {period}").format(
                period=t.isolate(period_name(t, total.period))
            ),
            *up_to(t, report),
        ],
        ["☕ " + t.gettext("Language cafés"), *cafe_lines(t, total)],
        ["💬 " + t.gettext(FELT), *feedback_lines(t, report)],
        [
            "🗣 " + t.gettext("Languages of the people who came (the language they use me in)"),
            *language_lines(t, report),
        ],
        ["❓ " + t.gettext("Questions"), *question_lines(t, total)],
    ]
    if total.tips is not None:
        blocks.append(["💡 " + field(t, TIPS, count(t, total.tips))])
    blocks.append(["🔥 " + t.gettext("Topics in demand"), *topic_lines(t, report)])
    notes = []
    if report.partial:
        months = ", ".join(period_name(t, month) for month in report.kept_as_counts)
        notes.append(
            t.gettext(
                "Unique and returning attendees and languages are not known for {months}: the "
                "sign-ups of older cafés are kept only as counts."
            ).format(months=t.isolate(months))
        )
    notes.append(t.gettext(SMALL_COUNTS))
    if too_few_to_describe(total.questions.answered):
        notes.append(t.gettext("“—”: fewer than 5 questions were answered, too few to describe."))
    blocks.append(notes)
    return "\n\n".join("\n".join(block) for block in blocks)


def contribution_text(t: Translator, contribution: Contribution) -> str:
    figures = contribution.figures
    lines = [
        "🙌 "
        + t.gettext("Your contribution: {period}").format(
            period=t.isolate(period_name(t, contribution.period))
        ),
        *up_to(t, contribution),
        "",
        t.ngettext(
            "You answered {count} question.",
            "You answered {count} questions.",
            figures.questions_answered,
        ).format(count=t.number(figures.questions_answered)),
        t.ngettext(
            "{count} of your answers was marked as helpful by the person who asked.",
            "{count} of your answers were marked as helpful by the people who asked.",
            figures.accepted_answers,
        ).format(count=t.number(figures.accepted_answers)),
    ]
    if contribution.is_key_person or figures.accompaniments:
        lines.append(
            t.ngettext(
                "You took on {count} request to go along to an appointment.",
                "You took on {count} requests to go along to an appointment.",
                figures.accompaniments,
            ).format(count=t.number(figures.accompaniments))
        )
    lines.append(
        t.ngettext(
            "You hosted {count} language café.",
            "You hosted {count} language cafés.",
            figures.cafes_hosted,
        ).format(count=t.number(figures.cafes_hosted))
    )
    if figures.older_cafes_missing:
        lines.append(
            t.gettext("Older cafés are not in this count: their sign-ups are kept only as totals.")
        )
    lines += ["", t.gettext("Thank you!")]
    return "\n".join(lines)
