"""The training matrix page: people against trainings, each cell in words with its date and revision, the
filters (department, job role, state), the totals per row, per column and per state, the print stylesheet,
the next step's link, a query count that does not grow with the matrix, and another workspace's 404."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from app.services.pathway import project_overview
from tests import document_samples as documents
from tests.integration.evidence_support import user_as
from tests.integration.training_support import (
    add_person,
    add_requirement,
    add_role,
    add_session,
    fill_matrix,
)
from tests.querycount import count_queries

TODAY = date.today()
STATIC = Path(__file__).resolve().parents[2] / "static"


def url(project: Any, **args: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/projects/{project.id}/training-matrix" + (f"?{query}" if query else "")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def row(html: str, person: Any) -> list[str]:
    """The states of a person's row, in column order."""
    found = re.search(rf'<tr data-person-id="{person.id}">(.*?)</tr>', html, re.S)
    assert found, f"no row for {person.name}"
    return re.findall(r'<td class="cell-(\w+)">', found.group(1))


def row_text(html: str, person: Any) -> str:
    found = re.search(rf'<tr data-person-id="{person.id}">(.*?)</tr>', html, re.S)
    assert found
    return text(found.group(1))


def people_shown(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-person-id="(\d+)">', html)]


def footer(html: str) -> list[tuple[str, str]]:
    found = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S)
    assert found
    return re.findall(r'data-done="(\d+)" data-required="(\d+)"', found.group(1))


def state_count(html: str, state: str) -> int:
    found = re.search(rf'data-state="{state}">[^<]*<span class="matrix-count">(\d+)</span>', html)
    assert found, state
    return int(found.group(1))


@pytest.fixture
def factory(tree: dict[str, Any]) -> dict[str, Any]:
    """A welding shop: QP-04 (a procedure, rev A approved then rev B) for welders and inspectors, quality
    policy awareness for everyone (12-month refresher), welding for welders, the internal auditor course for
    inspectors; Anna (welder, trained on QP-04 rev A), Bao (welder, nothing yet), Chi (inspector, all done,
    the auditor course passed), Dung (welder who left)."""
    project, site = tree["project"], tree["site"]
    document = documents.add_document(project, None, "QP-04", ("7.5.3.1",))
    rev_a = documents.add_revision(project, None, document, "A", submit=True)
    documents.approve(project, None, document, rev_a)
    procedure = add_requirement(project, "QP-04 Document control", document)
    awareness = add_requirement(project, "Quality policy awareness", everyone=True, refresher_months=12)
    welding = add_requirement(project, "Welding")
    auditor = add_requirement(project, "Internal auditor course", qualifies_auditor=True)
    add_role(project, "Welder", [procedure, welding])
    add_role(project, "Inspector", [procedure, auditor])
    anna = add_person(site, "Anna", "Production", "Welder", date(2020, 1, 1))
    bao = add_person(site, "Bao", "Production", "Welder", date(2024, 1, 1))
    chi = add_person(site, "Chi", "Quality", "Inspector", date(2019, 5, 1))
    add_person(site, "Dung", "Production", "Welder", date(2019, 1, 1), left_on=TODAY - timedelta(days=30))
    add_session(project, procedure, TODAY - timedelta(days=60), [anna], rev_a, "pass")
    add_session(project, awareness, TODAY - timedelta(days=400), [anna], result="pass")  # expired
    add_session(project, awareness, TODAY - timedelta(days=20), [chi], result="pass")
    add_session(project, welding, TODAY - timedelta(days=10), [anna], result="fail")
    add_session(project, auditor, TODAY - timedelta(days=15), [chi], result="pass")
    rev_b = documents.add_revision(project, None, document, "B", submit=True)
    documents.approve(project, None, document, rev_b)  # Anna's training on rev A is outdated now
    add_session(project, procedure, TODAY - timedelta(days=1), [chi], rev_b, "pending")
    return {
        "project": project,
        "people": {"anna": anna, "bao": bao, "chi": chi},
        "requirements": [awareness, auditor, procedure, welding],  # the columns: everyone first, then by name
    }


