"""The nonconformity register's pages: the register with its filters and order, raising a finding, its page
with one form per step its state allows, editing, every step and its refusals, who may do what, two people
acting on the same finding, and a query count that does not grow."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import EffectivenessCheckRecord, Finding, InternalAudit
from tests.html import field_errors, form_values, input_value
from tests.integration.evidence_support import user_as
from tests.integration.finding_support import (
    ACTION,
    CHECK_NOTES,
    RESPONSE,
    ROOT_CAUSE,
    TODAY,
    add_finding,
    plan_values,
    to_state,
)
from tests.integration.test_unique_ids import check as unique_ids
from tests.querycount import count_queries

NEW = {
    "source": "customer_complaint",
    "severity": "minor",
    "clause_number": "8.2.1",
    "raised_on": (TODAY - timedelta(days=2)).isoformat(),
    "description": "A customer received a box labelled with another customer's order number.",
    "containment": "The warehouse stock was checked and relabelled.",
}


# Helpers


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/findings", *(str(p) for p in parts)])


def reload(finding_id: int) -> Finding:
    db.session.expire_all()
    found = db.session.get(Finding, finding_id)
    assert found is not None
    return found


def post_step(http: FlaskClient, finding: Any, name: str, page: Any = None, **fields: Any) -> Any:
    """Post a step's form as the finding's page shows it (with the version it read), plus ``fields``."""
    project_url = f"/projects/{finding.project_id}/findings/{finding.id}"
    page = page or http.get(project_url)
    values = form_values(page, f"{name}-version")
    values |= {f"{name}-{key}": str(value) for key, value in fields.items()}
    return http.post(f"{project_url}/{name}", data=values)


def plan_form(**fields: Any) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in plan_values(**fields).items()
    }


def listed(http: FlaskClient, project: Any, query: str = "") -> list[int]:
    html = http.get(url(project) + query).get_data(as_text=True)
    return [int(i) for i in re.findall(r'<tr data-finding-id="(\d+)"', html)]


def steps_offered(response: Any) -> list[str]:
    return re.findall(r'data-step="(\w+)"', response.get_data(as_text=True))


def count_findings() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(Finding)).scalar_one()


# The register


@pytest.fixture
def register(tree: dict[str, Any]) -> dict[str, Finding]:
    """Five findings: an overdue major (its action due a week ago), a minor due in ten days, an observation
    with nothing due, a closed minor, and a certification body's major with its default deadline."""
    project = tree["project"]
    late = add_finding(project, "major", action_due=TODAY - timedelta(days=7), action_owner="Ms Lan")
    soon = add_finding(project, "minor", action_due=TODAY + timedelta(days=10), clause_number="8.5.1")
    observation = add_finding(project, "observation", source="process", clause_number="")
    closed = to_state(add_finding(project, "minor", source="supplier"), "closed")
    external = add_finding(project, "major", source="external_audit", raised_on=TODAY - timedelta(days=1))
    return {"late": late, "soon": soon, "observation": observation, "closed": closed, "external": external}


def test_the_register_lists_overdue_first_then_by_due_date(client, owner, tree, register):
    project = tree["project"]
    response = client.get(url(project))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    ids = [register[k].id for k in ("late", "soon", "external", "observation", "closed")]
    assert listed(client, project) == ids
    late_row = re.search(rf'<tr data-finding-id="{register["late"].id}".*?</tr>', html, re.S)
    assert late_row and "Overdue" in late_row.group(0) and "Ms Lan" in late_row.group(0)
    assert "Major nonconformity" in late_row.group(0) and "Internal audit" in late_row.group(0)
    assert f"Finding {register['late'].id} (major, 7.1.5.1)" in late_row.group(0)
    soon_row = re.search(rf'<tr data-finding-id="{register["soon"].id}".*?</tr>', html, re.S)
    assert soon_row and "Overdue" not in soon_row.group(0)
    assert (TODAY + timedelta(days=10)).strftime("%d %b %Y") in soon_row.group(0)
    assert html.count('data-overdue="1"') == 1


