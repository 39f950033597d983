"""The files that go with a report: a CSV for spreadsheets, a chart, a statement card.

No name and no id goes into the organisers' files: they are made from counts, labels and
language names only (café titles are left out too, as they may name someone). The statement
card of /myimpact is the person's own and carries their first name.

Pictures are drawn with matplotlib (the Agg backend, through Figure, without pyplot's global
state), imported on first use so that starting the bot stays fast. Every text is written in the
reader's script (lettering: Arabic and Persian joined and right to left, Tigrinya in Ge'ez
letters); a text that the bot's fonts still cannot draw (a language in another script added
later) makes the picture come in the next language of `translators`.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.i18n import N_, Translator, language_name
from bot.people.roles import ROLE_LABELS, Role
from bot.questions.topics import TOPICS
from bot.reports import lettering, texts
from bot.reports.service import (
    SMALL_COUNT,
    Contribution,
    Feedback,
    Figures,
    ImpactReport,
    suppressed,
    too_few_to_describe,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

ATTENDANCE_COLOUR = "#2a7f62"
QUESTIONS_COLOUR = "#e0a030"
MOOD_COLOUR = "#5b7fbf"
THEME_COLOUR = "#8e6bb0"
CARD_COLOUR = "#1f4e79"
# Pictures are drawn in worker threads; one at a time, as matplotlib's text rendering is not
# made for several threads at once (and reports are rare).
_DRAWING = threading.Lock()

PERIOD = N_("Period")
MEASURE = N_("Measure")
DETAIL = N_("Detail")
VALUE = N_("Value")
CHART_TITLE = N_("Attendance and questions per month: {period}")
STATEMENT = N_("Statement of volunteer work")
VOLUNTEER = N_("Volunteer")
ROLE = N_("Role")
ISSUED = N_(
    "Counted from the bot's own records on {date}. It shows what this volunteer did, "
    "never whom they helped."
)


# -- CSV ---------------------------------------------------------------------------------------


def _csv_count(value: int) -> str:
    return texts.SUPPRESSED if suppressed(value) else str(value)


def _figure_rows(t: Translator, figures: Figures) -> list[tuple[str, str, str, str]]:
    code = figures.period.code
    cafes, people, questions = figures.cafes, figures.attendees, figures.questions
    rows = [
        (texts.CAFES_HELD, str(cafes.held)),
        (texts.SIGN_UPS, _csv_count(cafes.signed_up)),
        (texts.ATTENDED, _csv_count(cafes.attended)),
    ]
    if people is not None:
        rows += [
            (texts.UNIQUE, _csv_count(people.unique)),
            (texts.RETURNING, _csv_count(people.returning)),
        ]
    rows += [
        (texts.NO_SHOWS, _csv_count(cafes.no_shows)),
        (texts.ASKED, _csv_count(questions.asked)),
        (texts.ANSWERED, _csv_count(questions.answered)),
    ]
    if not too_few_to_describe(questions.answered):
        assert questions.median_first_answer is not None
        assert questions.key_person_share is not None
        rows += [
            (texts.MEDIAN_HOURS, f"{questions.median_first_answer / 3600:.1f}"),
            (texts.KEY_PERSON_PERCENT, str(round(100 * questions.key_person_share))),
        ]
    if figures.tips is not None:
        rows.append((texts.TIPS, _csv_count(figures.tips)))
    return [(code, t.gettext(label), "", value) for label, value in rows]


def _feedback(report: ImpactReport) -> Feedback | None:
    """The morning-after answers, when someone gave one."""
    feedback = report.feedback
    return feedback if feedback is not None and feedback.answers else None


def _feedback_rows(t: Translator, code: str, report: ImpactReport) -> list[tuple[str, ...]]:
    """How people felt (a row per mood) and what they asked for next time (a row per topic,
    and per word that at least 5 people wrote), as in the message."""
    feedback = _feedback(report)
    if feedback is None:
        return []
    felt, asked = t.gettext(texts.FELT), t.gettext(texts.ASKED_FOR)
    rows = [
        (code, felt, t.gettext(texts.MOODS[mood]), _csv_count(n))
        for mood, n in feedback.moods.items()
    ]
    rows += [(code, asked, t.gettext(TOPICS[topic]), _csv_count(n)) for topic, n in feedback.topics]
    rows += [(code, asked, _as_text(word), str(n)) for word, n in feedback.words]
    return rows


def _as_text(value: str) -> str:
    """People's own words, never a formula: a spreadsheet runs a cell that starts with one of
    these characters."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def report_csv(t: Translator, report: ImpactReport) -> bytes:
    """One row per figure: period, measure, detail (a language or a topic), value.

    Long rather than wide, so that languages and topics fit in the same table; a spreadsheet's
    pivot table turns it around. Values are plain numbers or "<5"; a figure that is not known
    or too uncertain to show has no row.
    """
    code = report.total.period.code
    rows = [tuple(t.gettext(label) for label in (PERIOD, MEASURE, DETAIL, VALUE))]
    rows += _figure_rows(t, report.total)
    if len(report.months) > 1:
        for month in report.months:
            rows += _figure_rows(t, month)
    by_language = t.gettext(texts.BY_LANGUAGE)
    for locale, people in report.languages:
        rows.append((code, by_language, language_name(locale), _csv_count(people)))
    if report.other_languages:
        rows.append(
            (
                code,
                by_language,
                t.gettext(texts.OTHER_LANGUAGES),
                _csv_count(report.other_languages),
            )
        )
    by_topic = t.gettext(texts.BY_TOPIC)
    for topic, asked in report.topics:
        rows.append((code, by_topic, t.gettext(TOPICS[topic]), _csv_count(asked)))
    rows += _feedback_rows(t, code, report)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM tells spreadsheets it is UTF-8


