"""Workspace members: owners invite people with a role, name a client manager's clients, withdraw
invitations, change roles and remove members. Accepting an invitation is in test_invitations."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Invitation, Membership, User
from tests.factories import login
from tests.html import field_errors
from tests.mailbox import only_link_to, sent_to


@pytest.fixture
def workspace(make: Any) -> Any:
    return make.workspace("Mekong QP")


@pytest.fixture
def owner(client: Any, make: Any, workspace: Any) -> Any:
    user = make.user(workspace, role="owner", email="owner@example.com")
    login(client, user)
    return user


def membership_of(email: str) -> Membership | None:
    db.session.expire_all()
    return db.session.execute(select(Membership).join(User).where(User.email == email)).scalar_one_or_none()


def count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_owner_lists_members(client, owner, workspace, make):
    make.user(workspace, role="viewer", email="view@example.com")
    html = client.get("/members").get_data(as_text=True)
    assert 'data-member="owner@example.com"' in html and 'data-member="view@example.com"' in html


def invite(client: Any, email: str, role: str = "contributor", **extra: Any) -> Any:
    return client.post("/members/invite", data={"email": email, "role": role, **extra})


def test_inviting_sends_a_link_and_adds_nobody_until_it_is_accepted(client, owner, workspace, outbox):
    response = invite(client, "  New@Example.com ", "consultant")
    assert response.status_code == 303 and response.headers["Location"] == "/members"
    page = client.get("/members").text
    assert "Invitation sent to new@example.com." in page
    assert 'data-invitation="new@example.com"' in page
    assert membership_of("new@example.com") is None and count(User) == 1

    row = db.session.execute(select(Invitation)).scalar_one()
    link = only_link_to("new@example.com", "/invitations/")
    token = link.rsplit("/", 1)[1]
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash
    assert (row.email, row.role, row.workspace_id) == ("new@example.com", "consultant", workspace.id)
    lifetime = row.expires_at - row.created_at
    assert timedelta(days=7) - timedelta(minutes=1) < lifetime <= timedelta(days=7)
    assert "Mekong QP" in sent_to("new@example.com")[0]["Subject"]


def test_inviting_says_the_same_whether_or_not_the_address_has_an_account(client, owner, make, outbox):
    """Review D3: the owner learns nothing of another tenant's account: no name, no 'already had one'."""
    stranger = make.user(make.workspace("Elsewhere"), email="known@example.com")
    stranger.name = "Somchai Private"
    db.session.commit()
    answers = {}
    for address in ("known@example.com", "unknown@example.com"):
        response = invite(client, address, "viewer")
        page = client.get("/members").text
        answers[address] = (
            response.status_code,
            response.headers["Location"],
            page.count("Invitation sent to"),
        )
        assert "Somchai Private" not in page and "already" not in page
    assert answers["known@example.com"] == answers["unknown@example.com"]
    assert [m["Subject"] for m in sent_to("known@example.com")] == [
        m["Subject"] for m in sent_to("unknown@example.com")
    ]
    assert membership_of("known@example.com").workspace.name == "Elsewhere"  # not added anywhere
    assert count(User) == 2


def test_client_manager_needs_named_clients_of_this_workspace(client, owner, workspace, make, outbox):
    mine = make.client(workspace, name="Saigon Cork")
    theirs = make.client(make.workspace(), name="Elsewhere")
    refused = invite(client, "cm@example.com", "client_manager")
    assert "Choose at least one client for a client manager." in field_errors(refused, "clients")
    foreign = invite(client, "cm@example.com", "client_manager", clients=[theirs.id])
    assert "Choose clients from the list." in foreign.text
    assert db.session.execute(select(Invitation)).first() is None and outbox == []
    assert invite(client, "cm@example.com", "client_manager", clients=[mine.id]).status_code == 303
    row = db.session.execute(select(Invitation)).scalar_one()
    assert [c.name for c in row.clients] == ["Saigon Cork"]


def test_refusals_keep_nothing(client, owner, workspace, make, outbox):
    make.user(workspace, role="viewer", email="dup@example.com")
    dup = invite(client, "DUP@example.com", "viewer")
    assert field_errors(dup, "email") == ["This person is already a member of the workspace."]
    bad = invite(client, "not-an-email", "king")
    assert "Enter a valid email address." in bad.text and "Choose a role from the list." in bad.text
    assert count(Membership) == 2
    assert db.session.execute(select(Invitation)).first() is None and outbox == []


