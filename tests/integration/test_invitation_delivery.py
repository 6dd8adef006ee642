"""An invitation's e-mail through a real SMTP server (aiosmtpd, in the test process): sent, or, with the
server down, saved as "not sent" with the reason and a Resend; resending makes a new link and the old one
stops working. Every route refuses another workspace's invitations."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Invitation, Membership, User
from app.models.base import utcnow
from tests.factories import login
from tests.html import field_errors
from tests.smtp import SmtpServer, running_smtp_server

NEW_PASSWORD = "harbour-lantern-quietly"


@pytest.fixture
def smtp_server(app: Any) -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        server.use(app)
        yield server


@pytest.fixture
def workspace(make: Any) -> Any:
    return make.workspace("Mekong QP")


@pytest.fixture
def owner(client: Any, make: Any, workspace: Any) -> Any:
    user = make.user(workspace, role="owner", email="owner@example.com")
    login(client, user)
    return user


def invite(client: Any, email: str, role: str = "contributor") -> Any:
    return client.post("/members/invite", data={"email": email, "role": role})


def the_invitation() -> Invitation:
    db.session.expire_all()
    return db.session.execute(select(Invitation)).scalar_one()


def invitation_row(page: str, email: str) -> str:
    start = page.index(f'data-invitation="{email}"')
    return page[start : page.index("</tr>", start)]


def test_the_invitation_arrives_by_smtp_and_its_link_sets_up_the_account(client, owner, smtp_server):
    response = invite(client, "ngoc@example.com", "consultant")
    assert response.status_code == 303
    [message] = smtp_server.messages
    assert message["To"] == "ngoc@example.com" and "Mekong QP" in message["Subject"]
    row = the_invitation()
    assert row.sent_at is not None and row.send_error == ""
    page = client.get("/members").text
    assert "Invitation sent to ngoc@example.com." in page
    assert "Sent " in invitation_row(page, "ngoc@example.com") and "Not sent" not in page

    link = smtp_server.only_link_to("ngoc@example.com", "/invitations/")
    client.post("/logout")
    joined = client.post(link, data={"name": "Ngoc", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert joined.status_code == 303
    assert "Mekong QP · Consultant" in client.get("/clients").text


def test_with_the_server_down_the_invitation_is_kept_as_not_sent_and_resent_later(
    app, client, owner, smtp_server, caplog
):
    smtp_server.stop()
    with caplog.at_level(logging.ERROR, logger="app.services.mail"):
        response = invite(client, "ngoc@example.com")
    assert response.status_code == 303  # the invitation is saved all the same
    assert "Could not send 1 e-mail(s) through 127.0.0.1" in caplog.text
    row = the_invitation()
    assert row.sent_at is None and "could not be reached" in row.send_error
    page = client.get("/members").text
    assert "is saved but was not sent" in page
    listed = invitation_row(page, "ngoc@example.com")
    assert "Not sent" in listed and row.send_error in listed and "Resend" in listed

    with running_smtp_server() as working:  # the mail server is back
        working.use(app)
        again = client.post(f"/members/invitations/{row.id}/resend")
        assert again.status_code == 303
        link = working.only_link_to("ngoc@example.com", "/invitations/")
    row = the_invitation()
    assert row.sent_at is not None and row.send_error == ""
    page = client.get("/members").text
    assert "A new invitation link was sent to ngoc@example.com." in page and "Not sent" not in page
    client.post("/logout")
    assert client.get(link).status_code == 200


def test_a_refusing_server_is_shown_with_its_answer(client, owner, smtp_server):
    smtp_server.refuse_with("550 5.1.1 No such mailbox here")
    assert invite(client, "ngoc@example.com").status_code == 303
    assert "550 5.1.1 No such mailbox here" in the_invitation().send_error
    assert smtp_server.messages == []


def test_resending_makes_a_new_link_and_the_old_one_stops_working(client, owner, smtp_server):
    invite(client, "ngoc@example.com")
    first = smtp_server.only_link_to("ngoc@example.com", "/invitations/")
    row = the_invitation()
    row.expires_at = utcnow() - timedelta(minutes=1)  # resending renews an expired one too
    db.session.commit()
    assert "Expired" in invitation_row(client.get("/members").text, "ngoc@example.com")

    smtp_server.messages.clear()
    assert client.post(f"/members/invitations/{row.id}/resend").status_code == 303
    second = smtp_server.only_link_to("ngoc@example.com", "/invitations/")
    assert second != first
    expires = the_invitation().expires_at
    lifetime = (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) - utcnow()
    assert timedelta(days=7) - timedelta(minutes=1) < lifetime <= timedelta(days=7)
    client.post("/logout")
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_an_accepted_or_withdrawn_invitation_is_not_resent(client, owner, smtp_server):
    invite(client, "ngoc@example.com")
    row = the_invitation()
    for state in ("revoked_at", "accepted_at"):
        setattr(row, state, utcnow())
        db.session.commit()
        smtp_server.messages.clear()
        assert client.post(f"/members/invitations/{row.id}/resend").status_code == 404
        assert smtp_server.messages == []
        setattr(row, state, None)


def test_nobody_resends_another_workspaces_invitation(client, owner, make, smtp_server):
    theirs = make.invitation(make.workspace("Other"), token_hash="1" * 64)
    assert client.post(f"/members/invitations/{theirs.id}/resend").status_code == 404
    assert client.post("/members/invitations/999999/resend").status_code == 404
    db.session.refresh(theirs)
    assert theirs.token_hash == "1" * 64 and smtp_server.messages == []


@pytest.mark.parametrize(("role", "status"), [("consultant", 403), ("viewer", 403), ("client_manager", 404)])
def test_only_owners_resend(client, make, workspace, smtp_server, role, status):
    owner = make.user(workspace, role="owner", email="owner@example.com")
    login(client, owner)
    invite(client, "ngoc@example.com")
    client.post("/logout")
    clients = [make.client(workspace)] if role == "client_manager" else []
    login(client, make.user(workspace, role=role, clients=clients))
    row = the_invitation()
    smtp_server.messages.clear()
    assert client.post(f"/members/invitations/{row.id}/resend").status_code == status
    assert smtp_server.messages == [] and the_invitation().token_hash == row.token_hash


def test_an_address_already_a_member_is_refused_beside_the_field_and_nothing_sent(
    client, owner, workspace, make, smtp_server
):
    make.user(workspace, role="viewer", email="member@example.com")
    refused = invite(client, "Member@Example.com")
    assert refused.status_code == 422, refused.status_code
    assert field_errors(refused, "email") == ["This person is already a member of the workspace."]
    assert db.session.execute(select(Invitation)).first() is None and smtp_server.messages == []


def test_the_owner_never_sees_nor_sets_a_members_password(client, owner, workspace, make, outbox):
    """The members pages hold no password field, and a password posted with a role change is ignored."""
    viewer = make.user(workspace, role="viewer", email="viewer@example.com")
    before = viewer.password_hash
    membership = db.session.execute(select(Membership).where(Membership.user_id == viewer.id)).scalar_one()
    for path in ("/members", "/members/invite", f"/members/{membership.id}"):
        page = client.get(path).text
        assert 'type="password"' not in page and before not in page, path
    changed = client.post(
        f"/members/{membership.id}",
        data={"role": "contributor", "password": "owner-chosen-secret", "confirm": "owner-chosen-secret"},
    )
    assert changed.status_code == 303
    db.session.expire_all()
    user = db.session.get(User, viewer.id)
    assert user.password_hash == before and not user.must_change_password
    invited = invite(client, "new@example.com")
    assert invited.status_code == 303
    assert "password" not in client.get("/members").text.lower()
