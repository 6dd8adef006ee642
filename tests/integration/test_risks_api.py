"""The risk register's API: the register with its filters and pages, recording one, reading one with its
ETag, and every refusal as JSON; the register's SQL (its level and state filters agree with the rules, one
query for its state) and its state's concerns."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import risks as rules
from app.domain.registers import Concern
from app.extensions import db
from app.models import CertificationProject, Risk
from app.services import risks as service
from app.services.risks import RegisterFilters
from tests.integration.risks_support import ACTION, DESCRIPTION, TODAY, acted, add_issue, add_party, add_risk
from tests.integration.test_api import assert_error, bearer, check, documented, token_for
from tests.querycount import count_queries

LIST_PATH = "/api/v1/projects/{project_id}/risks"
ONE_PATH = "/api/v1/projects/{project_id}/risks/{risk_id}"
NEW = {"kind": "risk", "description": DESCRIPTION, "likelihood": 3, "impact": 5}


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="contributor")))


def url(path: str, project: Any, **ids: int) -> str:
    return path.format(project_id=project.id, **ids)


def stored() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(Risk)).scalar_one()


def listed(client: Any, project: Any, headers: dict[str, str], query: str = "") -> Any:
    response = client.get(f"{url(LIST_PATH, project)}{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    check(response.json, documented(LIST_PATH, "get"))
    return response.json


def test_the_list_answers_each_risk_as_the_register_shows_it_filtered_and_paged(client, tree, headers):
    project = tree["project"]
    issue = add_issue(project)
    late = add_risk(project, issue_id=issue.id, **acted(due_date=TODAY - timedelta(days=1)))
    low = add_risk(project, kind="opportunity", likelihood=1, impact=2)
    body = listed(client, project, headers)
    assert (body["page"], body["per_page"], body["total"], body["scale"]) == (1, 20, 2, 5)
    assert body["items"][0] == {
        "id": late.id,
        "kind": "risk",
        "source": {"kind": "issue", "id": issue.id, "label": "Export buyers ask for certified suppliers."},
        "description": DESCRIPTION,
        "likelihood": 3,
        "impact": 4,
        "score": 12,
        "level": "high",
        "action": ACTION,
        "owner": "Ms Lan, purchasing",
        "due_date": (TODAY - timedelta(days=1)).isoformat(),
        "state": "overdue",
        "url": url(ONE_PATH, project, risk_id=late.id),
    }
    assert [i["id"] for i in listed(client, project, headers, "?kind=opportunity")["items"]] == [low.id]
    assert [i["state"] for i in listed(client, project, headers, "?level=low")["items"]] == ["accepted"]
    assert listed(client, project, headers, "?state=effective")["items"] == []
    paged = listed(client, project, headers, "?per_page=1&page=2")
    assert ([i["id"] for i in paged["items"]], paged["total"]) == ([low.id], 2)
    for query, name in (("?level=severe", "level"), ("?state=done", "state"), ("?per_page=0", "per_page")):
        error = assert_error(client.get(f"{url(LIST_PATH, project)}{query}", headers=headers), 422)
        assert name in error["fields"]


def test_a_risk_is_recorded_and_read_with_its_etag(client, tree, headers):
    project = tree["project"]
    party = add_party(project)
    due = (TODAY + timedelta(days=20)).isoformat()
    sent = NEW | {"party_id": party.id, "action": f"  {ACTION} ", "owner": "Mr Hai", "due_date": due}
    response = client.post(url(LIST_PATH, project), json=sent, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    check(response.json, documented(LIST_PATH, "post", 201))
    body = response.json
    assert (body["action"], body["source"]["kind"], body["level"], body["state"]) == (
        ACTION, "party", "high", "awaiting_review",
    )  # fmt: skip
    assert (body["reviewed_on"], body["residual_level"], body["version"], body["scale"]) == (None, None, 1, 5)
    assert response.headers["ETag"] == '"v1"'
    one = client.get(url(ONE_PATH, project, risk_id=body["id"]), headers=headers)
    assert one.status_code == 200 and one.json == body
    check(one.json, documented(ONE_PATH, "get"))
    again = client.get(
        url(ONE_PATH, project, risk_id=body["id"]), headers=headers | {"If-None-Match": '"v1"'}
    )
    assert again.status_code == 304


def test_a_reviewed_risk_answers_its_review_and_residual_level(client, tree, headers):
    project = tree["project"]
    risk = add_risk(project, **acted(), reviewed_on=TODAY, effective=False, review_notes="Two late lots.",
                    residual_likelihood=2, residual_impact=2)  # fmt: skip
    body = client.get(url(ONE_PATH, project, risk_id=risk.id), headers=headers).json
    check(body, documented(ONE_PATH, "get"))
    assert (body["state"], body["effective"], body["residual_score"], body["residual_level"]) == (
        "not_effective", False, 4, "low",
    )  # fmt: skip


BODY_REFUSALS = (
    ({"likelihood": 6}, "likelihood", "5-point scale the likelihood is from 1 to 5"),
    ({"impact": "4"}, "impact", "Input should be a valid integer"),
    ({"description": "tbd"}, "description", "real sentence"),
    ({"kind": "hazard"}, "kind", "risk or an opportunity"),
    ({"action": ACTION}, "owner", "Name who owns the action."),
    ({"issue_id": 2**62}, "issue_id", "Choose a context issue of this project."),
    ({"due_date": "31/12/2026"}, "due_date", "Use an ISO date"),
    ({"colour": "red"}, "colour", "Unknown field."),
)


def test_a_body_breaking_a_rule_is_422_naming_the_field(client, tree, headers):
    for change, field, fault in BODY_REFUSALS:
        response = client.post(url(LIST_PATH, tree["project"]), json=NEW | change, headers=headers)
        error = assert_error(response, 422)
        assert fault in error["fields"][field] and field in error["message"], change
        check(response.json, documented(LIST_PATH, "post", 422))
    assert stored() == 0


def test_another_projects_source_viewers_and_other_workspaces_are_refused(client, make, tree, headers):
    project = tree["project"]
    other = make.project(tree["site"])

    def refused(body: dict[str, Any]) -> dict[str, str]:
        return assert_error(client.post(url(LIST_PATH, project), json=body, headers=headers), 422)["fields"]

    assert "of this project" in refused(NEW | {"issue_id": add_issue(other).id})["issue_id"]
    both = NEW | {"issue_id": add_issue(project).id, "party_id": add_party(project).id}
    assert "Choose one source" in refused(both)["party_id"]
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    assert_error(client.post(url(LIST_PATH, project), json=NEW, headers=viewer), 403)
    theirs = make.tree()["project"]
    their_risk = add_risk(theirs)
    assert_error(client.post(url(LIST_PATH, theirs), json=NEW, headers=headers), 404)
    assert_error(client.get(url(ONE_PATH, project, risk_id=their_risk.id), headers=headers), 404)
    assert_error(client.get(url(ONE_PATH, theirs, risk_id=their_risk.id), headers=headers), 404)
    assert stored() == 1


def test_the_list_runs_the_same_queries_at_two_sizes(client, make, tree, headers):
    add_risk(tree["project"])
    other = make.project(tree["site"])
    issue = add_issue(other)
    for index in range(6):
        add_risk(other, issue_id=issue.id if index % 2 else None, likelihood=1 + index % 5, **acted())
    counts = []
    addresses = (url(LIST_PATH, tree["project"]), url(LIST_PATH, other))
    client.get(addresses[0], headers=headers)  # the token's first use is recorded once
    for address in addresses:
        with count_queries() as statements:
            assert client.get(address, headers=headers).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


# The register's SQL against the rules


def test_the_level_and_state_filters_agree_with_the_rules(tree):
    project = tree["project"]
    dues = (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1))
    made = []
    for scores, due, review in itertools.product(((1, 2), (1, 5), (2, 3), (5, 5)), dues, (None, True, False)):
        fields: dict[str, Any] = {"likelihood": scores[0], "impact": scores[1]}
        if due is not None or review is not None:
            fields |= {"action": ACTION, "owner": "Ms Lan", "due_date": due}
        if review is not None:
            fields |= {"reviewed_on": TODAY, "effective": review, "review_notes": "Checked it."}
        made.append(Risk(project_id=project.id, kind="risk", description=DESCRIPTION, **fields))
    db.session.add_all(made)
    db.session.commit()
    for scale in rules.SCALES:
        project.risk_scale = scale
        db.session.commit()
        expected = {
            risk.id: (
                rules.level(rules.score(risk.likelihood, risk.impact), scale),
                rules.state(service.facts_of(risk), scale, TODAY),
            )
            for risk in made
        }
        rows, total = service.register_page(project, RegisterFilters(), 1, 100, TODAY)
        assert total == len(made) and {r.id: (r.level, r.state) for r in rows} == expected
        for state in rules.RiskState:
            filtered, _ = service.register_page(project, RegisterFilters(state=state), 1, 100, TODAY)
            assert {r.id for r in filtered} == {i for i, (_, s) in expected.items() if s is state}
        for level in rules.Level:
            filtered, _ = service.register_page(project, RegisterFilters(level=level), 1, 100, TODAY)
            assert {r.id for r in filtered} == {i for i, (lv, _) in expected.items() if lv is level}


def test_the_register_state_counts_what_needs_attention_in_one_query(tree):
    project = tree["project"]
    empty = service.register_state(project, TODAY)
    assert empty.count == 0 and empty.has_problems
    assert empty.concerns == (Concern(1, "none recorded", action=rules.EMPTY_STEP, counted=False),)
    add_risk(project, likelihood=5, impact=4)  # high, no action
    add_risk(project, kind="opportunity", likelihood=4, impact=4)  # high, no action
    add_risk(project, likelihood=1, impact=5)  # medium, no action: not counted as high
    add_risk(project, **acted(due_date=TODAY - timedelta(days=3)))  # overdue
    add_risk(project, **acted())  # awaiting review
    add_risk(project, likelihood=1, impact=1)  # accepted
    project_id = project.id
    with count_queries() as statements:
        found = service.register_state(db.session.get(CertificationProject, project_id), TODAY)
    assert len(statements) == 2  # the project, then the register's one query
    assert found.count == 6 and found.has_problems
    high, overdue, awaiting = found.concerns
    assert (high.count, high.action) == (2, "Plan actions for the 1 high risk and 1 high opportunity (6.1.2)")
    assert high.query == (("state", "no_action"), ("level", "high"))
    assert (overdue.count, overdue.urgent, overdue.query) == (1, True, (("state", "overdue"),))
    assert overdue.action == "Complete or review the 1 overdue risk action (6.1.2)"
    assert (awaiting.count, awaiting.urgent, awaiting.label) == (1, False, "awaiting effectiveness review")
    assert found.text == (
        "6 risks and opportunities, 2 high without action, 1 overdue, 1 awaiting effectiveness review"
    )
