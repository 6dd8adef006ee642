"""The registers of one standard only, for a generated project: ISO 9001's context (issues, interested
parties, the climate-change decision) and risks and opportunities; ISO 13485's risk-management files (with
their hazards) and QMS software validation list. Some reviews are overdue, some risks not yet reviewed, one
application in three not validated.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from app.models import (
    ClimateDecision,
    ContextIssue,
    Hazard,
    InterestedParty,
    Risk,
    RiskFile,
    SoftwareValidation,
)
from app.services.generator.progress import Planned
from app.services.generator.rows import Batch, Row

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
SOFTWARE = (
    "ERP system",
    "Document control tool",
    "Label printing software",
    "Spreadsheet for batch yields",
    "Complaint database",
)


def add_context(batch: Batch, pid: int, rng: random.Random, today: date) -> None:
    """ISO 9001's context of project ``pid``: its issues, interested parties and climate decision (its
    risks, which name them, come after: :func:`add_risks`)."""
    batch.add_families(ContextIssue, [(_issue(pid, spec, rng, today), []) for spec in ISSUES])
    batch.add_families(InterestedParty, [(_party(pid, spec, rng, today), []) for spec in PARTIES])
    climate = {
        "project_id": pid,
        "decided_on": today - timedelta(days=60),
        "relevant": rng.random() < 0.5,
        "decided_by": "Managing director",
        "reasoning": "Floods and heat affect the plant and its suppliers.",
    }
    batch.add(ClimateDecision, [climate])


def add_risks(
    batch: Batch, projects: list[Planned], written: dict[Any, list[tuple[Row, int]]], today: date
) -> None:
    """Eight risks and opportunities of each ISO 9001 project, each from one of its ``written`` issues or
    interested parties."""
    issues: defaultdict[int, list[int]] = defaultdict(list)
    parties: defaultdict[int, list[int]] = defaultdict(list)
    for row, record_id in written.get(ContextIssue, []):
        issues[row["project_id"]].append(record_id)
    for row, record_id in written.get(InterestedParty, []):
        parties[row["project_id"]].append(record_id)
    for planned in projects:
        pid = planned.project_id
        if pid in issues:
            rng = random.Random(f"{planned.seed}:risks")
            risks = [_risk(pid, n, issues[pid], parties[pid], rng, today) for n in range(8)]
            batch.add_families(Risk, [(row, []) for row in risks])


def add_medical_files(batch: Batch, pid: int, rng: random.Random, today: date) -> None:
    """ISO 13485's risk-management files (with their hazards) and QMS software of project ``pid``."""
    families = ("Single-use devices", "Sterile packs")
    files = [(_risk_file(pid, family, rng, today), _hazards(rng)) for family in families]
    batch.add_families(RiskFile, files, Hazard, "risk_file_id")
    batch.add_families(SoftwareValidation, [(_software(pid, name, rng, today), []) for name in SOFTWARE])


def _issue(pid: int, spec: tuple[str, str, str], rng: random.Random, today: date) -> Row:
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


def _party(pid: int, spec: tuple[str, str, str], rng: random.Random, today: date) -> Row:
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


def _risk(pid: int, n: int, issues: list[int], parties: list[int], rng: random.Random, today: date) -> Row:
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


def _risk_file(pid: int, family: str, rng: random.Random, today: date) -> Row:
    return {
        "project_id": pid,
        "device_family": family,
        "family_key": family.casefold(),
        "intended_use": "Single use by trained clinical staff.",
        "acceptability_policy": "Residual risk as low as reasonably practicable.",
        "reviewed_on": today - timedelta(days=rng.randint(30, 300)),
    }


def _hazards(rng: random.Random) -> list[Row]:
    """Five hazards, four of them controlled and verified."""
    return [
        {
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
        for k in range(5)
    ]


def _software(pid: int, name: str, rng: random.Random, today: date) -> Row:
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
