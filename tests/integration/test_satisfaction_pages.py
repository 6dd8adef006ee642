"""The customer satisfaction pages: the measures with their latest value, target, trend, status and chart,
adding a measure, editing it on the version read, recording values, its history and evidence; the list's
filters and pages; refusals beside their fields, stale saves 409, foreign ids 404, viewers 403; and the
register's state."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import RegisterEvent, SatisfactionMeasure, SatisfactionValue
from app.services import satisfaction as service
from tests.html import field_errors, form_values
from tests.integration.evidence_support import user_as
from tests.integration.satisfaction_support import TODAY, add_measure
from tests.integration.test_api import bearer, token_for
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries


def url(project: Any, *parts: Any, query: str = "") -> str:
    address = "/".join([f"/projects/{project.id}/satisfaction", *(str(p) for p in parts)])
    return f"{address}?{query}" if query else address


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(measure_id: int) -> SatisfactionMeasure:
    db.session.expire_all()
    found = db.session.get(SatisfactionMeasure, measure_id)
    assert found is not None
    return found


def history(measure_id: int) -> list[str]:
    rows = select(RegisterEvent.summary).where(
        RegisterEvent.register == "satisfaction_measure", RegisterEvent.record_id == measure_id
    )
    return list(db.session.execute(rows.order_by(RegisterEvent.id)).scalars())


def ago(days: int) -> Any:
    return TODAY - timedelta(days=days)


def listed_ids(page: Any) -> list[int]:
    return [int(part.split('"')[0]) for part in page.text.split('data-measure-id="')[1:]]


def figure_of(page: Any, key: str) -> dict[str, Any]:
    found = re.search(rf'id="{key}-figure" data-figure="([^"]*)"', page.text)
    assert found, f"no chart {key}"
    return json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


def measure_data(**fields: str) -> dict[str, str]:
    return {
        "name": "Customer returns",
        "kind": "returns",
        "direction": "lower",
        "target": "0,5",
        "unit": "%",
    } | fields


def value_data(day: Any, value: str, notes: str = "") -> dict[str, str]:
    return {"value-period_end": day.isoformat() if day else "", "value-value": value, "value-notes": notes}


def test_a_measure_is_added_given_values_and_judged_on_the_latest(http, tree):
    project = tree["project"]
    response = http.post(url(project, "new"), data=measure_data())
    assert response.status_code == 303
    measure = db.session.execute(select(SatisfactionMeasure)).scalar_one()
    assert (measure.target, measure.higher_is_better, measure.kind) == (Decimal("0.5"), False, "returns")
    page = http.get(url(project, measure.id))
    assert "at most 0.5 %" in page.text and "Nothing recorded yet" in page.text
    assert 'id="evidence-heading"' in page.text and f"/projects/{project.id}/registers" in page.text
    assert http.post(url(project, measure.id, "values"), data=value_data(ago(40), "0.4")).status_code == 303
    saved = http.post(url(project, measure.id, "values"), data=value_data(ago(10), "0,7", "Two lots"))
    assert saved.status_code == 303 and saved.headers["Location"].endswith("#values-section")
    page = http.get(url(project, measure.id))
    assert 'data-target-status="below"' in page.text and 'data-trend="worse"' in page.text
    figure = figure_of(page, "measure-values")
    assert figure["data"][0]["y"] == [0.4, 0.7] and figure["layout"]["shapes"][0]["y0"] == 0.5
    assert "Two lots" in page.text
    listed = http.get(url(project))
    assert "0.7 %" in listed.text and f'id="measure-{measure.id}-figure"' in listed.text
    assert history(measure.id) == [
        "Measure added: Customer returns (returns), target at most 0.5 %.",
        f"Recorded 0.4 % for the period ending {service.day_text(ago(40))}.",
        f"Recorded 0.7 % for the period ending {service.day_text(ago(10))}.",
    ]


MEASURE_REFUSALS = [
    ({"name": ""}, "name", "Name the measure"),
    ({"kind": "gossip"}, "kind", "Choose a survey"),
    ({"target": "high"}, "target", "Give the target as a number"),
    ({"target": "1e12"}, "target", "Give the target as a number"),
    ({"unit": "u" * 21}, "unit", "at most 20 characters"),
]
VALUE_REFUSALS = [
    (TODAY + timedelta(days=1), "90", "period_end", "the date is in the future"),
    (None, "90", "period_end", "Give the last day of the period"),
    (TODAY, "ninety", "value", "Give the value as a number"),
    (TODAY, "", "value", "Give the value as a number"),
]


def test_a_measure_or_a_value_that_breaks_a_rule_is_refused_beside_its_field(http, tree):
    project = tree["project"]
    for fields, field, message in MEASURE_REFUSALS:
        response = http.post(url(project, "new"), data=measure_data(**fields))
        assert response.status_code == 422, fields
        assert any(message in error for error in field_errors(response, field)), fields
        assert form_values(response, "name")["unit"] == measure_data(**fields)["unit"]
    measure = add_measure(project)
    for day, value, field, message in VALUE_REFUSALS:
        response = http.post(url(project, measure.id, "values"), data=value_data(day, value))
        assert response.status_code == 422, (day, value)
        assert any(message in error for error in field_errors(response, f"value-{field}")), (day, value)
    assert count(SatisfactionMeasure) == 1 and count(SatisfactionValue) == 0


def test_a_measure_is_edited_on_the_version_read_and_a_stale_edit_is_409(http, tree):
    project = tree["project"]
    measure = add_measure(project)
    sent = measure_data(name="Survey score", kind="survey", direction="higher", target="", version="1")
    response = http.post(url(project, measure.id), data=sent)
    assert response.status_code == 303
    saved = reload(measure.id)
    assert (saved.name, saved.target, saved.version) == ("Survey score", None, 2)
    assert history(measure.id)[-1] == "Changed the name, target."
    stale = http.post(url(project, measure.id), data=sent | {"name": "Survey", "version": "1"})
    assert stale.status_code == 409 and "Someone else saved this measure" in stale.text
    assert form_values(stale, "name")["name"] == "Survey score" and reload(measure.id).name == "Survey score"
    refused = http.post(url(project, measure.id), data=sent | {"name": "", "version": "2"})
    assert refused.status_code == 422 and field_errors(refused, "name")


def test_a_viewer_reads_the_register_but_changes_nothing(app, make, tree):
    viewer = user_as(app, make, tree, "viewer")[0]
    project = tree["project"]
    measure = add_measure(project, values=[(ago(5), "90")])
    assert viewer.get(url(project)).status_code == 200
    page = viewer.get(url(project, measure.id))
    assert (
        page.status_code == 200
        and 'id="measure-form"' not in page.text
        and 'id="value-form"' not in page.text
    )
    assert viewer.get(url(project, "new")).status_code == 403
    assert viewer.post(url(project, "new"), data=measure_data()).status_code == 403
    assert viewer.post(url(project, measure.id), data=measure_data(version="1")).status_code == 403
    assert viewer.post(url(project, measure.id, "values"), data=value_data(TODAY, "1")).status_code == 403
    assert count(SatisfactionMeasure) == 1 and count(SatisfactionValue) == 1


def test_another_workspaces_measure_is_404(http, make, tree):
    theirs = add_measure(make.tree()["project"])
    project = tree["project"]
    assert http.get(url(project, theirs.id)).status_code == 404
    assert http.post(url(project, theirs.id), data=measure_data(version="1")).status_code == 404
    assert http.post(url(project, theirs.id, "values"), data=value_data(TODAY, "1")).status_code == 404
    assert count(SatisfactionValue) == 0


def test_the_list_filters_by_kind_and_status_and_pages(http, tree, monkeypatch):
    project = tree["project"]
    meets = add_measure(project, "A survey", values=[(ago(20), "90")])
    below = add_measure(
        project, "B returns", kind="returns", higher_is_better=False, target="1", values=[(ago(9), "2")]
    )
    stale = add_measure(project, "C delivery", kind="on_time_delivery", values=[(ago(200), "99")])
    never = add_measure(project, "D visits", kind="other", target="")
    page = http.get(url(project))
    assert listed_ids(page) == [meets.id, below.id, stale.id, never.id]
    for query, expected in (
        ("status=meets", [meets.id, stale.id]),
        ("status=below", [below.id]),
        ("status=stale", [stale.id, never.id]),
        ("kind=returns", [below.id]),
    ):
        assert listed_ids(http.get(url(project, query=query))) == expected, query
    unknown = http.get(url(project, query="status=great"))
    assert "There is no status “great”" in unknown.text and len(listed_ids(unknown)) == 4
    monkeypatch.setattr("app.satisfaction.routes.PER_PAGE", 3)
    assert listed_ids(http.get(url(project, query="page=2"))) == [never.id]


def test_the_list_and_the_api_run_the_same_queries_at_two_sizes(http, make, tree):
    project = tree["project"]
    add_measure(project, values=[(ago(3), "90")])
    other = make.tree(tree["workspace"])["project"]
    for index in range(5):
        add_measure(other, f"Measure {index}", values=[(ago(n * 30 + 1), str(80 + n)) for n in range(4)])
    headers = bearer(token_for(make.user(tree["workspace"], role="owner")))
    assert http.get("/api/v1/projects", headers=headers).status_code == 200  # the token's first use noted
    pages, api = [], []
    for address, api_address in [
        (url(p), f"/api/v1/projects/{p.id}/satisfaction-measures") for p in (project, other)
    ]:
        with count_queries() as statements:
            assert http.get(address).status_code == 200
        pages.append(len(statements))
        with count_queries() as statements:
            assert http.get(api_address, headers=headers).status_code == 200
        api.append(len(statements))
    assert pages[0] == pages[1] and api[0] == api[1]


def test_every_id_on_the_satisfaction_pages_is_unique_and_every_label_has_its_control(http, tree):
    project = tree["project"]
    first = add_measure(project, values=[(ago(2), "96")])
    add_measure(project, "Returns", kind="returns", higher_is_better=False, target="")
    for address in (url(project), url(project, first.id), url(project, "new")):
        check_ids(http.get(address).text)


def test_the_register_state_counts_none_stale_and_below_target(tree):
    project = tree["project"]
    empty = service.register_state(project, TODAY)
    assert (
        empty.has_problems
        and empty.concerns[0].action == "Decide how you will measure customer satisfaction (9.1.2)"
    )
    add_measure(project, "Survey", values=[(ago(30), "80"), (ago(400), "95")])  # below 85, measured lately
    add_measure(project, "Delivery", values=[(ago(200), "99")])  # meets, but stale
    add_measure(project, "Visits", target="")  # never measured
    state = service.register_state(project, TODAY)
    assert state.text == "3 measures, 2 not measured in 6 months, 1 below target"
    stale = state.concerns[1]
    assert stale.action == "Record a value for the 2 measures not measured in 6 months"
    assert stale.query == (("status", "stale"),) and stale.urgent and not state.concerns[2].urgent
