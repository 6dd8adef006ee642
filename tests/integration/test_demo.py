"""The demo: its document registers, its people and training matrices, and the stages and the checklist
telling the same story of them.

On every demo project the Documentation stage's criterion and the documented-information checklist read the
register through one rule, so they agree; a stage the demo marks done really meets its criteria; the
registers show documents at every state a consultant meets (approved, in review, superseded, overdue); and
every factory has a staff list and a partly filled training matrix, one with people to retrain after a
procedure was revised. The medical-device factory has an audit programme (one audit reported, one planned),
findings at every state of the register, a management review held after the audit, and measured objectives.
Every stage follows the stage order (or carries the owner's written reason to start early); one factory is
certified (a valid certificate, its first surveillance audit held, a buyer's share link) and the
medical-device factory's go / no-go says NO-GO, with its reasons.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from dateutil.relativedelta import relativedelta
from flask import Flask
from markupsafe import escape
from sqlalchemy import select

from app.domain import gates
from app.domain.audits import (
    NONCONFORMING,
    AuditStatus,
    LineResult,
    coverage,
    in_scope,
    independence_conflicts,
    line_needs_notes,
    unqualified,
)
from app.domain.certification import AuditKind, CertificateStatus, accreditation_warning, expiry
from app.domain.coverage import ChecklistStatus
from app.domain.documents import DocumentStatus, RevisionState, review_overdue
from app.domain.file_types import check_file
from app.domain.nonconformities import (
    CheckResult,
    EffectivenessCheck,
    FindingState,
    Severity,
    Source,
    check_errors,
    close_errors,
    field_errors,
    implement_errors,
    is_open,
    is_overdue,
    is_sentence,
    plan_errors,
)
from app.domain.objectives import Direction, Measurement, objective_errors
from app.domain.objectives import status as objective_status
from app.domain.pathway import AUDIT_SECTIONS, Stage, StageStatus, StandardFamily
from app.domain.pdf_content import has_active_content
from app.domain.reviews import review_inputs, review_outputs
from app.domain.sharing import LinkState
from app.domain.training import METHODS, CellState, qualified_auditors, session_date_error
from app.extensions import db
from app.models import (
    Assessment,
    Certificate,
    CertificationProject,
    Clause,
    ControlledDocument,
    DocumentRevision,
    ExternalAudit,
    Finding,
    InternalAudit,
    ManagementReview,
    Person,
    ProjectStage,
    QualityObjective,
    ShareLink,
    TrainingSession,
    User,
)
from app.services import demo, training
from app.services.audits import programme_facts
from app.services.backup import sha256_of
from app.services.certificates import certificate_view
from app.services.demo_certified import FACTORY
from app.services.demo_training import revision_in_force
from app.services.doc_checklist import documented_information
from app.services.evidence import storage_use, store
from app.services.findings import facts_of
from app.services.gonogo import go_no_go
from app.services.pathway import load_snapshot, project_overview
from app.services.project_status import status_of
from app.services.sharing import buyer_certificate, state_of
from tests.conftest import demo_built

TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def demo_app(database: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo, built once per engine for this module's tests, which only read it (the demo is the
    slowest thing the suite builds). The tables are emptied when the module is done; a test of another
    module run in between by the same worker tears this down first, and the next test here builds it again."""
    with demo_built(database, tmp_path_factory.mktemp("demo-evidence"), TODAY) as app:
        yield app


@pytest.fixture
def projects(demo_app: Flask) -> list[CertificationProject]:
    db.session.rollback()  # nothing a test read stays in the session for the next one
    return list(db.session.execute(select(CertificationProject).order_by(CertificationProject.id)).scalars())


def certified_of(projects: list[CertificationProject]) -> CertificationProject:
    return next(p for p in projects if p.client.name == FACTORY["client"]["name"])


def document_lines(project: CertificationProject) -> list:
    checklist = documented_information(project, TODAY)
    return [row.line for row in checklist.rows if row.line.document]


