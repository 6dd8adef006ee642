"""Accepting an invitation (review D2): the one way into a workspace, for whoever reads that mailbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Invitation, Membership, User
from app.models.base import utcnow
from app.services.passwords import TOO_GUESSABLE
from tests.factories import PASSWORD, login
from tests.html import field_errors
from tests.mailbox import only_link_to

NEW_PASSWORD = "harbour-lantern-quietly"


@pytest.fixture
def workspace(make: Any) -> Any:
    return make.workspace("Mekong QP")


@pytest.fixture
def inviter(client: Any, make: Any, workspace: Any) -> Any:
    return make.user(workspace, role="owner", email="owner@example.com")


def invited(client: Any, inviter: Any, email: str, role: str = "contributor", **extra: Any) -> str:
    """Invite ``email`` as the owner, log the owner out, and return the link the invitee was sent."""
    login(client, inviter)
    response = client.post("/members/invite", data={"email": email, "role": role, **extra})
    assert response.status_code == 303, response.text
    client.post("/logout")
    return only_link_to(email, "/invitations/")


def membership_of(email: str) -> Membership | None:
    db.session.expire_all()
    return db.session.execute(
        select(Membership).join(User).where(User.email == email, Membership.role != "owner")
    ).scalar_one_or_none()


def invitation_row() -> Invitation:
    db.session.expire_all()
    return db.session.execute(select(Invitation)).scalar_one()


def test_a_new_address_sets_up_its_account_on_the_link_page_and_joins(client, inviter, outbox):
    link = invited(client, inviter, "ngoc@example.com", "consultant")
    page = client.get(link)
    assert page.status_code == 200
    assert "Mekong QP" in page.text and "consultant" in page.text and "ngoc@example.com" in page.text

    response = client.post(link, data={"name": "Ngoc", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/clients"
    clients_page = client.get("/clients").text
    assert "Mekong QP · Consultant" in clients_page and "Welcome to Mekong QP." in clients_page
    user = db.session.execute(select(User).where(User.email == "ngoc@example.com")).scalar_one()
    assert user.name == "Ngoc" and user.email_verified_at is not None  # the link proved the mailbox
    assert membership_of("ngoc@example.com").role == "consultant"
    assert invitation_row().accepted_at is not None

    client.post("/logout")
    assert client.get(link).status_code == 404  # used once
    login(client, user, NEW_PASSWORD)


def test_the_new_accounts_password_follows_the_password_rule(client, inviter, outbox):
    link = invited(client, inviter, "ngoc@example.com")
    for weak in ("ngoc@example.com", "password1234"):
        response = client.post(link, data={"name": "Ngoc", "password": weak, "confirm": weak})
        assert field_errors(response, "password")[0].startswith(TOO_GUESSABLE)
    assert membership_of("ngoc@example.com") is None
    assert invitation_row().accepted_at is None


def test_an_existing_account_logs_in_then_accepts_with_one_click(client, inviter, make, outbox):
    guest = make.user(make.workspace("Their own"), email="guest@example.com")
    link = invited(client, inviter, "guest@example.com", "viewer")
    page = client.get(link)
    assert "Log in to accept" in page.text and 'name="password"' not in page.text

    back = client.post(f"/login?next={link}", data={"email": "guest@example.com", "password": PASSWORD})
    assert back.headers["Location"] == link
    assert "Join Mekong QP" in client.get(link).text
    assert membership_of("guest@example.com") is None  # looking is not accepting
    assert client.post(link).status_code == 303
    assert membership_of("guest@example.com").role == "viewer"
    assert "Mekong QP · Viewer" in client.get("/clients").text
    assert guest.name == "Test User"


def test_someone_logged_in_with_another_address_cannot_accept(client, inviter, make, outbox):
    link = invited(client, inviter, "guest@example.com")
    intruder = make.user(make.workspace(), email="intruder@example.com")
    login(client, intruder)
    page = client.get(link)
    assert page.status_code == 403 and "intruder@example.com" in page.text
    assert client.post(link).status_code == 403
    assert membership_of("intruder@example.com") is None and invitation_row().accepted_at is None


def refusal(html: str) -> str:
    """The refused link page's words (the page's nonce, a flash message differ)."""
    start = html.index('id="link-refused"')
    return html[start : html.index("</div>", start)]


@pytest.mark.parametrize("state", ["expired", "revoked", "accepted"])
def test_a_closed_invitation_is_not_found(client, inviter, make, outbox, state):
    link = invited(client, inviter, "late@example.com")
    row = invitation_row()
    if state == "expired":
        row.expires_at = utcnow() - timedelta(seconds=1)
    else:
        setattr(row, f"{state}_at", utcnow())
    db.session.commit()
    page = client.get(link)
    assert page.status_code == 404 and "not valid" in page.text
    assert "Ask the workspace owner for a new one." in page.text
    assert "late@example.com" not in page.text and "Mekong QP" not in page.text  # nothing about whom
    tampered = client.get(link[:-2] + "xx")
    assert refusal(page.text) == refusal(tampered.text) and tampered.status_code == 404
    post = client.post(link, data={"name": "Late", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert post.status_code == 404
    assert db.session.execute(select(User).where(User.email == "late@example.com")).first() is None


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 101, "²"])
def test_an_unknown_token_is_not_found(client, token):
    assert client.get(f"/invitations/{token}").status_code == 404


def test_a_client_manager_joins_with_the_clients_named(client, inviter, workspace, make, outbox):
    cork = make.client(workspace, name="Saigon Cork")
    make.client(workspace, name="Penang MedTech")
    link = invited(client, inviter, "cm@example.com", "client_manager", clients=[cork.id])
    assert "Saigon Cork" in client.get(link).text
    client.post(link, data={"name": "Minh", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert [c.name for c in membership_of("cm@example.com").clients] == ["Saigon Cork"]


def test_pre_hijacking_is_closed(client, inviter, outbox):
    """Review D2: an attacker signs up with the address a workspace owner is about to invite. Their account
    never gets in: it cannot log in unconfirmed, the invitation goes to the mailbox, and whoever accepts
    there sets the password, which shuts the attacker's out."""
    attacker = "mallory-pass-1-long"
    client.post(
        "/signup",
        data={
            "name": "Mallory",
            "email": "newhire@example.com",
            "workspace_name": "Mallory Ltd",
            "kind": "exporter",
            "password": attacker,
            "confirm": attacker,
        },
    )
    outbox.clear()
    link = invited(client, inviter, "newhire@example.com", "consultant")
    refused = client.post("/login", data={"email": "newhire@example.com", "password": attacker})
    assert refused.status_code == 200 and client.get("/clients").status_code == 302

    page = client.get(link)
    assert 'name="password"' in page.text  # an unconfirmed account is set up again by the mailbox's owner
    client.post(link, data={"name": "New Hire", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.post("/logout")
    shut_out = client.post("/login", data={"email": "newhire@example.com", "password": attacker})
    assert shut_out.status_code == 200 and client.get("/clients").status_code == 302
    user = db.session.execute(select(User).where(User.email == "newhire@example.com")).scalar_one()
    assert user.name == "New Hire" and user.email_verified_at is not None
    login(client, user, NEW_PASSWORD)


def test_a_verified_account_cannot_be_set_up_again_from_the_link(client, inviter, make, outbox):
    make.user(make.workspace(), email="guest@example.com")
    link = invited(client, inviter, "guest@example.com")
    response = client.post(link, data={"name": "Eve", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 200 and "Log in to accept" in response.text
    assert membership_of("guest@example.com") is None
    login(client, db.session.execute(select(User).where(User.email == "guest@example.com")).scalar_one())
