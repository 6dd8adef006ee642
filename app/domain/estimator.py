"""A starting budget from the site's size and standard, per the template in costs.md section 6.

Every proposed line says where its figure came from (``basis``). Where costs.md gives a range, the
estimator takes its midpoint unless said otherwise. Internal-time lines rest on costs.md section 5, which
has no published source: they are marked ``assumption=True`` and their basis starts with "ASSUMPTION".

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


@dataclass(frozen=True)
class ConsultantModel:
    label: str
    gap_analysis_days: Decimal
    implementation_days: Decimal
    basis: str


CONSULTANT_MODELS = {
    "none": ConsultantModel("No consultant", Decimal(0), Decimal(0), "no consultant"),
    "light": ConsultantModel(
        "Light support", Decimal(2), Decimal("7.5"), "light model: midpoints of 1-3 and 5-10 days"
    ),
    "full": ConsultantModel(
        "Full implementation", Decimal(3), Decimal("22.5"), "full model: top of 1-3, midpoint of 15-30 days"
    ),
}

STAGE_ORDER = list(STAGES)

# costs.md section 5 (ASSUMPTION), midpoints of its ranges.
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


def _cb_line(inputs: EstimateInputs, days: Decimal, description: str, rule: str, year: int) -> ProposedLine:
    rate = _money(inputs.cb_day_rate, inputs.minor_unit)
    return ProposedLine(
        stage="external_audit",
        category="certification_body",
        description=description,
        planned=quantize_money(days * inputs.cb_day_rate, inputs.minor_unit),
        basis=f"{rule}: {format_days(days)} audit-days \u00d7 {rate} day rate",
        cycle_year=year,
        future_cycle=year == 3,
    )


def _cb_lines(inputs: EstimateInputs, audit: AuditDays, cycle: CertificationCycle) -> list[ProposedLine]:
    band = f"{audit.table_name} band {audit.band.label} employees"
    if not audit.from_table:
        band += f" ({audit.method}, see note)"
    initial_days = format_days(cycle.initial)
    initial = f"{band}, {initial_days} initial audit-days"
    third = f"{band}, surveillance = round_half({initial_days} / 3)"
    audit_line = "Certification body: initial audit"
    return [
        _cb_line(inputs, cycle.stage1, f"{audit_line}, stage 1", f"{initial}, stage 1", 0),
        _cb_line(inputs, cycle.stage2, f"{audit_line}, stage 2", f"{initial}, stage 2", 0),
        _cb_line(
            inputs,
            NC_FOLLOW_UP_DAYS,
            "Contingency: CB follow-up visit if a major nonconformity is raised",
            "costs.md 6, 0.5-1 day if a major NC is raised, low end",
            0,
        ),
        _cb_line(inputs, cycle.surveillance, "Certification body: surveillance audit, year 1", third, 1),
        _cb_line(inputs, cycle.surveillance, "Certification body: surveillance audit, year 2", third, 2),
        _cb_line(
            inputs,
            cycle.recertification,
            "Certification body: recertification audit, year 3 (next cycle)",
            f"{band}, recertification = round_half({initial_days} \u00d7 2 / 3)",
            3,
        ),
    ]


def _consultant_lines(inputs: EstimateInputs) -> list[ProposedLine]:
    model = CONSULTANT_MODELS[inputs.consultant_model]
    rate = _money(inputs.consultant_day_rate, inputs.minor_unit)
    work = (
        ("gap_analysis", "Consultant: gap analysis", model.gap_analysis_days),
        ("documentation", "Consultant: implementation support", model.implementation_days),
    )
    return [
        ProposedLine(
            stage=stage,
            category="consultant",
            description=description,
            planned=quantize_money(days * inputs.consultant_day_rate, inputs.minor_unit),
            basis=f"costs.md 6, {model.basis}: {format_days(days)} consultant-days \u00d7 {rate} day rate",
        )
        for stage, description, days in work
        if days > 0
    ]


def _course_line(inputs: EstimateInputs) -> ProposedLine:
    fee = inputs.auditor_course_fee
    if fee is None:
        basis = (
            f"costs.md 6: {INTERNAL_AUDITORS} people \u00d7 external course; no fee entered, so 0 "
            "(examples: Rp 3.2 M Indonesia, \u00a3200-1,000 UK per person): enter a local quote"
        )
        fee = Decimal(0)
    else:
        basis = f"costs.md 6: {INTERNAL_AUDITORS} people \u00d7 {_money(fee, inputs.minor_unit)} course fee"
    planned = quantize_money(INTERNAL_AUDITORS * fee, inputs.minor_unit)
    return ProposedLine("training", "training", "Internal-auditor course fees", planned, basis)


def _time_line(inputs: EstimateInputs, stage: str, name: str, hours: Decimal, how: str) -> ProposedLine:
    cost = _money(inputs.staff_hourly_cost, inputs.minor_unit)
    return ProposedLine(
        stage=stage,
        category="internal_time",
        description=name,
        planned=quantize_money(hours * inputs.staff_hourly_cost, inputs.minor_unit),
        basis=f"ASSUMPTION (costs.md 5): {how} = {format_days(hours)} h \u00d7 {cost} per hour",
        assumption=True,
    )


TimeRow = tuple[str, str, Decimal, str]  # stage, description, hours, how the hours were found
X = "\u00d7"


def _project_time_rows(staff: int) -> list[TimeRow]:
    owners = max(1, -(-staff // STAFF_PER_PROCESS_OWNER))
    lead_hours = FTE_HOURS_PER_YEAR * QMS_LEAD_SHARE * PROJECT_MONTHS / 12
    owner_basis = f"{owners} owner(s), 1 per 10 staff, {X} (3 h/week {X} 9 weeks + 1 h/week {X} 10 weeks)"
    return [
        ("documentation", "QMS lead time", lead_hours, "40% FTE over 7.5 months"),
        ("documentation", "Process owners' time", owners * OWNER_HOURS, owner_basis),
    ]


def _training_and_review_rows(staff: int) -> list[TimeRow]:
    audit_days = max(Decimal(1), round_half(staff / STAFF_PER_AUDITOR_DAY))
    awareness = f"{staff} staff {X} {AWARENESS_HOURS} h"
    return [
        ("training", "Awareness training (staff time)", staff * AWARENESS_HOURS, awareness),
        (
            "training",
            "Internal auditors' training time",
            INTERNAL_AUDITORS * AUDITOR_TRAINING_DAYS * HOURS_PER_DAY,
            f"{INTERNAL_AUDITORS} people {X} {AUDITOR_TRAINING_DAYS} days {X} 8 h",
        ),
        (
            "internal_audit",
            "Internal audit cycle (auditor time)",
            audit_days * HOURS_PER_DAY,
            f"1 auditor-day per 10-15 staff: {format_days(audit_days)} days {X} 8 h",
        ),
        (
            "management_review",
            "Management review before stage 1",
            REVIEW_DAYS * HOURS_PER_DAY,
            f"1 review {X} {REVIEW_DAYS} day of top-management time {X} 8 h",
        ),
    ]


def _internal_time_lines(inputs: EstimateInputs) -> list[ProposedLine]:
    rows = _project_time_rows(inputs.employees) + _training_and_review_rows(inputs.employees)
    return [_time_line(inputs, *row) for row in rows]


def _notes(inputs: EstimateInputs, audit: AuditDays) -> tuple[str, ...]:
    notes = [
        f"Audit-days: {audit.note} Source: {audit.source}.",
        "Not estimated (no source gives a figure): CB travel and application fees, calibration of "
        "measuring equipment, translation, subsidies. Add lines for them from local quotes.",
        "Internal-time lines are assumptions (costs.md 5): replace them with your own hours.",
    ]
    if inputs.consultant_model == "none":
        notes.append("No consultant: the gap analysis and implementation are part of the QMS lead's time.")
    if inputs.standard == "iso13485":
        notes.append(
            "Consultant and internal-time ranges in costs.md are for ISO 9001-sized projects; "
            "ISO 13485 documentation is much heavier, so expect more."
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
