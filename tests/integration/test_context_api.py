"""The context register's API: issues and interested parties listed (filtered, paged), added and read with
their history and evidence; the climate decisions, the standing one first; every refusal as JSON; and the
lists' query counts at two sizes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ClimateDecision, ContextIssue, InterestedParty, RegisterEvidence
from tests.evidence_samples import add_file
from tests.integration.context_support import (
    ISSUE_TEXT,
    REASONING,
    REQUIREMENTS,
    TODAY,
    add_decision,
    add_issue,
    add_party,
)
from tests.integration.test_api import assert_error, bearer, check, documented, token_for
from tests.querycount import count_queries

API = "/api/v1/projects/{project_id}"
ISSUES = f"{API}/context-issues"
ISSUE = f"{ISSUES}/{{issue_id}}"
PARTIES = f"{API}/interested-parties"
PARTY = f"{PARTIES}/{{party_id}}"
DECISIONS = f"{API}/climate-decisions"


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="owner")))


def url(path: str, project: Any, **ids: int) -> str:
    return path.format(project_id=project.id, **ids)


def get(client: Any, path: str, project: Any, headers: dict[str, str], query: str = "", **ids: int) -> Any:
    response = client.get(url(path, project, **ids) + query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    check(response.json, documented(path, "get"))
    return response.json


def stored(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


# Issues


def test_the_issues_are_listed_filtered_and_paged(client, tree, headers):
    project = tree["project"]
    market = add_issue(project)
    climate = add_issue(project, kind="internal", category="climate", reviewed_on=None)
    body = get(client, ISSUES, project, headers)
    assert body["total"] == 2 and [item["id"] for item in body["items"]] == [market.id, climate.id]
    assert body["items"][0] == {
        "id": market.id,
        "kind": "external",
        "category": "market",
        "description": ISSUE_TEXT,
        "effect": "",
        "owner": "Ms Lan, sales",
        "reviewed_on": (TODAY - timedelta(days=30)).isoformat(),
        "review_due": False,
        "starter_key": None,
        "version": 1,
        "url": url(ISSUE, project, issue_id=market.id),
    }

    def ids(query: str) -> list[int]:
        return [item["id"] for item in get(client, ISSUES, project, headers, query)["items"]]

    assert ids("?category=climate") == ids("?review=due") == ids("?kind=internal") == [climate.id]
    assert ids("?per_page=1&page=2") == [climate.id]


LIST_REFUSALS = (
    (ISSUES, "?category=weather", "category"),
    (ISSUES, "?kind=", "kind"),
    (ISSUES, "?review=soon", "review"),
    (PARTIES, "?kind=both", "kind"),
    (PARTIES, "?per_page=101", "per_page"),
    (DECISIONS, "?page=0", "page"),
)


def test_a_list_refuses_unknown_filters(client, tree, headers):
    for path, query, field in LIST_REFUSALS:
        error = assert_error(client.get(url(path, tree["project"]) + query, headers=headers), 422)
        assert list(error["fields"]) == [field], query


def test_an_issue_is_added_and_read_with_its_history_and_evidence(client, tree, headers):
    project = tree["project"]
    sent = {
        "kind": "external",
        "category": "climate",
        "description": ISSUE_TEXT,
        "reviewed_on": TODAY.isoformat(),
    }
    response = client.post(url(ISSUES, project), json=sent, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    check(response.json, documented(ISSUES, "post", 201))
    issue = db.session.execute(select(ContextIssue)).scalar_one()
    assert (issue.category, issue.reviewed_on, issue.effect, issue.owner) == ("climate", TODAY, "", "")
    evidence = add_file(project)
    db.session.add(
        RegisterEvidence(
            project_id=project.id, register="context_issue", record_id=issue.id, evidence_id=evidence.id
        )
    )
    db.session.commit()
    body = get(client, ISSUE, project, headers, issue_id=issue.id)
    assert body["evidence"] == [{"id": evidence.id, "title": evidence.title}]
    assert [event["summary"] for event in body["history"]] == ["External issue added (climate change)."]
    assert body["history"][0]["by"] is not None


ISSUE_REFUSALS = (
    ({"category": "weather"}, "category", "category from the list"),
    ({"description": "tbd"}, "description", "real sentence"),
    ({"reviewed_on": "2999-01-01"}, "reviewed_on", "in the future"),
    ({"reviewed_on": "yesterday"}, "reviewed_on", "ISO date"),
    ({"colour": "red"}, "colour", "Unknown field"),
    ({"kind": 1}, "kind", "string"),
)


def test_an_issue_that_breaks_a_rule_is_refused_naming_the_field(client, tree, headers):
    for body, field, words in ISSUE_REFUSALS:
        sent = {"kind": "internal", "category": "people", "description": ISSUE_TEXT} | body
        error = assert_error(client.post(url(ISSUES, tree["project"]), json=sent, headers=headers), 422)
        assert words in error["fields"][field] and field in error["message"], body
    assert stored(ContextIssue) == 0


# Interested parties


def test_parties_are_listed_added_and_read(client, tree, headers):
    project = tree["project"]
    old = add_party(project, name="Neighbours", reviewed_on=TODAY - timedelta(days=400))
    sent = {
        "name": "Banks",
        "kind": "external",
        "requirements": REQUIREMENTS,
        "monitoring": "Quarterly review.",
    }
    response = client.post(url(PARTIES, project), json=sent, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    check(response.json, documented(PARTIES, "post", 201))
    assert (response.json["review_due"], response.json["reviewed_on"]) == (True, None)
    body = get(client, PARTIES, project, headers)
    assert [item["name"] for item in body["items"]] == ["Banks", "Neighbours"]
    assert [
        item["id"] for item in get(client, PARTIES, project, headers, "?review=due&kind=external")["items"]
    ] == [
        response.json["id"],
        old.id,
    ]
    detail = get(client, PARTY, project, headers, party_id=old.id)
    assert (
        detail["history"][0]["summary"] == "Interested party “Neighbours” added." and detail["evidence"] == []
    )
    refused = client.post(
        url(PARTIES, project), json=sent | {"name": "", "requirements": "x"}, headers=headers
    )
    assert set(assert_error(refused, 422)["fields"]) == {"name", "requirements"}
    assert stored(InterestedParty) == 2


# Climate decisions


def test_the_decisions_list_the_standing_one_first_and_a_new_one_replaces_it(client, tree, headers):
    project = tree["project"]
    assert get(client, DECISIONS, project, headers)["items"] == []
    first = add_decision(project, relevant=True, decided_on=TODAY - timedelta(days=40))
    sent = {
        "decided_on": TODAY.isoformat(),
        "relevant": False,
        "reasoning": REASONING,
        "decided_by": "Ms Lan",
    }
    response = client.post(url(DECISIONS, project), json=sent, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    check(response.json, documented(DECISIONS, "post", 201))
    assert response.json["standing"] is True and response.json["relevant"] is False
    body = get(client, DECISIONS, project, headers)
    assert [(item["id"], item["standing"]) for item in body["items"]] == [
        (response.json["id"], True),
        (first.id, False),
    ]
    assert get(client, DECISIONS, project, headers, "?per_page=1&page=2")["items"][0]["standing"] is False


DECISION_REFUSALS = (
    ({"decided_on": (TODAY - timedelta(days=41)).isoformat()}, "decided_on", "cannot be dated before"),
    ({"decided_on": None}, "decided_on", "Give the day"),
    ({"relevant": "yes"}, "relevant", "boolean"),
    ({"reasoning": "no"}, "reasoning", "real sentence"),
)


def test_a_decision_that_breaks_a_rule_is_refused(client, tree, headers):
    add_decision(tree["project"], decided_on=TODAY - timedelta(days=40))
    good = {"decided_on": TODAY.isoformat(), "relevant": True, "reasoning": REASONING, "decided_by": "Ms Lan"}
    for body, field, words in DECISION_REFUSALS:
        error = assert_error(
            client.post(url(DECISIONS, tree["project"]), json=good | body, headers=headers), 422
        )
        assert words in error["fields"][field], body
    assert stored(ClimateDecision) == 1


# Who may do what, and where


def test_a_viewer_reads_but_adds_nothing_and_another_workspaces_ids_are_404(client, make, tree, headers):
    project = tree["project"]
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    assert client.get(url(ISSUES, project), headers=viewer).status_code == 200
    for path, body in [
        (ISSUES, {"kind": "internal", "category": "people", "description": ISSUE_TEXT}),
        (PARTIES, {"name": "Staff", "kind": "internal", "requirements": REQUIREMENTS}),
        (
            DECISIONS,
            {"decided_on": TODAY.isoformat(), "relevant": True, "reasoning": REASONING, "decided_by": "Me"},
        ),
    ]:
        assert_error(client.post(url(path, project), json=body, headers=viewer), 403)
    theirs = make.tree()["project"]
    issue, party = add_issue(theirs), add_party(theirs)
    assert_error(client.get(url(ISSUE, project, issue_id=issue.id), headers=headers), 404)
    assert_error(client.get(url(PARTY, project, party_id=party.id), headers=headers), 404)
    assert_error(client.get(url(ISSUES, theirs), headers=headers), 404)
    assert (stored(ContextIssue), stored(InterestedParty), stored(ClimateDecision)) == (1, 1, 0)


def test_the_lists_run_the_same_queries_at_two_sizes(client, make, tree, headers):
    small, large = tree["project"], make.project(tree["site"])
    add_issue(small), add_party(small)
    add_decision(small)
    for n in range(6):
        add_issue(large, category="climate" if n % 2 else "market")
        add_party(large)
        add_decision(large, decided_on=TODAY - timedelta(days=10 - n))
    client.get(url(ISSUES, small), headers=headers)  # the token's first use is recorded once
    for path in (ISSUES, PARTIES, DECISIONS):
        counts = []
        for address in (url(path, small), url(path, large)):
            with count_queries() as statements:
                assert client.get(address, headers=headers).status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1], path
