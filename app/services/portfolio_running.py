"""The running registers of a generated project (issue 13's): for ISO 9001 its context (issues, interested
parties, the climate decision) and risks; for both standards its measuring equipment, suppliers, complaints
and customer satisfaction; for ISO 13485 its risk-management files and QMS software.

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
    ClimateDecision,
    Complaint,
    ContextIssue,
    Hazard,
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
from app.services.portfolio_progress import Planned
from app.services.portfolio_rows import insert_returning, insert_rows, moment

ISSUES = (
    ("external", "market", "Buyers ask for shorter lead times and smaller lots."),
    ("external", "regulatory", "New export labelling rules take effect next year."),
    ("internal", "people", "Two experienced line leaders retire within the year."),
    ("internal", "technology", "The ERP system is replaced in the second half."),
    ("external", "economic", "Raw material prices swing with the exchange rate."),
    ("internal", "infrastructure", "The warehouse floods in the monsoon season."),
)
PARTIES = (
    ("Export buyers", "external", "On-time delivery; certificates of conformity with each lot."),
    ("Workers", "internal", "Safe work; training before a new task."),
    ("Customs authority", "external", "Correct origin documents."),
    ("Suppliers", "external", "Clear specifications and timely payment."),
    ("Neighbours", "external", "No noise at night; no waste burnt on site."),
)
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
SOFTWARE = (
    "ERP system",
    "Document control tool",
    "Label printing software",
    "Spreadsheet for batch yields",
    "Complaint database",
)


def add_running_registers(planned: Planned, rng: random.Random, user_id: int, today: date) -> None:
    """Write the project's running registers (see the module docstring)."""
    pid = planned.project_id
    events: list[tuple[RecordKind, list[int]]] = []
    if planned.family == StandardFamily.ISO_9001:
        issues = insert_returning(
            ContextIssue, [_issue(pid, n, spec, rng, today) for n, spec in enumerate(ISSUES)]
        )
        parties = insert_returning(InterestedParty, [_party(pid, spec, rng, today) for spec in PARTIES])
        insert_rows(
            ClimateDecision,
            [
                {
                    "project_id": pid,
                    "decided_on": today - timedelta(days=60),
                    "relevant": rng.random() < 0.5,
                    "decided_by": "Managing director",
                    "reasoning": "Floods and heat affect the plant and its suppliers.",
                }
            ],
        )
        risks = insert_returning(Risk, [_risk(pid, n, issues, parties, rng, today) for n in range(8)])
        events += [
            (RecordKind.CONTEXT_ISSUE, issues),
            (RecordKind.INTERESTED_PARTY, parties),
            (RecordKind.RISK, risks),
        ]
    events.append((RecordKind.INSTRUMENT, _equipment(pid, rng, today)))
    events.append((RecordKind.SUPPLIER, _suppliers(pid, rng, today)))
    medical = planned.family == StandardFamily.ISO_13485
    complaints = [_complaint(pid, n, medical, rng, today) for n in range(rng.randint(2, 6))]
    events.append((RecordKind.COMPLAINT, insert_returning(Complaint, complaints)))
    events.append((RecordKind.SATISFACTION_MEASURE, _satisfaction(pid, rng, today)))
    if medical:
        events.append((RecordKind.RISK_FILE, _risk_files(pid, rng, today)))
        software = [_software(pid, name, rng, today) for name in SOFTWARE]
        events.append((RecordKind.SOFTWARE, insert_returning(SoftwareValidation, software)))
    added = moment(today - timedelta(days=120))
    insert_rows(
        RegisterEvent,
        [
            {
                "project_id": pid,
                "register": kind.value,
                "record_id": record_id,
                "occurred_at": added,
                "actor_id": user_id,
                "summary": "Added.",
            }
            for kind, ids in events
            for record_id in ids
        ],
    )


def _issue(pid: int, n: int, spec: tuple[str, str, str], rng: random.Random, today: date) -> dict[str, Any]:
    kind, category, description = spec
    return {
        "project_id": pid,
        "kind": kind,
        "category": category,
        "description": description,
        "effect": "Could delay deliveries or let nonconforming product through.",
        "owner": "Managing director",
        "reviewed_on": today - timedelta(days=rng.randint(20, 500)),
        "starter_key": None,
    }


def _party(pid: int, spec: tuple[str, str, str], rng: random.Random, today: date) -> dict[str, Any]:
    name, kind, requirements = spec
    return {
        "project_id": pid,
        "name": name,
        "kind": kind,
        "requirements": requirements,
        "monitoring": "Reviewed at the management review.",
        "reviewed_on": today - timedelta(days=rng.randint(20, 500)),
        "starter_key": None,
    }


