"""Accounts: sign up, log in, log out, change password, CSRF, and the security headers of a page."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from app.auth.routes import LOGIN_FAILED, NOT_CONFIRMED
from app.config import load_settings
from app.extensions import db
from app.models import Membership, User, Workspace
from app.services.accounts import check_password, create_user
from app.services.passwords import LENGTH_RULE, TOO_GUESSABLE
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, login
from tests.mailbox import body, links, only_link_to, sent_to

NEW_PASSWORD = "a-brand-new-passphrase"
PASSWORD_OF_SIGNUP = "long-enough-password"
ATTACKER = "mallory-pass-1-long"


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
        "password": PASSWORD_OF_SIGNUP,
        "confirm": PASSWORD_OF_SIGNUP,
    } | changes


# Sign up


def test_signup_creates_an_unverified_account_and_emails_a_link_to_confirm_it(client, outbox):
    response = client.post("/signup", data=signup_data(email="  Lan@Example.COM "))
    assert response.status_code == 303
    assert response.headers["Location"] == "/check-email"

    user = db.session.execute(select(User)).scalar_one()
    assert (user.email, user.name, user.email_verified_at) == ("lan@example.com", "Lan Nguyen", None)
    assert user.password_hash != PASSWORD_OF_SIGNUP
    membership = db.session.execute(select(Membership)).scalar_one()
    assert (membership.user_id, membership.role) == (user.id, "owner")
    assert (membership.workspace.name, membership.workspace.kind) == ("Saigon Cork Co", "exporter")
    assert client.get("/clients").status_code == 302  # not logged in before the address is confirmed

    assert only_link_to("lan@example.com", "/verify/")
    assert PASSWORD_OF_SIGNUP not in body(outbox[0])
    assert "Check your email" in client.get("/check-email").text


def test_following_the_link_confirms_the_address_and_then_the_account_can_log_in(client, outbox):
    client.post("/signup", data=signup_data())
    before = client.post("/login", data={"email": "lan@example.com", "password": PASSWORD_OF_SIGNUP})
    assert field_errors(before, "email") == [NOT_CONFIRMED]
    assert 'id="resend-confirmation"' in before.text

    confirmed = client.get(only_link_to("lan@example.com", "/verify/"))
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == "/login"
    assert db.session.execute(select(User.email_verified_at)).scalar_one() is not None
    login(client, db.session.execute(select(User)).scalar_one(), PASSWORD_OF_SIGNUP)
    assert "Saigon Cork Co" in client.get("/clients").text
    again = client.get(only_link_to("lan@example.com", "/verify/"), follow_redirects=True)
    assert again.status_code == 200  # following it twice is harmless


def test_an_unconfirmed_account_with_a_wrong_password_looks_like_any_failed_log_in(client, outbox):
    client.post("/signup", data=signup_data())
    response = client.post("/login", data={"email": "lan@example.com", "password": "not-the-password"})
    assert field_errors(response, "password") == [LOGIN_FAILED]
    assert field_errors(response, "email") == []


def test_signup_with_a_taken_address_looks_the_same_and_emails_its_holder_a_notice(client, make, outbox):
    make.user(email="lan@example.com")
    before = (count(User), count(Workspace), count(Membership))
    new = client.post("/signup", data=signup_data(email="new@example.com"))
    taken = client.post("/signup", data=signup_data(email="  LAN@example.com  "))

    assert (taken.status_code, taken.headers["Location"]) == (new.status_code, new.headers["Location"])
    assert taken.text == new.text
    assert (count(User), count(Workspace), count(Membership)) == (before[0] + 1, before[1] + 1, before[2] + 1)
    notice = sent_to("lan@example.com")
    assert len(notice) == 1 and "tried to sign up" in notice[0]["Subject"]
    assert not [path for path in links(notice[0]) if path.startswith("/verify/")]
    assert "/password/forgot" in links(notice[0])
    login(client, db.session.execute(select(User).where(User.email == "lan@example.com")).scalar_one())


def test_someone_who_signed_up_first_with_your_address_never_gets_in(client, make, outbox):
    """Pre-hijacking (review D2): the attacker's unconfirmed account cannot log in, and the owner of the
    address takes it over with a reset link sent to the mailbox."""
    client.post("/signup", data=signup_data(email="newhire@example.com", password=ATTACKER, confirm=ATTACKER))
    outbox.clear()
    attacker = client.post("/login", data={"email": "newhire@example.com", "password": ATTACKER})
    assert field_errors(attacker, "email") == [NOT_CONFIRMED]

    client.post("/signup", data=signup_data(email="newhire@example.com"))  # the real owner signs up
    assert "/password/forgot" in links(sent_to("newhire@example.com")[0])  # the notice says what to do
    outbox.clear()
    client.post("/password/forgot", data={"email": "newhire@example.com"})
    reset = only_link_to("newhire@example.com", "/password/reset/")
    client.post(reset, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    user = db.session.execute(select(User)).scalar_one()
    assert user.email_verified_at is not None
    refused = client.post("/login", data={"email": "newhire@example.com", "password": ATTACKER})
    assert field_errors(refused, "password") == [LOGIN_FAILED]
    login(client, user, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "   "}, "name", "Enter your name."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"password": "short", "confirm": "short"}, "password", LENGTH_RULE),
        ({"password": "eleven-char", "confirm": "eleven-char"}, "password", LENGTH_RULE),
        ({"password": "x" * 129, "confirm": "x" * 129}, "password", LENGTH_RULE),
        ({"confirm": "something-else-entirely"}, "confirm", "The passwords do not match."),
        ({"workspace_name": ""}, "workspace_name", "Name your workspace."),
        ({"kind": "government"}, "kind", "Not a valid choice."),
    ],
)
def test_signup_refuses_each_bad_field_and_saves_nothing(client, outbox, changes, field, message):
    response = client.post("/signup", data=signup_data(**changes))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert "Please correct" in response.text
    assert (count(User), count(Workspace), count(Membership)) == (0, 0, 0)
    assert outbox == []


@pytest.mark.parametrize(
    "weak",
    ["password1234", "aaaaaaaaaaaa", "1234567890ab", "qwertyuiop12", "lan@example.com", "lannguyen2024"],
)
def test_signup_refuses_a_guessable_password_beside_the_field(client, weak):
    response = client.post("/signup", data=signup_data(password=weak, confirm=weak))
    errors = field_errors(response, "password")
    assert len(errors) == 1 and errors[0].startswith(TOO_GUESSABLE), errors
    assert count(User) == 0


def test_signup_keeps_what_was_typed_except_passwords(client):
    response = client.post("/signup", data=signup_data(email="lan@", workspace_name="Cork & Co"))
    assert field_errors(response, "email") == ["Enter a valid email address."]
    assert input_value(response, "name") == "Lan Nguyen"
    assert input_value(response, "email") == "lan@"
    assert input_value(response, "workspace_name") == "Cork & Co"
    assert input_value(response, "password") in ("", None)
    assert input_value(response, "confirm") in ("", None)
    assert PASSWORD_OF_SIGNUP not in response.text


def test_signup_race_on_the_same_email_gets_the_same_answer_not_a_500(client, make, monkeypatch, outbox):
    from app.services import accounts

    make.user(email="race@example.com")
    real_find_user = accounts.find_user
    calls = iter([None])  # the other sign-up lands between the look-up and the insert
    monkeypatch.setattr(accounts, "find_user", lambda email: next(calls, None) or real_find_user(email))
    response = client.post("/signup", data=signup_data(email="race@example.com"))
    assert response.status_code == 303 and response.headers["Location"] == "/check-email"
    assert count(User) == 1
    assert "tried to sign up" in sent_to("race@example.com")[0]["Subject"]


# Confirmation links


def test_a_tampered_expired_or_reset_link_does_not_confirm(client, outbox, monkeypatch):
    from app.services import account_links

    client.post("/signup", data=signup_data())
    link = only_link_to("lan@example.com", "/verify/")
    tampered = client.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB"))
    assert tampered.status_code == 400 and account_links.BAD_CONFIRMATION in tampered.text
    assert client.get("/verify/" + "x" * 600).status_code == 400
    user = db.session.execute(select(User)).scalar_one()
    as_reset = client.get("/password/reset/" + link.rsplit("/", 1)[1])  # another purpose's salt
    assert as_reset.status_code == 400
    monkeypatch.setattr(account_links, "VERIFY_MAX_AGE", timedelta(seconds=-1))
    assert client.get(link).status_code == 400
    db.session.refresh(user)
    assert user.email_verified_at is None


def test_resending_the_link_says_the_same_for_every_address_and_sends_only_to_an_unconfirmed_one(
    client, make, outbox
):
    client.post("/signup", data=signup_data(email="waiting@example.com"))
    make.user(email="done@example.com")
    outbox.clear()
    answers = [
        client.post("/verify", data={"email": address})
        for address in ("waiting@example.com", "done@example.com", "nobody@example.com")
    ]
    assert {(a.status_code, a.headers["Location"]) for a in answers} == {(303, "/check-email")}
    assert [m["To"] for m in outbox] == ["waiting@example.com"]
    assert only_link_to("waiting@example.com", "/verify/")


# Log in and out


def test_login_lands_on_the_portfolio(client, make):
    tree = make.tree()
    make.project(tree["site"])  # two projects: a portfolio to show
    user = make.user(tree["workspace"], role="consultant")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/portfolio"
    assert client.get("/portfolio").status_code == 200


def test_with_no_project_yet_the_portfolio_sends_to_the_client_list(client, make):
    user = make.user()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.get("/portfolio")
    assert response.status_code == 302 and response.headers["Location"] == "/clients"


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
    login(client, user, PASSWORD)  # the old password still works


def test_change_password_refuses_a_mismatched_repeat(client, make):
    user = make.user()
    login(client, user)
    response = change_password(client, PASSWORD, NEW_PASSWORD, confirm="another-new-passphrase")
    assert field_errors(response, "confirm") == ["The passwords do not match."]
    response = change_password(client, PASSWORD, "short")
    assert LENGTH_RULE in field_errors(response, "password")
    guessable = change_password(client, PASSWORD, user.email)  # their own address
    assert field_errors(guessable, "password")[0].startswith(TOO_GUESSABLE)
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


# Sessions end (review D7)


def session_cookie(client: Any) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def status_in_own_context(app: Any, client: Any, path: str = "/clients") -> int:
    """A request in an app context of its own: the suite's test holds one app context, whose ``g`` (and
    Flask-Login's user in it) would otherwise carry over from the request before."""
    with app.app_context():
        return client.get(path).status_code


