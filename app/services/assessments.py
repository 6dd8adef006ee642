"""Gap-analysis verdicts: listing a project's requirements and saving one verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.domain.assessment import assessment_errors
from app.domain.coverage import EvidenceTally
from app.domain.readiness import (
    ClauseAssessment,
    ClauseStatus,
    Readiness,
    overall_readiness,
    readiness_by_section,
    section_of,
)
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause
from app.services import history
from app.services.changes import check_version
from app.services.evidence_on_pages import clause_tallies


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


def _verdicts(project: CertificationProject) -> list[ClauseAssessment]:
    """Every requirement's number and status: all the readiness figures need (one light query)."""
    rows = db.session.execute(
        select(Clause.number, Assessment.status)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id)
    ).all()
    return [ClauseAssessment(number, ClauseStatus(status)) for number, status in rows]


def readiness_now(project: CertificationProject, number: str) -> tuple[Readiness, Readiness]:
    """The project's overall readiness and that of ``number``'s section, as saved now (one query): what the
    gap analysis page updates after a verdict is saved in place."""
    verdicts = _verdicts(project)
    section = section_of(number)
    return overall_readiness(verdicts), readiness_by_section(verdicts).get(section, Readiness())


@dataclass(frozen=True)
class GapReadiness:
    """The project's readiness overall and per section (every section of the standard, catalog order)."""

    overall: Readiness
    by_section: dict[str, Readiness]


def gap_readiness(project: CertificationProject) -> GapReadiness:
    """The readiness figures of the gap analysis, read before its rows so the view can choose the section
    to show from them (one query)."""
    verdicts = _verdicts(project)
    return GapReadiness(overall_readiness(verdicts), readiness_by_section(verdicts))


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
    version: int | None = None,
) -> dict[str, str]:
    """Apply a verdict made on the verdict as read at ``version``, or return field errors and change
    nothing. The caller commits.

    A changed status also records today's readiness snapshot (:mod:`app.services.history`).
    """
    check_version(found.assessment, version)
    errors = assessment_errors(
        status, justification, found.clause.may_be_not_applicable, project.standard.not_applicable_rule
    )
    if errors:
        return errors
    assessment = found.assessment
    changed = assessment.status != status
    assessment.status = status
    assessment.notes = notes
    assessment.owner = owner
    assessment.due_date = due_date
    assessment.justification = justification if status == "not_applicable" else ""
    if changed:  # readiness moved: keep today's point of the history chart current
        history.record_snapshot(project, date.today())
    db.session.flush()  # the row's new version, for the answer's ETag
    return {}


def section_titles(project: CertificationProject) -> dict[str, str]:
    """Section number -> title ("7" -> "Support") of the project's standard (one query)."""
    stmt = select(Clause.number, Clause.title).where(
        Clause.standard_id == project.standard_id, Clause.level == 1
    )
    return {row.number: row.title for row in db.session.execute(stmt)}


@dataclass(frozen=True)
class GapRow:
    """A requirement on the gap-analysis page; ``shown`` is False when the status filter hides it."""

    requirement: Requirement
    shown: bool


@dataclass(frozen=True)
class GapSection:
    number: str
    title: str
    readiness: Readiness  # over every requirement of the section, whatever the status filter
    rows: list[GapRow]

    @property
    def shown(self) -> int:
        return sum(1 for row in self.rows if row.shown)


@dataclass(frozen=True)
class GapAnalysis:
    overall: Readiness
    by_section: dict[str, Readiness]  # every section of the standard, for the section links and filter bar
    titles: dict[str, str]
    sections: list[GapSection]  # the sections shown: one, or every section
    evidence: dict[str, EvidenceTally] = field(default_factory=dict)  # clause number -> its live evidence
    section: str | None = None  # the one section shown; None when every section is

    @property
    def shown(self) -> int:
        return sum(section.shown for section in self.sections)

    @property
    def previous_section(self) -> str | None:
        return self._beside(-1)

    @property
    def next_section(self) -> str | None:
        return self._beside(1)

    def _beside(self, step: int) -> str | None:
        """The section ``step`` places from the one shown, in catalog order (None at either end)."""
        numbers = list(self.by_section)
        if self.section not in numbers:
            return None
        at = numbers.index(self.section) + step
        return numbers[at] if 0 <= at < len(numbers) else None


def gap_analysis(
    project: CertificationProject,
    readiness: GapReadiness,
    section: str | None,
    status: str | None,
    keep: str | None = None,
    today: date | None = None,
) -> GapAnalysis:
    """The requirements of one section (or of every section when ``section`` is None) with their verdicts
    and evidence, beside the readiness read by :func:`gap_readiness`; three queries whatever their number.

    Only the shown section's requirements are loaded: the page sends one section at a time (issue 19).
    ``section`` and ``status`` must be known values (or None). ``keep`` names a requirement shown even when
    the status filter would hide it (the one whose refused verdict is being corrected). ``today`` decides
    which accepted evidence has expired (default: the current date).
    """
    found = requirements(project, section)
    rows: dict[str, list[GapRow]] = {}
    for r in found:
        shown = status is None or r.assessment.status == status or r.clause.number == keep
        rows.setdefault(section_of(r.clause.number), []).append(GapRow(r, shown))
    titles = section_titles(project)
    sections = [
        GapSection(number, titles.get(number, ""), section_readiness, rows.get(number, []))
        for number, section_readiness in readiness.by_section.items()
        if section is None or number == section
    ]
    return GapAnalysis(
        overall=readiness.overall,
        by_section=readiness.by_section,
        titles=titles,
        sections=sections,
        evidence=clause_tallies(project, today or date.today(), section),
        section=section,
    )
