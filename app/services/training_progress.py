"""What the training charts need: every person of the project's site with their dates (those who have left
too: they counted while they worked there), the project's requirements and what each job role requires,
every attendance record (:class:`~app.services.training.TrainingRecords`, which the matrix reads too), and
when each revision of a training document was approved. Five queries whatever the size of the staff list;
:mod:`app.domain.training_progress` computes the rest."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, bindparam, select

from app.domain import training as rules
from app.domain.documents import RevisionState
from app.domain.staff_list import name_key
from app.domain.training_progress import Approval, CompletionHistory, Employment, completion_by_department
from app.extensions import db
from app.models import (
    CertificationProject,
    DocumentRevision,
    Person,
    TrainingRequirement,
)
from app.services.training import TrainingRecords, training_records

APPROVED = (RevisionState.APPROVED, RevisionState.SUPERSEDED)  # approved once, current or since replaced


# Built once and run with the project and its site bound (building costs more than running them).
_PEOPLE = (
    select(Person.id, Person.name, Person.department, Person.job_role, Person.started_on, Person.left_on)
    .where(Person.site_id == bindparam("site_id", type_=Integer))
    .order_by(Person.id)
)
_APPROVALS = (
    select(TrainingRequirement.id, DocumentRevision.id, DocumentRevision.approved_on)
    .join(DocumentRevision, DocumentRevision.document_id == TrainingRequirement.document_id)
    .where(
        TrainingRequirement.project_id == bindparam("project_id", type_=Integer),
        DocumentRevision.state.in_(APPROVED),
        DocumentRevision.approved_on.is_not(None),
    )
)


def _staff(project: CertificationProject, by_role: dict[str, set[int]]) -> list[Employment]:
    return [
        Employment(
            rules.PersonRow(pid, name, department, role, frozenset(by_role.get(name_key(role), ()))),
            started_on,
            left_on,
        )
        for pid, name, department, role, started_on, left_on in db.session.execute(
            _PEOPLE, {"site_id": project.site_id}
        )
    ]


def _approvals(project_id: int) -> dict[int, list[Approval]]:
    """Per document requirement, the approved revisions of its document and the day each was approved."""
    out: dict[int, list[Approval]] = {}
    for requirement_id, revision_id, approved_on in db.session.execute(
        _APPROVALS, {"project_id": project_id}
    ):
        if approved_on is not None:  # (the statement asks for dated ones; said again for the type)
            out.setdefault(requirement_id, []).append(Approval(revision_id, approved_on))
    return out


def completion_history(
    project: CertificationProject, today: date, records: TrainingRecords | None = None
) -> CompletionHistory:
    """Training completion by department at each month end of the last twelve months (five queries; two
    when the matrix's ``records`` are read already)."""
    records = records or training_records(project)
    return completion_by_department(
        _staff(project, records.by_role),
        records.requirements,
        records.attendance,
        _approvals(project.id),
        today,
    )
