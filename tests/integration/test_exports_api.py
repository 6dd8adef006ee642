"""The API's lists as files (?format=xlsx|csv or Accept), documented in the OpenAPI document; another
workspace's project is not found; the page exports of another workspace's project are not found either."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.api.openapi import document
from app.extensions import db
from app.models import Finding
from app.services.xlsx import XLSX_TYPE
from tests.integration.test_api import bearer, token_for
from tests.querycount import count_queries

LISTS = ("requirements", "budget", "documents", "training-matrix", "findings")


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="viewer")))


def test_each_list_answers_as_a_workbook_or_csv(
    client: FlaskClient, tree: dict[str, Any], headers: dict[str, str]
) -> None:
    project_id = tree["project"].id
    for name in LISTS:
        url = f"/api/v1/projects/{project_id}/{name}"
        answer = client.get(url, query_string={"format": "xlsx"}, headers=headers)
        assert answer.status_code == 200, name
        assert answer.mimetype == XLSX_TYPE
        workbook = load_workbook(io.BytesIO(answer.data), read_only=True)
        assert "About" in workbook.sheetnames
        workbook.close()
        by_accept = client.get(url, headers=headers | {"Accept": "text/csv"})
        assert (by_accept.status_code, by_accept.mimetype) == (200, "text/csv"), name
        assert client.get(url, headers=headers).mimetype == "application/json"  # the default
        assert client.get(url, headers=headers | {"Accept": "*/*"}).mimetype == "application/json"
    gap = client.get(f"/api/v1/projects/{project_id}/requirements?format=csv", headers=headers)
    assert gap.get_data(as_text=True).startswith("\ufeffClause,Requirement,Status")
    listed = client.get("/api/v1/projects?format=xlsx", headers=headers)
    assert listed.status_code == 200
    sheet = load_workbook(io.BytesIO(listed.data))["Portfolio"]
    assert sheet.max_row == 2 and sheet.cell(2, 1).value == project_id


def test_an_unknown_format_is_refused(
    client: FlaskClient, tree: dict[str, Any], headers: dict[str, str]
) -> None:
    answer = client.get(f"/api/v1/projects/{tree['project'].id}/budget?format=pdf", headers=headers)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"] == {
        "format": "Unknown format 'pdf': use one of json, xlsx, csv."
    }


def test_paging_the_json_list_refuses_is_refused_for_a_file_too(
    client: FlaskClient, tree: dict[str, Any], headers: dict[str, str]
) -> None:
    for url in ("/api/v1/projects", f"/api/v1/projects/{tree['project'].id}/requirements"):
        answer = client.get(url, query_string={"format": "csv", "per_page": "false"}, headers=headers)
        assert answer.status_code == 422, url
        assert "per_page" in answer.get_json()["error"]["fields"]


def test_another_workspaces_project_is_not_found(
    client: FlaskClient, owner: Any, tree: dict[str, Any], make: Any, headers: dict[str, str]
) -> None:
    other = make.tree()["project"]
    for name in LISTS:
        assert (
            client.get(f"/api/v1/projects/{other.id}/{name}?format=xlsx", headers=headers).status_code == 404
        )
    for what in ("gap", "documents", "training", "findings", "budget"):
        for fmt in ("xlsx", "csv"):
            assert client.get(f"/projects/{other.id}/{what}.{fmt}").status_code == 404, what
    sheet = load_workbook(io.BytesIO(client.get("/portfolio.xlsx").data))["Portfolio"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [tree["project"].id]  # never the other's


def test_the_formats_are_documented() -> None:
    paths = document()["paths"]
    for path in ("/api/v1/projects", *(f"/api/v1/projects/{{project_id}}/{name}" for name in LISTS)):
        operation = paths[path]["get"]
        assert any(p["name"] == "format" for p in operation["parameters"]), path
        assert {XLSX_TYPE, "text/csv", "application/json"} <= set(operation["responses"]["200"]["content"]), (
            path
        )


def test_the_exports_query_count_does_not_grow_with_data(
    client: FlaskClient, owner: Any, tree: dict[str, Any], make: Any
) -> None:
    project_id = tree["project"].id

    def counted(url: str) -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    urls = [
        "/portfolio.xlsx",
        *(f"/projects/{project_id}/{what}.xlsx" for what in ("gap", "documents", "findings")),
    ]
    before = [counted(url) for url in urls]
    workspace = db.session.merge(tree["workspace"])
    site = db.session.merge(tree["site"])
    for _ in range(3):
        make.project(make.site(make.client(workspace)))
    db.session.add_all(
        Finding(
            project_id=project_id,
            source="internal_audit",
            severity="minor",
            description="x",
            raised_on=date(2026, 11, 1),
        )
        for _ in range(3)
    )
    make.project(site)
    db.session.commit()
    assert [counted(url) for url in urls] == before
