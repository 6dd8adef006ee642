"""A password someone else chose (the old "one-time password", flagged by migration 0013) is changed at
the next log-in: until then every page leads to the change, the API (tokens) is not held up, and the new
password ends the other sessions and lifts the flag."""

from __future__ import annotations

from typing import Any

import pytest

from app.extensions import db
from app.models import User
from app.services import own_password, tokens
from tests.factories import PASSWORD, login
from tests.html import field_errors

NEW_PASSWORD = "harbour-lantern-quietly"
CHANGE_PAGE = "/account/new-password"


@pytest.fixture
def handed_over(make: Any, tree: dict[str, Any]) -> User:
    """A contributor whose password an owner chose and passed on by hand."""
    user = make.user(tree["workspace"], role="contributor", email="worker@example.com")
    user.must_change_password = True
    db.session.commit()
    return user


def choose(client: Any, current: str = PASSWORD, new: str = NEW_PASSWORD, query: str = "") -> Any:
    return client.post(CHANGE_PAGE + query, data={"current": current, "password": new, "confirm": new})


def test_log_in_leads_to_the_change_and_every_page_waits_for_it(client, handed_over, tree):
    response = client.post("/login", data={"email": "worker@example.com", "password": PASSWORD})
    assert response.status_code == 302  # logged in; where it leads is held up below
    project = tree["project"]
    for path in ("/clients", f"/projects/{project.id}", "/account", "/members"):
        held = client.get(path)
        assert held.status_code == 302 and held.headers["Location"].startswith(CHANGE_PAGE), path
    posted = client.post("/account/tokens", data={"token-name": "sneaky"})
    assert posted.status_code == 303 and posted.headers["Location"] == CHANGE_PAGE
    assert tokens.count_active_of_user(handed_over.id) == 0
    page = client.get(CHANGE_PAGE)
    assert page.status_code == 200 and "Choose your own password" in page.text


def test_the_new_password_opens_the_app_ends_other_sessions_and_lifts_the_flag(app, client, handed_over):
    elsewhere = app.test_client()
    login(elsewhere, handed_over)
    login(client, handed_over)
    held = client.get("/clients")
    target = held.headers["Location"]
    assert target == CHANGE_PAGE + "?next=/clients"

    done = choose(client, query="?next=/clients")
    assert done.status_code == 303 and done.headers["Location"] == "/clients"
    assert client.get("/clients").status_code == 200
    assert client.get("/account").status_code == 200
    ended = elsewhere.get("/clients", follow_redirects=True)  # the other session ended: log in again
    assert ended.request.path == "/login" and "Log in" in ended.text
    db.session.expire_all()
    user = db.session.get(User, handed_over.id)
    assert not user.must_change_password
    client.post("/logout")
    login(client, user, NEW_PASSWORD)
    assert client.get("/clients").status_code == 200  # no second round


def test_the_change_must_change_it_and_follow_the_password_rule(client, handed_over):
    login(client, handed_over)
    wrong = choose(client, current="not-the-one-i-was-given")
    assert field_errors(wrong, "current") == ["That is not the password you logged in with."]
    same = choose(client, new=PASSWORD)
    assert field_errors(same, "password") == [own_password.UNCHANGED_REFUSAL]
    weak = choose(client, new="worker@example.com")
    assert field_errors(weak, "password")
    assert client.get("/clients").headers["Location"].startswith(CHANGE_PAGE)
    db.session.expire_all()
    assert db.session.get(User, handed_over.id).must_change_password


def test_log_out_and_the_api_are_not_held_up(client, handed_over, tree):
    login(client, handed_over)
    membership = handed_over.memberships[0]
    secret = tokens.create(membership.id, "script").secret
    db.session.commit()
    api = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get(CHANGE_PAGE).headers["Location"].startswith("/login")


def test_a_password_reset_lifts_the_flag_too(client, handed_over, outbox):
    from tests.mailbox import only_link_to

    client.post("/password/forgot", data={"email": "worker@example.com"})
    link = only_link_to("worker@example.com", "/password/reset/")
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 303
    db.session.expire_all()
    user = db.session.get(User, handed_over.id)
    assert not user.must_change_password
    login(client, user, NEW_PASSWORD)
    assert client.get("/clients").status_code == 200


def test_a_member_who_chose_their_own_password_is_never_held_up(client, make, tree):
    user = make.user(tree["workspace"], role="contributor")
    login(client, user)
    assert client.get("/clients").status_code == 200
    assert client.get(CHANGE_PAGE).headers["Location"] == "/clients"
