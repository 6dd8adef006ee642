"""Budget pages: lines with roll-ups and forecast, adding, editing and deleting a line, refusals, roles."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import BudgetLine
from tests.factories import login
from tests.querycount import count_queries

D = Decimal
VALID = {
    "stage": "training",
    "category": "training",
    "description": "Internal-auditor course",
    "vendor": "QA Academy",
    "planned": "1,200.50",
    "actual": "",
    "spent_on": "2026-09-15",
}


def add(project: Any, **fields: Any) -> BudgetLine:
    """A line of ``project`` (a project or its id), as if typed in."""
    values = {"stage": "training", "category": "training", "description": "Line", "planned": D(100)} | fields
    row = BudgetLine(project_id=project if isinstance(project, int) else project.id, **values)
    db.session.add(row)
    db.session.commit()
    return row


def lines(project: Any) -> list[BudgetLine]:
    db.session.expire_all()
    stmt = select(BudgetLine).where(BudgetLine.project_id == project.id).order_by(BudgetLine.id)
    return list(db.session.execute(stmt).scalars())


def text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, element_id
    return match.group(1).strip()


def url(project: Any, rest: str = "") -> str:
    return f"/projects/{project.id}/budget{rest}"


# The page


def test_an_empty_budget_says_how_to_start(client, owner, tree):
    html = client.get(url(tree["project"])).get_data(as_text=True)
    assert 'id="no-lines"' in html and "estimator" in html
    assert text_of(html, "total-planned") == "0.00 USD"


def test_the_page_shows_lines_rollups_forecast_and_flags_overspend(client, owner, tree):
    """Hand-worked: planned 1,000 + 500 + 3,000 = 4,500; actual 1,200 + 540 = 1,740 (38.7%);
    forecast 1,200 + 540 + 3,000 = 4,740; only the consultant line is more than 10% over."""
    project = tree["project"]
    consultant = add(project, stage="gap_analysis", category="consultant", description="Gap analysis days",
                     planned=D(1000), actual=D(1200))  # fmt: skip
    course = add(project, description="Awareness course", planned=D(500), actual=D(540))
    add(
        project, stage="external_audit", category="certification_body", description="Stage 2", planned=D(3000)
    )
    html = client.get(url(project)).get_data(as_text=True)
    assert text_of(html, "total-planned") == "4,500.00 USD"
    assert text_of(html, "total-actual") == "1,740.00 USD"
    assert text_of(html, "total-variance") == "-2,760.00 USD"
    assert text_of(html, "forecast") == "4,740.00 USD"
    assert "38.7% of plan" in html
    assert re.search(rf'id="line-{consultant.id}"[^>]*data-overspent="yes"', html)
    assert re.search(rf'id="line-{course.id}"[^>]*data-overspent="no"', html)  # 8% over: not flagged
    assert "1 line overspent by more than 10%" in html
    by_stage = html[html.index('id="by-stage"') :]
    row = re.search(r'data-key="gap_analysis">(.*?)</tr>', by_stage, re.S)
    assert (
        row and "1,000.00 USD" in row.group(1) and "200.00 USD" in row.group(1) and "120.0%" in row.group(1)
    )
    by_category = html[html.index('id="by-category"') :]
    assert re.findall(r'data-key="(\w+)"', by_category) == ["certification_body", "consultant", "training"]


def test_lines_are_ordered_by_stage_then_undated_then_date(client, owner, tree):
    """Issue 16: a stage's undated lines (the stage 1 and 2 audits) before its dated ones (surveillance)."""
    project = tree["project"]
    late = add(project, stage="external_audit", description="Audit", spent_on=date(2027, 5, 1))
    undated = add(project, stage="training", description="Undated")
    second = add(project, stage="training", description="Second", spent_on=date(2026, 9, 1))
    first = add(project, stage="training", description="First", spent_on=date(2026, 6, 1))
    gap = add(project, stage="gap_analysis", description="Gap")
    html = client.get(url(project)).get_data(as_text=True)
    shown = [int(i) for i in re.findall(r'id="line-(\d+)"', html)]
    assert shown == [gap.id, undated.id, first.id, second.id, late.id]


def test_before_anything_is_spent_the_variance_says_so_not_a_negative(client, owner, tree):
    """Issue 16: a -20,941.50 variance before anything is spent read as an alarm."""
    project = tree["project"]
    add(project, stage="gap_analysis", category="consultant", planned=D("941.50"))
    add(project, stage="external_audit", category="certification_body", planned=D(20000))
    html = client.get(url(project)).get_data(as_text=True)
    assert text_of(html, "total-variance") == "Nothing spent yet"
    assert "20,941.50 USD still to spend" in html
    assert "-20,941.50" not in html and "-941.50" not in html and "-20,000.00" not in html
    assert html.count("nothing spent yet") == 2 * 3  # by stage: 2 rows and the total; by category the same
    add(project, stage="gap_analysis", category="consultant", planned=D(100), actual=D(50))
    html = client.get(url(project)).get_data(as_text=True)
    assert text_of(html, "total-variance") == "-20,991.50 USD"  # once something is spent, the figure
    by_stage = html[html.index('id="by-stage"') : html.index('id="by-category"')]
    assert "nothing spent yet" in by_stage and "-991.50 USD" in by_stage  # the audit still unspent