def test_the_matrix_shows_every_cell_in_words_with_date_and_revision(client, owner, factory):
    project, people = factory["project"], factory["people"]
    response = client.get(url(project))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "style=" not in html and "<script>" not in html  # the strict CSP allows neither
    headers = re.findall(r'<th scope="col" class="matrix-requirement" data-requirement-id="(\d+)"', html)
    assert [int(h) for h in headers] == [r.id for r in factory["requirements"]]
    assert "rev B" in text(html[html.index("<thead>") : html.index("</thead>")])
    anna, bao, chi = people["anna"], people["bao"], people["chi"]
    assert people_shown(html) == [anna.id, bao.id, chi.id]  # by department, then name; Dung has left
    assert row(html, anna) == ["expired", "not_required", "outdated", "failed"]
    assert row(html, bao) == ["due", "not_required", "due", "due"]
    assert row(html, chi) == ["done", "done", "done", "not_required"]
    anna_text = row_text(html, anna)
    assert "Expired last " in anna_text
    assert "Outdated trained on rev A," in anna_text
    assert f"Failed check {(TODAY - timedelta(days=10)).strftime('%d %b %Y')}" in anna_text
    chi_text = row_text(html, chi)
    assert f"Done {(TODAY - timedelta(days=1)).strftime('%d %b %Y')} · rev B" in chi_text
    assert "Not required" in anna_text  # said, not only shown as a dash


def test_totals_per_row_per_column_and_per_state(client, owner, factory):
    html = client.get(url(factory["project"])).get_data(as_text=True)
    people = factory["people"]
    assert "0 of 3" in row_text(html, people["anna"])
    assert "3 of 3" in row_text(html, people["chi"])
    # Columns: awareness, auditor, QP-04, welding; then everyone's.
    assert footer(html) == [("1", "3"), ("1", "1"), ("1", "3"), ("0", "2"), ("3", "9")]
    counts = {s: state_count(html, s) for s in ("done", "due", "outdated", "expired", "failed")}
    assert counts == {"done": 3, "due": 3, "outdated": 1, "expired": 1, "failed": 1}
    assert "3 of 9 required trainings done (33%)" in text(html)


def test_filters_by_department_and_job_role(client, owner, factory):
    project, people = factory["project"], factory["people"]
    html = client.get(url(project, department="Quality")).get_data(as_text=True)
    assert people_shown(html) == [people["chi"].id]
    assert '<option selected value="Quality">' in html
    assert "Showing department Quality" in text(html)
    html = client.get(url(project, job_role="Welder")).get_data(as_text=True)
    assert people_shown(html) == [people["anna"].id, people["bao"].id]
    assert state_count(html, "done") == 0
    html = client.get(url(project, department="Quality", job_role="Welder")).get_data(as_text=True)
    assert people_shown(html) == [] and "Nobody matches these filters" in html


def test_the_state_filter_shows_people_with_a_cell_in_that_state(client, owner, factory):
    project, people = factory["project"], factory["people"]
    html = client.get(url(project, state="outdated")).get_data(as_text=True)
    assert people_shown(html) == [people["anna"].id]
    assert state_count(html, "outdated") == 1 and state_count(html, "due") == 3  # counts of everyone
    assert 'aria-current="true" data-state="outdated"' in html
    html = client.get(url(project, state="due")).get_data(as_text=True)
    assert people_shown(html) == [people["bao"].id]
    assert footer(html)[-1] == ("0", "3")  # the totals of the people shown
    html = client.get(url(project, state="done", department="Production")).get_data(as_text=True)
    assert people_shown(html) == []


@pytest.mark.parametrize(
    "query",
    [{"state": "not_required"}, {"state": "bogus"}, {"department": "Nowhere"}, {"job_role": "<b>"}],
)
def test_unknown_filters_are_ignored(client, owner, factory, query):
    response = client.get(url(factory["project"], **query))
    assert response.status_code == 200
    assert len(people_shown(response.get_data(as_text=True))) == 3


