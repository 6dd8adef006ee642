"""Recording training through the service: who may attend, the dates, the revision trained on, the file
kept as evidence, the effectiveness check; and the matrix and the Training stage that follow from them."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.training import CellState, training_criteria
from app.extensions import db
from app.models import EvidenceItem, TrainingSession
from app.services import training_records as records
from app.services.errors import Invalid, NotFound, Refused, StaleVersion
from app.services.evidence import Upload
from app.services.scope import Scope
from app.services.training import load_matrix
from tests import training_samples as t
from tests.document_samples import add_document
from tests.evidence_samples import pdf, scope_for

TODAY = date.today()


def new_session(requirement, people, **fields):
    values = {
        "requirement_id": requirement.id,
        "held_on": TODAY - timedelta(days=3),
        "trainer": "QA manager",
        "method": "classroom",
        "attendee_ids": [p.id for p in people],
    } | fields
    return records.NewSession(**values)


def refusal(project, new, scope=None):
    with pytest.raises(Invalid) as raised:
        records.record_session(scope or scope_for(None, project), project, new)
    db.session.rollback()
    return raised.value.fields


def test_a_session_records_every_attendee_as_pending(tree):
    project = tree["project"]
    requirement = t.add_requirement(project, everyone=True)
    people = [t.add_person(tree["site"], "Tran Thi B"), t.add_person(tree["site"], "Le Van C")]
    session = records.record_session(scope_for(None, project), project, new_session(requirement, people))
    db.session.commit()
    assert [(a.person.name, a.result) for a in session.attendance] == [
        ("Le Van C", "pending"),
        ("Tran Thi B", "pending"),
    ]
    assert session.revision_id is None and session.evidence_id is None


def test_dates_in_the_future_or_before_an_attendee_started_are_refused(tree):
    project = tree["project"]
    requirement = t.add_requirement(project)
    early = t.add_person(tree["site"], "Tran Thi B", started_on=TODAY - timedelta(days=1))
    other = t.add_person(tree["site"], "Le Van C")
    future = refusal(project, new_session(requirement, [other], held_on=TODAY + timedelta(days=1)))
    assert "future" in future["held_on"]
    late = refusal(project, new_session(requirement, [early, other]))
    assert "Tran Thi B" in late["held_on"] and "Le Van C" not in late["held_on"]
    assert "attendee_ids" in refusal(project, new_session(requirement, []))
    assert db.session.execute(select(func.count(TrainingSession.id))).scalar_one() == 0


def test_the_field_limits(tree):
    project = tree["project"]
    requirement = t.add_requirement(project)
    person = t.add_person(tree["site"])
    errors = refusal(
        project,
        new_session(requirement, [person], method="telepathy", duration_minutes=0, trainer="x" * 121),
    )
    assert {"method", "duration_minutes", "trainer"} <= set(errors)
    assert "requirement_id" in refusal(project, new_session(requirement, [person], requirement_id=None))


def test_foreign_people_requirements_and_leavers_are_not_found(tree, make):
    project = tree["project"]
    requirement = t.add_requirement(project)
    mine = t.add_person(tree["site"])
    other_site = make.site(tree["client"])
    elsewhere = t.add_person(other_site, "Pham D")
    left = t.add_person(tree["site"], "Vo E", left_on=TODAY - timedelta(days=10))
    theirs = make.tree()
    foreign_requirement = t.add_requirement(theirs["project"])
    for people in ([mine, elsewhere], [mine, left]):
        with pytest.raises(NotFound):
            records.record_session(scope_for(None, project), project, new_session(requirement, people))
    with pytest.raises(NotFound):
        records.record_session(scope_for(None, project), project, new_session(foreign_requirement, [mine]))
    with pytest.raises(NotFound):
        records.record_session(
            scope_for(None, project), project, new_session(requirement, [mine], attendee_ids=[2**63])
        )


def test_a_viewer_may_not_record(tree):
    project = tree["project"]
    viewer = Scope(0, 0, project.workspace_id, "", "viewer", None)
    requirement = t.add_requirement(project)
    with pytest.raises(Refused):
        records.record_session(viewer, project, new_session(requirement, [t.add_person(tree["site"])]))


def test_a_document_is_trained_on_its_current_revision_and_needs_one(tree):
    project = tree["project"]
    person = t.add_person(tree["site"])
    draft_only = add_document(project, None, "QP-07")
    no_revision = t.add_requirement(project, "QP-07 Draft procedure", document_id=draft_only.id)
    assert "approved revision" in refusal(project, new_session(no_revision, [person]))["requirement_id"]
    document = t.approved_document(project)
    requirement = t.add_requirement(project, "QP-05 Procedure", document_id=document.id)
    session = records.record_session(scope_for(None, project), project, new_session(requirement, [person]))
    assert session.revision_id == document.revisions[0].id


def test_the_attendance_sheet_is_kept_as_evidence_of_the_requirements_clause(tree):
    project = tree["project"]
    requirement = t.add_requirement(project, clause_number="7.3")
    upload = Upload("sheet.pdf", io.BytesIO(pdf()))
    session = records.record_session(
        scope_for(None, project),
        project,
        new_session(requirement, [t.add_person(tree["site"])], upload=upload),
    )
    db.session.commit()
    item = db.session.get(EvidenceItem, session.evidence_id)
    assert item.kind == "file" and item.clause.number == "7.3" and len(item.versions) == 1
    topic = t.add_requirement(project, "Forklift licence")
    assert records.evidence_clause(project, topic) == "7.2"


def test_the_effectiveness_check_dates_and_stale_copies(tree):
    project = tree["project"]
    requirement = t.add_requirement(project)
    session = t.record(project, requirement, [t.add_person(tree["site"])], held_on=TODAY - timedelta(days=5))
    attendance = session.attendance[0]
    scope = scope_for(None, project)
    for checked_on, message in [
        (TODAY + timedelta(days=1), "future"),
        (TODAY - timedelta(days=6), "before the training"),
        (None, "date"),
    ]:
        with pytest.raises(Invalid) as raised:
            records.set_effectiveness(scope, attendance, "pass", "Quiz", checked_on, attendance.version)
        assert message in raised.value.fields["checked_on"]
    with pytest.raises(StaleVersion):
        records.set_effectiveness(scope, attendance, "pass", "Quiz", TODAY, attendance.version + 1)
    records.set_effectiveness(scope, attendance, "pass", "Quiz", TODAY, attendance.version)
    db.session.commit()
    assert attendance.result == "pass"


def test_recording_moves_the_matrix_and_the_training_stage(tree):
    project = tree["project"]
    site = tree["site"]
    awareness = t.add_requirement(project, "Quality policy awareness", everyone=True, refresher_months=12)
    auditor_course = t.add_requirement(project, "Internal auditor course", qualifies_auditor=True)
    document = t.approved_document(project)
    procedure = t.add_requirement(project, "QP-05 Procedure", document_id=document.id)
    t.add_role(project, "Operator", [procedure])
    t.add_role(project, "Internal auditor", [auditor_course])
    an = t.add_person(site, "An", job_role="Operator")
    binh = t.add_person(site, "Binh", job_role="Internal auditor")

    def state(person, requirement, today=TODAY):
        return load_matrix(project, today).at(person.id, requirement.id).state

    assert state(an, procedure) is CellState.DUE
    t.record(project, procedure, [an], held_on=TODAY - timedelta(days=2))
    assert state(an, procedure) is CellState.DONE
    t.new_revision(project, document, "B")
    assert state(an, procedure) is CellState.OUTDATED
    t.record(project, procedure, [an], held_on=TODAY - timedelta(days=1))
    assert state(an, procedure) is CellState.DONE

    t.record(project, awareness, [an, binh], held_on=TODAY - timedelta(days=30))
    assert state(an, awareness) is CellState.DONE
    assert state(an, awareness, TODAY + timedelta(days=400)) is CellState.EXPIRED

    def met():
        return {c.key: c.met for c in training_criteria(load_matrix(project, TODAY))}

    assert met() == {
        "training.required_done": False,
        "training.awareness": True,
        "training.auditor_qualified": False,
    }
    course = t.record(project, auditor_course, [binh], held_on=TODAY - timedelta(days=20))
    assert met()["training.required_done"] and not met()["training.auditor_qualified"]
    t.check(project, course.attendance[0], "pass")
    assert all(met().values())
