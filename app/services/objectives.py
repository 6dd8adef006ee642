"""A project's quality objectives with their measured values: listed with their status, created, edited on
the version read, and measured. Shared by the pages and the API; the rules are :mod:`app.domain.objectives`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.charts.base import Chart
from app.charts.objectives import ValuePoint, objective_values_chart
from app.domain import objectives as rules
from app.domain.permissions import Action
from app.domain.text import _
from app.extensions import db
from app.models import CertificationProject, ObjectiveMeasurement, QualityObjective
from app.services.changes import check_version
from app.services.errors import Invalid, NotFound, StaleVersion
from app.services.scope import Scope, get_or_404_in


@dataclass
class ObjectiveFields:
    """What a user types for an objective; ``target`` as typed (parsed by :func:`rules.parse_value`)."""

    title: str
    measure: str
    target: str
    owner: str
    due_date: date | None
    direction: str = rules.Direction.AT_LEAST
    unit: str = ""
    notes: str = ""


@dataclass
class MeasurementFields:
    measured_on: date | None
    value: str  # as typed
    notes: str = ""


@dataclass(frozen=True)
class ObjectiveView:
    """An objective with what the pages and the API show of it."""

    objective: QualityObjective
    target_text: str
    latest: ObjectiveMeasurement | None
    met: bool | None  # None: nothing measured yet

    @property
    def status_label(self) -> str:
        return rules.status_label(self.met)

    @property
    def latest_text(self) -> str | None:
        if self.latest is None:
            return None
        return value_text(self.latest.value, self.objective.unit)


def value_text(value: Decimal, unit: str) -> str:
    return f"{rules.format_value(value)}{f' {unit}' if unit else ''}"


def view_of(objective: QualityObjective) -> ObjectiveView:
    values = [rules.Measurement(m.measured_on, m.value) for m in objective.measurements]
    last = rules.latest(values)
    return ObjectiveView(
        objective,
        rules.target_text(objective.direction, objective.target, objective.unit),
        objective.measurements[values.index(last)] if last else None,
        rules.status(rules.Direction(objective.direction), objective.target, values),
    )


def objective_views(project: CertificationProject) -> list[ObjectiveView]:
    """Every objective of the project with its measurements, soonest due first (2 queries)."""
    rows = db.session.execute(
        select(QualityObjective)
        .where(QualityObjective.project_id == project.id)
        .options(selectinload(QualityObjective.measurements))
        .order_by(QualityObjective.due_date, QualityObjective.id)
    ).scalars()
    return [view_of(row) for row in rows]


def objective_in(scope: Scope, project: CertificationProject, objective_id: int) -> QualityObjective:
    """An objective of this project the scope may see, with its measurements, or 404 (2 queries)."""
    objective = get_or_404_in(
        scope, QualityObjective, objective_id, selectinload(QualityObjective.measurements)
    )
    if objective.project_id != project.id:
        raise NotFound()
    return objective


# The columns keep four decimals: a value is rounded to them as it is read, so what is shown and judged is
# what is stored, on every database (and "1e-999999999" never becomes a string of a billion zeros).
STORED_STEP = Decimal("0.0001")


def stored_value(text: str) -> Decimal | None:
    """A typed number as the columns keep it, or None when it is no number (:func:`rules.parse_value`)."""
    value = rules.parse_value(text)
    return None if value is None else value.quantize(STORED_STEP)


def _checked(fields: ObjectiveFields) -> tuple[Decimal, dict[str, object]]:
    target = stored_value(fields.target)
    errors = rules.objective_errors(fields.title, fields.measure, target, fields.due_date, fields.owner)
    if problem := rules.direction_error(fields.direction):
        errors["direction"] = problem
    for name, message in rules.limit_errors(
        title=fields.title, measure=fields.measure, unit=fields.unit, owner=fields.owner, notes=fields.notes
    ).items():
        errors.setdefault(name, message)
    if errors:
        raise Invalid(_("The objective was not saved."), errors)
    assert target is not None  # checked above
    values: dict[str, object] = {
        "title": fields.title,
        "measure": fields.measure,
        "unit": fields.unit,
        "direction": fields.direction,
        "target": target,
        "owner": fields.owner,
        "due_date": fields.due_date,
        "notes": fields.notes,
    }
    return target, values


def create_objective(
    scope: Scope, project: CertificationProject, fields: ObjectiveFields
) -> QualityObjective:
    scope.require(Action.EDIT_CONTENT)
    _, values = _checked(fields)
    objective = QualityObjective(project_id=project.id, measurements=[], **values)
    db.session.add(objective)
    db.session.flush()
    return objective


def update_objective(
    scope: Scope, objective: QualityObjective, fields: ObjectiveFields, version: int | None
) -> None:
    """Save the objective as edited from the copy read at ``version``."""
    scope.require(Action.EDIT_CONTENT)
    try:
        check_version(objective, version)
    except StaleVersion:
        raise StaleVersion(objective, "objective") from None
    _, values = _checked(fields)
    for name, value in values.items():
        if getattr(objective, name) != value:
            setattr(objective, name, value)


def add_measurement(
    scope: Scope, objective: QualityObjective, fields: MeasurementFields, today: date
) -> ObjectiveMeasurement:
    scope.require(Action.EDIT_CONTENT)
    value = stored_value(fields.value)
    errors = rules.measurement_errors(fields.measured_on, value, today)
    errors |= {k: v for k, v in rules.limit_errors(notes=fields.notes).items() if k not in errors}
    if errors:
        raise Invalid(_("The measurement was not saved."), errors)
    assert fields.measured_on is not None and value is not None  # checked above
    measurement = ObjectiveMeasurement(measured_on=fields.measured_on, value=value, notes=fields.notes)
    objective.measurements.append(measurement)
    db.session.flush()
    return measurement


def objective_chart(view: ObjectiveView, key: str, height: int = 300, title: str | None = None) -> Chart:
    """The objective's measured values over time against its target line, titled with the objective's
    title unless ``title`` says otherwise."""
    objective = view.objective
    direction = rules.Direction(objective.direction)
    points = [
        ValuePoint(
            m.measured_on,
            m.value,
            value_text(m.value, objective.unit),
            rules.is_met(direction, objective.target, m.value),
        )
        for m in objective.measurements
    ]
    return objective_values_chart(
        key,
        title or objective.title,
        points,
        objective.target,
        _("Target: %(target)s", target=view.target_text),
        objective.unit,
        height,
    )
