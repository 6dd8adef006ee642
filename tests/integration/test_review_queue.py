"""The review queue (/review-queue): evidence to review, revisions to approve and actions due this week,
across the clients the user may see, oldest first, each linked to where it is acted on; constant queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import ControlledDocument, DocumentRevision, EvidenceItem, Finding
from app.services.review_queue import end_of_week, start_of_week
from tests.factories import login
from tests.integration import portfolio_support as support
from tests.integration.review_support import add_output, add_review
from tests.querycount import count_queries

TODAY = support.TODAY
ROW = re.compile(r'<tr data-kind="(\w+)" data-object-id="(\d+)">')
LINK = re.compile(r'<a href="([^"]+)" class="queue-link">')


def add_waiting(project, days_ago: int) -> tuple[EvidenceItem, ControlledDocument]:
    evidence = EvidenceItem(
        project_id=project.id, kind="note", title="Calibration log", note="Seen.", review_state="submitted",
        created_at=datetime.now(UTC) - timedelta(days=days_ago),
    )  # fmt: skip
    document = ControlledDocument(project_id=project.id, code="QP-07", title="Control of records",
                                  doc_type="procedure", owner="Quality lead")  # fmt: skip
    db.session.add_all([evidence, document])
    db.session.flush()
    db.session.add(DocumentRevision(
        document_id=document.id, label="B", state="in_review", storage_name=f"rev-{document.id}",
        filename="qp.pdf", content_type="application/pdf", size=10, sha256="0" * 64,
        submitted_at=datetime.now(UTC) - timedelta(days=days_ago + 1),
    ))  # fmt: skip
    # Never in the queue: a draft item, a deleted one.
    draft = EvidenceItem(project_id=project.id, kind="note", title="Draft", note="", review_state="draft")
    gone = EvidenceItem(project_id=project.id, kind="note", title="Gone", note="", review_state="submitted",
                        deleted_at=datetime.now(UTC))  # fmt: skip
    db.session.add_all([draft, gone])
    db.session.commit()
    return evidence, document


def queue(http) -> list[tuple[str, int]]:
    response = http.get("/review-queue")
    assert response.status_code == 200
    return [(kind, int(found)) for kind, found in ROW.findall(response.text)]


def test_the_queue_holds_what_waits_oldest_first_and_links_to_it(client, make):
    data = support.build(make)
    bravo, charlie = data["bravo"], data["charlie"]
    evidence, document = add_waiting(charlie, days_ago=10)
    review = add_review(bravo)
    soon = add_output(review, "improvement", owner="Ms Lan", due_date=end_of_week(TODAY))
    add_output(review, "improvement", due_date=end_of_week(TODAY) + timedelta(days=1))  # next week: not yet
    add_output(review, "improvement", due_date=start_of_week(TODAY), done_on=TODAY)  # done: gone
    add_output(review, "improvement", due_date=start_of_week(TODAY) - timedelta(days=1))  # last week's: gone
    login(client, make.user(data["workspace"], role="consultant"))
    found = queue(client)
    task = support.first_task(bravo)
    finding_id = db.session.execute(select(Finding.id).where(Finding.project_id == bravo.id)).scalar_one()
    waiting = [
        (TODAY - timedelta(days=11), "revision", document.id),
        (TODAY - timedelta(days=10), "evidence", evidence.id),
        (TODAY - timedelta(days=3), "task", task.id),  # overdue
        (TODAY + timedelta(days=2), "finding_action", finding_id),
        (soon.due_date, "review_action", review.id),
    ]
    week = (start_of_week(TODAY), end_of_week(TODAY))  # an action is queued the week it is due

    def queued(day, kind) -> bool:
        return kind in ("revision", "evidence") or week[0] <= day <= week[1]

    assert found == [(kind, object_id) for day, kind, object_id in sorted(waiting) if queued(day, kind)]
    page = client.get("/review-queue").text
    assert "Charlie Devices" in page
    for link in LINK.findall(page):
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_a_client_manager_sees_only_their_clients_and_another_workspace_is_absent(client, make):
    data = support.build(make)
    other = support.build(make, suffix=" Other")
    add_waiting(data["charlie"], days_ago=2)
    add_waiting(other["bravo"], days_ago=3)
    login(client, make.user(data["workspace"], role="client_manager", clients=[data["bravo"].client]))
    found = queue(client)
    bravo_finding = db.session.execute(select(Finding.id).where(Finding.project_id == data["bravo"].id))
    # Bravo's open task was due three days ago and its action is due in two: each is in the queue when it
    # falls in this week (Monday to Sunday), oldest first.
    task = (
        [("task", support.first_task(data["bravo"]).id)]
        if TODAY - timedelta(days=3) >= start_of_week(TODAY)
        else []
    )
    action = (
        [("finding_action", bravo_finding.scalar_one())]
        if TODAY + timedelta(days=2) <= end_of_week(TODAY)
        else []
    )
    assert found == task + action


def test_the_queue_reads_as_many_queries_at_two_sizes(client, make):
    data = support.build(make)
    add_waiting(data["alpha"], days_ago=1)
    login(client, make.user(data["workspace"]))

    def count() -> int:
        client.get("/review-queue")
        with count_queries() as statements:
            assert client.get("/review-queue").status_code == 200
        return len(statements)

    small = count()
    more = support.build(make, data["workspace"], " 2")
    add_waiting(more["bravo"], days_ago=4)
    assert count() == small
