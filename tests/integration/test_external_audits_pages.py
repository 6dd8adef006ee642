"""The external audit pages: recording stage 1, stage 2, surveillance and recertification audits held or
scheduled, editing one on the version read, the certification body's findings raised into the register with
their deadlines, the warnings saved with an audit (outside its window), and the External audit stage's
criteria read from these records; refusals beside their fields, foreign ids 404, viewers 403."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.domain.certification import add_months
from app.domain.next_steps import exit_criteria
from app.domain.pathway import Stage
from app.extensions import db
from app.models import ExternalAudit, Finding, Task
from app.services.pathway import load_snapshot
from tests.html import field_errors, form_values
from tests.integration import certification_support as cs
from tests.integration.evidence_support import user_as
from tests.integration.test_charts_pages import figures, table
from tests.querycount import count_queries

TODAY = date.today()


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/external-audits", *(str(p) for p in parts)])


def count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(audit_id: int) -> ExternalAudit:
    db.session.expire_all()
    found = db.session.get(ExternalAudit, audit_id)
    assert found is not None
    return found


def criteria(project: Any) -> dict[str, Any]:
    snapshot, _, _ = load_snapshot(project, TODAY)
    return {c.key: c for c in exit_criteria(Stage.EXTERNAL_AUDIT, snapshot)}


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


@pytest.fixture
def viewer(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "viewer")[0]


def audit_data(**fields: Any) -> dict[str, str]:
    day = TODAY - timedelta(days=10)
    return {
        "kind": "stage1",
        "body_id": "",
        "starts_on": day.isoformat(),
        "ends_on": (day + timedelta(days=1)).isoformat(),
        "held": "held",
        "auditors": "Ms Hoa (lead)",
        "report": "",
        "concerns_resolved_on": "",
        "decision_on": "",
        "notes": "",
    } | fields


# Recording


def test_stage_1_is_recorded_with_the_projects_body_by_default(http, tree):
    project = tree["project"]
    body = cs.add_body(tree["workspace"].id, "Bureau Cert")
    project.body_id = body.id
    db.session.commit()
    response = http.post(url(project, "new"), data=audit_data(report="The scope misses the warehouse."))
    assert response.status_code == 303
    audit = db.session.execute(select(ExternalAudit)).scalar_one()
    assert response.headers["Location"].endswith(url(project, audit.id))
    assert (audit.kind, audit.held, audit.body_id) == ("stage1", True, body.id)
    page = http.get(response.headers["Location"])
    assert "Stage 1 audit" in page.text and "Bureau Cert" in page.text
    assert "The scope misses the warehouse." in page.text
    listed = http.get(url(project))
    assert f'data-external-audit-id="{audit.id}"' in listed.text and "Held" in listed.text


def test_the_new_form_offers_the_workspaces_bodies_only(http, tree, make):
    mine = cs.add_body(tree["workspace"].id, "Mine Cert")
    theirs = cs.add_body(make.workspace().id, "Their Cert")
    page = http.get(url(tree["project"], "new") + "?kind=stage2")
    assert page.status_code == 200
    assert "Mine Cert" in page.text and "Their Cert" not in page.text
    assert form_values(page, "auditors")["kind"] == "stage2"
    response = http.post(url(tree["project"], "new"), data=audit_data(body_id=str(theirs.id)))
    assert response.status_code == 422
    assert field_errors(response, "body_id") == ["Choose one of the workspace's certification bodies."]
    assert mine.id and count(ExternalAudit) == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "stage3"}, "kind", "Choose stage 1, stage 2"),
        ({"starts_on": ""}, "starts_on", "Give the audit's first day."),
        ({"ends_on": (TODAY - timedelta(days=20)).isoformat()}, "ends_on", "cannot come before the first"),
        ({"ends_on": (TODAY + timedelta(days=3)).isoformat()}, "held", "not held yet"),
        ({"decision_on": TODAY.isoformat()}, "decision_on", "Only a stage 2 or recertification"),
        ({"kind": "stage2", "decision_on": (TODAY - timedelta(days=10)).isoformat()}, "decision_on",
         "cannot come before stage 2 ended"),
        ({"concerns_resolved_on": (TODAY + timedelta(days=1)).isoformat()}, "concerns_resolved_on",
         "cannot be in the future"),
        ({"starts_on": "1900-01-01"}, "starts_on", "Enter a date between 1987"),
        ({"auditors": "a" * 301}, "auditors", "at most 300 characters"),
    ],
)  # fmt: skip
def test_an_audit_that_breaks_a_rule_is_refused_beside_its_field(http, tree, fields, field, message):
    response = http.post(url(tree["project"], "new"), data=audit_data(**fields))
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    assert form_values(response, "auditors")["auditors"] == audit_data(**fields)["auditors"]  # kept as typed
    assert count(ExternalAudit) == 0


def test_a_viewer_sees_the_audits_but_changes_nothing(viewer, tree):
    project = tree["project"]
    audit = cs.add_audit(project, "stage2")
    assert viewer.get(url(project)).status_code == 200
    page = viewer.get(url(project, audit.id))
    assert page.status_code == 200 and 'id="external-audit-form"' not in page.text
    assert viewer.get(url(project, "new")).status_code == 403
    assert viewer.post(url(project, "new"), data=audit_data()).status_code == 403
    sent = audit_data(version=str(audit.version))
    assert viewer.post(url(project, audit.id), data=sent).status_code == 403
    finding = {"finding-severity": "minor", "finding-description": "Records of training were missing."}
    assert viewer.post(url(project, audit.id, "findings"), data=finding).status_code == 403
    assert count(Finding) == 0


def test_another_projects_audit_is_not_found(http, tree, make):
    other = make.project(make.site(tree["client"]))
    audit = cs.add_audit(other, "stage1")
    assert http.get(url(tree["project"], audit.id)).status_code == 404


# Editing


def test_an_audit_is_edited_on_the_version_read(http, tree):
    audit = cs.add_audit(tree["project"], "stage2", held=False, starts_on=TODAY + timedelta(days=20))
    sent = audit_data(kind="stage2", starts_on=(TODAY - timedelta(days=3)).isoformat(),
                      ends_on=(TODAY - timedelta(days=2)).isoformat(), decision_on=TODAY.isoformat(),
                      version=str(audit.version))  # fmt: skip
    assert http.post(url(tree["project"], audit.id), data=sent).status_code == 303
    saved = reload(audit.id)
    assert (saved.held, saved.decision_on, saved.version) == (True, TODAY, 2)


def test_a_stale_edit_is_409_showing_the_saved_values(http, tree):
    audit = cs.add_audit(tree["project"], "stage1", auditors="Mr Tam")
    audit.auditors = "Ms Vy (lead)"
    db.session.commit()  # saved by someone else after the page was read at version 1
    response = http.post(url(tree["project"], audit.id), data=audit_data(version="1"))
    assert response.status_code == 409
    assert "Someone else saved this external audit" in response.text
    form = form_values(response, "auditors")
    assert form["auditors"] == "Ms Vy (lead)" and form["version"] == "2"
    assert reload(audit.id).auditors == "Ms Vy (lead)"


# The certification body's findings


def test_a_major_of_the_body_goes_into_the_register_with_the_bodys_deadline(http, tree):
    project = tree["project"]
    body = cs.add_body(tree["workspace"].id, major_deadline_days=60)
    audit = cs.add_audit(project, "stage2", body_id=body.id)
    data = {"finding-severity": "major", "finding-clause_number": "7.1.5.1",
            "finding-description": "Calibration of the torque gauges is not recorded."}  # fmt: skip
    response = http.post(url(project, audit.id, "findings"), data=data)
    assert response.status_code == 303
    finding = db.session.execute(select(Finding)).scalar_one()
    assert (finding.source, finding.external_audit_id, finding.raised_on) == (
        "external_audit",
        audit.id,
        audit.ends_on,
    )
    assert finding.deadline == audit.ends_on + timedelta(days=60)
    page = http.get(url(project, audit.id))
    assert f'data-finding-id="{finding.id}"' in page.text
    assert criteria(project)["external_audit.no_open_major"].met is False
    back = http.get(f"/projects/{project.id}/findings/{finding.id}").text  # and the finding names its audit
    assert f'href="/projects/{project.id}/external-audits/{audit.id}"' in back


def test_a_minor_has_no_deadline_unless_the_body_gave_one(http, tree):
    audit = cs.add_audit(tree["project"], "stage2")
    data = {"finding-severity": "minor", "finding-description": "One training record lacked a signature."}
    assert http.post(url(tree["project"], audit.id, "findings"), data=data).status_code == 303
    assert db.session.execute(select(Finding.deadline)).scalar_one() is None


def test_a_finding_is_refused_beside_its_field_and_not_before_the_audit_is_held(http, tree):
    project = tree["project"]
    audit = cs.add_audit(project, "stage2")
    response = http.post(url(project, audit.id, "findings"), data={"finding-severity": "major"})
    assert response.status_code == 422 and field_errors(response, "finding-description")
    scheduled = cs.add_audit(project, "stage2", held=False, starts_on=TODAY + timedelta(days=9))
    data = {"finding-severity": "minor", "finding-description": "One training record lacked a signature."}
    response = http.post(url(project, scheduled.id, "findings"), data=data)
    assert response.status_code == 409 and "held" in response.text
    assert count(Finding) == 0


# Warnings saved with the audit


def test_stage_2_scheduled_on_no_go_is_saved_recorded_and_warned(http, tree):
    project = tree["project"]  # nothing done yet: the go / no-go says NO-GO
    day = TODAY + timedelta(days=30)
    data = audit_data(kind="stage2", held="scheduled", starts_on=day.isoformat(), ends_on=day.isoformat())
    response = http.post(url(project, "new"), data=data)
    assert response.status_code == 303
    audit = db.session.execute(select(ExternalAudit)).scalar_one()
    assert audit.scheduled_on_no_go is True and audit.held is False
    page = http.get(response.headers["Location"])
    assert "says NO-GO" in page.text and "What is missing:" in page.text
    assert "Scheduled while the go / no-go said NO-GO." in http.get(url(project)).text


def test_a_held_audit_recorded_afterwards_is_not_flagged(http, tree):
    assert http.post(url(tree["project"], "new"), data=audit_data(kind="stage2")).status_code == 303
    assert db.session.execute(select(ExternalAudit.scheduled_on_no_go)).scalar_one() is False


def test_a_surveillance_audit_outside_its_window_is_saved_with_the_rule(http, tree):
    project = tree["project"]
    decision = TODAY - timedelta(days=400)
    certificate = cs.add_certificate(project, decision_on=decision)
    late = TODAY - timedelta(days=5)  # past twelve months after the decision
    data = audit_data(kind="surveillance1", starts_on=late.isoformat(), ends_on=late.isoformat())
    response = http.post(url(project, "new"), data=data)
    assert response.status_code == 303
    audit = db.session.execute(select(ExternalAudit)).scalar_one()
    assert audit.certificate_id == certificate.id
    page = http.get(response.headers["Location"])
    assert "is outside its window" in page.text and "No later than 12 months" in page.text
    assert add_months(decision, 12).isoformat() in page.text
    assert f'href="/certificates/{certificate.id}"' in page.text


def test_a_surveillance_audit_inside_its_window_has_no_warning(http, tree):
    project = tree["project"]
    cs.add_certificate(project, decision_on=TODAY - timedelta(days=200))
    day = TODAY - timedelta(days=5)
    data = audit_data(kind="surveillance1", starts_on=day.isoformat(), ends_on=day.isoformat())
    response = http.post(url(project, "new"), data=data)
    page = http.get(response.headers["Location"])
    assert "outside its window" not in page.text


# The External audit stage reads these records


def test_the_stage_criteria_follow_the_records_not_the_tasks(tree):
    project = tree["project"]
    for task in db.session.execute(select(Task).where(Task.project_id == project.id)).scalars():
        task.status = "done"  # ticking every task proves nothing
    db.session.commit()
    assert [key for key, c in criteria(project).items() if c.met] == ["external_audit.no_open_major"]
    cs.add_audit(project, "stage1", starts_on=TODAY - timedelta(days=90), report="Scope unclear.")
    assert criteria(project)["external_audit.stage1"].met is False
    stage1 = db.session.execute(select(ExternalAudit)).scalar_one()
    stage1.concerns_resolved_on = TODAY - timedelta(days=80)
    stage2 = cs.add_audit(project, "stage2", starts_on=TODAY - timedelta(days=60))
    stage2.decision_on = TODAY - timedelta(days=40)
    db.session.commit()
    cs.add_certificate(project, decision_on=TODAY - timedelta(days=40))
    assert all(c.met for c in criteria(project).values())


def test_a_major_open_past_six_months_of_stage_2_means_a_new_stage_2(tree):
    project = tree["project"]
    stage2 = cs.add_audit(project, "stage2", starts_on=TODAY - timedelta(days=220))
    db.session.add(Finding(project_id=project.id, source="external_audit", severity="major", status="open",
                           description="No management review.", raised_on=stage2.ends_on,
                           external_audit_id=stage2.id))  # fmt: skip
    db.session.commit()
    reason = criteria(project)["external_audit.no_open_major"].reason
    assert "a new stage 2 is needed" in reason


def test_the_list_page_runs_the_same_queries_for_one_or_many_audits(http, tree):
    project = tree["project"]
    cs.add_audit(project, "stage1")
    http.get(url(project))
    with count_queries() as small:
        assert http.get(url(project)).status_code == 200
    for kind in ("stage2", "surveillance1", "surveillance2", "recertification"):
        cs.add_audit(project, kind)
    with count_queries() as large:
        assert http.get(url(project)).status_code == 200
    assert len(large) <= len(small) + 4  # each cycle audit looks up its certificate's window


def test_the_timeline_shows_the_audits_and_the_next_window_of_the_cycle(http, tree):
    project = tree["project"]
    decision = TODAY - timedelta(days=40)
    stage2 = cs.add_audit(project, "stage2", starts_on=decision - timedelta(days=20))
    certificate = cs.add_certificate(project, decision_on=decision)
    cs.add_audit(project, "surveillance1", held=False, starts_on=TODAY + timedelta(days=200),
                 certificate_id=certificate.id)  # fmt: skip
    html = http.get(f"/projects/{project.id}/charts").text
    timeline = figures(html)["timeline"]
    bars = {trace["name"]: trace for trace in timeline["data"]}
    assert bars["Audit held"]["y"] == ["Stage 2 audit"]
    assert bars["Audit held"]["base"] == [stage2.starts_on.isoformat()]
    assert bars["Audit scheduled"]["y"] == ["First surveillance audit"]
    assert bars["Due window"]["y"] == ["First surveillance audit due"]
    assert bars["Due window"]["base"] == [(decision + timedelta(days=1)).isoformat()]
    rows = table(html, "timeline")
    assert "Due in this window" in rows and add_months(decision, 12).strftime("%d %b %Y") in rows


def test_the_certificate_is_recorded_from_the_audits_page_by_those_who_may(app, make, tree, http):
    project = tree["project"]
    assert 'id="record-certificate"' not in http.get(url(project)).text  # a contributor may not
    consultant = user_as(app, make, tree, "consultant")[0]
    page = consultant.get(url(project)).text
    link = f'href="/certificates/new/{project.client_id}?project_id={project.id}"'
    assert 'id="record-certificate"' in page and link in page
    form = consultant.get(f"/certificates/new/{project.client_id}?project_id={project.id}")
    assert form_values(form, "number")["project_id"] == str(project.id)