def test_the_register_filters_by_source_severity_state_and_overdue(client, owner, tree, register):
    project, r = tree["project"], register
    assert listed(client, project, "?source=supplier") == [r["closed"].id]
    assert listed(client, project, "?severity=major") == [r["late"].id, r["external"].id]
    # "open" is every state but closed: what the next steps link to for the open majors
    open_majors = listed(client, project, "?state=open&severity=major")
    assert open_majors == [r["late"].id, r["external"].id]
    assert r["closed"].id not in listed(client, project, "?state=open")
    assert listed(client, project, "?state=closed") == [r["closed"].id]
    assert listed(client, project, "?overdue=1") == [r["late"].id]
    to_state(reload(r["soon"].id), "action_planned")
    assert listed(client, project, "?state=action_planned") == [r["soon"].id]
    assert r["soon"].id not in listed(client, project, "?state=new")
    assert listed(client, project, "?state=nothing&severity=grave") == listed(client, project)


def test_the_register_pages_25_findings_at_a_time(client, owner, tree):
    project = tree["project"]
    for _ in range(26):
        add_finding(project)
    assert len(listed(client, project)) == 25
    assert len(listed(client, project, "?page=2")) == 1
    assert "Page 1 of 2" in client.get(url(project)).get_data(as_text=True)


def test_the_empty_register_says_what_it_is_for(client, owner, tree):
    html = client.get(url(tree["project"])).get_data(as_text=True)
    assert 'id="findings-empty"' in html and "root cause" in html


def test_the_register_runs_the_same_queries_for_3_and_30_findings(client, owner, tree):
    project = tree["project"]
    for _ in range(3):
        add_finding(project, action_due=TODAY - timedelta(days=1))
    to_state(add_finding(project), "verified")
    client.get(url(project))
    with count_queries() as few:
        assert client.get(url(project)).status_code == 200
    for index in range(26):
        finding = add_finding(project, "major" if index % 2 else "minor")
        if index % 5 == 0:
            to_state(finding, "closed")
    with count_queries() as many:
        assert client.get(url(project)).status_code == 200
    assert len(many) == len(few)


# Raising a finding


def test_raising_a_finding(client, owner, tree):
    project = tree["project"]
    form = client.get(url(project, "new"))
    assert form.status_code == 200 and input_value(form, "raised_on") == TODAY.isoformat()
    response = client.post(url(project, "new"), data=NEW)
    assert response.status_code == 303
    finding = db.session.execute(select(Finding)).scalar_one()
    assert (finding.source, finding.severity, finding.status) == ("customer_complaint", "minor", "open")
    assert (finding.clause_number, finding.deadline, finding.audit_id) == ("8.2.1", None, None)
    assert finding.containment == NEW["containment"]
    assert response.headers["Location"].endswith(url(project, finding.id))


def test_a_certification_bodys_major_gets_its_deadline_and_it_may_be_given(client, owner, tree):
    project = tree["project"]
    raised = TODAY - timedelta(days=3)
    body = NEW | {"source": "external_audit", "severity": "major", "raised_on": raised.isoformat()}
    assert client.post(url(project, "new"), data=body).status_code == 303
    given = TODAY + timedelta(days=30)
    assert client.post(url(project, "new"), data=body | {"deadline": given.isoformat()}).status_code == 303
    deadlines = db.session.execute(select(Finding.deadline).order_by(Finding.id)).scalars().all()
    assert deadlines == [raised + timedelta(days=90), given]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"clause_number": "7.9.9"}, "clause_number", "ISO 9001:2015 has no clause 7.9.9."),
        ({"description": "  "}, "description", "Describe the finding"),
        ({"raised_on": (TODAY + timedelta(days=1)).isoformat()}, "raised_on", "in the future"),
        ({"raised_on": ""}, "raised_on", "Give the date"),
        ({"source": "gossip"}, "source", "Choose where"),
        ({"severity": "grave"}, "severity", "Choose major, minor or observation"),
        ({"deadline": (TODAY - timedelta(days=30)).isoformat()}, "deadline", "before the finding was raised"),
    ],
)
def test_raising_a_finding_refuses_each_rule_beside_its_field(client, owner, tree, change, field, message):
    project = tree["project"]
    response = client.post(url(project, "new"), data=NEW | change)
    assert response.status_code == 422
    assert any(message in text for text in field_errors(response, field)), field_errors(response, field)
    assert input_value(response, "clause_number") == (NEW | change)["clause_number"]  # kept as typed
    assert count_findings() == 0


