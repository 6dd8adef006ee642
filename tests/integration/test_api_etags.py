"""The API's single objects carry an ETag, and a PATCH based on a stale one is refused with 412 instead of
silently overwriting a change made meanwhile (security review D4)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, Membership
from app.services import tokens


@pytest.fixture
def token(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    user = make.user(tree["workspace"], role="owner")
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    created = tokens.create(membership.id, "etags")
    db.session.commit()
    return {"Authorization": f"Bearer {created.secret}"}


def url(tree: dict[str, Any], clause: str = "7.1.5.1") -> str:
    return f"/api/v1/projects/{tree['project'].id}/requirements/{clause}"


def test_a_requirement_has_an_etag_that_moves_when_it_changes(client, tree, token):
    first = client.get(url(tree), headers=token)
    assert first.status_code == 200 and first.headers["ETag"]
    saved = client.patch(
        url(tree), json={"status": "met"}, headers={**token, "If-Match": first.headers["ETag"]}
    )
    assert saved.status_code == 200
    assert saved.headers["ETag"] != first.headers["ETag"]
    assert client.get(url(tree), headers=token).headers["ETag"] == saved.headers["ETag"]


def test_a_patch_on_a_stale_etag_is_412_and_keeps_the_other_change(client, tree, token):
    etag = client.get(url(tree), headers=token).headers["ETag"]
    assert (
        client.patch(url(tree), json={"notes": "first"}, headers={**token, "If-Match": etag}).status_code
        == 200
    )
    stale = client.patch(url(tree), json={"notes": "second"}, headers={**token, "If-Match": etag})
    assert stale.status_code == 412
    assert "GET it again" in stale.get_json()["error"]["message"]
    db.session.expire_all()
    notes = db.session.execute(select(Assessment.notes).where(Assessment.notes != "")).scalars().all()
    assert notes == ["first"]


def test_a_patch_without_if_match_still_works(client, tree, token):
    assert client.patch(url(tree), json={"owner": "Ms Lan"}, headers=token).status_code == 200


def test_an_unchanged_object_is_not_sent_again(client, tree, token):
    for path in (url(tree), f"/api/v1/projects/{tree['project'].id}"):
        first = client.get(path, headers=token)
        assert first.headers["ETag"]
        again = client.get(path, headers={**token, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""


def test_the_document_names_the_etag_and_if_match(client):
    document = client.get("/api/v1/openapi.json").get_json()
    patch = document["paths"]["/api/v1/projects/{project_id}/requirements/{clause}"]["patch"]
    assert "412" in patch["responses"]
    assert any(parameter["name"] == "If-Match" for parameter in patch["parameters"])
    assert "ETag" in patch["responses"]["200"]["headers"]