def test_the_documentation_criterion_and_the_checklist_agree_on_every_demo_project(projects):
    assert len(projects) == 4
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
    assert ("VN", Stage.EXTERNAL_AUDIT) in done  # the certified factory went the whole way


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
    assert {d.project_id for d in documents} == {p.id for p in projects}  # every factory has started one
    cork = documented_information(next(p for p in projects if p.client.country == "VN"), TODAY)
    shown = {row.line.document_status for row in cork.rows if row.line.document}
    assert {ChecklistStatus.ACCEPTED, ChecklistStatus.SUBMITTED, ChecklistStatus.DRAFT} <= shown
    assert ChecklistStatus.EXPIRED in shown  # the overdue review


def test_each_document_follows_the_register_rules(projects):
    for document in db.session.execute(select(ControlledDocument)).scalars():
        approved = [r for r in document.revisions if r.state == RevisionState.APPROVED]
        assert len(approved) <= 1, document.code
        assert document.code.startswith(("SCC-", "CPS-", "PMT-", "TPP-"))
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


def test_every_revision_has_its_file_which_passes_the_upload_checks(projects):
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


# People and training


def test_every_demo_factory_has_a_staff_list_and_a_partly_filled_matrix(projects):
    """The certified factory's matrix is complete (its Training stage is done); the others' partly filled."""
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
        if project.id == certified_of(projects).id:
            assert set(counts) == {CellState.DONE, CellState.NOT_REQUIRED}, counts
        else:
            assert counts[CellState.DONE] and counts[CellState.DUE], (name, counts)
        assert any(r.everyone for r in matrix.requirements), name
        assert any(r.qualifies_auditor for r in matrix.requirements), name
        assert any(r.is_document for r in matrix.requirements), name
        outdated[name] = counts[CellState.OUTDATED]
    assert outdated[infusion_of(projects).client.name] >= 3, outdated


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


# The audit programme, the nonconformity register, the management review and the objectives


def infusion_of(projects: list[CertificationProject]) -> CertificationProject:
    return next(p for p in projects if p.client.country == "MY")


def rows_of(model, project: CertificationProject) -> list:
    stmt = select(model).where(model.project_id == project.id).order_by(model.id)
    return list(db.session.execute(stmt).scalars())


def test_the_medical_device_factory_has_a_reported_audit_and_a_planned_one(projects):
    infusion = infusion_of(projects)
    reported, planned = sorted(rows_of(InternalAudit, infusion), key=lambda a: a.planned_start)
    assert reported.status == AuditStatus.REPORTED
    assert reported.planned_start <= reported.planned_end <= reported.reported_on < TODAY
    assert (
        planned.status == AuditStatus.PLANNED
        and planned.planned_start > TODAY
        and planned.reported_on is None
    )
    not_applicable = {
        number
        for number, status in db.session.execute(
            select(Clause.number, Assessment.status)
            .join(Assessment, Assessment.clause_id == Clause.id)
            .where(Assessment.project_id == infusion.id)
        )
        if status == "not_applicable"
    }
    assert not_applicable
    requirements = select(Clause.number).where(
        Clause.standard_id == infusion.standard_id, Clause.is_leaf, Clause.is_requirement
    )
    leaves = list(db.session.execute(requirements.order_by(Clause.position)).scalars())
    for audit in (reported, planned):
        scope = [c.number for c in audit.scope]
        expected = [n for n in leaves if in_scope(n, scope) and n not in not_applicable]
        assert [line.clause.number for line in audit.lines] == expected, audit.title
        assert all(line.prompt for line in audit.lines)
    assert {line.result for line in planned.lines} == {LineResult.NOT_CHECKED}
    results = [LineResult(line.result) for line in reported.lines]
    assert LineResult.NOT_CHECKED not in results and set(NONCONFORMING) <= set(results)
    assert not any(line_needs_notes(LineResult(ln.result), ln.notes) for ln in reported.lines)
    assert any(ln.prompt.startswith("Look for: ") for ln in reported.lines)
    # Every auditor is qualified and independent of what they audit; the lead holds a passed course.
    qualified = {p.id for p in qualified_auditors(training.load_matrix(infusion, TODAY))}
    assert reported.lead_auditor_id in qualified and planned.lead_auditor_id in qualified
    programme = programme_facts(infusion, qualified)
    for audit in programme:
        assert audit.auditors and not unqualified(audit.auditors), audit.title
        assert not independence_conflicts(audit.auditors, audit.departments), audit.title
    covered = coverage(AUDIT_SECTIONS[StandardFamily.ISO_13485], programme, TODAY)
    assert covered.uncovered == ["4", "5", "8"] and covered.unplanned == []


