"""The QMS software list's API: the list (what needs validating first, filtered, paged), adding an
application, reading one; every refusal as JSON naming its field, viewers 403, another workspace's ids
404; and the list's SQL state agreeing with the rule on every kind of application, as the register's state
counts them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import software as rules
from app.domain.registers import RegisterKey
from app.extensions import db
from app.models import SoftwareValidation
from app.services import software as service
from app.services.software import ListFilters
from tests.integration import software_support as ss
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

LIST = "/api/v1/projects/{project_id}/software"
ONE = f"{LIST}/{{software_id}}"
TODAY = ss.TODAY
NEW = {"name": "MasterControl eQMS", "intended_use": ss.INTENDED_USE, "risk": "medium"}


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="contributor")))


def stored() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(SoftwareValidation)).scalar_one()


def test_applications_are_listed_added_and_read(client, tree, headers):
    project = tree["project"]
    ok = ss.validated(project, "ERP")
    list_url = LIST.format(project_id=project.id)
    created = client.post(list_url, json=NEW | {"version_label": "2023.2"}, headers=headers)
    assert created.status_code == 201, created.json
    check(created.json, documented(LIST, "post", 201))
    assert (created.json["state"], created.json["version_label"], created.json["retired"]) == (
        "not_validated",
        "2023.2",
        False,
    )
    one_url = ONE.format(project_id=project.id, software_id=created.json["id"])
    shown = client.get(one_url, headers=headers)
    assert shown.status_code == 200 and shown.json == created.json and shown.json["url"] == one_url
    body = client.get(list_url, headers=headers).json
    check(body, documented(LIST, "get"))
    assert [item["id"] for item in body["items"]] == [created.json["id"], ok.id]  # not validated first
    assert (
        body["items"][1]["state"] == "validated"
        and body["items"][1]["validated_on"] == ok.validated_on.isoformat()
    )
    filtered = client.get(f"{list_url}?state=validated&risk=medium&per_page=1", headers=headers).json
    assert ([item["id"] for item in filtered["items"]], filtered["total"]) == ([ok.id], 1)


REFUSALS = [
    (NEW | {"risk": "high"}, "approach", "High-risk software needs its validation approach written"),
    (NEW | {"risk": "severe"}, "risk", "low, medium or high"),
    (NEW | {"name": "  erp "}, "name", "is already on this project's list"),
    (NEW | {"intended_use": "ERP"}, "intended_use", "real sentence"),
    (NEW | {"validated_on": "2026-01-01"}, "validated_on", "Unknown field"),
    (NEW | {"name": 5}, "name", "Must be a string"),
]


def test_a_body_that_breaks_a_rule_is_422_naming_the_field(client, tree, headers):
    project = tree["project"]
    ss.validated(project, "ERP")
    for body, field, message in REFUSALS:
        error = assert_error(client.post(LIST.format(project_id=project.id), json=body, headers=headers), 422)
        assert message in error["fields"][field] and field in error["message"], (field, error)
    assert stored() == 1


def test_refusals_viewer_foreign_ids_and_unknown_filters(client, make, tree, headers):
    project = tree["project"]
    theirs = ss.add_software(make.tree()["project"])
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    list_url = LIST.format(project_id=project.id)
    assert_error(client.post(list_url, json=NEW, headers=viewer), 403)
    assert client.get(list_url, headers=viewer).status_code == 200
    assert_error(client.get(ONE.format(project_id=project.id, software_id=theirs.id), headers=headers), 404)
    assert_error(client.get(ONE.format(project_id=project.id, software_id=2**40), headers=headers), 404)
    for query, field in (("state=done", "state"), ("risk=severe", "risk"), ("page=0", "page")):
        error = assert_error(client.get(f"{list_url}?{query}", headers=headers), 422)
        assert field in error["fields"]
    assert stored() == 1


def test_the_lists_sql_state_agrees_with_the_rule(app, tree):
    project = tree["project"]
    ss.validated(project, "Validated")
    ss.validated(project, "Due today", revalidate_by=TODAY)
    ss.validated(project, "Overdue", revalidate_by=TODAY - timedelta(days=1))
    ss.validated(project, "Changed", version_label="3.0", validated_version="2.0")
    ss.add_software(project, "Never validated")
    ss.add_software(project, "Retired", retired=True)
    ss.validated(project, "No revalidation date", revalidate_by=None)
    rows, total = service.list_page(project.id, ListFilters(), 1, 20, TODAY)
    loaded = {s.id: s for s in db.session.execute(select(SoftwareValidation)).scalars()}
    assert total == 7
    for row in rows:
        assert row.state is rules.state(service.facts_of(loaded[row.id]), TODAY), row.name
    assert [row.name for row in rows][:3] == ["Never validated", "Changed", "Overdue"]
    assert rows[-1].name == "Retired"
    for state in rules.SoftwareState:
        kept, count = service.list_page(project.id, ListFilters(state=state), 1, 20, TODAY)
        assert [row.id for row in kept] == [row.id for row in rows if row.state is state], state
        assert count == len(kept)
    state = service.register_state(project, TODAY)
    assert state.key is RegisterKey.SOFTWARE and state.has_problems
    assert state.text == "6 applications, 1 not validated, 1 revalidation due, 1 changed since validation"
    not_validated, due, changed = state.concerns
    assert not_validated.action == "Validate the QMS application not yet validated (4.1.6)"
    assert not_validated.query == (("state", "not_validated"),) and changed.query == (("state", "changed"),)
    assert due.action == "Revalidate the QMS application whose revalidation is due (4.1.6)"
    ss.add_software(project, "Second never validated")
    again = service.register_state(project, TODAY).concerns[0]
    assert again.action == "Validate the 2 QMS applications not yet validated (4.1.6)"
