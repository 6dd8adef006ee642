"""The running registers of a generated project (issue 13's): for both standards its measuring equipment,
suppliers, complaints and customer satisfaction; and those of one standard (:mod:`.context`):
for ISO 9001 its context (issues, interested parties, the climate decision) and risks, for ISO 13485 its
risk-management files and QMS software.

Each record is consistent with what the app derives from it (an instrument's next due is its latest
calibration's, a supplier's status its latest evaluation's) and gets one line of history ("Added."), as a
record written through the pages would. Some records need attention: reviews, calibrations and
re-evaluations overdue, an instrument out of tolerance not assessed yet, complaints open too long.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from app.domain.pathway import StandardFamily
from app.domain.registers import RecordKind
from app.models import (
    Calibration,
    Complaint,
    ContextIssue,
    Instrument,
    InterestedParty,
    RegisterEvent,
    Risk,
    RiskFile,
    SatisfactionMeasure,
    SatisfactionValue,
    SoftwareValidation,
    Supplier,
    SupplierEvaluation,
)
from app.services.generator.context import add_context, add_medical_files, add_risks
from app.services.generator.progress import Planned
from app.services.generator.rows import Batch, Family, insert_rows, moment

INSTRUMENTS = (
    ("CAL", "Digital caliper, 0 to 150 mm", 12),
    ("BAL", "Precision balance, 2 kg", 12),
    ("TH", "Thermo-hygrometer, store", 12),
    ("PG", "Pressure gauge, line 1", 6),
    ("TC", "Thermocouple probe, sealing", 6),
    ("MIC", "Outside micrometer, 0 to 25 mm", 12),
    ("TT", "Torque tester", 12),
    ("HM", "Hardness tester", 24),
)
SUPPLIES = (
    "Raw material",
    "Packaging film",
    "Cartons",
    "Labels",
    "Calibration services",
    "Transport",
    "Chemicals",
    "Spare parts",
)


# The register of each kind of record, for its line of history.
KINDS = {
    ContextIssue: RecordKind.CONTEXT_ISSUE,
    InterestedParty: RecordKind.INTERESTED_PARTY,
    Risk: RecordKind.RISK,
    Instrument: RecordKind.INSTRUMENT,
    Supplier: RecordKind.SUPPLIER,
    Complaint: RecordKind.COMPLAINT,
    SatisfactionMeasure: RecordKind.SATISFACTION_MEASURE,
    RiskFile: RecordKind.RISK_FILE,
    SoftwareValidation: RecordKind.SOFTWARE,
}


def add_running_registers(projects: list[Planned], user_id: int, today: date) -> None:
    """Write the running registers of ``projects`` (see the module docstring), a few statements a table."""
    batch = Batch()
    for planned in projects:
        pid, rng = planned.project_id, random.Random(f"{planned.seed}:running")
        if planned.family == StandardFamily.ISO_9001:
            add_context(batch, pid, rng, today)
        _equipment(batch, pid, rng, today)
        _suppliers(batch, pid, rng, today)
        medical = planned.family == StandardFamily.ISO_13485
        complaints = [_complaint(pid, n, medical, rng, today) for n in range(rng.randint(2, 6))]
        batch.add_families(Complaint, [(row, []) for row in complaints])
        _satisfaction(batch, pid, rng, today)
        if medical:
            add_medical_files(batch, pid, rng, today)
    written = batch.write()
    add_risks(batch, projects, written, today)
    written |= batch.write()
    added = moment(today - timedelta(days=120))
    events = [
        {
            "project_id": row["project_id"],
            "register": kind.value,
            "record_id": record_id,
            "occurred_at": added,
            "actor_id": user_id,
            "summary": "Added.",
        }
        for model, kind in KINDS.items()
        for row, record_id in written.get(model, [])
    ]
    insert_rows(RegisterEvent, events)


def _equipment(batch: Batch, pid: int, rng: random.Random, today: date) -> None:
    """Instruments with one to three calibrations each; their latest mirrored on the instrument."""
    instruments: list[Family] = []
    for n, (code, description, months) in enumerate(INSTRUMENTS):
        ages = sorted((rng.randint(10, 400) + 365 * k for k in range(rng.randint(1, 3))), reverse=True)
        calibrations = []
        for age in ages:
            on = today - timedelta(days=age)
            failed = n == 3 and age == ages[-1] and rng.random() < 0.5  # the last one, not assessed yet
            calibrations.append(
                {
                    "calibrated_on": on,
                    "next_due": on + timedelta(days=30 * months),
                    "result": "out_of_tolerance" if failed else "pass",
                    "performed_by": "Accredited laboratory",
                    "certificate_ref": f"CERT-{n}-{age}",
                    "notes": "",
                    "assessed_on": None,
                    "assessment": "",
                    "assessment_action": "",
                }
            )
        latest = calibrations[-1]
        row = {
            "project_id": pid,
            "code": f"{code}-{n + 1:02d}",
            "description": description,
            "location": "QC lab",
            "measuring_range": "",
            "accuracy": "",
            "interval_months": months,
            "traceability": "Traceable to SI through the national metrology institute.",
            "out_of_service": False,
            "last_calibrated_on": latest["calibrated_on"],
            "next_due": latest["next_due"],
        }
        instruments.append((row, calibrations))
    batch.add_families(Instrument, instruments, Calibration, "instrument_id")


def _suppliers(batch: Batch, pid: int, rng: random.Random, today: date) -> None:
    """Suppliers with their evaluations, the latest one's outcome mirrored as the supplier's status."""
    suppliers: list[Family] = []
    for n, supplies in enumerate(SUPPLIES):
        outcomes = [
            rng.choice(("approved", "approved", "approved", "conditional", "blocked"))
            for _ in range(rng.randint(0 if n == 7 else 1, 2))
        ]
        days = sorted((rng.randint(20, 500) for _ in outcomes), reverse=True)
        name = f"Supplier {n + 1} ({supplies.lower()})"
        row = {
            "project_id": pid,
            "name": name,
            "name_key": name.casefold(),
            "supplies": supplies,
            "criteria": "Quality, delivery and price, scored yearly.",
            "risk_class": ("low", "medium", "high")[n % 3],
            "controls": "Certificate of analysis with each lot; yearly audit." if n % 3 == 2 else "",
            "reevaluate_months": 12,
            "contact": "",
            "status": outcomes[-1] if outcomes else "not_evaluated",
            "last_evaluated_on": today - timedelta(days=days[-1]) if days else None,
        }
        evaluations = [
            {
                "evaluated_on": today - timedelta(days=d),
                "evaluated_by": "Purchasing officer",
                "outcome": o,
                "score": rng.randint(55, 98),
                "notes": "Scored against the criteria.",
            }
            for o, d in zip(outcomes, days, strict=True)
        ]
        suppliers.append((row, evaluations))
    batch.add_families(Supplier, suppliers, SupplierEvaluation, "supplier_id")


def _complaint(pid: int, n: int, medical: bool, rng: random.Random, today: date) -> dict[str, Any]:
    received = today - timedelta(days=rng.randint(3, 200))
    closed = received + timedelta(days=rng.randint(5, 25)) if rng.random() < 0.6 else None
    closed = closed if closed and closed <= today else None
    decided = medical and rng.random() < 0.7
    return {
        "project_id": pid,
        "received_on": received,
        "customer": f"Buyer {n + 1}",
        "product": "Lot 24-118",
        "description": "Cartons arrived crushed; three units damaged.",
        "investigation": "Pallet wrapping checked on the line." if closed or rng.random() < 0.5 else "",
        "finding_id": None,
        "closed_on": closed,
        "closure": "Replaced; wrapping changed." if closed else "",
        "reportable": False if decided else None,
        "reportability_reason": "No injury possible; cosmetic damage." if decided else "",
        "authority": "",
        "reported_on": None,
        "report_reference": "",
    }


def _satisfaction(batch: Batch, pid: int, rng: random.Random, today: date) -> None:
    specs = (
        ("Customer survey score", "survey", "%", True, 80),
        ("Returns", "returns", "ppm", False, 500),
        ("On-time delivery", "on_time_delivery", "%", True, 95),
    )
    measures = [
        {
            "project_id": pid,
            "name": name,
            "kind": kind,
            "unit": unit,
            "higher_is_better": higher,
            "target": Decimal(target),
        }
        for name, kind, unit, higher, target in specs
    ]
    values = [
        [
            {
                "period_end": today - timedelta(days=30 * k + 5),
                "value": Decimal(target) * Decimal(rng.randint(85, 110)) / 100,
                "notes": "",
            }
            for k in range(8)
        ]
        for *_, target in specs
    ]
    batch.add_families(
        SatisfactionMeasure, list(zip(measures, values, strict=True)), SatisfactionValue, "measure_id"
    )
