"""The forms of the external audit pages: an audit (new and edited) and a finding of the certification body.

The forms only read what was typed; the rules (days in order, a held audit over, the decision after stage 2,
a body of the workspace) are checked by :mod:`app.services.external_audits` with
:mod:`app.domain.certification`, and its messages are shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.domain import certification as rules
from app.domain import nonconformities as nc
from app.domain.ids import is_id
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import CertificationBody, ExternalAudit
from app.services.external_audits import AuditFields
from app.services.findings import FindingFields

KIND_CHOICES = select_choices(
    [("", _l("Choose the audit…")), *((k.value, v) for k, v in rules.KIND_LABELS.items())]
)
HELD_CHOICES = select_choices([("scheduled", _l("Scheduled")), ("held", _l("Held"))])
REPORT_HELP = _l(
    "The report's summary. For stage 1: the areas of concern to resolve before stage 2 (leave empty if none)."
)
FINDING_SEVERITIES = select_choices(
    [("", _l("Choose the severity…")), *((s.value, label) for s, label in nc.SEVERITY_LABELS.items())]
)


def _text(label: str, rows: int = 3, **kwargs: Any) -> TextAreaField:
    return TextAreaField(label, filters=[strip_filter], render_kw={"rows": rows}, **kwargs)


def _day(label: str, **kwargs: Any) -> DateField:
    return DateField(label, validators=[Optional()], **kwargs)


def body_choices(bodies: Sequence[CertificationBody], project_body: CertificationBody | None) -> list[Any]:
    first = (
        _("The project's body (%(body)s)", body=project_body.name) if project_body else _("None recorded yet")
    )
    return select_choices([("", first), *((str(b.id), b.name) for b in bodies)])


class AuditForm(FieldErrors, FlaskForm):
    kind = SelectField(_l("Audit"), choices=KIND_CHOICES, validate_choice=False)
    body_id = SelectField(_l("Certification body"), validate_choice=False)
    starts_on = _day(_l("First day"))
    ends_on = _day(_l("Last day"))
    held = RadioField(
        _l("Held or scheduled"), choices=HELD_CHOICES, default="scheduled", validate_choice=False
    )
    auditors = TrimmedStringField(
        _l("Auditors"), description=_l("The body's audit team, e.g. “Ms Hoa (lead), Mr Tam”.")
    )
    report = _text(_l("Report"), 4, description=REPORT_HELP)
    concerns_resolved_on = _day(
        _l("Stage 1 concerns resolved on"),
        description=_l("Stage 1 only: the day its areas of concern were resolved."),
    )
    decision_on = _day(
        _l("Certification decision on"),
        description=_l(
            "Stage 2 or recertification: the day the body decided to certify (not before it ended)."
        ),
    )
    notes = _text(_l("Notes"), 2)
    version = VersionField()  # the audit's version when the edit form was read

    def setup(self, bodies: Sequence[CertificationBody], project_body: CertificationBody | None) -> AuditForm:
        self.body_id.choices = body_choices(bodies, project_body)
        return self

    def body(self) -> int | None:
        """The chosen body's id; None for the project's. A value that is no id reads as 0 (no body)."""
        text = self.body_id.data or ""
        if not text:
            return None
        return int(text) if is_id(text) else 0

    def fields(self) -> AuditFields:
        return AuditFields(
            kind=self.kind.data or "",
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            held=self.held.data == "held",
            body_id=self.body(),
            auditors=self.auditors.data or "",
            report=self.report.data or "",
            concerns_resolved_on=self.concerns_resolved_on.data,
            decision_on=self.decision_on.data,
            notes=self.notes.data or "",
        )


def audit_data(audit: ExternalAudit) -> dict[str, Any]:
    """A saved audit as the edit form shows it, with the version it was read at."""
    return {
        "kind": audit.kind,
        "body_id": str(audit.body_id) if audit.body_id else "",
        "starts_on": audit.starts_on,
        "ends_on": audit.ends_on,
        "held": "held" if audit.held else "scheduled",
        "auditors": audit.auditors,
        "report": audit.report,
        "concerns_resolved_on": audit.concerns_resolved_on,
        "decision_on": audit.decision_on,
        "notes": audit.notes,
        "version": audit.version,
    }


class BodyFindingForm(FieldErrors, FlaskForm):
    """A finding of the certification body at this audit; raised on the audit's last day."""

    severity = SelectField(_l("Severity"), choices=FINDING_SEVERITIES, validate_choice=False)
    clause_number = TrimmedStringField(
        _l("Clause"), description=_l("The requirement it does not meet, e.g. 7.1.5.1.")
    )
    description = _text(_l("Finding"), 3, description=_l("As the body's report words it."))
    deadline = _day(
        _l("Deadline"),
        description=_l("The body's. Left empty, a major is due the body's number of days after the audit."),
    )
    action_owner = TrimmedStringField(_l("Action owner"), description=_l("Optional."))

    def fields(self) -> FindingFields:
        return FindingFields(
            source=nc.Source.EXTERNAL_AUDIT,
            severity=self.severity.data or "",
            description=self.description.data or "",
            raised_on=None,  # the audit's last day
            clause_number=self.clause_number.data or "",
            deadline=self.deadline.data,
            action_owner=self.action_owner.data or "",
        )