def test_inviting_again_replaces_the_earlier_link(client, owner, outbox):
    invite(client, "twice@example.com")
    first = only_link_to("twice@example.com", "/invitations/")
    outbox.clear()
    invite(client, "twice@example.com", "viewer")
    second = only_link_to("twice@example.com", "/invitations/")
    client.post("/logout")
    assert client.get(first).status_code == 404
    assert "viewer" in client.get(second).text.lower()
    assert client.get("/members").status_code == 302


def test_an_owner_sees_and_withdraws_open_invitations(client, owner, make, outbox):
    invite(client, "later@example.com")
    link = only_link_to("later@example.com", "/invitations/")
    row = db.session.execute(select(Invitation)).scalar_one()
    response = client.post(f"/members/invitations/{row.id}/revoke")
    assert response.status_code == 303
    page = client.get("/members").text
    assert "withdrawn" in page and 'data-invitation="later@example.com"' not in page
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_nobody_withdraws_another_workspaces_invitation(client, owner, make, outbox):
    with_other = make.invitation(make.workspace("Other"), token_hash="0" * 64)
    assert client.post(f"/members/invitations/{with_other.id}/revoke").status_code == 404
    assert client.post("/members/invitations/999999/revoke").status_code == 404
    db.session.refresh(with_other)
    assert with_other.revoked_at is None


def test_change_role_and_the_last_owner_rule(client, owner, workspace, make):
    viewer = make.user(workspace, role="viewer", email="v@example.com")
    member = membership_of(viewer.email)
    assert client.post(f"/members/{member.id}", data={"role": "consultant"}).status_code == 303
    assert membership_of(viewer.email).role == "consultant"
    me = membership_of("owner@example.com")
    refused = client.post(f"/members/{me.id}", data={"role": "viewer"})
    assert "at least one owner" in refused.get_data(as_text=True)
    assert membership_of("owner@example.com").role == "owner"


def test_remove_a_member_but_not_the_last_owner(client, owner, workspace, make):
    viewer = make.user(workspace, role="viewer", email="gone@example.com")
    assert client.post(f"/members/{membership_of(viewer.email).id}/remove").status_code == 303
    assert membership_of("gone@example.com") is None
    me = membership_of("owner@example.com")
    client.post(f"/members/{me.id}/remove")
    assert membership_of("owner@example.com") is not None


def test_removing_a_member_answers_with_the_page_not_an_error(app, client, owner, workspace, make):
    """Review D9: the flash named the removed member after the commit, a lazy load on a deleted row (500).
    The request runs in an app context of its own, so with a session of its own as in production (the
    test's identity map would otherwise hide the lazy load)."""
    viewer = make.user(workspace, role="viewer", email="leaving@example.com")
    membership_id = membership_of(viewer.email).id
    with app.app_context():
        response = client.post(f"/members/{membership_id}/remove", follow_redirects=True)
    assert response.status_code == 200
    assert "leaving@example.com no longer has access" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["consultant", "client_manager", "contributor", "viewer"])
def test_only_owners_manage_members(client, make, workspace, role):
    clients = [make.client(workspace)] if role == "client_manager" else []
    user = make.user(workspace, role=role, clients=clients)
    login(client, user)
    assert client.get("/members").status_code == 403
    assert client.get("/members/invite").status_code == 403
    assert invite(client, "x@example.com", "owner").status_code == 403
    assert db.session.execute(select(Invitation)).first() is None
    mine = membership_of(user.email)
    expected = 404 if role == "client_manager" else 403  # client managers see no workspace-level rows
    assert client.post(f"/members/{mine.id}", data={"role": "owner"}).status_code == expected
    assert membership_of(user.email).role == role


def test_create_user_cli_names_a_client_managers_clients(runner, make, workspace):
    make.client(workspace, name="Saigon Cork")
    ok = runner.invoke(
        args=[
            "create-user",
            "cm@example.com",
            "--workspace",
            "Mekong QP",
            "--role",
            "client_manager",
            "--client",
            "Saigon Cork",
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert ok.exit_code == 0, ok.output
    assert [c.name for c in membership_of("cm@example.com").clients] == ["Saigon Cork"]
    unknown = runner.invoke(
        args=[
            "create-user",
            "cm2@example.com",
            "--workspace",
            "Mekong QP",
            "--role",
            "client_manager",
            "--client",
            "Nobody",
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert unknown.exit_code != 0 and "no client named" in unknown.output
    missing = runner.invoke(
        args=[
            "create-user",
            "cm3@example.com",
            "--workspace",
            "Mekong QP",
            "--role",
            "client_manager",
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert missing.exit_code != 0
    assert membership_of("cm2@example.com") is None and membership_of("cm3@example.com") is None