def logged_in_elsewhere(app: Any, user: Any) -> Any:
    other = app.test_client()
    with app.app_context():
        login(other, user)
    return other


def with_cookie(app: Any, value: str) -> Any:
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_a_password_change_keeps_this_session_and_ends_every_other(app, client, make):
    user = make.user()
    laptop = logged_in_elsewhere(app, user)
    phone = logged_in_elsewhere(app, user)
    old_cookie = session_cookie(phone)

    with app.app_context():
        assert change_password(phone, PASSWORD, NEW_PASSWORD).status_code == 302
    assert status_in_own_context(app, phone) == 200  # this session goes on
    assert status_in_own_context(app, laptop) == 302  # the other one is over
    assert status_in_own_context(app, with_cookie(app, old_cookie)) == 302  # and so is a replayed cookie


def test_log_out_everywhere_ends_every_session_this_one_too(app, client, make):
    user = make.user()
    laptop = logged_in_elsewhere(app, user)
    phone = logged_in_elsewhere(app, user)
    kept = session_cookie(phone)
    assert status_in_own_context(app, with_cookie(app, kept)) == 200

    with app.app_context():
        response = phone.post("/account/sessions/end")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert status_in_own_context(app, phone) == 302
    assert status_in_own_context(app, laptop) == 302
    assert status_in_own_context(app, with_cookie(app, kept)) == 302
    login(client, user, PASSWORD)  # the password still works
    assert "Log out everywhere" in client.get("/account").text


