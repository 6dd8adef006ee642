"""The risk register's pages: recording a risk from a context issue, the register with its filters, heat map
and pages, editing on the version read, the effectiveness review, the project's scale and the starters;
refusals beside their fields, another workspace's ids 404, viewers 403, stale saves 409."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.domain import risks as rules
from app.domain.risks import TIMES
from app.extensions import db
from app.models import CertificationProject, Membership, RegisterEvent, Risk
from app.risks import routes
from app.services import risks as service
from app.services.errors import Invalid
from app.services.scope import Scope
from tests.html import field_errors, form_values
from tests.integration.evidence_support import user_as
from tests.integration.risks_support import (
    ACTION,
    DESCRIPTION,
    REVIEW_NOTES,
    TODAY,
    acted,
    add_issue,
    add_party,
    add_risk,
)
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/risks", *(str(p) for p in parts)])


def count(model: Any = Risk) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(risk_id: int) -> Risk:
    db.session.expire_all()
    found = db.session.get(Risk, risk_id)
    assert found is not None
    return found


def history(risk_id: int) -> list[str]:
    rows = db.session.execute(
        select(RegisterEvent.summary)
        .where(RegisterEvent.register == "risk", RegisterEvent.record_id == risk_id)
        .order_by(RegisterEvent.id)
    ).scalars()
    return list(rows)


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


@pytest.fixture
def manager(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "client_manager")[0]


def risk_data(**fields: Any) -> dict[str, str]:
    return {
        "kind": "risk",
        "source": "",
        "description": DESCRIPTION,
        "likelihood": "4",
        "impact": "4",
        "action": "",
        "owner": "",
        "due_date": "",
    } | fields


def review_data(**fields: Any) -> dict[str, str]:
    values = {"reviewed_on": TODAY.isoformat(), "effective": "yes", "notes": REVIEW_NOTES,
              "residual_likelihood": "1", "residual_impact": "4"} | fields  # fmt: skip
    return {f"review-{name}": value for name, value in values.items()}


def figure_of(page: Any, key: str) -> dict[str, Any]:
    found = re.search(rf'id="{key}-figure" data-figure="([^"]*)"', page.text)
    assert found, f"no chart {key}"
    return json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))


# Recording


def test_a_risk_from_a_context_issue_is_recorded_listed_and_mapped(http, tree):
    project = tree["project"]
    issue = add_issue(project)
    sent = risk_data(source=f"issue-{issue.id}", action=ACTION, owner="Ms Lan",
                     due_date=(TODAY + timedelta(days=10)).isoformat())  # fmt: skip
    response = http.post(url(project, "new"), data=sent)
    assert response.status_code == 303
    risk = db.session.execute(select(Risk)).scalar_one()
    assert (risk.issue_id, risk.likelihood, risk.impact, risk.action) == (issue.id, 4, 4, ACTION)
    assert response.headers["Location"].endswith(url(project, risk.id))
    assert history(risk.id) == [f"Recorded the risk, scored 4 {TIMES} 4 = 16 (high)."]
    page = http.get(url(project, risk.id))
    assert page.status_code == 200 and "Export buyers ask for certified suppliers." in page.text
    assert 'data-state="awaiting_review"' in page.text and 'data-level="high"' in page.text
    assert 'id="history-list"' in page.text and 'id="evidence"' in page.text
    listed = http.get(url(project))
    row = listed.text[listed.text.index(f'data-risk-id="{risk.id}"') :]
    assert "Issue: Export buyers" in row and ">16<" in row and "Ms Lan" in row
    figure = figure_of(listed, "risk-heat-map")
    assert figure["data"][0]["text"][3][3] == "1"  # likelihood 4, impact 4 (from 1)
    assert figure["data"][0]["z"][0][0] == 0 and figure["data"][0]["z"][4][4] == 2  # low and high cells


RECORD_REFUSALS = (
    ({"description": "x"}, "description", "as a real sentence"),
    ({"likelihood": "6"}, "likelihood", "On this project's 5-point scale the likelihood is from 1 to 5"),
    ({"impact": "many"}, "impact", "Score the impact from 1 to 5."),
    ({"kind": "threat"}, "kind", "risk or an opportunity"),
    ({"due_date": TODAY.isoformat()}, "due_date", "A due date belongs to an action"),
    ({"action": ACTION}, "owner", "Name who owns the action."),
    ({"source": "issue-abc"}, "source", "Choose a context issue of this project."),
)


def test_a_record_breaking_a_rule_is_refused_beside_its_field(http, tree):
    for fields, field, message in RECORD_REFUSALS:
        response = http.post(url(tree["project"], "new"), data=risk_data(**fields))
        assert response.status_code == 422, fields
        assert any(message in error for error in field_errors(response, field)), fields
        assert form_values(response, "description")["description"] == risk_data(**fields)["description"]
    assert count() == 0


def test_another_projects_issue_or_party_is_refused_as_a_source(http, make, tree):
    other = make.project(tree["site"])  # the same workspace, another project
    for source in (f"issue-{add_issue(other).id}", f"party-{add_party(other).id}"):
        response = http.post(url(tree["project"], "new"), data=risk_data(source=source))
        assert response.status_code == 422 and "of this project" in field_errors(response, "source")[0]
    assert count() == 0
    party = add_party(tree["project"])
    assert (
        http.post(url(tree["project"], "new"), data=risk_data(source=f"party-{party.id}")).status_code == 303
    )
    assert db.session.execute(select(Risk.party_id)).scalar_one() == party.id


# Roles and workspaces


def test_a_viewer_reads_the_register_but_changes_nothing(app, make, tree):
    viewer = user_as(app, make, tree, "viewer")[0]
    project = tree["project"]
    risk = add_risk(project, **acted())
    assert viewer.get(url(project)).status_code == 200
    page = viewer.get(url(project, risk.id))
    assert (
        page.status_code == 200 and 'id="risk-form"' not in page.text and 'id="review-form"' not in page.text
    )
    assert 'id="risk-starters"' not in viewer.get(url(project)).text
    refused = [
        viewer.get(url(project, "new")),
        viewer.post(url(project, "new"), data=risk_data()),
        viewer.post(url(project, risk.id), data=risk_data(version="1")),
        viewer.post(url(project, risk.id, "review"), data=review_data(version="1")),
        viewer.post(url(project, "starters"), data={"starter_key": "key_customer"}),
        viewer.post(url(project, "scale"), data={"scale-scale": "3", "scale-version": "1"}),
    ]
    assert [response.status_code for response in refused] == [403] * 6
    assert count() == 1 and reload(risk.id).reviewed_on is None


def test_another_workspaces_risk_is_404(http, make, tree):
    theirs = add_risk(make.tree()["project"], **acted())
    project = tree["project"]
    assert http.get(url(project, theirs.id)).status_code == 404
    assert http.post(url(project, theirs.id), data=risk_data(version="1")).status_code == 404
    assert http.post(url(project, theirs.id, "review"), data=review_data(version="1")).status_code == 404
    assert reload(theirs.id).description == DESCRIPTION and reload(theirs.id).reviewed_on is None


# Editing and reviewing


def test_a_risk_is_edited_on_the_version_read_and_a_stale_edit_is_409(http, tree):
    project = tree["project"]
    risk = add_risk(project)
    sent = risk_data(likelihood="2", action=ACTION, owner="Mr Hai", due_date=TODAY.isoformat(), version="1")
    assert http.post(url(project, risk.id), data=sent).status_code == 303
    saved = reload(risk.id)
    assert (saved.likelihood, saved.owner, saved.version) == (2, "Mr Hai", 2)
    assert history(risk.id)[-1] == "Changed the likelihood, action, owner and due date."
    response = http.post(url(project, risk.id), data=risk_data(owner="Ms Hoa", version="1"))
    assert response.status_code == 409 and "Someone else saved this risk or opportunity" in response.text
    form = form_values(response, "description")
    assert form["owner"] == "Mr Hai" and form["version"] == "2" and "Ms Hoa" in response.text
    assert reload(risk.id).owner == "Mr Hai"


def test_a_review_is_recorded_and_a_changed_action_awaits_its_own(http, tree):
    project = tree["project"]
    risk = add_risk(project, **acted())
    assert http.post(url(project, risk.id, "review"), data=review_data(version="1")).status_code == 303
    saved = reload(risk.id)
    assert (saved.reviewed_on, saved.effective, saved.residual_likelihood) == (TODAY, True, 1)
    page = http.get(url(project, risk.id))
    assert 'data-state="effective"' in page.text and f"1 {TIMES} 4 = 4" in page.text
    assert history(risk.id)[-1] == f"Reviewed on {TODAY:%d %b %Y}: effective; residual 1 {TIMES} 4 = 4 (low)."
    revised = dict(form_values(page, "description"), action="Keep twelve weeks of bark in stock instead.")
    assert http.post(url(project, risk.id), data=revised).status_code == 303
    saved = reload(risk.id)
    assert saved.reviewed_on is None and saved.residual_likelihood is None and saved.review_notes == ""
    assert (
        "The review of" in history(risk.id)[-1]
        and "(effective) was of the earlier action" in history(risk.id)[-1]
    )


REVIEW_REFUSALS = (
    ({"reviewed_on": (TODAY + timedelta(days=1)).isoformat()}, "reviewed_on", "the date is in the future"),
    (
        {"reviewed_on": (TODAY - timedelta(days=31)).isoformat()},
        "reviewed_on",
        "before the risk or opportunity",
    ),
    ({"reviewed_on": ""}, "residual_likelihood", "Residual scores come from the effectiveness review"),
    ({"effective": ""}, "effective", "Say whether the action was effective."),
    ({"notes": "fine"}, "notes", "real sentence"),
    ({"residual_impact": "9"}, "residual_impact", "5-point scale"),
)


def test_a_review_breaking_a_rule_is_refused_beside_its_field(http, tree):
    project = tree["project"]
    risk = add_risk(project, recorded_days_ago=30, **acted())
    for fields, field, message in REVIEW_REFUSALS:
        response = http.post(url(project, risk.id, "review"), data=review_data(version="1", **fields))
        assert response.status_code == 422, fields
        assert any(message in error for error in field_errors(response, f"review-{field}")), fields
    assert reload(risk.id).reviewed_on is None


def test_a_review_without_an_action_or_on_a_stale_copy_is_refused(http, tree):
    project = tree["project"]
    bare = add_risk(project)
    response = http.post(url(project, bare.id, "review"), data=review_data(version="1"))
    assert response.status_code == 422 and "Record the action before reviewing" in response.text
    risk = add_risk(project, **acted())
    risk.owner = "Mr Tuan"
    db.session.commit()  # saved by someone else after the page was read
    response = http.post(url(project, risk.id, "review"), data=review_data(version="1"))
    assert response.status_code == 409 and "Someone else saved this risk or opportunity" in response.text
    assert reload(risk.id).reviewed_on is None and reload(bare.id).reviewed_on is None


# The register


def test_the_register_filters_orders_pages_and_says_what_it_ignored(http, tree, monkeypatch):
    project = tree["project"]
    late = add_risk(project, **acted(due_date=TODAY - timedelta(days=2)))
    high = add_risk(project, likelihood=5, impact=5)
    low = add_risk(project, likelihood=1, impact=2)
    chance = add_risk(project, kind="opportunity", likelihood=4, impact=3, **acted())

    def ids(query: str = "") -> list[int]:
        page = http.get(f"{url(project)}{query}")
        assert page.status_code == 200
        return [int(found) for found in re.findall(r'data-risk-id="(\d+)"', page.text)]

    assert ids() == [high.id, late.id, chance.id, low.id]  # needing action first, then by score
    assert ids("?kind=opportunity") == [chance.id]
    assert ids("?level=low") == [low.id]
    assert ids("?state=overdue") == [late.id]
    assert ids("?state=no_action&level=high") == [high.id]
    odd = http.get(f"{url(project)}?level=severe&state=%3Cb%3E")
    assert odd.status_code == 200 and "Unknown filter level “severe”, state “&lt;b&gt;”" in odd.text
    assert len(re.findall(r"data-risk-id=", odd.text)) == 4
    monkeypatch.setattr(routes, "PER_PAGE", 3)
    assert ids("?page=2") == [low.id]
    assert "Page 1 of 2" in http.get(url(project)).text
    assert "No risk or opportunity recorded yet" not in http.get(url(project)).text


def test_the_register_runs_the_same_queries_at_two_sizes(http, make, tree):
    add_risk(tree["project"])
    other = make.project(tree["site"])
    issue, party = add_issue(other), add_party(other)
    for index in range(6):
        source = {"issue_id": issue.id} if index % 2 else {"party_id": party.id}
        add_risk(other, likelihood=1 + index % 5, impact=2, **source, **acted())
    counts = []
    http.get(url(other))  # warmed up: anything a first request does once is not counted
    for address in (url(tree["project"]), url(other)):
        with count_queries() as statements:
            assert http.get(address).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_an_empty_register_offers_the_starters_and_an_iso_13485_project_is_told_it_is_optional(
    app, http, make, tree
):
    page = http.get(url(tree["project"]))
    assert "No risk or opportunity recorded yet" in page.text and 'data-starter="key_customer"' in page.text
    assert 'id="risks-not-required"' not in page.text and "No risk scored yet" in page.text
    medical = make.project(tree["site"], code="iso13485")
    page = http.get(url(medical))
    assert page.status_code == 200 and 'id="risks-not-required"' in page.text


def test_every_id_on_the_risk_pages_is_unique_and_every_label_has_its_control(app, make, tree):
    owner = user_as(app, make, tree, "owner")[0]
    project = tree["project"]
    risk = add_risk(project, **acted())
    for address in (url(project), url(project, risk.id), url(project, "new")):
        check_ids(owner.get(address).text)


# The starters


def test_a_starter_is_added_once_scored_on_the_projects_scale(http, tree):
    project = tree["project"]
    project.risk_scale = 3
    db.session.commit()
    response = http.post(url(project, "starters"), data={"starter_key": "key_customer"})
    assert response.status_code == 303
    risk = db.session.execute(select(Risk)).scalar_one()
    assert (risk.starter_key, risk.likelihood, risk.impact) == ("key_customer", 2, 3)  # 3 and 5 on 5 points
    assert response.headers["Location"].endswith(url(project, risk.id))
    again = http.post(url(project, "starters"), data={"starter_key": "key_customer"}, follow_redirects=True)
    assert "already in the register" in again.text
    unknown = http.post(url(project, "starters"), data={"starter_key": "nope"}, follow_redirects=True)
    assert "Choose one of the suggestions." in unknown.text
    assert count() == 1 and 'data-starter="key_customer"' not in http.get(url(project)).text


def test_a_starter_added_by_two_requests_at_once_is_refused_beside_its_key(make, tree, monkeypatch):
    project = tree["project"]
    user = make.user(tree["workspace"], role="contributor")
    scope = Scope.of(db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one())
    add_risk(project, starter_key="key_customer")  # the other request's, committed after this one looked
    monkeypatch.setattr(service, "starters_to_offer", lambda _project: list(rules.starters()))
    with pytest.raises(Invalid) as refused:
        service.add_starter(scope, project, "key_customer")
    assert refused.value.fields == {"starter_key": "This suggestion is already in the register."}
    db.session.rollback()
    assert count() == 1


# The scale


def scale_data(project: CertificationProject, scale: str, version: int | None = None) -> dict[str, str]:
    return {"scale-scale": scale, "scale-version": str(version or project.version)}


def test_the_scale_changes_unless_a_risk_is_scored_above_it(manager, http, tree):
    project = tree["project"]
    risk = add_risk(project, likelihood=2, impact=4)
    response = manager.post(url(project, "scale"), data=scale_data(project, "3"))
    assert response.status_code == 422
    assert "1 risk or opportunity is scored above 3" in field_errors(response, "scale-scale")[0]
    assert http.post(url(project, "scale"), data=scale_data(project, "3")).status_code == 403  # contributor
    risk.impact = 3
    db.session.commit()
    assert manager.post(url(project, "scale"), data=scale_data(project, "3")).status_code == 303
    db.session.expire_all()
    assert project.risk_scale == 3
    page = manager.get(url(project))
    assert "Likelihood and impact are each scored from 1 to 3" in page.text
    assert len(figure_of(page, "risk-heat-map")["data"][0]["z"]) == 3
    refused = manager.post(url(project, "scale"), data=scale_data(project, "4"))
    assert refused.status_code == 422 and "Choose a 3-point or a 5-point scale." in refused.text


def test_a_scale_change_on_a_stale_project_is_409(manager, tree):
    project = tree["project"]
    read_at = project.version
    project.target_date = project.target_date + timedelta(days=7)
    db.session.commit()  # someone changed the project after the page was read
    response = manager.post(url(project, "scale"), data=scale_data(project, "3", read_at))
    assert response.status_code == 409 and "Someone else saved this project" in response.text
    db.session.expire_all()
    assert project.risk_scale == rules.DEFAULT_SCALE
