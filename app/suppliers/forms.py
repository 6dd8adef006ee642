"""The forms of the supplier pages: a supplier (new and edited), an evaluation, and the list's filters; and
the words and badge colours the pages show.

The forms only read what was typed; the rules (a name not on the list yet, an interval of 1 to 36 months,
ISO 13485's controls proportionate to risk, an evaluation not in the future with a real sentence) are checked
by :mod:`app.services.suppliers` with :mod:`app.domain.suppliers`, and its messages shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.documents.forms import FilterSelect
from app.domain import suppliers as rules
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.services.suppliers import EvaluationFields, ListFilters, SupplierFields

STATUS_BADGES: Mapping[str, str] = {
    rules.SupplierStatus.APPROVED: "text-bg-success",
    rules.SupplierStatus.CONDITIONAL: "text-bg-warning",
    rules.SupplierStatus.BLOCKED: "text-bg-danger",
    rules.SupplierStatus.NOT_EVALUATED: "text-bg-light border",
}
UNKNOWN_BADGE = "text-bg-light border"
NOT_CLASSIFIED = _l("Not classified")


def register_words(bp: Blueprint) -> None:
    """A supplier's status, an evaluation's outcome and a risk class in words, as template filters."""
    filters = {
        "supplier_status": lambda value: rules.STATUS_LABELS.get(value, value),
        "supplier_status_badge": lambda value: STATUS_BADGES.get(value, UNKNOWN_BADGE),
        "supplier_risk": lambda value: rules.RISK_LABELS.get(value, NOT_CLASSIFIED) if value else "—",
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)


def _text(label: str, rows: int = 2, **kwargs: Any) -> TextAreaField:
    return TextAreaField(label, filters=[strip_filter], render_kw={"rows": rows}, **kwargs)


RISK_CHOICES = select_choices([("", NOT_CLASSIFIED), *rules.RISK_LABELS.items()])
OUTCOME_CHOICES = select_choices([("", _l("Choose the outcome…")), *rules.OUTCOME_LABELS.items()])


class SupplierForm(FieldErrors, FlaskForm):
    name = TrimmedStringField(_l("Supplier"), description=_l("The company's name; one line per supplier."))
    supplies = _text(
        _l("What it supplies"), description=_l("e.g. “natural cork bark, graded”, “EO sterilisation”.")
    )
    criteria = _text(
        _l("Selection and evaluation criteria"),
        description=_l(
            "How it is chosen and judged, e.g. quality of lots received, delivery on time, price."
        ),
    )
    risk_class = SelectField(
        _l("Risk class"),
        choices=RISK_CHOICES,
        validate_choice=False,
        description=_l("The risk of what it supplies to the product; required for ISO 13485 (7.4.1)."),
    )
    controls = _text(
        _l("Controls"),
        description=_l(
            "Proportionate to the risk: incoming inspection, certificates of analysis, a quality "
            "agreement, audits. Required for a high-risk supplier under ISO 13485."
        ),
    )
    reevaluate_months = TrimmedStringField(_l("Re-evaluate every (months)"))  # described per form, below
    contact = TrimmedStringField(_l("Contact"), description=_l("Optional: a name, a phone or an address."))
    version = VersionField()  # the supplier's version when the edit form was read

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reevaluate_months.description = _(
            "%(min)d to %(max)d.", min=rules.MIN_MONTHS, max=rules.MAX_MONTHS
        )

    def fields(self) -> SupplierFields:
        return SupplierFields(
            name=self.name.data or "",
            supplies=self.supplies.data or "",
            criteria=self.criteria.data or "",
            risk_class=self.risk_class.data or "",
            controls=self.controls.data or "",
            reevaluate_months=self.reevaluate_months.data or "",
            contact=self.contact.data or "",
        )


class EvaluationForm(FieldErrors, FlaskForm):
    evaluated_on = DateField(
        _l("Evaluated on"), validators=[Optional()], description=_l("Not in the future.")
    )
    evaluated_by = TrimmedStringField(_l("Evaluated by"), description=_l("A name or a job title."))
    outcome = SelectField(_l("Outcome"), choices=OUTCOME_CHOICES, validate_choice=False)
    score = TrimmedStringField(
        _l("Score (%)"), description=_l("Optional, when the criteria are scored: 0 to 100.")
    )
    notes = _text(
        _l("What the evaluation found"),
        3,
        description=_l("e.g. the lots rejected, late deliveries, the conditions."),
    )

    def fields(self) -> EvaluationFields:
        return EvaluationFields(
            evaluated_on=self.evaluated_on.data,
            evaluated_by=self.evaluated_by.data or "",
            outcome=self.outcome.data or "",
            score=self.score.data or "",
            notes=self.notes.data or "",
        )


# The list's filters


STATUS_FILTER = (("", _l("Every status")), *rules.STATUS_FILTER_LABELS.items())
RISK_FILTER = (("", _l("Every risk class")), *rules.RISK_LABELS.items())


@dataclass(frozen=True)
class CleanFilters:
    filters: ListFilters
    ignored: tuple[str, ...]  # what was asked for but does not exist, said on the page


def clean_filters(args: Mapping[str, str]) -> CleanFilters:
    """Keep a filter only if it names something that exists; say which were not."""
    status, risk = args.get("status") or None, args.get("risk_class") or None
    ignored = []
    if status is not None and status not in rules.STATUS_FILTER_LABELS:
        ignored.append(_("There is no status “%(status)s”: every status is shown.", status=status))
        status = None
    if risk is not None and risk not in rules.RISK_LABELS:
        ignored.append(_("There is no risk class “%(risk)s”: every risk class is shown.", risk=risk))
        risk = None
    return CleanFilters(ListFilters(status=status, risk_class=risk), tuple(ignored))


def filter_bar(filters: ListFilters) -> dict[str, FilterSelect]:
    return {
        "status": FilterSelect("status", _("Status"), STATUS_FILTER, filters.status or ""),
        "risk_class": FilterSelect("risk_class", _("Risk class"), RISK_FILTER, filters.risk_class or ""),
    }
