"""The portfolio's charts, as plain figure dicts (:mod:`app.charts.figures`), each with its table of numbers:
readiness distribution, the coming weeks' audits and deadlines, and projects by current stage."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from app.charts.base import BRAND, DONE, OVERDUE, Chart, figure, table
from app.charts.figures import bar
from app.domain import portfolio as rules
from app.domain.pathway import STAGES

WEEKS = -(-rules.UPCOMING_DAYS // 7)  # 13 weeks hold the 91 days from today on
NO_PROJECTS = "No projects match."


@dataclass(frozen=True)
class PortfolioCharts:
    readiness: Chart
    upcoming: Chart
    stages: Chart

    @property
    def all(self) -> tuple[Chart, ...]:
        return (self.readiness, self.upcoming, self.stages)


def readiness_chart(bands: Counter[str]) -> Chart:
    labels = [label for label, _, _ in rules.READINESS_BANDS] + [rules.UNKNOWN_BAND]
    counts = [bands.get(label, 0) for label in labels]
    return Chart(
        key="readiness-distribution",
        title="Readiness distribution",
        figure=figure(
            [bar(x=labels, y=counts, marker={"color": BRAND}, name="Projects")],
            280,
            yaxis={"title": {"text": "Projects"}, "rangemode": "tozero"},
        ),
        table=table(
            ("Readiness", "Projects"), [(label, str(n)) for label, n in zip(labels, counts, strict=True)]
        ),
        empty=None if sum(counts) else NO_PROJECTS,
    )


def upcoming_chart(weeks: dict[tuple[int, str], int], today: date) -> Chart:
    starts = [today + timedelta(days=7 * week) for week in range(WEEKS)]
    audits = [weeks.get((week, "audits"), 0) for week in range(WEEKS)]
    deadlines = [weeks.get((week, "deadlines"), 0) for week in range(WEEKS)]
    x = [day.isoformat() for day in starts]
    rows = [
        (day.strftime("%d %b %Y"), str(a), str(d))
        for day, a, d in zip(starts, audits, deadlines, strict=True)
    ]
    return Chart(
        key="upcoming",
        title=f"Audits and deadlines in the coming {rules.UPCOMING_DAYS} days",
        figure=figure(
            [
                bar(x=x, y=audits, name="Audits", marker={"color": BRAND}),
                bar(x=x, y=deadlines, name="Deadlines", marker={"color": OVERDUE}),
            ],
            280,
            barmode="stack",
            xaxis={"type": "date", "tickformat": "%d %b", "title": {"text": "Week starting"}},
            yaxis={"title": {"text": "How many"}, "rangemode": "tozero"},
        ),
        table=table(("Week starting", "Audits", "Deadlines"), rows),
        empty=None if sum(audits) + sum(deadlines) else "No audit or deadline in the coming 90 days.",
        note="Audits: external audits scheduled and surveillance audits due. Deadlines: stages' planned ends "
        "and certificates' expiry.",
    )


def stages_chart(stages: Counter[str]) -> Chart:
    keys = [info.key.value for info in STAGES] + ["done"]
    labels = [info.title for info in STAGES] + ["All stages done"]
    counts = [stages.get(key, 0) for key in keys]
    return Chart(
        key="projects-by-stage",
        title="Projects by current stage",
        figure=figure(
            [bar(x=counts, y=labels, orientation="h", marker={"color": DONE}, name="Projects")],
            280,
            yaxis={"autorange": "reversed"},
            xaxis={"title": {"text": "Projects"}, "rangemode": "tozero"},
        ),
        table=table(
            ("Stage", "Projects"), [(label, str(n)) for label, n in zip(labels, counts, strict=True)]
        ),
        empty=None if sum(counts) else NO_PROJECTS,
    )


def portfolio_charts(readiness: Counter[str], upcoming: dict[tuple[int, str], int], stages: Counter[str],
                     today: date) -> PortfolioCharts:  # fmt: skip
    return PortfolioCharts(readiness_chart(readiness), upcoming_chart(upcoming, today), stages_chart(stages))
