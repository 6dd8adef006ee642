"""The customer satisfaction register of a project: its measures (survey, returns, on-time delivery...) with
their values over time, listed with the latest value, trend and target, created, edited on the version
read, and given new values; and the register's state. Shared by the pages and the API; the rules are
:mod:`app.domain.satisfaction`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from app.charts.base import Chart
from app.charts.satisfaction import SatisfactionPoint, satisfaction_values_chart
from app.domain import satisfaction as rules
from app.domain.permissions import Action
from app.domain.registers import Concern, RecordKind, RegisterKey, RegisterState, state
from app.domain.text import _, _l, ngettext
from app.extensions import db
from app.models import CertificationProject, SatisfactionMeasure, SatisfactionValue
from app.services.changes import check_version
from app.services.errors import Invalid, NotFound
from app.services.objectives import stored_value
from app.services.register_records import changed, log
from app.services.register_states import PROJECT_ID, counted
from app.services.scope import Scope, get_or_404_in

NOT_SAVED = _l("The measure was not saved: correct what is marked.")
LABELS = {
    "name": "name",
    "kind": "kind",
    "unit": "unit",
    "higher_is_better": "direction",
    "target": "target",
}


@dataclass
class MeasureFields:
    """What a user gives for a measure; ``target`` as typed (empty: no target)."""

    name: str
    kind: str
    unit: str = ""
    higher_is_better: bool = True
    target: str = ""


@dataclass
class ValueFields:
    period_end: date | None
    value: str  # as typed
    notes: str = ""


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def value_text(value: Decimal, unit: str) -> str:
    return rules.value_text(value, unit)


@dataclass(frozen=True)
class MeasureView:
    """A measure with what the pages and the API show of it."""

    measure: SatisfactionMeasure
    latest: SatisfactionValue | None
    trend: rules.Trend | None
    met: bool | None  # None: no target, or nothing recorded
    stale: bool  # nothing recorded in the last six months

    @property
    def target_text(self) -> str:
        m = self.measure
        return rules.target_text(m.target, m.unit, m.higher_is_better)

    @property
    def latest_text(self) -> str | None:
        return None if self.latest is None else value_text(self.latest.value, self.measure.unit)

    @property
    def trend_label(self) -> str:
        return rules.TREND_LABELS[self.trend]

    @property
    def stale_label(self) -> str:
        return rules.STATUS_FILTER_LABELS[rules.STALE]

    @property
    def target_label(self) -> str:
        if self.measure.target is not None and self.latest is None:
            return _("Nothing recorded")
        return rules.TARGET_LABELS[self.met]


def _values(measure: SatisfactionMeasure) -> list[rules.Value]:
    return [rules.Value(v.period_end, v.value) for v in measure.values]


def view_of(measure: SatisfactionMeasure, today: date) -> MeasureView:
    values = _values(measure)
    ordered = sorted(measure.values, key=lambda v: v.period_end)  # stable: as rules.latest decides
    last = ordered[-1] if ordered else None
    return MeasureView(
        measure,
        last,
        rules.trend(values, measure.higher_is_better),
        rules.meets_target(last.value if last else None, measure.target, measure.higher_is_better),
        rules.is_stale(last.period_end if last else None, today),
    )


# Lookups


@dataclass(frozen=True)
class MeasureFilters:
    kind: str | None = None  # a rules.MeasureKind
    status: str | None = None  # a key of rules.STATUS_FILTER_LABELS

    def query_args(self) -> dict[str, str]:
        return {name: value for name, value in (("kind", self.kind), ("status", self.status)) if value}


def measure_page(
    project: CertificationProject, filters: MeasureFilters, page: int, per_page: int, today: date
) -> tuple[list[MeasureView], int]:
    """One page of the project's measures by name, with their values; and how many the filters keep
    (3 queries, whatever the register holds)."""
    latest = _latest_values(project.id)
    conditions: list[Any] = [SatisfactionMeasure.project_id == project.id]
    if filters.kind:
        conditions.append(SatisfactionMeasure.kind == filters.kind)
    if filters.status:
        by_status = {
            rules.STALE: _stale(latest, today),
            rules.BELOW: _below(latest),
            rules.MEETS: _meets(latest),
        }
        conditions.append(by_status[filters.status])
    joined = select(SatisfactionMeasure).outerjoin(latest, latest.c.measure_id == SatisfactionMeasure.id)
    total = db.session.execute(
        select(func.count()).select_from(joined.where(*conditions).subquery())
    ).scalar_one()
    rows = db.session.execute(
        joined.where(*conditions)
        .options(selectinload(SatisfactionMeasure.values))
        .order_by(SatisfactionMeasure.name, SatisfactionMeasure.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).scalars()
    return [view_of(row, today) for row in rows], total


def measure_in(scope: Scope, project: CertificationProject, measure_id: int) -> SatisfactionMeasure:
    """A measure of this project the scope may see, with its values (2 queries), or NotFound."""
    measure = get_or_404_in(scope, SatisfactionMeasure, measure_id, selectinload(SatisfactionMeasure.values))
    if measure.project_id != project.id:
        raise NotFound()
    return measure


# Saving


def _checked(fields: MeasureFields) -> dict[str, Any]:
    name, unit, typed = fields.name.strip(), fields.unit.strip(), fields.target.strip()
    target = stored_value(typed) if typed else None
    errors = rules.measure_errors(name, fields.kind, unit, target, bool(typed))
    if errors:
        raise Invalid(str(NOT_SAVED), errors)
    return {
        "name": name,
        "kind": fields.kind,
        "unit": unit,
        "higher_is_better": fields.higher_is_better,
        "target": target,
    }


def _described(measure: SatisfactionMeasure) -> str:
    kind = rules.KIND_LABELS.get(rules.MeasureKind(measure.kind), measure.kind)
    target = rules.target_text(measure.target, measure.unit, measure.higher_is_better)
    return f"Measure added: {measure.name} ({kind.lower()}), target {target}."


def create_measure(scope: Scope, project: CertificationProject, fields: MeasureFields) -> SatisfactionMeasure:
    scope.require(Action.EDIT_CONTENT)
    measure = SatisfactionMeasure(project_id=project.id, values=[], **_checked(fields))
    db.session.add(measure)
    db.session.flush()
    log(scope, project.id, RecordKind.SATISFACTION_MEASURE, measure.id, _described(measure))
    return measure


def update_measure(
    scope: Scope, measure: SatisfactionMeasure, fields: MeasureFields, version: int | None
) -> None:
    """Save the measure as edited from the copy read at ``version``."""
    scope.require(Action.EDIT_CONTENT)
    check_version(measure, version, "measure")
    checked = _checked(fields)
    before = {name: getattr(measure, name) for name in checked}
    for name, value in checked.items():
        if getattr(measure, name) != value:
            setattr(measure, name, value)
    names = changed(before, checked, LABELS)
    if names:
        summary = f"Changed the {', '.join(names)}."
        log(scope, measure.project_id, RecordKind.SATISFACTION_MEASURE, measure.id, summary)


def add_value(
    scope: Scope, measure: SatisfactionMeasure, fields: ValueFields, today: date
) -> SatisfactionValue:
    scope.require(Action.EDIT_CONTENT)
    value = stored_value(fields.value)
    notes = fields.notes.strip()
    errors = rules.value_errors(fields.period_end, value, notes, today)
    if errors:
        raise Invalid(_("The value was not saved: correct what is marked."), errors)
    assert fields.period_end is not None and value is not None  # checked above
    recorded = SatisfactionValue(period_end=fields.period_end, value=value, notes=notes)
    measure.values.append(recorded)
    db.session.flush()
    summary = (
        f"Recorded {value_text(value, measure.unit)} for the period ending {day_text(fields.period_end)}."
    )
    log(scope, measure.project_id, RecordKind.SATISFACTION_MEASURE, measure.id, summary)
    return recorded


# The chart


def measure_chart(view: MeasureView, key: str, height: int = 300, title: str | None = None) -> Chart:
    """The measure's values over time against its target line, titled with its name unless ``title``."""
    measure = view.measure
    points = []
    for v in measure.values:
        met = rules.meets_target(v.value, measure.target, measure.higher_is_better)
        points.append(
            SatisfactionPoint(
                v.period_end, v.value, value_text(v.value, measure.unit), str(rules.TARGET_LABELS[met]), met
            )
        )
    return satisfaction_values_chart(
        key,
        title or measure.name,
        points,
        measure.target,
        _("Target: %(target)s", target=view.target_text),
        measure.unit,
        height,
    )


