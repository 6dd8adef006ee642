"""What every register record shares: its history (one line per change, in words) and the project's evidence
linked to it. Each register's own service calls :func:`log` when it creates or changes a record; the record
pages show :func:`history` and :func:`linked_evidence`, and the registers blueprint links and unlinks
evidence through :func:`link_evidence` and :func:`unlink_evidence`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from app.domain.ids import is_id_in_range
from app.domain.permissions import Action
from app.domain.registers import RecordKind
from app.domain.text import _
from app.extensions import db
from app.models import (
    CertificationProject,
    Complaint,
    ContextIssue,
    EvidenceItem,
    Instrument,
    InterestedParty,
    RegisterEvent,
    RegisterEvidence,
    Risk,
    RiskFile,
    SatisfactionMeasure,
    SoftwareValidation,
    Supplier,
)
from app.services.errors import Invalid, NotFound
from app.services.scope import Scope, get_or_404_in

HISTORY_LIMIT = 100  # the newest changes a record page shows

MODELS: dict[RecordKind, Any] = {
    RecordKind.CONTEXT_ISSUE: ContextIssue,
    RecordKind.INTERESTED_PARTY: InterestedParty,
    RecordKind.RISK: Risk,
    RecordKind.INSTRUMENT: Instrument,
    RecordKind.SUPPLIER: Supplier,
    RecordKind.COMPLAINT: Complaint,
    RecordKind.SATISFACTION_MEASURE: SatisfactionMeasure,
    RecordKind.RISK_FILE: RiskFile,
    RecordKind.SOFTWARE: SoftwareValidation,
}


def record_kind(text: str) -> RecordKind:
    """The kind a URL names, or NotFound."""
    try:
        return RecordKind(text)
    except ValueError:
        raise NotFound() from None


def record_in(scope: Scope, project: CertificationProject, kind: RecordKind, record_id: int) -> Any:
    """A record of this project the scope may see, or NotFound (one query)."""
    record = get_or_404_in(scope, MODELS[kind], record_id)
    if record.project_id != project.id:
        raise NotFound()
    return record


def log(scope: Scope | None, project_id: int, kind: RecordKind, record_id: int, summary: str) -> None:
    """Add one line to a record's history ("Calibrated on 3 Nov 2026: out of tolerance.")."""
    db.session.add(
        RegisterEvent(
            project_id=project_id,
            register=str(kind),
            record_id=record_id,
            actor_id=scope.user_id if scope else None,
            summary=summary,
        )
    )


def changed(before: Mapping[str, Any], after: Mapping[str, Any], labels: Mapping[str, str]) -> list[str]:
    """The labels of the fields whose value differs, in the order of ``labels``."""
    return [label for name, label in labels.items() if name in after and before.get(name) != after[name]]


def history(kind: RecordKind, record_id: int, limit: int = HISTORY_LIMIT) -> list[RegisterEvent]:
    """A record's changes, newest first, with who made them (one query)."""
    return list(
        db.session.execute(
            select(RegisterEvent)
            .where(RegisterEvent.register == str(kind), RegisterEvent.record_id == record_id)
            .options(joinedload(RegisterEvent.actor))
            .order_by(RegisterEvent.occurred_at.desc(), RegisterEvent.id.desc())
            .limit(limit)
        ).scalars()
    )


def linked_evidence(kind: RecordKind, record_ids: Iterable[int]) -> dict[int, list[EvidenceItem]]:
    """The evidence (not in the bin) linked to each record, by record id, in one query."""
    ids = list(record_ids)
    found: dict[int, list[EvidenceItem]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        select(RegisterEvidence.record_id, EvidenceItem)
        .join(EvidenceItem, EvidenceItem.id == RegisterEvidence.evidence_id)
        .where(
            RegisterEvidence.register == str(kind),
            RegisterEvidence.record_id.in_(ids),
            EvidenceItem.deleted_at.is_(None),
        )
        .order_by(EvidenceItem.title, EvidenceItem.id)
    ).all()
    for record_id, item in rows:
        found[record_id].append(item)
    return found


def evidence_choices(project: CertificationProject, limit: int = 200) -> list[EvidenceItem]:
    """The project's evidence a record may link (not in the bin), by title; the newest ``limit``."""
    return list(
        db.session.execute(
            select(EvidenceItem)
            .where(EvidenceItem.project_id == project.id, EvidenceItem.deleted_at.is_(None))
            .order_by(EvidenceItem.created_at.desc(), EvidenceItem.id.desc())
            .limit(limit)
        ).scalars()
    )


def link_evidence(
    scope: Scope, project: CertificationProject, kind: RecordKind, record: Any, evidence_id: int | None
) -> EvidenceItem:
    """Link a piece of this project's evidence to a record; linking it twice changes nothing."""
    scope.require(Action.EDIT_CONTENT)
    item = None
    if evidence_id is not None and is_id_in_range(evidence_id):
        item = db.session.get(EvidenceItem, evidence_id)
    if item is None or item.project_id != project.id or item.deleted_at is not None:
        raise Invalid(
            _("The evidence was not linked."),
            {"evidence_id": _("Choose evidence of this project (evidence in the bin cannot be linked).")},
        )
    exists = db.session.execute(
        select(RegisterEvidence.id).where(
            RegisterEvidence.register == str(kind),
            RegisterEvidence.record_id == record.id,
            RegisterEvidence.evidence_id == item.id,
        )
    ).scalar_one_or_none()
    if exists is None:
        db.session.add(
            RegisterEvidence(
                project_id=project.id, register=str(kind), record_id=record.id, evidence_id=item.id
            )
        )
        log(scope, project.id, kind, record.id, f"Linked the evidence “{item.title}”.")
    return item


def unlink_evidence(
    scope: Scope, project: CertificationProject, kind: RecordKind, record: Any, evidence_id: int
) -> None:
    """Remove a link (the evidence itself stays); NotFound when the record has no such link."""
    scope.require(Action.EDIT_CONTENT)
    link = db.session.execute(
        select(RegisterEvidence)
        .where(
            RegisterEvidence.register == str(kind),
            RegisterEvidence.record_id == record.id,
            RegisterEvidence.evidence_id == evidence_id,
        )
        .options(joinedload(RegisterEvidence.evidence))
    ).scalar_one_or_none()
    if link is None:
        raise NotFound()
    log(scope, project.id, kind, record.id, f"Unlinked the evidence “{link.evidence.title}”.")
    db.session.execute(delete(RegisterEvidence).where(RegisterEvidence.id == link.id))