# -- drawing in the reader's script -----------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """A PNG, the language it is in, and what is on it: every text as it was drawn (joined
    and in visual order, see lettering), and every bar as (its label, its height)."""

    png: bytes
    translator: Translator
    texts: list[str]
    bars: list[tuple[str, float]] = field(default_factory=list)


class Pen:
    """Writes one reader's texts: shaped for matplotlib, in fonts that have their letters,
    aligned to the side their lines start from."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self.rtl = t.rtl
        self.family = lettering.families(t.rtl)

    def __call__(self, text: str) -> str:
        return lettering.shaped(text, self.rtl)

    def family_for(self, text: str) -> list[str]:
        """The families for a text that may hold another script (a name, a community)."""
        return lettering.families(self.rtl, text)

    @property
    def start(self) -> str:
        """Where a line starts: "left", or "right" for a right-to-left reader."""
        return "right" if self.rtl else "left"


def drawable(text: str, rtl: bool = False) -> bool:
    """Can this text be drawn as it should read, with the fonts the bot has?"""
    return lettering.drawable(lettering.shaped(text, rtl))


def _first_drawable(
    translators: Sequence[Translator], strings_for: Callable[[Translator], list[str]]
) -> Translator:
    """The first translator whose texts can all be drawn, else the last one."""
    for t in translators:
        if all(drawable(s, t.rtl) for s in strings_for(t)):
            return t
    return translators[-1]


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=150)
    figure.patch.set_facecolor("white")
    return figure


def _picture(figure: Figure, t: Translator, bars: list[tuple[str, float]] | None = None) -> Picture:
    from matplotlib.text import Text

    out = io.BytesIO()
    figure.savefig(out, format="png", facecolor="white")
    drawn = [
        text.get_text() for text in figure.findobj(Text) if text.get_visible() and text.get_text()
    ]
    return Picture(out.getvalue(), t, drawn, bars or [])


# -- the organisers' chart ---------------------------------------------------------------------