def test_the_page_prints_on_a4_landscape_and_scrolls_on_a_phone(client, owner, factory):
    html = client.get(url(factory["project"])).get_data(as_text=True)
    assert 'href="/static/css/training_matrix.css"' in html
    css = (STATIC / "css" / "training_matrix.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert "size: A4 landscape" in print_rules
    assert ".matrix-filters" in print_rules and ".navbar" in print_rules  # the page prints alone
    assert "display: table-header-group" in print_rules  # the header repeats on every sheet
    served = client.get("/static/css/training_matrix.css")
    served.close()
    assert served.status_code == 200
    assert 'class="table-responsive matrix-scroll"' in html
    assert re.search(r"\.matrix-person \{[^}]*position: sticky; left: 0", css)
    assert '<th scope="row" class="matrix-person">' in html


def test_an_empty_matrix_says_what_to_do(client, owner, tree):
    project_url = f"/projects/{tree['project'].id}"
    html = client.get(url(tree["project"])).get_data(as_text=True)
    assert "No training requirements yet" in html and "<table" not in html
    assert f'href="{project_url}/training/requirements"' in html
    add_requirement(tree["project"], "Quality policy awareness", everyone=True)
    html = client.get(url(tree["project"])).get_data(as_text=True)
    assert "Nobody is on the staff list" in html
    assert f'href="{project_url}/people/import"' in html


def test_editors_get_a_link_to_record_a_training_and_viewers_do_not(app, make, tree, factory):
    editor_page = (
        user_as(app, make, tree, "contributor")[0].get(url(factory["project"])).get_data(as_text=True)
    )
    assert f'href="/projects/{factory["project"].id}/training/sessions/new"' in editor_page
    viewer_page = user_as(app, make, tree, "viewer")[0].get(url(factory["project"])).get_data(as_text=True)
    assert 'id="record-training"' not in viewer_page and 'id="people-link"' in viewer_page


def test_a_viewer_sees_the_matrix(app, make, tree, factory):
    http, _ = user_as(app, make, tree, "viewer")
    assert http.get(url(factory["project"])).status_code == 200


def test_another_workspaces_matrix_is_404(client, owner, make, factory):
    theirs = make.tree()
    add_person(theirs["site"], "Secret person")
    response = client.get(url(theirs["project"]))
    assert response.status_code == 404 and "Secret person" not in response.get_data(as_text=True)


def test_the_next_step_links_the_retraining_to_the_outdated_cells(client, owner, factory):
    project = factory["project"]
    step = next(s for s in project_overview(project, TODAY).next_steps if s.target[0] == "training_matrix")
    assert step.title == "Retrain 1 person on QP-04 Document control" and "Anna" in step.detail
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    link = f'href="/projects/{project.id}/training-matrix?state=outdated"'
    assert link in html


def test_the_query_count_does_not_grow_with_the_matrix(client, owner, make, tree):
    small = tree
    large = make.tree(tree["workspace"])
    fill_matrix(small["project"], small["site"], 5, 3, TODAY - timedelta(days=30))
    fill_matrix(large["project"], large["site"], 40, 10, TODAY - timedelta(days=30))
    small_url, large_url = url(small["project"]), url(large["project"])
    counted = []
    for address, people in ((small_url, 5), (large_url, 40)):
        client.get(address)
        with count_queries() as queries:
            response = client.get(address)
        assert response.status_code == 200
        assert len(people_shown(response.get_data(as_text=True))) == people
        counted.append(len(queries))
    assert counted[0] == counted[1]
    with count_queries() as filtered:
        client.get(f"{large_url}?state=due&department=Quality&job_role=Inspector")
    assert len(filtered) == counted[1]


def test_fifty_people_a_page_with_column_totals_over_everyone_and_all_on_one_page_to_print(
    client, owner, tree
):
    people, _topics = fill_matrix(tree["project"], tree["site"], people=60, requirements=2, held_on=TODAY)
    first = client.get(url(tree["project"])).get_data(as_text=True)
    assert len(people_shown(first)) == 50 and "Page 1 of 2" in first
    second = client.get(url(tree["project"], page="2")).get_data(as_text=True)
    assert len(people_shown(second)) == 10
    assert set(people_shown(first)) | set(people_shown(second)) == {p.id for p in people}
    assert footer(first) == footer(second)  # the totals count all 60 people, whatever the page
    everyone = client.get(url(tree["project"], all="1")).get_data(as_text=True)
    assert len(people_shown(everyone)) == 60 and "Page 1 of" not in everyone
    beyond = client.get(url(tree["project"], page="9")).get_data(as_text=True)
    assert people_shown(beyond) == people_shown(second)  # past the last page: the last


def test_all_on_one_page_with_nobody_is_still_a_page(client, owner, tree):
    assert client.get(url(tree["project"], all="1")).status_code == 200