def test_a_viewer_may_read_the_register_but_not_raise(app, make, tree, register):
    project = tree["project"]
    http, _ = user_as(app, make, tree, "viewer")
    page = http.get(url(project))
    assert page.status_code == 200 and 'id="new-finding"' not in page.get_data(as_text=True)
    assert http.get(url(project, "new")).status_code == 403
    assert http.post(url(project, "new"), data=NEW).status_code == 403
    shown = http.get(url(project, register["late"].id))
    assert shown.status_code == 200 and steps_offered(shown) == [] and "edit-form" not in shown.text
    assert http.post(url(project, register["late"].id, "close"), data={}).status_code == 403
    assert http.post(url(project, register["late"].id), data={"edit-description": "x"}).status_code == 403
    assert count_findings() == 5


def test_another_workspaces_finding_is_not_found(client, owner, make, tree):
    theirs = make.tree()
    finding = add_finding(theirs["project"])
    mine = tree["project"]
    assert client.get(url(mine, finding.id)).status_code == 404
    for path in ("plan", "close"):
        assert client.post(url(mine, finding.id, path), data={}).status_code == 404
    assert client.post(url(mine, finding.id), data={"edit-description": "Mine now."}).status_code == 404
    assert client.get(url(theirs["project"], finding.id)).status_code == 404
    assert (reload(finding.id).status, reload(finding.id).description) == ("open", finding.description)


def test_an_unknown_step_is_not_found(client, owner, tree):
    finding = add_finding(tree["project"])
    assert client.post(url(tree["project"], finding.id, "approve"), data={}).status_code == 404


# A finding's page


def test_the_page_shows_the_finding_its_checks_and_one_form_per_step(client, owner, tree):
    project = tree["project"]
    finding = to_state(add_finding(project, "major", containment="Scale 3 taken out of use."), "implemented")
    response = client.get(url(project, finding.id))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for shown in (ROOT_CAUSE, ACTION, "Five whys", "Scale 3 taken out of use.", "Ms Lan (QA)", "7.1.5.1"):
        assert shown in html
    assert steps_offered(response) == ["check"]
    assert 'id="edit-form"' in html and 'id="no-checks"' in html
    assert input_value(response, "check-checked_on") == TODAY.isoformat()


def test_an_open_observation_offers_planning_and_closing_with_a_response(client, owner, tree):
    finding = add_finding(tree["project"], "observation")
    page = client.get(url(tree["project"], finding.id))
    assert steps_offered(page) == ["plan", "close"]
    assert "Close the observation with its response" in page.text


# The steps


def test_a_finding_goes_from_open_to_closed_step_by_step(client, owner, tree):
    project = tree["project"]
    finding = add_finding(project, "minor")
    assert post_step(client, finding, "plan", **plan_form()).status_code == 303
    assert reload(finding.id).status == "action_planned"
    implemented = TODAY - timedelta(days=3)
    assert post_step(client, finding, "implement", implemented_on=implemented.isoformat()).status_code == 303
    assert (reload(finding.id).status, reload(finding.id).implemented_on) == ("implemented", implemented)
    check = {
        "checked_on": TODAY.isoformat(),
        "checked_by": "Mr Binh",
        "result": "effective",
        "notes": CHECK_NOTES,
    }
    assert post_step(client, finding, "check", **check).status_code == 303
    assert reload(finding.id).status == "verified"
    response = post_step(client, finding, "close")
    assert response.status_code == 303
    saved = reload(finding.id)
    assert (saved.status, saved.closed_on, saved.root_cause, saved.corrective_action) == (
        "closed",
        TODAY,
        ROOT_CAUSE,
        ACTION,
    )
    page = client.get(url(project, finding.id))
    assert steps_offered(page) == [] and 'id="finding-checks"' in page.text and CHECK_NOTES in page.text