def _risk(
    pid: int, n: int, issues: list[int], parties: list[int], rng: random.Random, today: date
) -> dict[str, Any]:
    reviewed = rng.random() < 0.4
    return {
        "project_id": pid,
        "kind": "opportunity" if n % 4 == 3 else "risk",
        "issue_id": issues[n % len(issues)] if n % 2 == 0 else None,
        "party_id": parties[n % len(parties)] if n % 2 == 1 else None,
        "description": f"Risk {n + 1}: a late or wrong delivery because of the issue it comes from.",
        "likelihood": rng.randint(1, 5),
        "impact": rng.randint(1, 5),
        "action": "Second source qualified; stock of two weeks.",
        "owner": "Quality lead",
        "due_date": today + timedelta(days=rng.randint(-30, 120)),
        "reviewed_on": today - timedelta(days=rng.randint(5, 60)) if reviewed else None,
        "effective": True if reviewed else None,
        "review_notes": "Worked: no late lot since." if reviewed else "",
        "residual_likelihood": 1 if reviewed else None,
        "residual_impact": 2 if reviewed else None,
        "starter_key": None,
    }


def _equipment(pid: int, rng: random.Random, today: date) -> list[int]:
    """Instruments with one to three calibrations each; their latest mirrored on the instrument."""
    instruments, histories = [], []
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
        instruments.append(
            {
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
        )
        histories.append(calibrations)
    ids = insert_returning(Instrument, instruments)
    insert_rows(
        Calibration, [{**c, "instrument_id": i} for i, cals in zip(ids, histories, strict=True) for c in cals]
    )
    return ids


def _suppliers(pid: int, rng: random.Random, today: date) -> list[int]:
    suppliers, evaluations = [], []
    for n, supplies in enumerate(SUPPLIES):
        outcomes = [
            rng.choice(("approved", "approved", "approved", "conditional", "blocked"))
            for _ in range(rng.randint(0 if n == 7 else 1, 2))
        ]
        days = sorted((rng.randint(20, 500) for _ in outcomes), reverse=True)
        name = f"Supplier {n + 1} ({supplies.lower()})"
        suppliers.append(
            {
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
        )
        evaluations.append(
            [
                {
                    "evaluated_on": today - timedelta(days=d),
                    "evaluated_by": "Purchasing officer",
                    "outcome": o,
                    "score": rng.randint(55, 98),
                    "notes": "Scored against the criteria.",
                }
                for o, d in zip(outcomes, days, strict=True)
            ]
        )
    ids = insert_returning(Supplier, suppliers)
    insert_rows(
        SupplierEvaluation,
        [{**e, "supplier_id": i} for i, evs in zip(ids, evaluations, strict=True) for e in evs],
    )
    return ids


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


def _satisfaction(pid: int, rng: random.Random, today: date) -> list[int]:
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
    ids = insert_returning(SatisfactionMeasure, measures)
    values = [
        {
            "measure_id": i,
            "period_end": today - timedelta(days=30 * k + 5),
            "value": Decimal(target) * Decimal(rng.randint(85, 110)) / 100,
            "notes": "",
        }
        for i, (_, _, _, _, target) in zip(ids, specs, strict=True)
        for k in range(8)
    ]
    insert_rows(SatisfactionValue, values)
    return ids


def _risk_files(pid: int, rng: random.Random, today: date) -> list[int]:
    families = ("Single-use devices", "Sterile packs")
    ids = insert_returning(
        RiskFile,
        [
            {
                "project_id": pid,
                "device_family": family,
                "family_key": family.casefold(),
                "intended_use": "Single use by trained clinical staff.",
                "acceptability_policy": "Residual risk as low as reasonably practicable.",
                "reviewed_on": today - timedelta(days=rng.randint(30, 300)),
            }
            for family in families
        ],
    )
    hazards = [
        {
            "risk_file_id": i,
            "hazard": f"Hazard {k + 1}",
            "situation": "Pack opened with a torn seal.",
            "harm": "Infection",
            "severity": rng.randint(2, 5),
            "probability": rng.randint(1, 4),
            "controls": "Seal strength tested per lot." if k < 4 else "",
            "residual_severity": 2 if k < 4 else None,
            "residual_probability": 1 if k < 4 else None,
            "verification": "Validation report VR-12." if k < 4 else "",
        }
        for i in ids
        for k in range(5)
    ]
    insert_rows(Hazard, hazards)
    return ids


def _software(pid: int, name: str, rng: random.Random, today: date) -> dict[str, Any]:
    validated = rng.random() < 0.7
    on = today - timedelta(days=rng.randint(30, 700))
    return {
        "project_id": pid,
        "name": name,
        "name_key": name.casefold(),
        "version_label": "4.2",
        "intended_use": "Records used as quality evidence.",
        "risk": rng.choice(("low", "medium", "high")),
        "approach": "Tested against the user requirements.",
        "validated_on": on if validated else None,
        "validated_version": "4.2" if validated else "",
        "result": "Passed." if validated else "",
        "revalidate_by": on + timedelta(days=730) if validated else None,
        "retired": False,
    }