def _chart_texts(t: Translator, report: ImpactReport) -> list[str]:
    """Every text of the chart in this language, but the people's own words (see
    _asked_for_next_time)."""
    months = report.months
    strings = [
        t.gettext(CHART_TITLE).format(period=texts.period_name(t, report.total.period)),
        t.gettext(texts.ATTENDED),
        t.gettext(texts.ASKED),
        t.gettext(texts.SMALL_COUNTS),
        *(texts.month_abbreviation(t, month.period) for month in months),
        *(t.number(m.cafes.attended) for m in months),
        *(t.number(m.questions.asked) for m in months),
    ]
    feedback = _feedback(report)
    if feedback is not None:
        strings += [t.gettext(texts.FELT), t.gettext(texts.ASKED_FOR)]
        strings += [t.gettext(texts.MOODS[mood]) for mood in feedback.moods]
        strings += [t.gettext(TOPICS[topic]) for topic, _n in feedback.topics]
        counts = [*feedback.moods.values(), *(n for _word, n in feedback.words)]
        strings += [t.number(n) for n in counts]
    return strings


def report_chart(translators: Sequence[Translator], report: ImpactReport) -> Picture:
    """Bars of attendance and of questions asked, month by month, and, when people answered
    the morning-after question, how they felt and what they asked for next time: a PNG in
    the first of `translators` whose texts can be drawn."""
    with _DRAWING:
        return _draw_chart(translators, report)


def chart_bars(values: Sequence[int]) -> list[tuple[float, bool]]:
    """(height, is "<5") per value. A count shown as "<5" is drawn as a bar up to 5, marked
    as a range: a visible bar says "some", where no bar would say "none", and its height
    gives away no more than the label."""
    return [(SMALL_COUNT, True) if suppressed(v) else (v, False) for v in values]


def _draw_bars(
    axes: Axes,
    pen: Pen,
    positions: Sequence[float],
    values: Sequence[int],
    colour: str,
    width: float = 0.38,
    label: str | None = None,
    horizontal: bool = False,
) -> list[tuple[str, float]]:
    """One series of bars, each marked with its count ("<5" for a small one); returns
    (mark, height) per bar."""
    bars = chart_bars(values)
    heights = [height for height, _small in bars]
    if horizontal:
        drawn = axes.barh(positions, heights, width, label=label, color=colour, zorder=2)
    else:
        drawn = axes.bar(positions, heights, width, label=label, color=colour, zorder=2)
    marks = []
    for bar, position, value, (height, small) in zip(drawn, positions, values, bars, strict=True):
        if small:  # a range up to 5, not a value: lighter and hatched
            bar.set_alpha(0.45)
            bar.set_hatch("//")
        mark = texts.SUPPRESSED if small else pen.t.number(value)
        if horizontal:
            # past the end of the bar, which grows towards the side lines end on
            away = -3 if pen.rtl else 3
            axes.annotate(
                mark, (height, position), xytext=(away, 0), textcoords="offset points",
                ha="right" if pen.rtl else "left", va="center", fontsize=8, family=pen.family,
            )  # fmt: skip
        else:
            axes.annotate(
                mark, (position, height), xytext=(0, 3), textcoords="offset points",
                ha="center", va="bottom", fontsize=8, family=pen.family,
            )  # fmt: skip
        marks.append((mark, height))
    return marks


def _top(values: Sequence[int]) -> float:
    """Room above the highest bar for its mark; a "<5" bar is 5 high."""
    return max([SMALL_COUNT, *values]) * 1.15