def test_logging_out_here_leaves_other_sessions_alone(app, make):
    user = make.user()
    laptop = logged_in_elsewhere(app, user)
    phone = logged_in_elsewhere(app, user)
    with app.app_context():
        phone.post("/logout")
    assert status_in_own_context(app, phone) == 302
    assert status_in_own_context(app, laptop) == 200


def test_a_session_without_the_right_session_version_is_refused(app, client, make):
    user = make.user()
    for user_id in (f"{user.id}:0", str(user.id), f"{user.id}:²", f"²:{user.id}", f"{user.id}:", ":0"):
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
        expected = 200 if user_id == f"{user.id}:0" else 302  # a plain id is a session from before versions
        assert status_in_own_context(app, client) == expected, user_id


# Switching workspace (review D10)


@pytest.mark.parametrize("value", ["²", "\uff11", "2147483648", "-1", "", "abc"])
def test_switching_to_a_malformed_workspace_id_is_refused_not_a_500(client, make, value):
    login(client, make.user())
    response = client.post("/account/workspace", data={"workspace_id": value})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert "You are not a member of that workspace." in client.get("/account").text


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
    assert response.status_code == 303
    assert count(User) == 1


@pytest.mark.parametrize("path", ["/account/sessions/end", "/account/tokens/revoke-all"])
def test_csrf_guards_the_buttons_that_end_sessions_and_tokens(app, client, make, path):
    user = make.user()
    login(client, user)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(path).status_code == 400
    assert client.get("/clients").status_code == 200


def test_pages_send_security_headers(client, make):
    login(client, make.user())
    response = client.get("/clients")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_production_password_hash_is_scrypt(app, tmp_path):
    # The suite's cheap hash is a test setting; the app's own settings hash with scrypt.
    settings = load_settings({"READINESS_ENV": "testing", "SECRET_KEY": TEST_SECRET}, tmp_path)
    app.config["PASSWORD_HASH_METHOD"] = settings["PASSWORD_HASH_METHOD"]
    user = create_user("scrypt@example.com", "Scrypt", "long-enough-password")
    assert user.password_hash.startswith("scrypt:")
    assert check_password(user, "long-enough-password")
