"""The context register's pages: the register with its filters and pagers, adding and editing issues and
interested parties (refusals beside their fields, stale edits 409, history), the starter suggestions (added
once, a race refused), the climate decision with its history, the ISO 13485 notice, foreign ids 404, viewers
403, and the register's state and query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.context import routes
from app.extensions import db
from app.models import ClimateDecision, ContextIssue, InterestedParty, RegisterEvent
from app.services import context as service
from tests.evidence_samples import add_file, scope_for
from tests.html import field_errors, form_values
from tests.integration.context_support import (
    ISSUE_TEXT,
    REASONING,
    TODAY,
    add_decision,
    add_issue,
    add_party,
)
from tests.integration.evidence_support import user_as
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries


def url(project: Any, *parts: Any, **query: str) -> str:
    address = "/".join([f"/projects/{project.id}/context", *(str(p) for p in parts)])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def history(record_id: int, kind: str) -> list[str]:
    rows = select(RegisterEvent.summary).where(
        RegisterEvent.record_id == record_id, RegisterEvent.register == kind
    )
    return list(db.session.execute(rows.order_by(RegisterEvent.id)).scalars())


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


@pytest.fixture
def viewer(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "viewer")[0]


def issue_form(**fields: str) -> dict[str, str]:
    values = {
        "kind": "external",
        "category": "regulatory",
        "description": "New chemical restrictions in the EU change what our coatings may contain.",
        "effect": "Specifications and supplier declarations must be updated before shipping.",
        "owner": "Ms Hoa, QA",
        "reviewed_on": TODAY.isoformat(),
    }
    return values | fields


def party_form(**fields: str) -> dict[str, str]:
    values = {
        "name": "Employees",
        "kind": "internal",
        "requirements": "Safe work, wages on time and the training their jobs need.",
        "monitoring": "Monthly meetings with the team leaders.",
        "reviewed_on": TODAY.isoformat(),
    }
    return values | fields


def decision_form(**fields: str) -> dict[str, str]:
    values = {
        "climate-relevant": "yes",
        "climate-reasoning": REASONING,
        "climate-decided_by": "Mr Minh, director",
        "climate-decided_on": TODAY.isoformat(),
    }
    return values | fields


# The register


def test_an_empty_register_says_what_is_missing_and_offers_the_suggestions(http, tree):
    page = http.get(url(tree["project"]))
    assert page.status_code == 200
    assert "0 issues, no issues or interested parties listed, climate decision not recorded" in page.text
    assert 'id="climate-none"' in page.text and 'id="climate-form"' in page.text
    assert '<details class="mb-4" id="suggestions" open>' in page.text
    assert 'data-starter="climate-flooding"' in page.text and 'data-starter="certification-body"' in page.text
    assert 'id="not-required"' not in page.text


def test_the_register_lists_and_filters_issues_and_parties(http, tree):
    project = tree["project"]
    market = add_issue(project)
    climate = add_issue(project, kind="internal", category="climate", reviewed_on=None)
    old = add_party(project, name="Neighbours", reviewed_on=TODAY - timedelta(days=400))
    staff = add_party(project, name="Staff", kind="internal")
    page = http.get(url(project))
    for record in (
        f'data-issue-id="{market.id}"',
        f'data-issue-id="{climate.id}"',
        f'data-party-id="{old.id}"',
    ):
        assert record in page.text
    assert (
        "2 issues, 2 interested parties, climate decision not recorded, 2 not reviewed in 12 months"
        in page.text
    )

    def ids(query: dict[str, str]) -> tuple[set[int], set[int]]:
        text = http.get(url(project, **query)).text
        issues = {i.id for i in (market, climate) if f'data-issue-id="{i.id}"' in text}
        return issues, {p.id for p in (old, staff) if f'data-party-id="{p.id}"' in text}

    assert ids({"category": "climate"}) == ({climate.id}, {old.id, staff.id})
    assert ids({"kind": "external", "party_kind": "internal"}) == ({market.id}, {staff.id})
    assert ids({"review": "due"}) == ({climate.id}, {old.id})
    unknown = http.get(url(project, category="weather", review="soon"))
    assert unknown.status_code == 200
    assert "There is no category “weather”: it is not applied." in unknown.text
    assert "There is no review filter “soon”" in unknown.text
    assert f'data-issue-id="{market.id}"' in unknown.text


def test_each_table_pages_on_its_own(http, tree, monkeypatch):
    monkeypatch.setattr(routes, "PER_PAGE", 2)
    project = tree["project"]
    issues = [
        add_issue(project, category="market", description=f"{ISSUE_TEXT} Number {n}.") for n in range(3)
    ]
    parties = [add_party(project, name=f"Party {n}") for n in range(3)]
    first = http.get(url(project))
    assert f'data-issue-id="{issues[2].id}"' not in first.text and "Page 1 of 2" in first.text
    second = http.get(url(project, issues_page="2", kind="external"))
    assert (
        f'data-issue-id="{issues[2].id}"' in second.text
        and f'data-issue-id="{issues[0].id}"' not in second.text
    )
    assert f'data-party-id="{parties[0].id}"' in second.text  # the parties stay on their first page
    beyond = http.get(url(project, issues_page="9"))
    assert "No issue on this page." in beyond.text and f'data-party-id="{parties[0].id}"' in beyond.text
    next_parties = f"{url(project)}?kind=external&amp;issues_page=2&amp;parties_page=2"
    assert f'href="{next_parties}"' in second.text  # the filter and the issues' page are kept


def test_an_iso_13485_project_is_told_its_standard_does_not_require_the_register(http, make, tree):
    project = make.project(tree["site"], code="iso13485")
    page = http.get(url(project))
    assert page.status_code == 200 and 'id="not-required"' in page.text


# Issues


def test_an_issue_is_added_edited_on_the_version_read_and_its_history_kept(http, tree):
    project = tree["project"]
    response = http.post(url(project, "issues", "new"), data=issue_form())
    assert response.status_code == 303
    issue = db.session.execute(select(ContextIssue)).scalar_one()
    assert response.headers["Location"].endswith(url(project, "issues", issue.id))
    assert (issue.kind, issue.category, issue.reviewed_on, issue.starter_key) == (
        "external",
        "regulatory",
        TODAY,
        None,
    )
    sent = issue_form(
        owner="Mr Tuan, purchasing", effect="", reviewed_on=(TODAY - timedelta(days=1)).isoformat()
    )
    assert http.post(url(project, "issues", issue.id), data=sent | {"version": "1"}).status_code == 303
    db.session.expire_all()
    assert (issue.owner, issue.effect, issue.version) == ("Mr Tuan, purchasing", "", 2)
    assert history(issue.id, "context_issue") == [
        "External issue added (legal and regulatory).",
        f"Changed the effect on the QMS and the owner. Reviewed on {TODAY - timedelta(days=1):%d %b %Y}.",
    ]
    page = http.get(url(project, "issues", issue.id))
    assert (
        "Mr Tuan, purchasing" in page.text
        and 'id="history-list"' in page.text
        and 'id="evidence"' in page.text
    )
    assert "Context and interested parties</a>" in page.text  # the breadcrumb back to the register


def test_the_new_issue_form_starts_from_today_and_a_chosen_category(http, tree):
    form = form_values(http.get(url(tree["project"], "issues", "new", category="climate")), "description")
    assert (form["category"], form["reviewed_on"]) == ("climate", TODAY.isoformat())
    assert (
        form_values(http.get(url(tree["project"], "issues", "new", category="x")), "description")["category"]
        == ""
    )


ISSUE_REFUSALS = (
    ({"description": "n/a"}, "description", "real sentence"),
    ({"kind": ""}, "kind", "Choose internal or external."),
    ({"category": "weather"}, "category", "Choose a category from the list."),
    ({"reviewed_on": (TODAY + timedelta(days=1)).isoformat()}, "reviewed_on", "in the future"),
)


def test_an_issue_that_breaks_a_rule_is_refused_beside_its_field(http, tree):
    for fields, field, message in ISSUE_REFUSALS:
        response = http.post(url(tree["project"], "issues", "new"), data=issue_form(**fields))
        assert response.status_code == 422
        assert any(message in error for error in field_errors(response, field)), fields
        assert form_values(response, "description")["owner"] == "Ms Hoa, QA"
    assert count(ContextIssue) == 0


def test_a_stale_or_invalid_issue_edit_changes_nothing(http, tree):
    issue = add_issue(tree["project"])
    issue.owner = "Mr Tuan, sales"
    db.session.commit()  # saved by someone else after the page was read at version 1
    stale = http.post(url(tree["project"], "issues", issue.id), data=issue_form(version="1"))
    assert stale.status_code == 409 and "Someone else saved this issue" in stale.text
    assert form_values(stale, "description")["owner"] == "Mr Tuan, sales" and "Ms Hoa, QA" in stale.text
    invalid = http.post(
        url(tree["project"], "issues", issue.id), data=issue_form(description="x", version="2")
    )
    assert invalid.status_code == 422 and field_errors(invalid, "description")
    db.session.expire_all()
    assert (issue.description, issue.version) == (ISSUE_TEXT, 2)


# Interested parties


def test_a_party_is_added_edited_and_refused_beside_its_fields(http, tree):
    project = tree["project"]
    assert http.post(url(project, "parties", "new"), data=party_form()).status_code == 303
    party = db.session.execute(select(InterestedParty)).scalar_one()
    refused = http.post(url(project, "parties", "new"), data=party_form(name="", requirements="tbd"))
    assert refused.status_code == 422
    assert field_errors(refused, "name") and "real sentence" in field_errors(refused, "requirements")[0]
    sent = party_form(monitoring="Suggestion box and the monthly meeting with the team leaders.", version="1")
    assert http.post(url(project, "parties", party.id), data=sent).status_code == 303
    stale = http.post(url(project, "parties", party.id), data=party_form(version="1"))
    assert stale.status_code == 409 and "Someone else saved this interested party" in stale.text
    assert history(party.id, "interested_party") == [
        "Interested party “Employees” added.",
        "Changed the way they are followed.",
    ]
    assert count(InterestedParty) == 1


# Suggestions


def test_a_suggestion_is_added_once_and_then_shown_as_added(http, tree):
    project = tree["project"]
    response = http.post(url(project, "issues", "suggested"), data={"key": "power-cuts"})
    assert response.status_code == 303
    issue = db.session.execute(select(ContextIssue)).scalar_one()
    assert response.headers["Location"].endswith(url(project, "issues", issue.id))
    assert (issue.starter_key, issue.category, issue.reviewed_on) == ("power-cuts", "infrastructure", None)
    assert issue.description.startswith("Power cuts and voltage drops")
    assert history(issue.id, "context_issue") == [
        "External issue added (infrastructure and utilities), from the suggestions."
    ]
    page = http.get(url(project))
    added = page.text[page.text.index('data-starter="power-cuts"') :][:600]
    assert ">Added</a>" in added and url(project, "issues", issue.id) in added
    again = http.post(url(project, "issues", "suggested"), data={"key": "power-cuts"})
    assert again.status_code == 422 and "already in the register" in again.text
    unknown = http.post(url(project, "parties", "suggested"), data={"key": "aliens"})
    assert unknown.status_code == 422 and "There is no suggestion" in unknown.text
    assert http.post(url(project, "parties", "suggested"), data={"key": "employees"}).status_code == 303
    assert count(ContextIssue) == 1 and count(InterestedParty) == 1


def test_a_suggestion_added_by_two_at_once_is_refused_for_the_second(http, tree, monkeypatch):
    project = tree["project"]
    assert http.post(url(project, "parties", "suggested"), data={"key": "owners"}).status_code == 303
    monkeypatch.setattr(service, "added_starters", lambda project_id: ({}, {}))  # both read "not added yet"
    raced = http.post(url(project, "parties", "suggested"), data={"key": "owners"})
    assert raced.status_code == 422 and "already in the register" in raced.text
    assert count(InterestedParty) == 1


# The climate decision


def test_the_climate_decision_is_recorded_and_a_relevant_one_asks_for_a_climate_issue(http, tree):
    project = tree["project"]
    response = http.post(url(project, "climate"), data=decision_form())
    assert response.status_code == 303 and response.headers["Location"].endswith("#climate")
    page = http.get(url(project))
    assert 'data-relevant="yes"' in page.text and REASONING in page.text
    assert 'id="climate-issue-prompt"' in page.text and "1 climate issue to add" in page.text
    assert url(project, "issues", "new", category="climate") in page.text
    add_issue(project, category="climate")
    assert 'id="climate-issue-prompt"' not in http.get(url(project)).text


def test_a_new_decision_replaces_the_standing_one_which_stays_in_the_history(http, tree):
    project = tree["project"]
    add_decision(project, relevant=True, decided_on=TODAY - timedelta(days=30), reasoning=REASONING)
    reasoning = "Our buyers set no climate requirements and the site has never flooded in twenty years."
    assert (
        http.post(
            url(project, "climate"),
            data=decision_form(**{"climate-relevant": "no", "climate-reasoning": reasoning}),
        ).status_code
        == 303
    )
    page = http.get(url(project))
    assert 'data-relevant="no"' in page.text
    earlier = page.text[page.text.index('id="climate-history"') :]
    assert "Earlier decisions (1)" in earlier and REASONING in earlier
    assert count(ClimateDecision) == 2


DECISION_REFUSALS = (
    (
        {"climate-decided_on": (TODAY - timedelta(days=31)).isoformat()},
        "decided_on",
        "cannot be dated before it",
    ),
    ({"climate-decided_on": (TODAY + timedelta(days=1)).isoformat()}, "decided_on", "in the future"),
    ({"climate-relevant": ""}, "relevant", "relevant issue"),
    ({"climate-reasoning": "n/a"}, "reasoning", "real sentence"),
    ({"climate-decided_by": ""}, "decided_by", "Name who decided"),
)


def test_a_decision_that_breaks_a_rule_is_refused_beside_its_field(http, tree):
    add_decision(tree["project"], decided_on=TODAY - timedelta(days=30))
    for fields, field, message in DECISION_REFUSALS:
        response = http.post(url(tree["project"], "climate"), data=decision_form(**fields))
        assert response.status_code == 422
        assert any(message in error for error in field_errors(response, f"climate-{field}")), fields
    assert count(ClimateDecision) == 1


# Who may do what, and where


def test_a_viewer_reads_everything_and_changes_nothing(viewer, tree):
    project = tree["project"]
    issue, party = add_issue(project), add_party(project)
    index = viewer.get(url(project))
    assert (
        index.status_code == 200
        and 'id="climate-form"' not in index.text
        and 'id="suggestions"' not in index.text
    )
    page = viewer.get(url(project, "issues", issue.id))
    assert page.status_code == 200 and 'id="issue-form"' not in page.text and ISSUE_TEXT in page.text
    assert viewer.get(url(project, "parties", party.id)).status_code == 200
    for address, data in [
        (url(project, "issues", "new"), issue_form()),
        (url(project, "parties", "new"), party_form()),
        (url(project, "issues", issue.id), issue_form(version="1")),
        (url(project, "parties", party.id), party_form(version="1")),
        (url(project, "issues", "suggested"), {"key": "power-cuts"}),
        (url(project, "parties", "suggested"), {"key": "owners"}),
        (url(project, "climate"), decision_form()),
    ]:
        assert viewer.post(address, data=data).status_code == 403, address
    assert viewer.get(url(project, "issues", "new")).status_code == 403
    assert (count(ContextIssue), count(InterestedParty), count(ClimateDecision)) == (1, 1, 0)


def test_another_workspaces_records_are_404(http, make, tree):
    theirs = make.tree()["project"]
    issue, party = add_issue(theirs), add_party(theirs)
    project = tree["project"]
    for address in (url(project, "issues", issue.id), url(project, "parties", party.id)):
        assert http.get(address).status_code == 404
        assert http.post(address, data=issue_form(version="1")).status_code == 404
    mine = make.project(tree["site"])  # another project of the same workspace: its ids are not this one's
    assert http.get(url(mine, "issues", add_issue(project).id)).status_code == 404
    db.session.expire_all()
    assert issue.version == 1


# The state, the queries and the markup


def test_the_register_state_is_counted_in_one_statement(app, tree):
    project = tree["project"]
    add_issue(project, reviewed_on=TODAY - timedelta(days=500))
    add_party(project)
    add_decision(project, relevant=True)
    db.session.refresh(project)  # loaded, so that reading its id runs no query
    with count_queries() as statements:
        state = service.register_state(project, TODAY)
    assert len(statements) == 1
    assert state.text == "1 issue, 1 interested party, 1 climate issue to add, 1 not reviewed in 12 months"


def test_the_register_and_a_record_page_run_the_same_queries_at_two_sizes(http, make, tree):
    small, large = tree["project"], make.project(tree["site"])
    add_issue(small), add_party(small)
    add_decision(small)
    for n in range(8):
        add_issue(large, category="climate" if n % 2 else "people", reviewed_on=None)
        add_party(large)
        add_decision(large, relevant=bool(n % 2), decided_on=TODAY - timedelta(days=20 - n))
    service.add_suggested_issue(scope_for(None, large), large, "power-cuts")
    db.session.commit()
    counts = []
    for address in (url(small), url(large)):
        with count_queries() as statements:
            assert http.get(address).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_every_id_on_the_context_pages_is_unique_and_every_label_has_its_control(http, tree):
    project = tree["project"]
    issue, party = add_issue(project), add_party(project)
    add_decision(project)
    add_decision(project, decided_on=TODAY - timedelta(days=5))
    add_file(project)
    for address in (
        url(project),
        url(project, "issues", issue.id),
        url(project, "parties", party.id),
        url(project, "issues", "new"),
        url(project, "parties", "new"),
    ):
        check_ids(http.get(address).text)
