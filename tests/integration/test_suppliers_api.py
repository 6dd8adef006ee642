"""The approved-supplier API: the list with its filters and pages (the same queries as the list page at two
sizes), adding a supplier, reading one with its evaluations and ETag, recording an evaluation, and every
refusal as JSON naming the field (another workspace's supplier 404, viewers 403)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from app.extensions import db
from app.models import RegisterEvent, Supplier, SupplierEvaluation
from tests.integration.suppliers_support import CONTROLS, NOTES, TODAY, add_supplier, evaluate, many_suppliers
from tests.integration.test_api import assert_error, bearer, check, documented, token_for
from tests.querycount import count_queries

LIST_PATH = "/api/v1/projects/{project_id}/suppliers"
ONE_PATH = "/api/v1/projects/{project_id}/suppliers/{supplier_id}"
EVALUATIONS_PATH = "/api/v1/projects/{project_id}/suppliers/{supplier_id}/evaluations"
NEW = {"name": "PT Plastik Nusantara", "supplies": "PVC compound, medical grade", "risk_class": "medium"}
EVALUATION = {
    "evaluated_on": TODAY.isoformat(),
    "evaluated_by": "Ms Lan",
    "outcome": "conditional",
    "score": 64,
    "notes": NOTES,
}


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="owner")))


def url(path: str, project: Any, **ids: int) -> str:
    return path.format(project_id=project.id, **ids)


def stored(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_list_answers_each_supplier_as_documented_and_filters(client, tree, headers):
    project = tree["project"]
    late = evaluate(
        add_supplier(project, "Amata Films", risk_class="high"), TODAY - timedelta(days=400), score="71"
    )
    new = add_supplier(project, "Binh Duong Cartons", risk_class="")
    response = client.get(url(LIST_PATH, project), headers=headers)
    assert response.status_code == 200
    check(response.json, documented(LIST_PATH, "get"))
    assert (response.json["page"], response.json["per_page"], response.json["total"]) == (1, 20, 2)
    first = response.json["items"][0]
    assert first == {
        "id": late.id,
        "name": "Amata Films",
        "supplies": "Natural cork bark, graded",
        "risk_class": "high",
        "status": "approved",
        "last_evaluated_on": (TODAY - timedelta(days=400)).isoformat(),
        "reevaluate_months": 12,
        "reevaluation_due": (TODAY - timedelta(days=400) + relativedelta(months=12)).isoformat(),
        "overdue": True,
        "url": url(ONE_PATH, project, supplier_id=late.id),
    }
    assert response.json["items"][1]["risk_class"] is None and response.json["items"][1]["id"] == new.id
    for query, ids in [
        ("?status=overdue", [late.id]),
        ("?status=not_evaluated", [new.id]),
        ("?risk_class=high&status=approved", [late.id]),
        ("?risk_class=low", []),
        ("?per_page=1&page=2", [new.id]),
    ]:
        found = client.get(url(LIST_PATH, project) + query, headers=headers).json
        assert [item["id"] for item in found["items"]] == ids, query


def test_an_unknown_filter_is_422_naming_it(client, tree, headers):
    for query, field in [
        ("?status=late", "status"),
        ("?risk_class=", "risk_class"),
        ("?per_page=500", "per_page"),
    ]:
        error = assert_error(client.get(url(LIST_PATH, tree["project"]) + query, headers=headers), 422)
        assert field in error["fields"], query


def test_a_supplier_is_added_read_and_evaluated(client, tree, headers):
    project = tree["project"]
    created = client.post(url(LIST_PATH, project), json=NEW, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    check(created.json, documented(LIST_PATH, "post", 201))
    assert (created.json["status"], created.json["reevaluate_months"], created.json["evaluations"]) == (
        "not_evaluated",
        12,
        [],
    )
    one = url(ONE_PATH, project, supplier_id=created.json["id"])
    read = client.get(one, headers=headers)
    assert read.status_code == 200 and read.headers["ETag"] == f'"v{read.json["version"]}"'
    assert client.get(one, headers=headers | {"If-None-Match": read.headers["ETag"]}).status_code == 304
    evaluated = client.post(
        url(EVALUATIONS_PATH, project, supplier_id=created.json["id"]), json=EVALUATION, headers=headers
    )
    assert evaluated.status_code == 201, evaluated.get_data(as_text=True)
    check(evaluated.json, documented(EVALUATIONS_PATH, "post", 201))
    assert (evaluated.json["status"], evaluated.json["last_evaluated_on"]) == (
        "conditional",
        TODAY.isoformat(),
    )
    assert evaluated.json["evaluations"][0] | {"id": 0} == EVALUATION | {"id": 0}
    assert evaluated.headers["ETag"] == f'"v{evaluated.json["version"]}"' != read.headers["ETag"]
    db.session.expire_all()
    assert db.session.get(Supplier, created.json["id"]).version == evaluated.json["version"]
    summaries = db.session.execute(select(RegisterEvent.summary).order_by(RegisterEvent.id)).scalars().all()
    assert (
        summaries[-1]
        == f"Evaluated on {TODAY.day} {TODAY:%b %Y} by Ms Lan: approved with conditions, scored 64 %."
    )


SUPPLIER_REFUSALS = [
    (NEW | {"name": "pt  PLASTIK nusantara"}, "name", "already on the supplier list"),
    (NEW | {"reevaluate_months": 0}, "reevaluate_months", "from 1 to 36"),
    (NEW | {"risk_class": "severe"}, "risk_class", "low, medium or high"),
    (NEW | {"supplies": ""}, "supplies", "Say what it supplies"),
    (NEW | {"colour": "red"}, "colour", "Unknown field"),
    ({"name": "X"}, "supplies", "Field required"),
]


def test_a_supplier_that_breaks_a_rule_is_422_naming_the_field(client, tree, headers):
    add_supplier(tree["project"], "PT Plastik Nusantara")
    for body, field, words in SUPPLIER_REFUSALS:
        error = assert_error(client.post(url(LIST_PATH, tree["project"]), json=body, headers=headers), 422)
        assert words in error["fields"][field] and field in error["message"], body
    assert stored(Supplier) == 1


def test_an_iso_13485_project_refuses_a_high_risk_supplier_without_controls(client, make):
    tree = make.tree(code="iso13485")
    headers = bearer(token_for(make.user(tree["workspace"], role="owner")))
    path = url(LIST_PATH, tree["project"])
    error = assert_error(client.post(path, json=NEW | {"risk_class": None}, headers=headers), 422)
    assert "ISO 13485 (7.4.1)" in error["fields"]["risk_class"]
    high = NEW | {"risk_class": "high", "reevaluate_months": 18}
    error = assert_error(client.post(path, json=high, headers=headers), 422)
    assert set(error["fields"]) == {"controls", "reevaluate_months"}
    created = client.post(path, json=high | {"controls": CONTROLS, "reevaluate_months": 6}, headers=headers)
    assert created.status_code == 201 and created.json["controls"] == CONTROLS


EVALUATION_REFUSALS = [
    ({"evaluated_on": (TODAY + timedelta(days=1)).isoformat()}, "evaluated_on", "in the future"),
    ({"evaluated_on": "3 Nov"}, "evaluated_on", "ISO date"),
    ({"score": 101}, "score", "from 0 to 100"),
    ({"score": -1}, "score", "from 0 to 100"),
    ({"outcome": "approved_forever"}, "outcome", "Choose the outcome"),
    ({"notes": "n/a"}, "notes", "real sentence"),
]


def test_an_evaluation_that_breaks_a_rule_is_422_and_saves_nothing(client, tree, headers):
    supplier = add_supplier(tree["project"])
    path = url(EVALUATIONS_PATH, tree["project"], supplier_id=supplier.id)
    for change, field, words in EVALUATION_REFUSALS:
        error = assert_error(client.post(path, json=EVALUATION | change, headers=headers), 422)
        assert words in error["fields"][field], change
    assert stored(SupplierEvaluation) == 0


def test_viewers_read_but_change_nothing_and_other_workspaces_are_404(client, make, tree, headers):
    project = tree["project"]
    mine = add_supplier(project)
    theirs = add_supplier(make.tree()["project"])
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    assert client.get(url(ONE_PATH, project, supplier_id=mine.id), headers=viewer).status_code == 200
    assert_error(client.post(url(LIST_PATH, project), json=NEW, headers=viewer), 403)
    path = url(EVALUATIONS_PATH, project, supplier_id=mine.id)
    assert_error(client.post(path, json=EVALUATION, headers=viewer), 403)
    assert_error(client.get(url(ONE_PATH, project, supplier_id=theirs.id), headers=headers), 404)
    path = url(EVALUATIONS_PATH, project, supplier_id=theirs.id)
    assert_error(client.post(path, json=EVALUATION, headers=headers), 404)
    assert stored(Supplier) == 2 and stored(SupplierEvaluation) == 0


def test_the_api_list_runs_the_same_queries_at_two_sizes(client, make, tree, headers):
    evaluate(add_supplier(tree["project"], "Only One"))
    other = make.tree(tree["workspace"])["project"]
    many_suppliers(other, 30)
    paths = [url(LIST_PATH, project) + "?status=overdue" for project in (tree["project"], other)]
    client.get(paths[0], headers=headers)  # the token's first use is recorded once
    counts = []
    for path in paths:
        with count_queries() as statements:
            assert client.get(path, headers=headers).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