def test_the_roll_up_tables_each_have_the_full_width(client, owner, tree):
    """Issue 16: side by side at 1280 px they cut off the Spent column (tests/browser checks the widths)."""
    add(tree["project"])
    html = client.get(url(tree["project"])).get_data(as_text=True)
    assert html.count('<section class="mb-4 budget-rollup-block">') == 2 and "col-lg-6" not in html


def test_many_lines_are_paged_and_rolled_up_over_all_pages(client, owner, tree):
    project = tree["project"]
    for n in range(55):
        add(project, description=f"Line {n}", planned=D(10))
    first = client.get(url(project)).get_data(as_text=True)
    second = client.get(url(project, "?page=2")).get_data(as_text=True)
    assert len(re.findall(r'id="line-\d+"', first)) == 50
    assert len(re.findall(r'id="line-\d+"', second)) == 5
    assert text_of(second, "total-planned") == "550.00 USD"
    assert "Page 2 of 2" in second
    assert client.get(url(project, "?page=999")).status_code == 200  # the last page, not an error


def test_amounts_show_in_the_currency_minor_unit(client, owner, make, tree):
    vnd = make.project(make.site(tree["client"]), currency="VND")
    add(vnd, planned=D(1500000))
    html = client.get(url(vnd)).get_data(as_text=True)
    assert text_of(html, "total-planned") == "1,500,000 VND"


def test_the_page_runs_the_same_queries_for_3_and_30_lines(client, owner, tree):
    project_id = tree["project"].id
    page = f"/projects/{project_id}/budget"
    for n in range(3):
        add(project_id, description=f"Line {n}", actual=D(50))
    client.get(page)  # warm up, as a browser would have
    with count_queries() as few:
        assert client.get(page).status_code == 200
    for n in range(27):
        add(
            project_id,
            stage="documentation",
            description=f"More {n}",
            actual=D(200),
            spent_on=date(2026, 8, 1),
        )
    with count_queries() as many:
        assert client.get(page).status_code == 200
    assert len(few) == len(many), (few, many)


def test_the_project_page_links_to_the_budget(client, owner, tree):
    html = client.get(f"/projects/{tree['project'].id}").get_data(as_text=True)
    assert f'href="/projects/{tree["project"].id}/budget"' in html


# Adding, editing, deleting


def test_adding_a_line_reads_thousands_separators_and_rounds_to_the_minor_unit(client, owner, tree):
    project = tree["project"]
    response = client.post(url(project, "/lines/new"), data=VALID | {"actual": "10.005"})
    assert response.status_code == 303
    (row,) = lines(project)
    assert (row.planned, row.actual, row.spent_on) == (D("1200.50"), D("10.01"), date(2026, 9, 15))
    assert (row.description, row.vendor, row.basis) == ("Internal-auditor course", "QA Academy", "")
    assert response.headers["Location"].endswith(f"/budget#line-{row.id}")


def test_amounts_are_rounded_to_a_zero_decimal_currency(client, owner, make, tree):
    vnd = make.project(make.site(tree["client"]), currency="VND")
    assert client.post(url(vnd, "/lines/new"), data=VALID | {"planned": "1500000.5"}).status_code == 303
    assert lines(vnd)[0].planned == D(1500001)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("planned", "abc", "is not an amount"),
        ("planned", "1,5", "use a point for decimals"),
        ("planned", "-5", "Planned amount cannot be negative"),
        ("planned", "", "Planned amount is required."),
        ("planned", "1e3", "is not an amount"),
        ("planned", "9" * 30, "too large"),
        ("actual", "-0.01", "Actual amount cannot be negative"),
        ("actual", "ten", "is not an amount"),
        ("stage", "launch", "Unknown stage &#39;launch&#39;"),
        ("category", "bribes", "Unknown category &#39;bribes&#39;"),
        ("description", "", "Describe what the money is for."),
        ("spent_on", "2040-01-01", "more than four years after the project&#39;s target date"),
        ("spent_on", "2010-06-01", "more than a year before the project starts"),
        ("spent_on", "31/12/2026", "Not a valid date value."),
    ],
)
def test_each_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    client, owner, tree, field, typed, message
):
    response = client.post(url(tree["project"], "/lines/new"), data=VALID | {field: typed})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = re.search(rf'id="{field}-errors"[^>]*>(.*?)</div>\s*</div>', html, re.S)
    assert errors and message in errors.group(1), html[html.find("is-invalid") - 400 :][:1200]
    if field in ("planned", "actual", "description", "spent_on") and typed:
        assert f'value="{typed}"' in html  # what was typed is kept
    assert lines(tree["project"]) == []


