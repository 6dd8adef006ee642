"""Personal API tokens: stored hashed, created and revoked on the account page or the command line."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, Membership, User
from app.models.base import utcnow
from app.services import tokens
from tests.factories import login

PROJECTS = "/api/v1/projects"


def membership_of(user: User) -> Membership:
    return db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def shown_token(response: Any) -> str | None:
    match = re.search(r'id="new-token"[^>]*value="([^"]*)"', response.text)
    return unescape(match.group(1)) if match else None


@pytest.fixture
def owner(make: Any) -> User:
    make.standards()
    return make.user(make.tree()["workspace"], role="owner")


# The service


def test_only_a_hash_and_a_short_prefix_are_stored(owner):
    created = tokens.create(membership_of(owner).id, "  ERP sync ")
    db.session.commit()
    row = db.session.execute(select(ApiToken)).scalar_one()
    assert created.secret.startswith("rdy_") and len(created.secret) >= 40
    assert row.token_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert row.prefix == created.secret[:12] and len(row.prefix) < len(created.secret) // 3
    assert row.name == "ERP sync"
    stored = [str(getattr(row, column.key)) for column in ApiToken.__table__.columns]
    assert not any(created.secret in value for value in stored)


def test_tokens_are_unique(owner):
    membership_id = membership_of(owner).id
    assert tokens.create(membership_id, "a").secret != tokens.create(membership_id, "b").secret


def test_authenticate_finds_the_membership_and_stamps_its_use(owner):
    membership = membership_of(owner)
    secret = tokens.create(membership.id, "x").secret
    db.session.commit()
    assert tokens.authenticate(secret + "x") is None
    assert tokens.authenticate("") is None
    assert tokens.authenticate(secret) == membership
    db.session.commit()
    row = db.session.execute(select(ApiToken)).scalar_one()
    assert row.last_used_at is not None


def test_last_used_is_kept_to_the_minute(owner):
    row = tokens.create(membership_of(owner).id, "x").row
    db.session.commit()
    now = utcnow()
    assert tokens.mark_used(row, now) is True
    assert tokens.mark_used(row, now + timedelta(seconds=59)) is False
    assert tokens.mark_used(row, now + timedelta(seconds=61)) is True
    assert row.last_used_at == now + timedelta(seconds=61)


def test_a_revoked_token_no_longer_authenticates(owner):
    created = tokens.create(membership_of(owner).id, "x")
    db.session.commit()
    tokens.revoke(created.row)
    db.session.commit()
    assert tokens.authenticate(created.secret) is None


# The account page


def test_account_page_creates_a_token_shown_once_that_works(client, owner):
    login(client, owner)
    page = client.get("/account")
    assert "API tokens" in page.text and "You have no API tokens" in page.text

    response = client.post("/account/tokens", data={"token-name": "ERP sync"})
    assert response.status_code == 200
    assert "no-store" in {part.strip() for part in response.headers["Cache-Control"].split(",")}
    secret = shown_token(response)
    assert secret and secret.startswith("rdy_")
    assert client.get(PROJECTS, headers=bearer(secret)).status_code == 200

    again = client.get("/account")
    assert secret not in again.text and shown_token(again) is None
    assert "ERP sync" in again.text and f"{secret[:12]}…" in again.text
    row = db.session.execute(select(ApiToken)).scalar_one()
    assert row.membership_id == membership_of(owner).id and row.last_used_at is not None


def test_account_page_refuses_a_token_without_a_name(client, owner):
    login(client, owner)
    response = client.post("/account/tokens", data={"token-name": "   "})
    assert response.status_code == 200
    assert "Name the token." in response.text and shown_token(response) is None
    assert db.session.execute(select(ApiToken)).first() is None


def test_revoking_on_the_account_page_makes_the_token_401(client, owner):
    login(client, owner)
    secret = shown_token(client.post("/account/tokens", data={"token-name": "Script"}))
    token_id = db.session.execute(select(ApiToken.id)).scalar_one()
    response = client.post("/account/tokens/revoke", data={"token_id": str(token_id)})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert "is revoked" in client.get("/account").text
    assert client.get(PROJECTS, headers=bearer(secret)).status_code == 401
    assert "Script" not in client.get("/account").text
    assert client.post("/account/tokens/revoke", data={"token_id": str(token_id)}).status_code == 404


def test_nobody_can_revoke_or_see_another_users_token(client, make, owner):
    colleague = make.user(membership_of(owner).workspace, role="owner")  # same workspace, another user
    theirs = tokens.create(membership_of(colleague).id, "Colleague's script")
    db.session.commit()

    login(client, owner)
    assert "Colleague&#39;s script" not in client.get("/account").text
    for value in (str(theirs.row.id), "999999", "abc", "", "9" * 30):
        assert client.post("/account/tokens/revoke", data={"token_id": value}).status_code == 404
    assert client.get(PROJECTS, headers=bearer(theirs.secret)).status_code == 200


@pytest.mark.parametrize("value", ["²", "\uff11", "2147483648", "0", "-1"])
def test_a_malformed_token_id_is_not_found_not_a_500(client, owner, value):
    """Review D10: "²".isdigit() is true, yet int("²") fails."""
    login(client, owner)
    assert client.post("/account/tokens/revoke", data={"token_id": value}).status_code == 404


def test_revoking_all_stops_every_token_of_the_user_in_every_workspace(client, make, owner):
    first = membership_of(owner)
    other = make.workspace("Second")
    second = Membership(user_id=owner.id, workspace_id=other.id, role="viewer")
    colleague = make.user(first.workspace, role="owner")
    db.session.add(second)
    db.session.commit()
    mine = [tokens.create(first.id, "a").secret, tokens.create(second.id, "b").secret]
    theirs = tokens.create(membership_of(colleague).id, "c").secret
    db.session.commit()

    login(client, owner)
    assert "You have 2 working API token(s)" in client.get("/account").text
    response = client.post("/account/tokens/revoke-all")
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    page = client.get("/account").text
    assert "2 API token(s) revoked" in page and "Revoke all my API tokens" not in page
    assert [client.get(PROJECTS, headers=bearer(s)).status_code for s in mine] == [401, 401]
    assert client.get(PROJECTS, headers=bearer(theirs)).status_code == 200


def test_tokens_belong_to_the_workspace_they_were_made_in(client, make, owner):
    """A token made in one workspace is listed, and revoked, only while working in that workspace."""
    login(client, owner)
    secret = shown_token(client.post("/account/tokens", data={"token-name": "First workspace"}))
    token_id = db.session.execute(select(ApiToken.id)).scalar_one()
    other = make.workspace("Second")
    db.session.add(Membership(user_id=owner.id, workspace_id=other.id, role="viewer"))
    db.session.commit()
    client.post("/account/workspace", data={"workspace_id": str(other.id)})

    assert "First workspace" not in client.get("/account").text
    assert client.post("/account/tokens/revoke", data={"token_id": str(token_id)}).status_code == 404
    assert client.get(PROJECTS, headers=bearer(secret)).json["total"] == 1


def test_a_user_without_a_workspace_cannot_create_tokens(client, owner):
    db.session.query(Membership).filter_by(user_id=owner.id).delete()
    db.session.commit()
    login(client, owner)
    assert "API tokens" not in client.get("/account").text
    assert client.post("/account/tokens", data={"token-name": "x"}).status_code == 403


# The command line


def test_create_token_prints_a_working_token_once(runner, client, owner):
    result = runner.invoke(args=["create-token", owner.email.upper(), "--name", "Nightly export"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("rdy_") and "\n" not in secret
    assert "not shown again" in result.output
    row = db.session.execute(select(ApiToken)).scalar_one()
    assert (row.name, row.membership_id) == ("Nightly export", membership_of(owner).id)
    assert row.token_hash != secret
    assert client.get(PROJECTS, headers=bearer(secret)).status_code == 200


def test_create_token_needs_a_workspace_when_the_user_has_several(runner, client, make, owner):
    second = make.workspace("Cork Consulting")
    db.session.add(Membership(user_id=owner.id, workspace_id=second.id, role="viewer"))
    db.session.commit()
    ambiguous = runner.invoke(args=["create-token", owner.email])
    assert ambiguous.exit_code != 0 and "--workspace" in ambiguous.output
    result = runner.invoke(args=["create-token", owner.email, "--workspace", "Cork Consulting"])
    assert result.exit_code == 0, result.output
    row = db.session.execute(select(ApiToken)).scalar_one()
    assert row.membership.workspace_id == second.id
    assert client.get(PROJECTS, headers=bearer(result.stdout.strip())).json["total"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.com"], "No account"),
        (["{email}", "--workspace", "Nowhere"], "not a member"),
        (["{email}", "--name", " "], "name"),
        (["{email}", "--name", "x" * 81], "name"),
    ],
)
def test_create_token_refusals_create_nothing(runner, owner, args, message):
    result = runner.invoke(args=["create-token", *(a.format(email=owner.email) for a in args)])
    assert result.exit_code != 0 and message in result.output
    assert db.session.execute(select(ApiToken)).first() is None
