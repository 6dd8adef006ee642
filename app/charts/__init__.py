"""Plotly figures built from domain values, each with a plain table of the same numbers.

Every function returns a :class:`Chart`: the figure (drawn in the browser by ``static/js/charts.js`` from
its JSON in a ``data-figure`` attribute, so no inline script is needed) and a :class:`Table` of the very
numbers plotted, for screen readers, printing and anyone who prefers to read the figures. Nothing here
queries the database: the service layer hands in readiness counts, stage dates, budget totals and
snapshots, so tests can call these with hand-made values.

``figures`` holds a figure's shape: plain dicts in plotly.js's JSON, built by typed trace helpers (plotly.py
is not imported: its validation of every figure was most of the charts page's time). ``base`` holds what
every chart shares (colours, the small template, tables, marks), ``progress`` the readiness, stage, timeline
and history charts, ``training`` training completion by department over time and the required trainings by
state, ``budget`` the budget bars and the S-curve.
"""

from app.charts.base import (
    BRAND,
    COVERAGE,
    DONE,
    IN_PROGRESS,
    MS_PER_DAY,
    MUTED,
    NOT_STARTED,
    OVERDUE,
    PLANNED,
    READINESS_TARGET,
    Chart,
    Table,
    money_text,
    percent_text,
)
from app.charts.budget import budget_by_category, budget_by_stage, spend_curve
from app.charts.progress import (
    HistoryPoint,
    StageBar,
    TimelineEvent,
    readiness_by_section_chart,
    readiness_history,
    stage_progress_chart,
    stage_timeline,
)
from app.charts.training import training_completion_history, training_states

__all__ = [
    "BRAND",
    "COVERAGE",
    "DONE",
    "IN_PROGRESS",
    "MS_PER_DAY",
    "MUTED",
    "NOT_STARTED",
    "OVERDUE",
    "PLANNED",
    "READINESS_TARGET",
    "Chart",
    "HistoryPoint",
    "StageBar",
    "Table",
    "TimelineEvent",
    "budget_by_category",
    "budget_by_stage",
    "money_text",
    "percent_text",
    "readiness_by_section_chart",
    "readiness_history",
    "spend_curve",
    "stage_progress_chart",
    "stage_timeline",
    "training_completion_history",
    "training_states",
]