def test_a_plan_with_placeholders_is_refused_beside_its_fields(client, owner, tree):
    finding = add_finding(tree["project"])
    response = post_step(
        client, finding, "plan", **plan_form(root_cause="x", corrective_action="n/a", action_owner="")
    )
    assert response.status_code == 422
    assert "real sentence" in field_errors(response, "plan-root_cause")[0]
    assert "real sentence" in field_errors(response, "plan-corrective_action")[0]
    assert field_errors(response, "plan-action_owner") == ["Name who carries out the corrective action."]
    assert input_value(response, "plan-action_due") == plan_form()["action_due"]  # kept as typed
    assert (reload(finding.id).status, reload(finding.id).root_cause) == ("open", "")


def test_closing_an_action_never_implemented_is_refused(client, owner, tree):
    finding = to_state(add_finding(tree["project"]), "action_planned")
    page = client.get(url(tree["project"], finding.id))
    values = {"close-version": str(finding.version)}
    response = client.post(url(tree["project"], finding.id, "close"), data=values)
    assert response.status_code == 422
    assert "only after a passed effectiveness check" in response.text
    assert steps_offered(page) == ["plan", "implement"]
    assert reload(finding.id).status == "action_planned"


def test_a_check_before_the_implementation_is_refused(client, owner, tree):
    finding = to_state(add_finding(tree["project"]), "action_planned")
    data = {
        "check-version": str(finding.version),
        "check-checked_on": TODAY.isoformat(),
        "check-checked_by": "Mr Binh",
        "check-result": "effective",
        "check-notes": CHECK_NOTES,
    }
    response = client.post(url(tree["project"], finding.id, "check"), data=data)
    assert response.status_code == 422 and "after the action is implemented" in response.text
    assert db.session.execute(select(func.count()).select_from(EffectivenessCheckRecord)).scalar_one() == 0


def test_a_check_dated_before_the_implementation_is_refused_beside_its_date(client, owner, tree):
    finding = to_state(add_finding(tree["project"]), "implemented")  # implemented ten days ago
    early = TODAY - timedelta(days=11)
    check = {
        "checked_on": early.isoformat(),
        "checked_by": "Mr Binh",
        "result": "effective",
        "notes": CHECK_NOTES,
    }
    response = post_step(client, finding, "check", **check)
    assert response.status_code == 422
    assert "cannot come before the action was implemented" in field_errors(response, "check-checked_on")[0]
    assert reload(finding.id).status == "implemented"


def test_an_ineffective_check_reopens_the_action_and_keeps_the_check(client, owner, tree):
    project = tree["project"]
    finding = to_state(add_finding(project), "implemented")
    check = {
        "checked_on": TODAY.isoformat(),
        "checked_by": "Mr Binh",
        "result": "ineffective",
        "notes": "Scale 5 was found past its calibration date during the check.",
    }
    response = post_step(client, finding, "check", **check)
    assert response.status_code == 303
    saved = reload(finding.id)
    assert (saved.status, saved.implemented_on) == ("action_planned", None)
    assert [c.result for c in saved.checks] == ["ineffective"]
    page = client.get(url(project, finding.id))
    assert steps_offered(page) == ["plan", "implement"]
    assert "Revise the root cause and the corrective action" in page.text
    assert "Scale 5 was found past its calibration date" in page.text
    # implemented again, on a day not before the failed check
    refused = post_step(client, finding, "implement", implemented_on=(TODAY - timedelta(days=1)).isoformat())
    assert (
        refused.status_code == 422
        and "after the check" in field_errors(refused, "implement-implemented_on")[0]
    )
    assert post_step(client, finding, "implement", implemented_on=TODAY.isoformat()).status_code == 303
    assert reload(finding.id).implemented_on == TODAY


