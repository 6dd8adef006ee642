"""A starting budget from the site's size and standard, per the default budget template of the cost research.

Every proposed line says how its figure was found, in plain words (``basis``), and which entries of the
in-app Sources page (:mod:`app.domain.cost_sources`) it rests on (``sources``). Where a source gives a
range, the estimator takes its midpoint unless said otherwise. Internal-time lines have no published
source: they are marked ``assumption=True`` and their basis starts with "Assumption".

Certification-body lines use :mod:`app.domain.audit_days` (initial audit split into stage 1 and 2,
surveillance in years 1 and 2, recertification in year 3). Recertification opens the next certificate
cycle, so it is ``future_cycle=True`` and left out of :attr:`Estimate.first_cycle_total`. Not estimated,
because no source gives a figure: CB travel and application fees, calibration, translation, subsidies;
the notes list them so the user can add lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.audit_days import (
    AuditDays,
    CertificationCycle,
    certification_cycle,
    format_days,
    initial_audit_days,
    round_half,
)
from app.domain.budget import CENT, STAGES, BudgetLine, quantize_money
from app.domain.text import _, _l


@dataclass(frozen=True)
class ConsultantModel:
    label: str
    gap_analysis_days: Decimal
    implementation_days: Decimal
    gap_analysis_basis: str
    implementation_basis: str


CONSULTANT_MODELS = {
    "none": ConsultantModel(_l("No consultant"), Decimal(0), Decimal(0), "", ""),
    "light": ConsultantModel(
        _l("Light support"),
        Decimal(2),
        Decimal("7.5"),
        "a gap analysis takes 1 to 3 consultant days; light support takes the middle",
        "light support takes 5 to 10 consultant days; Readiness takes the middle",
    ),
    "full": ConsultantModel(
        _l("Full implementation"),
        Decimal(3),
        Decimal("22.5"),
        "a gap analysis takes 1 to 3 consultant days; full implementation takes the top",
        "full implementation takes 15 to 30 consultant days; Readiness takes the middle",
    ),
}

STAGE_ORDER = list(STAGES)

# Readiness's assumptions (no published figure; Sources page "internal-time"), midpoints of the ranges.
HOURS_PER_DAY = Decimal(8)
FTE_HOURS_PER_YEAR = Decimal(2080)  # 40 h x 52 weeks
QMS_LEAD_SHARE = Decimal("0.40")  # 30-50% FTE
PROJECT_MONTHS = Decimal("7.5")  # 6-9 months
OWNER_HOURS = Decimal(3) * 9 + Decimal(1) * 10  # 2-4 h/week over 8-10 weeks of documentation, 1 h/week run-in
STAFF_PER_PROCESS_OWNER = 10  # no source: one process owner per 10 staff, at least one
AWARENESS_HOURS = Decimal(3)  # 2-4 h per person
INTERNAL_AUDITORS = 2  # at least two trained
AUDITOR_TRAINING_DAYS = Decimal("2.5")  # 2-3 days each
STAFF_PER_AUDITOR_DAY = Decimal("12.5")  # 1 auditor-day per 10-15 staff per audit cycle
REVIEW_DAYS = Decimal("0.75")  # 0.5-1 day of top-management time per review, one before stage 1
NC_FOLLOW_UP_DAYS = Decimal("0.5")  # 0.5-1 day if a major NC is raised: the low end, as contingency


@dataclass(frozen=True)
class EstimateInputs:
    employees: int
    standard: str  # "iso9001" or "iso13485"
    cb_day_rate: Decimal
    consultant_day_rate: Decimal = Decimal(0)
    consultant_model: str = "light"  # a key of CONSULTANT_MODELS
    staff_hourly_cost: Decimal = Decimal(0)  # loaded cost of an hour of internal time
    auditor_course_fee: Decimal | None = None  # per person; None when no quote is known yet
    minor_unit: Decimal = CENT


@dataclass(frozen=True)
class ProposedLine:
    stage: str
    category: str
    description: str
    planned: Decimal
    basis: str
    sources: tuple[str, ...] = ()  # keys of app.domain.cost_sources.SOURCES_BY_KEY
    assumption: bool = False
    cycle_year: int = 0  # 0 certification project, 1-2 surveillance, 3 recertification
    future_cycle: bool = False

    def to_budget_line(self, on: date | None = None) -> BudgetLine:
        return BudgetLine(self.stage, self.category, self.description, self.planned, None, on)


@dataclass(frozen=True)
class Estimate:
    inputs: EstimateInputs
    audit: AuditDays
    cycle: CertificationCycle
    lines: tuple[ProposedLine, ...]
    notes: tuple[str, ...]

    @property
    def first_cycle_total(self) -> Decimal:
        """The project (contingency included) and surveillance years 1-2; recertification starts cycle 2."""
        return sum((line.planned for line in self.lines if not line.future_cycle), Decimal(0))

    @property
    def total(self) -> Decimal:
        return sum((line.planned for line in self.lines), Decimal(0))


def _money(amount: Decimal, minor_unit: Decimal) -> str:
    places = max(0, -int(minor_unit.as_tuple().exponent))
    return f"{quantize_money(amount, minor_unit):,.{places}f}"


def plural(count: Decimal | int, noun: str, many: str | None = None) -> str:
    """``plural(1, "owner")`` -> "1 owner", ``plural(5, "owner")`` -> "5 owners", 1.5 days, 0.5 days."""
    shown = format_days(Decimal(count))
    return f"{shown} {noun if Decimal(count) == 1 else (many or noun + 's')}"


def _check_inputs(inputs: EstimateInputs) -> None:
    if inputs.consultant_model not in CONSULTANT_MODELS:
        known = ", ".join(CONSULTANT_MODELS)
        raise ValueError(f"Unknown consultant model {inputs.consultant_model!r}; choose one of: {known}.")
    rates = {
        "CB day rate": inputs.cb_day_rate,
        "Consultant day rate": inputs.consultant_day_rate,
        "Staff hourly cost": inputs.staff_hourly_cost,
        "Auditor course fee": inputs.auditor_course_fee or Decimal(0),
    }
    for label, rate in rates.items():
        if not rate.is_finite() or rate < 0:
            raise ValueError(f"{label} must be a number of 0 or more (got {rate}).")


@dataclass(frozen=True)
class _CbWork:
    description: str
    days: Decimal
    how: str  # how the days were found, in words
    sources: tuple[str, ...]
    year: int


def _cb_line(inputs: EstimateInputs, work: _CbWork) -> ProposedLine:
    rate = _money(inputs.cb_day_rate, inputs.minor_unit)
    return ProposedLine(
        stage="external_audit",
        category="certification_body",
        description=work.description,
        planned=quantize_money(work.days * inputs.cb_day_rate, inputs.minor_unit),
        basis=f"{work.how}: {plural(work.days, 'day')} \u00d7 {rate} a day",
        sources=work.sources,
        cycle_year=work.year,
        future_cycle=work.year == 3,
    )


def _audit_days_phrase(audit: AuditDays) -> str:
    """E.g. "Audit days for 40 staff: 4 (IAF MD 5, table QMS 1)"."""
    if audit.method == "progression":
        how = f"beyond the {audit.table_name} table: one day more per band, see the notes"
    elif audit.method == "interpolated":
        how = f"{audit.table_name}: the row is missing, taken between the rows either side, see the notes"
    else:
        how = audit.short_source
    return f"Audit days for {plural(audit.employees, 'staff', 'staff')}: {format_days(audit.days)} ({how})"


def _cb_lines(inputs: EstimateInputs, audit: AuditDays, cycle: CertificationCycle) -> list[ProposedLine]:
    initial = _audit_days_phrase(audit)
    both = (audit.source_key, "audit-cycle")
    half = "rounded to the half day"
    audit_line = "Certification body: initial audit"
    works = (
        _CbWork(f"{audit_line}, stage 1", cycle.stage1, f"{initial}; stage 1 about a third, {half}", both, 0),
        _CbWork(f"{audit_line}, stage 2", cycle.stage2, f"{initial}; stage 2 the rest", both, 0),
        _CbWork(
            "Contingency: CB follow-up visit if a major nonconformity is raised",
            NC_FOLLOW_UP_DAYS,
            "Half a day to a day if the audit finds a major nonconformity; the low end",
            ("nc-follow-up",),
            0,
        ),
        *(
            _CbWork(
                f"Certification body: surveillance audit, year {year}",
                cycle.surveillance,
                f"{initial}; surveillance a third of that, {half}",
                both,
                year,
            )
            for year in (1, 2)
        ),
        _CbWork(
            "Certification body: recertification audit, year 3 (next cycle)",
            cycle.recertification,
            f"{initial}; recertification two thirds of that, {half}",
            both,
            3,
        ),
    )
    return [_cb_line(inputs, work) for work in works]


def _consultant_lines(inputs: EstimateInputs) -> list[ProposedLine]:
    model = CONSULTANT_MODELS[inputs.consultant_model]
    rate = _money(inputs.consultant_day_rate, inputs.minor_unit)
    work = (
        ("gap_analysis", "Consultant: gap analysis", model.gap_analysis_days, model.gap_analysis_basis),
        (
            "documentation",
            "Consultant: implementation support",
            model.implementation_days,
            model.implementation_basis,
        ),
    )
    return [
        ProposedLine(
            stage=stage,
            category="consultant",
            description=description,
            planned=quantize_money(days * inputs.consultant_day_rate, inputs.minor_unit),
            basis=f"{how[0].upper()}{how[1:]}: {plural(days, 'day')} \u00d7 {rate} a day",
            sources=("consultant-days",),
        )
        for stage, description, days, how in work
        if days > 0
    ]


def _course_line(inputs: EstimateInputs) -> ProposedLine:
    fee = inputs.auditor_course_fee
    people = plural(INTERNAL_AUDITORS, "person", "people")
    if fee is None:
        basis = (
            f"{people} \u00d7 an external course; no fee entered, so 0 (for example Rp 3.2 million in "
            "Indonesia, \u00a3200 to \u00a31,000 a person in the UK): enter a local quote"
        )
        fee = Decimal(0)
    else:
        basis = f"{people} \u00d7 {_money(fee, inputs.minor_unit)} course fee"
    planned = quantize_money(INTERNAL_AUDITORS * fee, inputs.minor_unit)
    return ProposedLine(
        "training", "training", "Internal-auditor course fees", planned, basis, ("auditor-course",)
    )


def _time_line(inputs: EstimateInputs, stage: str, name: str, hours: Decimal, how: str) -> ProposedLine:
    cost = _money(inputs.staff_hourly_cost, inputs.minor_unit)
    return ProposedLine(
        stage=stage,
        category="internal_time",
        description=name,
        planned=quantize_money(hours * inputs.staff_hourly_cost, inputs.minor_unit),
        basis=f"Assumption: {how} = {plural(hours, 'hour')} \u00d7 {cost} an hour",
        sources=("internal-time",),
        assumption=True,
    )


TimeRow = tuple[str, str, Decimal, str]  # stage, description, hours, how the hours were found
X = "\u00d7"


def _project_time_rows(staff: int) -> list[TimeRow]:
    owners = max(1, -(-staff // STAFF_PER_PROCESS_OWNER))
    lead_hours = FTE_HOURS_PER_YEAR * QMS_LEAD_SHARE * PROJECT_MONTHS / 12
    owner_basis = (
        f"{plural(owners, 'process owner')} (one per 10 staff) {X} (3 hours a week for 9 weeks "
        "+ 1 hour a week for 10 weeks)"
    )
    return [
        ("documentation", "QMS lead time", lead_hours, "40% of a full-time job over 7.5 months"),
        ("documentation", "Process owners' time", owners * OWNER_HOURS, owner_basis),
    ]


def _training_and_review_rows(staff: int) -> list[TimeRow]:
    audit_days = max(Decimal(1), round_half(staff / STAFF_PER_AUDITOR_DAY))
    awareness = f"{plural(staff, 'staff', 'staff')} {X} {plural(AWARENESS_HOURS, 'hour')}"
    people = plural(INTERNAL_AUDITORS, "person", "people")
    return [
        ("training", "Awareness training (staff time)", staff * AWARENESS_HOURS, awareness),
        (
            "training",
            "Internal auditors' training time",
            INTERNAL_AUDITORS * AUDITOR_TRAINING_DAYS * HOURS_PER_DAY,
            f"{people} {X} {plural(AUDITOR_TRAINING_DAYS, 'day')} {X} 8 hours",
        ),
        (
            "internal_audit",
            "Internal audit cycle (auditor time)",
            audit_days * HOURS_PER_DAY,
            f"one auditor-day per 10 to 15 staff, rounded to the half day: "
            f"{plural(audit_days, 'day')} {X} 8 hours",
        ),
        (
            "management_review",
            "Management review before stage 1",
            REVIEW_DAYS * HOURS_PER_DAY,
            f"1 review {X} {plural(REVIEW_DAYS, 'day')} of top-management time {X} 8 hours",
        ),
    ]


def _internal_time_lines(inputs: EstimateInputs) -> list[ProposedLine]:
    rows = _project_time_rows(inputs.employees) + _training_and_review_rows(inputs.employees)
    return [_time_line(inputs, *row) for row in rows]


def _notes(inputs: EstimateInputs, audit: AuditDays) -> tuple[str, ...]:
    notes = [
        _("Audit days: %(note)s Source: %(source)s.", note=audit.note, source=audit.source),
        _(
            "Not estimated (no source gives a figure): the certification body's travel and application "
            "fees, calibration of measuring equipment, translation, subsidies. Add lines for them from local "
            "quotes."
        ),
        _(
            "Staff-time lines are Readiness's assumptions (no published figure exists): replace them with "
            "your own hours."
        ),
    ]
    if inputs.consultant_model == "none":
        notes.append(_("No consultant: the gap analysis and implementation are part of the QMS lead's time."))
    if inputs.standard == "iso13485":
        notes.append(
            _(
                "The consultant-day and staff-time ranges are for ISO 9001-sized projects; ISO 13485 "
                "documentation is much heavier, so expect more."
            )
        )
    return tuple(notes)


def estimate_budget(inputs: EstimateInputs) -> Estimate:
    """Propose starting lines for a certification budget; ValueError on unusable inputs."""
    audit = initial_audit_days(inputs.standard, inputs.employees)
    _check_inputs(inputs)
    cycle = certification_cycle(audit.days)
    lines = [
        *_consultant_lines(inputs),
        _course_line(inputs),
        *_internal_time_lines(inputs),
        *_cb_lines(inputs, audit, cycle),
    ]
    lines.sort(key=lambda line: STAGE_ORDER.index(line.stage))  # stable: keeps years in order
    return Estimate(inputs, audit, cycle, tuple(lines), _notes(inputs, audit))