def test_a_project_without_dates_still_refuses_absurd_years(client, owner, make, tree):
    undated = make.project(make.site(tree["client"]), target_date=None)
    response = client.post(url(undated, "/lines/new"), data=VALID | {"spent_on": "9999-12-31"})
    assert response.status_code == 422
    assert "Enter a date between 2000 and 2100." in response.get_data(as_text=True)
    assert client.post(url(undated, "/lines/new"), data=VALID | {"spent_on": "2035-01-01"}).status_code == 303


def test_editing_a_line_shows_its_amounts_and_saves_changes(client, owner, tree):
    project = tree["project"]
    row = add(project, planned=D("1200.5"), basis="costs.md 6")
    html = client.get(url(project, f"/lines/{row.id}")).get_data(as_text=True)
    assert 'value="1200.50"' in html and "costs.md 6" in html
    data = VALID | {"actual": "1,300", "version": str(row.version)}
    response = client.post(url(project, f"/lines/{row.id}"), data=data)
    assert response.status_code == 303
    (saved,) = lines(project)
    assert (saved.actual, saved.basis) == (D(1300), "costs.md 6")


def test_a_refused_edit_keeps_the_saved_line(client, owner, tree):
    project = tree["project"]
    row = add(project, planned=D(100))
    response = client.post(url(project, f"/lines/{row.id}"), data=VALID | {"planned": "-1"})
    assert response.status_code == 422
    assert lines(project)[0].planned == D(100)


def test_deleting_a_line(client, owner, tree):
    project = tree["project"]
    row = add(project)
    assert client.post(url(project, f"/lines/{row.id}/delete")).status_code == 303
    [kept] = lines(project)  # soft: an owner can restore it (tests/integration/test_deletion.py)
    assert kept.deleted_at is not None
    assert client.get(url(project, f"/lines/{row.id}")).status_code == 404


def test_a_line_of_another_project_is_not_found_through_this_one(client, owner, make, tree):
    other = add(make.project(make.site(tree["client"])))
    project = tree["project"]
    assert client.get(url(project, f"/lines/{other.id}")).status_code == 404
    assert client.post(url(project, f"/lines/{other.id}/delete")).status_code == 404
    assert client.get(url(project, "/lines/99999999999999999999")).status_code == 404


# Roles and workspaces


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_readers_see_the_budget_but_cannot_change_it(client, make, tree, role):
    project = tree["project"]
    row = add(project, description="Existing", planned=D(100))
    login(client, make.user(tree["workspace"], role=role))
    page = client.get(url(project))
    assert page.status_code == 200 and "Existing" in page.get_data(as_text=True)
    assert "Add line" not in page.get_data(as_text=True)
    detail = client.get(url(project, f"/lines/{row.id}"))
    assert detail.status_code == 200 and 'id="line-form"' not in detail.get_data(as_text=True)
    assert client.get(url(project, "/lines/new")).status_code == 403
    assert client.post(url(project, "/lines/new"), data=VALID).status_code == 403
    assert client.post(url(project, f"/lines/{row.id}"), data=VALID).status_code == 403
    assert client.post(url(project, f"/lines/{row.id}/delete")).status_code == 403
    (kept,) = lines(project)
    assert (kept.description, kept.planned) == ("Existing", D(100))


@pytest.mark.parametrize("role", ["consultant", "client_manager"])
def test_managers_may_change_the_budget(client, make, tree, role):
    login(client, make.user(tree["workspace"], role=role, clients=[tree["client"]]))
    assert client.post(url(tree["project"], "/lines/new"), data=VALID).status_code == 303
    assert len(lines(tree["project"])) == 1


def test_another_workspaces_budget_is_not_found(client, make, tree):
    theirs = make.tree()
    row = add(theirs["project"])
    login(client, make.user(tree["workspace"], role="owner"))
    project = theirs["project"]
    for method, path in [
        ("GET", ""),
        ("GET", "/lines/new"),
        ("POST", "/lines/new"),
        ("GET", f"/lines/{row.id}"),
        ("POST", f"/lines/{row.id}"),
        ("POST", f"/lines/{row.id}/delete"),
    ]:
        assert client.open(url(project, path), method=method, data=VALID).status_code == 404, path
    assert db.session.execute(select(func.count(BudgetLine.id))).scalar_one() == 1
