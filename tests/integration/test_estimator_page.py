"""The budget estimator page: MD 5 band and basis shown, ticked lines accepted, re-runs never duplicate."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from app.domain.estimator import EstimateInputs, estimate_budget
from app.extensions import db
from app.models import BudgetLine, ProjectStage, Site
from tests.factories import login

D = Decimal
RATES = {
    "cb_day_rate": "1,200",
    "consultant_model": "light",
    "consultant_day_rate": "800",
    "staff_hourly_cost": "25",
    "auditor_course_fee": "",
}
# The same inputs as the domain sees them, to compare the page with estimate_budget().
INPUTS = EstimateInputs(
    employees=30, standard="iso9001", cb_day_rate=D(1200), consultant_day_rate=D(800), staff_hourly_cost=D(25)
)


@pytest.fixture
def owner(client: Any, make: Any, tree: dict[str, Any]) -> Any:
    user = make.user(tree["workspace"], role="owner")
    login(client, user)
    return user


def url(project: Any, rest: str = "") -> str:
    return f"/projects/{project.id}/budget/estimate{rest}"


def lines(project: Any) -> list[BudgetLine]:
    db.session.expire_all()
    stmt = select(BudgetLine).where(BudgetLine.project_id == project.id).order_by(BudgetLine.id)
    return list(db.session.execute(stmt).scalars())


def proposed_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="proposed-line.*?</tr>', html, re.S)


def set_employees(tree: dict[str, Any], count: int) -> None:
    db.session.execute(update(Site).where(Site.id == tree["site"].id).values(employee_count=count))
    db.session.commit()


def test_the_form_shows_the_sites_employees_and_standard(client, owner, tree):
    html = client.get(url(tree["project"])).get_data(as_text=True)
    assert re.search(r'id="estimate-employees">30<', html)
    assert re.search(r'id="estimate-standard">ISO 9001<', html)
    assert 'id="proposed-lines"' not in html


@pytest.mark.parametrize("employees", [30, 38])
def test_the_estimate_shows_the_md5_band_and_where_each_figure_came_from(client, owner, tree, employees):
    set_employees(tree, employees)
    response = client.post(url(tree["project"]), data=RATES)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    audit = html[html.index('id="audit-days"') :][:600]
    assert 'data-method="table"' in audit
    assert "IAF MD 5 band 26\u201345 employees: 4 initial audit days" in audit
    rows = proposed_rows(html)
    expected = estimate_budget(INPUTS)
    assert len(rows) == len(expected.lines)
    stage1 = next(row for row in rows if "initial audit, stage 1" in row)
    assert "1,800.00 USD" in stage1  # 1.5 days x 1,200
    assert "1.5 days \u00d7 1,200.00 a day" in stage1
    assert all("checked" in row for row in rows)  # all ticked by default
    assumptions = [row for row in rows if "ASSUMPTION</span>" in row]
    assert len(assumptions) == sum(line.assumption for line in expected.lines) > 0
    assert all("Assumption: " in row and "#internal-time" in row for row in assumptions)
    assert "next certificate cycle" in next(row for row in rows if "recertification audit, year 3" in row)


def test_an_employee_count_beyond_the_table_says_it_follows_the_progression(client, owner, tree):
    set_employees(tree, 12000)
    html = client.post(url(tree["project"]), data=RATES).get_data(as_text=True)
    audit = html[html.index('id="audit-days"') :][:1500]
    assert 'data-method="progression"' in audit
    assert "beyond the IAF MD 5 table: documented progression" in audit
    assert "The IAF MD 5 table ends at 10700 employees" in audit


def test_a_count_in_the_md9_gap_says_it_is_interpolated(client, owner, make, tree):
    project = make.project(make.site(tree["client"], employee_count=500), "iso13485")
    html = client.post(url(project), data=RATES).get_data(as_text=True)
    assert 'data-method="interpolated"' in html
    assert "row is missing from the IAF MD 9 table" in html


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("cb_day_rate", "abc", "is not an amount"),
        ("cb_day_rate", "", "Certification body day rate is required."),
        ("staff_hourly_cost", "-25", "Staff hourly cost cannot be negative"),
        ("consultant_day_rate", "", "Enter the consultant&#39;s day rate, or choose no consultant."),
        ("consultant_model", "premium", "Choose none, light or full."),
        ("auditor_course_fee", "1,5", "use a point for decimals"),
    ],
)
def test_bad_rates_are_refused_beside_their_field(client, owner, tree, field, typed, message):
    response = client.post(url(tree["project"]), data=RATES | {field: typed})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = re.search(rf'id="{field}-errors"[^>]*>(.*?)</div>\s*</div>', html, re.S)
    assert errors and message in errors.group(1)
    assert 'id="proposed-lines"' not in html


def test_no_consultant_needs_no_consultant_rate(client, owner, tree):
    data = RATES | {"consultant_model": "none", "consultant_day_rate": ""}
    html = client.post(url(tree["project"]), data=data).get_data(as_text=True)
    assert 'id="proposed-lines"' in html and "Consultant: gap analysis" not in html


@pytest.mark.parametrize(
    ("employees", "rates", "message"),
    [
        (0, RATES, "must be at least 1"),
        (30, RATES | {"cb_day_rate": "999999999999999"}, "would exceed the largest amount"),
    ],
)
def test_inputs_the_estimator_cannot_use_are_explained(client, owner, tree, employees, rates, message):
    set_employees(tree, employees)
    response = client.post(url(tree["project"]), data=rates)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in text_between(html, 'id="estimate-refused"', "</div>")
    assert client.post(url(tree["project"], "/accept"), data=rates | {"line": ["0"]}).status_code == 422
    assert lines(tree["project"]) == []


def text_between(html: str, start: str, end: str) -> str:
    assert start in html, start
    rest = html[html.index(start) :]
    return rest[: rest.index(end)]


def test_accepting_creates_only_the_ticked_lines_with_their_basis(client, owner, tree):
    project = tree["project"]
    expected = estimate_budget(INPUTS).lines
    response = client.post(url(project, "/accept"), data=RATES | {"line": ["0", "2", "99", "x"]})
    assert response.status_code == 303
    created = lines(project)
    assert [(r.description, r.stage, r.category, r.planned, r.basis) for r in created] == [
        (p.description, p.stage, p.category, p.planned, p.basis) for p in (expected[0], expected[2])
    ]
    assert all(row.actual is None for row in created)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 estimated lines added to the budget." in page


def test_cycle_lines_are_dated_after_the_target_and_project_lines_at_their_stage_end(client, owner, tree):
    project = tree["project"]
    db.session.execute(
        update(ProjectStage)
        .where(ProjectStage.project_id == project.id, ProjectStage.key == "external_audit")
        .values(planned_end=date(2027, 5, 31))
    )
    db.session.commit()
    count = len(estimate_budget(INPUTS).lines)
    client.post(url(project, "/accept"), data=RATES | {"line": [str(n) for n in range(count)]})
    dated = {row.description: row.spent_on for row in lines(project)}
    assert len(dated) == count
    assert dated["Certification body: initial audit, stage 2"] == date(2027, 5, 31)
    assert dated["Certification body: surveillance audit, year 1"] == date(2028, 6, 30)
    assert dated["Certification body: surveillance audit, year 2"] == date(2029, 6, 30)
    assert dated["Certification body: recertification audit, year 3 (next cycle)"] == date(2030, 6, 30)
    assert dated["QMS lead time"] is None  # the documentation stage has no planned end


def test_a_rerun_marks_accepted_lines_and_accepting_again_adds_no_duplicate(client, owner, tree):
    project = tree["project"]
    client.post(url(project, "/accept"), data=RATES | {"line": ["0", "1"]})
    html = client.post(url(project), data=RATES).get_data(as_text=True)
    rows = proposed_rows(html)
    existing = [row for row in rows if 'data-existing="yes"' in row]
    assert len(existing) == 2 and all("already in the budget" in row for row in existing)
    assert all("checked" not in row for row in existing)
    assert all("checked" in row for row in rows if row not in existing)
    assert "2 proposed lines are" in html
    response = client.post(
        url(project, "/accept"), data=RATES | {"line": ["0", "1", "2"]}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert (
        "Not added again, already in the budget: Consultant: gap analysis; Consultant: implementation" in page
    )
    assert "1 estimated line added" in page
    assert [row.description for row in lines(project)] == [
        "Consultant: gap analysis",
        "Consultant: implementation support",
        "QMS lead time",
    ]


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_readers_may_run_the_estimator_but_not_accept(client, make, tree, role):
    login(client, make.user(tree["workspace"], role=role))
    html = client.post(url(tree["project"]), data=RATES).get_data(as_text=True)
    assert 'id="proposed-lines"' in html and "Accept ticked lines" not in html
    assert client.post(url(tree["project"], "/accept"), data=RATES | {"line": ["0"]}).status_code == 403
    assert lines(tree["project"]) == []


def test_another_workspaces_estimator_is_not_found(client, make, tree):
    theirs = make.tree()
    login(client, make.user(tree["workspace"]))
    assert client.get(url(theirs["project"])).status_code == 404
    assert client.post(url(theirs["project"]), data=RATES).status_code == 404
    assert client.post(url(theirs["project"], "/accept"), data=RATES | {"line": ["0"]}).status_code == 404
    assert lines(theirs["project"]) == []


def test_every_basis_is_plain_words_and_links_a_source_on_the_sources_page(client, owner, make, tree):
    sources = client.get(f"/projects/{tree['project'].id}/budget/sources")
    assert sources.status_code == 200
    page = sources.get_data(as_text=True)
    anchors = set(re.findall(r'<section class="card mb-3 cost-source" id="([^"]+)"', page))
    assert {"iaf-md5", "iaf-md9", "audit-cycle", "consultant-days", "internal-time"} <= anchors
    assert "IAF MD 5:2019" in page and "7 May 2020" in page and "RAPS" in page and "2011" in page
    assert "costs.md" not in page
    thirteen = make.project(make.site(tree["client"], employee_count=500), "iso13485")
    for project in (tree["project"], thirteen):
        html = client.post(url(project), data=RATES).get_data(as_text=True)
        rows = proposed_rows(html)
        assert rows
        for row in rows:
            basis = row[row.index('class="small budget-basis"') :]
            for jargon in ("costs.md", "round_half", "(s)"):
                assert jargon not in basis, (jargon, basis)
            links = re.findall(r'href="/projects/\d+/budget/sources#([^"]+)"', basis)
            assert links and set(links) <= anchors, basis
        audit = html[html.index('id="audit-days"') :][:1500]
        assert "costs.md" not in audit
        assert re.search(r'href="/projects/\d+/budget/sources#iaf-md[59]"', audit)
        assert "costs.md" not in html[html.index('id="estimate-notes"') :]


def test_one_process_owner_is_not_written_owner_s(client, owner, tree):
    set_employees(tree, 8)
    html = client.post(url(tree["project"]), data=RATES).get_data(as_text=True)
    assert "1 process owner (one per 10 staff)" in html
    assert "owner(s)" not in html
