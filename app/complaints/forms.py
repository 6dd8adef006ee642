"""The forms of the complaint pages: a complaint (new and edited), closing it, the ISO 13485 reportability
decision, linking a nonconformity or raising one, and the list's filters; and the words and badge colours
the pages show.

The forms only read what was typed; the rules (dates not in the future and in order, a closure and a
reason written as sentences, the report of a reportable complaint) are checked by
:mod:`app.services.complaints` with :mod:`app.domain.complaints`, and its messages shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.documents.forms import FilterSelect
from app.domain import complaints as rules
from app.domain import nonconformities as nc
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import Complaint
from app.services.complaints import ComplaintFilters, Decision, FindingRef

STATE_BADGES = {
    rules.ComplaintState.RECEIVED: "text-bg-danger",
    rules.ComplaintState.INVESTIGATING: "text-bg-warning",
    rules.ComplaintState.CLOSED: "text-bg-success",
}
REPORTABILITY_BADGES = {
    rules.Reportability.UNDECIDED: "text-bg-warning",
    rules.Reportability.REPORTABLE: "text-bg-info",
    rules.Reportability.NOT_REPORTABLE: "text-bg-light border",
}
UNKNOWN_BADGE = "text-bg-light border"
YES, NO = "yes", "no"
REPORTABLE_CHOICES = {
    YES: _l("Yes: it must be reported to a regulatory authority"),
    NO: _l("No: it need not be reported"),
}


def register_words(bp: Blueprint) -> None:
    """A complaint's state and reportability in words and badge colours, as template filters."""
    filters = {
        "complaint_state": lambda value: rules.STATE_LABELS.get(value, value),
        "complaint_state_badge": lambda value: STATE_BADGES.get(value, UNKNOWN_BADGE),
        "reportability": lambda value: rules.REPORTABILITY_LABELS.get(value, value),
        "reportability_badge": lambda value: REPORTABILITY_BADGES.get(value, UNKNOWN_BADGE),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)


def _text(label: str, rows: int = 3, **kwargs: Any) -> TextAreaField:
    return TextAreaField(label, filters=[strip_filter], render_kw={"rows": rows}, **kwargs)


def _day(label: str, **kwargs: Any) -> DateField:
    return DateField(label, validators=[Optional()], **kwargs)


class ComplaintForm(FieldErrors, FlaskForm):
    """A complaint as received, and its investigation."""

    received_on = _day(_l("Received on"), description=_l("Not in the future."))
    customer = TrimmedStringField(_l("Customer"))
    product = TrimmedStringField(
        _l("Product"), description=_l("The product or service it is about, e.g. a part number.")
    )
    description = _text(
        _l("Complaint"), 4, description=_l("What the customer reports, in their words where possible.")
    )
    investigation = _text(
        _l("Investigation"),
        3,
        description=_l(
            "What was checked and found (the cause, whether other batches are affected). "
            "Writing it moves the complaint to investigating."
        ),
    )
    version = VersionField()  # the complaint's version when the edit form was read

    def details(self) -> dict[str, Any]:
        return {
            "received_on": self.received_on.data,
            "customer": self.customer.data or "",
            "product": self.product.data or "",
            "description": self.description.data or "",
            "investigation": self.investigation.data or "",
        }


def complaint_data(complaint: Complaint) -> dict[str, Any]:
    return {
        "received_on": complaint.received_on,
        "customer": complaint.customer,
        "product": complaint.product,
        "description": complaint.description,
        "investigation": complaint.investigation,
        "version": complaint.version,
    }


class CloseForm(FieldErrors, FlaskForm):
    closed_on = _day(_l("Closed on"), description=_l("Not in the future, nor before it was received."))
    closure = _text(
        _l("How it was closed"), 3, description=_l("The answer given to the customer, and what was done.")
    )
    version = VersionField()


class ReportabilityForm(FieldErrors, FlaskForm):
    """The ISO 13485 8.2.3 decision; a reportable complaint's report."""

    reportable = RadioField(
        _l("Must it be reported to a regulatory authority?"),
        choices=select_choices(REPORTABLE_CHOICES.items()),
        validate_choice=False,
    )
    reportability_reason = _text(_l("Why"), 2, description=_l("The reason for the decision, as a sentence."))
    authority = TrimmedStringField(
        _l("Authority"), description=_l("Only if reportable, e.g. the Medical Device Authority.")
    )
    reported_on = _day(_l("Reported on"), description=_l("Only if reportable."))
    report_reference = TrimmedStringField(_l("Report reference"), description=_l("Only if reportable."))
    version = VersionField()

    def decision(self) -> Decision:
        answer = {YES: True, NO: False}.get(self.reportable.data or "")
        return Decision(
            reportable=answer,
            reason=self.reportability_reason.data or "",
            authority=self.authority.data or "",
            reported_on=self.reported_on.data,
            report_reference=self.report_reference.data or "",
        )


