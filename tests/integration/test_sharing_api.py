"""The share-link API: list, create (the token once), read, revoke; refusals as JSON naming the field;
another workspace's or client's ids not found; viewers refused; every answer as the OpenAPI document says."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ShareLink
from tests.integration.evidence_support import MemberClient
from tests.integration.test_api import API, assert_error, bearer, check, documented, token_for
from tests.qr_reading import qr_text
from tests.sharing_samples import add_audit, add_body, add_certificate, add_link

LINKS = f"{API}/share-links"
TODAY = date.today()


@pytest.fixture
def certificate(tree: dict[str, Any]) -> Any:
    return add_certificate(tree["project"])


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="owner")))


def count_links() -> int:
    return db.session.execute(select(func.count(ShareLink.id))).scalar_one()


def test_creating_a_link_answers_its_token_once_and_the_page_opens(app, client, headers, certificate):
    body = {"certificate_id": certificate.id, "label": "Buyer: Acme GmbH", "expires_on": None}
    response = client.post(LINKS, json=body, headers=headers)
    assert response.status_code == 201, response.json
    check(response.json, documented("/api/v1/share-links", "post", 201))
    found = response.json
    token = found["token"]
    assert found["page_url"] == f"http://localhost/check/{token}"
    assert found["qr_png"] == f"http://localhost/check/{token}/qr.png"
    assert found["target"] == {
        "type": "certificate", "certificate_id": certificate.id, "certificate_number": certificate.number,
        "project_id": None,
    }  # fmt: skip
    assert found["state"] == "active" and found["expires_on"] is None and found["revoked_at"] is None
    assert "no-store" in response.headers["Cache-Control"]
    row = db.session.get(ShareLink, found["id"])
    assert row is not None and row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert found["fingerprint"] == row.token_hash[:8]

    buyer = MemberClient(app, app.response_class)
    assert buyer.get(f"/check/{token}").status_code == 200
    assert qr_text(buyer.get(f"/check/{token}/qr.png").data) == found["page_url"]

    one = client.get(found["url"], headers=headers)
    assert one.status_code == 200 and "token" not in one.json
    check(one.json, documented("/api/v1/share-links/{share_link_id}", "get"))
    listed = client.get(LINKS, headers=headers)
    check(listed.json, documented("/api/v1/share-links", "get"))
    assert [item["id"] for item in listed.json["items"]] == [found["id"]] and token not in listed.text


def test_revoking_closes_the_page_and_is_answered_with_the_link(app, client, headers, certificate):
    created = add_link(certificate)
    response = client.post(f"{LINKS}/{created.row.id}/revoke", headers=headers)
    assert response.status_code == 200
    check(response.json, documented("/api/v1/share-links/{share_link_id}/revoke", "post"))
    assert response.json["state"] == "revoked" and response.json["revoked_at"]
    assert MemberClient(app, app.response_class).get(f"/check/{created.token}").status_code == 404
    again = client.post(f"{LINKS}/{created.row.id}/revoke", headers=headers)
    assert again.status_code == 200 and again.json["revoked_at"] == response.json["revoked_at"]


def test_an_expiry_is_answered_as_the_last_day(client, headers, certificate):
    last = TODAY + timedelta(days=30)
    body = {"certificate_id": certificate.id, "label": "Fair", "expires_on": last.isoformat()}
    response = client.post(LINKS, json=body, headers=headers)
    assert response.status_code == 201 and response.json["expires_on"] == last.isoformat()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": ""}, "label"),
        ({"label": "x" * 121}, "label"),
        ({"expires_on": (TODAY - timedelta(days=1)).isoformat()}, "expires_on"),
        ({"expires_on": "2026-02-30"}, "expires_on"),
        ({"expires_on": "next week"}, "expires_on"),
        ({"certificate_id": None}, "certificate_id"),
        ({"project_id": 1}, "certificate_id"),  # both
        ({"certificate_id": "1"}, "certificate_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(client, headers, certificate, body, field):
    sent = {"certificate_id": certificate.id, "label": "Buyer"} | body
    error = assert_error(client.post(LINKS, json=sent, headers=headers), 422)
    assert field in error["fields"], error
    assert count_links() == 0


def test_a_body_that_is_not_json_is_refused(client, headers):
    assert_error(client.post(LINKS, data="x", headers=headers), 415)
    assert_error(client.post(LINKS, data="{", content_type="application/json", headers=headers), 400)


def test_a_progress_link_needs_the_project_to_show_its_progress(client, headers, tree):
    project = tree["project"]
    body = {"project_id": project.id, "label": "Prospect"}
    error = assert_error(client.post(LINKS, json=body, headers=headers), 422)
    assert "does not show its progress" in error["fields"]["project_id"]
    project.show_progress_to_buyers = True
    db.session.commit()
    add_audit(project, "stage2", TODAY + timedelta(days=40), False, body_id=add_body(project.workspace_id).id)
    created = client.post(LINKS, json=body, headers=headers)
    assert created.status_code == 201
    assert created.json["target"] == {
        "type": "progress", "certificate_id": None, "certificate_number": None, "project_id": project.id,
    }  # fmt: skip
    add_certificate(project)
    error = assert_error(client.post(LINKS, json=body, headers=headers), 422)
    assert "holds a valid certificate" in error["fields"]["project_id"]


def test_another_workspaces_ids_are_not_found(client, headers, make, certificate):
    theirs = make.tree()
    their_certificate = add_certificate(theirs["project"])
    their_link = add_link(their_certificate, "Theirs")
    theirs["project"].show_progress_to_buyers = True
    db.session.commit()
    for body in ({"certificate_id": their_certificate.id}, {"project_id": theirs["project"].id}):
        assert_error(client.post(LINKS, json=body | {"label": "Mine"}, headers=headers), 404)
    assert_error(client.get(f"{LINKS}/{their_link.row.id}", headers=headers), 404)
    assert_error(client.post(f"{LINKS}/{their_link.row.id}/revoke", headers=headers), 404)
    assert client.get(LINKS, headers=headers).json == {"items": [], "total": 0}
    db.session.refresh(their_link.row)
    assert their_link.row.revoked_at is None and count_links() == 1


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_viewers_and_contributors_read_but_cannot_create_or_revoke(client, make, tree, certificate, role):
    created = add_link(certificate)
    headers = bearer(token_for(make.user(tree["workspace"], role=role)))
    assert client.get(LINKS, headers=headers).json["total"] == 1
    body = {"certificate_id": certificate.id, "label": "Sneaky"}
    assert_error(client.post(LINKS, json=body, headers=headers), 403)
    assert_error(client.post(f"{LINKS}/{created.row.id}/revoke", headers=headers), 403)
    assert count_links() == 1


def test_a_client_manager_sees_only_the_links_of_their_clients(client, make, tree, certificate):
    mine = add_link(certificate, "Mine")
    other = make.tree(tree["workspace"])
    others = add_link(add_certificate(other["project"]), "Other client")
    headers = bearer(token_for(make.user(tree["workspace"], role="client_manager", clients=[tree["client"]])))
    assert [item["id"] for item in client.get(LINKS, headers=headers).json["items"]] == [mine.row.id]
    assert_error(client.get(f"{LINKS}/{others.row.id}", headers=headers), 404)
    assert client.get(f"{LINKS}/{mine.row.id}", headers=headers).status_code == 200


def test_the_api_needs_a_token_and_no_csrf_token(app, client, headers, certificate):
    assert_error(client.get(LINKS), 401)
    app.config["WTF_CSRF_ENABLED"] = True
    body = {"certificate_id": certificate.id, "label": "With CSRF on"}
    assert client.post(LINKS, json=body, headers=headers).status_code == 201