def test_the_register_holds_findings_at_every_state_one_of_them_overdue(projects):
    infusion = infusion_of(projects)
    findings = rows_of(Finding, infusion)
    assert {f.status for f in findings} == set(FindingState)
    assert {f.source for f in findings} >= {Source.INTERNAL_AUDIT, Source.CUSTOMER_COMPLAINT, Source.SUPPLIER}
    [late] = [f for f in findings if is_overdue(facts_of(f), TODAY)]
    assert late.status == FindingState.ACTION_PLANNED and late.action_due < TODAY
    [major] = [f for f in findings if f.severity == Severity.MAJOR and is_open(f.status)]
    assert major.source == Source.INTERNAL_AUDIT
    [reported] = [a for a in rows_of(InternalAudit, infusion) if a.reported_on]
    from_audit = {f.audit_line_id: f for f in findings if f.audit_id == reported.id}
    for line in reported.lines:
        if line.result in NONCONFORMING:
            finding = from_audit.pop(line.id)
            assert (finding.severity, finding.clause_number) == (line.result, line.clause.number)
            assert finding.description == line.notes and finding.raised_on == reported.reported_on
    assert from_audit == {}  # every audit finding comes from a nonconforming line of its audit
    [verified] = [f for f in findings if f.status == FindingState.VERIFIED]
    assert verified.checks[-1].result == CheckResult.EFFECTIVE
    [closed] = [f for f in findings if f.status == FindingState.CLOSED]
    assert closed.closed_on and closed.closed_on >= closed.checks[-1].checked_on
    assert [c.result for c in closed.checks] == [CheckResult.INEFFECTIVE, CheckResult.EFFECTIVE]


def test_every_demo_finding_holds_what_its_state_requires(projects):
    plan_fields = ("root_cause_method", "root_cause", "corrective_action", "action_owner", "action_due",
                   "effectiveness_due")  # fmt: skip
    described_fields = ("source", "severity", "clause_number", "description", "containment", "raised_on")
    for finding in db.session.execute(select(Finding)).scalars():
        state = FindingState(finding.status)
        checks = [
            EffectivenessCheck(c.checked_on, c.checked_by, CheckResult(c.result), c.notes)
            for c in finding.checks
        ]
        planned = {name: getattr(finding, name) for name in plan_fields}
        facts = replace(
            facts_of(finding), implemented_on=finding.implemented_on, checks=tuple(checks), **planned
        )
        described = {name: getattr(finding, name) for name in described_fields}
        assert field_errors(described, TODAY) == {} and is_sentence(finding.description), finding.id
        if state is FindingState.OPEN:
            assert not finding.root_cause and not finding.checks and finding.closed_on is None
            continue
        assert plan_errors(facts, planned, TODAY) == {}, finding.id
        if state is FindingState.ACTION_PLANNED:  # not implemented yet, or reopened by a failed check
            assert finding.implemented_on is None or checks[-1].result is CheckResult.INEFFECTIVE
            continue
        # Implemented after any check that failed; the last check, once verified, came after.
        before = tuple(checks if state is FindingState.IMPLEMENTED else checks[:-1])
        assert implement_errors(replace(facts, checks=before), finding.implemented_on, TODAY) == {}
        assert all(c.result is CheckResult.INEFFECTIVE for c in before), finding.id
        if state is FindingState.IMPLEMENTED:
            continue
        last = checks[-1]
        assert check_errors(facts, last.checked_on, last.checked_by, last.result, last.notes, TODAY) == {}
        if state is FindingState.CLOSED:
            assert close_errors(replace(facts, state=FindingState.VERIFIED)) == {} and finding.closed_on
        else:
            assert finding.closed_on is None


