"""The measuring equipment register of a project: instruments listed by status (in SQL, a fixed number of
queries whatever the register holds), added, edited on the version read, taken out of and back into service,
calibrated, and, when a calibration found one out of tolerance, the assessment of the results measured with
it before. Shared by the pages and the API; the rules are :mod:`app.domain.calibration`.

``Instrument.last_calibrated_on`` and ``Instrument.next_due`` mirror its latest calibration (by date, then
id): :func:`add_calibration` keeps them, so the register filters and counts on the instrument's own row.
Every change is logged on the instrument's history (:func:`app.services.register_records.log`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, case, exists, false, func, not_, select, true
from sqlalchemy.orm import selectinload

from app.domain import calibration as rules
from app.domain.calibration import InstrumentFacts, Status
from app.domain.ids import is_id_in_range
from app.domain.pathway import standard_family
from app.domain.permissions import Action
from app.domain.registers import RecordKind, RegisterKey, RegisterState, state
from app.domain.text import _
from app.extensions import db
from app.models import Calibration, CertificationProject, Instrument
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Invalid, NotFound
from app.services.register_records import changed, log
from app.services.register_states import PROJECT_ID, counted
from app.services.scope import Scope, get_or_404_in

KIND = RecordKind.INSTRUMENT
LOCATIONS_LIMIT = 200  # the locations the list's filter offers


@dataclass
class InstrumentFields:
    """What a user gives for an instrument; ``interval_months`` None when it was no whole number."""

    code: str
    description: str
    interval_months: int | None
    location: str = ""
    measuring_range: str = ""
    accuracy: str = ""
    traceability: str = ""


FIELD_LABELS = {
    "code": "code",
    "description": "description",
    "location": "location",
    "measuring_range": "measuring range",
    "accuracy": "accuracy",
    "interval_months": "calibration interval",
    "traceability": "traceability",
}


@dataclass
class CalibrationFields:
    calibrated_on: date | None
    next_due: date | None  # None: one interval after calibrated_on
    result: str
    performed_by: str
    certificate_ref: str = ""
    notes: str = ""


@dataclass
class AssessmentFields:
    assessed_on: date | None
    assessment: str
    assessment_action: str


@dataclass(frozen=True)
class RegisterFilters:
    status: Status | None = None
    location: str | None = None

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the pager's links)."""
        args = {"status": self.status, "location": self.location}
        return {name: str(value) for name, value in args.items() if value}


@dataclass(frozen=True)
class InstrumentRow:
    """One line of the register."""

    id: int
    code: str
    description: str
    location: str
    measuring_range: str
    accuracy: str
    interval_months: int
    last_calibrated_on: date | None
    next_due: date | None
    out_of_service: bool
    statuses: tuple[Status, ...]

    @property
    def status(self) -> Status:
        return self.statuses[0]


# Reading the register


def _unassessed() -> Any:
    """An instrument has a calibration out of tolerance whose earlier results are not assessed."""
    return exists().where(
        Calibration.instrument_id == Instrument.id,
        Calibration.result == rules.Result.OUT_OF_TOLERANCE,
        Calibration.assessed_on.is_(None),
    )


def status_conditions(today: date) -> dict[Status, Any]:
    """Each status of :func:`rules.statuses` as an SQL condition on an instrument (a test holds them to
    the rule)."""
    in_service = Instrument.out_of_service.is_(false())
    due = Instrument.next_due
    return {
        Status.OVERDUE: and_(in_service, due < today),
        Status.UNASSESSED: _unassessed(),
        Status.NOT_CALIBRATED: and_(in_service, due.is_(None)),
        Status.DUE: and_(in_service, due >= today, due <= rules.due_soon_until(today)),
        Status.IN_USE: and_(in_service, due > rules.due_soon_until(today), not_(_unassessed())),
        Status.OUT_OF_SERVICE: Instrument.out_of_service.is_(true()),
    }


