"""The risk-management file pages: the device families with their counts, worst residual risk and state
(filtered, paginated), opening a file, editing it on the version read, adding and editing hazards with
every refusal beside its field, history and evidence on the record page; viewers read only, another
workspace's ids are 404, the list's queries do not grow with the files, and no typed value is a 500."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Hazard, RegisterEvent, RiskFile
from tests.evidence_samples import add_file
from tests.html import field_errors, form_values
from tests.integration import risk_files_support as rs
from tests.integration.evidence_support import user_as
from tests.integration.test_api import bearer, token_for
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries

TODAY = date.today()
API = "/api/v1/projects/{}/risk-files"


def url(project: Any, *parts: Any, query: str = "") -> str:
    return "/".join([f"/projects/{project.id}/risk-files", *(str(p) for p in parts)]) + query


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(model: Any, row_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, row_id)


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


def file_data(**fields: Any) -> dict[str, str]:
    return {
        "device_family": "Gravity infusion sets",
        "intended_use": rs.INTENDED_USE,
        "acceptability_policy": "",
        "reviewed_on": "",
    } | fields


def hazard_form(prefix: str = "new-", **fields: Any) -> dict[str, str]:
    values = {k: "" if v is None else str(v) for k, v in rs.hazard_values(**fields).items()}
    return {f"{prefix}{name}": value for name, value in values.items()}


# Opening a file and its hazards


def test_a_file_is_opened_and_its_hazards_are_added_and_listed(http, tree):
    project = tree["project"]
    response = http.post(url(project, "new"), data=file_data())
    assert response.status_code == 303
    risk_file = db.session.execute(select(RiskFile)).scalar_one()
    assert response.headers["Location"].endswith(url(project, risk_file.id))
    page = http.get(url(project, risk_file.id))
    assert 'data-file-state="no_hazards"' in page.text and "Opened the risk-management file" in page.text
    assert "ISO 14971:2019" in page.text and 'id="risk-matrix"' in page.text

    assert http.post(url(project, risk_file.id, "hazards"), data=hazard_form()).status_code == 303
    controlled = hazard_form(hazard="Particles in the fluid", controls=rs.CONTROLS, residual_severity=4,
                             residual_probability=1)  # fmt: skip
    assert http.post(url(project, risk_file.id, "hazards"), data=controlled).status_code == 303
    page = http.get(url(project, risk_file.id))
    assert page.text.count("data-needs-controls") == 1 and 'data-file-state="uncontrolled"' in page.text
    assert "Added the hazard “Air in the fluid path”: initial risk unacceptable (S4 \u00d7 P4)." in page.text
    assert "residual acceptable (S4 \u00d7 P1)" in page.text

    listed = http.get(url(project))
    row = listed.text[listed.text.index(f'data-risk-file-id="{risk_file.id}"') :]
    assert '<td class="text-end" data-hazards>2</td>' in row and "data-uncontrolled>1<" in row
    assert 'data-level="unacceptable"' in row and 'data-file-state="uncontrolled"' in row
    assert 'id="not-required"' in listed.text  # an ISO 9001 project is told the register is not its own
    add_file(project)  # evidence to choose from on the record page
    hazard_page = url(project, risk_file.id, "hazards", risk_file.hazards[0].id)
    for address in (url(project), url(project, "new"), url(project, risk_file.id), hazard_page):
        check_ids(http.get(address).text)  # every id unique, every label on its control


def test_the_list_filters_by_state_and_says_when_a_filter_is_unknown(http, tree):
    project = tree["project"]
    open_one = rs.add_risk_file(project, "Infusion sets", (rs.hazard_values(),))
    done = rs.add_risk_file(project, "Extension lines", (rs.controlled(),))
    empty = rs.add_risk_file(project, "Burettes")
    expected = {"uncontrolled": open_one, "complete": done, "no_hazards": empty}
    for state, shown in expected.items():
        page = http.get(url(project, query=f"?state={state}"))
        assert page.status_code == 200
        assert page.text.count("data-risk-file-id=") == 1 and f'data-risk-file-id="{shown.id}"' in page.text
    assert "No file matches this filter" in http.get(url(project, query="?state=unacceptable")).text
    page = http.get(url(project, query="?state=bogus"))
    assert page.status_code == 200 and 'id="unknown-filter"' in page.text
    assert page.text.count("data-risk-file-id=") == 3


FILE_REFUSALS = [
    ({"device_family": ""}, "device_family", "Name the device family"),
    ({"intended_use": "IV"}, "intended_use", "real sentence"),
    ({"reviewed_on": (TODAY + timedelta(days=1)).isoformat()}, "reviewed_on", "in the future"),
    ({"device_family": "  gravity INFUSION sets "}, "device_family", "already has a risk-management file"),
]
HAZARD_REFUSALS = [
    ({"severity": ""}, "severity", "Choose the severity"),
    ({"probability": "9"}, "probability", "scored from 1 to 5"),
    ({"controls": rs.CONTROLS}, "residual_severity", "Score the risk after the controls"),
    ({"controls": rs.CONTROLS, "residual_severity": 5, "residual_probability": 1}, "residual_severity",
     "cannot be higher than the initial one (4)"),
    ({"residual_severity": 2, "residual_probability": 2}, "controls", "Describe the risk controls"),
    ({"situation": "air"}, "situation", "real sentence"),
]  # fmt: skip


def test_a_file_or_a_hazard_that_breaks_a_rule_is_refused_beside_its_field(http, tree):
    project = tree["project"]
    risk_file = rs.add_risk_file(project)
    for fields, field, message in FILE_REFUSALS:
        response = http.post(url(project, "new"), data=file_data(**fields))
        assert response.status_code == 422
        assert any(message in error for error in field_errors(response, field)), (field, response.text)
    for fields, field, message in HAZARD_REFUSALS:
        response = http.post(url(project, risk_file.id, "hazards"), data=hazard_form(**fields))
        assert response.status_code == 422
        assert any(message in error for error in field_errors(response, f"new-{field}")), (field, message)
        assert form_values(response, "new-harm")["new-harm"] == "Air embolism"  # kept as typed
    assert (count(RiskFile), count(Hazard), count(RegisterEvent)) == (1, 0, 0)


# Editing on the version read


def test_a_hazard_is_edited_on_the_version_read_and_a_stale_or_bad_edit_saves_nothing(http, tree):
    project = tree["project"]
    risk_file = rs.add_risk_file(project, hazards=(rs.hazard_values(),))
    hazard = risk_file.hazards[0]
    address = url(project, risk_file.id, "hazards", hazard.id)
    form = form_values(http.get(address), "controls")
    form |= {"controls": rs.CONTROLS, "residual_severity": "4", "residual_probability": "2"}
    assert http.post(address, data=form).status_code == 303
    saved = reload(Hazard, hazard.id)
    assert (saved.residual_probability, saved.version) == (2, 2)
    page = http.get(url(project, risk_file.id))
    assert "Changed the risk controls, the residual severity and the residual probability" in page.text
    assert 'data-file-state="complete"' in page.text

    stale = form | {"harm": "Stroke"}  # still at version 1
    response = http.post(address, data=stale)
    assert response.status_code == 409 and "Someone else saved this hazard" in response.text
    assert form_values(response, "controls")["version"] == "2" and "Stroke" in response.text
    bad = form | {"version": "2", "residual_probability": "5"}
    response = http.post(address, data=bad)
    assert response.status_code == 422 and field_errors(response, "residual_probability")
    assert reload(Hazard, hazard.id).harm == "Air embolism"


def test_a_file_is_edited_on_the_version_read(http, tree):
    project = tree["project"]
    risk_file = rs.add_risk_file(project)
    other = rs.add_risk_file(project, "Extension lines")
    form = form_values(http.get(url(project, risk_file.id)), "device_family")
    reviewed = (TODAY - timedelta(days=3)).isoformat()
    assert http.post(url(project, risk_file.id), data=form | {"reviewed_on": reviewed}).status_code == 303
    assert reload(RiskFile, risk_file.id).reviewed_on == TODAY - timedelta(days=3)
    assert "Changed the review date." in http.get(url(project, risk_file.id)).text
    response = http.post(url(project, risk_file.id), data=form | {"intended_use": "Other words entirely."})
    assert response.status_code == 409 and 'id="stale-notice"' in response.text
    taken = form | {"version": "2", "device_family": "EXTENSION lines"}
    response = http.post(url(project, risk_file.id), data=taken)
    assert response.status_code == 422 and "already has a risk-management file" in response.text
    assert reload(RiskFile, risk_file.id).device_family == "Gravity infusion sets"
    assert reload(RiskFile, other.id).version == 1

    evidence = add_file(project)
    linked = http.post(
        f"/projects/{project.id}/registers/risk_file/{risk_file.id}/evidence",
        data={"evidence_id": evidence.id},
    )
    assert linked.status_code == 303 and linked.headers["Location"].endswith(f"{risk_file.id}#evidence")
    page = http.get(url(project, risk_file.id))
    assert 'id="linked-evidence"' in page.text and f"Linked the evidence “{evidence.title}”" in page.text


# Who may do what, and whose ids


def test_a_viewer_reads_the_files_but_changes_nothing(app, make, tree):
    viewer = user_as(app, make, tree, "viewer")[0]
    project = tree["project"]
    risk_file = rs.add_risk_file(project, hazards=(rs.hazard_values(),))
    hazard = risk_file.hazards[0]
    assert viewer.get(url(project)).status_code == 200
    page = viewer.get(url(project, risk_file.id))
    assert (
        page.status_code == 200
        and 'id="risk-file-form"' not in page.text
        and 'id="hazard-form"' not in page.text
    )
    assert 'id="risk-file-details"' in page.text
    hazard_page = viewer.get(url(project, risk_file.id, "hazards", hazard.id))
    assert hazard_page.status_code == 200 and 'id="hazard-details"' in hazard_page.text
    posts = [
        (url(project, "new"), file_data(device_family="Burettes")),
        (url(project, risk_file.id), file_data(version="1")),
        (url(project, risk_file.id, "hazards"), hazard_form()),
        (url(project, risk_file.id, "hazards", hazard.id), hazard_form("", version="1")),
    ]
    assert viewer.get(url(project, "new")).status_code == 403
    assert [viewer.post(address, data=data).status_code for address, data in posts] == [403] * 4
    assert (count(RiskFile), count(Hazard), count(RegisterEvent)) == (1, 1, 0)


def test_another_workspaces_file_and_another_files_hazard_are_404(http, make, tree):
    project = tree["project"]
    theirs = rs.add_risk_file(make.tree()["project"], hazards=(rs.hazard_values(),))
    mine = rs.add_risk_file(project, hazards=(rs.hazard_values(),))
    sibling = rs.add_risk_file(project, "Extension lines", (rs.hazard_values(),))
    assert http.get(url(project, theirs.id)).status_code == 404
    assert http.post(url(project, theirs.id), data=file_data(version="1")).status_code == 404
    assert http.post(url(project, theirs.id, "hazards"), data=hazard_form()).status_code == 404
    assert http.get(url(project, theirs.id, "hazards", theirs.hazards[0].id)).status_code == 404
    assert http.get(url(project, mine.id, "hazards", sibling.hazards[0].id)).status_code == 404
    assert http.get(url(project, mine.id, "hazards", 2**40)).status_code == 404
    assert count(Hazard) == 3


# The list's cost, and what no form accepts


def test_the_list_page_and_the_api_list_run_the_same_queries_at_two_sizes(http, make, tree):
    project = tree["project"]
    rs.add_risk_file(project, hazards=(rs.hazard_values(),))
    other = make.project(tree["site"])
    for index in range(6):
        rs.add_risk_file(other, f"Family {index}", tuple(rs.controlled() for _ in range(index)))
    token = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    pages = [url(project), url(other)]
    api = [API.format(project.id), API.format(other.id)]
    http.get(api[0], headers=token)  # a token's first use of the day is recorded: not counted
    for addresses, headers in ((pages, {}), (api, token)):
        counts = []
        for address in addresses:
            with count_queries() as statements:
                assert http.get(address, headers=headers).status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1]


NASTY = ("", "2147483648", "999", "9999-12-31", "x" * 20_000)


def test_no_value_typed_into_the_forms_is_a_server_error(http, tree):
    project = tree["project"]
    risk_file = rs.add_risk_file(project, hazards=(rs.hazard_values(),))
    hazard = risk_file.hazards[0]
    names = [*rs.hazard_values(), "controls", "residual_severity", "residual_probability", "verification"]
    targets = [
        (url(project, "new"), list(file_data())),
        (url(project, risk_file.id), [*file_data(), "version"]),
        (url(project, risk_file.id, "hazards"), [f"new-{name}" for name in names]),
        (url(project, risk_file.id, "hazards", hazard.id), [*names, "version"]),
    ]
    for address, fields in targets:
        for value in NASTY:
            response = http.post(address, data=dict.fromkeys(fields, value))
            assert response.status_code in (303, 409, 422), (address, value[:10], response.status_code)
