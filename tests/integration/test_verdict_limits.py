"""A verdict's field limits are one rule: the page form and the API refuse the same values with the same
message, and accept the same values up to the limit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.domain.assessment import OWNER_MAX_LENGTH, TEXT_MAX_LENGTH, verdict_limit_errors
from app.models import Assessment
from tests.factories import login
from tests.integration.test_api import API, assert_error, bearer, token_for
from tests.integration.test_gap_analysis import field_errors, post_verdict, row, verdict

LAST_DUE_YEAR = date.today().year + 10


def refused() -> list[tuple[str, Any]]:
    return [
        ("owner", "x" * (OWNER_MAX_LENGTH + 1)),
        ("notes", "x" * (TEXT_MAX_LENGTH + 1)),
        ("justification", "x" * (TEXT_MAX_LENGTH + 1)),
        ("due_date", "1999-12-31"),
        ("due_date", f"{LAST_DUE_YEAR + 1}-01-01"),
    ]


def accepted() -> list[tuple[str, Any]]:
    return [
        ("owner", "x" * OWNER_MAX_LENGTH),
        ("notes", "x" * TEXT_MAX_LENGTH),
        ("notes", " " + "x" * TEXT_MAX_LENGTH + "\n"),  # measured after trimming
        ("due_date", "2000-01-01"),
        ("due_date", f"{LAST_DUE_YEAR}-12-31"),
    ]


@pytest.fixture
def both(client: Any, make: Any, tree: dict[str, Any]) -> dict[str, Any]:
    """A logged-in owner (for the page) who also holds an API token."""
    user = make.user(tree["workspace"], role="owner")
    login(client, user)
    return {"project": tree["project"], "headers": bearer(token_for(user))}


def expected_message(field: str, value: str) -> str:
    typed = date.fromisoformat(value) if field == "due_date" else value
    return verdict_limit_errors({field: typed}, date.today())[field]


def unchanged(project: Any, number: str) -> bool:
    saved = verdict(project, number)
    return (saved.status, saved.owner, saved.notes, saved.justification, saved.due_date) == (
        "not_assessed",
        "",
        "",
        "",
        None,
    )


def test_the_owner_limit_is_the_columns():
    assert Assessment.__table__.c.owner.type.length == OWNER_MAX_LENGTH


@pytest.mark.parametrize(("field", "value"), refused())
def test_the_form_refuses_a_value_out_of_range_beside_its_field(client, both, field, value):
    project = both["project"]
    response = post_verdict(client, project, "4.1", status="partial", **{field: value})
    assert response.status_code == 422
    assert field_errors(row(response, "4.1"), f"clause-4-1-{field}") == [expected_message(field, value)]
    assert unchanged(project, "4.1")


@pytest.mark.parametrize(("field", "value"), refused())
def test_the_api_refuses_the_same_value_with_the_same_message(client, both, field, value):
    project = both["project"]
    url = f"{API}/projects/{project.id}/requirements/4.1"
    response = client.patch(url, json={"status": "partial", field: value}, headers=both["headers"])
    error = assert_error(response, 422)
    assert error["fields"] == {field: expected_message(field, value)}
    assert unchanged(project, "4.1")


@pytest.mark.parametrize(("field", "value"), accepted())
def test_both_accept_a_value_at_the_limit(client, both, field, value):
    project = both["project"]
    assert post_verdict(client, project, "4.1", status="partial", **{field: value}).status_code == 303
    saved_by_form = getattr(verdict(project, "4.1"), field)
    url = f"{API}/projects/{project.id}/requirements/4.2"
    response = client.patch(url, json={"status": "partial", field: value}, headers=both["headers"])
    assert response.status_code == 200, response.json
    assert response.json[field] == str(saved_by_form) == value.strip()
