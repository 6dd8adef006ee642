"""The verdict form of one requirement, the filter bar, and the words the gap-analysis pages show."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from flask_babel import get_locale
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import DateField, Field, Form, SelectField, TextAreaField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import html_params

from app.domain.assessment import (
    EARLIEST_DUE_DATE,
    MAX_LENGTHS,
    VERDICT_LABELS,
    latest_due_date,
    verdict_limit_errors,
)
from app.domain.readiness import ClauseStatus, Readiness, section_of, section_to_show
from app.domain.text import _, _l
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
    "none": _l("No documented information is required."),
    "maintain": _l("Maintain a document (keep it current and controlled)."),
    "retain": _l("Retain records as evidence."),
    "both": _l("Maintain a document and retain records."),
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

    status = SelectField(_l("Status"), validate_choice=False, render_kw={"data-gap-status": ""})
    owner = TrimmedStringField(_l("Owner"), validators=[Optional(), VerdictLimits("owner")])
    due_date = DateField(_l("Due date"), validators=[Optional(), VerdictLimits("due_date")])
    notes = TextAreaField(
        _l("Notes"),
        filters=[strip_filter],
        validators=[Optional(), VerdictLimits("notes")],
        render_kw={"rows": 2},
    )
    justification = TextAreaField(
        _l("Justification (required for not applicable)"),
        filters=[strip_filter],
        validators=[Optional(), VerdictLimits("justification")],
        render_kw={"rows": 2},
    )
    version = VersionField()  # the verdict's version when the page was read

    def validate_status(self, field: SelectField) -> None:
        if field.data not in VERDICT_LABELS:
            raise ValidationError(_l("Choose a status from the list."))

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
    form.status.choices = select_choices(
        offered_statuses(found.clause.may_be_not_applicable, form.status.data)
    )
    return form


def offered_statuses(may_be_not_applicable: bool, chosen: Any) -> list[tuple[str, str]]:
    """The statuses a verdict's list offers: "Not applicable" only where the catalog allows it (or already
    chosen, so it stays visible)."""
    return [
        (value, label)
        for value, label in VERDICT_LABELS.items()
        if value != ClauseStatus.NOT_APPLICABLE or may_be_not_applicable or chosen == value
    ]


# The fields a row's verdict form shows, in the order of the form.
ROW_FIELDS = ("status", "owner", "due_date", "notes", "justification")
# The attributes a field's widget takes from its validators' flags (WTForms' Input.validation_attrs).
LIMIT_FLAGS = ("maxlength", "min", "max")


class RowForms:
    """The verdict forms of the gap-analysis list, rendered from each row's saved verdict.

    Building and rendering a RequirementForm per row took most of the page's time (65-72 forms, ~70 ms),
    yet every row's form differs only by its prefix and values. What they share is read once, from one
    RequirementForm: the CSRF token, each field's label, and its attributes (limits, rows, data-*); the
    status <option> lists are made once per (verdict, not applicable offered). The macro ``row_form``
    (templates/gap/_macros.html) writes the same fields, names and ids as ``verdict_form``; a POST is
    still read and validated by RequirementForm, and a refused row is re-rendered from that form.
    """

    def __init__(self) -> None:
        form = RequirementForm(formdata=None)
        # Absent when CSRF is off (as in most tests): then no row renders a token either, as before.
        self.csrf_token: str | None = form.csrf_token.current_token if "csrf_token" in form else None
        self.labels = {name: str(form[name].label.text) for name in ROW_FIELDS}
        self.attributes = {name: _widget_attributes(form[name]) for name in ROW_FIELDS}

    @staticmethod
    def status_options(status: str, may_be_not_applicable: bool) -> Markup:
        """The <option>s of a row's status list, the saved one selected (in the reader's language)."""
        return _status_options(status, may_be_not_applicable, str(get_locale()))


def _widget_attributes(field: Field) -> Markup:
    """The attributes a field's widget adds beside id, name and value: its render_kw and its limits."""
    attributes = dict(field.render_kw or {})
    for flag in LIMIT_FLAGS:
        value = getattr(field.flags, flag)
        if value is not None:
            attributes[flag] = value
    return Markup(html_params(**attributes))  # noqa: S704 (html_params escapes every value, as widgets do)


@lru_cache(maxsize=128)  # a handful of lists per language, the same for every row and request
def _status_options(status: str, may_be_not_applicable: bool, locale: str) -> Markup:
    return Markup("").join(
        Markup('<option{} value="{}">{}</option>').format(
            Markup(" selected") if value == status else "", value, label
        )
        for value, label in offered_statuses(may_be_not_applicable, status)
    )


class FilterForm(Form):
    """The filter bar (a GET form, so no CSRF token)."""

    section = SelectField(_l("Section"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)


# The section filter's value for every section at once (?section=all).
ALL_SECTIONS = "all"


class Filters(NamedTuple):
    """The list's filters. ``section`` is a section number or ALL_SECTIONS; None until the view resolves
    it (:func:`shown_filters`), when the request named no known section."""

    section: str | None = None
    status: str | None = None

    @property
    def one_section(self) -> str | None:
        """The section to load, or None for every section."""
        return None if self.section == ALL_SECTIONS else self.section


def clean_filters(project: CertificationProject, section: str | None, status: str | None) -> Filters:
    """Keep a filter value only if it is known; anything else counts as not given."""
    known = section in project.standard.sections or section == ALL_SECTIONS
    return Filters(section if known else None, status if status in VERDICT_LABELS else None)


def shown_filters(filters: Filters, by_section: Mapping[str, Readiness]) -> Filters:
    """The filters with the section the page shows. Without a section: every section when a status is
    chosen (a short list across the standard), else the first section with work left (section_to_show).
    Every link and form of the page then carries that section, so saving a verdict comes back to it."""
    if filters.section is not None:
        return filters
    if filters.status is not None:
        return filters._replace(section=ALL_SECTIONS)
    return filters._replace(section=section_to_show(by_section) or ALL_SECTIONS)


def return_filters(filters: Filters, number: str) -> Filters:
    """Where a saved (or refused) verdict of requirement ``number`` returns: the filters its form carried,
    but always a page that holds the requirement, so its anchor is there (its own section, unless the
    form came from the page of every section)."""
    if filters.section in (section_of(number), ALL_SECTIONS):
        return filters
    if filters.section is None and filters.status is not None:
        return filters._replace(section=ALL_SECTIONS)
    return filters._replace(section=section_of(number))


def filter_form(analysis: GapAnalysis, filters: Filters) -> FilterForm:
    form = FilterForm(data={"section": filters.section or ALL_SECTIONS, "status": filters.status or ""})
    counts = analysis.overall
    form.section.choices = select_choices(
        [
            (ALL_SECTIONS, _("All sections")),
            *(
                (number, f"{number} {analysis.titles.get(number, '')} ({readiness.total})")
                for number, readiness in analysis.by_section.items()
            ),
        ]
    )
    form.status.choices = select_choices(
        [
            ("", _("All statuses")),
            *((value, f"{label} ({getattr(counts, value)})") for value, label in VERDICT_LABELS.items()),
        ]
    )
    return form
