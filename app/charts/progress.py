"""Readiness by clause section, stage progress, the stage timeline (Gantt) and readiness over time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict, Unpack

from app.charts.base import (
    BRAND,
    COVERAGE,
    DONE,
    IN_PROGRESS,
    MS_PER_DAY,
    NOT_STARTED,
    OVERDUE,
    PLANNED,
    READINESS_TARGET,
    Chart,
    Table,
    date_axis,
    date_text,
    day_mark,
    figure,
    level_mark,
    percent_text,
    table,
)
from app.charts.figures import Trace, bar, scatter
from app.domain.pathway import STAGE_STATUS_LABELS  # also the project page's and the report's
from app.domain.readiness import Readiness, StageProgress
from app.domain.text import LazyText, _, _l

INSIDE_FROM = 50  # progress % from which a bar is long enough to carry its label inside
STATUS_COLOURS = {"done": DONE, "in_progress": IN_PROGRESS, "not_started": NOT_STARTED}
__all__ = [
    "STAGE_STATUS_LABELS"
]  # the pathway's labels, which the project page and the report take from here


@dataclass(frozen=True)
class StageBar:
    """One pathway stage as the progress and timeline charts need it."""

    key: str
    title: str
    status: str
    progress: StageProgress
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    overdue: bool  # not done and its planned end has passed (decided by the service's overview)


@dataclass(frozen=True)
class TimelineEvent:
    """An external audit (``state`` "held" or "scheduled") or a window of the certificate's cycle when the
    next audit is due ("window"), on the timeline below the stages."""

    title: str
    start: date
    end: date
    state: str


# (state, legend name, hover text, colour); the hover text's values are plotly's placeholders (_gantt_bars).
EVENT_BARS: tuple[tuple[str, LazyText, LazyText, str], ...] = (
    ("held", _l("Audit held"), _l("%(name)s, audit held: %(start)s → %(end)s"), BRAND),
    ("scheduled", _l("Audit scheduled"), _l("%(name)s, audit scheduled: %(start)s → %(end)s"), PLANNED),
    ("window", _l("Due window"), _l("%(name)s, due window: %(start)s → %(end)s"), COVERAGE),
)
EVENT_STATUS = {"held": _l("Held"), "scheduled": _l("Scheduled"), "window": _l("Due in this window")}


@dataclass(frozen=True)
class HistoryPoint:
    """One day's readiness snapshot."""

    taken_on: date
    readiness: Readiness
    readiness_percent: int | None
    coverage_percent: int | None


def _status(stage: StageBar) -> str:
    return str(STAGE_STATUS_LABELS.get(stage.status, stage.status))


def readiness_by_section_chart(
    by_section: Mapping[str, Readiness], titles: Mapping[str, str], target: int = READINESS_TARGET
) -> Chart:
    """Bars of readiness per clause section, in section order, with a dashed line at ``target``."""
    sections = list(by_section)
    values = [by_section[s].percent for s in sections]
    bars = bar(
        name=_("Readiness"),
        x=sections,
        y=values,
        marker={"color": [DONE if v is not None and v >= target else BRAND for v in values]},
        text=[percent_text(v) for v in values],
        textposition="outside",
        cliponaxis=False,
        customdata=[titles.get(s, "") for s in sections],
        hovertemplate="%{x}. %{customdata}: %{y}%<extra></extra>",
    )
    drawn = figure(
        [bars],
        320,
        xaxis={"title": {"text": _("Clause section")}, "type": "category"},
        yaxis={"title": {"text": _("Readiness %")}, "range": [0, 110], "ticksuffix": "%"},
        showlegend=False,
        **level_mark(target, _("Target %(percent)d%%", percent=target)),
    )
    rows = [
        (
            f"{s}. {titles.get(s, '')}".strip(),
            percent_text(r.percent),
            *(str(n) for n in (r.met, r.partial, r.not_met, r.not_assessed, r.not_applicable)),
        )
        for s, r in by_section.items()
    ]
    columns = (_("Section"), _("Readiness"), _("Met"), _("Partly"), _("Not met"), _("To assess"), _("N/A"))
    empty = None if sections else _("No requirements are loaded for this standard.")
    return Chart("readiness-sections", _("Readiness by clause section"), drawn, table(columns, rows), empty)


