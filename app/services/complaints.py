"""The customer complaint register of a project: the list (filtered, open first, paginated), recording a
complaint, editing it on the version read, closing it, the ISO 13485 reportability decision, linking it to
a nonconformity of the findings register or raising one from it, and the register's state. Shared by the
pages and the API; the rules are :mod:`app.domain.complaints`.

Every change is judged on the complaint as a whole, as it would be saved, and refused whole
(:class:`~app.services.errors.Invalid` per field) or saved whole, with a line in its history.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, select

from app.domain import complaints as rules
from app.domain import nonconformities as nc
from app.domain.ids import is_id_in_range
from app.domain.pathway import StandardFamily, standard_family
from app.domain.permissions import Action
from app.domain.registers import Concern, RecordKind, RegisterKey, RegisterState, state
from app.domain.text import _, _l, ngettext
from app.extensions import db
from app.models import CertificationProject, Complaint, Finding
from app.services import findings as finding_service
from app.services.changes import check_version
from app.services.errors import Invalid, NotFound
from app.services.findings import FindingFields
from app.services.register_records import changed, log
from app.services.register_states import PROJECT_ID, counted
from app.services.scope import Scope, get_or_404_in

NOT_SAVED = _l("The complaint was not saved: correct what is marked.")
FINDING_CHOICES = 200  # the newest findings a complaint may be linked to from its page
PRODUCT_CHOICES = 200  # the products the list's filter offers
DETAIL_FIELDS = ("received_on", "customer", "product", "description", "investigation")
REPORT_FIELDS = ("reportable", "reportability_reason", "authority", "reported_on", "report_reference")
LABELS = {
    "received_on": "date received",
    "customer": "customer",
    "product": "product",
    "description": "description",
    "investigation": "investigation",
}
FOREIGN_FINDING = _l("Choose a nonconformity of this project's register.")


def is_medical(project: CertificationProject) -> bool:
    """ISO 13485: the complaint register keeps the reportability decision (8.2.3)."""
    return standard_family(project.standard.code) is StandardFamily.ISO_13485


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


# Lookups


def complaint_in(scope: Scope, project: CertificationProject, complaint_id: int) -> Complaint:
    """A complaint of this project the scope may see, or NotFound (one query)."""
    complaint = get_or_404_in(scope, Complaint, complaint_id)
    if complaint.project_id != project.id:
        raise NotFound()
    return complaint


@dataclass(frozen=True)
class FindingRef:
    """The nonconformity a complaint is linked to, as its page and the API show it."""

    id: int
    label: str
    state: str

    @property
    def state_label(self) -> str:
        return nc.STATE_LABELS.get(nc.FindingState(self.state), self.state)


def _finding_ref(row: Any) -> FindingRef:
    return FindingRef(row.id, nc.label(row.id, row.severity, row.clause_number), row.status)


_FINDING_COLUMNS = (Finding.id, Finding.severity, Finding.clause_number, Finding.status)


def linked_finding(complaint: Complaint) -> FindingRef | None:
    if complaint.finding_id is None:
        return None
    row = db.session.execute(select(*_FINDING_COLUMNS).where(Finding.id == complaint.finding_id)).first()
    return _finding_ref(row) if row else None


def finding_choices(project: CertificationProject) -> list[FindingRef]:
    """The project's findings a complaint may be linked to, the newest first."""
    rows = db.session.execute(
        select(*_FINDING_COLUMNS)
        .where(Finding.project_id == project.id)
        .order_by(Finding.raised_on.desc(), Finding.id.desc())
        .limit(FINDING_CHOICES)
    )
    return [_finding_ref(row) for row in rows]


def _finding_of(project: CertificationProject, finding_id: int | None) -> Finding | None:
    """None for none; a finding of this project; anything else is refused beside ``finding_id``."""
    if finding_id is None:
        return None
    found = None
    if is_id_in_range(finding_id):
        found = db.session.get(Finding, finding_id)
    if found is None or found.project_id != project.id:
        raise Invalid(str(NOT_SAVED), {"finding_id": str(FOREIGN_FINDING)})
    return found


# Saving


def values_of(complaint: Complaint) -> rules.ComplaintValues:
    return rules.ComplaintValues(
        received_on=complaint.received_on,
        customer=complaint.customer,
        product=complaint.product,
        description=complaint.description,
        investigation=complaint.investigation,
        closed_on=complaint.closed_on,
        closure=complaint.closure,
        reportable=complaint.reportable,
        reportability_reason=complaint.reportability_reason,
        authority=complaint.authority,
        reported_on=complaint.reported_on,
        report_reference=complaint.report_reference,
    )


