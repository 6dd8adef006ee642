"""The management review pages: the list with every open action, recording a review with its inputs written
in from the app's records, the minutes (record and inputs) with optimistic locking, decisions and actions,
an action done, and the printable minutes; refusals beside their fields, foreign ids 404, viewers 403, and a
constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.domain.pathway import StandardFamily
from app.domain.reviews import review_inputs, review_outputs
from app.extensions import db
from app.models import CertificationProject, ManagementReview, ReviewInputEntry, ReviewOutput
from app.services.pathway import project_overview
from tests.html import field_errors, form_values
from tests.integration import review_support as rs
from tests.integration.evidence_support import user_as
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries

TODAY = date.today()
SENTENCE = rs.SENTENCE


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/reviews", *(str(p) for p in parts)])


def count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(review_id: int) -> ManagementReview:
    db.session.expire_all()
    found = db.session.get(ManagementReview, review_id)
    assert found is not None
    return found


def texts_of(review: ManagementReview) -> dict[str, str]:
    return {entry.key: entry.text for entry in review.inputs}


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


@pytest.fixture
def viewer(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "viewer")[0]


def record(**fields: Any) -> dict[str, str]:
    return {
        "held_on": (TODAY - timedelta(days=1)).isoformat(),
        "period_start": (TODAY - timedelta(days=200)).isoformat(),
        "period_end": (TODAY - timedelta(days=1)).isoformat(),
        "attendees": "Mr Minh, director\nMs Lan, quality manager",
        "notes": "",
    } | fields


def minutes_post(review: ManagementReview, **fields: Any) -> dict[str, str]:
    """What the minutes form sends for ``review`` as saved, with ``fields`` changed."""
    values = {
        "held_on": review.held_on.isoformat(),
        "period_start": review.period_start.isoformat(),
        "period_end": review.period_end.isoformat(),
        "attendees": review.attendees,
        "notes": review.notes,
        "version": str(review.version),
    }
    values |= {f"input_{entry.key}": entry.text for entry in review.inputs}
    return values | fields


# Recording a review


def test_the_new_review_form_starts_where_the_previous_period_ended(http, tree):
    project = tree["project"]
    form = form_values(http.get(url(project, "new")), "held_on")
    assert form["held_on"] == TODAY.isoformat() and form["period_end"] == TODAY.isoformat()
    assert form["period_start"] == (TODAY - relativedelta(months=12)).isoformat()
    rs.add_review(
        project, TODAY - timedelta(days=90), (TODAY - timedelta(days=400), TODAY - timedelta(days=91))
    )
    form = form_values(http.get(url(project, "new")), "held_on")
    assert form["period_start"] == (TODAY - timedelta(days=90)).isoformat()


def test_a_review_is_recorded_with_every_input_written_in_from_the_records(http, tree):
    project = tree["project"]
    earlier = rs.add_review(project, TODAY - timedelta(days=300))
    rs.add_output(earlier, "improvement", text="Train two more internal auditors this year", done_on=None,
                  due_date=TODAY - timedelta(days=10))  # fmt: skip
    rs.add_reported_audit(project, TODAY - timedelta(days=30), ["conforming", "conforming", "minor"])
    rs.add_reported_audit(project, TODAY - timedelta(days=400), ["major"], title="An audit of long ago")
    rs.add_finding(project, "major", raised_on=TODAY - timedelta(days=20))
    rs.add_objective(project, values=[(TODAY - timedelta(days=3), "96.5")])

    response = http.post(url(project, "new"), data=record())
    assert response.status_code == 303
    review = db.session.execute(
        select(ManagementReview).where(ManagementReview.id != earlier.id)
    ).scalar_one()
    assert response.headers["Location"].endswith(url(project, review.id))
    assert review.attendees == "Mr Minh, director\nMs Lan, quality manager"
    texts = texts_of(review)
    assert list(texts) == [i.key for i in review_inputs(StandardFamily.ISO_9001)]  # every required input
    assert "Train two more internal auditors this year (Ms Lan, due" in texts["previous_actions"]
    assert "0 of 1 action from earlier reviews done, 1 overdue." in texts["previous_actions"]
    assert (
        "Audit of production" in texts["audit_results"] and "2 conforming, 1 minor" in texts["audit_results"]
    )
    assert "long ago" not in texts["audit_results"]  # reported before the period
    assert "1 finding raised" in texts["nonconformities"] and "(1 major)" in texts["nonconformities"]
    assert texts["objectives"] == "- Deliver orders on time: latest 96.5 %, target at least 95 % (met)."
    assert "Training completion" in texts["resources"]
    assert texts["customer_satisfaction"] == texts["supplier_performance"] == ""  # for the user to write
    page = http.get(response.headers["Location"])
    assert "Audit of production" in form_values(page, "input_audit_results")["input_audit_results"]


def test_an_iso_13485_review_has_its_own_inputs(app, make):
    tree = make.tree(code="iso13485")
    http = user_as(app, make, tree, "owner")[0]
    assert http.post(url(tree["project"], "new"), data=record()).status_code == 303
    review = db.session.execute(select(ManagementReview)).scalar_one()
    assert [e.key for e in review.inputs] == [i.key for i in review_inputs(StandardFamily.ISO_13485)]
    page = http.get(url(tree["project"], review.id))
    assert "(l) Applicable new or revised regulatory requirements" in page.text
    assert "(d) Resource needs" in page.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"held_on": (TODAY + timedelta(days=1)).isoformat()}, "held_on", "the date is in the future"),
        ({"period_end": TODAY.isoformat()}, "period_end", "cannot end after the review was held"),
        ({"attendees": " \n "}, "attendees", "at least top management"),
        ({"held_on": "2025-02-30"}, "held_on", "Not a valid date value."),
    ],
)
def test_a_review_that_breaks_a_rule_is_refused_beside_its_field(http, tree, fields, field, message):
    response = http.post(url(tree["project"], "new"), data=record(**fields))
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field))
    assert form_values(response, "held_on")["attendees"] == record(**fields)["attendees"].strip()
    assert count(ManagementReview) == count(ReviewInputEntry) == 0


# The minutes: record and inputs


@pytest.fixture
def review(tree: dict[str, Any]) -> ManagementReview:
    return rs.add_review(tree["project"], texts={"audit_results": "Old text about the audits of the year."})


def test_the_minutes_are_saved_and_the_reviews_version_moves(http, tree, review):
    project, before = tree["project"], review.version
    sent = minutes_post(review, input_audit_results=SENTENCE, input_context_changes="", notes="Short")
    response = http.post(url(project, review.id), data=sent)
    assert response.status_code == 303
    saved = reload(review.id)
    assert texts_of(saved)["audit_results"] == SENTENCE and saved.notes == "Short"
    assert saved.version == before + 1  # the inputs changed: so did the review


def test_a_placeholder_input_is_refused_and_nothing_is_saved(http, tree, review):
    sent = minutes_post(review, input_audit_results="x", input_resources=SENTENCE)
    response = http.post(url(tree["project"], review.id), data=sent)
    assert response.status_code == 422
    assert "a placeholder is not a record" in field_errors(response, "input_audit_results")[0]
    assert form_values(response, "input_audit_results")["input_resources"] == SENTENCE  # kept as typed
    saved = reload(review.id)
    assert texts_of(saved)["audit_results"] == "Old text about the audits of the year."
    assert texts_of(saved)["resources"] == "" and saved.version == review.version


def test_a_stale_edit_of_the_minutes_is_409_showing_the_saved_values(app, make, http, tree, review):
    project = tree["project"]
    mine = minutes_post(review, input_audit_results=f"{SENTENCE} Mine.")
    other = user_as(app, make, tree, "owner")[0]
    theirs = minutes_post(review, input_resources=f"{SENTENCE} Theirs.")
    assert other.post(url(project, review.id), data=theirs).status_code == 303

    response = http.post(url(project, review.id), data=mine)  # read before their save
    assert response.status_code == 409
    assert "Someone else saved this management review" in response.text
    form = form_values(response, "input_audit_results")
    assert form["input_resources"] == f"{SENTENCE} Theirs."  # the saved values
    assert form["input_audit_results"] == "Old text about the audits of the year."
    assert form["version"] == str(reload(review.id).version)
    assert f"{SENTENCE} Mine." in response.text  # what they typed, in the notice
    assert texts_of(reload(review.id))["audit_results"] == "Old text about the audits of the year."


def test_a_viewer_reads_the_review_but_changes_nothing(viewer, tree, review):
    project = tree["project"]
    page = viewer.get(url(project, review.id))
    assert page.status_code == 200 and 'id="minutes-form"' not in page.text
    assert "Old text about the audits of the year." in page.text
    assert viewer.post(url(project, review.id), data=minutes_post(review, notes="Mine")).status_code == 403
    assert viewer.get(url(project, "new")).status_code == 403
    category = url(project, review.id, "outputs") + "?category=resources"
    assert viewer.post(category, data={"output-resources-text": SENTENCE}).status_code == 403
    assert reload(review.id).notes == ""


# Decisions and actions


def add_url(project: Any, review: ManagementReview, category: str) -> str:
    return f"{url(project, review.id, 'outputs')}?category={category}"


def output_data(category: str, **fields: Any) -> dict[str, str]:
    values = {
        "kind": "action",
        "text": "Train two more internal auditors before the next audit",
        "owner": "Ms Lan",
        "due_date": (TODAY + timedelta(days=60)).isoformat(),
    } | fields
    return {f"output-{category}-{name}": value for name, value in values.items()}


def test_an_action_and_a_decision_are_recorded_under_their_output(http, tree, review):
    project = tree["project"]
    response = http.post(add_url(project, review, "resources"), data=output_data("resources"))
    assert response.status_code == 303 and response.headers["Location"].endswith("#output-resources")
    decision = output_data("improvement", kind="decision", text="Keep the supplier list as it stands now",
                           owner="", due_date="")  # fmt: skip
    assert http.post(add_url(project, review, "improvement"), data=decision).status_code == 303
    outputs = {o.category: o for o in reload(review.id).outputs}
    assert outputs["resources"].kind == "action" and outputs["resources"].owner == "Ms Lan"
    assert outputs["improvement"].kind == "decision" and outputs["improvement"].due_date is None
    page = http.get(url(project, review.id))
    assert 'id="missing-outputs"' in page.text and "(b) any need for changes" in page.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"owner": ""}, "owner", "Name who carries out the action."),
        ({"due_date": ""}, "due_date", "Give the date the action is due."),
        ({"due_date": "2020-01-01"}, "due_date", "cannot be due before the review"),
        ({"text": "todo"}, "text", "real sentence"),
    ],
)
def test_an_action_that_breaks_a_rule_is_refused_beside_its_field(http, tree, review, fields, field, message):
    response = http.post(
        add_url(tree["project"], review, "resources"), data=output_data("resources", **fields)
    )
    assert response.status_code == 422
    assert any(message in e for e in field_errors(response, f"output-resources-{field}"))
    assert count(ReviewOutput) == 0


def test_an_output_under_no_category_of_the_standard_is_refused(http, tree, review):
    project = tree["project"]
    response = http.post(
        add_url(project, review, "regulatory_changes"), data=output_data("regulatory_changes")
    )
    assert response.status_code == 422 and "Choose which output" in response.text
    assert http.post(url(project, review.id, "outputs"), data={}).status_code == 422
    assert count(ReviewOutput) == 0


def done_url(project: Any, output: ReviewOutput) -> str:
    return url(project, output.review_id, "outputs", output.id, "done")


def done_data(output: ReviewOutput, done_on: date, version: int | None = None) -> dict[str, str]:
    prefix = f"done-{output.id}"
    return {f"{prefix}-done_on": done_on.isoformat(), f"{prefix}-version": str(version or output.version)}


def test_an_action_is_marked_done(http, tree, review):
    project = tree["project"]
    action = rs.add_output(review, "resources")
    response = http.post(done_url(project, action), data=done_data(action, TODAY))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ReviewOutput, action.id).done_on == TODAY
    again = http.post(done_url(project, action), data=done_data(action, TODAY))  # read afresh
    assert again.status_code == 409 and "already recorded as done" in again.text


@pytest.mark.parametrize(
    ("done_on", "message"),
    [
        (TODAY + timedelta(days=1), "the date is in the future"),
        (TODAY - timedelta(days=30), "before the review"),
    ],
)
def test_an_action_done_in_the_future_or_before_its_review_is_refused(http, tree, review, done_on, message):
    action = rs.add_output(review, "resources")
    response = http.post(done_url(tree["project"], action), data=done_data(action, done_on))
    assert response.status_code == 422
    assert any(message in e for e in field_errors(response, f"done-{action.id}-done_on"))
    db.session.expire_all()
    assert db.session.get(ReviewOutput, action.id).done_on is None


def test_marking_done_from_a_stale_copy_is_409(http, tree, review):
    action = rs.add_output(review, "resources")
    action.text = "Replace the scale in the warehouse before the audit"
    db.session.commit()  # someone changed it after the page was read at version 1
    response = http.post(done_url(tree["project"], action), data=done_data(action, TODAY, 1))
    assert response.status_code == 409 and "Someone else saved this action" in response.text
    db.session.expire_all()
    assert db.session.get(ReviewOutput, action.id).done_on is None


# The list and the minutes


def test_the_list_counts_inputs_and_shows_every_open_action_with_overdue_badges(http, tree):
    project = tree["project"]
    complete = rs.add_review(project, TODAY - timedelta(days=10), texts=rs.every_input(project))
    rs.add_output(
        complete, "resources", text="Hire one more quality inspector now", due_date=TODAY - timedelta(days=1)
    )
    rs.add_output(complete, "improvement", text="Finished action of the review", done_on=TODAY)
    partial = rs.add_review(project, TODAY - timedelta(days=400), texts={"audit_results": SENTENCE})
    page = http.get(url(project))
    assert page.status_code == 200
    assert f'data-review-id="{complete.id}"' in page.text and f'data-review-id="{partial.id}"' in page.text
    assert page.text.index(f'data-review-id="{complete.id}"') < page.text.index(
        f'data-review-id="{partial.id}"'
    )
    assert ">12/12<" in page.text and ">1/12<" in page.text
    actions = page.text[page.text.index('id="open-actions"') :]
    assert "Hire one more quality inspector now" in actions and 'data-action-state="overdue"' in actions
    assert "Finished action of the review" not in actions


def test_the_minutes_show_the_record_every_input_and_the_decisions_and_actions(http, tree):
    project = tree["project"]
    review = rs.add_review(project, texts={"audit_results": "Two audits found three minor issues in all."})
    rs.add_output(review, "resources", text="Hire one more quality inspector now", owner="Mr Hung",
                  due_date=TODAY + timedelta(days=14))  # fmt: skip
    rs.add_output(review, "improvement", kind="decision", text="Keep the supplier list as it stands now")
    page = http.get(url(project, review.id, "minutes"))
    assert page.status_code == 200
    text = page.text
    assert "<li>Mr Minh, director</li>" in text and "<li>Ms Lan, quality manager</li>" in text
    for item in review_inputs(StandardFamily.ISO_9001):
        assert f"({item.ref}) {item.title}" in text
    assert "Two audits found three minor issues in all." in text and "Not recorded." in text
    for item in review_outputs(StandardFamily.ISO_9001):
        assert f"({item.ref}) {item.title}" in text
    assert "Hire one more quality inspector now" in text and "Mr Hung" in text
    assert (TODAY + timedelta(days=14)).strftime("%d %b %Y") in text and ">Open<" in text
    assert "Keep the supplier list as it stands now" in text


# Another workspace's or project's reviews


def test_another_workspaces_review_is_404(http, make, tree):
    theirs = make.tree()
    review = rs.add_review(theirs["project"])
    action = rs.add_output(review, "resources")
    for address in (url(tree["project"], review.id), url(tree["project"], review.id, "minutes")):
        assert http.get(address).status_code == 404
    assert (
        http.post(add_url(tree["project"], review, "resources"), data=output_data("resources")).status_code
        == 404
    )
    assert http.post(done_url(tree["project"], action), data=done_data(action, TODAY)).status_code == 404
    # and through their own project's address, which this user cannot see either
    assert http.get(url(theirs["project"], review.id)).status_code == 404


def test_a_review_of_another_project_of_the_workspace_is_404_under_this_one(http, make, tree):
    other = make.project(tree["site"])
    review = rs.add_review(other)
    assert http.get(url(tree["project"], review.id)).status_code == 404
    assert http.get(url(other, review.id)).status_code == 200


def test_an_action_of_another_review_is_404(http, tree, review):
    other = rs.add_review(tree["project"])
    action = rs.add_output(other, "resources")
    address = url(tree["project"], review.id, "outputs", action.id, "done")
    assert http.post(address, data=done_data(action, TODAY)).status_code == 404


# Queries


def fill(project: Any, reviews: int, outputs: int) -> ManagementReview:
    review = rs.add_review(project, texts=rs.every_input(project))
    for index in range(outputs):
        rs.add_output(review, ("improvement", "resources")[index % 2], kind=("action", "decision")[index % 2])
    for _ in range(reviews):
        rs.add_review(project, TODAY - timedelta(days=800))
    return review


def test_the_review_page_and_the_minutes_run_the_same_queries_at_two_sizes(http, make, tree):
    small = fill(tree["project"], reviews=1, outputs=2)
    large_tree = make.tree(tree["workspace"])
    large = fill(large_tree["project"], reviews=6, outputs=24)
    addresses = [url(tree["project"], small.id), url(large_tree["project"], large.id)]
    for suffix in ("", "/minutes"):
        counts = []
        for address in addresses:
            with count_queries() as statements:
                assert http.get(address + suffix).status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1], suffix
    lists = [address.rsplit("/", 1)[0] for address in addresses]
    counts = []
    for address in lists:
        with count_queries() as statements:
            assert http.get(address).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_every_id_on_the_review_pages_is_unique_and_every_label_has_its_control(http, tree):
    project = tree["project"]
    review = rs.add_review(project, texts={"audit_results": SENTENCE})
    rs.add_output(review, "resources")
    rs.add_output(review, "improvement")
    rs.add_output(review, "improvement", kind="decision")
    refused = http.post(add_url(project, review, "resources"), data=output_data("resources", owner=""))
    for page in (http.get(url(project, review.id)), refused, http.get(url(project, review.id, "minutes"))):
        check_ids(page.text)
    check_ids(http.get(url(project)).text)
    check_ids(http.get(url(project, "new")).text)


def records(project: Any, size: int) -> None:
    """Earlier reviews with actions, reported audits, findings and measured objectives, ``size`` of each."""
    for index in range(size):
        earlier = rs.add_review(project, TODAY - timedelta(days=300 + index))
        rs.add_output(earlier, "resources", due_date=TODAY - timedelta(days=index))
        rs.add_reported_audit(project, TODAY - timedelta(days=10 + index), ["conforming", "minor"])
        rs.add_finding(project, ("major", "minor")[index % 2], raised_on=TODAY - timedelta(days=index))
        rs.add_objective(project, title=f"Objective number {index}", values=[(TODAY, "90"), (TODAY, "99")])


def test_recording_a_review_runs_the_same_queries_at_two_sizes(http, make, tree):
    large = make.tree(tree["workspace"])["project"]
    records(tree["project"], 1)
    records(large, 6)
    counts = []
    for address in (url(tree["project"], "new"), url(large, "new")):
        with count_queries() as statements:
            assert http.post(address, data=record()).status_code == 303
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_project_page_names_the_review_actions_past_due_oldest_first(http, tree):
    """Read with the reviews' outputs, which the stage counts by category (one query for both)."""
    project = tree["project"]
    review = rs.add_review(project)
    days = [timedelta(days=n) for n in range(30)]
    rs.add_output(review, "improvement", text="Recalibrate the scales", due_date=TODAY - days[3])
    rs.add_output(review, "resources", text="Hire a second inspector", due_date=TODAY - days[9])
    rs.add_output(review, "improvement", text="Train the packers", due_date=TODAY - days[20], done_on=TODAY)
    rs.add_output(review, "improvement", text="Repaint the store", due_date=TODAY + days[1])
    rs.add_output(review, "improvement", kind="decision", text="Keep the night shift")
    html = http.get(f"/projects/{project.id}").get_data(as_text=True)
    steps = html.split('id="next-steps"')[1].split("</ol>")[0]
    assert "Follow up 2 management review actions past their due date" in steps
    assert steps.index("Hire a second inspector") < steps.index("Recalibrate the scales")
    assert "Train the packers" not in steps and "Repaint the store" not in steps
    overview = project_overview(db.session.get(CertificationProject, project.id), TODAY)
    [facts] = overview.snapshot.reviews
    assert facts.outputs == {"improvement": 4, "resources": 1}