def register_page(
    project_id: int, filters: RegisterFilters, page: int, per_page: int, today: date
) -> tuple[list[InstrumentRow], int]:
    """One page of the register, most urgent first (overdue, then not assessed, not calibrated, due soon,
    in use, out of service), then by next due date and code; and the number the filters keep. Two
    queries, whatever the size of the register."""
    conditions = status_conditions(today)
    where: list[Any] = [Instrument.project_id == project_id]
    if filters.status is not None:
        where.append(conditions[filters.status])
    if filters.location is not None:
        where.append(Instrument.location == filters.location)
    total = db.session.execute(select(func.count()).select_from(Instrument).where(*where)).scalar_one()
    urgency = case(*((conditions[s], index) for index, s in enumerate(Status)), else_=len(Status))
    rows = db.session.execute(
        select(Instrument, _unassessed().label("unassessed"))
        .where(*where)
        .order_by(urgency, Instrument.next_due.is_(None), Instrument.next_due, Instrument.code, Instrument.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return [row_of(instrument, today, bool(unassessed)) for instrument, unassessed in rows], total


def row_of(instrument: Instrument, today: date, unassessed: bool | None = None) -> InstrumentRow:
    """An instrument as a line of the register; ``unassessed`` read from its calibrations when not given."""
    if unassessed is None:
        unassessed = any(rules.needs_assessment(c.result, c.assessed_on) for c in instrument.calibrations)
    facts = InstrumentFacts(instrument.out_of_service, instrument.next_due, unassessed)
    return InstrumentRow(
        id=instrument.id,
        code=instrument.code,
        description=instrument.description,
        location=instrument.location,
        measuring_range=instrument.measuring_range,
        accuracy=instrument.accuracy,
        interval_months=instrument.interval_months,
        last_calibrated_on=instrument.last_calibrated_on,
        next_due=instrument.next_due,
        out_of_service=instrument.out_of_service,
        statuses=rules.statuses(facts, today),
    )


def locations(project_id: int) -> list[str]:
    """The project's instrument locations, for the list's filter (one query)."""
    return list(
        db.session.execute(
            select(Instrument.location)
            .where(Instrument.project_id == project_id, Instrument.location != "")
            .distinct()
            .order_by(Instrument.location)
            .limit(LOCATIONS_LIMIT)
        ).scalars()
    )


# The statuses the register's state counts, in the order of its query's columns (after the total).
STATE_COUNTED = tuple(s for s in Status if s in rules.CONCERN_LABELS)


@lru_cache(maxsize=4)
def _state_query(today: date) -> Any:
    conditions = status_conditions(today)
    return select(
        func.count(Instrument.id),
        *(func.coalesce(func.sum(case((conditions[s], 1), else_=0)), 0) for s in STATE_COUNTED),
    ).where(Instrument.project_id == PROJECT_ID)


def state_query(project: CertificationProject, today: date) -> Any:
    """The register's count and each status it is concerned with: one row of aggregates."""
    return _state_query(today)


def state_from(project: CertificationProject, row: tuple[Any, ...]) -> RegisterState:
    counts = {s: int(row[index + 1]) for index, s in enumerate(STATE_COUNTED)}
    family = standard_family(project.standard.code)
    return state(RegisterKey.EQUIPMENT, int(row[0]), rules.concerns(counts, family))


def register_state(project: CertificationProject, today: date) -> RegisterState:
    """The register's count and concerns (:func:`rules.concerns`), in one query of aggregates."""
    return state_from(project, counted(state_query(project, today), project.id))


def instrument_in(scope: Scope, project: CertificationProject, instrument_id: int) -> Instrument:
    """An instrument of this project the scope may see, with its calibrations, or NotFound (2 queries)."""
    instrument = get_or_404_in(scope, Instrument, instrument_id, selectinload(Instrument.calibrations))
    if instrument.project_id != project.id:
        raise NotFound()
    return instrument


def calibration_of(instrument: Instrument, calibration_id: int) -> Calibration:
    """One of the instrument's calibrations, or NotFound (another instrument's is not found)."""
    if is_id_in_range(calibration_id):
        for calibration in instrument.calibrations:
            if calibration.id == calibration_id:
                return calibration
    raise NotFound()


# Changing it


def _checked(project_id: int, fields: InstrumentFields, instrument_id: int | None) -> dict[str, Any]:
    errors = rules.instrument_errors(fields.code, fields.description, fields.interval_months)
    limits = {name: value for name, value in asdict(fields).items() if isinstance(value, str)}
    for name, message in rules.limit_errors(**limits).items():
        errors.setdefault(name, message)
    if "code" not in errors and _code_taken(project_id, fields.code, instrument_id):
        errors["code"] = _taken_message(fields.code)
    if errors:
        raise Invalid(_("The instrument was not saved."), errors)
    return asdict(fields)


def _taken_message(code: str) -> str:
    return _(
        "Another instrument of this project has the code %(code)s: each code names one instrument.", code=code
    )


def _code_taken(project_id: int, code: str, instrument_id: int | None) -> bool:
    """The code is another instrument's of the project (letter case aside)."""
    stmt = select(Instrument.id).where(
        Instrument.project_id == project_id, func.lower(Instrument.code) == code.lower()
    )
    if instrument_id is not None:
        stmt = stmt.where(Instrument.id != instrument_id)
    return db.session.execute(stmt.limit(1)).first() is not None


def create_instrument(scope: Scope, project: CertificationProject, fields: InstrumentFields) -> Instrument:
    scope.require(Action.EDIT_CONTENT)
    values = _checked(project.id, fields, None)
    instrument = Instrument(project_id=project.id, calibrations=[], **values)
    with refused_if_taken(_("The instrument was not saved."), "code", _taken_message(fields.code)):
        db.session.add(instrument)
    log(
        scope,
        project.id,
        KIND,
        instrument.id,
        f"Added {instrument.code} ({instrument.description}), calibrated every {instrument.interval_months} "
        "months.",
    )
    return instrument


def update_instrument(
    scope: Scope, instrument: Instrument, fields: InstrumentFields, version: int | None
) -> None:
    """Save the instrument as edited from the copy read at ``version``."""
    scope.require(Action.EDIT_CONTENT)
    check_version(instrument, version, "instrument")
    values = _checked(instrument.project_id, fields, instrument.id)
    before = {name: getattr(instrument, name) for name in values}
    labels = changed(before, values, FIELD_LABELS)
    if not labels:
        return
    with refused_if_taken(_("The instrument was not saved."), "code", _taken_message(fields.code)):
        for name, value in values.items():
            setattr(instrument, name, value)
    log(scope, instrument.project_id, KIND, instrument.id, f"Changed the {', the '.join(labels)}.")


def set_service(
    scope: Scope, instrument: Instrument, in_service: bool, reason: str, version: int | None
) -> None:
    """Take the instrument out of service (with the reason, kept in its history) or put it back."""
    scope.require(Action.EDIT_CONTENT)
    check_version(instrument, version, "instrument")
    if instrument.out_of_service != in_service:
        raise Invalid(
            _("The instrument is already in service.")
            if in_service
            else _("The instrument is already out of service.")
        )
    errors = rules.limit_errors(reason=reason)
    if not in_service and not reason.strip():
        errors["reason"] = _("Say why it is taken out of service, e.g. “display faulty, sent for repair”.")
    if errors:
        raise Invalid(_("The instrument's service was not changed."), errors)
    instrument.out_of_service = not in_service
    summary = "Put back in service" if in_service else "Taken out of service"
    reason = reason.strip().rstrip(".")
    log(
        scope,
        instrument.project_id,
        KIND,
        instrument.id,
        f"{summary}: {reason}." if reason else f"{summary}.",
    )


def _mirror(instrument: Instrument) -> None:
    """Keep the instrument's dates those of its latest calibration (by date, then id)."""
    latest = max(instrument.calibrations, key=lambda c: (c.calibrated_on, c.id), default=None)
    last = latest.calibrated_on if latest else None
    due = latest.next_due if latest else None
    if (instrument.last_calibrated_on, instrument.next_due) != (last, due):
        instrument.last_calibrated_on, instrument.next_due = last, due


def add_calibration(
    scope: Scope, instrument: Instrument, fields: CalibrationFields, today: date
) -> Calibration:
    """Record a calibration (its next due one interval on when not given) and keep the instrument's dates."""
    scope.require(Action.EDIT_CONTENT)
    errors = rules.calibration_errors(
        fields.calibrated_on, fields.next_due, fields.result, fields.performed_by, today
    )
    limits = rules.limit_errors(
        performed_by=fields.performed_by, certificate_ref=fields.certificate_ref, notes=fields.notes
    )
    errors |= {name: message for name, message in limits.items() if name not in errors}
    if errors:
        raise Invalid(_("The calibration was not recorded."), errors)
    assert fields.calibrated_on is not None  # checked above
    next_due = fields.next_due or rules.default_next_due(fields.calibrated_on, instrument.interval_months)
    calibration = Calibration(
        calibrated_on=fields.calibrated_on,
        next_due=next_due,
        result=fields.result,
        performed_by=fields.performed_by,
        certificate_ref=fields.certificate_ref,
        notes=fields.notes,
    )
    instrument.calibrations.append(calibration)
    db.session.flush()
    _mirror(instrument)
    summary = rules.calibration_summary(
        calibration.calibrated_on, calibration.performed_by, calibration.result
    )
    log(scope, instrument.project_id, KIND, instrument.id, summary)
    return calibration


def record_assessment(
    scope: Scope,
    instrument: Instrument,
    calibration: Calibration,
    fields: AssessmentFields,
    today: date,
    version: int | None,
) -> None:
    """Record what the results measured before an out-of-tolerance calibration were worth, once."""
    scope.require(Action.EDIT_CONTENT)
    check_version(calibration, version, "calibration")
    if calibration.result != rules.Result.OUT_OF_TOLERANCE:
        raise Invalid(
            _("Only a calibration that found the instrument out of tolerance needs this assessment.")
        )
    if calibration.assessed_on is not None:
        raise Invalid(
            _("This assessment was recorded on %(day)s.", day=rules.day_text(calibration.assessed_on))
        )
    errors = rules.assessment_errors(
        calibration.calibrated_on, fields.assessed_on, fields.assessment, fields.assessment_action, today
    )
    limits = rules.limit_errors(assessment=fields.assessment, assessment_action=fields.assessment_action)
    errors |= {name: message for name, message in limits.items() if name not in errors}
    if errors:
        raise Invalid(_("The assessment was not recorded."), errors)
    calibration.assessed_on = fields.assessed_on
    calibration.assessment = fields.assessment
    calibration.assessment_action = fields.assessment_action
    day = rules.day_text(calibration.calibrated_on)
    summary = f"Assessed the results measured before the calibration of {day} found it out of tolerance."
    log(scope, instrument.project_id, KIND, instrument.id, summary)
