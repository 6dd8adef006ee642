from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.domain.pathway import STAGE_STATUS_LABELS, TASK_STATUS_LABELS, StageStatus
from app.domain.text import _l
from app.forms import KnownChoice, TrimmedStringField, VersionField, select_choices, strip_filter
from app.services.stages import TASK_FIELDS

TASK_STATUSES = list(TASK_STATUS_LABELS.items())
EDITABLE_STAGE_STATUSES = [
    (status, STAGE_STATUS_LABELS[status]) for status in (StageStatus.NOT_STARTED, StageStatus.IN_PROGRESS)
]
EARLIEST = date(2000, 1, 1)


def _in_range(field: DateField) -> None:
    if field.data and not EARLIEST <= field.data <= date(date.today().year + 10, 12, 31):
        raise ValidationError(_l("Enter a date between 2000 and ten years from now."))


class IdPrefixedForm(FlaskForm):
    """A form whose controls' ids start with ``id_prefix``, so the stage page's two forms (dates, a new
    a new task) and their "Status" labels do not share ids. The field names, and so what is posted,
    stay the same.
    """

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self:
            field.id = f"{self.id_prefix}{field.short_name}"
            field.label.field_id = field.id


class StageForm(IdPrefixedForm):
    """Dates and status of a stage. Done is set only by "Mark stage done", which checks the exit criteria."""

    id_prefix = "dates-"

    status = SelectField(
        _l("Status"),
        choices=select_choices(EDITABLE_STAGE_STATUSES),
        validate_choice=False,
        validators=[KnownChoice(_l("Choose a status from the list."))],
    )
    planned_start = DateField(_l("Planned start"), validators=[Optional()])
    planned_end = DateField(_l("Planned end"), validators=[Optional()])
    actual_start = DateField(_l("Actual start"), validators=[Optional()])
    actual_end = DateField(_l("Actual end"), validators=[Optional()])
    # Shown to an owner while the stage before is not done: why this stage starts early (app.domain.gates).
    override_reason = TextAreaField(
        _l("Why start before the stage before it is done?"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000, message=_l("Keep the reason under 2000 characters."))],
    )
    version = VersionField()  # the stage's version when the page was read

    def validate_planned_start(self, field: DateField) -> None:
        _in_range(field)

    def validate_actual_start(self, field: DateField) -> None:
        _in_range(field)

    def validate_planned_end(self, field: DateField) -> None:
        _in_range(field)
        if field.data and self.planned_start.data and field.data < self.planned_start.data:
            raise ValidationError(_l("The planned end cannot be before the planned start."))

    def validate_actual_end(self, field: DateField) -> None:
        _in_range(field)
        if field.data and self.actual_start.data and field.data < self.actual_start.data:
            raise ValidationError(_l("The actual end cannot be before the actual start."))


class TaskForm(IdPrefixedForm):
    id_prefix = "task-"

    title = TrimmedStringField(
        _l("Task"), validators=[DataRequired(_l("Describe the task.")), Length(max=300)]
    )
    owner = TrimmedStringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=select_choices(TASK_STATUSES),
        default="open",
        validate_choice=False,
        validators=[KnownChoice(_l("Choose a status from the list."))],
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], validators=[Optional(), Length(max=5000)])
    version = VersionField()  # the task's version when the edit form was read

    def values(self) -> dict[str, Any]:
        return {name: self[name].data for name in TASK_FIELDS}

    def validate_due_date(self, field: DateField) -> None:
        _in_range(field)
