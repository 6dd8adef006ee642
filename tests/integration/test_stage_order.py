"""The stage order on the stage pages: a stage starts once the one before it is done, or early with an
owner's written reason (recorded and shown); marking done follows the same order; an untouched stage
shows 0 %."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, update

from app.domain import gates
from app.domain.pathway import Stage
from app.extensions import db
from app.models import Assessment, ProjectStage
from app.services import charts as chart_service
from app.services.pathway import project_overview
from tests.factories import login
from tests.html import field_errors
from tests.integration.evidence_support import user_as

REASON = "The trainer is only free this month, so awareness training starts before the manual is approved."
ORDER = [stage.value for stage in Stage]


def stage(project: Any, key: str) -> ProjectStage:
    db.session.expire_all()
    return db.session.execute(
        select(ProjectStage).where(ProjectStage.project_id == project.id, ProjectStage.key == key)
    ).scalar_one()


def set_status(project: Any, keys: list[str], status: str) -> None:
    db.session.execute(
        update(ProjectStage)
        .where(ProjectStage.project_id == project.id, ProjectStage.key.in_(keys))
        .values(status=status)
    )
    db.session.commit()


def start(http: Any, project: Any, key: str, **fields: str) -> Any:
    data = {"status": "in_progress", "version": str(stage(project, key).version)} | fields
    return http.post(f"/projects/{project.id}/stages/{key}", data=data)


def test_training_does_not_start_while_the_gap_analysis_is_not_done(client, owner, tree):
    project = tree["project"]
    response = start(client, project, "training", planned_start="2027-01-04")
    assert response.status_code == 422
    assert field_errors(response, "dates-status") == [
        "Training starts once Documentation is done. An owner may start it earlier with a written reason."
    ]
    row = stage(project, "training")
    assert (row.status, row.planned_start, row.override_reason) == ("not_started", None, "")


def test_a_stage_starts_once_the_one_before_it_is_done(client, owner, tree):
    project = tree["project"]
    assert start(client, project, "gap_analysis").status_code == 303  # the first stage waits for none
    assert start(client, project, "documentation").status_code == 422
    set_status(project, ["gap_analysis"], "done")
    assert start(client, project, "documentation").status_code == 303
    row = stage(project, "documentation")
    assert (row.status, row.override_reason, row.override_by_id) == ("in_progress", "", None)


def test_the_stage_page_says_why_a_stage_cannot_start_yet(client, owner, tree):
    page = client.get(f"/projects/{tree['project'].id}/stages/training").text
    assert 'id="start-block"' in page
    assert "Training starts once Documentation is done." in page
    first = client.get(f"/projects/{tree['project'].id}/stages/gap_analysis").text
    assert 'id="start-block"' not in first


@pytest.mark.parametrize(("reason", "field"), [("x", "dates-override_reason"), ("  ", "dates-status")])
def test_an_owner_override_needs_a_real_sentence(client, owner, tree, reason, field):
    project = tree["project"]
    response = start(client, project, "training", override_reason=reason)
    assert response.status_code == 422
    expected = gates.override_error("x") if reason.strip() else gates.start_error(Stage.TRAINING, {})
    assert field_errors(response, field) == [expected]
    assert stage(project, "training").status == "not_started"


def test_an_owner_starts_a_stage_early_with_a_reason_recorded_and_shown(client, owner, tree):
    project = tree["project"]
    form = client.get(f"/projects/{project.id}/stages/training").text
    assert 'name="override_reason"' in form  # offered to the owner while the stage before is not done
    response = start(client, project, "training", override_reason=f"  {REASON}  ")
    assert response.status_code == 303
    row = stage(project, "training")
    assert (row.status, row.override_reason, row.override_by_id, row.override_on) == (
        "in_progress",
        REASON,
        owner.id,
        date.today(),
    )
    page = client.get(f"/projects/{project.id}/stages/training").text
    note = re.search(r'<div class="alert alert-info" role="note" id="stage-override">(.*?)</div>', page, re.S)
    assert note is not None
    text = " ".join(re.sub(r"<[^>]+>", "", note.group(1)).split())
    assert text == f"Started before Documentation was done: {REASON} — {owner.name}, {date.today():%d %b %Y}"


def test_setting_a_stage_back_to_not_started_forgets_its_early_start(client, owner, tree):
    project = tree["project"]
    assert start(client, project, "training", override_reason=REASON).status_code == 303
    back = {"status": "not_started", "version": str(stage(project, "training").version)}
    assert client.post(f"/projects/{project.id}/stages/training", data=back).status_code == 303
    row = stage(project, "training")
    assert (row.status, row.override_reason, row.override_by_id, row.override_on) == (
        "not_started",
        "",
        None,
        None,
    )
    assert 'id="stage-override"' not in client.get(f"/projects/{project.id}/stages/training").text


@pytest.mark.parametrize("role", ["consultant", "client_manager", "contributor"])
def test_only_an_owner_may_override(app, make, tree, role):
    project = tree["project"]
    http, _ = user_as(app, make, tree, role)
    assert 'name="override_reason"' not in http.get(f"/projects/{project.id}/stages/training").text
    response = start(http, project, "training", override_reason=REASON)
    assert response.status_code == 422
    assert field_errors(response, "dates-status") == [gates.start_error(Stage.TRAINING, {})]
    assert (stage(project, "training").status, stage(project, "training").override_reason) == (
        "not_started",
        "",
    )


def test_an_owner_needs_no_reason_in_order_and_none_is_recorded(client, owner, tree):
    project = tree["project"]
    set_status(project, ["gap_analysis", "documentation"], "done")
    assert start(client, project, "training", override_reason=REASON).status_code == 303
    assert stage(project, "training").override_reason == ""


def test_marking_done_waits_for_the_stage_before(client, owner, tree):
    project = tree["project"]
    db.session.execute(update(Assessment).where(Assessment.project_id == project.id).values(status="met"))
    db.session.commit()
    set_status(project, ["documentation"], "done")  # done, but the gap analysis before it is not
    url = f"/projects/{project.id}/stages/training"
    response = client.post(f"{url}/complete")
    assert response.status_code == 303 and response.headers["Location"] == url
    page = client.get(url).text
    assert "Training can be marked done once Documentation is done" not in page  # documentation is done
    set_status(project, ["documentation"], "in_progress")
    response = client.post(f"{url}/complete")
    assert response.status_code == 303
    page = client.get(url).text
    assert (
        "This stage cannot be marked done yet. Training can be marked done once Documentation is done" in page
    )
    assert stage(project, "training").status == "not_started"


def test_an_overridden_stage_may_be_marked_done_on_its_criteria(client, owner, tree):
    project = tree["project"]
    db.session.execute(update(Assessment).where(Assessment.project_id == project.id).values(status="met"))
    db.session.commit()
    assert start(client, project, "documentation", override_reason=REASON).status_code == 303
    client.post(f"/projects/{project.id}/stages/documentation/complete")
    page = client.get(f"/projects/{project.id}/stages/documentation").text
    assert "can be marked done once" not in page  # the order no longer stands in the way
    assert "Still to meet: Every mandatory document approved" in page  # its criteria still do


def test_the_gap_analysis_is_marked_done_on_its_criteria_alone(client, owner, tree):
    project = tree["project"]
    db.session.execute(update(Assessment).where(Assessment.project_id == project.id).values(status="met"))
    db.session.commit()
    assert client.post(f"/projects/{project.id}/stages/gap_analysis/complete").status_code == 303
    assert stage(project, "gap_analysis").status == "done"


def test_a_done_stage_can_be_reopened_whatever_the_stage_before(client, owner, tree):
    project = tree["project"]
    set_status(project, ["training"], "done")
    assert start(client, project, "training").status_code == 303
    assert stage(project, "training").status == "in_progress"


# An untouched stage shows 0 %


def test_untouched_stages_show_zero_everywhere(client, owner, tree):
    project = tree["project"]
    page = client.get(f"/projects/{project.id}").text
    bars = re.findall(r'aria-valuenow="(\d+)"', page)
    assert bars == ["0"] * len(ORDER)
    assert "25%" not in page
    for key in ORDER:
        assert "stage progress 0%" in client.get(f"/projects/{project.id}/stages/{key}").text
    overview = project_overview(project, date.today())
    assert [bar.progress.percent for bar in chart_service.stage_bars(overview)] == [0] * len(ORDER)
    chart = client.get(f"/projects/{project.id}/charts").text
    assert "25%" not in chart


def test_a_started_stage_counts_its_criteria(client, owner, tree):
    project = tree["project"]
    untouched = project_overview(project, date.today()).stage("internal_audit").progress
    assert untouched.criteria_met >= 1  # "no open major finding" holds before any audit
    assert untouched.percent == 0
    set_status(project, ORDER[:3], "done")
    assert start(client, project, "internal_audit").status_code == 303
    started = project_overview(project, date.today()).stage("internal_audit").progress
    assert started.criteria_met == untouched.criteria_met
    assert started.percent is not None and started.percent > 0


def test_the_owner_in_another_workspace_cannot_start_this_stage(client, make, tree):
    login(client, make.user(make.workspace(), role="owner"))
    response = start(client, tree["project"], "training", override_reason=REASON)
    assert response.status_code == 404
    assert stage(tree["project"], "training").status == "not_started"
