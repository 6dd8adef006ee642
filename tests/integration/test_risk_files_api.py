"""The risk-management files' API: the list with its counts, state filter and pages, opening a file, one file
with its hazards, adding a hazard; every refusal as JSON naming its field, viewers 403, another workspace's
ids 404; and the list's SQL agreeing with the rules on every file."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import risk_files as rules
from app.domain.registers import RegisterKey
from app.extensions import db
from app.models import Hazard, RiskFile
from app.services import risk_files as service
from app.services.risk_files import ListFilters
from tests.integration import risk_files_support as rs
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

LIST = "/api/v1/projects/{project_id}/risk-files"
ONE = f"{LIST}/{{risk_file_id}}"
HAZARDS = f"{ONE}/hazards"


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="contributor")))


def stored(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_files_are_listed_opened_read_and_given_hazards(client, tree, headers):
    project = tree["project"]
    rs.add_risk_file(project, "Extension lines", (rs.controlled(),))
    list_url = LIST.format(project_id=project.id)
    created = client.post(
        list_url,
        json={"device_family": "Gravity infusion sets", "intended_use": rs.INTENDED_USE},
        headers=headers,
    )
    assert created.status_code == 201, created.json
    check(created.json, documented(LIST, "post", 201))
    assert created.json["state"] == "no_hazards" and created.json["hazards"] == []
    one_url = ONE.format(project_id=project.id, risk_file_id=created.json["id"])
    assert created.json["url"] == one_url

    added = client.post(f"{one_url}/hazards", json=rs.hazard_values(), headers=headers)
    assert added.status_code == 201, added.json
    check(added.json, documented(HAZARDS, "post", 201))
    hazard = added.json["hazards"][0]
    assert (hazard["initial_level"], hazard["residual_level"], hazard["needs_controls"]) == (
        "unacceptable",
        None,
        True,
    )
    assert added.json["state"] == "uncontrolled" and added.json["worst_residual_level"] == "unacceptable"

    shown = client.get(one_url, headers=headers)
    assert shown.status_code == 200 and shown.json == added.json
    body = client.get(list_url, headers=headers).json
    check(body, documented(LIST, "get"))
    assert [item["device_family"] for item in body["items"]] == ["Extension lines", "Gravity infusion sets"]
    assert (body["total"], body["items"][0]["state"], body["items"][0]["worst_residual_level"]) == (
        2,
        "complete",
        "acceptable",
    )
    filtered = client.get(f"{list_url}?state=uncontrolled&per_page=1", headers=headers).json
    assert [item["id"] for item in filtered["items"]] == [created.json["id"]] and filtered["total"] == 1


REFUSALS = [
    (LIST, {"device_family": "Lines", "intended_use": "IV"}, "intended_use", "real sentence"),
    (LIST, {"device_family": "extension  LINES", "intended_use": rs.INTENDED_USE}, "device_family",
     "already has a risk-management file"),
    (LIST, {"device_family": "Lines", "intended_use": rs.INTENDED_USE, "reviewed_on": "2026-13-01"},
     "reviewed_on", "not a date"),
    (LIST, {"device_family": "Lines", "intended_use": rs.INTENDED_USE, "owner": "me"}, "owner",
     "Unknown field"),
    (HAZARDS, rs.hazard_values(severity=6), "severity", "scored from 1 to 5"),
    (HAZARDS, rs.hazard_values(probability="4"), "probability", ""),
    (HAZARDS, rs.controlled(residual_probability=5), "residual_probability", "cannot be higher"),
    (HAZARDS, rs.hazard_values(controls=rs.CONTROLS), "residual_severity", "Score the risk after"),
]  # fmt: skip


def test_a_body_that_breaks_a_rule_is_422_naming_the_field(client, tree, headers):
    project = tree["project"]
    risk_file = rs.add_risk_file(project, "Extension lines")
    for path, body, field, message in REFUSALS:
        url = path.format(project_id=project.id, risk_file_id=risk_file.id)
        error = assert_error(client.post(url, json=body, headers=headers), 422)
        assert message in error["fields"][field] and field in error["message"], (field, error)
    assert (stored(RiskFile), stored(Hazard)) == (1, 0)


def test_refusals_viewer_foreign_ids_and_unknown_filters(client, make, tree, headers):
    project = tree["project"]
    theirs = rs.add_risk_file(make.tree()["project"])
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    mine = rs.add_risk_file(project)
    body = {"device_family": "Burettes", "intended_use": rs.INTENDED_USE}
    assert_error(client.post(LIST.format(project_id=project.id), json=body, headers=viewer), 403)
    hazards_url = HAZARDS.format(project_id=project.id, risk_file_id=mine.id)
    assert_error(client.post(hazards_url, json=rs.hazard_values(), headers=viewer), 403)
    assert (
        client.get(ONE.format(project_id=project.id, risk_file_id=mine.id), headers=viewer).status_code == 200
    )
    foreign_hazards = HAZARDS.format(project_id=project.id, risk_file_id=theirs.id)
    assert_error(client.post(foreign_hazards, json=rs.hazard_values(), headers=headers), 404)
    assert_error(client.get(ONE.format(project_id=project.id, risk_file_id=theirs.id), headers=headers), 404)
    assert_error(client.get(ONE.format(project_id=project.id, risk_file_id=2**40), headers=headers), 404)
    error = assert_error(client.get(f"{LIST.format(project_id=project.id)}?state=open", headers=headers), 422)
    assert error["fields"] == {"state": "Unknown."} and "no_hazards" in error["message"]
    assert_error(client.get(f"{LIST.format(project_id=project.id)}?per_page=0", headers=headers), 422)
    assert (stored(RiskFile), stored(Hazard)) == (2, 0)


def test_the_lists_sql_agrees_with_the_rules_on_every_file(app, tree):
    """Every mix of hazards: the counts, worst level and filters the list reads in SQL are the rules', and
    so are the register's state and its concerns (and, with no file at all, the file it asks for)."""
    project = tree["project"]
    empty = service.register_state(project, rs.TODAY)
    assert empty.key is RegisterKey.RISK_FILES and empty.count == 0 and empty.has_problems
    missing = next(c for c in empty.concerns if c.count)
    assert (missing.label, missing.action) == (
        "no risk-management file",
        "Open a risk-management file for each device family (7.1)",
    )
    mixes = {
        "Empty": (),
        "Open": (rs.hazard_values(),),
        "Low": (rs.hazard_values(severity=1, probability=2),),
        "Review": (rs.controlled(residual_probability=3),),
        "Bad": (rs.controlled(residual_probability=4), rs.hazard_values(severity=2, probability=4)),
        "Mixed": (rs.hazard_values(), rs.controlled(residual_probability=4), rs.controlled()),
    }
    for family, hazards in mixes.items():
        rs.add_risk_file(project, family, hazards)
    rows, total = service.list_page(project.id, ListFilters(), 1, 20)
    assert total == len(mixes)
    files = {f.id: f for f in db.session.execute(select(RiskFile)).scalars()}
    for row in rows:
        assert row.counts == service.counts_of(files[row.id]), row.device_family
    for state in rules.FileState:
        kept, _ = service.list_page(project.id, ListFilters(state), 1, 20)
        expected = [row.id for row in rows if rules.matches(row.counts, state)]
        assert [row.id for row in kept] == expected, state
    state = service.register_state(project, rs.TODAY)
    assert state.text == "6 device families, 3 hazards without controls, 2 unacceptable residual risks"
    uncontrolled, unacceptable = state.concerns
    assert uncontrolled.count == sum(r.counts.uncontrolled for r in rows)
    assert unacceptable.count == sum(r.counts.unacceptable for r in rows)
    assert uncontrolled.query == (("state", "uncontrolled"),) and unacceptable.query == (
        ("state", "unacceptable"),
    )
    assert uncontrolled.action == "Add risk controls and residual scores to the 3 hazards without them (7.1)"
    assert unacceptable.action.startswith(
        "Reduce the 2 unacceptable residual risks, or record the benefit-risk"
    )
