"""Evidence coverage from the database: the worked example, SQL against the domain rule, pages and API."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.domain.coverage import Coverage, EvidenceFact, covered_numbers, is_current
from app.extensions import db
from app.models import CertificationProject, Clause, Client, EvidenceItem, Task, Workspace
from app.services.coverage import (
    coverage_for_projects,
    covered_clauses,
    current_evidence,
    project_coverage,
)
from tests.integration.evidence_helpers import add_evidence, set_status
from tests.integration.test_api import bearer, check, documented, token_for
from tests.querycount import count_queries

TODAY = date.today()
APPLICABLE = ["4.1", "4.2", "4.3", "4.4.1", "5.1.1", "5.1.2", "7.1.1", "7.2"]


def worked_example(project: CertificationProject) -> None:
    """Eight applicable requirements; 4.1, 5.1.2 and 7.1.1 are covered: 3 / 8 = 37.5 % -> 38 %."""
    set_status(project, None, "not_applicable")
    set_status(project, APPLICABLE, "not_assessed")
    set_status(project, ["4.1", "7.2"], "met")
    add_evidence(project, "4.1")  # accepted, no expiry: covered
    add_evidence(project, "4.2", "submitted")
    add_evidence(project, "4.3", "rejected")
    add_evidence(project, "4.4.1", deleted=True)
    add_evidence(project, "5.1.1", until=TODAY - timedelta(days=1))  # expired yesterday
    add_evidence(project, "5.1.2", until=TODAY)  # its last valid day: covered
    add_evidence(project, "7.1.1")
    add_evidence(project, "7.1.1", kind="link")  # a second accepted item counts once
    add_evidence(project, "7.2", "draft")
    add_evidence(project, "8.3.1")  # not applicable: left out
    task = db.session.execute(select(Task).where(Task.project_id == project.id)).scalars().first()
    add_evidence(project, None, task_id=task.id)  # on a task only: no clause covered


def test_project_coverage_of_the_worked_example(tree, make):
    project = tree["project"]
    worked_example(project)
    add_evidence(make.project(make.site(tree["client"])), "4.2")  # another project's evidence
    result = project_coverage(project, TODAY)
    assert result.overall == Coverage(covered=3, applicable=8)
    assert result.percent == 38
    assert result.covered == {"4.1", "5.1.2", "7.1.1"}
    assert {section: c.percent for section, c in result.by_section.items()} == {
        "4": 25,  # 4.1 of 4.1, 4.2, 4.3, 4.4.1
        "5": 50,  # 5.1.2 of 5.1.1, 5.1.2
        "6": None,
        "7": 50,  # 7.1.1 of 7.1.1, 7.2
        "8": None,
        "9": None,
        "10": None,
    }


def test_the_sql_counts_apply_the_domain_rule(tree):
    project = tree["project"]
    worked_example(project)
    rows = db.session.execute(
        select(EvidenceItem, Clause.number).outerjoin(Clause, Clause.id == EvidenceItem.clause_id)
    ).all()
    facts = [EvidenceFact(n, i.review_state, i.valid_until, i.deleted_at is not None) for i, n in rows]
    assert covered_clauses(project.id, TODAY) == covered_numbers(facts, TODAY)
    assert coverage_for_projects([project.id], TODAY) == {
        project.id: project_coverage(project, TODAY).percent
    }
    # Tomorrow 5.1.2 has expired too: 2 of 8 = 25 %.
    assert coverage_for_projects([project.id], TODAY + timedelta(days=1)) == {project.id: 25}


def test_the_sql_condition_selects_exactly_the_items_the_domain_calls_current(tree):
    """Every review state, deleted or not, with no date, yesterday, today and tomorrow as valid-until."""
    project = tree["project"]
    for state in ("draft", "submitted", "accepted", "rejected"):
        for deleted in (False, True):
            for until in (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)):
                add_evidence(project, "4.1", state, until=until, deleted=deleted)
    items = db.session.execute(select(EvidenceItem)).scalars().all()
    for day in (TODAY, TODAY + timedelta(days=1)):
        by_sql = set(db.session.execute(select(EvidenceItem.id).where(current_evidence(day))).scalars())
        by_rule = {
            i.id
            for i in items
            if is_current(EvidenceFact("4.1", i.review_state, i.valid_until, i.deleted_at is not None), day)
        }
        assert by_sql == by_rule
        assert len(by_rule) == (3 if day == TODAY else 2)


def test_coverage_for_projects_in_one_query_whatever_the_data(tree, make):
    project = tree["project"]
    worked_example(project)
    other = make.project(make.site(tree["client"]))
    add_evidence(other, "4.2")
    nothing_applicable = make.project(make.site(tree["client"]), code="iso13485")
    set_status(nothing_applicable, None, "not_applicable")
    ids = [project.id, other.id, nothing_applicable.id, 999_999]
    client_id = tree["client"].id
    with count_queries() as statements:
        result = coverage_for_projects(ids, TODAY)
    # 1 of 65 = 1.54 % -> 2 %; nothing applicable (or no such project) -> None.
    assert result == {project.id: 38, other.id: 2, nothing_applicable.id: None, 999_999: None}
    assert len(statements) == 1
    client_row = db.session.get(Client, client_id)  # count_queries reset the session
    for _ in range(3):
        more = make.project(make.site(client_row))
        for number in ("4.1", "4.2", "4.3"):
            add_evidence(more, number)
    with count_queries() as statements:
        assert len(coverage_for_projects(range(1, 10), TODAY)) == 9
    assert len(statements) == 1
    with count_queries() as statements:
        assert coverage_for_projects([], TODAY) == {}
    assert statements == []


# The project page and the project list


def test_project_page_shows_coverage_and_links_the_checklist(client, owner, tree):
    project = tree["project"]
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="coverage-overall">0%' in html
    worked_example(project)
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="coverage-overall">38%' in html
    assert "3 of 8 applicable requirements" in html
    section_seven = html.split('data-section="7"')[1].split("</tr>")[0]
    assert 'class="text-end section-coverage">50%' in section_seven
    section_six = html.split('data-section="6"')[1].split("</tr>")[0]
    assert 'class="text-end section-coverage">—' in section_six
    assert f'href="/projects/{project.id}/documented-information"' in html


def test_project_page_query_count_stays_fixed_as_evidence_grows(client, owner, tree):
    project_id = tree["project"].id
    url = f"/projects/{project_id}"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    project = db.session.get(CertificationProject, project_id)  # count_queries reset the session
    worked_example(project)
    for number in ("4.1", "4.2", "6.1.1", "8.5.1"):
        add_evidence(project, number)
    with count_queries() as large:
        response = client.get(url)
    assert response.status_code == 200
    assert 'id="coverage-overall">' in response.get_data(as_text=True)
    assert len(large) == len(small)


def test_project_list_shows_coverage_in_a_fixed_number_of_queries(client, owner, make, tree):
    workspace_id = tree["workspace"].id
    add_evidence(tree["project"], "4.1")
    add_evidence(tree["project"], "4.2")
    client.get("/projects")  # warm up, as the project page test does
    with count_queries() as small:
        html = client.get("/projects").get_data(as_text=True)
    assert 'class="text-end project-coverage">3%' in html  # 2 of 65 -> 3 %
    workspace = db.session.get(Workspace, workspace_id)
    for _ in range(4):
        more = make.project(make.site(make.client(workspace)))
        add_evidence(more, "4.3")
        add_evidence(more, "4.4.1", "submitted")
    with count_queries() as large:
        html = client.get("/projects").get_data(as_text=True)
    assert html.count('class="text-end project-coverage">2%') == 4  # 1 of 65 -> 2 %
    # The session's user with its scope, the count, the page with its clients, sites and standards joined,
    # and one aggregate each: verdicts, stages, coverage, certificates.
    assert len(large) == len(small) <= 7


# The API


def test_api_project_detail_includes_coverage_as_documented(client, make, tree):
    project = tree["project"]
    worked_example(project)
    headers = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    body = client.get(f"/api/v1/projects/{project.id}", headers=headers).json
    assert body["coverage_percent"] == 38
    assert body["coverage"] == {
        "overall": 38,
        "covered": 3,
        "applicable": 8,
        "by_section": {"4": 25, "5": 50, "6": None, "7": 50, "8": None, "9": None, "10": None},
    }
    check(body, documented("/api/v1/projects/{project_id}", "get"))
    listed = client.get("/api/v1/projects", headers=headers).json
    assert listed["items"][0]["coverage_percent"] == 38
    check(listed, documented("/api/v1/projects", "get"))


# The demo


def test_the_demo_projects_start_with_some_coverage_and_one_expired_certificate(client, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    projects = db.session.execute(select(CertificationProject)).scalars().all()
    coverage = coverage_for_projects([p.id for p in projects], date.today())
    assert len(coverage) == 4 and all(percent and percent > 0 for percent in coverage.values())
    expired = (
        db.session.execute(select(EvidenceItem).where(EvidenceItem.valid_until < date.today()))
        .scalars()
        .all()
    )
    assert [item.review_state for item in expired] == ["accepted"]
    assert db.session.execute(select(EvidenceItem).where(EvidenceItem.kind == "file")).first() is None
