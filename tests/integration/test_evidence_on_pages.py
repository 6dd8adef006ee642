"""Evidence where people work: gap-analysis badges, the requirement page, and the stage checklist."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, Task
from tests.factories import login
from tests.integration.evidence_helpers import add_evidence
from tests.querycount import count_queries

TODAY = date.today()


def row(html: str, number: str) -> str:
    """The gap-analysis card of one requirement."""
    return html.split(f'data-clause="{number}"')[1].split("</article>")[0]


def badges(card: str) -> str:
    """A card's evidence badges."""
    return card.split('<span class="gap-evidence')[1].split("</div>")[0]


def gap_queries(client: Any, project_id: int) -> int:
    with count_queries() as statements:
        assert client.get(f"/projects/{project_id}/gap-analysis").status_code == 200
    return len(statements)


# The gap analysis


def test_gap_rows_mark_accepted_evidence(client, owner, tree):
    project = tree["project"]
    add_evidence(project, "4.1")
    add_evidence(project, "4.1", kind="link")
    add_evidence(project, "4.2", "submitted")
    add_evidence(project, "4.3", until=TODAY - timedelta(days=1))
    add_evidence(project, "4.4.1", deleted=True)
    add_evidence(project, "5.1.1", "rejected")
    html = client.get(f"/projects/{project.id}/gap-analysis?section=all").get_data(as_text=True)
    assert "Evidence accepted · 2" in row(html, "4.1")
    assert 'data-evidence-current="2"' in row(html, "4.1")
    assert "Awaiting review · 1" in row(html, "4.2") and "Evidence accepted" not in row(html, "4.2")
    assert "Expired · 1" in row(html, "4.3") and "Evidence accepted" not in row(html, "4.3")
    for number in ("4.4.1", "5.1.1", "5.1.2"):  # deleted, rejected, none
        assert "No evidence yet" in row(html, number)
    assert html.count("Evidence accepted ·") == 1
    # A one-section page reads that section's evidence only, and shows it the same.
    section_4 = client.get(f"/projects/{project.id}/gap-analysis?section=4").get_data(as_text=True)
    for number in ("4.1", "4.2", "4.3", "4.4.1"):
        assert badges(row(section_4, number)) == badges(row(html, number)), number
    section_5 = client.get(f"/projects/{project.id}/gap-analysis?section=5").get_data(as_text=True)
    assert "No evidence yet" in row(section_5, "5.1.1") and "Evidence accepted" not in section_5


def test_gap_page_evidence_costs_one_query_whatever_the_number_of_items(client, owner, tree):
    project_id = tree["project"].id
    client.get(f"/projects/{project_id}/gap-analysis")
    small = gap_queries(client, project_id)
    project = db.session.get(CertificationProject, project_id)
    for number in ("4.1", "4.2", "4.3", "7.1.1", "7.2", "8.5.1"):
        add_evidence(project, number)
        add_evidence(project, number, "submitted")
    assert gap_queries(client, project_id) == small


# The requirement page


def test_the_requirement_page_lists_its_evidence_and_offers_to_add_more(client, owner, tree):
    project = tree["project"]
    accepted = add_evidence(project, "7.1.5.2", title="Calibration certificate MM-02", until=TODAY)
    expired = add_evidence(project, "7.1.5.2", title="Old certificate", until=TODAY - timedelta(days=3))
    add_evidence(project, "7.1.5.2", "submitted", title="Certificate renewal")
    add_evidence(project, "7.1.5.2", deleted=True, title="Removed scan")
    add_evidence(project, "7.2", title="Training matrix")  # another requirement
    html = client.get(f"/projects/{project.id}/requirements/7.1.5.2").get_data(as_text=True)
    listed = html.split('id="requirement-evidence-items"')[1].split("</ul>")[0]
    assert "Calibration certificate MM-02" in listed and "Old certificate" in listed
    assert "Certificate renewal" in listed
    assert "Removed scan" not in listed and "Training matrix" not in listed
    assert f'href="/projects/{project.id}/evidence/{accepted.id}"' in listed
    expired_line = listed.split(f'data-evidence-id="{expired.id}"')[1].split("</li>")[0]
    assert 'data-evidence-state="expired">Expired<' in expired_line
    assert listed.count('data-evidence-state="accepted"') == 1
    assert listed.count('data-evidence-state="submitted"') == 1
    assert f'href="/projects/{project.id}/evidence/new?clause=7.1.5.2"' in html


def test_a_requirement_without_evidence_says_so_and_viewers_get_no_add_link(client, make, tree):
    project = tree["project"]
    login(client, make.user(tree["workspace"], role="viewer"))
    html = client.get(f"/projects/{project.id}/requirements/4.1").get_data(as_text=True)
    assert "No evidence attached to this requirement yet." in html
    assert "evidence/new" not in html


# The stage page


def first_tasks(project: Any, stage: str, count: int) -> list[Task]:
    return list(
        db.session.execute(
            select(Task)
            .where(Task.project_id == project.id, Task.stage == stage)
            .order_by(Task.position)
            .limit(count)
        ).scalars()
    )


def test_the_stage_page_lists_evidence_per_task_with_counts(client, owner, tree):
    project = tree["project"]
    first, second = first_tasks(project, "documentation", 2)
    add_evidence(project, "4.3", task_id=first.id, title="Scope statement QM-01")
    add_evidence(project, None, "submitted", task_id=first.id, title="Scope review minutes")
    add_evidence(project, None, task_id=first.id, deleted=True, title="Deleted draft")
    add_evidence(project, None, task_id=second.id, title="Policy poster photo")
    html = client.get(f"/projects/{project.id}/stages/documentation").get_data(as_text=True)
    first_item = html.split(f'id="task-{first.id}"')[1].split("</li>\n      <li")[0]
    assert 'data-count="2"' in first_item and "2 evidence" in first_item
    assert "Scope statement QM-01" in first_item and "Scope review minutes" in first_item
    assert "Deleted draft" not in html
    assert f'href="/projects/{project.id}/evidence/new?task={first.id}"' in first_item
    listed = html.split(f'id="task-{second.id}-evidence"')[1].split("</ul>")[0]
    assert "Policy poster photo" in listed
    others = [t for t in first_tasks(project, "documentation", 50) if t.id not in (first.id, second.id)]
    assert all(f'id="task-{t.id}-evidence"' not in html for t in others)
    assert html.count('data-count="0"') == len(others)


def test_the_stage_page_query_count_stays_fixed_with_task_evidence(client, owner, tree):
    project_id = tree["project"].id
    url = f"/projects/{project_id}/stages/documentation"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    project = db.session.get(CertificationProject, project_id)
    for task in first_tasks(project, "documentation", 5):
        add_evidence(project, None, task_id=task.id)
        add_evidence(project, "4.3", "draft", task_id=task.id)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