def stage_progress_chart(stages: Sequence[StageBar]) -> Chart:
    """One horizontal bar per stage, first stage at the top (pathway order), coloured by status."""
    values = [s.progress.percent for s in stages]
    bars = bar(
        name=_("Progress"),
        orientation="h",
        y=[str(s.title) for s in stages],
        x=values,
        marker={"color": [STATUS_COLOURS.get(s.status, NOT_STARTED) for s in stages]},
        text=[f"{percent_text(v)} · {_status(s)}" for s, v in zip(stages, values, strict=True)],
        # Inside a long bar, after a short one (a 0% bar has no inside to write in).
        textposition=["inside" if (v or 0) >= INSIDE_FROM else "outside" for v in values],
        cliponaxis=False,
        hovertemplate="%{y}: %{x}%<extra></extra>",
    )
    drawn = figure(
        [bars],
        300,
        xaxis={"title": {"text": _("Progress %")}, "range": [0, 100], "ticksuffix": "%"},
        yaxis={"autorange": "reversed", "type": "category"},
        showlegend=False,
    )
    rows = [
        (
            str(s.title),
            _status(s),
            percent_text(s.progress.percent),
            _("%(done)d of %(total)d", done=s.progress.criteria_met, total=s.progress.criteria_total),
            _("%(done)d of %(total)d", done=s.progress.tasks_done, total=s.progress.tasks_total),
        )
        for s in stages
    ]
    columns = (_("Stage"), _("Status"), _("Progress"), _("Exit criteria met"), _("Tasks done"))
    return Chart("stage-progress", _("Stage progress"), drawn, table(columns, rows, numeric_from=2))


def _span(start: date | None, end: date | None) -> tuple[str | None, int | None]:
    """A bar from ``start`` to the end of ``end`` (a one-day stage still shows), for a date axis."""
    if start is None or end is None:
        return None, None
    days = max((end - start).days, 0) + 1
    return start.isoformat(), days * MS_PER_DAY


class _BarLook(TypedDict, total=False):
    """What one series of the timeline's bars sets beyond what every series shares."""

    marker: dict[str, Any]
    text: Sequence[str]
    textposition: str


def _gantt_bars(
    key: str,
    name: str,
    hover: str,
    titles: list[str],
    spans: list[tuple[str | None, int | None]],
    **look: Unpack[_BarLook],
) -> Trace:
    """One series of the timeline: ``name`` in the legend; ``hover`` names the bar, its first day and its
    last as %(name)s, %(start)s and %(end)s."""
    return bar(
        name=str(name),
        orientation="h",
        y=titles,
        base=[start for start, _length in spans],
        x=[length for _start, length in spans],
        offsetgroup=key,
        hovertemplate=hover % {"name": "%{y}", "start": "%{base|%d %b %Y}", "end": "%{x|%d %b %Y}"}
        + "<extra></extra>",
        **look,
    )


def _event_rows(events: Sequence[TimelineEvent]) -> list[tuple[str, str, str, str, str, str]]:
    """A held audit's days are actual, a scheduled one's and a window's planned."""
    rows = []
    for e in events:
        start, end = date_text(e.start), date_text(e.end)
        status = str(EVENT_STATUS.get(e.state, e.state))
        held = e.state == "held"
        rows.append(
            (
                e.title,
                "" if held else start,
                "" if held else end,
                start if held else "",
                end if held else "",
                status,
            )
        )
    return rows