def _draw_chart(translators: Sequence[Translator], report: ImpactReport) -> Picture:
    from matplotlib.ticker import MaxNLocator

    t = _first_drawable(translators, lambda t: _chart_texts(t, report))
    pen = Pen(t)
    feedback = _feedback(report)
    figure = _figure(8, 8.5 if feedback else 4.5)
    grid = figure.add_gridspec(2 if feedback else 1, 2, height_ratios=[1, 0.9] if feedback else [1])
    axes = figure.add_subplot(grid[0, :])
    positions = list(range(len(report.months)))
    width = 0.38
    attended = [m.cafes.attended for m in report.months]
    asked = [m.questions.asked for m in report.months]
    marks = _draw_bars(
        axes, pen, [p - width / 2 for p in positions], attended, ATTENDANCE_COLOUR,
        label=pen(t.gettext(texts.ATTENDED)),
    )  # fmt: skip
    marks += _draw_bars(
        axes, pen, [p + width / 2 for p in positions], asked, QUESTIONS_COLOUR,
        label=pen(t.gettext(texts.ASKED)),
    )  # fmt: skip
    axes.set_xticks(positions)
    axes.set_xticklabels(
        [pen(texts.month_abbreviation(t, m.period)) for m in report.months], family=pen.family
    )
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0, top=_top([*attended, *asked]))
    _plain(axes, "y")
    title = t.gettext(CHART_TITLE).format(period=texts.period_name(t, report.total.period))
    axes.set_title(pen(title), family=pen.family, fontsize=12, loc=pen.start)
    axes.legend(prop={"family": pen.family, "size": 9}, frameon=False, loc="best")
    if feedback is not None:
        marks += _how_people_felt(figure.add_subplot(grid[1, 0]), pen, feedback)
        marks += _asked_for_next_time(figure.add_subplot(grid[1, 1]), pen, feedback)
    footnote = lettering.wrapped(t.gettext(texts.SMALL_COUNTS))
    figure.text(
        0.99 if pen.rtl else 0.01, 0.01, pen(footnote), ha=pen.start, family=pen.family,
        fontsize=7, color="#666666",
    )  # fmt: skip
    figure.tight_layout(rect=(0, 0.04 if not feedback else 0.025, 1, 1))
    return _picture(figure, t, marks)


def _plain(axes: Axes, grid_axis: str) -> None:
    axes.grid(axis=grid_axis, color="#dddddd", zorder=0)
    axes.spines[["top", "right"]].set_visible(False)


def _how_people_felt(axes: Axes, pen: Pen, feedback: Feedback) -> list[tuple[str, float]]:
    """Three bars: good, okay, not good; read from the side the reader's lines start."""
    from matplotlib.ticker import MaxNLocator

    moods = list(feedback.moods)
    positions = list(range(len(moods)))
    if pen.rtl:  # the first mood stands where the reader starts: on the right
        positions.reverse()
    values = list(feedback.moods.values())
    marks = _draw_bars(axes, pen, positions, values, MOOD_COLOUR, width=0.6)
    axes.set_xticks(positions)
    axes.set_xticklabels([pen(pen.t.gettext(texts.MOODS[m])) for m in moods], family=pen.family)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0, top=_top(values))
    _plain(axes, "y")
    axes.set_title(pen(pen.t.gettext(texts.FELT)), family=pen.family, fontsize=10, loc=pen.start)
    return marks


def _asked_for_next_time(axes: Axes, pen: Pen, feedback: Feedback) -> list[tuple[str, float]]:
    """A bar per theme, the most asked on top: question topics, then the words at least 5
    people wrote. A word the fonts cannot draw is left out here (the message has it)."""
    from matplotlib.ticker import MaxNLocator

    t = pen.t
    themes = [(pen(t.gettext(TOPICS[topic])), n) for topic, n in feedback.topics]
    themes += [(pen(word), n) for word, n in feedback.words if drawable(word, pen.rtl)]
    axes.set_title(pen(t.gettext(texts.ASKED_FOR)), family=pen.family, fontsize=10, loc=pen.start)
    _plain(axes, "x")
    if not themes:
        axes.set_xticks([])
        axes.set_yticks([])
        return []
    positions = list(range(len(themes)))[::-1]  # the first on top
    values = [n for _label, n in themes]
    marks = _draw_bars(axes, pen, positions, values, THEME_COLOUR, width=0.6, horizontal=True)
    axes.set_yticks(positions)
    # parse_math=False: people's own words with "$" in them are words, not a formula
    axes.set_yticklabels(
        [label for label, _n in themes], family=pen.family, fontsize=8, parse_math=False
    )
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(left=0, right=_top(values) * 1.1)
    if pen.rtl:  # bars grow from the right, the themes stand on the right
        axes.invert_xaxis()
        axes.yaxis.tick_right()
        axes.spines[["top", "left"]].set_visible(False)
        axes.spines["right"].set_visible(True)
    return marks


