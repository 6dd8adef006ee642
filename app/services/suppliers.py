"""The approved-supplier list of a project: its page of suppliers (filtered, a fixed number of queries), a
supplier added or edited on the version read, its evaluations recorded (the supplier's status and last
evaluation kept from them, so lists filter and count in SQL), and the register's state. Shared by the pages
and the API; the rules are :mod:`app.domain.suppliers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from app.domain import suppliers as rules
from app.domain.pathway import StandardFamily, standard_family
from app.domain.permissions import Action
from app.domain.registers import Concern, RecordKind, RegisterKey, RegisterState, state
from app.domain.text import _, _l, ngettext
from app.extensions import db
from app.models import CertificationProject, Supplier, SupplierEvaluation
from app.services import register_records as records
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Invalid, NotFound, StaleVersion
from app.services.register_states import PROJECT_ID, counted
from app.services.scope import Scope, get_or_404_in

KIND = RecordKind.SUPPLIER
NOT_SAVED = _l("The supplier was not saved.")


@dataclass
class SupplierFields:
    """What a user types for a supplier; ``reevaluate_months`` as typed."""

    name: str
    supplies: str
    risk_class: str = ""  # "": not classified (refused for ISO 13485)
    reevaluate_months: str = str(rules.DEFAULT_MONTHS)
    criteria: str = ""
    controls: str = ""
    contact: str = ""


@dataclass
class EvaluationFields:
    """An evaluation as typed; ``score`` as typed ("" for none)."""

    evaluated_on: date | None
    evaluated_by: str
    outcome: str
    notes: str
    score: str = ""


# What the history names a changed field.
FIELD_LABELS: Mapping[str, str] = {
    "name": "name",
    "supplies": "supplies",
    "criteria": "criteria",
    "risk_class": "risk class",
    "controls": "controls",
    "reevaluate_months": "re-evaluation interval",
    "contact": "contact",
}


@dataclass(frozen=True)
class SupplierRow:
    """One line of the approved-supplier list."""

    id: int
    name: str
    supplies: str
    risk_class: str
    status: str
    last_evaluated_on: date | None
    reevaluate_months: int
    due: date | None
    overdue: bool


@dataclass(frozen=True)
class ListFilters:
    status: str | None = None  # a key of rules.STATUS_FILTER_LABELS ("overdue" among them)
    risk_class: str | None = None  # a rules.RiskClass

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the pager's links)."""
        args = {"status": self.status, "risk_class": self.risk_class}
        return {name: value for name, value in args.items() if value}


def family_of(project: CertificationProject) -> StandardFamily:
    return standard_family(project.standard.code)


# Reading


def row_of(supplier: Supplier, today: date) -> SupplierRow:
    return SupplierRow(
        id=supplier.id,
        name=supplier.name,
        supplies=supplier.supplies,
        risk_class=supplier.risk_class,
        status=supplier.status,
        last_evaluated_on=supplier.last_evaluated_on,
        reevaluate_months=supplier.reevaluate_months,
        due=rules.next_due(supplier.status, supplier.last_evaluated_on, supplier.reevaluate_months),
        overdue=rules.is_overdue(
            supplier.status, supplier.last_evaluated_on, supplier.reevaluate_months, today
        ),
    )


def _overdue(today: date) -> Any:
    """:func:`rules.is_overdue` in SQL: the last evaluation before the day that makes it overdue at the
    supplier's own interval (one CASE branch per allowed interval)."""
    months = range(rules.MIN_MONTHS, rules.MAX_MONTHS + 1)
    threshold = case(
        *((Supplier.reevaluate_months == m, rules.overdue_before(today, m)) for m in months),
        else_=None,
    )
    return and_(
        Supplier.status.in_((rules.SupplierStatus.APPROVED, rules.SupplierStatus.CONDITIONAL)),
        Supplier.last_evaluated_on < threshold,
    )


def _conditions(project_id: int, filters: ListFilters, today: date) -> list[Any]:
    conditions: list[Any] = [Supplier.project_id == project_id]
    if filters.status == rules.OVERDUE:
        conditions.append(_overdue(today))
    elif filters.status:
        conditions.append(Supplier.status == filters.status)
    if filters.risk_class:
        conditions.append(Supplier.risk_class == filters.risk_class)
    return conditions