def test_the_review_held_after_the_audit_records_every_input_and_output(projects):
    infusion = infusion_of(projects)
    family = StandardFamily.ISO_13485
    [review] = rows_of(ManagementReview, infusion)
    [reported] = [a for a in rows_of(InternalAudit, infusion) if a.reported_on]
    assert reported.reported_on <= review.held_on <= TODAY
    assert review.period_start <= review.period_end <= review.held_on and review.attendees
    inputs = {entry.key: entry.text for entry in review.inputs}
    assert set(inputs) == {item.key for item in review_inputs(family)}
    assert all(is_sentence(text) for text in inputs.values())
    assert reported.title in inputs["audits"]  # written as the app pre-fills it
    assert "Seal every pouch right first time" in inputs["process_monitoring"]  # the objectives' values
    assert {o.category for o in review.outputs} == {item.key for item in review_outputs(family)}
    actions = [o for o in review.outputs if o.kind == "action"]
    assert any(o.done_on for o in actions) and any(o.done_on is None for o in actions)
    assert not any(o.kind == "action" and o.due_date < TODAY and not o.done_on for o in review.outputs)
    stage = project_overview(infusion, TODAY).stage(Stage.MANAGEMENT_REVIEW)
    assert all(c.met for c in stage.criteria), stage.criteria


def test_the_objectives_are_measured_monthly_one_met_one_not(projects):
    for project in projects:
        goals = rows_of(QualityObjective, project)
        if project.client.country == "TH":
            assert goals == []  # the sachet plant has only just begun
            continue
        assert 2 <= len(goals) <= 3, project.client.name
        met = set()
        for goal in goals:
            days = [m.measured_on for m in goal.measurements]
            assert (
                len(days) >= 4 and max(days) < TODAY and len({(d.year, d.month) for d in days}) == len(days)
            )
            assert objective_errors(goal.title, goal.measure, goal.target, goal.due_date, goal.owner) == {}
            measured = [Measurement(m.measured_on, m.value) for m in goal.measurements]
            met.add(objective_status(Direction(goal.direction), goal.target, measured))
        assert met == {True, False}, project.client.name


def test_the_internal_audit_stays_in_progress_while_a_major_is_open(projects):
    overview = project_overview(infusion_of(projects), TODAY)
    stage = overview.stage(Stage.INTERNAL_AUDIT)
    assert stage.row.status == StageStatus.IN_PROGRESS
    assert {c.key: c.met for c in stage.criteria} == {
        "internal_audit.all_sections_audited": False,
        "internal_audit.auditors_qualified": True,
        "internal_audit.no_open_major": False,
    }
    assert overview.stage(Stage.MANAGEMENT_REVIEW).row.status == StageStatus.IN_PROGRESS
    titles = [step.title for step in overview.next_steps]
    assert any(t.startswith("Overdue: Finding ") for t in titles) and "Close 1 open major finding" in titles


# The stage order, the certified factory and the go / no-go


def test_every_demo_stage_follows_the_stage_order_or_an_owners_written_reason(projects):
    owner = db.session.execute(select(User.id).where(User.email == demo.DEMO_EMAIL)).scalar_one()
    early = []
    for project in projects:
        rows = list(
            db.session.execute(
                select(ProjectStage)
                .where(ProjectStage.project_id == project.id)
                .order_by(ProjectStage.position)
            ).scalars()
        )
        assert [row.key for row in rows] == list(Stage)
        for before, row in zip([None, *rows], rows, strict=False):
            name = (project.client.name, row.key)
            if row.status == StageStatus.NOT_STARTED:
                assert row.actual_start is row.actual_end is None and not row.override_reason, name
                continue
            assert row.actual_start is not None and row.actual_start <= TODAY, name
            if row.status == StageStatus.DONE:
                assert row.actual_start <= row.actual_end <= TODAY, name
            else:
                assert row.actual_end is None, name
            if before is None or (before.status == StageStatus.DONE and not row.override_reason):
                assert before is None or before.actual_end <= row.actual_start, name
                assert not row.override_reason and row.override_by_id is None, name
                continue
            # Started before the stage before it was done: only with the owner's reason, on that day.
            assert before.actual_end is None or before.actual_end > row.actual_start, name
            assert gates.override_error(row.override_reason) is None, name
            assert (row.override_by_id, row.override_on) == (owner, row.actual_start), name
            early.append(name)
    assert len(early) == 3, early  # the infusion factory's audit and review, the certified factory's training


