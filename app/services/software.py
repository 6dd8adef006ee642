"""A project's QMS software validation list (ISO 13485 4.1.6, 7.5.6, 7.6): applications listed (filtered by
state and risk, what needs attention first), added, edited on the version read, validated and retired.
Shared by the pages and the API; the rules are :mod:`app.domain.software`. The list and the register's
state read the state in SQL (:func:`_state`, the domain's :func:`rules.state` written as a CASE), so their
cost does not grow with the list.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from app.domain import software as rules
from app.domain.permissions import Action
from app.domain.registers import Concern, RecordKind, RegisterKey, RegisterState, state
from app.domain.software import SoftwareFacts, SoftwareState
from app.domain.text import _, _l, ngettext
from app.extensions import db
from app.models import CertificationProject, SoftwareValidation
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Invalid, NotFound
from app.services.register_records import changed, log
from app.services.register_states import PROJECT_ID, counted
from app.services.scope import Scope, get_or_404_in

WHAT = "application"
LABELS = {
    "name": "name",
    "version_label": "version in use",
    "intended_use": "intended use",
    "risk": "risk",
    "approach": "validation approach",
}
NOT_SAVED = _l("The application was not saved.")


@dataclass
class SoftwareFields:
    name: str
    intended_use: str
    risk: str
    version_label: str = ""
    approach: str = ""


@dataclass
class ValidationFields:
    validated_on: date | None
    validated_version: str
    result: str
    revalidate_by: date | None = None


@dataclass(frozen=True)
class ListFilters:
    state: str | None = None  # a rules.SoftwareState
    risk: str | None = None  # a rules.Risk

    def query_args(self) -> dict[str, str]:
        return {name: value for name, value in (("state", self.state), ("risk", self.risk)) if value}


@dataclass(frozen=True)
class SoftwareRow:
    id: int
    name: str
    version_label: str
    risk: str
    state: SoftwareState
    validated_on: date | None
    validated_version: str
    revalidate_by: date | None


def facts_of(row: Any) -> SoftwareFacts:
    """A loaded application (or a row with its columns) as the rules read it."""
    return SoftwareFacts(
        retired=row.retired,
        validated_on=row.validated_on,
        validated_version=row.validated_version,
        version_label=row.version_label,
        revalidate_by=row.revalidate_by,
    )


def row_of(software: Any, today: date) -> SoftwareRow:
    return SoftwareRow(
        id=software.id,
        name=software.name,
        version_label=software.version_label,
        risk=software.risk,
        state=rules.state(facts_of(software), today),
        validated_on=software.validated_on,
        validated_version=software.validated_version,
        revalidate_by=software.revalidate_by,
    )


def _state(today: date) -> ColumnElement[str]:
    """:func:`rules.state` in SQL."""
    s = SoftwareValidation
    return case(
        (s.retired.is_(True), SoftwareState.RETIRED.value),
        (s.validated_on.is_(None), SoftwareState.NOT_VALIDATED.value),
        (s.version_label != s.validated_version, SoftwareState.CHANGED.value),
        (s.revalidate_by < today, SoftwareState.REVALIDATION_DUE.value),
        else_=SoftwareState.VALIDATED.value,
    )


COLUMNS = (
    SoftwareValidation.id,
    SoftwareValidation.name,
    SoftwareValidation.version_label,
    SoftwareValidation.risk,
    SoftwareValidation.retired,
    SoftwareValidation.validated_on,
    SoftwareValidation.validated_version,
    SoftwareValidation.revalidate_by,
)


def list_page(
    project_id: int, filters: ListFilters, page: int, per_page: int, today: date
) -> tuple[list[SoftwareRow], int]:
    """One page of the list, what needs attention first then by name, and how many the filters keep
    (two queries)."""
    current = _state(today)
    conditions: list[Any] = [SoftwareValidation.project_id == project_id]
    if filters.state:
        conditions.append(current == filters.state)
    if filters.risk:
        conditions.append(SoftwareValidation.risk == filters.risk)
    total = db.session.execute(
        select(func.count()).select_from(SoftwareValidation).where(*conditions)
    ).scalar_one()
    order = case({s.value: rank for s, rank in rules.STATE_ORDER.items()}, value=current)
    stmt = (
        select(*COLUMNS)
        .where(*conditions)
        .order_by(order, SoftwareValidation.name_key, SoftwareValidation.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return [row_of(row, today) for row in db.session.execute(stmt)], total


def register_state(project: CertificationProject, today: date) -> RegisterState:
    """The applications in use and those that need validating (one query)."""
    return state_from(project, counted(state_query(project, today), project.id))


@lru_cache(maxsize=4)
def _state_query(today: date) -> Any:
    current = _state(today)

    def count(wanted: SoftwareState) -> Any:
        return func.coalesce(func.sum(case((current == wanted.value, 1), else_=0)), 0)

    return select(
        func.coalesce(func.sum(case((SoftwareValidation.retired.is_(False), 1), else_=0)), 0),
        count(SoftwareState.NOT_VALIDATED),
        count(SoftwareState.REVALIDATION_DUE),
        count(SoftwareState.CHANGED),
    ).where(SoftwareValidation.project_id == PROJECT_ID)


def state_query(project: CertificationProject, today: date) -> Any:
    """The applications in use, and those not validated, due or changed: one row of aggregates."""
    return _state_query(today)


def state_from(project: CertificationProject, row: tuple[Any, ...]) -> RegisterState:
    in_use, not_validated, due, changed_since = row

    def concern(count: int, label: str, action: str, wanted: SoftwareState) -> Concern:
        return Concern(int(count), label, action=action, query=(("state", wanted.value),))

    return state(
        RegisterKey.SOFTWARE,
        int(in_use),
        (
            concern(
                not_validated,
                _("not validated"),
                ngettext(
                    "Validate the QMS application not yet validated (4.1.6)",
                    "Validate the %(num)d QMS applications not yet validated (4.1.6)",
                    int(not_validated),
                ),
                SoftwareState.NOT_VALIDATED,
            ),
            concern(
                due,
                _("revalidation due"),
                ngettext(
                    "Revalidate the QMS application whose revalidation is due (4.1.6)",
                    "Revalidate the %(num)d QMS applications whose revalidation is due (4.1.6)",
                    int(due),
                ),
                SoftwareState.REVALIDATION_DUE,
            ),
            concern(
                changed_since,
                _("changed since validation"),
                ngettext(
                    "Validate the new version of the QMS application changed since validation (4.1.6)",
                    "Validate the new version of the %(num)d QMS applications changed since validation "
                    "(4.1.6)",
                    int(changed_since),
                ),
                SoftwareState.CHANGED,
            ),
        ),
    )


# One application


def software_in(scope: Scope, project: CertificationProject, software_id: int) -> SoftwareValidation:
    """An application of this project the scope may see, or NotFound (one query)."""
    software = get_or_404_in(scope, SoftwareValidation, software_id)
    if software.project_id != project.id:
        raise NotFound()
    return software


def _checked(fields: SoftwareFields) -> dict[str, Any]:
    errors = rules.software_errors(
        fields.name, fields.version_label, fields.intended_use, fields.risk, fields.approach
    )
    if errors:
        raise Invalid(str(NOT_SAVED), errors)
    return asdict(fields)


def _taken(name: str) -> str:
    return _("“%(name)s” is already on this project's list.", name=name)


def _key_free(project_id: int, name: str, own_id: int | None = None) -> str:
    key = rules.name_key(name)
    other = db.session.execute(
        select(SoftwareValidation.id).where(
            SoftwareValidation.project_id == project_id, SoftwareValidation.name_key == key
        )
    ).scalar_one_or_none()
    if other is not None and other != own_id:
        raise Invalid(str(NOT_SAVED), {"name": _taken(name)})
    return key


def create_software(
    scope: Scope, project: CertificationProject, fields: SoftwareFields
) -> SoftwareValidation:
    scope.require(Action.EDIT_CONTENT)
    values = _checked(fields)
    software = SoftwareValidation(
        project_id=project.id, name_key=_key_free(project.id, fields.name), **values
    )
    with refused_if_taken(NOT_SAVED, "name", _taken(fields.name)):
        db.session.add(software)
    risk = rules.RISK_LABELS[rules.Risk(software.risk)].lower()
    log(scope, project.id, RecordKind.SOFTWARE, software.id, f"Listed “{software.name}” ({risk} risk).")
    return software


def update_software(
    scope: Scope, software: SoftwareValidation, fields: SoftwareFields, version: int | None
) -> None:
    """Save the application as edited from the copy read at ``version``."""
    scope.require(Action.EDIT_CONTENT)
    check_version(software, version, WHAT)
    values = _checked(fields)
    key = _key_free(software.project_id, fields.name, software.id)
    names = changed({name: getattr(software, name) for name in values}, values, LABELS)
    if not names:
        return
    with refused_if_taken(NOT_SAVED, "name", _taken(fields.name)):
        for name, value in values.items():
            setattr(software, name, value)
        software.name_key = key
    listed = names[0] if len(names) == 1 else f"{', the '.join(names[:-1])} and the {names[-1]}"
    log(scope, software.project_id, RecordKind.SOFTWARE, software.id, f"Changed the {listed}.")


def record_validation(
    scope: Scope, software: SoftwareValidation, fields: ValidationFields, version: int | None, today: date
) -> None:
    """Record a completed validation; the version validated becomes the version in use."""
    scope.require(Action.EDIT_CONTENT)
    check_version(software, version, WHAT)
    if software.retired:
        raise Invalid(str(rules.RETIRED_NOT_VALIDATED))
    errors = rules.validation_errors(
        fields.validated_on, fields.validated_version, fields.result, fields.revalidate_by, today
    )
    if errors:
        raise Invalid(_("The validation was not recorded."), errors)
    assert fields.validated_on is not None  # checked above
    for name, value in asdict(fields).items():
        setattr(software, name, value)
    software.version_label = fields.validated_version
    summary = f"Validated version {fields.validated_version} on {rules.day_text(fields.validated_on)}"
    if fields.revalidate_by is not None:
        summary += f"; to be revalidated by {rules.day_text(fields.revalidate_by)}"
    log(scope, software.project_id, RecordKind.SOFTWARE, software.id, f"{summary}.")


def retire(scope: Scope, software: SoftwareValidation, version: int | None) -> None:
    """Take an application out of use: it stays on the list, no longer counted."""
    scope.require(Action.EDIT_CONTENT)
    check_version(software, version, WHAT)
    if software.retired:
        raise Invalid(str(rules.ALREADY_RETIRED))
    software.retired = True
    log(scope, software.project_id, RecordKind.SOFTWARE, software.id, "Retired: no longer used in the QMS.")
