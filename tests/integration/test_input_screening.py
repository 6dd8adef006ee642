"""No input is a server error: a NUL character anywhere, ids past 32 bits, digits that are not ASCII
(security review D8, D13). Each is refused with a clear message, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, Client
from tests.factories import login


def bearer_for(make, tree) -> dict[str, str]:
    from app.models import Membership
    from app.services import tokens

    user = make.user(tree["workspace"], role="owner")
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    created = tokens.create(membership.id, "fuzz")
    db.session.commit()
    return {"Authorization": f"Bearer {created.secret}"}


def test_a_nul_in_the_logged_out_login_form_is_refused(client):
    response = client.post("/login", data={"email": "a\x00b@example.com", "password": "x"})
    assert response.status_code == 422
    assert "NUL character" in response.get_data(as_text=True)


def test_a_nul_in_a_search_is_refused(client, owner):
    response = client.get("/clients?q=%00")
    assert response.status_code == 422


@pytest.mark.parametrize("field", ["name", "contact_name", "notes"])
def test_a_nul_in_a_form_field_saves_nothing(client, owner, tree, field):
    data = {"name": "Acme", "country": "VN", "contact_name": "", "contact_email": "", "notes": ""}
    data[field] = "bad\x00value"
    response = client.post("/clients/new", data=data)
    assert response.status_code == 422
    assert field in response.get_data(as_text=True)
    assert db.session.execute(select(Client).where(Client.name == "Acme")).first() is None


def test_a_nul_in_a_path_is_refused(client, owner, tree):
    assert client.get(f"/projects/{tree['project'].id}/requirements/7.1%005.1").status_code == 422


def test_a_nul_in_an_api_json_body_is_a_json_422(client, make, tree):
    headers = bearer_for(make, tree)
    url = f"/api/v1/projects/{tree['project'].id}/requirements/7.1.5.1"
    response = client.patch(url, json={"notes": "a\x00b"}, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"notes": "Remove the NUL character."}
    notes = db.session.execute(select(Assessment.notes)).scalars().all()
    assert not any("\x00" in note for note in notes)


def test_a_nul_in_an_api_query_is_a_json_422(client, make, tree):
    headers = bearer_for(make, tree)
    response = client.get(f"/api/v1/projects/{tree['project'].id}/evidence?clause=%00", headers=headers)
    assert response.status_code == 422
    assert response.is_json


@pytest.mark.parametrize("task", ["2147483648", "2265537990", "9999999999"])
def test_a_task_id_past_32_bits_is_refused_not_a_server_error(client, make, tree, task):
    headers = bearer_for(make, tree)
    url = f"/api/v1/projects/{tree['project'].id}/evidence"
    assert client.get(f"{url}?task={task}", headers=headers).status_code == 422
    response = client.post(url, data={"title": "x", "note": "n", "task": task}, headers=headers)
    assert response.status_code == 422


def test_a_task_id_past_32_bits_in_the_evidence_form_is_refused(client, owner, tree):
    response = client.post(
        f"/projects/{tree['project'].id}/evidence/new",
        data={"kind": "note", "title": "x", "note": "n", "task": "2265537990"},
    )
    assert response.status_code == 422


def test_logged_in_pages_are_not_kept_in_caches(client, owner):
    parts = {part.strip() for part in client.get("/clients").headers["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= parts
    static = client.get("/static/css/app.css")
    static.close()  # a file response: close it, as a server would
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_logged_out_pages_may_be_cached(client):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


def test_a_method_not_allowed_says_which_are(client):
    response = client.delete("/login")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_login_page_still_works_after_screening(client, make):
    user = make.user()
    login(client, user)