def test_one_demo_factory_is_certified_with_its_first_surveillance_held_and_a_buyers_link(projects):
    project = certified_of(projects)
    assert project.status != gates.CERTIFIED and status_of(project, TODAY) == gates.CERTIFIED
    assert {status_of(p, TODAY) for p in projects if p.id != project.id} <= set(gates.STATUS_LABELS) - {
        gates.CERTIFIED
    }
    [certificate] = db.session.execute(select(Certificate)).scalars().all()
    assert certificate.project_id == project.id and [s.id for s in certificate.sites] == [project.site_id]
    assert certificate.expires_on == expiry(certificate.decision_on)
    assert accreditation_warning(certificate.body.accreditation_body) is None  # BoA signs the IAF MLA
    view = certificate_view(certificate, TODAY)
    assert view.status == CertificateStatus.VALID
    [surveillance] = [row for row in view.audits if row.state == "Held"]
    assert surveillance.audit.kind == AuditKind.SURVEILLANCE1 and surveillance.warning is None
    assert view.last_surveillance is surveillance.audit
    decided = certificate.decision_on
    assert (
        decided + relativedelta(months=11) <= surveillance.audit.ends_on <= decided + relativedelta(months=12)
    )
    assert view.next_audit is not None and view.next_audit.kind == AuditKind.SURVEILLANCE2
    assert not view.next_audit.overdue
    # Stage 1 and 2 held before the decision; the body's findings belong to the audit that raised them.
    audits = {a.kind: a for a in rows_of(ExternalAudit, project)}
    assert set(audits) == {"stage1", "stage2", "surveillance1"} and all(a.held for a in audits.values())
    assert audits["stage1"].concerns_resolved_on < audits["stage2"].starts_on
    assert audits["stage2"].decision_on == decided and not audits["stage2"].scheduled_on_no_go
    body_findings = [f for f in rows_of(Finding, project) if f.source == Source.EXTERNAL_AUDIT]
    assert {f.external_audit_id for f in body_findings} == {audits["stage2"].id, audits["surveillance1"].id}
    assert not [f for f in body_findings if f.severity == Severity.MAJOR]
    # A buyer holds an active link; only its hash is kept.
    [link] = db.session.execute(select(ShareLink)).scalars().all()
    assert link.certificate_id == certificate.id and link.revoked_at is None
    assert state_of(link, datetime.combine(TODAY, time(12), UTC)) == LinkState.ACTIVE
    assert len(link.token_hash) == 64 and link.label
    buyer = buyer_certificate(certificate, TODAY)
    assert buyer.status == CertificateStatus.VALID and buyer.last_surveillance and buyer.next_audit
    # The records tell the same story: every stage done and met, and GO for stage 2.
    overview = project_overview(project, TODAY)
    assert all(v.row.status == StageStatus.DONE and not v.unmet for v in overview.stages)
    assert go_no_go(project, TODAY).go


def test_the_medical_device_factory_says_no_go_with_its_reasons(projects, demo_app):
    infusion = infusion_of(projects)
    verdict = go_no_go(infusion, TODAY)
    assert not verdict.go
    assert {c.key for c in verdict.blocking} == {
        "readiness", "stage.training", "stage.internal_audit", "stage.management_review", "no_open_major",
        "evidence",
    }  # fmt: skip
    assert "1 major nonconformity still open." in verdict.reasons
    [major] = verdict.open_majors
    assert major.label.endswith("(major, 7.5.6)")
    # Its stage 1 is booked all the same, recorded with the warning.
    [stage1] = rows_of(ExternalAudit, infusion)
    assert stage1.kind == AuditKind.STAGE1 and not stage1.held and stage1.scheduled_on_no_go
    # The page says so (it judges today, the demo was seeded for TODAY: the reasons are today's).
    client = demo_app.test_client()
    client.post("/login", data={"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD})
    html = client.get(f"/projects/{infusion.id}/go-no-go").get_data(as_text=True)
    assert 'data-go="no"' in html and "NO-GO" in html
    now = go_no_go(infusion, date.today())
    assert not now.go and now.reasons
    for reason in now.reasons:
        assert str(escape(reason)) in html, reason
    assert major.label in html
