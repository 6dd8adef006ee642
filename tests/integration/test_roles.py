"""What each workspace role may see and change on the client, site and project pages.

Objects a user may see but not change answer 403; objects outside a client manager's named clients 404.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CertificationProject, Client, Site
from tests.factories import login


def counts() -> list[int]:
    """How many clients, sites and projects there are."""
    models = (Client, Site, CertificationProject)
    return [db.session.execute(select(func.count()).select_from(model)).scalar_one() for model in models]


def listed_names(response: Any) -> list[str]:
    html = response.text
    return [unescape(name) for name in re.findall(r'<td><a href="/clients/\d+">([^<]*)</a></td>', html)]


def change_forms(tree: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every create/edit form, with valid data to post to it."""
    client_data = {"name": "Renamed Co", "country": "VN"}
    site_data = {"name": "Renamed site", "address": "2 Road", "country": "VN", "employee_count": "40"}
    project_data = {"standard_id": str(tree["project"].standard_id), "currency": "EUR", "status": "on_hold"}
    return {
        "/clients/new": client_data,
        f"/clients/{tree['client'].id}/edit": client_data,
        f"/clients/{tree['client'].id}/sites/new": site_data,
        f"/sites/{tree['site'].id}/edit": site_data,
        f"/sites/{tree['site'].id}/projects/new": project_data,
        f"/projects/{tree['project'].id}/edit": project_data,
    }


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_read_only_roles_get_403_on_every_change_form(client, make, tree, role):
    login(client, make.user(tree["workspace"], role=role))
    before = counts()
    for url, data in change_forms(tree).items():
        assert client.get(url).status_code == 403, f"GET {url}"
        assert client.post(url, data=data).status_code == 403, f"POST {url}"
    assert counts() == before
    db.session.expire_all()
    assert tree["client"].name != "Renamed Co"
    assert tree["site"].name != "Renamed site"
    assert tree["project"].currency == "USD"


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_read_only_roles_see_the_pages_without_change_buttons(client, make, tree, role):
    login(client, make.user(tree["workspace"], role=role))
    pages = {
        "/clients": tree["client"].name,
        f"/clients/{tree['client'].id}": tree["site"].name,
        f"/sites/{tree['site'].id}": tree["site"].address,
        f"/projects/{tree['project'].id}": "ISO 9001:2015",
    }
    forbidden_links = [f'href="{url}"' for url in change_forms(tree)]
    for url, shown in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert shown in response.text, url
        assert [link for link in forbidden_links if link in response.text] == [], url


def test_owner_sees_the_change_buttons(client, make, tree):
    """The check above can fail: the same pages show the buttons to a role that may use them."""
    login(client, make.user(tree["workspace"], role="owner"))
    client_id, site_id, project_id = tree["client"].id, tree["site"].id, tree["project"].id
    links_by_page = {
        "/clients": ["/clients/new"],
        f"/clients/{client_id}": [f"/clients/{client_id}/edit", f"/clients/{client_id}/sites/new"],
        f"/sites/{site_id}": [f"/sites/{site_id}/edit", f"/sites/{site_id}/projects/new"],
        f"/projects/{project_id}": [f"/projects/{project_id}/edit"],
    }
    for page, links in links_by_page.items():
        html = client.get(page).text
        assert [link for link in links if f'href="{link}"' not in html] == [], page


def test_consultant_can_create_and_edit_clients(client, make, tree):
    login(client, make.user(tree["workspace"], role="consultant"))
    assert client.get("/clients/new").status_code == 200
    response = client.post("/clients/new", data={"name": "Penang Infusion Sdn Bhd", "country": "MY"})
    assert response.status_code == 302
    assert counts()[0] == 2
    data = {"name": "Renamed Co", "country": "VN", "version": str(tree["client"].version)}
    edit = client.post(f"/clients/{tree['client'].id}/edit", data=data)
    assert edit.status_code == 302


# Client manager


@pytest.fixture
def manager_of_one(client: Any, make: Any, tree: dict[str, Any]) -> dict[str, Any]:
    """A client manager named on ``tree``'s client, in a workspace that also has another client."""
    other = make.tree(tree["workspace"])
    login(client, make.user(tree["workspace"], role="client_manager", clients=[tree["client"]]))
    return {"mine": tree, "other": other}


def test_client_manager_lists_only_their_clients(client, manager_of_one):
    names = listed_names(client.get("/clients"))
    assert names == [manager_of_one["mine"]["client"].name]
    search = client.get("/clients", query_string={"q": manager_of_one["other"]["client"].name})
    assert listed_names(search) == []


def test_client_manager_gets_404_on_another_client_of_the_workspace(client, manager_of_one):
    other = manager_of_one["other"]
    for url in (
        f"/clients/{other['client'].id}",
        f"/clients/{other['client'].id}/edit",
        f"/sites/{other['site'].id}",
        f"/projects/{other['project'].id}",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/clients/{other['client'].id}/edit", data={"name": "Taken over", "country": "VN"}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert other["client"].name != "Taken over"


def test_client_manager_can_edit_their_client_and_add_sites_and_projects(client, manager_of_one):
    mine = manager_of_one["mine"]
    data = {"name": "Renamed Co", "country": "VN", "version": str(mine["client"].version)}
    response = client.post(f"/clients/{mine['client'].id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(mine["client"])
    assert mine["client"].name == "Renamed Co"

    site_data = {"name": "Second plant", "address": "3 Road", "country": "VN", "employee_count": "12"}
    response = client.post(f"/clients/{mine['client'].id}/sites/new", data=site_data)
    assert response.status_code == 302
    new_site = db.session.execute(select(Site).where(Site.name == "Second plant")).scalar_one()
    project_data = {"standard_id": str(mine["project"].standard_id), "currency": "USD"}
    assert client.post(f"/sites/{new_site.id}/projects/new", data=project_data).status_code == 302


def test_client_manager_cannot_create_clients(client, manager_of_one):
    before = counts()
    assert client.get("/clients/new").status_code == 403
    assert client.post("/clients/new", data={"name": "New Co", "country": "VN"}).status_code == 403
    assert counts() == before
    assert 'href="/clients/new"' not in client.get("/clients").text