# The latest value of each measure, in SQL (the list's filters and the register's state)


def _latest_values(project_id: Any) -> Any:
    """Each measure's latest value (:func:`rules.latest`: the latest period, then the last recorded) as a
    subquery of ``measure_id``, ``period_end`` and ``value`` (the project an id, or a bound parameter)."""
    ranked = (
        select(
            SatisfactionValue.measure_id,
            SatisfactionValue.period_end,
            SatisfactionValue.value,
            func.row_number()
            .over(
                partition_by=SatisfactionValue.measure_id,
                order_by=(SatisfactionValue.period_end.desc(), SatisfactionValue.id.desc()),
            )
            .label("rank"),
        )
        .join(SatisfactionMeasure, SatisfactionMeasure.id == SatisfactionValue.measure_id)
        .where(SatisfactionMeasure.project_id == project_id)
        .subquery()
    )
    return (
        select(ranked.c.measure_id, ranked.c.period_end, ranked.c.value).where(ranked.c.rank == 1).subquery()
    )


def _below(latest: Any) -> Any:
    """:func:`rules.meets_target` is False: a target, a latest value, on the worse side of it."""
    target = SatisfactionMeasure.target
    return and_(
        target.is_not(None),
        latest.c.value.is_not(None),
        or_(
            and_(SatisfactionMeasure.higher_is_better, latest.c.value < target),
            and_(~SatisfactionMeasure.higher_is_better, latest.c.value > target),
        ),
    )


