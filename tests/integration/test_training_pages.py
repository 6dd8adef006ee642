"""The training pages: the landing page, job roles, training requirements, the starter set, sessions with
their attendees and effectiveness checks; who may do what, refusals beside their fields, foreign ids 404,
stale edits 409."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import (
    Attendance,
    CertificationProject,
    EvidenceItem,
    JobRole,
    Person,
    TrainingRequirement,
    TrainingSession,
)
from tests import training_samples as t
from tests.document_samples import PDF, add_document
from tests.html import field_errors, form_values, input_value
from tests.integration.evidence_support import user_as
from tests.querycount import count_queries

TODAY = date.today()


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/training", *(str(p) for p in parts if p != "")])


def count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(model: Any, object_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, object_id)


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


@pytest.fixture
def viewer(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "viewer")[0]


def post_files(http: FlaskClient, address: str, fields: dict[str, Any]) -> Any:
    """A multipart POST where a list is several values of one field and (bytes, name) is a file."""
    values: MultiDict[str, Any] = MultiDict()
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, tuple):
                one = FileStorage(
                    io.BytesIO(one[0]), filename=one[1], content_type="application/octet-stream"
                )
            values.add(name, one)
    boundary, body = encode_multipart(values)
    return http.post(address, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def session_data(requirement: Any, people: list[Any], **fields: Any) -> dict[str, Any]:
    values = {
        "requirement_id": str(requirement.id),
        "held_on": (TODAY - timedelta(days=2)).isoformat(),
        "trainer": "Lan (QA)",
        "method": "classroom",
        "duration_minutes": "90",
        "notes": "",
        "attendee_ids": [str(p.id) for p in people],
    }
    return values | fields


# The landing page and the project page


def test_the_landing_page_links_every_training_page(http, tree):
    project = tree["project"]
    html = http.get(url(project)).get_data(as_text=True)
    for page in ("roles", "requirements", "sessions", "sessions/new"):
        assert f'href="{url(project, page)}"' in html, page
    assert 'id="starter-offer"' in html and 'id="add-starter"' in html
    if 'id="matrix-link"' in html:  # the matrix's area, when it is registered
        assert f"/projects/{project.id}/" in html.split('id="matrix-link" href="')[1].split('"')[0]
    project_page = http.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'id="training-link" href="{url(project)}"' in project_page


def test_a_viewer_sees_the_pages_but_changes_nothing(viewer, tree):
    project = tree["project"]
    requirement = t.add_requirement(project)
    role = t.add_role(project, "Operator", [requirement])
    person = t.add_person(tree["site"])
    session = t.record(project, requirement, [person])
    attendance = session.attendance[0]
    for page in ("", "roles", "requirements", "sessions", f"sessions/{session.id}", "starter"):
        response = viewer.get(url(project, page))
        assert response.status_code == 200, page
        assert "Record a training" not in response.get_data(as_text=True) or page == "starter"
    assert 'class="check-form' not in viewer.get(url(project, "sessions", session.id)).get_data(as_text=True)
    edits = (f"roles/{role.id}/edit", f"requirements/{requirement.id}/edit")
    for page in ("roles/new", "requirements/new", "sessions/new", *edits):
        assert viewer.get(url(project, page)).status_code == 403, page
        assert viewer.post(url(project, page), data={"name": "X"}).status_code == 403, page
    assert viewer.post(url(project, "starter")).status_code == 403
    check = url(project, "sessions", session.id, "attendance", attendance.id)
    assert viewer.post(check, data={f"check-{attendance.id}-result": "pass"}).status_code == 403
    assert (count(JobRole), count(TrainingRequirement), count(TrainingSession)) == (1, 1, 1)
    assert reload(Attendance, attendance.id).result == "pending"


# The starter


def test_the_starter_is_added_once(http, tree):
    project = tree["project"]
    t.add_role(project, "warehouse")  # already there under another case: skipped
    preview = http.get(url(project, "starter")).get_data(as_text=True)
    assert "Internal auditor course (ISO 19011)" in preview and ">Warehouse<" not in preview
    assert http.post(url(project, "starter")).status_code == 303
    roles = {r.name: r for r in db.session.execute(select(JobRole)).scalars()}
    assert set(roles) == {
        "warehouse",
        "Production operator",
        "QC inspector",
        "Internal auditor",
        "Management",
    }
    assert roles["warehouse"].requirements == []
    assert [r.name for r in roles["Internal auditor"].requirements] == ["Internal auditor course (ISO 19011)"]
    awareness = db.session.execute(
        select(TrainingRequirement).where(TrainingRequirement.everyone.is_(True))
    ).scalar_one()
    assert (awareness.clause_number, awareness.refresher_months) == ("7.3", 24)
    topics = count(TrainingRequirement)
    again = http.post(url(project, "starter"), follow_redirects=True)
    assert "Nothing added" in again.get_data(as_text=True)
    assert (count(TrainingRequirement), count(JobRole)) == (topics, 5)
    assert 'id="starter-offer"' not in http.get(url(project)).get_data(as_text=True)


def test_an_iso_13485_project_gets_its_own_starter(http, make, tree):
    project = make.project(tree["site"], "iso13485")
    assert http.post(url(project, "starter")).status_code == 303
    names = set(db.session.execute(select(JobRole.name).where(JobRole.project_id == project.id)).scalars())
    assert "Customer service" in names
    course = db.session.execute(
        select(TrainingRequirement).where(
            TrainingRequirement.project_id == project.id, TrainingRequirement.qualifies_auditor.is_(True)
        )
    ).scalar_one()
    assert "ISO 13485" in course.name


# Job roles


def test_adding_and_editing_a_role(http, tree):
    project = tree["project"]
    policy = t.add_requirement(project, "Quality policy awareness", everyone=True)
    forklift = t.add_requirement(project, "Forklift licence", refresher_months=36)
    form = http.get(url(project, "roles/new")).get_data(as_text=True)
    assert f'value="{forklift.id}"' in form
    response = http.post(
        url(project, "roles/new"),
        data={"name": "  Fork  lift driver ", "requirement_ids": [str(forklift.id)]},
    )
    assert response.status_code == 303
    role = db.session.execute(select(JobRole)).scalar_one()
    assert role.name == "Fork lift driver" and [r.name for r in role.requirements] == ["Forklift licence"]
    driver = t.add_person(tree["site"], "Pham Van D", job_role="Fork lift driver")
    listing = http.get(url(project, "roles")).get_data(as_text=True)
    row = listing.split(f'data-role-id="{role.id}"')[1].split("</tr>")[0]
    assert "Forklift licence" in row and '<td class="role-people">1</td>' in row
    edit = http.get(url(project, "roles", role.id, "edit"))
    values = form_values(edit, "version") | {
        "name": "Forklift driver",
        "requirement_ids": [str(forklift.id), str(policy.id)],
    }
    assert http.post(url(project, "roles", role.id, "edit"), data=values).status_code == 303
    role = reload(JobRole, role.id)
    assert role.name == "Forklift driver" and len(role.requirements) == 2
    assert db.session.get(Person, driver.id).job_role == "Forklift driver"  # the staff list follows


def test_a_role_name_is_unique_in_the_project(http, tree):
    project = tree["project"]
    t.add_role(project, "QC inspector")
    response = http.post(url(project, "roles/new"), data={"name": "qc  INSPECTOR"})
    assert response.status_code == 422
    assert field_errors(response, "name") == ["This project already has a job role “qc INSPECTOR”."]
    assert input_value(response, "name") == "qc  INSPECTOR"  # as typed
    empty = http.post(url(project, "roles/new"), data={"name": " "})
    assert empty.status_code == 422 and field_errors(empty, "name") == ["Give the job role a name."]
    assert count(JobRole) == 1


def test_a_stale_role_edit_is_refused(http, tree):
    project = tree["project"]
    role = t.add_role(project, "Operator")
    values = form_values(http.get(url(project, "roles", role.id, "edit")), "version")
    role.name = "Line operator"
    db.session.commit()
    response = http.post(url(project, "roles", role.id, "edit"), data=values | {"name": "Press operator"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'id="stale-notice"' in html and "Press operator" in html
    assert reload(JobRole, role.id).name == "Line operator"


def test_role_ids_of_another_project_are_not_found(http, make, tree):
    project = tree["project"]
    role = t.add_role(project, "Operator")
    other = make.tree()
    theirs = t.add_requirement(other["project"], "Their topic")
    their_role = t.add_role(other["project"], "Theirs")
    values = form_values(http.get(url(project, "roles", role.id, "edit")), "version")
    tampered = http.post(
        url(project, "roles", role.id, "edit"), data=values | {"requirement_ids": [str(theirs.id)]}
    )
    assert tampered.status_code == 404
    assert (
        http.post(url(project, "roles/new"), data={"name": "X", "requirement_ids": ["abc"]}).status_code
        == 404
    )
    assert http.get(url(project, "roles", their_role.id, "edit")).status_code == 404
    assert reload(JobRole, role.id).requirements == []


# Training requirements


def test_adding_a_topic_and_a_document(http, tree):
    project = tree["project"]
    topic = {"name": "Forklift licence", "refresher_months": "36", "clause_number": "7.2", "document_id": ""}
    assert http.post(url(project, "requirements/new"), data=topic).status_code == 303
    document = add_document(project, None, "QP-05", title="Receiving inspection")
    form = http.get(url(project, "requirements/new")).get_data(as_text=True)
    assert f'<option value="{document.id}">QP-05 Receiving inspection</option>' in form
    both = {"document_id": str(document.id), "name": "", "everyone": "y", "qualifies_auditor": ""}
    assert http.post(url(project, "requirements/new"), data=both).status_code == 303
    rows = {r.name: r for r in db.session.execute(select(TrainingRequirement)).scalars()}
    assert rows["Forklift licence"].refresher_months == 36 and rows["Forklift licence"].clause_number == "7.2"
    assert (
        rows["QP-05 Receiving inspection"].document_id == document.id
        and rows["QP-05 Receiving inspection"].everyone
    )
    listing = http.get(url(project, "requirements")).get_data(as_text=True)
    assert (
        "every 36 months" in listing and "each new revision" in listing and "QP-05 in the register" in listing
    )


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"refresher_months": "0"}, "refresher_months", "from 1 to 120"),
        ({"refresher_months": "121"}, "refresher_months", "from 1 to 120"),
        ({"refresher_months": "twelve"}, "refresher_months", "whole number of months"),
        ({"name": ""}, "name", "Give the training a name"),
        ({"name": "x" * 201}, "name", "at most 200"),
        ({"name": "forklift LICENCE"}, "name", "already has a training requirement"),
        ({"clause_number": "99.9"}, "clause_number", "has no clause 99.9"),
    ],
)
def test_a_requirement_refused_beside_its_field(http, tree, change, field, message):
    project = tree["project"]
    t.add_requirement(project, "Forklift licence")
    values = {"name": "Soldering", "refresher_months": "12", "clause_number": "", "document_id": ""} | change
    response = http.post(url(project, "requirements/new"), data=values)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    if field != "refresher_months":
        assert input_value(response, "refresher_months") == "12"
    assert count(TrainingRequirement) == 1


def test_a_document_is_a_requirement_once_and_has_no_refresher(http, tree, make):
    project = tree["project"]
    document = add_document(project, None, "QP-05")
    t.add_requirement(project, "Receiving", document_id=document.id)
    again = http.post(
        url(project, "requirements/new"), data={"document_id": str(document.id), "name": "Other"}
    )
    assert (
        again.status_code == 422 and "already a training requirement" in field_errors(again, "document_id")[0]
    )
    other = add_document(project, None, "QP-06")
    refresher = http.post(
        url(project, "requirements/new"), data={"document_id": str(other.id), "refresher_months": "12"}
    )
    assert refresher.status_code == 422 and "new revision" in field_errors(refresher, "refresher_months")[0]
    theirs = add_document(make.tree()["project"], None, "QP-01")
    foreign = http.post(url(project, "requirements/new"), data={"document_id": str(theirs.id), "name": "X"})
    assert foreign.status_code == 404
    assert (
        http.post(url(project, "requirements/new"), data={"document_id": "²", "name": "X"}).status_code == 404
    )
    assert count(TrainingRequirement) == 1


def test_editing_a_requirement_and_a_stale_copy(http, tree):
    project = tree["project"]
    requirement = t.add_requirement(project, "Forklift licence", refresher_months=12)
    page = http.get(url(project, "requirements", requirement.id, "edit"))
    values = form_values(page, "version")
    assert values["name"] == "Forklift licence" and values["refresher_months"] == "12"
    saved = http.post(
        url(project, "requirements", requirement.id, "edit"), data=values | {"refresher_months": "24"}
    )
    assert saved.status_code == 303 and reload(TrainingRequirement, requirement.id).refresher_months == 24
    stale = http.post(
        url(project, "requirements", requirement.id, "edit"), data=values | {"refresher_months": "6"}
    )
    assert stale.status_code == 409 and 'id="stale-notice"' in stale.get_data(as_text=True)
    assert reload(TrainingRequirement, requirement.id).refresher_months == 24


# Sessions


def test_recording_a_session_with_its_attendance_sheet(http, tree):
    project, site = tree["project"], tree["site"]
    requirement = t.add_requirement(project, "Quality policy awareness", everyone=True, clause_number="7.3")
    an = t.add_person(site, "An", department="Assembly")
    binh = t.add_person(site, "Binh", department="Warehouse")
    t.add_person(site, "Gone", left_on=TODAY - timedelta(days=3))
    form = http.get(url(project, "sessions/new") + f"?requirement={requirement.id}").get_data(as_text=True)
    assert (
        f'<option selected value="{requirement.id}">' in form or f'value="{requirement.id}" selected' in form
    )
    assert 'id="attendee-' in form and "Gone" not in form
    assert form.index(">Assembly<") < form.index(">Warehouse<")
    data = session_data(requirement, [an, binh]) | {"file": (PDF, "attendance.pdf")}
    response = post_files(http, url(project, "sessions/new"), data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    session = db.session.execute(select(TrainingSession)).scalar_one()
    assert response.headers["Location"].endswith(url(project, "sessions", session.id))
    assert (session.trainer, session.method, session.duration_minutes) == ("Lan (QA)", "classroom", 90)
    item = db.session.get(EvidenceItem, session.evidence_id)
    assert item.clause.number == "7.3" and item.versions[0].filename == "attendance.pdf"
    page = http.get(url(project, "sessions", session.id)).get_data(as_text=True)
    assert f'href="/projects/{project.id}/evidence/{item.id}"' in page
    assert re.findall(r'class="fw-semibold attendee-name">([^<]+)<', page) == ["An", "Binh"]
    listing = http.get(url(project, "sessions")).get_data(as_text=True)
    assert "Quality policy awareness" in listing and "0 of 2" in listing


def test_a_document_session_is_on_its_current_revision_and_needs_one(http, tree):
    project = tree["project"]
    person = t.add_person(tree["site"])
    draft = add_document(project, None, "QP-07")
    unapproved = t.add_requirement(project, "QP-07 Draft", document_id=draft.id)
    refused = http.post(url(project, "sessions/new"), data=session_data(unapproved, [person]))
    assert refused.status_code == 422
    assert "no approved revision" in field_errors(refused, "requirement_id")[0]
    document = t.approved_document(project)
    requirement = t.add_requirement(project, "QP-05 Procedure", document_id=document.id)
    assert (
        http.post(url(project, "sessions/new"), data=session_data(requirement, [person])).status_code == 303
    )
    session = db.session.execute(select(TrainingSession)).scalar_one()
    assert session.revision_id == document.revisions[0].id
    assert "rev A" in http.get(url(project, "sessions", session.id)).get_data(as_text=True)


def test_a_session_in_the_future_before_a_start_or_without_attendees_is_refused(http, tree):
    project, site = tree["project"], tree["site"]
    requirement = t.add_requirement(project)
    an = t.add_person(site, "An")
    newcomer = t.add_person(site, "Chi Newcomer", started_on=TODAY - timedelta(days=1))
    future = http.post(
        url(project, "sessions/new"),
        data=session_data(requirement, [an], held_on=(TODAY + timedelta(days=1)).isoformat()),
    )
    assert future.status_code == 422 and "in the future" in field_errors(future, "held_on")[0]
    assert input_value(future, "trainer") == "Lan (QA)"
    assert f'value="{an.id}" id="attendee-{an.id}" checked' in future.get_data(as_text=True)
    early = http.post(url(project, "sessions/new"), data=session_data(requirement, [an, newcomer]))
    assert early.status_code == 422
    [message] = field_errors(early, "held_on")
    assert "Chi Newcomer had not started" in message and "An " not in message
    nobody = http.post(url(project, "sessions/new"), data=session_data(requirement, []))
    assert nobody.status_code == 422 and field_errors(nobody, "attendee_ids") == [
        "Tick at least one person who attended."
    ]
    bad = http.post(
        url(project, "sessions/new"),
        data=session_data(requirement, [an], method="magic", duration_minutes="0", requirement_id=""),
    )
    assert bad.status_code == 422
    assert (
        field_errors(bad, "method")
        and field_errors(bad, "duration_minutes")
        and field_errors(bad, "requirement_id")
    )
    assert count(TrainingSession) == 0


def test_a_refused_attendance_sheet_keeps_nothing(http, tree, app):
    project = tree["project"]
    requirement = t.add_requirement(project)
    person = t.add_person(tree["site"])
    data = session_data(requirement, [person]) | {"file": (b"MZ\x90\x00 not a document", "run.exe")}
    response = post_files(http, url(project, "sessions/new"), data)
    assert response.status_code == 415 and field_errors(response, "file")
    assert (count(TrainingSession), count(EvidenceItem)) == (0, 0)


def test_people_and_requirements_from_elsewhere_are_not_found(http, make, tree):
    project, site = tree["project"], tree["site"]
    requirement = t.add_requirement(project)
    mine = t.add_person(site, "An")
    same_workspace_other_site = t.add_person(make.site(tree["client"]), "Other site")
    left = t.add_person(site, "Left", left_on=TODAY - timedelta(days=1))
    other = make.tree()
    foreign_person = t.add_person(other["site"], "Foreign")
    foreign_requirement = t.add_requirement(other["project"])
    for people in ([mine, same_workspace_other_site], [mine, foreign_person], [left]):
        response = http.post(url(project, "sessions/new"), data=session_data(requirement, people))
        assert response.status_code == 404
        assert "Foreign" not in response.get_data(as_text=True)
    assert (
        http.post(url(project, "sessions/new"), data=session_data(foreign_requirement, [mine])).status_code
        == 404
    )
    assert (
        http.post(
            url(project, "sessions/new"), data=session_data(requirement, [mine], attendee_ids=["²"])
        ).status_code
        == 404
    )
    foreign_session = t.record(other["project"], foreign_requirement, [foreign_person])
    assert http.get(url(project, "sessions", foreign_session.id)).status_code == 404
    own = t.record(project, requirement, [mine])
    attendance = foreign_session.attendance[0]
    assert http.post(url(project, "sessions", own.id, "attendance", attendance.id)).status_code == 404
    assert count(TrainingSession) == 2


def test_sessions_are_listed_newest_first_in_pages(http, tree):
    project = tree["project"]
    requirement = t.add_requirement(project)
    person = t.add_person(tree["site"])
    for days in range(27):
        t.record(project, requirement, [person], held_on=TODAY - timedelta(days=days + 1))
    first = http.get(url(project, "sessions")).get_data(as_text=True)
    dates = re.findall(r'class="session-date">([^<]+)<', first)
    assert len(dates) == 25 and dates[0] == (TODAY - timedelta(days=1)).strftime("%d %b %Y")
    second = re.findall(
        r'class="session-date">([^<]+)<',
        http.get(url(project, "sessions") + "?page=2").get_data(as_text=True),
    )
    assert second == [(TODAY - timedelta(days=d)).strftime("%d %b %Y") for d in (26, 27)]


def test_the_sessions_list_query_count_does_not_grow(http, tree):
    project = tree["project"]
    address = url(project, "sessions")
    t.record(project, t.add_requirement(project), [t.add_person(tree["site"], "P0")])
    http.get(address)
    with count_queries() as few:
        assert http.get(address).status_code == 200
    project = db.session.get(CertificationProject, tree["project"].id)
    people = [t.add_person(project.site, f"P{i}") for i in range(1, 6)]
    for i in range(5):
        t.record(project, t.add_requirement(project, f"R{i}"), people)
    with count_queries() as many:
        assert http.get(address).status_code == 200
    assert len(many) == len(few)


# Effectiveness checks


def check_url(project: Any, attendance: Any) -> str:
    return url(project, "sessions", attendance.session_id, "attendance", attendance.id)


def check_values(http: FlaskClient, project: Any, attendance: Any, **fields: str) -> dict[str, str]:
    prefix = f"check-{attendance.id}"
    page = http.get(url(project, "sessions", attendance.session_id))
    return form_values(page, f"{prefix}-version") | {f"{prefix}-{k}": v for k, v in fields.items()}


def test_recording_an_effectiveness_check(http, tree):
    project = tree["project"]
    session = t.record(
        project, t.add_requirement(project), [t.add_person(tree["site"])], held_on=TODAY - timedelta(days=10)
    )
    attendance = session.attendance[0]
    values = check_values(http, project, attendance, result="pass", check_method="Observed at the line",
                          checked_on=(TODAY - timedelta(days=1)).isoformat())  # fmt: skip
    response = http.post(check_url(project, attendance), data=values)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#attendee-{attendance.id}")
    saved = reload(Attendance, attendance.id)
    assert (saved.result, saved.check_method, saved.checked_on) == (
        "pass",
        "Observed at the line",
        TODAY - timedelta(days=1),
    )
    page = http.get(url(project, "sessions", session.id)).get_data(as_text=True)
    assert 'data-result="pass"' in page and "Passed" in page


@pytest.mark.parametrize(
    "checked_on, message",
    [(1, "in the future"), (-11, "cannot be before the training"), (None, "Give the date of the check.")],
)
def test_an_effectiveness_check_refused_beside_its_date(http, tree, checked_on, message):
    project = tree["project"]
    session = t.record(
        project, t.add_requirement(project), [t.add_person(tree["site"])], held_on=TODAY - timedelta(days=10)
    )
    attendance = session.attendance[0]
    day = "" if checked_on is None else (TODAY + timedelta(days=checked_on)).isoformat()
    values = check_values(http, project, attendance, result="fail", check_method="Quiz", checked_on=day)
    response = http.post(check_url(project, attendance), data=values)
    assert response.status_code == 422
    assert message in field_errors(response, f"check-{attendance.id}-checked_on")[0]
    assert input_value(response, f"check-{attendance.id}-check_method") == "Quiz"
    assert reload(Attendance, attendance.id).result == "pending"


def test_a_stale_effectiveness_check_is_refused(http, tree):
    project = tree["project"]
    session = t.record(project, t.add_requirement(project), [t.add_person(tree["site"])])
    attendance = session.attendance[0]
    values = check_values(
        http, project, attendance, result="pass", check_method="Quiz", checked_on=TODAY.isoformat()
    )
    t.check(project, attendance, "fail")
    response = http.post(check_url(project, attendance), data=values)
    assert response.status_code == 409 and 'id="stale-notice"' in response.get_data(as_text=True)
    assert reload(Attendance, attendance.id).result == "fail"


def test_a_refused_session_stores_no_file(http, tree, app):
    """Every rule is checked before the attendance sheet is stored: a refused session leaves no file."""
    project = tree["project"]
    requirement = t.add_requirement(project)
    person = t.add_person(tree["site"], started_on=TODAY)
    data = session_data(requirement, [person]) | {"file": (PDF, "sheet.pdf")}
    response = post_files(http, url(project, "sessions/new"), data)
    assert response.status_code == 422
    assert not [p for p in Path(app.config["EVIDENCE_DIR"]).rglob("*") if p.is_file()]
    assert count(EvidenceItem) == 0


def test_too_many_ids_at_once_are_refused_beside_the_field(http, tree):
    project = tree["project"]
    requirement = t.add_requirement(project)
    many = [str(n) for n in range(1, 5_002)]
    response = http.post(url(project, "sessions/new"), data=session_data(requirement, [], attendee_ids=many))
    assert response.status_code == 422 and "at most 5,000 people" in field_errors(response, "attendee_ids")[0]
    role = http.post(url(project, "roles/new"), data={"name": "X", "requirement_ids": many[:501]})
    assert role.status_code == 422 and "at most 500" in role.get_data(as_text=True)
    assert (count(TrainingSession), count(JobRole)) == (0, 0)
