"""Every route under /projects/<id> is a child of the project blueprint, which loads the project once."""

from __future__ import annotations

from flask import url_for

from app.blueprints import API_PROJECT_AREAS, PROJECT_AREAS
from app.models import CertificationProject
from tests.querycount import count_queries


def project_routes(app, prefix: str):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(prefix)]


def test_every_page_under_a_project_is_in_the_project_blueprint(app):
    endpoints = {rule.endpoint for rule in project_routes(app, "/projects/<int:project_id>")}
    assert endpoints and all(endpoint.startswith("project.") for endpoint in endpoints), endpoints
    nested = {endpoint.split(".")[1] for endpoint in endpoints if endpoint.count(".") == 2}
    assert nested == {area.name for area in PROJECT_AREAS}


def test_every_api_route_under_a_project_is_in_the_api_project_blueprint(app):
    endpoints = {rule.endpoint for rule in project_routes(app, "/api/v1/projects/<int:project_id>")}
    assert endpoints and all(endpoint.startswith("api.project.") for endpoint in endpoints), endpoints
    nested = {endpoint.split(".")[2] for endpoint in endpoints if endpoint.count(".") == 3}
    assert nested == {area.name for area in API_PROJECT_AREAS}


def test_the_project_is_loaded_once_per_request(app, client, owner, tree):
    project_id = tree["project"].id
    client.get(f"/projects/{project_id}/gap-analysis")
    with count_queries() as statements:
        assert client.get(f"/projects/{project_id}/gap-analysis").status_code == 200
    loads = [s for s in statements if "FROM projects" in s and "projects.id = " in s.replace("\n", " ")]
    assert len(loads) == 1, loads


def test_links_inside_a_project_page_keep_its_id(app, client, owner, tree):
    project: CertificationProject = tree["project"]
    with app.test_request_context(f"/projects/{project.id}/budget"):
        from flask import g

        g.project = project
        assert url_for("project.budget.new_line") == f"/projects/{project.id}/budget/lines/new"