def supplier_page(
    project_id: int, filters: ListFilters, page: int, per_page: int, today: date
) -> tuple[list[SupplierRow], int]:
    """One page of the list, by name; and how many suppliers the filters keep. Two queries."""
    conditions = _conditions(project_id, filters, today)
    total = db.session.execute(select(func.count()).select_from(Supplier).where(*conditions)).scalar_one()
    rows = db.session.execute(
        select(Supplier)
        .where(*conditions)
        .order_by(Supplier.name_key, Supplier.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).scalars()
    return [row_of(supplier, today) for supplier in rows], total


def supplier_in(scope: Scope, project: CertificationProject, supplier_id: int) -> Supplier:
    """A supplier of this project the scope may see, with its evaluations, or NotFound (2 queries)."""
    supplier = get_or_404_in(scope, Supplier, supplier_id, selectinload(Supplier.evaluations))
    if supplier.project_id != project.id:
        raise NotFound()
    return supplier


@lru_cache(maxsize=4)
def _state_query(today: date) -> Any:
    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    status = rules.SupplierStatus
    return select(
        func.count(Supplier.id),
        count(Supplier.status == status.NOT_EVALUATED),
        count(_overdue(today)),
        count(Supplier.status == status.CONDITIONAL),
        count(Supplier.status == status.BLOCKED),
    ).where(Supplier.project_id == PROJECT_ID)


def state_query(project: CertificationProject, today: date) -> Any:
    """The list's count and what needs attention: one row of aggregates."""
    return _state_query(today)


def state_from(project: CertificationProject, row: tuple[Any, ...]) -> RegisterState:
    total, not_evaluated, overdue, conditional, blocked = (int(value) for value in row)
    status = rules.SupplierStatus
    clause = rules.EVALUATION_CLAUSE[family_of(project)]
    concerns = (
        Concern(
            not_evaluated,
            _("not evaluated"),
            action=ngettext(
                "Evaluate the %(num)d supplier not yet evaluated (%(clause)s)",
                "Evaluate the %(num)d suppliers not yet evaluated (%(clause)s)",
                not_evaluated,
                clause=clause,
            ),
            query=(("status", status.NOT_EVALUATED.value),),
        ),
        Concern(
            overdue,
            _("re-evaluation overdue"),
            action=ngettext(
                "Re-evaluate the %(num)d supplier whose evaluation is overdue",
                "Re-evaluate the %(num)d suppliers whose evaluation is overdue",
                overdue,
            ),
            query=(("status", rules.OVERDUE),),
        ),
        Concern(conditional, _("conditional"), urgent=False, query=(("status", status.CONDITIONAL.value),)),
        Concern(blocked, _("blocked"), urgent=False, query=(("status", status.BLOCKED.value),)),
    )
    return state(RegisterKey.SUPPLIERS, total, concerns)


def register_state(project: CertificationProject, today: date) -> RegisterState:
    """The list's count and what needs attention, in one query of aggregates."""
    return state_from(project, counted(state_query(project, today), project.id))


# Saving


def _checked(
    project: CertificationProject, fields: SupplierFields, supplier: Supplier | None
) -> dict[str, Any]:
    months = rules.parse_whole(fields.reevaluate_months)
    errors = rules.supplier_errors(
        name=fields.name,
        supplies=fields.supplies,
        criteria=fields.criteria,
        risk_class=fields.risk_class,
        controls=fields.controls,
        months=months,
        contact=fields.contact,
        family=family_of(project),
    )
    key = rules.fold_name(fields.name)
    if "name" not in errors and _name_taken(project, key, supplier):
        errors["name"] = rules.name_taken_message(fields.name)
    if errors:
        raise Invalid(str(NOT_SAVED), errors)
    return {
        "name": fields.name.strip(),
        "name_key": key,
        "supplies": fields.supplies,
        "criteria": fields.criteria,
        "risk_class": fields.risk_class,
        "controls": fields.controls,
        "reevaluate_months": months,
        "contact": fields.contact,
    }


def _name_taken(project: CertificationProject, key: str, supplier: Supplier | None) -> bool:
    stmt = select(Supplier.id).where(Supplier.project_id == project.id, Supplier.name_key == key)
    if supplier is not None:
        stmt = stmt.where(Supplier.id != supplier.id)
    return db.session.execute(stmt.limit(1)).first() is not None


def _unique_name(name: str) -> AbstractContextManager[None]:
    """Two saves racing past the check above: the one that loses is refused beside the name."""
    return refused_if_taken(str(NOT_SAVED), "name", rules.name_taken_message(name))


def create_supplier(scope: Scope, project: CertificationProject, fields: SupplierFields) -> Supplier:
    scope.require(Action.EDIT_CONTENT)
    values = _checked(project, fields, None)
    supplier = Supplier(project_id=project.id, evaluations=[], **values)
    with _unique_name(fields.name):
        db.session.add(supplier)
    records.log(scope, project.id, KIND, supplier.id, f"Added to the supplier list: {_supplies(supplier)}.")
    return supplier


def _supplies(supplier: Supplier) -> str:
    first_line = supplier.supplies.strip().splitlines()[0] if supplier.supplies.strip() else ""
    return f"{supplier.name}, supplying {first_line[:120]}"


def update_supplier(
    scope: Scope,
    project: CertificationProject,
    supplier: Supplier,
    fields: SupplierFields,
    version: int | None,
) -> None:
    """Save the supplier as edited from the copy read at ``version``."""
    scope.require(Action.EDIT_CONTENT)
    try:
        check_version(supplier, version)
    except StaleVersion:
        raise StaleVersion(supplier, "supplier") from None
    values = _checked(project, fields, supplier)
    before = {name: getattr(supplier, name) for name in FIELD_LABELS}
    names = records.changed(before, values, FIELD_LABELS)
    if not names:
        return
    with _unique_name(fields.name):
        for name, value in values.items():
            if getattr(supplier, name) != value:
                setattr(supplier, name, value)
    records.log(scope, project.id, KIND, supplier.id, f"Changed the {_joined(names)}.")


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def add_evaluation(
    scope: Scope, project: CertificationProject, supplier: Supplier, fields: EvaluationFields, today: date
) -> SupplierEvaluation:
    """Record an evaluation; the supplier's status and last evaluation follow its latest one."""
    scope.require(Action.EDIT_CONTENT)
    score = rules.parse_whole(fields.score)
    errors = rules.evaluation_errors(
        evaluated_on=fields.evaluated_on,
        evaluated_by=fields.evaluated_by,
        outcome=fields.outcome,
        score=score,
        score_typed=fields.score,
        notes=fields.notes,
        today=today,
    )
    if errors:
        raise Invalid(_("The evaluation was not saved."), errors)
    assert fields.evaluated_on is not None  # checked above
    evaluation = SupplierEvaluation(
        evaluated_on=fields.evaluated_on,
        evaluated_by=fields.evaluated_by,
        outcome=fields.outcome,
        score=score if fields.score.strip() else None,
        notes=fields.notes,
    )
    supplier.evaluations.append(evaluation)
    db.session.flush()
    status, last = rules.status_of(
        [rules.Evaluation(e.id, e.evaluated_on, e.outcome) for e in supplier.evaluations]
    )
    supplier.status, supplier.last_evaluated_on = status.value, last
    db.session.flush()  # the supplier's new version, for the answer's ETag
    summary = rules.evaluation_summary(
        evaluation.evaluated_on, evaluation.evaluated_by, evaluation.outcome, evaluation.score
    )
    records.log(scope, project.id, KIND, supplier.id, summary)
    return evaluation


def fields_of(supplier: Supplier) -> dict[str, Any]:
    """A saved supplier as the edit form shows it, with the version it was read at."""
    return {
        "name": supplier.name,
        "supplies": supplier.supplies,
        "criteria": supplier.criteria,
        "risk_class": supplier.risk_class,
        "controls": supplier.controls,
        "reevaluate_months": str(supplier.reevaluate_months),
        "contact": supplier.contact,
        "version": supplier.version,
    }


def evaluations_newest_first(supplier: Supplier) -> list[SupplierEvaluation]:
    return sorted(supplier.evaluations, key=lambda e: (e.evaluated_on, e.id), reverse=True)
