"""The verdict form of one requirement, the filter bar, and the words the gap-analysis pages show."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

from flask_wtf import FlaskForm
from wtforms import DateField, Field, Form, SelectField, TextAreaField
from wtforms.validators import Optional, ValidationError

from app.domain.assessment import (
    EARLIEST_DUE_DATE,
    MAX_LENGTHS,
    VERDICT_LABELS,
    latest_due_date,
    verdict_limit_errors,
)
from app.domain.readiness import ClauseStatus
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import CertificationProject
from app.services.assessments import GapAnalysis, Requirement

STATUS_BADGES = {
    ClauseStatus.NOT_ASSESSED: "text-bg-light border",
    ClauseStatus.NOT_MET: "text-bg-danger",
    ClauseStatus.PARTIAL: "text-bg-warning",
    ClauseStatus.MET: "text-bg-success",
    ClauseStatus.NOT_APPLICABLE: "text-bg-secondary",
}

DOCUMENTED_INFORMATION_WORDS = {
    "none": "No documented information is required.",
    "maintain": "Maintain a document (keep it current and controlled).",
    "retain": "Retain records as evidence.",
    "both": "Maintain a document and retain records.",
}


def clause_anchor(number: str) -> str:
    """The id of a requirement's row, also its form prefix: "7.1.5.1" -> "clause-7-1-5-1"."""
    return "clause-" + number.replace(".", "-")


class VerdictLimits:
    """A verdict field's limits, checked by the domain (the API checks the same), and given to the browser
    as ``maxlength`` or ``min``/``max`` attributes."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def field_flags(self) -> dict[str, Any]:
        # Read each time a form is built, so the due-date window moves with today's year.
        if self.name == "due_date":
            return {"min": EARLIEST_DUE_DATE.isoformat(), "max": latest_due_date(date.today()).isoformat()}
        return {"maxlength": MAX_LENGTHS[self.name]}

    def __call__(self, form: Form, field: Field) -> None:
        errors = verdict_limit_errors({self.name: field.data}, date.today())
        if errors:
            raise ValidationError(errors[self.name])


class RequirementForm(FlaskForm):
    """One verdict. Each row of the page prefixes it with its anchor, so every field id is unique."""

    status = SelectField("Status", validate_choice=False, render_kw={"data-gap-status": ""})
    owner = TrimmedStringField("Owner", validators=[Optional(), VerdictLimits("owner")])
    due_date = DateField("Due date", validators=[Optional(), VerdictLimits("due_date")])
    notes = TextAreaField(
        "Notes",
        filters=[strip_filter],
        validators=[Optional(), VerdictLimits("notes")],
        render_kw={"rows": 2},
    )
    justification = TextAreaField(
        "Justification (required for not applicable)",
        filters=[strip_filter],
        validators=[Optional(), VerdictLimits("justification")],
        render_kw={"rows": 2},
    )
    version = VersionField()  # the verdict's version when the page was read

    def validate_status(self, field: SelectField) -> None:
        if field.data not in VERDICT_LABELS:
            raise ValidationError("Choose a status from the list.")

    def verdict(self) -> dict[str, Any]:
        """The keyword arguments of ``update_requirement``; empty text fields as ""."""
        text = {name: self[name].data or "" for name in ("status", "notes", "owner", "justification")}
        return {**text, "due_date": self.due_date.data}

    def add_errors(self, errors: Mapping[str, str]) -> None:
        """Show the domain's refusals beside their fields."""
        for name, message in errors.items():
            self[name].errors = [*self[name].errors, message]


def requirement_form(found: Requirement, formdata: Any = None) -> RequirementForm:
    """The form of one requirement: the posted values when given, else the saved verdict."""
    prefix = clause_anchor(found.clause.number)
    if formdata is None:
        form = RequirementForm(formdata=None, obj=found.assessment, prefix=prefix)
    else:
        form = RequirementForm(formdata=formdata, prefix=prefix)
    # Not applicable is offered only where the catalog allows it (or already chosen, so it stays visible).
    offered = [
        (value, label)
        for value, label in VERDICT_LABELS.items()
        if value != ClauseStatus.NOT_APPLICABLE
        or found.clause.may_be_not_applicable
        or form.status.data == value
    ]
    form.status.choices = select_choices(offered)
    return form


class FilterForm(Form):
    """The filter bar (a GET form, so no CSRF token)."""

    section = SelectField("Section", validate_choice=False)
    status = SelectField("Status", validate_choice=False)


class Filters(NamedTuple):
    section: str | None = None
    status: str | None = None


def clean_filters(project: CertificationProject, section: str | None, status: str | None) -> Filters:
    """Keep a filter value only if it is known; anything else means "all"."""
    return Filters(
        section if section in project.standard.sections else None,
        status if status in VERDICT_LABELS else None,
    )


def filter_form(analysis: GapAnalysis, filters: Filters) -> FilterForm:
    form = FilterForm(data={"section": filters.section or "", "status": filters.status or ""})
    counts = analysis.overall
    form.section.choices = select_choices(
        [
            ("", "All sections"),
            *(
                (number, f"{number} {analysis.titles.get(number, '')} ({readiness.total})")
                for number, readiness in analysis.by_section.items()
            ),
        ]
    )
    form.status.choices = select_choices(
        [
            ("", "All statuses"),
            *((value, f"{label} ({getattr(counts, value)})") for value, label in VERDICT_LABELS.items()),
        ]
    )
    return form
