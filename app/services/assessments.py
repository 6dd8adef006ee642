"""Gap-analysis verdicts: listing a project's requirements and saving one verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain.assessment import assessment_errors
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause


@dataclass(frozen=True)
class Requirement:
    clause: Clause
    assessment: Assessment


def requirements(
    project: CertificationProject, section: str | None = None, status: str | None = None
) -> list[Requirement]:
    """The project's requirements in catalog order, optionally filtered by section and status (one query)."""
    stmt = (
        select(Clause, Assessment)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id)
        .order_by(Clause.position)
    )
    if section:
        stmt = stmt.where(Clause.section == section)
    if status:
        stmt = stmt.where(Assessment.status == status)
    return [Requirement(clause, assessment) for clause, assessment in db.session.execute(stmt).all()]


def requirement(project: CertificationProject, number: str) -> Requirement | None:
    row = db.session.execute(
        select(Clause, Assessment)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id, Clause.number == number)
    ).first()
    return Requirement(row[0], row[1]) if row else None


def update_requirement(
    project: CertificationProject,
    found: Requirement,
    *,
    status: str,
    notes: str,
    owner: str,
    due_date: date | None,
    justification: str,
) -> dict[str, str]:
    """Apply a verdict, or return field errors and change nothing. The caller commits."""
    errors = assessment_errors(
        status, justification, found.clause.may_be_not_applicable, project.standard.not_applicable_rule
    )
    if errors:
        return errors
    assessment = found.assessment
    assessment.status = status
    assessment.notes = notes
    assessment.owner = owner
    assessment.due_date = due_date
    assessment.justification = justification if status == "not_applicable" else ""
    return {}