def test_an_observation_closes_from_open_with_its_response(client, owner, tree):
    finding = add_finding(tree["project"], "observation")
    refused = post_step(client, finding, "close", corrective_action="noted")
    assert (
        refused.status_code == 422 and "real sentence" in field_errors(refused, "close-corrective_action")[0]
    )
    assert post_step(client, finding, "close", corrective_action=RESPONSE).status_code == 303
    saved = reload(finding.id)
    assert (saved.status, saved.corrective_action, saved.closed_on) == ("closed", RESPONSE, TODAY)


def test_a_contributor_cannot_close_a_major_but_a_consultant_can(app, make, tree):
    project = tree["project"]
    major = to_state(add_finding(project, "major"), "verified")
    minor = to_state(add_finding(project, "minor"), "verified")
    contributor, _ = user_as(app, make, tree, "contributor")
    page = contributor.get(url(project, major.id))
    assert 'id="close-not-allowed"' in page.text and 'id="close-form"' not in page.text
    data = {"close-version": str(major.version)}
    refused = contributor.post(url(project, major.id, "close"), data=data)
    assert refused.status_code == 403 and "owner, consultant or client manager" in refused.text
    assert reload(major.id).status == "verified"
    assert post_step(contributor, minor, "close").status_code == 303
    assert reload(minor.id).status == "closed"
    consultant, _ = user_as(app, make, tree, "consultant")
    assert post_step(consultant, major, "close").status_code == 303
    assert reload(major.id).status == "closed"


def test_two_people_closing_the_same_finding_the_second_sees_it_closed(app, make, tree):
    project = tree["project"]
    finding = to_state(add_finding(project, "minor"), "verified")
    first, _ = user_as(app, make, tree, "owner")
    second, _ = user_as(app, make, tree, "consultant")
    first_page, second_page = first.get(url(project, finding.id)), second.get(url(project, finding.id))
    assert post_step(first, finding, "close", page=first_page).status_code == 303
    late = post_step(second, finding, "close", page=second_page)
    assert late.status_code == 409
    assert "Someone else" in late.text and "It is now closed" in late.text
    assert 'data-state="closed"' in late.text and steps_offered(late) == []
    assert reload(finding.id).closed_on == TODAY


def test_a_step_on_a_stale_page_is_refused_with_the_current_state(client, owner, tree):
    finding = add_finding(tree["project"])
    stale_page = client.get(url(tree["project"], finding.id))
    to_state(reload(finding.id), "action_planned")
    response = post_step(client, finding, "plan", page=stale_page, **plan_form(root_cause=ACTION))
    assert response.status_code == 409 and "It is now action planned" in response.text
    assert reload(finding.id).root_cause == ROOT_CAUSE  # the other person's plan stays


# Editing


def edit_data(page: Any, **fields: str) -> dict[str, str]:
    return form_values(page, "edit-version") | {f"edit-{key}": value for key, value in fields.items()}


def test_editing_a_finding(client, owner, tree):
    project = tree["project"]
    finding = add_finding(project)
    page = client.get(url(project, finding.id))
    due = TODAY + timedelta(days=20)
    data = edit_data(
        page,
        description="Scale 3 and scale 4 had no record.",
        action_due=due.isoformat(),
        clause_number="7.1.5.2",
    )
    assert client.post(url(project, finding.id), data=data).status_code == 303
    saved = reload(finding.id)
    assert (saved.description, saved.action_due, saved.clause_number) == (
        "Scale 3 and scale 4 had no record.",
        due,
        "7.1.5.2",
    )
    refused = client.post(
        url(project, finding.id), data=edit_data(client.get(url(project, finding.id)), clause_number="99")
    )
    assert refused.status_code == 422 and field_errors(refused, "edit-clause_number") == [
        "ISO 9001:2015 has no clause 99."
    ]


