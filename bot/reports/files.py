"""The files that go with a report: a CSV for spreadsheets, a chart, a statement card.

No name and no id goes into the organisers' files: they are made from counts, labels and
language names only (café titles are left out too, as they may name someone). The statement
card of /myimpact is the person's own and carries their first name.

Pictures are drawn with matplotlib (the Agg backend, through Figure, without pyplot's global
state), imported on first use so that starting the bot stays fast. Matplotlib does not join
Arabic letters or lay out right-to-left text, and its font has no Ethiopic letters: when the
reader's texts cannot be drawn, the picture is made in the next language of `translators`.
"""

from __future__ import annotations

import csv
import io
import threading
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from bot.i18n import N_, Translator, language_name
from bot.people.roles import ROLE_LABELS, Role
from bot.questions.topics import TOPICS
from bot.reports import texts
from bot.reports.service import (
    SMALL_COUNT,
    Contribution,
    Figures,
    ImpactReport,
    suppressed,
    too_few_to_describe,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

FONT = "DejaVu Sans"  # ships with matplotlib, so it is there wherever the bot runs
ATTENDANCE_COLOUR = "#2a7f62"
QUESTIONS_COLOUR = "#e0a030"
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
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM tells spreadsheets it is UTF-8


# -- what matplotlib can draw ------------------------------------------------------------------


@cache
def _glyphs() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_manager.findfont(FONT, fallback_to_default=True))
    return frozenset(font.get_charmap())


def drawable(text: str) -> bool:
    """Can matplotlib draw this text as it should read? Not right-to-left scripts (drawn
    unjoined and mirrored), nor letters its font lacks (drawn as empty boxes)."""
    glyphs = _glyphs()
    for char in text:
        if unicodedata.bidirectional(char) in ("R", "AL"):
            return False
        if not char.isspace() and ord(char) not in glyphs:
            return False
    return True


def _first_drawable(
    translators: Sequence[Translator], strings_for: Callable[[Translator], list[str]]
) -> tuple[Translator, list[str]]:
    """The first translator whose texts can be drawn (else the last one), with its texts."""
    for t in translators:
        strings = strings_for(t)
        if all(drawable(s) for s in strings):
            return t, strings
    return translators[-1], strings_for(translators[-1])


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=150)
    figure.patch.set_facecolor("white")
    return figure


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", facecolor="white")
    return out.getvalue()


# -- the organisers' chart ---------------------------------------------------------------------


def _chart_texts(t: Translator, report: ImpactReport) -> list[str]:
    months = report.months
    return [
        t.gettext(CHART_TITLE).format(period=texts.period_name(t, report.total.period)),
        t.gettext(texts.ATTENDED),
        t.gettext(texts.ASKED),
        t.gettext(texts.SMALL_COUNTS),
        *(texts.month_abbreviation(t, month.period) for month in months),
        *(t.number(m.cafes.attended) for m in months),
        *(t.number(m.questions.asked) for m in months),
    ]


def report_chart(
    translators: Sequence[Translator], report: ImpactReport
) -> tuple[bytes, Translator]:
    """Bars of attendance and of questions asked, month by month, as a PNG; and the language
    it is in. A count under 5 has no bar, only "<5" where its bar would be."""
    with _DRAWING:
        return _draw_chart(translators, report)


def chart_bars(values: Sequence[int]) -> list[tuple[float, bool]]:
    """(height, is "<5") per value. A count shown as "<5" is drawn as a bar up to 5, marked
    as a range: a visible bar says "some", where no bar would say "none", and its height
    gives away no more than the label."""
    return [(SMALL_COUNT, True) if suppressed(v) else (v, False) for v in values]


def _draw_chart(
    translators: Sequence[Translator], report: ImpactReport
) -> tuple[bytes, Translator]:
    t, strings = _first_drawable(translators, lambda t: _chart_texts(t, report))
    title, attended_label, asked_label, footnote = strings[:4]
    from matplotlib.ticker import MaxNLocator

    figure = _figure(8, 4.5)
    axes = figure.add_subplot()
    positions = list(range(len(report.months)))
    width = 0.38
    series = [
        ([m.cafes.attended for m in report.months], -width / 2, attended_label, ATTENDANCE_COLOUR),
        ([m.questions.asked for m in report.months], width / 2, asked_label, QUESTIONS_COLOUR),
    ]
    for values, offset, label, colour in series:
        bars = chart_bars(values)
        heights = [height for height, _small in bars]
        xs = [p + offset for p in positions]
        drawn = axes.bar(xs, heights, width, label=label, color=colour, zorder=2)
        for bar, (_height, small) in zip(drawn, bars, strict=True):
            if small:  # a range up to 5, not a value: lighter and hatched
                bar.set_alpha(0.45)
                bar.set_hatch("//")
        for x, value, height in zip(xs, values, heights, strict=True):
            shown = texts.SUPPRESSED if suppressed(value) else t.number(value)
            axes.annotate(
                shown, (x, height), xytext=(0, 3), textcoords="offset points",
                ha="center", va="bottom", fontsize=8, family=FONT,
            )  # fmt: skip
    axes.set_xticks(positions)
    axes.set_xticklabels(
        [texts.month_abbreviation(t, m.period) for m in report.months], family=FONT
    )
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0, top=max([5, *series[0][0], *series[1][0]]) * 1.15)
    axes.grid(axis="y", color="#dddddd", zorder=0)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(title, family=FONT, fontsize=12, loc="left")
    axes.legend(prop={"family": FONT, "size": 9}, frameon=False, loc="best")
    figure.text(0.01, 0.01, footnote, family=FONT, fontsize=7, color="#666666")
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    return _png(figure), t


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
) -> tuple[bytes, Translator, bool]:
    """A certificate-like PNG: the person's own statement, to show to a municipality or an
    employer, so it carries their first name. Returns it, its language, and whether the name
    could be written on it (a name in Arabic script cannot, see above)."""
    with _DRAWING:
        return _draw_card(translators, contribution, first_name, community, issued)


def _draw_card(
    translators: Sequence[Translator],
    contribution: Contribution,
    first_name: str,
    community: str,
    issued: datetime,
) -> tuple[bytes, Translator, bool]:
    t, strings = _first_drawable(translators, lambda t: _card_texts(t, contribution, issued))
    title, volunteer, *rows, footer = strings
    with_name = drawable(first_name)
    if with_name:
        rows.insert(0, texts.line(t, volunteer, first_name))

    figure = _figure(8, 5.2)
    figure.patches.append(_frame(figure))
    if community and drawable(community):
        figure.text(0.5, 0.88, community, ha="center", family=FONT, fontsize=11, color="#555555")
    figure.text(
        0.5, 0.78, title, ha="center", family=FONT, fontsize=18, weight="bold", color=CARD_COLOUR
    )
    y = 0.65
    for row in rows:
        figure.text(0.1, y, row, family=FONT, fontsize=11)
        y -= 0.075
    figure.text(0.5, 0.08, footer, ha="center", family=FONT, fontsize=7, color="#666666", wrap=True)
    return _png(figure), t, with_name


def _frame(figure: Figure) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (0.025, 0.035), 0.95, 0.93, transform=figure.transFigure, fill=False,
        edgecolor=CARD_COLOUR, linewidth=2,
    )  # fmt: skip
