"""The client list, and creating, showing and editing a client."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Client
from tests.factories import login
from tests.html import field_errors, input_value


def client_count() -> int:
    return db.session.execute(select(func.count()).select_from(Client)).scalar_one()


def listed_names(response: Any) -> list[str]:
    html = response.text
    return [unescape(name) for name in re.findall(r'<td><a href="/clients/\d+">([^<]*)</a></td>', html)]


@pytest.fixture
def owner(client: Any, make: Any) -> Any:
    """A workspace whose owner is logged in."""
    workspace = make.workspace()
    login(client, make.user(workspace, role="owner"))
    return workspace


def client_data(**changes: str) -> dict[str, str]:
    return {
        "name": "Saigon Cork Co",
        "country": "VN",
        "contact_name": "Lan Nguyen",
        "contact_email": "lan@saigoncork.example",
        "notes": "Export to France",
    } | changes


# List


def test_empty_list_invites_adding_a_client(client, owner):
    response = client.get("/clients")
    assert response.status_code == 200
    html = response.text
    assert "No clients yet" in html
    assert 'href="/clients/new"' in html


def test_list_shows_only_this_workspaces_clients_with_counts(client, make, owner):
    make.standards()
    mine = make.client(owner, name="Saigon Cork Co")
    make.project(make.site(mine))
    make.site(mine)
    make.client(make.workspace(), name="Someone Else Ltd")
    response = client.get("/clients")
    assert listed_names(response) == ["Saigon Cork Co"]
    row = re.search(r"Saigon Cork Co</a></td>(.*?)</tr>", response.text, re.S).group(1)
    assert re.findall(r'<td class="text-end">(\d+)</td>', row) == ["2", "1"]


def test_search_filters_by_name_case_insensitively(client, make, owner):
    make.client(owner, name="Saigon Cork Co")
    make.client(owner, name="Bangkok Sachets")
    assert listed_names(client.get("/clients?q=CORK")) == ["Saigon Cork Co"]
    response = client.get("/clients?q=nothing-like-this")
    assert listed_names(response) == []
    assert "No client matches “nothing-like-this”" in response.text


def test_list_is_paginated_by_25(client, make, owner):
    for number in range(1, 31):
        make.client(owner, name=f"Factory {number:02d}")
    first = client.get("/clients")
    assert listed_names(first) == [f"Factory {n:02d}" for n in range(1, 26)]
    assert "Page 1 of 2" in first.text
    assert 'href="/clients?page=2' in first.text

    second = client.get("/clients?page=2")
    assert listed_names(second) == [f"Factory {n:02d}" for n in range(26, 31)]
    assert "Page 2 of 2" in second.text

    for bad in ("0", "-1", "abc"):
        assert listed_names(client.get(f"/clients?page={bad}"))[:1] == ["Factory 01"]


def test_a_page_past_the_end_does_not_claim_there_are_no_clients(client, make, owner):
    make.client(owner, name="Saigon Cork Co")
    response = client.get("/clients?page=5")
    assert response.status_code == 200
    assert "No clients yet" not in response.text
    assert "There is no page 5." in response.text


def test_pagination_keeps_the_search(client, make, owner):
    for number in range(1, 28):
        make.client(owner, name=f"Cork {number:02d}")
    make.client(owner, name="Sachets")
    first = client.get("/clients?q=cork")
    assert len(listed_names(first)) == 25
    assert 'href="/clients?page=2&amp;q=cork"' in first.text
    assert listed_names(client.get("/clients?q=cork&page=2")) == ["Cork 26", "Cork 27"]


# Create


def test_create_client_saves_it_and_shows_its_page(client, owner):
    response = client.post("/clients/new", data=client_data())
    assert response.status_code == 302
    saved = db.session.execute(select(Client)).scalar_one()
    assert response.headers["Location"] == f"/clients/{saved.id}"
    assert (saved.workspace_id, saved.name, saved.country) == (owner.id, "Saigon Cork Co", "VN")
    assert (saved.contact_name, saved.contact_email) == ("Lan Nguyen", "lan@saigoncork.example")

    page = client.get(response.headers["Location"]).text
    assert "Saigon Cork Co" in page
    assert "Viet Nam" in page or "Vietnam" in page
    assert "No sites yet" in page


def test_create_client_with_only_the_required_fields(client, owner):
    response = client.post("/clients/new", data={"name": "  Bangkok Sachets  ", "country": "TH"})
    assert response.status_code == 302
    saved = db.session.execute(select(Client)).scalar_one()
    assert (saved.name, saved.contact_name, saved.contact_email, saved.notes) == (
        "Bangkok Sachets",
        "",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the company name."),
        ({"name": "   "}, "name", "Enter the company name."),
        ({"name": "x" * 161}, "name", "Field cannot be longer than 160 characters."),
        ({"country": ""}, "country", "Choose the country."),
        ({"country": "XX"}, "country", "Choose a country from the list."),
        ({"contact_email": "lan-at-example"}, "contact_email", "Enter a valid email address."),
    ],
)
def test_create_client_refuses_bad_input_next_to_the_field(client, owner, changes, field, message):
    response = client.post("/clients/new", data=client_data(**changes))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert client_count() == 0
    assert input_value(response, "contact_name") == "Lan Nguyen"


def test_create_client_refuses_a_duplicate_name_in_the_same_workspace(client, make, owner):
    make.client(owner, name="Saigon Cork Co")
    response = client.post("/clients/new", data=client_data(name=" saigon cork co "))
    assert response.status_code == 200
    assert field_errors(response, "name") == ["This workspace already has a client with that name."]
    assert input_value(response, "name") == "saigon cork co"
    assert client_count() == 1


def test_the_same_name_is_allowed_in_another_workspace(client, make, owner):
    make.client(make.workspace(), name="Saigon Cork Co")
    response = client.post("/clients/new", data=client_data())
    assert response.status_code == 302
    assert client_count() == 2


# Show and edit


def test_show_client_lists_its_sites_and_projects(client, make, owner):
    make.standards()
    tree = make.tree(owner)
    page = client.get(f"/clients/{tree['client'].id}").text
    assert tree["site"].name in page
    assert f'href="/sites/{tree["site"].id}"' in page
    assert f'href="/projects/{tree["project"].id}"' in page
    assert "ISO 9001:2015" in page


def test_show_unknown_client_is_404(client, owner):
    assert client.get("/clients/999999").status_code == 404


def test_edit_client_shows_current_values_and_saves_changes(client, make, owner):
    existing = make.client(owner, name="Saigon Cork Co", contact_name="Lan")
    form = client.get(f"/clients/{existing.id}/edit")
    assert input_value(form, "name") == "Saigon Cork Co"
    assert input_value(form, "contact_name") == "Lan"

    data = client_data(name="Saigon Cork JSC", version=input_value(form, "version"))
    response = client.post(f"/clients/{existing.id}/edit", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/{existing.id}"
    db.session.refresh(existing)
    assert (existing.name, existing.contact_email) == ("Saigon Cork JSC", "lan@saigoncork.example")


def test_edit_client_may_keep_its_own_name_but_not_take_anothers(client, make, owner):
    existing = make.client(owner, name="Saigon Cork Co")
    make.client(owner, name="Bangkok Sachets")
    same = client.post(
        f"/clients/{existing.id}/edit", data=client_data(name="Saigon Cork Co", version=str(existing.version))
    )
    assert same.status_code == 302

    taken = client.post(
        f"/clients/{existing.id}/edit",
        data=client_data(name="BANGKOK SACHETS", version=str(existing.version)),
    )
    assert taken.status_code == 200
    assert field_errors(taken, "name") == ["This workspace already has a client with that name."]
    db.session.refresh(existing)
    assert existing.name == "Saigon Cork Co"


def test_edit_client_refuses_bad_input_and_changes_nothing(client, make, owner):
    existing = make.client(owner, name="Saigon Cork Co", country="VN")
    response = client.post(f"/clients/{existing.id}/edit", data=client_data(name="", country="ZZ"))
    assert response.status_code == 200
    assert field_errors(response, "name") == ["Enter the company name."]
    assert field_errors(response, "country") == ["Choose a country from the list."]
    db.session.expire_all()
    assert (existing.name, existing.country) == ("Saigon Cork Co", "VN")


def test_names_are_escaped_on_every_page(client, make, owner):
    hostile = make.client(owner, name='<script>alert("x")</script>')
    for url in ("/clients", f"/clients/{hostile.id}", f"/clients/{hostile.id}/edit"):
        html = client.get(url).text
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert" in html, url


def test_search_treats_percent_and_underscore_as_text(client, make):
    from tests.factories import login as log_in

    workspace = make.workspace()
    make.client(workspace, name="Cork 100% Ltd")
    make.client(workspace, name="Sachet Co")
    log_in(client, make.user(workspace))
    html = client.get("/clients?q=%25").get_data(as_text=True)
    assert "Cork 100% Ltd" in html and "Sachet Co" not in html
    assert "Sachet Co" not in client.get("/clients?q=_").get_data(as_text=True)
