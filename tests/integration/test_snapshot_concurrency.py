"""Two requests saving verdicts of one project at once leave the day's snapshot equal to the data
(security review D11: on PostgreSQL the last writer used to win with counts that missed the other's)."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, ReadinessSnapshot
from app.services import history

TODAY = date(2026, 12, 1)


def change_and_record(
    app, project_id: int, number: str, recorded: threading.Event, go: threading.Event
) -> None:
    """One request in its own app context (so its own session): a verdict, then the snapshot, then commit."""
    with app.app_context():
        standard_id = select(CertificationProject.standard_id).where(CertificationProject.id == project_id)
        clause_id = (
            select(Clause.id)
            .where(Clause.number == number, Clause.standard_id == standard_id.scalar_subquery())
            .scalar_subquery()
        )
        db.session.execute(
            update(Assessment)
            .where(Assessment.project_id == project_id, Assessment.clause_id == clause_id)
            .values(status="met", version=Assessment.version + 1)
        )
        history.record_snapshots([project_id], TODAY)
        recorded.set()
        go.wait(10)
        db.session.commit()
        db.session.remove()


def test_the_last_snapshot_counts_both_concurrent_changes(app, tree):
    project_id = tree["project"].id
    db.session.remove()
    first_recorded, first_go = threading.Event(), threading.Event()
    second_recorded, second_go = threading.Event(), threading.Event()
    first = threading.Thread(
        target=change_and_record, args=(app, project_id, "4.1", first_recorded, first_go)
    )
    second = threading.Thread(
        target=change_and_record, args=(app, project_id, "4.2", second_recorded, second_go)
    )
    second_go.set()
    if db.engine.dialect.name == "sqlite":  # one writer at a time: the second runs after the first
        first_go.set()
        first.start(), first.join(10)
        second.start(), second.join(10)
    else:
        first.start()
        assert first_recorded.wait(10)
        second.start()
        assert not second_recorded.wait(0.5)  # it waits for the first transaction's lock on the project
        first_go.set()
        first.join(10), second.join(10)
    assert second_recorded.is_set()

    snapshot = db.session.execute(select(ReadinessSnapshot).where(ReadinessSnapshot.project_id == project_id))
    met = db.session.execute(
        select(func.count()).where(Assessment.project_id == project_id, Assessment.status == "met")
    ).scalar_one()
    assert snapshot.scalar_one().met == met == 2
