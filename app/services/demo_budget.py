"""Demo budgets and readiness history, so every chart of a demo project shows something on first run.

Budget lines come from the estimator (this factory's size and standard, local rates), plus a line or two
the estimator does not propose; each is dated within its stage's planned dates, and lines dated up to
today carry an actual, one of them overspent. History is a snapshot every few days since the project
started, rising towards today's readiness. Deterministic, like the rest of the demo.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.domain import budget as budget_domain
from app.domain.estimator import EstimateInputs, ProposedLine, estimate_budget
from app.domain.readiness import Readiness
from app.extensions import db
from app.models import CertificationProject, ProjectStage, ReadinessSnapshot
from app.services import budget as budget_service
from app.services import history
from app.services.coverage import coverage_for_projects

CONSULTANCY = "Mekong Quality Partners"
# Actual against planned, in turn, for the lines already paid: one line overspent by 18%.
SPEND_FACTORS = (Decimal("0.95"), Decimal("1.00"), Decimal("1.18"), Decimal("0.90"), Decimal("1.04"))
HISTORY_WEEKS = 6
HISTORY_POINTS = 8


@dataclass(frozen=True)
class Rates:
    cb_day: Decimal
    consultant_day: Decimal
    staff_hour: Decimal
    auditor_course: Decimal
    extras: tuple[tuple[str, str, str, str, Decimal], ...]  # stage, category, description, vendor, planned


RATES = {
    "VND": Rates(
        Decimal(20_000_000), Decimal(12_000_000), Decimal(90_000), Decimal(5_500_000),
        (
            ("documentation", "documentation_translation",
             "Quality manual and procedures translated into English for buyers", "Lac Viet Translation",
             Decimal(15_000_000)),
            ("internal_audit", "equipment_calibration", "Calibration of moisture meters and calipers",
             "Quatest 3", Decimal(8_500_000)),
        ),
    ),
    "THB": Rates(
        Decimal(28_000), Decimal(18_000), Decimal(220), Decimal(9_500),
        (
            ("documentation", "documentation_translation", "Procedures translated into English",
             "Bangkok Language Services", Decimal(24_000)),
        ),
    ),
    "MYR": Rates(
        Decimal(4_200), Decimal(2_800), Decimal(45), Decimal(1_900),
        (
            ("internal_audit", "equipment_calibration",
             "Calibration of the seal-strength tester and torque gauges", "SIRIM QAS", Decimal(6_500)),
            ("external_audit", "travel", "Auditor travel from Kuala Lumpur (two trips)", "", Decimal(3_200)),
        ),
    ),
}  # fmt: skip


def _stages(project: CertificationProject) -> dict[str, ProjectStage]:
    rows = db.session.execute(select(ProjectStage).where(ProjectStage.project_id == project.id)).scalars()
    return {row.key: row for row in rows}


def _spread(stage: ProjectStage, index: int, count: int) -> date | None:
    """The ``index``-th of ``count`` dates spread over the stage's planned dates, the first on its start
    (consultants and trainers are paid a deposit at kick-off)."""
    if stage.planned_start is None or stage.planned_end is None:
        return None
    length = (stage.planned_end - stage.planned_start).days
    return stage.planned_start + timedelta(days=length * index // count)


def _proposed_lines(project: CertificationProject, employees: int, rates: Rates) -> list[ProposedLine]:
    inputs = EstimateInputs(
        employees=employees,
        standard=project.standard.code,
        cb_day_rate=rates.cb_day,
        consultant_day_rate=rates.consultant_day,
        consultant_model="light",
        staff_hourly_cost=rates.staff_hour,
        auditor_course_fee=rates.auditor_course,
        minor_unit=budget_domain.minor_unit_for(project.currency),
    )
    estimate = estimate_budget(inputs)
    extras = [
        ProposedLine(stage, category, description, planned, f"Demo quote from {vendor or 'the auditors'}")
        for stage, category, description, vendor, planned in rates.extras
    ]
    # The certification project itself: surveillance and recertification fall after its target date.
    return [line for line in estimate.lines if line.cycle_year == 0] + extras


def add_budget(project: CertificationProject, employees: int, today: date) -> None:
    """Budget lines for a demo project; lines dated up to today are paid. The caller commits."""
    rates = RATES.get(project.currency)
    if rates is None:
        return
    stages = _stages(project)
    unit = budget_domain.minor_unit_for(project.currency)
    lines = _proposed_lines(project, employees, rates)
    by_stage: defaultdict[str, list[ProposedLine]] = defaultdict(list)
    for line in lines:
        by_stage[line.stage].append(line)
    vendors = {"certification_body": project.body.name if project.body else "", "consultant": CONSULTANCY}
    vendors.update({description: vendor for _, _, description, vendor, _ in rates.extras})
    paid = 0
    for stage_key, stage_lines in by_stage.items():
        for index, line in enumerate(stage_lines):
            when = _spread(stages[stage_key], index, len(stage_lines))
            actual = None
            if when is not None and when <= today and line.planned > 0:
                factor = SPEND_FACTORS[paid % len(SPEND_FACTORS)]
                actual = budget_domain.quantize_money(line.planned * factor, unit)
                paid += 1
            row = budget_service.save_line(
                project,
                None,
                stage=line.stage,
                category=line.category,
                description=line.description,
                vendor=vendors.get(line.description) or vendors.get(line.category) or "",
                planned=line.planned,
                actual=actual,
                spent_on=when,
            )
            row.basis = line.basis


def _scaled(now: Readiness, share: Decimal) -> Readiness:
    """Readiness when only ``share`` of today's verdicts had been given (the rest still to assess)."""

    def part(count: int) -> int:
        return int(count * share)

    given = {"met": part(now.met), "partial": part(now.partial), "not_met": part(now.not_met)}
    not_assessed = now.total - now.not_applicable - sum(given.values())
    return Readiness(**given, not_assessed=not_assessed, not_applicable=now.not_applicable)


def _snapshot(project_id: int, day: date, now: Readiness, coverage: int | None, share: Decimal) -> None:
    past = _scaled(now, share)
    db.session.add(
        ReadinessSnapshot(
            project_id=project_id,
            taken_on=day,
            readiness=past.percent,
            coverage=None if coverage is None else int(coverage * share),
            met=past.met,
            partial=past.partial,
            not_met=past.not_met,
            not_assessed=past.not_assessed,
            not_applicable=past.not_applicable,
        )
    )


def add_history(projects: list[CertificationProject], today: date) -> None:
    """Snapshots every few days over the last six weeks (or since the project started), readiness growing
    evenly from nothing at the start towards today's figures; then today's real snapshot."""
    ids = [project.id for project in projects]
    counts = history.readiness_counts(ids)
    coverage = coverage_for_projects(ids, today)
    for project in projects:
        starts = [row.planned_start for row in _stages(project).values() if row.planned_start]
        started = min(starts, default=today)
        first = max(started, today - timedelta(weeks=HISTORY_WEEKS))
        step = max(1, (today - first).days // HISTORY_POINTS)
        for day in (first + timedelta(days=n) for n in range(0, (today - first).days, step)):
            share = Decimal((day - started).days) / Decimal((today - started).days)
            _snapshot(project.id, day, counts[project.id], coverage[project.id], share)
    db.session.flush()
    history.record_snapshots(ids, today)