def reportability_data(complaint: Complaint) -> dict[str, Any]:
    answer = None if complaint.reportable is None else YES if complaint.reportable else NO
    return {
        "reportable": answer,
        "reportability_reason": complaint.reportability_reason,
        "authority": complaint.authority,
        "reported_on": complaint.reported_on,
        "report_reference": complaint.report_reference,
        "version": complaint.version,
    }


class LinkForm(FieldErrors, FlaskForm):
    finding_id = SelectField(_l("Nonconformity"), validate_choice=False)
    version = VersionField()

    def chosen(self) -> int | None:
        """The id chosen; none for "no nonconformity", 0 (no finding has it) for anything not an id."""
        text = (self.finding_id.data or "").strip()
        if not text:
            return None
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else 0


def link_form(complaint: Complaint, findings: list[FindingRef], posted: LinkForm | None = None) -> LinkForm:
    form = posted or LinkForm(
        formdata=None,
        prefix="link",
        data={"finding_id": str(complaint.finding_id or ""), "version": complaint.version},
    )
    form.finding_id.choices = select_choices(
        [
            ("", _("None")),
            *(
                (str(f.id), _("%(finding)s: %(state)s", finding=f.label, state=str(f.state_label).lower()))
                for f in findings
            ),
        ]
    )
    return form


class RaiseForm(FieldErrors, FlaskForm):
    severity = SelectField(
        _l("Severity"),
        choices=select_choices((str(k), v) for k, v in nc.SEVERITY_LABELS.items()),
        validate_choice=False,
    )
    description = _text(
        _l("Nonconformity"), 3, description=_l("What does not conform, as the register will show it.")
    )
    version = VersionField()


def raise_data(complaint: Complaint) -> dict[str, Any]:
    return {
        "severity": nc.Severity.MINOR.value,
        "description": _(
            "Customer complaint from %(customer)s about %(product)s: %(description)s",
            customer=complaint.customer,
            product=complaint.product,
            description=complaint.description,
        ),
        "version": complaint.version,
    }


# The list's filters


def _choices(first: str, labels: Mapping[Any, str]) -> tuple[tuple[str, str], ...]:
    return (("", first), *((str(value), text) for value, text in labels.items()))


STATE_FILTER = _choices(_l("Every state"), rules.STATE_FILTER_LABELS)
REPORTABILITY_FILTER = _choices(_l("Any decision"), rules.REPORTABILITY_LABELS)


def clean_filters(args: Mapping[str, str]) -> tuple[ComplaintFilters, list[str]]:
    """The filters that name something that exists, and a notice for each that does not (shown, and
    ignored)."""
    notices = []
    state, reportability = args.get("state") or None, args.get("reportability") or None
    if state is not None and state not in rules.STATE_FILTER_LABELS:
        notices.append(_("There is no state “%(state)s”: every state is shown.", state=state))
        state = None
    if reportability is not None and reportability not in set(rules.Reportability):
        notices.append(
            _("There is no reportability “%(value)s”: every decision is shown.", value=reportability)
        )
        reportability = None
    product = (args.get("product") or "").strip() or None
    return ComplaintFilters(state=state, product=product, reportability=reportability), notices


def filter_bar(filters: ComplaintFilters, products: list[str], medical: bool) -> dict[str, FilterSelect]:
    shown = (
        products if filters.product is None or filters.product in products else [*products, filters.product]
    )
    bar = {
        "state": FilterSelect("state", _("State"), STATE_FILTER, filters.state or ""),
        "product": FilterSelect(
            "product",
            _("Product"),
            (("", _("Every product")), *((p, p) for p in shown)),
            filters.product or "",
        ),
    }
    if medical:
        bar["reportability"] = FilterSelect(
            "reportability", _("Reportability (8.2.3)"), REPORTABILITY_FILTER, filters.reportability or ""
        )
    return bar
