"""Factory sites of a client: create, show, edit, and each refusal of the site form."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Site
from tests.factories import login
from tests.html import field_errors, input_value


def textarea_value(response: Any, name: str) -> str:
    match = re.search(rf'<textarea[^>]*\bname="{name}"[^>]*>(.*?)</textarea>', response.text, re.S)
    assert match, f"no textarea named {name}"
    return unescape(match.group(1)).strip()


def selected_value(response: Any, name: str) -> str | None:
    html = response.text
    options = re.search(rf'<select[^>]*\bname="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert options, f"no select named {name}"
    chosen = re.search(r'<option[^>]*\bselected\b[^>]*\bvalue="([^"]*)"', options.group(1))
    return chosen.group(1) if chosen else None


def site_count() -> int:
    return db.session.execute(select(func.count()).select_from(Site)).scalar_one()


@pytest.fixture
def owned_client(client: Any, make: Any) -> Any:
    """A client (registered in Thailand) of a workspace whose owner is logged in."""
    workspace = make.workspace()
    login(client, make.user(workspace, role="owner"))
    return make.client(workspace, name="Bangkok Sachets", country="TH")


def site_data(**changes: str) -> dict[str, str]:
    return {
        "name": "Samut Prakan plant",
        "address": "99 Moo 4, Bang Phli\nSamut Prakan 10540",
        "country": "TH",
        "employee_count": "85",
        "products": "Sachets for instant coffee",
        "scope_statement": "Manufacture of laminated sachets",
    } | changes


def test_new_site_form_starts_with_the_clients_country(client, owned_client):
    response = client.get(f"/clients/{owned_client.id}/sites/new")
    assert response.status_code == 200
    assert selected_value(response, "country") == "TH"


def test_create_site_saves_it_and_shows_its_page(client, owned_client):
    response = client.post(f"/clients/{owned_client.id}/sites/new", data=site_data())
    assert response.status_code == 302
    site = db.session.execute(select(Site)).scalar_one()
    assert response.headers["Location"] == f"/sites/{site.id}"
    assert (site.client_id, site.workspace_id) == (owned_client.id, owned_client.workspace_id)
    assert (site.name, site.country, site.employee_count) == ("Samut Prakan plant", "TH", 85)
    assert site.address == "99 Moo 4, Bang Phli\nSamut Prakan 10540"

    page = client.get(f"/sites/{site.id}").text
    for shown in ("Samut Prakan plant", "Thailand", "85", "Sachets for instant coffee", "Bangkok Sachets"):
        assert shown in page
    assert "No project yet" in page
    assert f'href="/sites/{site.id}/projects/new"' in page


def test_the_site_appears_on_its_clients_page(client, owned_client):
    client.post(f"/clients/{owned_client.id}/sites/new", data=site_data())
    page = client.get(f"/clients/{owned_client.id}").text
    assert "Samut Prakan plant" in page
    assert "85 employees" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Enter a number of employees from 1 to 1,000,000."),
        ("-3", "Enter a number of employees from 1 to 1,000,000."),
        ("1000001", "Enter a number of employees from 1 to 1,000,000."),
        ("abc", "Not a valid integer value."),
        ("12.5", "Not a valid integer value."),
        ("", "Enter the number of employees (a whole number)."),
    ],
)
def test_create_site_refuses_a_bad_employee_count_and_keeps_the_typing(client, owned_client, typed, message):
    response = client.post(f"/clients/{owned_client.id}/sites/new", data=site_data(employee_count=typed))
    assert response.status_code == 200
    assert message in field_errors(response, "employee_count")
    assert input_value(response, "employee_count") in ((typed,) if typed else ("", None))
    assert input_value(response, "name") == "Samut Prakan plant"
    assert textarea_value(response, "address") == "99 Moo 4, Bang Phli\nSamut Prakan 10540"
    assert selected_value(response, "country") == "TH"
    assert site_count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "Enter the site name, as on the certificate."),
        ({"address": "  \n "}, "address", "Enter the full address of the site."),
        ({"country": ""}, "country", "Choose the country."),
        ({"country": "QQ"}, "country", "Choose a country from the list."),
        ({"products": "x" * 2001}, "products", "Field cannot be longer than 2000 characters."),
    ],
)
def test_create_site_refuses_each_bad_field(client, owned_client, changes, field, message):
    response = client.post(f"/clients/{owned_client.id}/sites/new", data=site_data(**changes))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert input_value(response, "employee_count") == "85"
    assert site_count() == 0


def test_site_of_unknown_client_is_404(client, owned_client):
    assert client.get("/clients/999999/sites/new").status_code == 404
    assert client.post("/clients/999999/sites/new", data=site_data()).status_code == 404
    assert site_count() == 0


def test_edit_site_shows_current_values_and_saves_changes(client, make, owned_client):
    site = make.site(owned_client, name="Old name", employee_count=30)
    form = client.get(f"/sites/{site.id}/edit")
    assert input_value(form, "name") == "Old name"
    assert input_value(form, "employee_count") == "30"

    data = site_data(employee_count="120", version=input_value(form, "version"))
    response = client.post(f"/sites/{site.id}/edit", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sites/{site.id}"
    db.session.refresh(site)
    assert (site.name, site.employee_count, site.client_id) == ("Samut Prakan plant", 120, owned_client.id)


def test_edit_site_refuses_bad_input_and_changes_nothing(client, make, owned_client):
    site = make.site(owned_client, name="Old name", employee_count=30)
    response = client.post(f"/sites/{site.id}/edit", data=site_data(employee_count="0", address=""))
    assert response.status_code == 200
    assert field_errors(response, "employee_count") == ["Enter a number of employees from 1 to 1,000,000."]
    assert field_errors(response, "address") == ["Enter the full address of the site."]
    assert input_value(response, "employee_count") == "0"
    db.session.expire_all()
    assert (site.name, site.employee_count, site.address) == ("Old name", 30, "1 Factory Road")


def test_show_unknown_site_is_404(client, owned_client):
    assert client.get("/sites/999999").status_code == 404
    assert client.get("/sites/999999/edit").status_code == 404
