"""The certification body pages: the workspace's list, adding a body (accreditation body from the IAF MLA
list, or typed and warned about), its page, editing it on the version read; refusals beside their fields,
who reads and who changes which body; the project form's body; the body's days for a major's deadline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.certification import accreditation_warning
from app.extensions import db
from app.models import CertificationBody, CertificationProject, Finding
from tests.html import field_errors, form_values, input_value
from tests.integration.body_support import add_body, choose
from tests.integration.evidence_support import user_as
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries

URL = "/certification-bodies"
UNKNOWN = "Totally Real Accreditation"
DAYS_MESSAGE = (
    "Enter the days the body gives to close a major nonconformity: a whole number from 1 to 365 "
    "(90 is common)."
)


def count() -> int:
    return db.session.execute(select(func.count()).select_from(CertificationBody)).scalar_one()


def saved(body_id: int) -> CertificationBody:
    db.session.expire_all()
    found = db.session.get(CertificationBody, body_id)
    assert found is not None
    return found


def body_data(**fields: str) -> dict[str, str]:
    return {
        "name": "Example Certification Asia",
        "accreditation_choice": "UKAS",
        "accreditation_other": "",
        "accreditation_number": "0123",
        "sector_codes": "19, 14",
        "contact_name": "Ms Hoa",
        "contact_email": "hoa@example-cert.example",
        "website": "https://example-cert.example/check",
        "major_deadline_days": "60",
        "notes": "",
    } | fields


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> Any:
    return user_as(app, make, tree, "consultant")[0]


# Adding


def test_a_body_chosen_from_the_list_is_saved_by_acronym_and_shown_without_warning(http, tree):
    response = http.post(f"{URL}/new", data=body_data())
    assert response.status_code == 303
    body = db.session.execute(select(CertificationBody)).scalar_one()
    assert response.headers["Location"].endswith(f"{URL}/{body.id}")
    assert (body.workspace_id, body.name, body.accreditation_body) == (
        tree["workspace"].id,
        "Example Certification Asia",
        "UKAS",
    )
    assert (body.sector_codes, body.major_deadline_days, body.contact_email) == (
        "14, 19",
        60,
        "hoa@example-cert.example",
    )
    page = http.get(response.headers["Location"])
    assert "UKAS (United Kingdom Accreditation Service)" in page.text
    assert 'id="accreditation-warning"' not in page.text
    assert 'href="https://example-cert.example/check"' in page.text
    check_ids(page.text)


def test_an_accreditation_body_not_on_the_list_is_kept_and_warned_about_on_every_page(http, tree):
    response = http.post(
        f"{URL}/new", data=body_data(accreditation_choice="other", accreditation_other=UNKNOWN)
    )
    assert response.status_code == 303
    body = db.session.execute(select(CertificationBody)).scalar_one()
    assert body.accreditation_body == UNKNOWN
    warning = accreditation_warning(UNKNOWN)
    assert warning and UNKNOWN in warning
    flashed = http.get(response.headers["Location"])  # the flash, then the page's own warning
    assert flashed.text.count(f"“{UNKNOWN}” is not on the IAF MLA list") == 2
    assert 'href="https://www.iafcertsearch.org"' in flashed.text  # the page's own link, not only the text
    assert 'href=""' not in flashed.text
    listing = http.get(URL)
    assert f"“{UNKNOWN}” is not on the IAF MLA list" in listing.text
    assert "Check accreditation" in listing.text
    choose(tree["project"], body)
    project_page = http.get(f"/projects/{tree['project'].id}")
    assert f"“{UNKNOWN}” is not on the IAF MLA list" in project_page.text


def test_a_typed_name_of_a_listed_body_is_recorded_as_the_listed_one(http):
    data = body_data(accreditation_choice="other", accreditation_other="Bureau of Accreditation (Vietnam)")
    assert http.post(f"{URL}/new", data=data).status_code == 303
    assert db.session.execute(select(CertificationBody.accreditation_body)).scalar_one() == "BoA"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the certification body's name."),
        ({"name": "x" * 161}, "name", "Use at most 160 characters."),
        ({"accreditation_choice": "other"}, "accreditation_other",
         "Type the accreditation body's name, or choose one from the list."),
        ({"accreditation_choice": "XYZ"}, "accreditation_choice",
         "Choose an accreditation body from the list, or “Other (type it)”."),
        ({"sector_codes": "14, 45"}, "sector_codes",
         "Enter IAF sector codes from 1 to 39, separated by commas (e.g. 14, 19)."),
        ({"contact_email": "hoa at example"}, "contact_email", "Enter a valid email address."),
        ({"website": "javascript:alert(1)"}, "website", "Enter a full web address starting with https:// or http://."),
        ({"major_deadline_days": "0"}, "major_deadline_days", DAYS_MESSAGE),
        ({"major_deadline_days": "366"}, "major_deadline_days", DAYS_MESSAGE),
        ({"major_deadline_days": "ninety"}, "major_deadline_days", DAYS_MESSAGE),
    ],
)  # fmt: skip
def test_each_bad_field_is_refused_beside_it_and_nothing_is_saved(http, changes, field, message):
    response = http.post(f"{URL}/new", data=body_data(**changes))
    assert response.status_code == 422
    assert message in field_errors(response, field)
    if field != "accreditation_number":
        assert input_value(response, "accreditation_number") == "0123"  # what was typed is kept
    assert count() == 0


def test_a_name_another_body_of_the_workspace_has_is_refused_whatever_its_case(http, tree, make):
    add_body(tree["workspace"], "Example Certification Asia")
    add_body(make.workspace(), "Other Workspace Cert")  # another workspace's name is free
    response = http.post(f"{URL}/new", data=body_data(name="example certification ASIA"))
    assert response.status_code == 422
    assert field_errors(response, "name") == [
        "Another certification body of this workspace already has this name."
    ]
    assert http.post(f"{URL}/new", data=body_data(name="Other Workspace Cert")).status_code == 303
    assert count() == 3


# The list and a body's page


def test_the_list_shows_the_workspaces_bodies_only_with_their_project_counts(http, tree, make):
    mine = add_body(tree["workspace"], "Alpha Cert")
    add_body(tree["workspace"], "Beta Cert", accreditation_body="")
    add_body(make.workspace(), "Theirs Cert")
    choose(tree["project"], mine)
    mine_id = mine.id
    with count_queries() as queries:
        page = http.get(URL)
    assert page.status_code == 200
    assert "Alpha Cert" in page.text and "Beta Cert" in page.text and "Theirs Cert" not in page.text
    assert page.text.index("Alpha Cert") < page.text.index("Beta Cert")
    assert accreditation_warning("") in page.text  # none recorded: warned too
    row = page.text[page.text.index(f'data-body-id="{mine_id}"') :].split("</tr>")[0]
    assert '<td class="text-end">1</td>' in row
    assert len(queries) <= 3  # the session's user with its scope, the bodies, their project counts
    check_ids(page.text)


def test_a_bodys_page_lists_the_projects_that_chose_it(http, tree):
    body = add_body(tree["workspace"], "Alpha Cert", accreditation_body="BoA", major_deadline_days=45)
    choose(tree["project"], body)
    page = http.get(f"{URL}/{body.id}")
    assert page.status_code == 200
    assert f'href="/projects/{tree["project"].id}"' in page.text
    assert "BoA (Bureau of Accreditation (Vietnam))" in page.text
    assert '<dd class="col-sm-8" id="body-deadline">45</dd>' in page.text


def test_another_workspaces_body_is_not_found(http, make):
    theirs = add_body(make.workspace())
    for url in (f"{URL}/{theirs.id}", f"{URL}/{theirs.id}/edit", f"{URL}/2147483648", f"{URL}/0"):
        assert http.get(url).status_code == 404
    assert http.post(f"{URL}/{theirs.id}/edit", data=body_data()).status_code == 404
    assert saved(theirs.id).name != "Example Certification Asia"


# Editing


def test_an_edit_saves_on_the_version_read(http, tree):
    body = add_body(tree["workspace"], "Alpha Cert", accreditation_body=UNKNOWN)
    page = http.get(f"{URL}/{body.id}/edit")
    data = form_values(page, containing="name")
    assert (data["accreditation_choice"], data["accreditation_other"]) == ("other", UNKNOWN)
    response = http.post(f"{URL}/{body.id}/edit", data=data | {"accreditation_choice": "JAS-ANZ"})
    assert response.status_code == 303
    body = saved(body.id)
    assert (body.accreditation_body, body.version) == ("JAS-ANZ", 2)
    stale = http.post(f"{URL}/{body.id}/edit", data=data | {"notes": "Old copy"})
    assert stale.status_code == 409
    assert "Someone else saved this certification body while you were editing it." in stale.text
    assert saved(body.id).notes == ""


def test_a_bad_edit_changes_nothing(http, tree):
    body = add_body(tree["workspace"], "Alpha Cert")
    data = form_values(http.get(f"{URL}/{body.id}/edit"), containing="name")
    response = http.post(f"{URL}/{body.id}/edit", data=data | {"name": "", "sector_codes": "abc"})
    assert response.status_code == 422
    assert field_errors(response, "name") == ["Enter the certification body's name."]
    assert field_errors(response, "sector_codes")
    assert (saved(body.id).name, saved(body.id).version) == ("Alpha Cert", 1)


# Who reads and who changes


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_members_who_do_not_manage_projects_read_but_do_not_change(app, make, tree, role):
    http = user_as(app, make, tree, role)[0]
    body = add_body(tree["workspace"], "Alpha Cert")
    assert http.get(URL).status_code == 200
    assert "Add a certification body" not in http.get(URL).text
    assert http.get(f"{URL}/{body.id}").status_code == 200
    assert 'id="edit-body"' not in http.get(f"{URL}/{body.id}").text
    assert http.get(f"{URL}/new").status_code == 403
    assert http.post(f"{URL}/new", data=body_data()).status_code == 403
    assert http.post(f"{URL}/{body.id}/edit", data=body_data(version="1")).status_code == 403
    assert count() == 1 and saved(body.id).name == "Alpha Cert"


def test_a_client_manager_reads_the_bodies_of_their_clients_and_the_unused_ones(app, make, tree):
    http = user_as(app, make, tree, "client_manager")[0]
    other = make.tree(tree["workspace"])  # a client they do not manage
    theirs, shared, unused = (add_body(tree["workspace"], name) for name in ("Theirs", "Shared", "Unused"))
    mine = add_body(tree["workspace"], "Mine")
    choose(other["project"], theirs)
    choose(tree["project"], mine)
    choose(make.project(make.site(other["client"]), "iso13485"), shared)
    quoted_project = make.project(make.site(tree["client"]), "iso13485")
    from tests.integration.body_support import add_quote

    add_quote(quoted_project, shared)  # quoted for their client: read, but also used by another client

    listing = http.get(URL).text
    assert all(name in listing for name in ("Mine", "Shared", "Unused")) and ">Theirs<" not in listing
    assert http.get(f"{URL}/{theirs.id}").status_code == 404
    assert http.get(f"{URL}/{shared.id}").status_code == 200
    # They may change what only their clients use, not a body another client's project uses too.
    for body in (mine, unused):
        data = form_values(http.get(f"{URL}/{body.id}/edit"), containing="name") | {"notes": "Changed"}
        assert http.post(f"{URL}/{body.id}/edit", data=data).status_code == 303
    assert http.get(f"{URL}/{shared.id}/edit").status_code == 403
    assert http.post(f"{URL}/{shared.id}/edit", data=body_data(version="1")).status_code == 403
    assert saved(shared.id).notes == "" and saved(mine.id).notes == "Changed"


# The project form's body


def test_the_project_form_offers_the_workspaces_bodies_and_saves_the_choice(http, tree, make):
    mine = add_body(tree["workspace"], "Alpha Cert")
    theirs = add_body(make.workspace(), "Theirs Cert")
    project = tree["project"]
    page = http.get(f"/projects/{project.id}/edit")
    assert f'<option value="{mine.id}">Alpha Cert</option>' in page.text
    assert "Theirs Cert" not in page.text
    assert f'href="{URL}/new"' in page.text
    data = form_values(page, containing="body_id")
    refused = http.post(f"/projects/{project.id}/edit", data=data | {"body_id": str(theirs.id)})
    assert refused.status_code == 422
    assert field_errors(refused, "body_id") == ["Choose a certification body from the list."]
    assert http.post(f"/projects/{project.id}/edit", data=data | {"body_id": str(mine.id)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CertificationProject, project.id).body_id == mine.id
    chosen = http.get(f"/projects/{project.id}/edit")
    assert f'<option selected value="{mine.id}">Alpha Cert</option>' in chosen.text


def test_a_new_project_may_name_its_body(http, tree, make):
    body = add_body(tree["workspace"], "Alpha Cert")
    site = make.site(tree["client"])
    standards = make.standards()
    data = {"standard_id": str(standards["iso13485"].id), "currency": "USD", "body_id": str(body.id)}
    assert http.post(f"/sites/{site.id}/projects/new", data=data).status_code == 302
    project = db.session.execute(
        select(CertificationProject).where(CertificationProject.site_id == site.id)
    ).scalar_one()
    assert project.body_id == body.id


# The body's days for a major's deadline


def test_a_certification_bodys_major_is_due_within_the_days_of_the_projects_body(http, tree):
    project = tree["project"]
    raised = date.today() - timedelta(days=2)
    finding_data = {"source": "external_audit", "severity": "major", "raised_on": raised.isoformat(),
                    "description": "Calibration records of scale 3 were missing for March."}  # fmt: skip
    assert http.post(f"/projects/{project.id}/findings/new", data=finding_data).status_code in (302, 303)
    choose(project, add_body(tree["workspace"], "Strict Cert", major_deadline_days=30))
    assert http.post(f"/projects/{project.id}/findings/new", data=finding_data).status_code in (302, 303)
    deadlines = db.session.execute(select(Finding.deadline).order_by(Finding.id)).scalars().all()
    assert deadlines == [raised + timedelta(days=90), raised + timedelta(days=30)]
