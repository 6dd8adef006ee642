"""The forms of the training pages: a job role, a training requirement, a session with its attendees, an
attendee's effectiveness check, and the starter.

The forms only read what was typed; the rules (names, refresher interval, dates, attendees) are checked by
the services with :mod:`app.domain.training`, and their messages are shown beside the fields. A posted id
that is no id at all is passed on as one no record has, so it is refused like a stranger's (404).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Optional

from app.domain import training as rules
from app.domain.ids import MAX_ID, is_id
from app.domain.text import _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import ControlledDocument, JobRole, TrainingRequirement
from app.services.evidence import Upload
from app.services.training_records import CHECK_METHOD_MAX_LENGTH, DURATION_MINUTES, NewSession
from app.services.training_setup import RequirementFields, RoleFields
from app.training.words import RESULT_LABELS

NOT_AN_ID = MAX_ID + 1  # out of range: no record has it, so the services answer 404


def posted_id(text: str) -> int:
    return int(text) if is_id(text) else NOT_AN_ID


class WholeNumberField(IntegerField):
    """A whole number; anything else gets ``invalid``, a message saying so ("Enter a whole number of
    months.")."""

    def __init__(self, *args: Any, invalid: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(self.invalid)) from None


class RoleForm(FieldErrors, FlaskForm):
    name = TrimmedStringField(
        _l("Name"),
        description=_l("As on the staff list, e.g. “Production operator”. People are matched by it."),
    )
    requirement_ids = SelectMultipleField(_l("Trainings it requires"), validate_choice=False)
    version = VersionField()  # the role's version when the edit form was read

    def setup(self, requirements: Sequence[TrainingRequirement]) -> RoleForm:
        self.requirement_ids.choices = select_choices((str(r.id), r.name) for r in requirements)
        return self

    def fields(self) -> RoleFields:
        return RoleFields(
            name=self.name.data or "",
            requirement_ids=[posted_id(v) for v in self.requirement_ids.data or []],
        )


def role_form_data(role: JobRole) -> dict[str, Any]:
    return {
        "name": role.name,
        "requirement_ids": [str(r.id) for r in role.requirements],
        "version": role.version,
    }


class RequirementForm(FieldErrors, FlaskForm):
    document_id = SelectField(
        _l("Document"),
        validate_choice=False,
        description=_l(
            "A controlled document of the register: people are trained on its approved revision, "
            "and again on each new one. Leave it on “A topic” for a training that is not a document."
        ),
    )
    name = TrimmedStringField(
        _l("Name"),
        description=_l("e.g. “Forklift licence”. For a document, leave it empty for its code and title."),
    )
    refresher_months = WholeNumberField(
        _l("Refresher every (months)"),
        invalid=_l("Enter a whole number of months."),
        validators=[Optional()],
        render_kw={"min": rules.REFRESHER_MONTHS.start, "max": rules.REFRESHER_MONTHS.stop - 1},
        description=_l("For a topic: 1 to 120 months. Leave empty if it never expires."),
    )
    everyone = BooleanField(_l("Everyone needs it (awareness, whatever their role)"))
    qualifies_auditor = BooleanField(_l("Passing it qualifies an internal auditor"))
    clause_number = TrimmedStringField(_l("Clause"), description=_l("Optional, e.g. 7.3."))
    version = VersionField()  # the requirement's version when the edit form was read

    def setup(self, documents: Sequence[ControlledDocument]) -> RequirementForm:
        choices = [
            ("", _l("A topic, not a document")),
            *((str(d.id), f"{d.code} {d.title}") for d in documents),
        ]
        self.document_id.choices = select_choices(choices)
        return self

    def fields(self) -> RequirementFields:
        document = self.document_id.data or ""
        return RequirementFields(
            name=self.name.data or "",
            document_id=posted_id(document) if document else None,
            refresher_months=self.refresher_months.data,
            everyone=bool(self.everyone.data),
            qualifies_auditor=bool(self.qualifies_auditor.data),
            clause_number=self.clause_number.data or "",
        )


class SessionForm(FieldErrors, FlaskForm):
    requirement_id = SelectField(_l("Training on"), validate_choice=False)
    held_on = DateField(
        _l("Date"), validators=[Optional()], description=_l("The day it was given; not in the future.")
    )
    trainer = TrimmedStringField(_l("Trainer"), description=_l("A name, or the external provider."))
    method = SelectField(
        _l("Method"),
        choices=select_choices([("", _l("Choose how it was given…")), *rules.METHOD_LABELS.items()]),
        validate_choice=False,
    )
    duration_minutes = WholeNumberField(
        _l("Duration (minutes)"),
        invalid=_l("Enter a whole number of minutes."),
        validators=[Optional()],
        render_kw={"min": DURATION_MINUTES.start, "max": DURATION_MINUTES.stop - 1},
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], render_kw={"rows": 2})
    attendee_ids = SelectMultipleField(_l("Attendees"), validate_choice=False)
    file = FileField(
        _l("Attendance sheet or certificate"),
        description=_l("Optional: a scan or a PDF, kept with the evidence of the project."),
    )

    def setup(self, requirements: Sequence[TrainingRequirement]) -> SessionForm:
        choices = [("", _l("Choose the training…")), *((str(r.id), r.name) for r in requirements)]
        self.requirement_id.choices = select_choices(choices)
        return self

    def session(self) -> NewSession:
        data = self.file.data
        upload = Upload(data.filename or "", data.stream) if data and getattr(data, "filename", "") else None
        requirement = self.requirement_id.data or ""
        return NewSession(
            requirement_id=posted_id(requirement) if requirement else None,
            held_on=self.held_on.data,
            trainer=self.trainer.data or "",
            method=self.method.data or "",
            duration_minutes=self.duration_minutes.data,
            notes=self.notes.data or "",
            attendee_ids=[posted_id(v) for v in self.attendee_ids.data or []],
            upload=upload,
        )


class EffectivenessForm(FieldErrors, FlaskForm):
    """One attendee's check; prefixed with the attendance's id, so the forms of a page never share ids."""

    result = SelectField(
        _l("Result"), choices=select_choices(RESULT_LABELS.items()), validate_choice=False, default="pending"
    )
    check_method = TrimmedStringField(
        _l("How it was checked"),
        render_kw={"maxlength": CHECK_METHOD_MAX_LENGTH},
        description=_l("e.g. observed at work, a quiz, a supervised first batch."),
    )
    checked_on = DateField(_l("Checked on"), validators=[Optional()])
    version = VersionField()  # the attendance's


def check_prefix(attendance_id: int) -> str:
    return f"check-{attendance_id}"


class StarterForm(FieldErrors, FlaskForm):
    """Add the standard's starter roles and topics: a button, nothing to type."""
