"""A person's language and calendar on the account page, and a workspace's language for new members
(issue 17): saved, refused beside the field, and followed by pages, dates and the people who join."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User, Workspace
from tests.factories import login
from tests.html import field_errors
from tests.integration.test_invitations import NEW_PASSWORD, invited
from tests.integration.test_language import lang_of


def saved(user: User) -> tuple[str, str]:
    db.session.expire_all()
    locale, calendar = db.session.execute(
        select(User.locale, User.date_calendar).where(User.id == user.id)
    ).one()
    return locale, calendar


def choices(locale: str, calendar: str) -> dict[str, str]:
    return {"prefs-locale": locale, "prefs-date_calendar": calendar}


def test_the_account_page_offers_the_language_and_the_years(client, owner):
    page = client.get("/account").text
    assert 'id="preferences"' in page
    assert 'name="prefs-locale"' in page and 'value="th"' in page
    assert 'name="prefs-date_calendar"' in page and 'value="buddhist"' in page


def test_saving_the_language_and_buddhist_years_changes_what_pages_show(client, owner, tree):
    tree["project"].target_date = date(2027, 6, 30)
    db.session.commit()
    response = client.post(
        "/account/preferences", data={"prefs-locale": "th", "prefs-date_calendar": "buddhist"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    assert saved(owner) == ("th", "buddhist")
    page = client.get(f"/projects/{tree['project'].id}", headers={"Accept-Language": "vi"}).text
    assert lang_of(page) == "th"
    assert "2570" in page  # 2027 in the Buddhist era
    assert "2027" not in page.split("<main", 1)[-1].split("</main>", 1)[0]


def test_the_browsers_language_again_and_common_era_years(client, owner):
    client.post("/account/preferences", data={"prefs-locale": "vi", "prefs-date_calendar": "buddhist"})
    client.post("/account/preferences", data={"prefs-locale": "", "prefs-date_calendar": "gregorian"})
    assert saved(owner) == ("", "gregorian")
    assert lang_of(client.get("/account", headers={"Accept-Language": "id"}).text) == "id"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"prefs-locale": "xx", "prefs-date_calendar": "gregorian"}, "prefs-locale"),
        ({"prefs-locale": "vi", "prefs-date_calendar": "lunar"}, "prefs-date_calendar"),
        ({"prefs-locale": "vi"}, "prefs-date_calendar"),
    ],
)
def test_a_bad_choice_is_refused_beside_its_field_and_nothing_is_saved(client, owner, data, field):
    response = client.post("/account/preferences", data=data)
    assert response.status_code == 422
    assert field_errors(response, field)
    assert saved(owner) == ("", "gregorian")


def test_the_preferences_need_a_logged_in_person(client):
    response = client.post(
        "/account/preferences", data={"prefs-locale": "vi", "prefs-date_calendar": "gregorian"}
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def workspace_language(workspace: Any) -> str:
    db.session.expire_all()
    return db.session.execute(
        select(Workspace.default_locale).where(Workspace.id == workspace.id)
    ).scalar_one()


def test_an_owner_sets_the_workspaces_language_on_the_members_page(client, owner, tree):
    assert 'id="workspace-language"' in client.get("/members").text
    response = client.post("/members/language", data={"default_locale": "vi"})
    assert response.status_code == 303 and response.headers["Location"] == "/members"
    assert workspace_language(tree["workspace"]) == "vi"
    assert '<option selected value="vi">' in client.get("/members").text


def test_an_unknown_workspace_language_is_refused_beside_the_field(client, owner, tree):
    response = client.post("/members/language", data={"default_locale": "klingon"})
    assert response.status_code == 422
    assert field_errors(response, "default_locale")
    assert workspace_language(tree["workspace"]) == ""


@pytest.mark.parametrize("role", ["consultant", "contributor", "viewer"])
def test_only_owners_set_the_workspaces_language(client, make, tree, role):
    login(client, make.user(tree["workspace"], role=role))
    assert client.post("/members/language", data={"default_locale": "th"}).status_code == 403
    assert workspace_language(tree["workspace"]) == ""


def test_who_joins_by_invitation_starts_in_the_workspaces_language(client, make, outbox):
    workspace = make.workspace("Chanthaburi Closures")
    owner = make.user(workspace, role="owner", email="owner@example.com")
    workspace.default_locale = "th"
    db.session.commit()
    link = invited(client, owner, "somchai@example.com")
    client.post(link, data={"name": "Somchai", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    joined = db.session.execute(select(User).where(User.email == "somchai@example.com")).scalar_one()
    assert saved(joined) == ("th", "gregorian")
    assert lang_of(client.get("/clients").text) == "th"


def test_someone_who_chose_a_language_keeps_it_when_joining(client, make, outbox):
    workspace = make.workspace("Chanthaburi Closures")
    owner = make.user(workspace, role="owner", email="owner@example.com")
    workspace.default_locale = "th"
    guest = make.user(email="guest@example.com")
    guest.locale = "id"
    db.session.commit()
    link = invited(client, owner, "guest@example.com")
    login(client, guest)
    client.post(link)
    assert saved(guest)[0] == "id"
