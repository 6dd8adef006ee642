"""Certification projects: start one for a site, show it, edit it (the standard stays fixed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import gates
from app.extensions import db
from app.models import CertificationBody, CertificationProject
from tests.factories import login
from tests.html import field_errors, input_value
from tests.integration.body_support import add_body

BODY = "Bureau Veritas Vietnam"


def project_count() -> int:
    return db.session.execute(select(func.count()).select_from(CertificationProject)).scalar_one()


@pytest.fixture
def standards(make: Any) -> dict[str, Any]:
    return make.standards()


@pytest.fixture
def site(client: Any, make: Any, standards: Any) -> Any:
    """A site of a workspace whose owner is logged in."""
    workspace = make.workspace()
    login(client, make.user(workspace, role="owner"))
    add_body(workspace, BODY, accreditation_body="UKAS")
    return make.site(make.client(workspace, name="Dong Nai Stoppers"), name="Bien Hoa plant")


def body_id(name: str = "Bureau Veritas Vietnam") -> int:
    return db.session.execute(select(CertificationBody.id).where(CertificationBody.name == name)).scalar_one()


def body_kept(response: Any) -> bool:
    """The body chosen is still chosen on the refused form."""
    return f'<option selected value="{body_id()}">{BODY}</option>' in response.text


def project_data(standards: dict[str, Any], **changes: str) -> dict[str, str]:
    return {
        "standard_id": str(standards["iso9001"].id),
        "target_date": "2027-09-30",
        "body_id": str(body_id()),
        "currency": "VND",
        "status": "planning",
    } | changes


def test_new_project_form_offers_both_standards(client, site, standards):
    response = client.get(f"/sites/{site.id}/projects/new")
    assert response.status_code == 200
    html = response.text
    for standard in standards.values():
        assert f'value="{standard.id}"' in html


def test_create_project_saves_it_and_shows_its_page(client, site, standards):
    response = client.post(f"/sites/{site.id}/projects/new", data=project_data(standards))
    assert response.status_code == 302
    project = db.session.execute(select(CertificationProject)).scalar_one()
    assert response.headers["Location"] == f"/projects/{project.id}"
    assert (project.site_id, project.client_id, project.workspace_id) == (
        site.id,
        site.client_id,
        site.workspace_id,
    )
    assert project.standard_id == standards["iso9001"].id
    assert (project.target_date, project.currency, project.status) == (date(2027, 9, 30), "VND", "planning")
    assert project.body_id == body_id()

    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.text
    for shown in ("ISO 9001:2015", "Bien Hoa plant", "Bureau Veritas Vietnam", "UKAS", "30 Sep 2027"):
        assert shown in html


def test_create_project_needs_only_standard_and_currency(client, site, standards):
    data = {"standard_id": str(standards["iso13485"].id), "currency": "USD"}
    response = client.post(f"/sites/{site.id}/projects/new", data=data)
    assert response.status_code == 302
    project = db.session.execute(select(CertificationProject)).scalar_one()
    assert (project.target_date, project.body_id, project.status) == (None, None, "planning")
    assert "Not chosen yet" in client.get(f"/projects/{project.id}").text


def far_future() -> str:
    return date(date.today().year + 11, 1, 1).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"standard_id": ""}, "standard_id", "Choose a standard from the list."),
        ({"standard_id": "999999"}, "standard_id", "Choose a standard from the list."),
        ({"standard_id": "iso9001"}, "standard_id", "Choose a standard from the list."),
        ({"target_date": "1999-12-31"}, "target_date", "Enter a date between 2000 and {latest}."),
        ({"target_date": far_future()}, "target_date", "Enter a date between 2000 and {latest}."),
        ({"target_date": "2027-02-30"}, "target_date", "Not a valid date value."),
        ({"currency": "ZZZ"}, "currency", "Choose a currency from the list."),
        ({"currency": ""}, "currency", "Choose a currency."),
        ({"status": "finished"}, "status", "Choose a status from the list."),
        ({"status": "certified"}, "status", gates.status_error("certified")),
        ({"body_id": "999999"}, "body_id", "Choose a certification body from the list."),
        ({"body_id": "abc"}, "body_id", "Choose a certification body from the list."),
    ],
)
def test_create_project_refuses_each_bad_field(client, site, standards, changes, field, message):
    data = project_data(standards, **changes)
    response = client.post(f"/sites/{site.id}/projects/new", data=data)
    assert response.status_code == 422
    assert message.format(latest=date.today().year + 10) in field_errors(response, field)
    if field != "body_id":
        assert body_kept(response)
    if field != "target_date":
        assert input_value(response, "target_date") == "2027-09-30"
    assert project_count() == 0


def test_target_dates_at_the_limits_are_accepted(client, make, site, standards):
    latest = date(date.today().year + 10, 12, 31).isoformat()
    first = client.post(
        f"/sites/{site.id}/projects/new", data=project_data(standards, target_date="2000-01-01")
    )
    assert first.status_code == 302
    data = project_data(standards, standard_id=str(standards["iso13485"].id), target_date=latest)
    assert client.post(f"/sites/{site.id}/projects/new", data=data).status_code == 302
    assert project_count() == 2


def test_a_second_project_for_the_same_standard_on_a_site_is_refused(client, make, site, standards):
    make.project(site, "iso9001")
    response = client.post(f"/sites/{site.id}/projects/new", data=project_data(standards))
    assert response.status_code == 422
    assert field_errors(response, "standard_id") == ["This site already has an ISO 9001:2015 project."]
    assert project_count() == 1


def test_the_same_standard_on_another_site_is_allowed(client, make, site, standards):
    make.project(make.site(site.client), "iso9001")
    response = client.post(f"/sites/{site.id}/projects/new", data=project_data(standards))
    assert response.status_code == 302
    assert project_count() == 2


def test_project_for_unknown_site_is_404(client, site, standards):
    assert client.get("/sites/999999/projects/new").status_code == 404
    assert client.post("/sites/999999/projects/new", data=project_data(standards)).status_code == 404
    assert client.get("/projects/999999").status_code == 404
    assert project_count() == 0


def test_project_appears_on_its_site_and_client_pages(client, make, site):
    project = make.project(site, "iso13485")
    for url in (f"/sites/{site.id}", f"/clients/{site.client_id}"):
        html = client.get(url).text
        assert f'href="/projects/{project.id}"' in html
        assert "ISO 13485:2016" in html


# Edit


def test_edit_project_shows_current_values_and_the_fixed_standard(client, make, site):
    tuv = add_body(site.workspace_id, "TÜV SÜD")
    project = make.project(site, "iso9001", body_id=tuv.id, target_date=date(2027, 6, 30))
    response = client.get(f"/projects/{project.id}/edit")
    assert response.status_code == 200
    assert f'<option selected value="{tuv.id}">TÜV SÜD</option>' in response.text
    assert input_value(response, "target_date") == "2027-06-30"
    html = response.text
    assert 'name="standard_id"' not in html
    assert "<strong>Standard:</strong> ISO 9001:2015" in html


def test_edit_project_saves_changes_but_keeps_the_standard(client, make, site, standards):
    project = make.project(site, "iso9001")
    data = project_data(
        standards,
        standard_id=str(standards["iso13485"].id),
        status="in_progress",
        version=str(project.version),
    )
    response = client.post(f"/projects/{project.id}/edit", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/projects/{project.id}"
    db.session.refresh(project)
    assert project.standard_id == standards["iso9001"].id
    assert (project.status, project.body.name, project.currency) == (
        "in_progress",
        "Bureau Veritas Vietnam",
        "VND",
    )
    assert project_count() == 1


def test_edit_project_refuses_bad_input_and_changes_nothing(client, make, site, standards):
    project = make.project(site, "iso9001", currency="USD", target_date=date(2027, 6, 30))
    data = project_data(standards, currency="ZZZ", target_date="1990-01-01")
    response = client.post(f"/projects/{project.id}/edit", data=data)
    assert response.status_code == 422
    assert field_errors(response, "currency") == ["Choose a currency from the list."]
    assert field_errors(response, "target_date") == [
        f"Enter a date between 2000 and {date.today().year + 10}."
    ]
    assert input_value(response, "target_date") == "1990-01-01"
    db.session.expire_all()
    assert (project.currency, project.target_date) == ("USD", date(2027, 6, 30))
