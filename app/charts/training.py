"""Training charts: completion by department over the last twelve months, and the share of the required
trainings in each state now (done, due, outdated, expired, failed check)."""

from __future__ import annotations

from collections.abc import Sequence

from app.charts.base import BRAND, DONE, OVERDUE, Chart, date_text, figure, percent_text, table
from app.charts.figures import Trace, bar, scatter
from app.domain.text import _
from app.domain.training import CELL_LABELS, CellState
from app.domain.training_progress import ALL_DEPARTMENTS, Completion, CompletionHistory, StateShare

# The same colours as the matrix page's cells (static/css/training_matrix.css), stronger for a chart.
STATE_COLOURS = {
    CellState.DONE: DONE,
    CellState.DUE: "#ffc107",
    CellState.OUTDATED: "#fd7e14",
    CellState.EXPIRED: "#6f42c1",
    CellState.FAILED: OVERDUE,
}
# A line per department, told apart by its marker as well as its colour.
LINE_COLOURS = ("#0d6efd", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#6c757d", "#198754", "#b8860b")
LINE_MARKERS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")
INSIDE_FROM = 15  # share % from which a bar is long enough to carry its label inside


def completion_text(found: Completion) -> str:
    if not found.required:
        return "—"
    return _(
        "%(percent)s (%(done)d of %(total)d)",
        percent=percent_text(found.percent),
        done=found.done,
        total=found.required,
    )


def _line(name: str, values: Sequence[Completion], days: list[str], index: int) -> Trace:
    overall = name == ALL_DEPARTMENTS
    style = (
        {"color": BRAND, "width": 4, "dash": "dash"}
        if overall
        else {"color": LINE_COLOURS[index % len(LINE_COLOURS)], "width": 2}
    )
    return scatter(
        name=str(name),  # plotly's JSON takes a str's own value: "All departments" in English
        x=days,
        y=[c.percent for c in values],
        mode="lines+markers",
        line=style,
        marker={"symbol": "circle" if overall else LINE_MARKERS[index % len(LINE_MARKERS)], "size": 7},
        customdata=[[c.done, c.required] for c in values],
        hovertemplate=_(
            "%(name)s, %(day)s: %(percent)s%% (%(done)s of %(total)s)",
            name=str(name),
            day="%{x|%d %b %Y}",
            percent="%{y}",
            done="%{customdata[0]}",
            total="%{customdata[1]}",
        )
        + "<extra></extra>",
    )


def training_completion_history(history: CompletionHistory) -> Chart:
    """A line per department (and all departments together): the share of required trainings done at each
    month end; a month with nothing required leaves a gap."""
    days = [d.isoformat() for d in history.days]
    lines = [_line(name, values, days, index) for index, (name, values) in enumerate(history.lines.items())]
    drawn = figure(
        lines,
        340,
        xaxis={"type": "date", "tickformat": "%b %Y"},
        yaxis={"title": {"text": _("Required trainings done")}, "range": [0, 105], "ticksuffix": "%"},
    )
    rows = [
        (date_text(day), *(completion_text(values[index]) for values in history.lines.values()))
        for index, day in enumerate(history.days)
    ]
    columns = (_("Month end"), *(str(name) for name in history.lines))
    empty = (
        None
        if history.lines
        else _("No training is required of anyone yet: the matrix has nothing to count.")
    )
    return Chart(
        "training-completion",
        _("Training completion by department, last 12 months"),
        drawn,
        table(columns, rows),
        empty,
    )


def training_states(shares: Sequence[StateShare]) -> Chart:
    """One bar per state of a required training, as a share of all the required trainings now."""
    labels = [str(CELL_LABELS[s.state]) for s in shares]
    values = [s.percent for s in shares]
    bars = bar(
        name=_("Share"),
        orientation="h",
        y=labels,
        x=values,
        marker={"color": [STATE_COLOURS[s.state] for s in shares]},
        text=[f"{percent_text(s.percent)} · {s.cells}" for s in shares],
        textposition=["inside" if (v or 0) >= INSIDE_FROM else "outside" for v in values],
        cliponaxis=False,
        customdata=[s.cells for s in shares],
        hovertemplate=_(
            "%(state)s: %(percent)s%% (%(count)s trainings)",
            state="%{y}",
            percent="%{x}",
            count="%{customdata}",
        )
        + "<extra></extra>",
    )
    drawn = figure(
        [bars],
        90 + 40 * len(shares),
        xaxis={"title": {"text": _("Share of required trainings")}, "range": [0, 105], "ticksuffix": "%"},
        yaxis={"autorange": "reversed", "type": "category"},
        showlegend=False,
    )
    rows = [(str(CELL_LABELS[s.state]), str(s.cells), percent_text(s.percent)) for s in shares]
    required = sum(s.cells for s in shares)
    empty = None if required else _("No training is required of anyone yet: the matrix has nothing to count.")
    return Chart(
        "training-states",
        _("Required trainings by state, today"),
        drawn,
        table((_("State"), _("Trainings"), _("Share")), rows),
        empty,
    )
