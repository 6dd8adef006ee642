"""A project's snapshot: the plain values its exit criteria and next steps read, loaded in a fixed number of
queries whatever the number of clauses, tasks, findings, documents or records.

A page loads only what it shows: ``judged`` names the stages whose exit criteria it judges (a stage page,
its own), and the next steps' own facts (documents waiting, review actions, the registers) are read only
``with_next_steps``. A fact no judged stage reads is left empty in the snapshot.

The statements are built once, with the project and the day bound when they run: building a statement
costs SQLAlchemy more than running it, and a statement kept finds its compiled SQL in the cache at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from sqlalchemy import Date, Integer, bindparam, select

from app.domain import checklists, documents, pathway, readiness
from app.domain.next_steps import ProjectSnapshot
from app.domain.pathway import Stage, TaskSnapshot
from app.domain.training import Matrix, qualified_auditors
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, ProjectStage, Standard, Task
from app.services import audits as audit_service
from app.services import document_register, register_states, training
from app.services import external_audits as external_audit_service
from app.services import findings as finding_service
from app.services import reviews as review_service
from app.services.coverage import has_current_evidence

ALL_STAGES = frozenset(Stage)
NO_MATRIX = Matrix((), (), {})
_PROJECT_ID = bindparam("project_id", type_=Integer)

# Whether a requirement has current evidence, asked with its verdict (the coverage's rule: current_evidence).
_COVERED = has_current_evidence(bindparam("today", type_=Date))
_VERDICTS = (
    select(
        Clause.number,
        Assessment.status,
        Assessment.justification,
        Assessment.owner,
        Assessment.due_date,
        _COVERED.label("covered"),
    )
    .join(Clause, Clause.id == Assessment.clause_id)
    .where(Assessment.project_id == _PROJECT_ID)
)
_TASKS = select(Task).where(Task.project_id == _PROJECT_ID).order_by(Task.position, Task.id)
_STAGES = select(ProjectStage).where(ProjectStage.project_id == _PROJECT_ID).order_by(ProjectStage.position)


@dataclass(frozen=True)
class ClauseView:
    """A catalog clause as the checklist templates see it."""

    number: str
    title: str | None
    label: str | None
    documented_information: str
    requirement: bool


@dataclass(frozen=True)
class CatalogFacts:
    """What the snapshot reads from a standard's catalog: the same for every project of that standard."""

    maintain_items: tuple[str, ...]
    section_titles: Mapping[str, str]


def catalog_facts(standard: Standard) -> CatalogFacts:
    """Read once per process and standard: a catalog version never changes once loaded
    (:func:`app.services.standards.add_catalog`). The code and version are in the key with the id, so a
    database that gives the id to another catalog (a test's) is never answered from another's."""
    return _catalog_facts(standard.id, standard.code, standard.version)


@lru_cache(maxsize=16)
def _catalog_facts(standard_id: int, code: str, version: str) -> CatalogFacts:
    clauses = db.session.execute(
        select(
            Clause.number, Clause.title, Clause.level, Clause.documented_information, Clause.is_requirement
        )
        .where(Clause.standard_id == standard_id)
        .order_by(Clause.position)
    ).all()
    views = [ClauseView(c.number, c.title, None, c.documented_information, c.is_requirement) for c in clauses]
    return CatalogFacts(
        maintain_items=checklists.maintain_items(views),
        section_titles=MappingProxyType(
            {c.number: c.title for c in clauses if c.level == 1}
        ),  # shared: read-only
    )


