"""The project's status "certified" is derived from a valid certificate, never typed: on the project page, the
project list and the API, and refused with the reason when posted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import gates
from app.extensions import db
from app.models import Certificate, CertificationBody, CertificationProject, Client
from app.services import project_status
from tests.html import field_errors
from tests.integration.test_api import API, bearer, token_for
from tests.querycount import count_queries

TODAY = date.today()


def certify(
    project: Any, *, sites: list[Any] | None = None, on_project: bool = True, **fields: Any
) -> Certificate:
    """A certificate for the project's client: recorded for the project, or covering ``sites``."""
    body = db.session.execute(
        select(CertificationBody).where(CertificationBody.workspace_id == project.workspace_id)
    ).scalar_one_or_none() or CertificationBody(
        workspace_id=project.workspace_id, name="Bureau Veritas Vietnam"
    )
    db.session.add(body)
    db.session.flush()
    values = {
        "number": f"VN-{project.id}-{len(sites or [])}-{fields.get('expires_on', '')}",
        "scope": "Manufacture of natural cork stoppers",
        "original_on": TODAY - timedelta(days=200),
        "decision_on": TODAY - timedelta(days=200),
        "issued_on": TODAY - timedelta(days=190),
        "expires_on": TODAY + timedelta(days=900),
    } | fields
    certificate = Certificate(
        workspace_id=project.workspace_id,
        client_id=project.client_id,
        project_id=project.id if on_project else None,
        body_id=body.id,
        standard_id=project.standard_id,
        **values,
    )
    certificate.sites = sites or []
    db.session.add(certificate)
    db.session.commit()
    return certificate


def shown_status(client: Any, project: Any) -> str:
    page = client.get(f"/projects/{project.id}").text
    start = page.index('id="project-status"')
    return page[page.index(">", start) + 1 : page.index("</span>", start)]


def test_a_project_without_a_certificate_shows_its_typed_status(client, owner, tree):
    assert shown_status(client, tree["project"]) == "Planning"


def test_a_valid_certificate_makes_the_project_certified_everywhere(client, owner, tree):
    project = tree["project"]
    project.status = "in_progress"
    db.session.commit()
    certify(project)
    assert shown_status(client, project) == "Certified"
    listing = client.get("/projects").text
    assert 'data-status="certified">Certified</td>' in listing
    token = bearer(token_for(owner))
    assert client.get(f"{API}/projects/{project.id}", headers=token).json["status"] == "certified"
    assert client.get(f"{API}/projects", headers=token).json["items"][0]["status"] == "certified"
    db.session.refresh(project)
    assert project.status == "in_progress"  # the typed status is kept underneath


@pytest.mark.parametrize(
    "fields",
    [
        {"expires_on": TODAY - timedelta(days=1)},  # expired yesterday
        {"suspension": "suspended", "suspension_on": TODAY - timedelta(days=3)},
        {"suspension": "withdrawn", "suspension_on": None},
    ],
)
def test_a_certificate_that_is_not_valid_does_not_certify(client, owner, tree, fields):
    project = tree["project"]
    certify(project, **fields)
    assert shown_status(client, project) == "Planning"
    assert project_status.status_of(project, TODAY) == "planning"


def test_valid_on_its_expiry_day_and_until_a_suspension_takes_effect(tree):
    project = tree["project"]
    certify(project, expires_on=TODAY, suspension="suspended", suspension_on=TODAY + timedelta(days=5))
    assert project_status.status_of(project, TODAY) == "certified"
    assert project_status.status_of(project, TODAY + timedelta(days=5)) == "planning"


def test_a_multi_site_certificate_covers_its_sites_projects_of_the_same_standard(make, tree):
    project = tree["project"]
    second_site = make.site(tree["client"])
    same = make.project(second_site, "iso9001")
    other_standard = make.project(second_site, "iso13485")
    third = make.project(make.site(tree["client"]), "iso9001")  # a site it does not cover
    certify(project, sites=[project.site, second_site], on_project=False)
    projects = [project, same, other_standard, third]
    assert project_status.certified_ids(projects, TODAY) == {project.id, same.id}


def test_typing_certified_is_refused_beside_the_status(client, owner, tree):
    project = tree["project"]
    data = {
        "standard_id": str(project.standard_id),
        "currency": "USD",
        "status": "certified",
        "version": str(project.version),
    }
    response = client.post(f"/projects/{project.id}/edit", data=data)
    assert response.status_code == 422
    assert field_errors(response, "status") == [gates.status_error("certified")]
    db.session.expire_all()
    assert db.session.get(CertificationProject, project.id).status == "planning"


def test_the_form_does_not_offer_certified(client, owner, tree):
    page = client.get(f"/projects/{tree['project'].id}/edit").text
    assert 'value="certified"' not in page
    assert 'value="in_progress"' in page


def test_the_project_list_runs_the_same_queries_whatever_the_certificates(client, owner, tree, make):
    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/projects").status_code == 200
        return len(statements)

    project_id, client_id = tree["project"].id, tree["client"].id
    before = queries()  # (starts from a fresh session: the tree's rows are read again below)
    for _ in range(3):
        extra = make.project(make.site(db.session.get(Client, client_id)))
        certify(extra, sites=[extra.site])
    certify(db.session.get(CertificationProject, project_id))
    assert queries() == before
    assert client.get("/projects").text.count('data-status="certified"') == 4


def test_certificates_of_another_workspace_certify_nothing_here(make, tree):
    project = tree["project"]
    elsewhere = make.tree()
    stranger = elsewhere["project"]
    certify(stranger)
    assert project_status.certified_ids([project], TODAY) == frozenset()
    assert project_status.certified_ids([stranger], TODAY) == {stranger.id}


def test_the_client_and_site_pages_show_the_derived_status(client, owner, tree):
    project = tree["project"]
    certify(project)
    db.session.commit()
    for url in (f"/clients/{tree['client'].id}", f"/sites/{tree['site'].id}"):
        page = client.get(url).get_data(as_text=True)
        assert 'project-status">Certified<' in page, url