def _meets(latest: Any) -> Any:
    target = SatisfactionMeasure.target
    return and_(target.is_not(None), latest.c.value.is_not(None), ~_below(latest))


def _stale(latest: Any, today: date) -> Any:
    """:func:`rules.is_stale`: nothing recorded, or nothing for a period ending in the last six months."""
    return or_(latest.c.period_end.is_(None), latest.c.period_end < rules.measured_since(today))


# The register's state


def register_state(project: CertificationProject, today: date) -> RegisterState:
    """The count of measures; urgent: none at all, and those not measured in six months; below their
    target as information. One query: each measure's latest value, aggregated."""
    return state_from(project, counted(state_query(project, today), project.id))


@lru_cache(maxsize=4)
def _state_query(today: date) -> Any:
    latest = _latest_values(PROJECT_ID)

    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    return (
        select(func.count(SatisfactionMeasure.id), count(_stale(latest, today)), count(_below(latest)))
        .select_from(SatisfactionMeasure)
        .outerjoin(latest, latest.c.measure_id == SatisfactionMeasure.id)
        .where(SatisfactionMeasure.project_id == PROJECT_ID)
    )


def state_query(project: CertificationProject, today: date) -> Any:
    """The measures, those not measured lately and those below target: one row of aggregates."""
    return _state_query(today)


def state_from(project: CertificationProject, row: tuple[Any, ...]) -> RegisterState:
    total, not_measured, below_target = (int(value) for value in row)
    months = rules.STALE_AFTER_MONTHS
    concerns = [
        Concern(
            1 if total == 0 else 0,
            _("none recorded"),
            action=_("Decide how you will measure customer satisfaction (9.1.2)"),
            counted=False,
        ),
        Concern(
            not_measured,
            _("not measured in %(months)d months", months=months),
            action=ngettext(
                "Record a value for the %(num)d measure not measured in %(months)d months",
                "Record a value for the %(num)d measures not measured in %(months)d months",
                not_measured,
                months=months,
            ),
            query=(("status", rules.STALE),),
        ),
        Concern(below_target, _("below target"), urgent=False, query=(("status", rules.BELOW),)),
    ]
    return state(RegisterKey.SATISFACTION, total, concerns)