def stage_timeline(stages: Sequence[StageBar], today: date, events: Sequence[TimelineEvent] = ()) -> Chart:
    """A Gantt chart: planned against actual dates per stage, today marked, overdue stages in red; below the
    stages, the external audits held and scheduled and the window of the next audit of the certificate's
    cycle (``events``).

    A stage started but not finished shows its actual bar up to today.
    """
    titles = [str(s.title) for s in stages]
    planned = [_span(s.planned_start, s.planned_end) for s in stages]
    actual = [_span(s.actual_start, s.actual_end or (today if s.actual_start else None)) for s in stages]
    overdue = _("Overdue")
    bars = [
        _gantt_bars(
            "Planned",
            _("Planned"),
            _("%(name)s, planned: %(start)s → %(end)s"),
            titles,
            planned,
            marker={"color": [OVERDUE if s.overdue else PLANNED for s in stages]},
            text=[overdue if s.overdue else "" for s in stages],
            textposition="inside",
        ),
        _gantt_bars(
            "Actual",
            _("Actual"),
            _("%(name)s, actual: %(start)s → %(end)s"),
            titles,
            actual,
            marker={"color": BRAND},
        ),
    ]
    for state, name, hover, colour in EVENT_BARS:
        chosen = [e for e in events if e.state == state]
        if chosen:
            spans = [_span(e.start, e.end) for e in chosen]
            bars.append(
                _gantt_bars(
                    state,
                    name,
                    str(hover),
                    [str(e.title) for e in chosen],
                    spans,
                    marker={"color": colour},
                )
            )
    shown = [day for s in stages for day in (s.planned_start, s.planned_end, s.actual_start, s.actual_end)]
    shown += [day for e in events for day in (e.start, e.end)]
    drawn = figure(
        bars,
        340 + 24 * len({e.title for e in events}),
        barmode="group",
        xaxis=date_axis([*shown, today]),
        yaxis={"autorange": "reversed", "type": "category"},
        **day_mark(today, _("Today")),
    )
    rows = [
        (
            str(s.title),
            date_text(s.planned_start),
            date_text(s.planned_end),
            date_text(s.actual_start),
            date_text(s.actual_end) if s.actual_end or s.actual_start is None else _("under way"),
            overdue if s.overdue else _status(s),
        )
        for s in stages
    ]
    rows += _event_rows(events)
    columns = (
        _("Stage"),
        _("Planned start"),
        _("Planned end"),
        _("Actual start"),
        _("Actual end"),
        _("Status"),
    )
    dated = events or any(start for start, _length in planned + actual)
    empty = None if dated else _("No stage has dates yet.")
    dates = Table(columns, tuple(rows), (False,) * len(columns))
    return Chart("timeline", _("Timeline (today %(day)s)", day=date_text(today)), drawn, dates, empty)


def readiness_history(points: Sequence[HistoryPoint]) -> Chart:
    """Readiness and evidence coverage over time, one point per recorded day."""
    days = [p.taken_on for p in points]
    hover = {"day": "%{x|%d %b %Y}", "percent": "%{y}"}
    lines = [
        scatter(
            name=name,
            x=[day.isoformat() for day in days],
            y=values,
            mode="lines+markers",
            line=line,
            hovertemplate=hovertemplate + "<extra></extra>",
        )
        for name, values, line, hovertemplate in (
            (_("Readiness"), [p.readiness_percent for p in points], {"color": BRAND, "width": 3},
             _("%(day)s: readiness %(percent)s%%", **hover)),
            (_("Evidence coverage"), [p.coverage_percent for p in points],
             {"color": COVERAGE, "dash": "dash"}, _("%(day)s: evidence coverage %(percent)s%%", **hover)),
        )
    ]  # fmt: skip
    drawn = figure(
        lines,
        320,
        xaxis=date_axis(days),
        yaxis={"title": {"text": "%"}, "range": [0, 105], "ticksuffix": "%"},
    )
    rows = [
        (
            date_text(p.taken_on),
            percent_text(p.readiness_percent),
            percent_text(p.coverage_percent),
            *(str(n) for n in (p.readiness.met, p.readiness.partial, p.readiness.not_met)),
            str(p.readiness.not_assessed),
        )
        for p in points
    ]
    columns = (_("Day"), _("Readiness"), _("Coverage"), _("Met"), _("Partly"), _("Not met"), _("To assess"))
    empty = None if points else _("No readiness recorded yet: a day is recorded whenever a verdict changes.")
    return Chart(
        "history", _("Readiness and evidence coverage over time"), drawn, table(columns, rows), empty
    )
