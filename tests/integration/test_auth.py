"""Accounts: sign up, log in, log out, change password, CSRF, and the security headers of a page."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from app.auth.routes import LOGIN_FAILED
from app.config import load_settings
from app.extensions import db
from app.models import Membership, User, Workspace
from app.services.accounts import check_password, create_user
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, login

NEW_PASSWORD = "a-brand-new-passphrase"


def field_errors(response: Any, field_id: str) -> list[str]:
    """The messages shown beside one field (the render_field macro's error block)."""
    html = response.text
    block = re.search(rf'<div id="{field_id}-errors"[^>]*>(.*?)</div>\s*</div>', html, re.S)
    return [unescape(m) for m in re.findall(r"<div>(.*?)(?:</div>|$)", block.group(1), re.S)] if block else []


def input_value(response: Any, name: str) -> str | None:
    html = response.text
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert tag, f"no input named {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else None


def count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def signup_data(**changes: str) -> dict[str, str]:
    return {
        "name": "Lan Nguyen",
        "email": "lan@example.com",
        "workspace_name": "Saigon Cork Co",
        "kind": "exporter",
        "password": "long-enough-password",
        "confirm": "long-enough-password",
    } | changes


# Sign up


def test_signup_creates_user_workspace_and_owner_membership_and_logs_in(client):
    response = client.post("/signup", data=signup_data(email="  Lan@Example.COM "))
    assert response.status_code == 302
    assert response.headers["Location"] == "/clients"

    user = db.session.execute(select(User)).scalar_one()
    assert (user.email, user.name) == ("lan@example.com", "Lan Nguyen")
    assert user.password_hash != "long-enough-password"
    membership = db.session.execute(select(Membership)).scalar_one()
    assert (membership.user_id, membership.role) == (user.id, "owner")
    assert (membership.workspace.name, membership.workspace.kind) == ("Saigon Cork Co", "exporter")

    page = client.get("/clients")
    assert page.status_code == 200
    assert "Saigon Cork Co" in page.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "   "}, "name", "Enter your name."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"password": "short", "confirm": "short"}, "password", "Use between 10 and 128 characters."),
        ({"confirm": "something-else-entirely"}, "confirm", "The passwords do not match."),
        ({"workspace_name": ""}, "workspace_name", "Name your workspace."),
        ({"kind": "government"}, "kind", "Not a valid choice."),
    ],
)
def test_signup_refuses_each_bad_field_and_saves_nothing(client, changes, field, message):
    response = client.post("/signup", data=signup_data(**changes))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert "Please correct" in response.text
    assert (count(User), count(Workspace), count(Membership)) == (0, 0, 0)


def test_signup_keeps_what_was_typed_except_passwords(client):
    response = client.post("/signup", data=signup_data(email="lan@", workspace_name="Cork & Co"))
    assert field_errors(response, "email") == ["Enter a valid email address."]
    assert input_value(response, "name") == "Lan Nguyen"
    assert input_value(response, "email") == "lan@"
    assert input_value(response, "workspace_name") == "Cork & Co"
    assert input_value(response, "password") in ("", None)
    assert input_value(response, "confirm") in ("", None)
    assert "long-enough-password" not in response.text


def test_signup_refuses_a_taken_email_politely_whatever_its_case(client, make):
    make.user(email="lan@example.com")
    before = (count(User), count(Workspace), count(Membership))
    response = client.post("/signup", data=signup_data(email="  LAN@example.com  "))
    assert response.status_code == 200
    assert field_errors(response, "email") == ["An account with this email already exists. Log in instead?"]
    assert (count(User), count(Workspace), count(Membership)) == before
    assert client.get("/clients").status_code == 302  # not logged in


# Log in and out


