"""The calendar feed: made, shown once, replaced and revoked on the account page; read back with the
icalendar package; a wrong, revoked or inactive user's link is a 404; nobody else's items; bounded queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from app.extensions import db
from app.models import User
from tests.factories import login
from tests.integration.agenda_support import member, populate, uids
from tests.querycount import count_queries

TODAY = date.today()
FEED = re.compile(r"/calendar/[A-Za-z0-9_-]{40,}\.ics")


def make_link(http) -> str:
    response = http.post("/account/calendar")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    found = FEED.findall(response.get_data(as_text=True))
    assert len(found) == 1
    return found[0]


def read(http, path: str) -> Calendar:
    response = http.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_lists_every_dated_item_as_an_all_day_event(client, make, tree, owner):
    items = populate(tree["project"], owner, TODAY)
    calendar = read(client, make_link(client))

    assert str(calendar["VERSION"]) == "2.0"
    assert "Readiness" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == f"Readiness: {owner.name}"
    found = events(calendar)
    expected = uids(items)
    assert set(found) >= {expected[k] for k in expected if k != "surveillance"}
    stage = found[expected["stage"]]
    assert stage.decoded("DTSTART") == TODAY + timedelta(days=3)
    assert stage.decoded("DTEND") == TODAY + timedelta(days=21)  # the day after the last, for all-day events
    assert stage["DTSTART"].params["VALUE"] == "DATE"
    task = found[expected["task"]]
    assert task.decoded("DTSTART") == TODAY - timedelta(days=5)
    assert str(task["URL"]).endswith(f"/projects/{tree['project'].id}/tasks/{items.task}")
    assert str(task["SUMMARY"]).startswith(f"{tree['client'].name} — {tree['site'].name}: Task due:")
    expiry = found[expected["expiry"]]
    assert expiry.decoded("DTSTART") == TODAY + timedelta(days=19)
    assert str(expiry["URL"]).endswith(f"/certificates/{items.certificate}")
    assert all("DTSTAMP" in event for event in found.values())


def test_the_uids_are_stable_from_one_reading_to_the_next(client, tree, owner):
    populate(tree["project"], owner, TODAY)
    path = make_link(client)
    assert list(events(read(client, path))) == list(events(read(client, path)))


def test_names_with_commas_semicolons_and_vietnamese_text_come_back_whole(client, make, owner, tree):
    name = "Công ty May Việt; Tiến, Phát \\ Hà Nội"
    tree["client"].name = name
    tree["site"].name = "Xưởng cắt, số 2"
    db.session.commit()
    items = populate(tree["project"], owner, TODAY)
    response_path = make_link(client)
    raw = client.get(response_path).data
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets (RFC 5545 3.1)
    assert b"May Vi\xe1\xbb\x87t\\; Ti\xe1\xba\xbfn\\, Ph\xc3\xa1t" in raw.replace(b"\r\n ", b"")
    event = events(Calendar.from_ical(raw))[uids(items)["task"]]
    assert str(event["SUMMARY"]).startswith(f"{name} — Xưởng cắt, số 2: Task due: Train the line leaders")


def test_a_wrong_token_is_a_404(client, owner):
    make_link(client)
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
    assert client.get("/calendar/.ics").status_code == 404
    assert client.get("/calendar/" + "y" * 500 + ".ics").status_code == 404


def test_revoked_and_replaced_links_stop_working(client, owner):
    first = make_link(client)
    second = make_link(client)  # "New link"
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    response = client.post("/account/calendar/revoke")
    assert response.status_code == 303
    assert client.get(second).status_code == 404
    assert client.post("/account/calendar/revoke").status_code == 404  # nothing left to revoke


def test_an_inactive_users_link_is_a_404(client, owner):
    path = make_link(client)
    db.session.get(User, owner.id).active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_the_account_page_offers_create_then_new_and_revoke(client, owner):
    page = client.get("/account").get_data(as_text=True)
    assert "Create calendar link" in page and "Revoke" not in page.split('id="calendar"')[1]
    make_link(client)
    page = client.get("/account").get_data(as_text=True)
    section = page.split('id="calendar"')[1]
    assert "New link" in section and ">Revoke<" in section
    assert not FEED.search(page)  # the link was shown once, on the page that made it


def test_the_feed_needs_no_login_but_the_account_actions_do(app, client, owner):
    path = make_link(client)
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # a calendar application keeps no session
    assert "no-store" in response.headers["Cache-Control"]
    assert anonymous.post("/account/calendar").status_code == 302  # to the log-in page
    assert anonymous.post("/account/calendar/revoke").status_code == 302


def test_another_users_items_are_absent(app, client, make, tree, owner):
    mine = populate(tree["project"], owner, TODAY)
    other_tree = make.tree()  # another workspace
    stranger = make.user(other_tree["workspace"])
    theirs = populate(other_tree["project"], stranger, TODAY)
    found = events(read(client, make_link(client)))
    assert uids(mine)["task"] in found
    assert not set(uids(theirs).values()) & set(found)


def test_a_client_manager_sees_only_their_clients(app, make, tree):
    other_client = make.client(tree["workspace"])
    other_project = make.project(make.site(other_client))
    manager = member(make, tree["workspace"], role="client_manager", clients=[tree["client"]])
    mine = populate(tree["project"], manager, TODAY)
    not_mine = populate(other_project, manager, TODAY)
    http = app.test_client()
    login(http, manager)
    found = events(read(http, make_link(http)))
    assert uids(mine)["task"] in found and uids(mine)["expiry"] in found
    assert not set(uids(not_mine).values()) & set(found)


def test_a_project_deleted_leaves_the_feed(client, tree, owner):
    from app.models.base import utcnow

    items = populate(tree["project"], owner, TODAY)
    tree["project"].deleted_at = utcnow()
    db.session.commit()
    found = events(read(client, make_link(client)))
    assert uids(items)["task"] not in found


@pytest.mark.parametrize("projects", [1, 4])
def test_the_feed_reads_a_constant_number_of_queries(client, make, tree, owner, projects):
    for _ in range(projects):
        populate(make.project(make.site(make.client(tree["workspace"]))), owner, TODAY)
    path = make_link(client)
    with count_queries() as statements:
        calendar = read(client, path)
    assert len(events(calendar)) == 9 * projects
    assert len(statements) == QUERIES, "\n".join(s[:90] for s in statements)


QUERIES = 18  # the token's user, memberships, members, and one per kind of item (certificates: three)


def test_the_feed_is_throttled_per_token(app, client, owner):
    app.config["RATELIMIT_ENABLED"] = True
    app.config["RATELIMIT_CALENDAR_PER_TOKEN"] = "2 per minute"
    path = make_link(client)
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 429]
