"""The certification body form. It reads what was typed; the rules (a name, the sector codes, the email,
the website, the days to close a major) are checked by the service with
:mod:`app.domain.certification_bodies`, and its messages are shown beside the fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import ValidationError

from app.domain import certification_bodies as rules
from app.domain.certification import find_accreditation_body
from app.domain.text import _l
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import CertificationBody
from app.services.bodies import BodyFields

ACCREDITATION_CHOICES = [
    ("", _l("Choose the accreditation body…")),
    *rules.accreditation_choices(),
    (rules.OTHER, _l("Other (type it)")),
]
# Where the service's refusal of a field is shown.
ERROR_FIELDS = {"accreditation_body": "accreditation_other"}


class BodyForm(FlaskForm):
    name = TrimmedStringField(
        _l("Name"), description=_l("As on its certificates, e.g. “Example Certification Asia”.")
    )
    accreditation_choice = SelectField(
        _l("Accreditation body"),
        choices=select_choices(ACCREDITATION_CHOICES),
        validate_choice=False,
        description=_l("The body that accredits it, from the IAF MLA signatories. Buyers check this."),
    )
    accreditation_other = TrimmedStringField(
        _l("Accreditation body not on the list"),
        description=_l(
            "Only with “Other (type it)”: its name as the certification body gives it. It is kept, "
            "and shown with a warning to check it on IAF CertSearch."
        ),
    )
    accreditation_number = TrimmedStringField(_l("Accreditation number"))
    sector_codes = TrimmedStringField(
        _l("IAF sector codes it is accredited for"), description=_l("Numbers from 1 to 39, e.g. “14, 19”.")
    )
    contact_name = TrimmedStringField(_l("Contact person"))
    contact_email = TrimmedStringField(_l("Contact email"))
    website = TrimmedStringField(
        _l("Website"), description=_l("Where its certificates can be checked, starting with https://.")
    )
    major_deadline_days = TrimmedStringField(
        _l("Days it gives to close a major nonconformity"),
        default="90",
        description=_l("From 1 to 365; the register's deadline for its major findings."),
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], render_kw={"rows": 3})
    version = VersionField()  # the body's version when the edit form was read

    def validate_accreditation_choice(self, field: SelectField) -> None:
        known = {value for value, _ in ACCREDITATION_CHOICES}
        if field.data not in known:
            raise ValidationError(_l("Choose an accreditation body from the list, or “Other (type it)”."))

    def validate_accreditation_other(self, field: TrimmedStringField) -> None:
        if self.accreditation_choice.data == rules.OTHER and not field.data:
            raise ValidationError(_l("Type the accreditation body's name, or choose one from the list."))

    def accreditation(self) -> str:
        """The accreditation body recorded: the acronym chosen, else the name typed."""
        choice = self.accreditation_choice.data or ""
        return choice if choice not in ("", rules.OTHER) else self.accreditation_other.data or ""

    def fields(self) -> BodyFields:
        days = self.major_deadline_days.data or ""
        return BodyFields(
            name=self.name.data or "",
            accreditation_body=self.accreditation(),
            accreditation_number=self.accreditation_number.data or "",
            sector_codes=self.sector_codes.data or "",
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            website=self.website.data or "",
            major_deadline_days=int(days) if days.isascii() and days.isdigit() and len(days) < 6 else None,
            notes=self.notes.data or "",
        )

    def add_errors(self, errors: Mapping[str, str]) -> None:
        """Show the service's refusals beside their fields."""
        for name, message in errors.items():
            field = getattr(self, ERROR_FIELDS.get(name, name), None)
            if field is not None:
                field.errors = [*field.errors, message]


def body_data(body: CertificationBody) -> dict[str, Any]:
    """A saved body as the edit form shows it, with the version it was read at."""
    found = find_accreditation_body(body.accreditation_body)
    if found:
        choice, other = found.acronym, ""
    else:
        choice, other = (rules.OTHER, body.accreditation_body) if body.accreditation_body else ("", "")
    return {
        "name": body.name,
        "accreditation_choice": choice,
        "accreditation_other": other,
        "accreditation_number": body.accreditation_number,
        "sector_codes": body.sector_codes,
        "contact_name": body.contact_name,
        "contact_email": body.contact_email,
        "website": body.website,
        "major_deadline_days": str(body.major_deadline_days),
        "notes": body.notes,
        "version": body.version,
    }
