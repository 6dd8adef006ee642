"""The project page (readiness, stages, next steps) and the project list, with fixed query counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from app.extensions import db
from app.models import Assessment, Clause, ProjectStage, Task
from tests.querycount import count_queries


def set_status(project: Any, numbers: list[str], status: str) -> None:
    ids = select(Clause.id).where(Clause.number.in_(numbers), Clause.standard_id == project.standard_id)
    db.session.execute(
        update(Assessment)
        .where(Assessment.project_id == project.id, Assessment.clause_id.in_(ids))
        .values(status=status)
    )
    db.session.commit()


def test_new_project_page_shows_zero_readiness_and_first_steps(client, owner, tree):
    html = client.get(f"/projects/{tree['project'].id}").get_data(as_text=True)
    assert 'id="readiness-overall">0%' in html
    assert 'id="current-stage">Gap analysis' in html
    assert "65 to assess" in html
    assert 'id="next-steps"' in html
    assert f"/projects/{tree['project'].id}/gap-analysis?" in html  # the first step links to the gap analysis


def test_readiness_follows_the_assessments(client, owner, tree):
    project = tree["project"]
    set_status(project, ["4.1", "4.2", "4.3"], "met")
    set_status(project, ["4.4.1"], "partial")
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    # 3.5 points of 65 requirements = 5.38% -> 5%
    assert 'id="readiness-overall">5%' in html
    section_four = html.split('data-section="4"')[1].split("</tr>")[0]
    assert "3.5" not in section_four and "%" in section_four


def test_section_readiness_is_computed_per_section(client, owner, tree):
    project = tree["project"]
    numbers = (
        db.session.execute(
            select(Clause.number).where(
                Clause.standard_id == project.standard_id, Clause.section == "4", Clause.is_leaf
            )
        )
        .scalars()
        .all()
    )
    set_status(project, list(numbers), "met")
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    section_four = html.split('data-section="4"')[1].split("</tr>")[0]
    assert "100%" in section_four


def test_current_stage_moves_on_when_a_stage_is_done(client, owner, tree):
    project = tree["project"]
    db.session.execute(
        update(ProjectStage)
        .where(ProjectStage.project_id == project.id, ProjectStage.key == "gap_analysis")
        .values(status="done")
    )
    db.session.commit()
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="current-stage">Documentation' in html


def test_overdue_tasks_are_listed_and_lead_the_next_steps(client, owner, tree):
    project = tree["project"]
    task = db.session.execute(select(Task).where(Task.project_id == project.id).limit(1)).scalar_one()
    task.due_date = date.today() - timedelta(days=3)
    db.session.commit()
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="overdue-tasks"' in html
    steps = html.split('id="next-steps"')[1].split("</ol>")[0]
    first_link = steps.split('href="')[1].split('"')[0]
    assert first_link.endswith(f"#task-{task.id}")


def test_late_stage_is_marked(client, owner, tree):
    project = tree["project"]
    db.session.execute(
        update(ProjectStage)
        .where(ProjectStage.project_id == project.id, ProjectStage.key == "gap_analysis")
        .values(planned_end=date.today() - timedelta(days=1))
    )
    db.session.commit()
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    gap_item = html.split('data-stage="gap_analysis"')[1].split("</li>")[0]
    assert ">late<" in gap_item


def test_project_page_query_count_does_not_grow(client, owner, make, tree):
    project = tree["project"]
    url = f"/projects/{project.id}"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    # More data: verdicts, overdue tasks, findings and other projects.
    set_status(project, ["4.1", "4.2", "5.1.1", "7.1.5.1"], "not_met")
    db.session.execute(update(Task).where(Task.project_id == project.id).values(due_date=date(2020, 1, 1)))
    db.session.commit()
    for _ in range(3):
        make.project(make.site(tree["client"]))
    with count_queries() as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small)


def test_project_list_shows_readiness_and_stage(client, owner, make, tree):
    set_status(tree["project"], ["4.1", "4.2"], "met")
    response = client.get("/projects")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert tree["site"].name in html and "Gap analysis" in html
    assert "3%" in html  # 2 of 65 -> 3%


def test_project_list_query_count_does_not_grow(client, owner, make, tree):
    client.get("/projects")
    with count_queries() as small:
        client.get("/projects")
    for _ in range(6):
        site = make.site(make.client(tree["workspace"]))
        make.project(site, "iso13485")
    with count_queries() as large:
        html = client.get("/projects").get_data(as_text=True)
    assert html.count("ISO 13485:2016 ·") == 6
    assert len(large) == len(small)


def test_project_list_paginates(client, owner, make, tree):
    for _ in range(26):
        make.project(make.site(tree["client"]), "iso13485")
    first = client.get("/projects").get_data(as_text=True)
    second = client.get("/projects?page=2").get_data(as_text=True)
    assert first.count("<tr>") - 1 == 25  # header row excluded
    assert second.count("<tr>") - 1 == 2