def test_an_edit_from_a_stale_page_is_refused_and_shows_both_values(client, owner, tree):
    project = tree["project"]
    finding = add_finding(project)
    page = client.get(url(project, finding.id))
    assert (
        client.post(url(project, finding.id), data=edit_data(page, containment="First change.")).status_code
        == 303
    )
    stale = client.post(url(project, finding.id), data=edit_data(page, containment="Second change."))
    assert stale.status_code == 409 and 'id="stale-notice"' in stale.text
    assert "Second change." in stale.text and "First change." in stale.text
    assert reload(finding.id).containment == "First change."


def test_a_closed_finding_keeps_its_severity_and_action(client, owner, tree):
    project = tree["project"]
    finding = to_state(add_finding(project), "closed")
    page = client.get(url(project, finding.id))
    assert "edit-severity" not in page.text and "edit-action_owner" not in page.text
    data = edit_data(page, description="Scale 3 had no calibration record for 2025.")
    data["edit-severity"] = "major"  # not on the form: ignored
    assert client.post(url(project, finding.id), data=data).status_code == 303
    saved = reload(finding.id)
    assert (saved.description, saved.severity) == ("Scale 3 had no calibration record for 2025.", "minor")


def test_a_contributor_cannot_lower_an_open_major(app, make, tree):
    project = tree["project"]
    finding = add_finding(project, "major")
    contributor, _ = user_as(app, make, tree, "contributor")
    page = contributor.get(url(project, finding.id))
    refused = contributor.post(url(project, finding.id), data=edit_data(page, severity="minor"))
    assert refused.status_code == 403 and "owner, consultant or client manager" in refused.text
    assert reload(finding.id).severity == "major"
    raised = contributor.post(url(project, finding.id), data=edit_data(page, containment="Quarantined."))
    assert raised.status_code == 303


def test_the_finding_names_the_audit_it_was_raised_in(client, owner, tree):
    project = tree["project"]
    audit = InternalAudit(
        project_id=project.id, title="Production audit, March", planned_start=TODAY, planned_end=TODAY
    )
    db.session.add(audit)
    db.session.commit()
    finding = add_finding(project)
    finding.audit_id = audit.id
    db.session.commit()
    page = client.get(url(project, finding.id))
    assert page.status_code == 200
    assert 'id="finding-audit"' in page.text and "Production audit, March" in page.text
    assert f"/projects/{project.id}/audits/{audit.id}" in page.text


def test_login_is_needed(client, tree):
    finding = add_finding(tree["project"])
    assert client.get(url(tree["project"], finding.id)).status_code == 302


def test_an_older_findings_saved_values_do_not_block_an_edit(client, owner, tree):
    """A finding saved before these rules (a clause the catalog no longer has, an action due before it was
    raised) may still be corrected; only what the user changes is judged."""
    project = tree["project"]
    finding = add_finding(project)
    finding.clause_number, finding.action_due = "4.4.1", finding.raised_on - timedelta(days=3)
    db.session.commit()
    page = client.get(url(project, finding.id))
    response = client.post(url(project, finding.id), data=edit_data(page, containment="Quarantined."))
    assert response.status_code == 303
    assert (reload(finding.id).containment, reload(finding.id).clause_number) == ("Quarantined.", "4.4.1")


@pytest.mark.parametrize("state", ["open", "action_planned", "implemented", "verified", "closed"])
def test_every_id_on_a_findings_page_is_unique(client, owner, tree, state):
    for severity in ("major", "observation"):
        finding = to_state(add_finding(tree["project"], severity), state)
        response = client.get(url(tree["project"], finding.id))
        assert response.status_code == 200
        unique_ids(response.get_data(as_text=True))
    unique_ids(client.get(url(tree["project"])).get_data(as_text=True))
    unique_ids(client.get(url(tree["project"], "new")).get_data(as_text=True))
