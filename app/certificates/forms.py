"""The forms of the certificate pages: a certificate of a client (new and edited), and an announced new
edition of a standard.

The forms only read what was typed; the rules (the client's own sites and projects, a body of the workspace,
a number the body has not given another certificate, dates in order, the expiry within three years of the
decision) are checked by :mod:`app.services.certificates` with :mod:`app.domain.certification`, and its
messages are shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, TextAreaField, widgets
from wtforms.validators import Optional

from app.domain import certification as rules
from app.domain.ids import is_id
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import Certificate, CertificationBody, CertificationProject, Site, Standard
from app.services.certificates import CertificateFields, TransitionFields

SUSPENSION_CHOICES = select_choices(
    [
        ("", _l("Neither")),
        ("suspended", _l("Suspended by the body")),
        ("withdrawn", _l("Withdrawn by the body")),
    ]
)


def _day(label: str, **kwargs: Any) -> DateField:
    return DateField(label, validators=[Optional()], **kwargs)


def _id(text: str | None) -> int | None:
    """A chosen id; empty is none, and anything that is no id reads as 0 (no such record)."""
    if not text:
        return None
    return int(text) if is_id(text) else 0


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CertificateForm(FieldErrors, FlaskForm):
    site_ids = CheckboxesField(_l("Sites covered"), validate_choice=False)
    project_id = SelectField(_l("Project"), validate_choice=False)
    body_id = SelectField(_l("Certification body"), validate_choice=False)
    standard_id = SelectField(_l("Standard"), validate_choice=False)
    number = TrimmedStringField(_l("Certificate number"), description=_l("As printed on the certificate."))
    scope = TextAreaField(
        _l("Scope"),
        filters=[strip_filter],
        render_kw={"rows": 3},
        description=_l("As the certificate words it."),
    )
    sector_codes = TrimmedStringField(
        _l("IAF sector codes"), description=_l("e.g. “14, 19”; may stay empty.")
    )
    original_on = _day(
        _l("Original certification"), description=_l("The day the client was first certified.")
    )
    decision_on = _day(
        _l("Certification decision"), description=_l("The decision this certificate's cycle runs from.")
    )
    issued_on = _day(_l("Issued on"))
    expires_on = _day(
        _l("Expires on"),
        description=_l("Left empty: the day before the third anniversary of the decision."),
    )
    suspension = SelectField(_l("Suspended or withdrawn"), choices=SUSPENSION_CHOICES, validate_choice=False)
    suspension_on = _day(_l("Since"), description=_l("The day the body suspended or withdrew it."))
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], render_kw={"rows": 2})
    version = VersionField()  # the certificate's version when the edit form was read

    def setup(
        self,
        sites: Sequence[Site],
        projects: Sequence[CertificationProject],
        bodies: Sequence[CertificationBody],
        standards: Sequence[Standard],
    ) -> CertificateForm:
        self.site_ids.choices = [(str(s.id), f"{s.name} — {s.address}") for s in sites]
        self.project_id.choices = select_choices(
            [("", _("None")), *((str(p.id), f"{p.standard.name} · {p.site.name}") for p in projects)]
        )
        self.body_id.choices = select_choices(
            [("", _("Choose the body…")), *((str(b.id), b.name) for b in bodies)]
        )
        self.standard_id.choices = select_choices(
            [
                ("", _("Choose the standard…")),
                *(
                    (str(s.id), _("%(name)s (edition %(edition)s)", name=s.name, edition=s.version))
                    for s in standards
                ),
            ]
        )
        return self

    def fields(self) -> CertificateFields:
        site_ids = [_id(text) for text in self.site_ids.data or []]
        return CertificateFields(
            site_ids=[site_id or 0 for site_id in site_ids],
            body_id=_id(self.body_id.data),
            standard_id=_id(self.standard_id.data),
            number=self.number.data or "",
            scope=self.scope.data or "",
            original_on=self.original_on.data,
            decision_on=self.decision_on.data,
            issued_on=self.issued_on.data,
            expires_on=self.expires_on.data,
            project_id=_id(self.project_id.data),
            sector_codes=self.sector_codes.data or "",
            suspension=self.suspension.data or "",
            suspension_on=self.suspension_on.data,
            notes=self.notes.data or "",
        )


def certificate_data(certificate: Certificate) -> dict[str, Any]:
    """A saved certificate as the edit form shows it, with the version it was read at."""
    return {
        "site_ids": [str(site.id) for site in certificate.sites],
        "project_id": str(certificate.project_id or ""),
        "body_id": str(certificate.body_id),
        "standard_id": str(certificate.standard_id),
        "number": certificate.number,
        "scope": certificate.scope,
        "sector_codes": certificate.sector_codes,
        "original_on": certificate.original_on,
        "decision_on": certificate.decision_on,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "suspension": certificate.suspension,
        "suspension_on": certificate.suspension_on,
        "notes": certificate.notes,
        "version": certificate.version,
    }


class TransitionForm(FieldErrors, FlaskForm):
    standard_code = SelectField(_l("Standard"), validate_choice=False)
    edition = TrimmedStringField(_l("New edition"), description=_l("e.g. “ISO 9001:2026”."))
    published_on = _day(_l("Published on"))
    deadline = _day(
        _l("Transition deadline"), description=_l("The day certificates to the previous edition lapse.")
    )

    def setup(self, codes: Sequence[tuple[str, str]]) -> TransitionForm:
        self.standard_code.choices = select_choices([("", _("Choose the standard…")), *codes])
        return self

    def fields(self) -> TransitionFields:
        return TransitionFields(
            standard_code=self.standard_code.data or "",
            edition=self.edition.data or "",
            published_on=self.published_on.data,
            deadline=self.deadline.data,
        )


STATUS_BADGES: dict[str, str] = {
    rules.CertificateStatus.VALID: "text-bg-success",
    rules.CertificateStatus.SUSPENDED: "text-bg-warning",
    rules.CertificateStatus.WITHDRAWN: "text-bg-danger",
    rules.CertificateStatus.EXPIRED: "text-bg-secondary",
}
