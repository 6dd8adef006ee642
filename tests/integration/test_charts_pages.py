"""The charts page, the project page's charts, and the readiness and budget summary on the client list."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import plotly.graph_objects as go
from sqlalchemy import select, update

from app.extensions import db
from app.models import BudgetLine, CertificationProject, Client, ProjectStage, ReadinessSnapshot, Workspace
from app.services import demo, history
from tests.factories import login
from tests.integration.test_project_page import set_status
from tests.integration.training_support import fill_matrix
from tests.querycount import count_queries

TODAY = date.today()
CHART_KEYS = [
    "readiness-sections",
    "stage-progress",
    "timeline",
    "history",
    "training-completion",
    "training-states",
    "budget-by-stage",
    "budget-by-category",
    "spend-curve",
]


def figures(html: str) -> dict[str, dict[str, Any]]:
    """Chart key -> its figure, read back from the data-figure attributes."""
    found = re.findall(r'<div class="chart" id="([\w-]+)-figure" data-figure="([^"]*)"', html)
    return {key: json.loads(unescape(raw)) for key, raw in found}


def table(html: str, key: str) -> str:
    match = re.search(rf'<table[^>]*id="{key}-table".*?</table>', html, re.S)
    assert match, f"no table for {key}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def add_lines(project: CertificationProject, *lines: tuple[str, str, str, str | None, date | None]) -> None:
    for stage, category, planned, actual, spent_on in lines:
        db.session.add(
            BudgetLine(
                project_id=project.id,
                stage=stage,
                category=category,
                description=f"{stage} {category}",
                planned=Decimal(planned),
                actual=None if actual is None else Decimal(actual),
                spent_on=spent_on,
            )
        )
    db.session.commit()


def plan(project: CertificationProject, key: str, start: date, end: date, **fields: Any) -> None:
    db.session.execute(
        update(ProjectStage)
        .where(ProjectStage.project_id == project.id, ProjectStage.key == key)
        .values(planned_start=start, planned_end=end, **fields)
    )
    db.session.commit()


def test_the_charts_page_draws_every_chart_over_a_table_of_its_numbers(client, owner, tree):
    project = tree["project"]
    set_status(project, ["4.1", "4.2"], "met")
    plan(project, "gap_analysis", TODAY - timedelta(days=30), TODAY - timedelta(days=2), status="in_progress")
    add_lines(
        project,
        ("gap_analysis", "consultant", "1000", "1200.50", TODAY - timedelta(days=20)),
        ("documentation", "training", "500", None, TODAY + timedelta(days=10)),
    )
    history.record_snapshots([project.id], TODAY - timedelta(days=7))
    db.session.commit()
    fill_matrix(project, tree["site"], 4, 3, TODAY - timedelta(days=3))

    response = client.get(f"/projects/{project.id}/charts")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    drawn = figures(html)
    assert list(drawn) == CHART_KEYS
    assert html.count('<details class="chart-table') == len(CHART_KEYS)
    assert "<script>" not in html and "style=" not in html  # the strict CSP allows neither

    sections = drawn["readiness-sections"]["data"][0]
    assert sections["x"][0] == "4" and sections["y"][0] == 40  # 4.1 and 4.2 met of section 4's five
    assert "4. Context of the organization" in table(html, "readiness-sections")

    timeline = drawn["timeline"]
    assert timeline["data"][0]["marker"]["color"][0] == "#dc3545"  # gap analysis is overdue
    assert timeline["layout"]["shapes"][0]["x0"] == TODAY.isoformat()
    assert "Overdue" in table(html, "timeline")

    stages = drawn["budget-by-stage"]["data"]
    assert stages[0]["y"] == ["Gap analysis", "Documentation"]
    assert stages[0]["x"] == [1000, 500] and stages[1]["x"] == [1200.5, 0]
    assert "Gap analysis 1,000.00 1,200.50 200.50 120.1%" in table(html, "budget-by-stage")
    assert "Consultant 1,000.00 1,200.50" in table(html, "budget-by-category")
    spend = drawn["spend-curve"]["data"]
    assert spend[0]["y"] == [1000, 1500] and spend[1]["y"] == [1200.5, None]

    readiness_line = drawn["history"]["data"][0]
    week_ago = (TODAY - timedelta(days=7)).isoformat()
    assert readiness_line["x"] == [week_ago, TODAY.isoformat()]  # the recorded day, then today as it stands
    assert readiness_line["y"] == [3, 3]


def test_the_target_line_follows_the_configured_readiness_target(app, client, owner, tree):
    url = f"/projects/{tree['project'].id}/charts"
    assert (
        figures(client.get(url).get_data(as_text=True))["readiness-sections"]["layout"]["shapes"][0]["y0"]
        == 100
    )
    app.config["READINESS_TARGET"] = 85
    drawn = figures(client.get(url).get_data(as_text=True))["readiness-sections"]["layout"]
    assert drawn["shapes"][0]["y0"] == 85 and drawn["annotations"][0]["text"] == "Target 85%"


def test_the_charts_page_loads_plotly_from_the_app_itself(client, owner, tree):
    html = client.get(f"/projects/{tree['project'].id}/charts").get_data(as_text=True)
    assert '<script defer src="/static/vendor/plotly/plotly.min.js"></script>' in html
    assert '<script defer src="/static/js/charts.js"></script>' in html
    assert 'id="plotly.js-style-global" class="no-inline-styles" href="/static/css/plotly.css"' in html


def test_a_project_without_budget_or_dates_says_so_instead_of_drawing(client, owner, tree):
    html = client.get(f"/projects/{tree['project'].id}/charts").get_data(as_text=True)
    assert "No stage has dates yet." in html
    assert html.count("No budget lines yet.") == 2 and "No dated budget lines yet." in html
    assert list(figures(html)) == ["readiness-sections", "stage-progress", "history"]


def test_the_project_page_ends_with_two_charts_and_a_link_to_all(client, owner, tree):
    project = tree["project"]
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert list(figures(html)) == ["readiness-sections", "stage-progress"]
    assert f'href="/projects/{project.id}/charts" id="all-charts-link"' in html
    assert html.index('id="project-charts"') > html.index('id="readiness-by-section"')
    assert "Documentation" in table(html, "stage-progress")


def test_pages_without_charts_do_not_load_plotly(client, owner, tree):
    for url in ("/clients", f"/projects/{tree['project'].id}/gap-analysis", "/account"):
        assert "plotly" not in client.get(url).get_data(as_text=True), url


def test_charts_need_a_login_and_stay_in_the_workspace(client, make, tree):
    url = f"/projects/{tree['project'].id}/charts"
    assert client.get(url).status_code == 302
    login(client, make.user(make.workspace(), role="owner"))
    assert client.get(url).status_code == 404


def test_the_charts_page_query_count_does_not_grow_with_data(client, owner, make, tree):
    project = tree["project"]
    project_id, client_id = project.id, tree["client"].id
    url = f"/projects/{project_id}/charts"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    project = db.session.get(CertificationProject, project_id)
    set_status(project, ["4.1", "4.2", "5.1.1", "7.1.5.1"], "partial")
    for key in ("gap_analysis", "documentation", "training"):
        plan(project, key, TODAY - timedelta(days=40), TODAY - timedelta(days=1))
    add_lines(project, *[("training", "training", "10", "9", TODAY - timedelta(days=n)) for n in range(30)])
    for n in range(10):
        history.record_snapshots([project_id], TODAY - timedelta(days=n + 1))
    db.session.commit()
    make.project(make.site(db.session.get(Client, client_id)))
    fill_matrix(project, project.site, 30, 8, TODAY - timedelta(days=40))
    with count_queries() as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(figures(response.get_data(as_text=True))) == len(CHART_KEYS)
    assert len(large) == len(small)


# The client list


def test_the_client_list_shows_each_projects_readiness_and_budget(client, owner, make, tree):
    project = tree["project"]
    set_status(project, ["4.1", "4.2"], "met")  # 2 of 65 -> 3%
    add_lines(
        project,
        ("gap_analysis", "consultant", "1000", "250", None),
        ("training", "training", "1000", None, None),
    )
    other = make.project(make.site(tree["client"]), "iso13485", currency="VND")
    html = client.get("/clients").get_data(as_text=True)
    row = re.sub(r"\s+", " ", re.search(rf'data-project="{project.id}">(.*?)</div>', html, re.S).group(1))
    assert "readiness 3%" in row
    assert "250.00 USD spent of 2,000.00 USD (12.5%)" in row
    other_row = re.search(rf'data-project="{other.id}">(.*?)</div>', html, re.S).group(1)
    assert "readiness 0%" in other_row and "no budget yet" in other_row


def test_the_client_list_query_count_does_not_grow_with_projects(client, owner, make, tree):
    workspace_id = tree["workspace"].id
    client.get("/clients")
    with count_queries() as small:
        client.get("/clients")
    workspace = db.session.get(Workspace, workspace_id)
    for _ in range(3):
        site = make.site(make.client(workspace))
        add_lines(make.project(site), ("gap_analysis", "consultant", "100", "50", None))
        make.project(make.site(site.client), "iso13485")
    with count_queries() as large:
        html = client.get("/clients").get_data(as_text=True)
    assert html.count('class="client-project"') == 7
    assert len(large) == len(small)


# The demo


def test_every_demo_chart_shows_something_on_first_run(app, client, make):
    make.standards()
    demo.create_demo(TODAY)
    db.session.commit()
    client.post("/login", data={"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD})
    projects = db.session.execute(select(CertificationProject.id)).scalars().all()
    assert len(projects) == 4
    for project_id in projects:
        lines = db.session.execute(select(BudgetLine).where(BudgetLine.project_id == project_id)).scalars()
        lines = list(lines)
        assert lines and any(line.actual is not None for line in lines)
        assert any(line.actual is None for line in lines)
        days = db.session.execute(
            select(ReadinessSnapshot.taken_on).where(ReadinessSnapshot.project_id == project_id)
        ).scalars()
        days = sorted(days)
        assert len(days) >= 5 and days[-1] == TODAY
        html = client.get(f"/projects/{project_id}/charts").get_data(as_text=True)
        drawn = figures(html)
        assert list(drawn) == CHART_KEYS, project_id
        for key, sent in drawn.items():
            # The figures are dicts built without plotly.py: it validates them here instead (refusing a
            # property or value plotly.js does not know), and would send the very same JSON.
            assert json.loads(go.Figure(sent).to_json()) == sent, (project_id, key)


def test_the_spend_curve_says_which_lines_it_leaves_out(client, owner, tree):
    """Issue 16: the S-curve silently left out undated lines (4,675.00 planned against a 19,441.50 budget)."""
    project = tree["project"]
    add_lines(
        project,
        ("gap_analysis", "consultant", "14766.50", None, TODAY),
        ("external_audit", "certification_body", "2000.50", None, None),
        ("external_audit", "certification_body", "2674.50", None, None),
    )
    db.session.commit()
    html = client.get(f"/projects/{project.id}/charts").get_data(as_text=True)
    note = re.search(r'id="spend-curve-note">(.*?)</p>', html, re.S)
    assert note and note.group(1) == (
        "2 lines without a date (4,675.00 USD planned) are not on this chart: "
        "give them a date to include them."
    )
    axis = figures(html)["spend-curve"]["layout"]["xaxis"]
    assert axis["tickformat"] == "%d %b %Y" and "range" in axis  # one day of data: days either side
