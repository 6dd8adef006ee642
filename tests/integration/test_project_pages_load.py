"""What the project page, the charts and the stage pages read (issue 19): a fixed number of queries whatever
the project holds (a new project reads as many as the demo's fullest), and a page that judges only some
stages (a stage page, the charts) judges them exactly as the project page does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.domain.pathway import Stage
from app.extensions import db
from app.models import CertificationProject, Client
from app.services import demo
from app.services.coverage import project_coverage
from app.services.pathway import project_overview
from tests.conftest import demo_built
from tests.factories import Factory
from tests.integration.finding_support import add_finding
from tests.integration.test_request_overhead import plan_of, sent_statements
from tests.querycount import count_queries

TODAY = date(2026, 6, 15)

# The most each page may read, the session's scope and the project included. The counts are the same for
# every project (the test below); a change that needs more says so here.
MOST_QUERIES = {
    "": 21,
    "/charts": 21,
    "/stages/gap_analysis": 7,
    "/stages/documentation": 8,
    "/stages/training": 10,
    "/stages/internal_audit": 14,
    "/stages/management_review": 10,
    "/stages/external_audit": 9,
}


@pytest.fixture(scope="module")
def demo_app(database: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo's four projects, and a new project of each standard beside them (one with a finding of the
    certification body), built once per engine for this module's tests, which only read them."""
    with demo_built(database, tmp_path_factory.mktemp("demo-evidence"), TODAY) as app:
        client = db.session.execute(select(Client).order_by(Client.id)).scalars().first()
        make = Factory()
        fresh = [make.project(make.site(client), code) for code in ("iso9001", "iso13485")]
        add_finding(fresh[0], "major", "external_audit")  # read by two stages, from one query or two
        yield app


@pytest.fixture
def projects(demo_app: Flask) -> list[CertificationProject]:
    db.session.rollback()
    return list(db.session.execute(select(CertificationProject).order_by(CertificationProject.id)).scalars())


@pytest.fixture
def http(demo_app: Flask) -> FlaskClient:
    http = demo_app.test_client()
    response = http.post("/login", data={"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    return http


@pytest.mark.parametrize("page", list(MOST_QUERIES))
def test_each_page_reads_as_many_queries_for_a_new_project_as_for_the_demos(http, projects, page):
    counts = {}
    for project_id in [project.id for project in projects]:
        url = f"/projects/{project_id}{page}"
        assert http.get(url).status_code == 200, url
        with count_queries() as statements:
            assert http.get(url).status_code == 200, url
        counts[project_id] = len(statements)
    assert len(counts) == 6  # the demo's four and the two new ones
    assert len(set(counts.values())) == 1, counts
    assert counts[projects[0].id] <= MOST_QUERIES[page]


def test_a_page_judging_some_stages_judges_them_as_the_project_page_does(projects):
    external_majors = 0
    for project in projects:
        whole = project_overview(project, TODAY)
        charts = project_overview(project, TODAY, with_next_steps=False)
        assert charts.judged == whole.judged == frozenset(Stage)
        assert charts.stages == whole.stages and charts.coverage == whole.coverage
        assert charts.next_steps == [] and whole.next_steps
        for stage in Stage:
            alone = project_overview(project, TODAY, {stage}, with_next_steps=False)
            assert alone.judged == {stage}
            assert alone.stage(stage) == whole.stage(stage), (project.id, stage)
            assert all(view.criteria == [] for view in alone.stages if view.info.key != stage)
        external_majors += len(whole.snapshot.external_audit.open_majors)
    assert external_majors  # the external audit's open majors, read with the register's or on their own


def test_the_coverage_read_with_the_verdicts_is_the_coverage_rule_and_reads_its_index(projects):
    for project in projects:
        assert project_overview(project, TODAY).coverage == project_coverage(project, TODAY), project.id
    project_id = projects[0].id
    db.session.remove()
    with sent_statements() as sent:
        project_overview(db.session.get(CertificationProject, project_id), TODAY)
    [(statement, parameters)] = [(s, p) for s, p in sent if "FROM assessments" in s]
    assert "ix_evidence_items_current" in plan_of(statement, parameters)
