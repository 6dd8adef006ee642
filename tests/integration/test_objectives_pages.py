"""The quality objective pages: the list with each objective's target, latest value, status and chart,
adding one, editing it on the version read, and recording measured values; refusals beside their fields,
foreign ids 404, viewers 403."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import ObjectiveMeasurement, QualityObjective
from tests.html import field_errors, form_values
from tests.integration import review_support as rs
from tests.integration.evidence_support import user_as
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries

TODAY = date.today()


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/objectives", *(str(p) for p in parts)])


def count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(objective_id: int) -> QualityObjective:
    db.session.expire_all()
    found = db.session.get(QualityObjective, objective_id)
    assert found is not None
    return found


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


@pytest.fixture
def viewer(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "viewer")[0]


def objective_data(**fields: Any) -> dict[str, str]:
    return {
        "title": "Keep customer returns low",
        "measure": "Units returned / units shipped, each quarter",
        "direction": "at_most",
        "target": "0,5",
        "unit": "%",
        "owner": "Ms Lan, quality",
        "due_date": (TODAY + timedelta(days=180)).isoformat(),
        "notes": "",
    } | fields


def figure_of(page: Any, key: str) -> dict[str, Any]:
    found = re.search(rf'id="{key}-figure" data-figure="([^"]*)"', page.text)
    assert found, f"no chart {key}"
    return json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))


# Adding


def test_an_objective_is_added(http, tree):
    project = tree["project"]
    response = http.post(url(project, "new"), data=objective_data())
    assert response.status_code == 303
    objective = db.session.execute(select(QualityObjective)).scalar_one()
    assert response.headers["Location"].endswith(url(project, objective.id))
    assert objective.target == Decimal("0.5") and objective.direction == "at_most"
    page = http.get(response.headers["Location"])
    assert "at most 0.5 %" in page.text and 'data-objective-status="none"' in page.text
    assert "Nothing measured yet" in page.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"target": "about ninety"}, "target", "Give the target as a number."),
        ({"owner": ""}, "owner", "Name who owns the objective."),
        ({"due_date": ""}, "due_date", "Give the date by which"),
        ({"title": "x"}, "title", "Write the objective in words"),
        ({"direction": "roughly"}, "direction", "at least or at most"),
        ({"unit": "u" * 21}, "unit", "at most 20 characters"),
    ],
)
def test_an_objective_that_breaks_a_rule_is_refused_beside_its_field(http, tree, fields, field, message):
    response = http.post(url(tree["project"], "new"), data=objective_data(**fields))
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field))
    assert form_values(response, "target")["measure"] == objective_data()["measure"]
    assert count(QualityObjective) == 0


def test_a_viewer_sees_the_objectives_but_adds_or_changes_nothing(viewer, tree):
    project = tree["project"]
    objective = rs.add_objective(project)
    assert viewer.get(url(project)).status_code == 200
    page = viewer.get(url(project, objective.id))
    assert page.status_code == 200 and 'id="objective-form"' not in page.text
    assert viewer.get(url(project, "new")).status_code == 403
    assert viewer.post(url(project, "new"), data=objective_data()).status_code == 403
    sent = objective_data(version=str(objective.version))
    assert viewer.post(url(project, objective.id), data=sent).status_code == 403
    measured = {"measurement-measured_on": TODAY.isoformat(), "measurement-value": "1"}
    assert viewer.post(url(project, objective.id, "measurements"), data=measured).status_code == 403
    assert count(QualityObjective) == 1 and count(ObjectiveMeasurement) == 0


# Editing


def test_an_objective_is_edited_on_the_version_read(http, tree):
    objective = rs.add_objective(tree["project"])
    sent = objective_data(title="Deliver every order on time", version=str(objective.version))
    assert http.post(url(tree["project"], objective.id), data=sent).status_code == 303
    saved = reload(objective.id)
    assert saved.title == "Deliver every order on time" and saved.version == 2


def test_a_stale_edit_is_409_showing_the_saved_values(http, tree):
    objective = rs.add_objective(tree["project"])
    objective.owner = "Mr Tuan, sales"
    db.session.commit()  # saved by someone else after the page was read at version 1
    response = http.post(url(tree["project"], objective.id), data=objective_data(version="1"))
    assert response.status_code == 409
    assert "Someone else saved this objective" in response.text
    form = form_values(response, "target")
    assert form["owner"] == "Mr Tuan, sales" and form["version"] == "2"
    assert "Ms Lan, quality" in response.text  # what was typed, in the notice
    assert reload(objective.id).title == "Deliver orders on time"


def test_an_edit_that_breaks_a_rule_is_422_and_saves_nothing(http, tree):
    objective = rs.add_objective(tree["project"])
    sent = objective_data(target="", version=str(objective.version))
    response = http.post(url(tree["project"], objective.id), data=sent)
    assert response.status_code == 422 and field_errors(response, "target")
    assert reload(objective.id).target == Decimal(95)


# Measuring


def measure(http: FlaskClient, project: Any, objective: QualityObjective, day: date, value: str) -> Any:
    data = {"measurement-measured_on": day.isoformat(), "measurement-value": value}
    return http.post(url(project, objective.id, "measurements"), data=data)


def test_values_are_recorded_and_judged_on_the_latest(http, tree):
    project = tree["project"]
    objective = rs.add_objective(project)  # at least 95 %
    assert measure(http, project, objective, TODAY - timedelta(days=40), "97").status_code == 303
    assert measure(http, project, objective, TODAY - timedelta(days=10), "93,5").status_code == 303
    page = http.get(url(project, objective.id))
    assert 'data-objective-status="not_met"' in page.text
    figure = figure_of(page, "objective-values")
    assert figure["data"][0]["y"] == [97.0, 93.5]
    assert figure["layout"]["shapes"][0]["y0"] == 95.0  # the target line
    assert figure["layout"]["xaxis"]["type"] == "date"
    listed = http.get(url(project))
    assert "93.5 %" in listed.text and 'data-objective-status="not_met"' in listed.text
    assert f'id="objective-{objective.id}-figure"' in listed.text


@pytest.mark.parametrize(
    ("day", "value", "field", "message"),
    [
        (TODAY + timedelta(days=1), "90", "measured_on", "the date is in the future"),
        (TODAY, "ninety", "value", "Give the measured value as a number."),
        (TODAY, "1e12", "value", "Give the measured value as a number."),
    ],
)
def test_a_measurement_that_breaks_a_rule_is_refused(http, tree, day, value, field, message):
    objective = rs.add_objective(tree["project"])
    response = measure(http, tree["project"], objective, day, value)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, f"measurement-{field}"))
    assert count(ObjectiveMeasurement) == 0


def test_the_list_shows_target_owner_due_latest_and_status(http, tree):
    project = tree["project"]
    met = rs.add_objective(project, values=[(TODAY - timedelta(days=3), "96")])
    rs.add_objective(project, title="Keep scrap below two percent", target="2", direction="at_most")
    page = http.get(url(project))
    assert page.status_code == 200
    row = page.text[page.text.index(f'data-objective-id="{met.id}"') :]
    assert "at least 95 %" in row and "Mr Hung, logistics" in row and "96 %" in row
    assert 'data-objective-status="met"' in row
    assert 'data-objective-status="none"' in page.text and "at most 2 %" in page.text


# Another workspace's objectives, and queries


def test_another_workspaces_objective_is_404(http, make, tree):
    theirs = rs.add_objective(make.tree()["project"])
    project = tree["project"]
    assert http.get(url(project, theirs.id)).status_code == 404
    assert http.post(url(project, theirs.id), data=objective_data(version="1")).status_code == 404
    assert measure(http, project, theirs, TODAY, "90").status_code == 404
    assert count(ObjectiveMeasurement) == 0


def test_the_list_runs_the_same_queries_at_two_sizes(http, make, tree):
    days = [TODAY - timedelta(days=n) for n in range(1, 7)]
    rs.add_objective(tree["project"], values=[(days[0], "90")])
    other = make.tree(tree["workspace"])["project"]
    for index in range(5):
        rs.add_objective(other, title=f"Objective number {index}", values=[(d, "96") for d in days])
    counts = []
    for address in (url(tree["project"]), url(other)):
        with count_queries() as statements:
            assert http.get(address).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_every_id_on_the_objective_pages_is_unique_and_every_label_has_its_control(http, tree):
    project = tree["project"]
    first = rs.add_objective(project, values=[(TODAY - timedelta(days=2), "96")])
    rs.add_objective(project, title="Keep scrap below two percent", target="2", direction="at_most")
    for address in (url(project), url(project, first.id), url(project, "new")):
        check_ids(http.get(address).text)


def test_a_value_is_kept_to_four_decimals_as_stored(http, tree):
    objective = rs.add_objective(tree["project"])
    assert measure(http, tree["project"], objective, TODAY, "95.00004").status_code == 303
    assert measure(http, tree["project"], objective, TODAY, "1e-999999999").status_code == 303
    values = sorted(m.value for m in reload(objective.id).measurements)
    assert values == [Decimal(0), Decimal(95)]
