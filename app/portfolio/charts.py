"""The portfolio's charts, as plain figure dicts (:mod:`app.charts.figures`), each with its table of numbers:
readiness distribution, the coming weeks' audits and deadlines, and projects by current stage."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from app.charts.base import BRAND, DONE, OVERDUE, Chart, date_text, figure, table
from app.charts.figures import bar
from app.domain import portfolio as rules
from app.domain.pathway import STAGES
from app.domain.text import _

WEEKS = -(-rules.UPCOMING_DAYS // 7)  # 13 weeks hold the 91 days from today on


@dataclass(frozen=True)
class PortfolioCharts:
    readiness: Chart
    upcoming: Chart
    stages: Chart

    @property
    def all(self) -> tuple[Chart, ...]:
        return (self.readiness, self.upcoming, self.stages)


def readiness_chart(bands: Counter[str]) -> Chart:
    keys = [label for label, _low, _high in rules.READINESS_BANDS] + [rules.UNKNOWN_BAND]
    counts = [bands.get(key, 0) for key in keys]
    labels = [str(key) for key in keys]  # the reader's words ("Not known"), where the keys stay English
    projects = _("Projects")
    return Chart(
        key="readiness-distribution",
        title=_("Readiness distribution"),
        figure=figure(
            [bar(x=labels, y=counts, marker={"color": BRAND}, name=projects)],
            280,
            yaxis={"title": {"text": projects}, "rangemode": "tozero"},
        ),
        table=table(
            (_("Readiness"), projects), [(label, str(n)) for label, n in zip(labels, counts, strict=True)]
        ),
        empty=None if sum(counts) else _("No projects match."),
    )


def upcoming_chart(weeks: dict[tuple[int, str], int], today: date) -> Chart:
    starts = [today + timedelta(days=7 * week) for week in range(WEEKS)]
    audits = [weeks.get((week, "audits"), 0) for week in range(WEEKS)]
    deadlines = [weeks.get((week, "deadlines"), 0) for week in range(WEEKS)]
    x = [day.isoformat() for day in starts]
    rows = [(date_text(day), str(a), str(d)) for day, a, d in zip(starts, audits, deadlines, strict=True)]
    audits_word, deadlines_word, week_starting = _("Audits"), _("Deadlines"), _("Week starting")
    nothing = _("No audit or deadline in the coming %(days)d days.", days=rules.UPCOMING_DAYS)
    return Chart(
        key="upcoming",
        title=_("Audits and deadlines in the coming %(days)d days", days=rules.UPCOMING_DAYS),
        figure=figure(
            [
                bar(x=x, y=audits, name=audits_word, marker={"color": BRAND}),
                bar(x=x, y=deadlines, name=deadlines_word, marker={"color": OVERDUE}),
            ],
            280,
            barmode="stack",
            xaxis={"type": "date", "tickformat": "%d %b", "title": {"text": week_starting}},
            yaxis={"title": {"text": _("How many")}, "rangemode": "tozero"},
        ),
        table=table((week_starting, audits_word, deadlines_word), rows),
        empty=None if sum(audits) + sum(deadlines) else nothing,
        note=_(
            "Audits: external audits scheduled and surveillance audits due. Deadlines: stages' planned ends "
            "and certificates' expiry."
        ),
    )


def stages_chart(stages: Counter[str]) -> Chart:
    keys = [info.key.value for info in STAGES] + ["done"]
    labels = [str(info.title) for info in STAGES] + [_("All stages done")]
    counts = [stages.get(key, 0) for key in keys]
    projects = _("Projects")
    return Chart(
        key="projects-by-stage",
        title=_("Projects by current stage"),
        figure=figure(
            [bar(x=counts, y=labels, orientation="h", marker={"color": DONE}, name=projects)],
            280,
            yaxis={"autorange": "reversed"},
            xaxis={"title": {"text": projects}, "rangemode": "tozero"},
        ),
        table=table(
            (_("Stage"), projects), [(label, str(n)) for label, n in zip(labels, counts, strict=True)]
        ),
        empty=None if sum(counts) else _("No projects match."),
    )


def portfolio_charts(readiness: Counter[str], upcoming: dict[tuple[int, str], int], stages: Counter[str],
                     today: date) -> PortfolioCharts:  # fmt: skip
    return PortfolioCharts(readiness_chart(readiness), upcoming_chart(upcoming, today), stages_chart(stages))
