"""The evidence list: filters, pages, deleted items for owners, and a query count that does not grow."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CertificationProject, Clause, Task
from tests import evidence_samples as samples
from tests.integration.evidence_support import evidence_url, user_as
from tests.querycount import count_queries


@pytest.fixture
def author(app: Any, make: Any, tree: dict[str, Any]) -> Any:
    return user_as(app, make, tree, "contributor")


def in_state(tree: dict[str, Any], user: Any, state: str, **fields: Any) -> Any:
    evidence = samples.add_file(tree["project"], user.id, **fields)
    evidence.review_state = state
    db.session.commit()
    return evidence


def leaves(project: Any) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Clause)
        .where(Clause.standard_id == project.standard_id, Clause.is_leaf)
    ).scalar_one()


def tasks(project: Any) -> int:
    return db.session.execute(
        select(func.count()).select_from(Task).where(Task.project_id == project.id)
    ).scalar_one()


def listed(http: Any, project: Any, query: str = "") -> list[int]:
    page = http.get(evidence_url(project) + query).get_data(as_text=True)
    return [int(n) for n in re.findall(r'data-evidence-id="(\d+)"', page)]


def test_the_list_filters_by_requirement_task_and_state(app, make, tree, author):
    project, http = tree["project"], author[0]
    task = db.session.execute(select(Task).where(Task.project_id == project.id).limit(1)).scalar_one()
    scale = in_state(tree, author[1], "accepted", clause="7.1.5.1", title="Scale")
    training = in_state(tree, author[1], "draft", clause=None, task_id=task.id, title="Training")
    note = samples.add_note(project, author[1].id, clause="4.1", title="Context")
    assert listed(http, project) == [note.id, training.id, scale.id]  # newest first
    assert listed(http, project, "?clause=7.1.5.1") == [scale.id]
    assert listed(http, project, f"?task={task.id}") == [training.id]
    assert listed(http, project, "?state=draft") == [note.id, training.id]
    assert listed(http, project, "?state=rejected") == []
    assert len(listed(http, project, "?clause=nonsense&state=bogus&task=²&page=²")) == 3  # unknown: all
    bar = http.get(evidence_url(project) + f"?clause=7.1.5.1&task={task.id}&state=draft").get_data(True)
    start = bar.index('aria-label="Filter evidence"')
    bar = bar[start : bar.index("</form>", start)]
    assert re.findall(r"<option selected value=\"([^\"]*)\">", bar) == ["7.1.5.1", str(task.id), "draft"]
    assert '<option value="4.1">4.1 Understanding the organization and its context</option>' in bar
    assert bar.count("<option") == 1 + leaves(project) + 1 + tasks(project) + 1 + 4  # each "All ..." first


def test_items_past_their_valid_until_date_carry_the_expired_badge(app, make, tree, author):
    """Whatever the review state; the valid-until day itself is not expired (app.domain.coverage)."""
    project, http, today = tree["project"], author[0], date.today()
    old = in_state(tree, author[1], "accepted", title="Old", valid_until=today - timedelta(days=1))
    old_draft = samples.add_note(
        project, author[1].id, title="Old draft", valid_until=today - timedelta(days=1)
    )
    last_day = in_state(tree, author[1], "accepted", title="Last day", valid_until=today)
    page = http.get(evidence_url(project)).get_data(as_text=True)

    def expired_in_list(item: Any) -> bool:
        return (
            'data-evidence-state="expired"'
            in page.split(f'data-evidence-id="{item.id}"')[1].split("</tr>")[0]
        )

    assert [expired_in_list(i) for i in (old, old_draft, last_day)] == [True, True, False]
    for item, expired in ((old, True), (last_day, False)):
        shown = http.get(evidence_url(project, item.id)).get_data(as_text=True)
        badges = shown.split('id="evidence-state"')[1].split("</div>")[0]
        assert ('data-evidence-state="expired"' in badges) is expired
        assert ("(expired)" in shown) is expired


def test_the_list_is_paginated(app, make, tree, author):
    project = tree["project"]
    for number in range(27):
        samples.add_note(project, author[1].id, title=f"Note {number}")
    first, second = listed(author[0], project), listed(author[0], project, "?page=2")
    assert (len(first), len(second)) == (25, 2) and not set(first) & set(second)
    assert "Page 1 of 2" in author[0].get(evidence_url(project)).get_data(True)


def test_the_list_query_count_does_not_grow_with_the_evidence(app, make, tree, author):
    project_id, http, user_id = tree["project"].id, author[0], author[1].id
    for _ in range(2):
        samples.add_file(tree["project"], user_id)
    http.get(f"/projects/{project_id}/evidence")  # the catalog's requirements are read once per process
    with count_queries() as few:
        assert http.get(f"/projects/{project_id}/evidence").status_code == 200
    tree["project"] = db.session.get(CertificationProject, project_id)  # count_queries starts a new session
    for _ in range(10):
        samples.add_file(tree["project"], user_id, task_id=None)
    samples.add_note(tree["project"], user_id)
    with count_queries() as many:
        assert http.get(f"/projects/{project_id}/evidence").status_code == 200
    # The session's user with its scope, the project, its tasks, the count, the page, its file versions.
    assert len(many) == len(few) <= 6
