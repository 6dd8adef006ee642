"""The demo: its document registers, and the stages and the checklist telling the same story of them.

On every demo project the Documentation stage's criterion and the documented-information checklist read the
register through one rule, so they agree; a stage the demo marks done really meets its criteria; and the
registers show documents at every state a consultant meets (approved, in review, superseded, overdue).
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
from app.extensions import db
from app.models import CertificationProject, ControlledDocument, DocumentRevision
from app.services import demo
from app.services.backup import sha256_of
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