def _trimmed(values: rules.ComplaintValues) -> rules.ComplaintValues:
    texts: dict[str, Any] = {
        name: value.strip() for name, value in asdict(values).items() if isinstance(value, str)
    }
    return replace(values, **texts)


def _checked(
    project: CertificationProject,
    values: rules.ComplaintValues,
    today: date,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The complaint's columns as they will be saved, or Invalid with every fault (and ``errors``)."""
    values = _trimmed(values)
    found = rules.complaint_errors(values, today, is_medical(project)) | (errors or {})
    if found:
        raise Invalid(str(NOT_SAVED), found)
    return asdict(values)


def create_complaint(
    scope: Scope,
    project: CertificationProject,
    values: rules.ComplaintValues,
    today: date,
    finding_id: int | None = None,
) -> Complaint:
    """Record a complaint; the API may record one already investigated, decided or closed."""
    scope.require(Action.EDIT_CONTENT)
    finding, errors = None, {}
    try:
        finding = _finding_of(project, finding_id)
    except Invalid as invalid:
        errors = invalid.fields
    checked = _checked(project, values, today, errors)
    complaint = Complaint(project_id=project.id, finding_id=finding.id if finding else None, **checked)
    db.session.add(complaint)
    db.session.flush()
    summary = (
        f"Received on {day_text(complaint.received_on)} from {complaint.customer} about {complaint.product}."
    )
    log(scope, project.id, RecordKind.COMPLAINT, complaint.id, summary)
    if complaint.closed_on is not None:
        _log_closed(scope, complaint)
    if finding is not None:
        _log_link(scope, complaint, finding, linked=True)
    return complaint


def _apply(complaint: Complaint, checked: dict[str, Any]) -> None:
    for name, value in checked.items():
        if getattr(complaint, name) != value:
            setattr(complaint, name, value)


def _save(
    scope: Scope,
    project: CertificationProject,
    complaint: Complaint,
    changes: dict[str, Any],
    version: int | None,
    today: date,
) -> dict[str, Any]:
    """Check the version read, then the complaint as it would be with ``changes``; returns what it was."""
    scope.require(Action.EDIT_CONTENT)
    check_version(complaint, version, "complaint")
    before = asdict(values_of(complaint))
    checked = _checked(project, replace(values_of(complaint), **changes), today)
    _apply(complaint, checked)
    return before


def update_details(
    scope: Scope,
    project: CertificationProject,
    complaint: Complaint,
    details: dict[str, Any],
    version: int | None,
    today: date,
) -> None:
    """Change what was received and the investigation (``DETAIL_FIELDS``)."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not a detail of a complaint: {', '.join(sorted(unknown))}")
    before = _save(scope, project, complaint, details, version, today)
    names = changed(before, asdict(values_of(complaint)), LABELS)
    if names:
        started = not before["investigation"] and complaint.investigation
        what = (
            "Investigation recorded"
            if started and names == ["investigation"]
            else "Changed the " + ", ".join(names)
        )
        log(scope, project.id, RecordKind.COMPLAINT, complaint.id, f"{what}.")


def _log_closed(scope: Scope | None, complaint: Complaint) -> None:
    assert complaint.closed_on is not None
    summary = f"Closed on {day_text(complaint.closed_on)}: {complaint.closure}"
    log(scope, complaint.project_id, RecordKind.COMPLAINT, complaint.id, summary)


def close(
    scope: Scope,
    project: CertificationProject,
    complaint: Complaint,
    closed_on: date | None,
    closure: str,
    version: int | None,
    today: date,
) -> None:
    scope.require(Action.EDIT_CONTENT)
    check_version(complaint, version, "complaint")
    if complaint.closed_on is not None:
        raise Invalid(_("The complaint is already closed."))
    if closed_on is None:
        raise Invalid(str(NOT_SAVED), {"closed_on": _("Give the date the complaint was closed.")})
    _save(scope, project, complaint, {"closed_on": closed_on, "closure": closure or ""}, version, today)
    _log_closed(scope, complaint)


@dataclass(frozen=True)
class Decision:
    """The ISO 13485 8.2.3 decision, and the report when the complaint is reportable."""

    reportable: bool | None
    reason: str = ""
    authority: str = ""
    reported_on: date | None = None
    report_reference: str = ""


def decide_reportability(
    scope: Scope,
    project: CertificationProject,
    complaint: Complaint,
    decision: Decision,
    version: int | None,
    today: date,
) -> None:
    changes = {
        "reportable": decision.reportable,
        "reportability_reason": decision.reason,
        "authority": decision.authority,
        "reported_on": decision.reported_on,
        "report_reference": decision.report_reference,
    }
    if not is_medical(project):
        raise Invalid(str(rules.NOT_MEDICAL))
    if decision.reportable is None:
        raise Invalid(str(NOT_SAVED), {"reportable": str(rules.UNDECIDED)})
    _save(scope, project, complaint, changes, version, today)
    if complaint.reportable:
        assert complaint.reported_on is not None
        summary = (
            f"Reportable: reported to {complaint.authority} on {day_text(complaint.reported_on)} "
            f"(reference {complaint.report_reference})."
        )
    else:
        summary = f"Not reportable to the regulator: {complaint.reportability_reason}"
    log(scope, project.id, RecordKind.COMPLAINT, complaint.id, summary)


def _log_link(scope: Scope | None, complaint: Complaint, finding: Finding, linked: bool) -> None:
    named = nc.label(finding.id, finding.severity, finding.clause_number)
    summary = f"Linked to {named}." if linked else f"Unlinked from {named}."
    log(scope, complaint.project_id, RecordKind.COMPLAINT, complaint.id, summary)


def link_finding(
    scope: Scope,
    project: CertificationProject,
    complaint: Complaint,
    finding_id: int | None,
    version: int | None,
) -> Finding | None:
    """Link the complaint to a finding of this project (None: unlink)."""
    scope.require(Action.EDIT_CONTENT)
    check_version(complaint, version, "complaint")
    finding = _finding_of(project, finding_id)
    if complaint.finding_id == (finding.id if finding else None):
        return finding
    previous = db.session.get(Finding, complaint.finding_id) if complaint.finding_id else None
    complaint.finding_id = finding.id if finding else None
    if previous is not None:
        _log_link(scope, complaint, previous, linked=False)
    if finding is not None:
        _log_link(scope, complaint, finding, linked=True)
    return finding


def raise_finding(
    scope: Scope,
    project: CertificationProject,
    complaint: Complaint,
    severity: str,
    description: str,
    version: int | None,
    today: date,
) -> Finding:
    """Raise a nonconformity from the complaint through the findings register, and link it."""
    scope.require(Action.EDIT_CONTENT)
    check_version(complaint, version, "complaint")
    if complaint.finding_id is not None:
        message = _("The complaint is already linked to a nonconformity: unlink it first to raise another.")
        raise Invalid(message)
    fields = FindingFields(
        source=nc.Source.CUSTOMER_COMPLAINT, severity=severity, description=description, raised_on=today
    )
    finding = finding_service.create_finding(scope, project, fields, today)
    complaint.finding_id = finding.id
    named = nc.label(finding.id, finding.severity, finding.clause_number)
    log(scope, project.id, RecordKind.COMPLAINT, complaint.id, f"Raised {named} from this complaint.")
    return finding


# The register's list


@dataclass(frozen=True)
class ComplaintFilters:
    state: str | None = None  # a key of rules.STATE_FILTER_LABELS
    product: str | None = None  # exactly as recorded
    reportability: str | None = None  # a rules.Reportability

    def query_args(self) -> dict[str, str]:
        args = {"state": self.state, "product": self.product, "reportability": self.reportability}
        return {name: value for name, value in args.items() if value}


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    label: str
    received_on: date
    customer: str
    product: str
    state: str
    closed_on: date | None
    days_open: int
    late: bool
    reportability: str
    finding_id: int | None


def _conditions(project_id: int, filters: ComplaintFilters, today: date) -> list[Any]:
    conditions: list[Any] = [Complaint.project_id == project_id]
    is_open = Complaint.closed_on.is_(None)
    has_investigation = func.length(func.trim(Complaint.investigation)) > 0
    by_state: dict[str, list[Any]] = {
        rules.OPEN: [is_open],
        rules.LATE: [is_open, Complaint.received_on < rules.late_before(today)],
        rules.ComplaintState.RECEIVED: [is_open, ~has_investigation],
        rules.ComplaintState.INVESTIGATING: [is_open, has_investigation],
        rules.ComplaintState.CLOSED: [Complaint.closed_on.is_not(None)],
    }
    if filters.state:
        conditions += by_state[filters.state]
    if filters.product:
        conditions.append(Complaint.product == filters.product)
    if filters.reportability:
        wanted = rules.Reportability(filters.reportability)
        conditions.append(
            Complaint.reportable.is_(None)
            if wanted is rules.Reportability.UNDECIDED
            else Complaint.reportable.is_(wanted is rules.Reportability.REPORTABLE)
        )
    return conditions


_ROW_COLUMNS = (
    Complaint.id,
    Complaint.received_on,
    Complaint.customer,
    Complaint.product,
    Complaint.investigation,
    Complaint.closed_on,
    Complaint.reportable,
    Complaint.finding_id,
)


def row_of(row: Any, today: date) -> ComplaintRow:
    """A complaint (or a row of its columns) as a line of the register."""
    return ComplaintRow(
        id=row.id,
        label=rules.label(row.id, row.customer),
        received_on=row.received_on,
        customer=row.customer,
        product=row.product,
        state=rules.state_of(row.investigation, row.closed_on),
        closed_on=row.closed_on,
        days_open=rules.days_open(row.received_on, row.closed_on, today),
        late=rules.is_late(row.received_on, row.closed_on, today),
        reportability=rules.reportability_of(row.reportable),
        finding_id=row.finding_id,
    )


def complaint_page(
    project: CertificationProject, filters: ComplaintFilters, page: int, per_page: int, today: date
) -> tuple[list[ComplaintRow], int]:
    """One page of the register: the open complaints first, the oldest of them first, then the closed ones,
    the latest closed first; and how many the filters keep. Two queries, whatever the register holds."""
    conditions = _conditions(project.id, filters, today)
    total = db.session.execute(select(func.count()).select_from(Complaint).where(*conditions)).scalar_one()
    is_open = Complaint.closed_on.is_(None)
    stmt = (
        select(*_ROW_COLUMNS)
        .where(*conditions)
        .order_by(
            case((is_open, 0), else_=1),
            case((is_open, Complaint.received_on), else_=None),  # all null among the closed
            Complaint.closed_on.desc(),  # all null among the open
            Complaint.id.desc(),
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return [row_of(row, today) for row in db.session.execute(stmt)], total


def products(project: CertificationProject) -> list[str]:
    """The products the project's complaints are about, for the list's filter (one query)."""
    stmt = (
        select(Complaint.product)
        .where(Complaint.project_id == project.id)
        .distinct()
        .order_by(Complaint.product)
        .limit(PRODUCT_CHOICES)
    )
    return list(db.session.execute(stmt).scalars())


# The register's state


def register_state(project: CertificationProject, today: date) -> RegisterState:
    """The count of complaints; urgent: those open for more than 30 days and, for ISO 13485, those whose
    reportability is not decided; the open ones as information. One aggregate query."""
    return state_from(project, counted(state_query(project, today), project.id))


@lru_cache(maxsize=4)
def _state_query(today: date) -> Any:
    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    is_open = Complaint.closed_on.is_(None)
    return select(
        func.count(Complaint.id),
        count(is_open),
        count(is_open & (Complaint.received_on < rules.late_before(today))),
        count(Complaint.reportable.is_(None)),
    ).where(Complaint.project_id == PROJECT_ID)


def state_query(project: CertificationProject, today: date) -> Any:
    """The complaints, the open ones, those open too long and those undecided: one row of aggregates."""
    return _state_query(today)


def state_from(project: CertificationProject, row: tuple[Any, ...]) -> RegisterState:
    total, still_open, late, undecided = (int(value) for value in row)
    concerns = [
        Concern(
            late,
            _("open for more than %(days)d days", days=rules.LATE_AFTER_DAYS),
            action=ngettext(
                "Close or progress the %(num)d complaint open for more than %(days)d days",
                "Close or progress the %(num)d complaints open for more than %(days)d days",
                late,
                days=rules.LATE_AFTER_DAYS,
            ),
            query=(("state", rules.LATE),),
        )
    ]
    if is_medical(project):
        concerns.append(
            Concern(
                undecided,
                _("reportability not decided"),
                action=ngettext(
                    "Decide whether the %(num)d complaint must be reported to the regulator (8.2.3)",
                    "Decide whether the %(num)d complaints must be reported to the regulator (8.2.3)",
                    undecided,
                ),
                query=(("reportability", rules.Reportability.UNDECIDED.value),),
            )
        )
    concerns.append(Concern(still_open, _("open"), urgent=False, query=(("state", rules.OPEN),)))
    return state(RegisterKey.COMPLAINTS, total, concerns)