def _stage_facts(
    project: CertificationProject,
    today: date,
    judged: frozenset[Stage],
    with_next_steps: bool,
    catalog: CatalogFacts,
    training_records: training.TrainingRecords | None,
) -> dict[str, Any]:
    """The snapshot's facts that only some stages (or the next steps) read, for the ``judged`` stages."""

    def needed(*stages: Stage) -> bool:
        return not judged.isdisjoint(stages)

    facts: dict[str, Any] = {}
    if needed(Stage.DOCUMENTATION):
        register = document_register.facts(project.id)
        facts["approved_documents"] = documents.controlled_numbers(catalog.maintain_items, register, today)
    if needed(Stage.TRAINING, Stage.INTERNAL_AUDIT):
        facts["training"] = training.load_matrix(project, today, records=training_records)
    if needed(Stage.INTERNAL_AUDIT, Stage.MANAGEMENT_REVIEW):  # the review's criteria: the last report's day
        qualified = [person.id for person in qualified_auditors(facts.get("training", NO_MATRIX))]
        facts["audits"] = tuple(audit_service.programme_facts(project, qualified))
    findings = None
    if needed(Stage.INTERNAL_AUDIT):
        findings = finding_service.alerts(project, today)
        facts["open_internal_majors"] = findings.open_majors_by_source.get("internal_audit", 0)
        if with_next_steps:
            facts["overdue_findings"], facts["open_major_findings"] = findings.overdue, findings.open_majors
    if needed(Stage.MANAGEMENT_REVIEW):  # (as the next steps judge every stage, with their actions)
        reviews = review_service.review_records(project, today)
        facts["reviews"] = tuple(reviews.reviews)
        if with_next_steps:
            facts["overdue_review_actions"] = tuple(reviews.overdue_actions)
    if needed(Stage.EXTERNAL_AUDIT):
        majors = findings.external_majors if findings else None  # the register's, when read already
        facts["external_audit"] = external_audit_service.stage_facts(project, majors)
    if with_next_steps:
        waiting = document_register.waiting(project.id, today)
        facts["documents_in_review"], facts["documents_overdue"] = waiting.in_review, waiting.overdue
        facts["registers"] = tuple(register_states.states_of(project, today))
    return facts


class Loaded(NamedTuple):
    snapshot: ProjectSnapshot
    tasks: list[Task]  # as loaded, for the pages
    stages: list[ProjectStage]
    covered: frozenset[str]  # the requirements with current evidence (when the verdicts are read)


def load_snapshot(
    project: CertificationProject,
    today: date | None = None,
    judged: Collection[Stage] = ALL_STAGES,
    with_next_steps: bool = True,
) -> tuple[ProjectSnapshot, list[Task], list[ProjectStage]]:
    """What the exit criteria of the ``judged`` stages need and, ``with_next_steps``, the next steps too
    (which judge every stage), with the project's tasks and stage rows."""
    snapshot, tasks, stages, _ = load(project, today or date.today(), judged, with_next_steps)
    return snapshot, tasks, stages


def load(
    project: CertificationProject,
    today: date,
    judged: Collection[Stage],
    with_next_steps: bool,
    training_records: training.TrainingRecords | None = None,
) -> Loaded:
    """:func:`load_snapshot`, and which requirements have current evidence (asked with the verdicts); the
    matrix is built from ``training_records`` when the caller has read them for its own use."""
    judged = ALL_STAGES if with_next_steps else frozenset(judged)
    params = {"project_id": project.id}
    verdicts = (
        db.session.execute(_VERDICTS, {"project_id": project.id, "today": today}).all()
        if not judged.isdisjoint({Stage.GAP_ANALYSIS, Stage.DOCUMENTATION, Stage.INTERNAL_AUDIT})
        else []
    )
    tasks = list(db.session.execute(_TASKS, params).scalars())
    stages = list(db.session.execute(_STAGES, params).scalars())
    catalog = catalog_facts(project.standard)
    facts = _stage_facts(project, today, judged, with_next_steps, catalog, training_records)
    snapshot = ProjectSnapshot(
        family=pathway.standard_family(project.standard.code),
        clauses=tuple(
            readiness.ClauseAssessment(
                number, readiness.ClauseStatus(status), justification, owner or None, due
            )
            for number, status, justification, owner, due, _ in verdicts
        ),
        maintain_items=catalog.maintain_items,
        tasks=tuple(
            TaskSnapshot(
                t.id, t.title, Stage(t.stage), pathway.TaskStatus(t.status), t.due_date, t.owner or None
            )
            for t in tasks
        ),
        stage_statuses={Stage(s.key): pathway.StageStatus(s.status) for s in stages},
        section_titles=catalog.section_titles,
        as_of=today,
        **facts,
    )
    return Loaded(snapshot, tasks, stages, frozenset(v.number for v in verdicts if v.covered))
