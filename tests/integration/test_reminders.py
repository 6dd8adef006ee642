"""``flask send-reminders``: who gets which digest, nothing twice the same day, and the account page's
switch."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Membership, ReminderSend, User
from app.services import reminders
from tests.factories import login
from tests.integration.agenda_support import member, populate
from tests.mailbox import body, links, sent_to
from tests.querycount import count_queries

TODAY = date(2026, 12, 2)


def send(runner, day: date = TODAY) -> str:
    result = runner.invoke(args=["send-reminders", "--date", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def html_of(message) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def test_the_digest_lists_what_is_the_users_with_links(app, runner, make, tree, outbox):
    app.config["PUBLIC_URL"] = "https://readiness.example.com"
    consultant = member(make, tree["workspace"], role="consultant")
    author = member(make, tree["workspace"], role="contributor")
    items = populate(tree["project"], consultant, TODAY, author=author)

    output = send(runner)

    assert "Sent 2 reminder digest(s) for 2026-12-02" in output  # the author hears of the audits
    [message] = sent_to(consultant.email)
    assert message["Subject"] == "Your Readiness digest: 4 overdue, 2 to review, 1 past review, 3 coming up"
    text = body(message)
    place = f"{tree['client'].name} — {tree['site'].name}"
    assert f"- {place}: Task due: Train the line leaders" in text
    assert "(due 2026-11-27, 5 days ago)" in text
    assert "Close the gap on " in text and "(due 2026-11-22, 10 days ago)" in text
    assert "Evidence to review: Training attendance" in text and "Revision to approve: QP-" in text
    assert "Document review due: QP-" in text and "Certificate QMS-" in text
    assert (
        "Stage 1 audit (certification body)" in text and "Internal audit: Production and purchasing" in text
    )
    project = tree["project"].id
    assert f"/projects/{project}/tasks/{items.task}" in links(message)
    assert f"/projects/{project}/evidence/{items.evidence}" in links(message)
    assert f"https://readiness.example.com/certificates/{items.certificate}" in text
    assert "https://readiness.example.com/account#reminders" in text
    html = html_of(message)
    assert f'href="https://readiness.example.com/projects/{project}/findings/{items.finding}"' in html
    assert "Training stage" not in text  # stages are in the calendar feed, not the digest


def test_running_twice_the_same_day_sends_nothing_twice_and_the_next_day_sends_again(
    runner, make, tree, outbox
):
    user = member(make, tree["workspace"], role="owner")
    populate(tree["project"], user, TODAY)

    assert "Sent 1 reminder digest(s) for 2026-12-02; 0 user(s) had nothing due, 0 had" in send(runner)
    assert "Sent 0 reminder digest(s) for 2026-12-02; 0 user(s) had nothing due, 1 had theirs already" in (
        send(runner)
    )
    assert len(sent_to(user.email)) == 1
    sent = db.session.execute(select(ReminderSend).where(ReminderSend.user_id == user.id)).scalar_one()
    assert (sent.sent_on, sent.items) == (TODAY, 10)

    send(runner, TODAY + timedelta(days=1))
    assert len(sent_to(user.email)) == 2


def test_a_digest_already_claimed_is_not_sent(runner, make, tree, outbox):
    """Two runs racing: the one whose claim lost sends nothing (the unique user and day decides)."""
    user = member(make, tree["workspace"])
    populate(tree["project"], user, TODAY)
    assert reminders.claim(user.id, TODAY, 3) is True
    assert reminders.claim(user.id, TODAY, 3) is False
    db.session.commit()
    assert "Sent 0 reminder digest(s)" in send(runner)
    assert sent_to(user.email) == []
    count = db.session.execute(select(func.count(ReminderSend.id))).scalar_one()
    assert count == 1


def test_nothing_due_sends_no_mail(runner, make, tree, outbox):
    member(make, tree["workspace"])
    output = send(runner)
    assert "Sent 0 reminder digest(s) for 2026-12-02; 1 user(s) had nothing due" in output
    assert outbox == []


def test_reminders_off_inactive_or_unconfirmed_users_get_none(runner, make, tree, outbox):
    off, inactive, unconfirmed = (member(make, tree["workspace"], role="consultant") for _ in range(3))
    for user in (off, inactive, unconfirmed):
        populate(tree["project"], user, TODAY)
    db.session.get(User, off.id).reminders_enabled = False
    db.session.get(User, inactive.id).active = False
    db.session.get(User, unconfirmed.id).email_verified_at = None
    db.session.commit()
    send(runner)
    assert outbox == []


def test_a_client_manager_hears_only_of_their_clients(runner, make, tree, outbox):
    other_project = make.project(make.site(make.client(tree["workspace"], name="Other Client Co")))
    manager = member(make, tree["workspace"], role="client_manager", clients=[tree["client"]])
    populate(tree["project"], manager, TODAY)
    populate(other_project, manager, TODAY)
    send(runner)
    [message] = sent_to(manager.email)
    assert tree["client"].name in body(message)
    assert "Other Client Co" not in body(message)


def test_each_user_hears_of_their_own_workspace_only(runner, make, tree, outbox):
    mine = member(make, tree["workspace"])
    other = make.tree()
    stranger = member(make, other["workspace"])
    populate(tree["project"], mine, TODAY)
    populate(other["project"], stranger, TODAY)
    send(runner)
    assert other["client"].name not in body(sent_to(mine.email)[0])
    assert tree["client"].name not in body(sent_to(stranger.email)[0])


def test_viewers_and_contributors_get_no_review_queue(runner, make, tree, outbox):
    viewer = member(make, tree["workspace"], role="viewer")
    author = member(make, tree["workspace"], role="contributor")
    populate(tree["project"], author, TODAY, author=author)
    send(runner)
    text = body(sent_to(viewer.email)[0])  # audits and certificate dates reach everyone who sees them
    assert "Waiting for your review" not in text and "Overdue tasks" not in text
    assert "Audits and certificate dates in the next 30 days" in text
    text = body(sent_to(author.email)[0])
    assert "Overdue tasks and actions assigned to you (4)" in text
    assert "Waiting for your review" not in text


def test_the_account_page_turns_reminders_off_and_on(client, owner):
    assert "Reminders are <strong>on</strong>" in client.get("/account").get_data(as_text=True)
    response = client.post("/account/reminders", data={"reminders": "off"})
    assert response.status_code == 303
    assert db.session.get(User, owner.id).reminders_enabled is False
    assert "Reminders are <strong>off</strong>" in client.get("/account").get_data(as_text=True)
    client.post("/account/reminders", data={"reminders": "on"})
    db.session.expire_all()
    assert db.session.get(User, owner.id).reminders_enabled is True
    assert client.post("/account/reminders", data={"reminders": "maybe"}).status_code == 422


def test_the_switch_is_the_users_own(app, make, tree):
    user, other = member(make, tree["workspace"]), member(make, tree["workspace"])
    http = app.test_client()
    login(http, user)
    http.post("/account/reminders", data={"reminders": "off"})
    assert db.session.get(User, other.id).reminders_enabled is True
    assert app.test_client().post("/account/reminders", data={"reminders": "off"}).status_code == 302


def test_the_default_day_is_today(runner, make, tree, outbox):
    user = member(make, tree["workspace"])
    populate(tree["project"], user, date.today())
    result = runner.invoke(args=["send-reminders"])
    assert f"for {date.today().isoformat()}" in result.output
    assert len(sent_to(user.email)) == 1


def test_a_member_of_two_workspaces_hears_of_both(runner, make, tree, outbox):
    user = member(make, tree["workspace"], role="consultant")
    other = make.tree()
    db.session.add(Membership(user_id=user.id, workspace_id=other["workspace"].id, role="viewer"))
    db.session.commit()
    populate(tree["project"], user, TODAY)
    populate(other["project"], user, TODAY)
    send(runner)
    [message] = sent_to(user.email)
    text = body(message)
    assert tree["client"].name in text and other["client"].name in text


@pytest.mark.parametrize("projects", [1, 3])
def test_the_command_reads_a_constant_number_of_queries_whatever_the_projects(
    runner, make, tree, outbox, projects
):
    user = member(make, tree["workspace"], role="consultant")
    for _ in range(projects):
        populate(make.project(make.site(make.client(tree["workspace"]))), user, TODAY)
    with count_queries() as statements:
        assert "Sent 1 reminder digest(s)" in send(runner)
    assert len(statements) == COMMAND_QUERIES, "\n".join(s[:90] for s in statements)


# Users already sent, recipients, memberships (and their clients), one per kind of item (certificates: three)
# and the workspace's members, the claim.
COMMAND_QUERIES = 19


def test_a_bad_date_is_refused(runner):
    result = runner.invoke(args=["send-reminders", "--date", "02/12/2026"])
    assert result.exit_code != 0 and "--date" in result.output