# -- the statement of a helper or key person ---------------------------------------------------


def _card_texts(t: Translator, contribution: Contribution, issued: datetime) -> list[str]:
    """Title, the volunteer label, the rows, and the footer: all but the person's name."""
    figures = contribution.figures
    role = Role.KEY_PERSON if contribution.is_key_person else Role.HELPER
    rows = [
        t.gettext(STATEMENT),
        t.gettext(VOLUNTEER),
        texts.line(t, t.gettext(ROLE), t.gettext(ROLE_LABELS[role])),
        texts.line(t, t.gettext(PERIOD), texts.period_name(t, contribution.period)),
        texts.field(t, texts.ANSWERED, t.number(figures.questions_answered)),
        texts.field(t, texts.ACCEPTED, t.number(figures.accepted_answers)),
    ]
    if contribution.is_key_person or figures.accompaniments:
        rows.append(texts.field(t, texts.ACCOMPANIMENTS, t.number(figures.accompaniments)))
    rows += [
        texts.field(t, texts.CAFES_HOSTED, t.number(figures.cafes_hosted)),
        t.gettext(ISSUED).format(date=texts.day(t, issued)),
    ]
    return rows


def contribution_card(
    translators: Sequence[Translator],
    contribution: Contribution,
    first_name: str,
    community: str,
    issued: datetime,
) -> tuple[Picture, bool]:
    """A certificate-like PNG: the person's own statement, to show to a municipality or an
    employer, so it carries their first name. Returns it, and whether the name could be
    written on it (a name in a script the fonts do not have cannot)."""
    with _DRAWING:
        return _draw_card(translators, contribution, first_name, community, issued)


def _draw_card(
    translators: Sequence[Translator],
    contribution: Contribution,
    first_name: str,
    community: str,
    issued: datetime,
) -> tuple[Picture, bool]:
    t = _first_drawable(translators, lambda t: _card_texts(t, contribution, issued))
    pen = Pen(t)
    title, volunteer, *rows, footer = _card_texts(t, contribution, issued)
    with_name = drawable(first_name, t.rtl)
    if with_name:
        rows.insert(0, texts.line(t, volunteer, first_name))

    figure = _figure(8, 5.2)
    figure.patches.append(_frame(figure))
    # parse_math=False: a name or a community with "$" in it is text, not a formula
    if community and drawable(community, t.rtl):
        figure.text(
            0.5, 0.88, pen(community), ha="center", family=pen.family_for(community),
            fontsize=11, color="#555555", parse_math=False,
        )  # fmt: skip
    figure.text(
        0.5, 0.78, pen(title), ha="center", family=pen.family, fontsize=18, weight="bold",
        color=CARD_COLOUR,
    )  # fmt: skip
    y = 0.65
    for row in rows:
        figure.text(
            0.9 if pen.rtl else 0.1, y, pen(row), ha=pen.start, family=pen.family_for(row),
            fontsize=11, parse_math=False,
        )  # fmt: skip
        y -= 0.075
    figure.text(
        0.5, 0.08, pen(lettering.wrapped(footer)), ha="center", family=pen.family, fontsize=7,
        color="#666666",
    )  # fmt: skip
    return _picture(figure, t), with_name


def _frame(figure: Figure) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (0.025, 0.035), 0.95, 0.93, transform=figure.transFigure, fill=False,
        edgecolor=CARD_COLOUR, linewidth=2,
    )  # fmt: skip
