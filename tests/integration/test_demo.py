"""The demo: its document registers, its people and training matrices, and the stages and the checklist
telling the same story of them.

On every demo project the Documentation stage's criterion and the documented-information checklist read the
register through one rule, so they agree; a stage the demo marks done really meets its criteria; the
registers show documents at every state a consultant meets (approved, in review, superseded, overdue); and
every factory has a staff list and a partly filled training matrix, one with people to retrain after a
procedure was revised.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.coverage import ChecklistStatus
from app.domain.documents import DocumentStatus, RevisionState, review_overdue
from app.domain.file_types import check_file
from app.domain.pathway import Stage, StageStatus
from app.domain.pdf_content import has_active_content
from app.domain.training import METHODS, CellState, session_date_error
from app.extensions import db
from app.models import CertificationProject, ControlledDocument, DocumentRevision, Person, TrainingSession
from app.services import demo, training
from app.services.backup import sha256_of
from app.services.demo_training import revision_in_force
from app.services.doc_checklist import documented_information
from app.services.evidence import storage_use, store
from app.services.pathway import load_snapshot, project_overview

TODAY = date(2026, 6, 15)


@pytest.fixture
def projects(app) -> list[CertificationProject]:
    demo.create_demo(TODAY)
    db.session.commit()
    return list(db.session.execute(select(CertificationProject).order_by(CertificationProject.id)).scalars())


def document_lines(project: CertificationProject) -> list:
    checklist = documented_information(project, TODAY)
    return [row.line for row in checklist.rows if row.line.document]


def test_the_documentation_criterion_and_the_checklist_agree_on_every_demo_project(projects):
    assert len(projects) == 3
    for project in projects:
        snapshot, _, _ = load_snapshot(project, TODAY)
        lines = document_lines(project)
        applicable = {ln.clause.number for ln in lines if ln.status is not ChecklistStatus.NOT_APPLICABLE}
        accepted = {ln.clause.number for ln in lines if ln.document_status is ChecklistStatus.ACCEPTED}
        assert {ln.clause.number for ln in lines} == set(snapshot.maintain_items), project.client.name
        assert snapshot.approved_documents & applicable == accepted, project.client.name
        [criterion] = project_overview(project, TODAY).stage(Stage.DOCUMENTATION).criteria
        assert criterion.met == (applicable <= accepted), project.client.name
        if not criterion.met:
            for number in applicable - accepted:
                assert number in criterion.reason or "more" in criterion.reason


def test_a_stage_the_demo_marks_done_meets_its_criteria(projects):
    done = []
    for project in projects:
        for view in project_overview(project, TODAY).stages:
            if view.row.status == StageStatus.DONE:
                assert view.unmet == [], (project.client.name, view.info.key, view.unmet)
                done.append((project.client.country, view.info.key))
    assert ("MY", Stage.DOCUMENTATION) in done  # the medical-device factory has documented its system


def test_the_demo_registers_hold_documents_at_every_state(projects):
    documents = list(db.session.execute(select(ControlledDocument)).scalars())
    states = {revision.state for document in documents for revision in document.revisions}
    assert set(RevisionState) <= states  # draft, in review, approved, superseded
    overdue = [
        d
        for d in documents
        if d.status == DocumentStatus.ACTIVE
        and any(r.state == RevisionState.APPROVED for r in d.revisions)
        and review_overdue(d.review_due, TODAY)
    ]
    assert len(overdue) == 1
    assert any(d.status == DocumentStatus.OBSOLETE and d.withdrawn_reason for d in documents)
    by_project = {p.client.country: p.id for p in projects}
    assert {d.project_id for d in documents} == set(by_project.values())  # every factory has started one
    cork = documented_information(next(p for p in projects if p.client.country == "VN"), TODAY)
    shown = {row.line.document_status for row in cork.rows if row.line.document}
    assert {ChecklistStatus.ACCEPTED, ChecklistStatus.SUBMITTED, ChecklistStatus.DRAFT} <= shown
    assert ChecklistStatus.EXPIRED in shown  # the overdue review


def test_each_document_follows_the_register_rules(projects):
    for document in db.session.execute(select(ControlledDocument)).scalars():
        approved = [r for r in document.revisions if r.state == RevisionState.APPROVED]
        assert len(approved) <= 1, document.code
        assert document.code.startswith(("SCC-", "CPS-", "PMT-"))
        assert document.clauses, document.code
        for revision in document.revisions:
            if revision.state in (RevisionState.APPROVED, RevisionState.SUPERSEDED):
                assert revision.approved_by_id and revision.approved_on and revision.self_approved
            if revision.state == RevisionState.SUPERSEDED:
                assert revision.superseded_at is not None
            if revision.state == RevisionState.IN_REVIEW:
                assert revision.submitted_at is not None and revision.approved_at is None
        if document.status == DocumentStatus.ACTIVE and approved:
            assert document.review_due is not None and document.review_due > approved[0].approved_on
        elif document.status == DocumentStatus.ACTIVE:
            assert document.review_due is None


def test_every_revision_has_its_file_which_passes_the_upload_checks(app, projects):
    revisions = list(db.session.execute(select(DocumentRevision)).scalars())
    assert revisions
    for revision in revisions:
        path = store().path(revision.storage_name)
        assert sha256_of(path) == revision.sha256 and path.stat().st_size == revision.size
        with path.open("rb") as content:
            assert check_file(revision.filename, content).content_type == "application/pdf"
        assert not has_active_content(io.BytesIO(path.read_bytes()))
    workspace_id = projects[0].workspace_id
    assert storage_use(workspace_id).used_bytes == sum(r.size for r in revisions)


def test_a_demo_that_is_not_committed_leaves_no_file(app):
    demo.create_demo(TODAY)
    db.session.flush()
    folder = store().root
    assert any(folder.iterdir())
    db.session.rollback()
    assert not [p for p in folder.iterdir() if not p.name.startswith(".")]


# People and training


def test_every_demo_factory_has_a_staff_list_and_a_partly_filled_matrix(projects):
    outdated = {}
    for project in projects:
        name = project.client.name
        people = list(db.session.execute(select(Person).where(Person.site_id == project.site_id)).scalars())
        assert 12 <= len(people) <= 25, name
        assert len([p for p in people if p.left_on is not None]) == 1, name
        assert all(p.department and p.job_role and p.started_on for p in people), name
        matrix = training.load_matrix(project, TODAY)
        assert len(matrix.people) == len(people) - 1, name  # who has left is not a row
        counts = matrix.counts()
        assert counts[CellState.DONE] and counts[CellState.DUE], (name, counts)
        assert any(r.everyone for r in matrix.requirements), name
        assert any(r.qualifies_auditor for r in matrix.requirements), name
        assert any(r.is_document for r in matrix.requirements), name
        outdated[project.client.country] = counts[CellState.OUTDATED]
    assert outdated["MY"] >= 3, outdated


def test_the_factory_with_a_revised_procedure_is_told_whom_to_retrain(projects):
    infusion = next(p for p in projects if p.client.country == "MY")
    overview = project_overview(infusion, TODAY)
    [retrain] = [step for step in overview.next_steps if step.title.startswith("Retrain ")]
    assert retrain.title == "Retrain 7 people on PMT-QP-13 Contamination control"
    assert retrain.target == ("training_matrix", {"state": "outdated"})
    stage = overview.stage(Stage.TRAINING)
    assert stage.row.status == StageStatus.IN_PROGRESS
    assert {c.key for c in stage.criteria if c.met} == {"training.auditor_qualified"}


def test_the_demo_sessions_follow_the_training_rules(projects):
    sessions = list(db.session.execute(select(TrainingSession)).scalars())
    results = {a.result for s in sessions for a in s.attendance}
    assert results == {"pass", "fail", "pending"}
    assert any(s.evidence_id for s in sessions)
    for session in sessions:
        assert session_date_error(session.held_on, TODAY) is None
        assert session.method in METHODS and session.attendance
        document = session.requirement.document
        assert session.revision == (revision_in_force(document, session.held_on) if document else None)
        for attendance in session.attendance:
            person = attendance.person
            assert person.site_id == next(p.site_id for p in projects if p.id == session.project_id)
            assert person.started_on <= session.held_on and (person.left_on or TODAY) >= session.held_on
            if attendance.result == "pending":
                assert attendance.checked_on is None
            else:
                assert session.held_on <= attendance.checked_on <= TODAY and attendance.check_method
