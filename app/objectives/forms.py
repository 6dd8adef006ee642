"""The forms of the objective pages: an objective (new and edited) and a measured value.

The forms only read what was typed; the rules (a target and a value as numbers, an owner, a due date, a
measurement not in the future) are checked by the service with :mod:`app.domain.objectives`, and its
messages are shown beside the fields.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.domain import objectives as rules
from app.domain.text import _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import QualityObjective
from app.services.objectives import MeasurementFields, ObjectiveFields

DIRECTION_CHOICES = select_choices(
    [
        (rules.Direction.AT_LEAST.value, _l("At least the target")),
        (rules.Direction.AT_MOST.value, _l("At most the target")),
    ]
)


class ObjectiveForm(FieldErrors, FlaskForm):
    title = TrimmedStringField(_l("Objective"), description=_l("In words, e.g. “Deliver orders on time”."))
    measure = TextAreaField(
        _l("How it is measured"),
        filters=[strip_filter],
        render_kw={"rows": 2},
        description=_l("e.g. “orders shipped on the promised date / all orders shipped, each month”."),
    )
    direction = SelectField(_l("The value should be"), choices=DIRECTION_CHOICES, validate_choice=False)
    target = TrimmedStringField(_l("Target"), description=_l("A number, e.g. 95."))
    unit = TrimmedStringField(_l("Unit"), description=_l("e.g. %, days, ppm; may stay empty."))
    owner = TrimmedStringField(_l("Owner"), description=_l("Who answers for it: a name or a job title."))
    due_date = DateField(_l("To be reached by"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], render_kw={"rows": 2})
    version = VersionField()  # the objective's version when the edit form was read

    def fields(self) -> ObjectiveFields:
        return ObjectiveFields(
            title=self.title.data or "",
            measure=self.measure.data or "",
            target=self.target.data or "",
            owner=self.owner.data or "",
            due_date=self.due_date.data,
            direction=self.direction.data or "",
            unit=self.unit.data or "",
            notes=self.notes.data or "",
        )


def objective_data(objective: QualityObjective) -> dict[str, Any]:
    """A saved objective as the edit form shows it, with the version it was read at."""
    return {
        "title": objective.title,
        "measure": objective.measure,
        "direction": objective.direction,
        "target": rules.format_value(objective.target),
        "unit": objective.unit,
        "owner": objective.owner,
        "due_date": objective.due_date,
        "notes": objective.notes,
        "version": objective.version,
    }


class MeasurementForm(FieldErrors, FlaskForm):
    measured_on = DateField(_l("Measured on"), validators=[Optional()], description=_l("Not in the future."))
    value = TrimmedStringField(_l("Value"), description=_l("A number, in the objective's unit."))
    notes = TrimmedStringField(_l("Notes"), description=_l("e.g. the period it covers, or what explains it."))

    def fields(self) -> MeasurementFields:
        return MeasurementFields(
            measured_on=self.measured_on.data, value=self.value.data or "", notes=self.notes.data or ""
        )
