"""Workspace members: owners add people with a role, name a client manager's clients, and remove them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Membership, User
from app.services.accounts import authenticate
from tests.factories import login


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


def test_adding_a_new_person_shows_a_one_time_password_that_works(client, owner):
    response = client.post(
        "/members/new", data={"email": "new@example.com", "name": "Ngoc", "role": "contributor"}
    )
    assert response.status_code == 200
    password = re.search(r'id="one-time-password">([^<]+)<', response.get_data(as_text=True)).group(1)
    assert authenticate("new@example.com", password) is not None
    assert membership_of("new@example.com").role == "contributor"


def test_adding_an_existing_user_gives_no_password(client, owner, make):
    make.user(make.workspace(), email="known@example.com")
    response = client.post("/members/new", data={"email": "known@example.com", "role": "viewer"})
    assert "already had an account" in response.get_data(as_text=True)
    assert count(User) == 2


def test_client_manager_needs_named_clients_of_this_workspace(client, owner, workspace, make):
    mine = make.client(workspace, name="Saigon Cork")
    theirs = make.client(make.workspace(), name="Elsewhere")
    refused = client.post("/members/new", data={"email": "cm@example.com", "role": "client_manager"})
    assert "Choose at least one client for a client manager." in refused.get_data(as_text=True)
    foreign = client.post(
        "/members/new", data={"email": "cm@example.com", "role": "client_manager", "clients": [theirs.id]}
    )
    assert "Choose clients from the list." in foreign.get_data(as_text=True)
    assert membership_of("cm@example.com") is None
    client.post(
        "/members/new", data={"email": "cm@example.com", "role": "client_manager", "clients": [mine.id]}
    )
    assert [c.name for c in membership_of("cm@example.com").clients] == ["Saigon Cork"]


def test_refusals_keep_nothing(client, owner, workspace, make):
    make.user(workspace, role="viewer", email="dup@example.com")
    dup = client.post("/members/new", data={"email": "dup@example.com", "role": "viewer"})
    assert "already a member" in dup.get_data(as_text=True)
    bad = client.post("/members/new", data={"email": "not-an-email", "role": "king"})
    html = bad.get_data(as_text=True)
    assert "Enter a valid email address." in html and "Choose a role from the list." in html
    assert count(Membership) == 2


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


@pytest.mark.parametrize("role", ["consultant", "client_manager", "contributor", "viewer"])
def test_only_owners_manage_members(client, make, workspace, role):
    clients = [make.client(workspace)] if role == "client_manager" else []
    user = make.user(workspace, role=role, clients=clients)
    login(client, user)
    assert client.get("/members").status_code == 403
    assert client.post("/members/new", data={"email": "x@example.com", "role": "owner"}).status_code == 403
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
