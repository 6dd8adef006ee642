"""Readiness history: a snapshot per project and day, recorded when a verdict changes (page or API) and by
``flask snapshot-readiness``; the history API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Clause, Client, EvidenceItem, ReadinessSnapshot
from app.services import history
from tests.integration.test_api import API, bearer, check, documented, token_for
from tests.integration.test_gap_analysis import post_verdict
from tests.querycount import count_queries

TODAY = date.today()


def rows(project_id: int) -> list[ReadinessSnapshot]:
    db.session.expire_all()
    stmt = (
        select(ReadinessSnapshot)
        .where(ReadinessSnapshot.project_id == project_id)
        .order_by(ReadinessSnapshot.taken_on)
    )
    return list(db.session.execute(stmt).scalars())


def accept_evidence(project: Any, number: str) -> None:
    clause_id = db.session.execute(
        select(Clause.id).where(Clause.standard_id == project.standard_id, Clause.number == number)
    ).scalar_one()
    db.session.add(
        EvidenceItem(
            project_id=project.id,
            clause_id=clause_id,
            kind="note",
            title="x",
            note="y",
            review_state="accepted",
        )
    )
    db.session.commit()


def test_a_verdict_change_records_todays_snapshot_and_a_second_one_updates_it(client, owner, tree):
    project = tree["project"]
    assert rows(project.id) == []
    accept_evidence(project, "4.1")

    assert post_verdict(client, project, "4.1", status="met").status_code == 303
    (first,) = rows(project.id)
    assert first.taken_on == TODAY
    assert (first.met, first.not_assessed, first.readiness, first.coverage) == (1, 64, 2, 2)  # 1 of 65

    assert post_verdict(client, project, "4.2", status="partial").status_code == 303
    (same_day,) = rows(project.id)
    assert same_day.id == first.id
    assert (same_day.met, same_day.partial, same_day.not_assessed, same_day.readiness) == (1, 1, 63, 2)


def test_saving_notes_without_a_status_change_records_nothing(client, owner, tree):
    project = tree["project"]
    assert (
        post_verdict(client, project, "4.1", status="not_assessed", notes="Looked at it").status_code == 303
    )
    assert rows(project.id) == []


def test_a_refused_verdict_records_nothing(client, owner, tree):
    response = post_verdict(client, tree["project"], "4.1", status="not_applicable", justification="")
    assert response.status_code == 422
    assert rows(tree["project"].id) == []


def test_an_api_verdict_records_the_snapshot_too(client, make, tree):
    headers = bearer(token_for(make.user(tree["workspace"], role="owner")))
    project = tree["project"]
    response = client.patch(
        f"{API}/projects/{project.id}/requirements/4.1", json={"status": "met"}, headers=headers
    )
    assert response.status_code == 200
    (row,) = rows(project.id)
    assert (row.taken_on, row.met, row.readiness) == (TODAY, 1, 2)


def test_record_snapshots_keeps_one_row_per_project_and_day(app, make, tree):
    project = tree["project"]
    history.record_snapshots([project.id], TODAY - timedelta(days=1))
    history.record_snapshots([project.id], TODAY)
    history.record_snapshots([project.id], TODAY)
    db.session.commit()
    assert [row.taken_on for row in rows(project.id)] == [TODAY - timedelta(days=1), TODAY]


def test_snapshot_command_records_every_project_in_a_fixed_number_of_queries(app, runner, make, tree):
    def run() -> list[str]:
        with count_queries() as statements:
            result = runner.invoke(args=["snapshot-readiness"])
        assert result.exit_code == 0, result.output
        return statements

    client_id = tree["client"].id
    small = run()
    assert "1 project" in runner.invoke(args=["snapshot-readiness"]).output
    for _ in range(4):
        make.tree()  # other workspaces too: cron records them all
    make.project(make.site(db.session.get(Client, client_id)), "iso13485")
    large = run()
    assert len(large) == len(small)
    total = db.session.execute(select(func.count(ReadinessSnapshot.id))).scalar_one()
    assert total == 6
    run()  # again the same day: still one row each
    assert db.session.execute(select(func.count(ReadinessSnapshot.id))).scalar_one() == 6


def test_history_api_lists_the_snapshots_oldest_first(client, make, tree):
    project = tree["project"]
    history.record_snapshots([project.id], TODAY)
    history.record_snapshots([project.id], TODAY - timedelta(days=7))
    db.session.commit()
    headers = bearer(token_for(make.user(tree["workspace"], role="viewer")))

    response = client.get(f"{API}/projects/{project.id}/history", headers=headers)
    assert response.status_code == 200
    body = response.json
    check(body, documented("/api/v1/projects/{project_id}/history", "get"))
    assert body["total"] == 2
    assert [item["date"] for item in body["items"]] == [
        (TODAY - timedelta(days=7)).isoformat(),
        TODAY.isoformat(),
    ]
    assert body["items"][0] == {
        "date": (TODAY - timedelta(days=7)).isoformat(),
        "readiness_percent": 0,
        "coverage_percent": 0,
        "met": 0,
        "partial": 0,
        "not_met": 0,
        "not_assessed": 65,
        "not_applicable": 0,
    }


def test_history_api_refuses_another_workspaces_project_and_no_token(client, make, tree):
    theirs = make.tree()
    headers = bearer(token_for(make.user(tree["workspace"], role="owner")))
    assert client.get(f"{API}/projects/{theirs['project'].id}/history", headers=headers).status_code == 404
    assert client.get(f"{API}/projects/{tree['project'].id}/history").status_code == 401
