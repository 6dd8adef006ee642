"""The risk register's heat map: likelihood up, impact across, each cell coloured by the level its score
falls in and showing how many risks sit there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.charts.base import Chart, figure, table
from app.charts.figures import heatmap
from app.domain import risks as rules
from app.domain.text import _, _l, ngettext

# Light fills, so that the dark figures on them keep their contrast.
LEVEL_FILLS: Mapping[str, str] = {"low": "#d1e7dd", "medium": "#fff3cd", "high": "#f8d7da"}
LEVEL_ORDER = ("low", "medium", "high")
LEVEL_WORDS: Mapping[str, str] = {"low": _l("low"), "medium": _l("medium"), "high": _l("high")}


@dataclass(frozen=True)
class HeatAxis:
    """One axis of the map: its name and each point's label ("4 Likely"), lowest first."""

    name: str
    labels: tuple[str, ...]


def heat_map(
    key: str,
    title: str,
    likelihood: HeatAxis,
    impact: HeatAxis,
    counts: Mapping[tuple[int, int], int],
    levels: Mapping[tuple[int, int], str],
    note: str | None = None,
    height: int = 340,
) -> Chart:
    """The heat map of ``counts`` by (likelihood, impact), both from 1; ``levels`` gives each cell's level
    (low, medium, high), which colours it. Its table has a row per likelihood, highest first."""
    rows_of = range(1, len(likelihood.labels) + 1)
    columns_of = range(1, len(impact.labels) + 1)
    z = [[LEVEL_ORDER.index(levels[(lk, im)]) for im in columns_of] for lk in rows_of]
    shown = [[str(counts.get((lk, im), 0) or "") for im in columns_of] for lk in rows_of]
    words = [
        [_cell_words(counts.get((lk, im), 0), levels[(lk, im)], lk * im) for im in columns_of]
        for lk in rows_of
    ]
    fills = [LEVEL_FILLS[level] for level in LEVEL_ORDER]
    cells = heatmap(
        z=z,
        x=list(impact.labels),
        y=list(likelihood.labels),
        text=shown,
        texttemplate="%{text}",
        textfont={"size": 16, "color": "#212529"},
        customdata=words,
        colorscale=_steps(fills),
        zmin=0,
        zmax=len(LEVEL_ORDER) - 1,
        showscale=False,
        xgap=3,
        ygap=3,
        hovertemplate=_(
            "%(likelihood)s %(y)s, %(impact)s %(x)s: %(cell)s",
            likelihood=likelihood.name,
            y="%{y}",
            impact=impact.name.lower(),
            x="%{x}",
            cell="%{customdata}",
        )
        + "<extra></extra>",
    )
    drawn = figure(
        [cells],
        height,
        xaxis={"title": {"text": impact.name}, "side": "bottom", "showgrid": False},
        yaxis={"title": {"text": likelihood.name}, "showgrid": False},
        showlegend=False,
    )
    columns = (f"{likelihood.name} \\ {impact.name.lower()}", *impact.labels)
    table_rows = [
        (likelihood.labels[lk - 1], *(str(counts.get((lk, im), 0)) for im in columns_of))
        for lk in reversed(rows_of)
    ]
    empty = None if any(counts.values()) else _("No risk scored yet: the map fills in as risks are recorded.")
    return Chart(key, title, drawn, table(columns, table_rows), empty, note)


def _steps(fills: Sequence[str]) -> list[list[float | str]]:
    """A colour scale of flat steps, one per level (z = 0, 1, 2)."""
    steps: list[list[float | str]] = []
    for index, fill in enumerate(fills):
        steps += [[index / len(fills), fill], [(index + 1) / len(fills), fill]]
    return steps


def _cell_words(count: int, level: str, score: int) -> str:
    return ngettext(
        "%(num)d risk; %(level)s (score %(score)d)",
        "%(num)d risks; %(level)s (score %(score)d)",
        count,
        level=LEVEL_WORDS.get(level, level),
        score=score,
    )


def risk_heat_map(key: str, scale: int, risks: Mapping[tuple[int, int], int], opportunities: int) -> Chart:
    """The project's risks on its scale, the cells coloured by the band of their score; a note says how
    many opportunities the map leaves out."""
    points = range(1, scale + 1)
    note = None
    if opportunities:
        note = ngettext(
            "%(num)d opportunity is in the register but not on the map, which shows the risks, each at its "
            "score before action.",
            "%(num)d opportunities are in the register but not on the map, which shows the risks, each at "
            "its score before action.",
            opportunities,
        )
    return heat_map(
        key,
        _("Risks by likelihood and impact"),
        HeatAxis(_("Likelihood"), tuple(rules.point_label(n, rules.LIKELIHOOD_WORDS[scale]) for n in points)),
        HeatAxis(_("Impact"), tuple(rules.point_label(n, rules.IMPACT_WORDS[scale]) for n in points)),
        risks,
        {(lk, im): rules.level(rules.score(lk, im), scale) for lk in points for im in points},
        note,
    )
