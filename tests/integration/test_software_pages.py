"""The QMS software validation pages: the list (what needs validating first, filtered by state and risk,
paginated), adding an application, editing it on the version read, recording a validation and retiring
it, with every refusal beside its field; history and evidence on the record page; viewers read only,
another workspace's ids are 404, the list's queries do not grow with the list, and no typed value is a
500."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import RegisterEvent, SoftwareValidation
from tests.evidence_samples import add_file
from tests.html import field_errors, form_values
from tests.integration import software_support as ss
from tests.integration.evidence_support import user_as
from tests.integration.test_api import bearer, token_for
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries

TODAY = date.today()
API = "/api/v1/projects/{}/software"


def url(project: Any, *parts: Any, query: str = "") -> str:
    return "/".join([f"/projects/{project.id}/software", *(str(p) for p in parts)]) + query


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(software_id: int) -> SoftwareValidation:
    db.session.expire_all()
    found = db.session.get(SoftwareValidation, software_id)
    assert found is not None
    return found


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


def software_data(**fields: Any) -> dict[str, str]:
    return {
        "name": "Sterilisation cycle software",
        "version_label": "4.2",
        "intended_use": "Controls and records each ethylene oxide sterilisation cycle of the infusion sets.",
        "risk": "high",
        "approach": ss.APPROACH,
    } | fields


def validation_data(version: int, **fields: Any) -> dict[str, str]:
    values = {
        "validated_on": (TODAY - timedelta(days=2)).isoformat(),
        "validated_version": "4.3",
        "result": ss.RESULT,
        "revalidate_by": (TODAY + timedelta(days=365)).isoformat(),
        "version": str(version),
    } | fields
    return {f"validation-{name}": value for name, value in values.items()}


def test_an_application_is_added_validated_changed_and_retired(http, tree):
    project = tree["project"]
    response = http.post(url(project, "new"), data=software_data())
    assert response.status_code == 303
    software = db.session.execute(select(SoftwareValidation)).scalar_one()
    assert response.headers["Location"].endswith(url(project, software.id))
    page = http.get(url(project, software.id))
    assert (
        'data-software-state="not_validated"' in page.text
        and "Listed “Sterilisation cycle software” (high risk)." in page.text
    )
    assert form_values(page, "validation-result")["validation-validated_version"] == "4.2"

    assert http.post(url(project, software.id, "validation"), data=validation_data(1)).status_code == 303
    saved = reload(software.id)
    assert (saved.validated_version, saved.version_label, saved.version) == ("4.3", "4.3", 2)
    page = http.get(url(project, software.id))
    assert 'data-software-state="validated"' in page.text and "Validated version 4.3 on" in page.text

    edit = form_values(page, "approach") | {"version_label": "4.4"}
    assert http.post(url(project, software.id), data=edit).status_code == 303
    assert 'data-software-state="changed"' in http.get(url(project)).text
    assert http.post(url(project, software.id, "retire"), data={"retire-version": "3"}).status_code == 303
    page = http.get(url(project, software.id))
    assert 'data-software-state="retired"' in page.text and 'id="validation-form"' not in page.text
    assert "Retired: no longer used in the QMS." in page.text and "Changed the version in use." in page.text
    assert 'id="not-required"' in http.get(url(project)).text  # an ISO 9001 project's list says so
    again = http.post(url(project, software.id, "validation"), data=validation_data(4))
    assert again.status_code == 422 and "is retired" in again.text
    assert http.post(url(project, software.id, "retire"), data={"retire-version": "4"}).status_code == 422


SOFTWARE_REFUSALS = [
    ({"name": ""}, "name", "Name the application"),
    ({"intended_use": "labels"}, "intended_use", "real sentence"),
    ({"risk": "severe"}, "risk", "low, medium or high"),
    ({"approach": ""}, "approach", "High-risk software needs its validation approach written"),
    ({"name": " BARTENDER label  printing"}, "name", "is already on this project's list"),
]
VALIDATION_REFUSALS = [
    ({"validated_on": (TODAY + timedelta(days=1)).isoformat()}, "validated_on", "in the future"),
    ({"validated_on": ""}, "validated_on", "Give the date"),
    ({"validated_version": ""}, "validated_version", "Give the version validated"),
    ({"result": "passed"}, "result", "real sentence"),
    (
        {"revalidate_by": (TODAY - timedelta(days=2)).isoformat()},
        "revalidate_by",
        "must come after the validation",
    ),
]


def test_what_breaks_a_rule_is_refused_beside_its_field_and_nothing_is_saved(http, tree):
    project = tree["project"]
    software = ss.add_software(project)
    for fields, field, message in SOFTWARE_REFUSALS:
        response = http.post(url(project, "new"), data=software_data(**fields))
        assert response.status_code == 422
        assert any(message in error for error in field_errors(response, field)), (field, response.text)
    for fields, field, message in VALIDATION_REFUSALS:
        response = http.post(url(project, software.id, "validation"), data=validation_data(1, **fields))
        assert response.status_code == 422
        assert any(message in e for e in field_errors(response, f"validation-{field}")), (field, message)
    assert count(SoftwareValidation) == 1 and reload(software.id).validated_on is None
    assert count(RegisterEvent) == 0


def test_stale_edits_validations_and_retirements_are_409(http, tree):
    project = tree["project"]
    software = ss.add_software(project)
    form = form_values(http.get(url(project, software.id)), "approach")
    software.risk = "low"
    db.session.commit()  # saved by someone else after the page was read at version 1
    response = http.post(url(project, software.id), data=form | {"version_label": "2024 R1"})
    assert response.status_code == 409 and "Someone else saved this application" in response.text
    assert form_values(response, "approach")["version"] == "2" and "2024 R1" in response.text
    assert http.post(url(project, software.id, "validation"), data=validation_data(1)).status_code == 409
    assert http.post(url(project, software.id, "retire"), data={"retire-version": "1"}).status_code == 409
    saved = reload(software.id)
    assert (saved.version_label, saved.validated_on, saved.retired) == ("2022 R8", None, False)

    evidence = add_file(project)
    address = f"/projects/{project.id}/registers/software/{software.id}/evidence"
    assert http.post(address, data={"evidence_id": evidence.id}).status_code == 303
    page = http.get(url(project, software.id))
    assert 'id="linked-evidence"' in page.text and f"Linked the evidence “{evidence.title}”" in page.text
    for address in (url(project), url(project, "new"), url(project, software.id)):
        check_ids(http.get(address).text)  # every id unique, every label on its control


def test_the_list_shows_what_needs_validating_first_and_filters_by_state_and_risk(http, tree):
    project = tree["project"]
    ok = ss.validated(project, "Excel batch-record template", risk="high", approach=ss.APPROACH)
    due = ss.validated(project, "ERP", revalidate_by=TODAY - timedelta(days=1))
    never = ss.add_software(project, "eQMS", risk="low")
    changed = ss.validated(project, "BarTender", version_label="2024 R1", validated_version="2022 R8")
    page = http.get(url(project))
    order = [page.text.index(f'data-software-id="{s.id}"') for s in (never, changed, due, ok)]
    assert order == sorted(order)
    for query, shown in (
        ("state=revalidation_due", due),
        ("risk=low", never),
        ("state=changed&risk=medium", changed),
    ):
        listed = http.get(url(project, query=f"?{query}"))
        assert listed.text.count("data-software-id=") == 1 and f'data-software-id="{shown.id}"' in listed.text
    assert "No application matches" in http.get(url(project, query="?state=retired")).text
    unknown = http.get(url(project, query="?state=done&risk=extreme"))
    assert (
        unknown.status_code == 200 and unknown.text.count('class="alert alert-warning unknown-filter"') == 2
    )
    assert unknown.text.count("data-software-id=") == 4


def test_a_viewer_reads_the_list_but_changes_nothing(app, make, tree):
    viewer = user_as(app, make, tree, "viewer")[0]
    project = tree["project"]
    software = ss.add_software(project)
    assert viewer.get(url(project)).status_code == 200
    page = viewer.get(url(project, software.id))
    assert page.status_code == 200 and 'id="software-details"' in page.text
    assert not any(
        f'id="{form}"' in page.text for form in ("software-form", "validation-form", "retire-form")
    )
    posts = [
        (url(project, "new"), software_data()),
        (url(project, software.id), software_data(version="1")),
        (url(project, software.id, "validation"), validation_data(1)),
        (url(project, software.id, "retire"), {"retire-version": "1"}),
    ]
    assert viewer.get(url(project, "new")).status_code == 403
    assert [viewer.post(address, data=data).status_code for address, data in posts] == [403] * 4
    assert count(SoftwareValidation) == 1 and count(RegisterEvent) == 0


def test_another_workspaces_application_is_404(http, make, tree):
    project = tree["project"]
    theirs = ss.add_software(make.tree()["project"])
    assert http.get(url(project, theirs.id)).status_code == 404
    assert http.post(url(project, theirs.id), data=software_data(version="1")).status_code == 404
    assert http.post(url(project, theirs.id, "validation"), data=validation_data(1)).status_code == 404
    assert http.post(url(project, theirs.id, "retire"), data={"retire-version": "1"}).status_code == 404
    assert http.get(url(project, 2**40)).status_code == 404
    assert reload(theirs.id).version == 1


def test_the_list_page_and_the_api_list_run_the_same_queries_at_two_sizes(http, make, tree):
    project = tree["project"]
    ss.add_software(project)
    other = make.project(tree["site"])
    for index in range(6):
        ss.validated(other, f"Application {index}", risk=("low", "medium")[index % 2])
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


NASTY = ("", "2147483648", "high", "9999-12-31", "x" * 20_000)


def test_no_value_typed_into_the_forms_is_a_server_error(http, tree):
    project = tree["project"]
    software = ss.add_software(project)
    validation = [
        f"validation-{name}" for name in ("validated_on", "validated_version", "result", "revalidate_by")
    ]
    targets = [
        (url(project, "new"), list(software_data())),
        (url(project, software.id), [*software_data(), "version"]),
        (url(project, software.id, "validation"), [*validation, "validation-version"]),
        (url(project, software.id, "retire"), ["retire-version"]),
    ]
    for address, fields in targets:
        for value in NASTY:
            response = http.post(address, data=dict.fromkeys(fields, value))
            assert response.status_code in (303, 409, 422), (address, value[:10], response.status_code)
