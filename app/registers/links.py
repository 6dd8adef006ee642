"""Where each register and each kind of register record is shown (the domain knows no routes)."""

from __future__ import annotations

from datetime import date

from flask import url_for

from app.domain.registers import Concern, RecordKind, RegisterKey, RegisterState
from app.models import CertificationProject
from app.services import register_states

INDEX_ENDPOINTS: dict[RegisterKey, str] = {key: f"project.{key}.index" for key in RegisterKey}

RECORD_ENDPOINTS: dict[RecordKind, tuple[str, str]] = {
    RecordKind.CONTEXT_ISSUE: ("project.context.issue", "issue_id"),
    RecordKind.INTERESTED_PARTY: ("project.context.party", "party_id"),
    RecordKind.RISK: ("project.risks.show", "risk_id"),
    RecordKind.INSTRUMENT: ("project.equipment.show", "instrument_id"),
    RecordKind.SUPPLIER: ("project.suppliers.show", "supplier_id"),
    RecordKind.COMPLAINT: ("project.complaints.show", "complaint_id"),
    RecordKind.SATISFACTION_MEASURE: ("project.satisfaction.show", "measure_id"),
    RecordKind.RISK_FILE: ("project.risk_files.show", "risk_file_id"),
    RecordKind.SOFTWARE: ("project.software.show", "software_id"),
}


def register_url(project_id: int, key: RegisterKey, **query: str) -> str:
    return url_for(INDEX_ENDPOINTS[key], project_id=project_id, **query)


def record_url(project_id: int, kind: RecordKind, record_id: int) -> str:
    endpoint, parameter = RECORD_ENDPOINTS[kind]
    return url_for(endpoint, project_id=project_id, **{parameter: record_id})


def register_links(
    project: CertificationProject, number: str, today: date
) -> list[tuple[RegisterState, str]]:
    """The registers that evidence one requirement, with their state and the list's address."""
    return [
        (found, register_url(project.id, found.key))
        for found in register_states.states_for_clause(project, number, today)
    ]


def concern_url(project_id: int, key: RegisterKey, concern: Concern) -> str:
    """The register's list, filtered to the records a concern counts."""
    return register_url(project_id, key, **dict(concern.query))