def test_login_redirects_to_clients(client, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/clients"
    assert client.get("/clients").status_code == 200


def test_wrong_password_and_unknown_email_look_the_same(client, make):
    user = make.user()
    wrong = client.post("/login", data={"email": user.email, "password": "not-the-password"})
    unknown = client.post("/login", data={"email": "nobody@example.com", "password": "not-the-password"})
    assert wrong.status_code == unknown.status_code == 200
    assert field_errors(wrong, "password") == field_errors(unknown, "password") == [LOGIN_FAILED]
    assert field_errors(wrong, "email") == field_errors(unknown, "email") == []
    assert client.get("/clients").status_code == 302


def test_inactive_user_cannot_log_in(client, make):
    user = make.user()
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert field_errors(response, "password") == [LOGIN_FAILED]


def test_login_follows_a_local_next(client, make):
    user = make.user()
    response = client.post("/login?next=/account", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example", "evil"]
)
def test_login_ignores_a_next_that_leaves_the_site(client, make, target):
    user = make.user()
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/clients"


def test_pages_need_login(client, make):
    tree = make.tree()
    for url in ("/clients", "/clients/new", f"/clients/{tree['client'].id}", "/account"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url


def test_login_returns_to_the_page_that_asked_for_it(client, make):
    site = make.site(make.client(make.workspace()))
    user = make.user(db.session.get(Workspace, site.workspace_id))
    asked = client.get(f"/sites/{site.id}")
    response = client.post(asked.headers["Location"], data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == f"/sites/{site.id}"


def test_logout_is_post_only_and_ends_the_session(client, make):
    login(client, make.user())
    assert client.get("/logout").status_code == 405
    assert client.get("/clients").status_code == 200

    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get("/clients").status_code == 302


# Change password


def change_password(client: Any, current: str, new: str, confirm: str | None = None) -> Any:
    data = {"current": current, "password": new, "confirm": new if confirm is None else confirm}
    return client.post("/account", data=data)


def test_change_password_refuses_a_wrong_current_password(client, make):
    user = make.user()
    login(client, user)
    response = change_password(client, "not-my-password", NEW_PASSWORD)
    assert response.status_code == 200
    assert field_errors(response, "current") == ["That is not your current password."]
    client.post("/logout")
    login(client, user)  # the old password still works


def test_change_password_refuses_a_mismatched_repeat(client, make):
    user = make.user()
    login(client, user)
    response = change_password(client, PASSWORD, NEW_PASSWORD, confirm="another-new-passphrase")
    assert field_errors(response, "confirm") == ["The passwords do not match."]
    response = change_password(client, PASSWORD, "short")
    assert "Use between 10 and 128 characters." in field_errors(response, "password")
    client.post("/logout")
    login(client, user)


def test_changed_password_is_the_only_one_that_works(client, make):
    user = make.user()
    login(client, user)
    response = change_password(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    client.post("/logout")

    old = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert field_errors(old, "password") == [LOGIN_FAILED]
    login(client, user, NEW_PASSWORD)


# CSRF and headers


def csrf_token(response: Any) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text)
    if match is None:
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert match, "the form has no CSRF token"
    return match.group(1)


def test_csrf_refuses_a_post_without_token_and_saves_nothing(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/signup", data=signup_data())
    assert response.status_code == 400
    assert count(User) == 0


def test_csrf_refuses_logout_and_client_creation_without_token(app, client, make):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make.user()
    token = csrf_token(client.get("/login"))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302

    assert client.post("/clients/new", data={"name": "Acme", "country": "VN"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.get("/clients").status_code == 200  # still logged in
    assert count(User) == 1


def test_csrf_accepts_the_token_from_the_form(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token(client.get("/signup"))
    response = client.post("/signup", data=signup_data(csrf_token=token))
    assert response.status_code == 302
    assert count(User) == 1


def test_pages_send_security_headers(client, make):
    login(client, make.user())
    response = client.get("/clients")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_signup_race_on_the_same_email_is_refused_not_a_500(client, make, monkeypatch):
    from app.services import accounts

    make.user(email="race@example.com")
    monkeypatch.setattr(accounts, "email_taken", lambda email: False)  # the other sign-up lands in between
    response = client.post(
        "/signup",
        data={
            "name": "Lan",
            "email": "race@example.com",
            "workspace_name": "Cork",
            "kind": "exporter",
            "password": "a-long-password-1",
            "confirm": "a-long-password-1",
        },
    )
    assert response.status_code == 200
    assert "An account with this email already exists" in response.get_data(as_text=True)


def test_the_production_password_hash_is_scrypt(app, tmp_path):
    # The suite's cheap hash is a test setting; the app's own settings hash with scrypt.
    settings = load_settings({"READINESS_ENV": "testing", "SECRET_KEY": TEST_SECRET}, tmp_path)
    app.config["PASSWORD_HASH_METHOD"] = settings["PASSWORD_HASH_METHOD"]
    user = create_user("scrypt@example.com", "Scrypt", "long-enough-password")
    assert user.password_hash.startswith("scrypt:")
    assert check_password(user, "long-enough-password")
