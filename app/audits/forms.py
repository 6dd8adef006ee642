"""The forms of the audit pages: an audit's plan, the steps (start, report, close) and a checklist line.

The forms only read what was typed; the rules (dates, scope, team, independence, a line's notes) are checked
by :mod:`app.services.audits` with :mod:`app.domain.audits`, and their messages are shown beside the fields.
A posted id that is no id at all is passed on as one nobody has, so it is refused like a stranger's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Optional

from app.domain import audits as rules
from app.domain.text import _, _l, ngettext
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import AuditLine, InternalAudit, Person
from app.services.audits import AuditFields, LineFields, ReportValues
from app.training.forms import posted_id

NUMBER_SEPARATORS = re.compile(r"[,;\s]+")


def scope_numbers(text: str) -> list[str]:
    """ "4, 5.1; 8.5" (commas, semicolons or spaces between) -> ["4", "5.1", "8.5"]."""
    return [number for number in NUMBER_SEPARATORS.split(text) if number]


class AuditForm(FieldErrors, FlaskForm):
    title = TrimmedStringField(_l("Title"), description=_l("e.g. “Production, warehouse and purchasing”."))
    planned_start = DateField(_l("Starts on"), validators=[Optional()])
    planned_end = DateField(_l("Ends on"), validators=[Optional()])
    scope = TrimmedStringField(
        _l("Scope"),
        description=_l(
            "Sections or clauses of the standard, separated by commas, e.g. 4, 5.1, 8.5. A section "
            "covers every clause under it. The checklist gets one line per requirement in scope."
        ),
    )
    departments = TextAreaField(
        _l("Departments visited"),
        filters=[strip_filter],
        render_kw={"rows": 2},
        description=_l(
            "Separated by commas or one per line, as on the staff list: an auditor may not audit "
            "their own department."
        ),
    )
    lead_auditor_id = SelectField(_l("Lead auditor"), validate_choice=False)
    team = SelectMultipleField(_l("Audit team"), validate_choice=False)
    # Its description names the small-site head count: set by setup(), in the reader's language.
    independence_reason = TextAreaField(
        _l("Why someone audits their own department"), filters=[strip_filter], render_kw={"rows": 2}
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], render_kw={"rows": 2})
    version = VersionField()  # the audit's version when the edit form was read

    def setup(self, people: Iterable[tuple[str, Sequence[Person]]]) -> AuditForm:
        self.independence_reason.description = ngettext(
            "Only at a site of %(num)d person or fewer, where nobody independent can audit it.",
            "Only at a site of %(num)d people or fewer, where nobody independent can audit it.",
            rules.SMALL_SITE_EMPLOYEES,
        )
        choices = [("", _("Choose the lead auditor…"))]
        for department, members in people:
            choices += [(str(p.id), f"{p.name} ({department})" if department else p.name) for p in members]
        self.lead_auditor_id.choices = select_choices(choices)
        return self

    def fields(self) -> AuditFields:
        lead = self.lead_auditor_id.data or ""
        return AuditFields(
            title=self.title.data or "",
            planned_start=self.planned_start.data,
            planned_end=self.planned_end.data,
            scope=scope_numbers(self.scope.data or ""),
            departments=self.departments.data or "",
            lead_auditor_id=posted_id(lead) if lead else None,
            team_ids=[posted_id(value) for value in self.team.data or []],
            independence_reason=self.independence_reason.data or "",
            notes=self.notes.data or "",
        )


def audit_form_data(audit: InternalAudit) -> dict[str, Any]:
    """A saved audit as the edit form shows it, with the version it was read at."""
    return {
        "title": audit.title,
        "planned_start": audit.planned_start,
        "planned_end": audit.planned_end,
        "scope": ", ".join(clause.number for clause in audit.scope),
        "departments": audit.departments,
        "lead_auditor_id": str(audit.lead_auditor_id or ""),
        "team": [str(person.id) for person in audit.team],
        "independence_reason": audit.independence_reason,
        "notes": audit.notes,
        "version": audit.version,
    }


class StepForm(FieldErrors, FlaskForm):
    """Start or close an audit; prefixed with the step, so the forms of the page never share an id."""

    version = VersionField()  # the audit's


class ReportForm(StepForm):
    reported_on = DateField(_l("Report date"), validators=[Optional()], description=_l("Not in the future."))
    summary = TextAreaField(
        _l("Conclusion"),
        filters=[strip_filter],
        render_kw={"rows": 4},
        description=_l(
            "What the audit concluded about the system in scope, for the report and the management review."
        ),
    )

    def values(self) -> ReportValues:
        return ReportValues(self.reported_on.data, self.summary.data or "")


STEP_FORMS: dict[str, type[StepForm]] = {
    rules.Transition.START: StepForm,
    rules.Transition.REPORT: ReportForm,
    rules.Transition.CLOSE: StepForm,
}


class ChecklistForm(FlaskForm):
    """The checklist page's one form (its CSRF token); each line's fields are a :class:`LineForm`."""


class LineForm(FieldErrors, FlaskForm):
    """One checklist line, prefixed with its id (the page's one form carries the CSRF token)."""

    class Meta:
        csrf = False

    result = SelectField(
        _l("Result"), choices=select_choices(rules.RESULT_LABELS.items()), validate_choice=False
    )
    notes = TextAreaField(
        _l("What was found"),
        filters=[strip_filter],
        render_kw={"rows": 2},
        description=_l(
            "Required for a nonconformity or an observation: it becomes the finding's description."
        ),
    )
    evidence = SelectMultipleField(_l("Evidence checked"), validate_choice=False)
    version = VersionField()  # the line's

    def setup(self, choices: Iterable[tuple[int, str]]) -> LineForm:
        self.evidence.choices = select_choices((str(i), title) for i, title in choices)
        return self

    def fields(self) -> LineFields:
        return LineFields(
            result=self.result.data or "",
            notes=self.notes.data or "",
            evidence_ids=[posted_id(value) for value in self.evidence.data or []],
        )


def line_prefix(line_id: int) -> str:
    return f"line-{line_id}"


def line_form_data(line: AuditLine, evidence_ids: Iterable[int]) -> dict[str, Any]:
    return {
        "result": line.result,
        "notes": line.notes,
        "evidence": [str(i) for i in evidence_ids],
        "version": line.version,
    }
