"""The quote form and the accept / decline buttons' form. The quote form reads what was typed; the rules
(a body of the workspace, the day received, days and amounts as numbers in the project's currency) are
checked by the service with :mod:`app.domain.certification_bodies`, and its messages shown beside the
fields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.domain.audit_days import format_days
from app.domain.money import format_amount
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import CertificationBody, Quote
from app.projects.forms import chosen_body_id
from app.services.quotes import QuoteFields


class QuoteForm(FieldErrors, FlaskForm):
    body_id = SelectField(_l("Certification body"), coerce=chosen_body_id, validate_choice=False)
    received_on = DateField(_l("Received on"), validators=[Optional()])
    audit_days = TrimmedStringField(
        _l("Audit days, stage 1 and 2"),
        description=_l("Both stages together, as the quote gives them, e.g. 4.5."),
    )
    surveillance_days = TrimmedStringField(
        _l("Days of each surveillance audit"),
        description=_l("If the quote gives them; they become budget lines."),
    )
    day_rate = TrimmedStringField(_l("Day rate"))
    fees = TrimmedStringField(
        _l("Fees"), description=_l("Application, certificate and other fees; 0 if none.")
    )
    travel = TrimmedStringField(
        _l("Travel"), description=_l("Travel and lodging of the auditors; 0 if none.")
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], render_kw={"rows": 3})
    version = VersionField()  # the quote's version when the edit form was read

    def fields(self) -> QuoteFields:
        return QuoteFields(
            body_id=self.body_id.data,  # None: not chosen; -1: no id (refused by the service)
            received_on=self.received_on.data,
            audit_days=self.audit_days.data or "",
            surveillance_days=self.surveillance_days.data or "",
            day_rate=self.day_rate.data or "",
            fees=self.fees.data or "",
            travel=self.travel.data or "",
            notes=self.notes.data or "",
        )


def quote_form(
    bodies: Sequence[CertificationBody], currency: str, *, data: dict[str, Any] | None = None, **kwargs: Any
) -> QuoteForm:
    """The form with the bodies the user may choose and the amounts' labels in the project's currency."""
    form = QuoteForm(data=data, **kwargs)
    form.body_id.choices = select_choices(
        [("", _("Choose the certification body…")), *((str(body.id), body.name) for body in bodies)]
    )
    for name in ("day_rate", "fees", "travel"):
        form[name].label.text = f"{form[name].label.text} ({currency})"
    return form


def quote_data(quote: Quote, minor_unit: Decimal) -> dict[str, Any]:
    """A saved quote as the edit form shows it, with the version it was read at."""

    def amount(value: Decimal) -> str:
        return format_amount(value, minor_unit).replace(",", "")

    return {
        "body_id": quote.body_id,
        "received_on": quote.received_on,
        "audit_days": format_days(quote.audit_days),
        "surveillance_days": format_days(quote.surveillance_days) if quote.surveillance_days else "",
        "day_rate": amount(quote.day_rate),
        "fees": amount(quote.fees),
        "travel": amount(quote.travel),
        "notes": quote.notes,
        "version": quote.version,
    }


def new_quote_data(today: date, body_id: int | None) -> dict[str, Any]:
    return {"received_on": today, "body_id": body_id, "fees": "0", "travel": "0"}


class DecisionForm(FlaskForm):
    """Accept or decline: the version of the quote the user saw."""

    version = VersionField()
