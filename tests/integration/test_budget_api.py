"""GET /api/v1/projects/<id>/budget: exact JSON with decimal strings, a hand-worked example, tenancy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.extensions import db
from app.models import BudgetLine
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

D = Decimal
PATH = "/api/v1/projects/{project_id}/budget"


@pytest.fixture
def owner_token(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="owner")))


def add(project: Any, **fields: Any) -> BudgetLine:
    row = BudgetLine(project_id=project.id, **fields)
    db.session.add(row)
    db.session.commit()
    return row


def get(client: Any, project: Any, headers: dict[str, str]) -> Any:
    return client.get(PATH.format(project_id=project.id), headers=headers)


def totals(planned: str, actual: str, variance: str, percent: str | None) -> dict[str, Any]:
    return {"planned": planned, "actual": actual, "variance": variance, "percent_spent": percent}


def test_the_budget_of_a_hand_worked_example(client, tree, owner_token):
    """Planned 1,000 + 500.005 (-> 500.01, half up) + 3,000 + 250 = 4,750.01; actual 1,200 + 540 = 1,740;
    36.6% spent (1,740 / 4,750.01 = 36.63%); forecast 1,200 + 540 + 3,000 + 250 = 4,990."""
    project = tree["project"]
    gap = add(
        project,
        stage="gap_analysis",
        category="consultant",
        description="Gap analysis days",
        vendor="QA Partners",
        planned=D(1000),
        actual=D(1200),
        spent_on=date(2026, 5, 10),
    )
    audit = add(
        project,
        stage="external_audit",
        category="certification_body",
        description="Stage 2",
        planned=D(3000),
        basis="IAF MD 5 band 26-45",
    )
    staff = add(project, stage="training", category="internal_time", description="Staff time", planned=D(250))
    course = add(project, stage="training", category="training", description="Awareness course",
                 planned=D("500.005"), actual=D(540), spent_on=date(2026, 9, 1))  # fmt: skip
    response = get(client, project, owner_token)
    assert response.status_code == 200
    body = response.json

    def line(row: BudgetLine, planned: str, actual: str | None, overspent: bool = False) -> dict[str, Any]:
        return {
            "id": row.id, "stage": row.stage, "category": row.category, "description": row.description,
            "vendor": row.vendor, "planned": planned, "actual": actual,
            "date": row.spent_on.isoformat() if row.spent_on else None, "basis": row.basis,
            "overspent": overspent,
        }  # fmt: skip

    assert body == {
        "currency": "USD",
        "lines": [  # by stage in pathway order; in a stage undated lines first, then by date
            line(gap, "1000.00", "1200.00", overspent=True),
            line(staff, "250.00", None),
            line(course, "500.01", "540.00"),  # 8% over: not flagged
            line(audit, "3000.00", None),
        ],
        "by_stage": {
            "gap_analysis": totals("1000.00", "1200.00", "200.00", "120.0"),
            "training": totals("750.01", "540.00", "-210.01", "72.0"),
            "external_audit": totals("3000.00", "0.00", "-3000.00", "0.0"),
        },
        "by_category": {
            "certification_body": totals("3000.00", "0.00", "-3000.00", "0.0"),
            "consultant": totals("1000.00", "1200.00", "200.00", "120.0"),
            "training": totals("500.01", "540.00", "39.99", "108.0"),
            "internal_time": totals("250.00", "0.00", "-250.00", "0.0"),
        },
        "total": totals("4750.01", "1740.00", "-3010.01", "36.6") | {"forecast": "4990.00"},
    }
    check(body, documented(PATH, "get"))


def test_an_empty_budget(client, tree, owner_token):
    body = get(client, tree["project"], owner_token).json
    assert body == {
        "currency": "USD",
        "lines": [],
        "by_stage": {},
        "by_category": {},
        "total": totals("0.00", "0.00", "0.00", None) | {"forecast": "0.00"},
    }
    check(body, documented(PATH, "get"))


@pytest.mark.parametrize(
    ("currency", "planned", "shown"),
    [("VND", D("1500000.4"), "1500000"), ("KWD", D("1234.5"), "1234.500"), ("JPY", D("1999.5"), "2000")],
)
def test_amounts_have_the_currency_minor_unit(client, make, tree, owner_token, currency, planned, shown):
    project = make.project(make.site(tree["client"]), currency=currency)
    add(project, stage="training", category="training", description="Course", planned=planned)
    body = get(client, project, owner_token).json
    assert body["currency"] == currency
    assert body["lines"][0]["planned"] == shown
    assert body["total"]["planned"] == body["total"]["forecast"] == shown


def test_a_viewer_token_reads_the_budget(client, make, tree):
    add(tree["project"], stage="training", category="training", description="Course", planned=D(10))
    headers = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    assert get(client, tree["project"], headers).json["total"]["planned"] == "10.00"


def test_no_token_is_401_and_another_workspace_is_404(client, make, tree, owner_token):
    theirs = make.tree()
    add(theirs["project"], stage="training", category="training", description="Theirs", planned=D(10))
    assert_error(get(client, tree["project"], {}), 401)
    assert_error(get(client, theirs["project"], owner_token), 404)
    for project_id in ("999999", str(10**20), "abc"):
        assert_error(client.get(f"/api/v1/projects/{project_id}/budget", headers=owner_token), 404)
    assert_error(client.post(PATH.format(project_id=tree["project"].id), headers=owner_token, json={}), 405)
