"""The gap analysis save answers JSON to the page's script (Accept: application/json): the new version, the
field errors, a stale refusal, a refusal; a plain form post still redirects. The compact view saves too."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.web.errors import EXPIRED_PAGE_MESSAGE
from tests.factories import login
from tests.integration.test_gap_analysis import gap_url, post_verdict, tree, verdict, verdict_data

JSON = {"Accept": "application/json"}

__all__ = ["tree"]  # the fixture, shared with the gap-analysis tests


def post_json(client: Any, project: Any, number: str, **fields: str) -> Any:
    fields.setdefault("version", str(verdict(project, number).version))
    return client.post(
        f"/projects/{project.id}/requirements/{number}", data=verdict_data(number, **fields), headers=JSON
    )


def test_a_saved_verdict_answers_its_new_version_and_badge(client, tree):
    project = tree["project"]
    before = verdict(project, "4.1").version
    answer = post_json(client, project, "4.1", status="partial", owner="Lan")
    assert answer.status_code == 200
    body = answer.get_json()
    db.session.expire_all()
    saved = verdict(project, "4.1")
    assert saved.status == "partial" and saved.owner == "Lan"
    assert body["ok"] is True and body["version"] == saved.version != before
    assert body["status"] == "partial" and body["status_label"] == "Partly met"
    assert "text-bg-warning" in body["badge"]


def test_refused_fields_answer_422_naming_them_and_nothing_is_saved(client, tree):
    project = tree["project"]
    answer = post_json(client, project, "4.1", status="met", owner="x" * 500, due_date="1999-01-01")
    assert answer.status_code == 422
    errors = answer.get_json()["errors"]
    assert set(errors) == {"owner", "due_date"} and all(errors.values())
    db.session.expire_all()
    assert verdict(project, "4.1").status == "not_assessed"


def test_not_applicable_without_a_justification_names_the_justification(client, tree):
    project = tree["project"]
    answer = post_json(client, project, "8.3.1", status="not_applicable")
    assert answer.status_code == 422
    assert "justification" in answer.get_json()["errors"]


def test_a_stale_save_answers_409_and_keeps_the_other_save(client, tree):
    project = tree["project"]
    old = str(verdict(project, "4.1").version)
    assert post_json(client, project, "4.1", status="met", version=old).status_code == 200
    answer = post_json(client, project, "4.1", status="not_met", version=old)
    assert answer.status_code == 409
    body = answer.get_json()
    assert body["stale"] is True and body["status"] == "met" and body["message"]
    db.session.expire_all()
    assert verdict(project, "4.1").status == "met"


def test_a_viewer_is_refused_as_json(client, make):
    make.standards()
    found = make.tree()
    login(client, make.user(found["workspace"], role="viewer"))
    answer = post_json(client, found["project"], "4.1", status="met")
    assert answer.status_code == 403
    assert answer.get_json()["ok"] is False
    assert verdict(found["project"], "4.1").status == "not_assessed"


def test_an_unknown_clause_is_404_as_json(client, tree):
    project = tree["project"]
    answer = client.post(f"/projects/{project.id}/requirements/99.9", data={}, headers=JSON)
    assert answer.status_code == 404 and answer.get_json()["ok"] is False


def test_the_plain_form_still_redirects_and_refuses_with_a_page(client, tree):
    project = tree["project"]
    saved = post_verdict(client, project, "4.1", status="met")
    assert saved.status_code == 303 and saved.location.endswith("#clause-4-1")
    refused = post_verdict(client, project, "4.2", status="met", owner="x" * 500)
    assert refused.status_code == 422 and refused.mimetype == "text/html"


def test_sections_fold(client, tree):
    page = client.get(gap_url(tree["project"], section="all"))
    assert page.text.count('<details class="gap-section-fold" open>') == 7


def test_the_compact_view_shows_one_row_per_requirement_and_saves_back_to_it(client, tree):
    project = tree["project"]
    db_row = verdict(project, "4.1")
    db_row.owner, db_row.notes = "Lan", "Kept as it was"
    db.session.commit()
    page = client.get(gap_url(project, section="all", view="compact"))
    assert page.status_code == 200
    assert page.text.count('class="gap-requirement gap-compact-row"') == 65
    assert 'name="clause-4-1-notes" value="Kept as it was"' in page.text
    assert 'id="gap-view-toggle"' in page.text and "Show the full cards" in page.text
    data = {
        "clause-4-1-status": "met",
        "clause-4-1-owner": "Lan",
        "clause-4-1-due_date": "",
        "clause-4-1-notes": "Kept as it was",
        "clause-4-1-justification": "",
        "clause-4-1-version": str(db_row.version),
        "return_view": "compact",
    }
    saved = client.post(f"/projects/{project.id}/requirements/4.1", data=data)
    assert saved.status_code == 303 and saved.location.endswith("?section=4&view=compact#clause-4-1")
    db.session.expire_all()
    kept = verdict(project, "4.1")
    assert kept.status == "met" and kept.owner == "Lan" and kept.notes == "Kept as it was"


def test_the_full_view_links_to_the_compact_one(client, tree):
    page = client.get(gap_url(tree["project"]))
    assert "view=compact" in page.text and 'id="gap-keyboard-hint"' in page.text


def test_a_save_answers_the_owner_due_date_and_readiness_as_saved_now(client, tree):
    project = tree["project"]
    body = post_json(client, project, "4.1", status="met", owner="Lan", due_date="2027-03-01").get_json()
    assert body["owner"] == "Lan" and body["due"] == "01 Mar 2027" and body["section"] == "4"
    overall, section = body["readiness"]["overall"], body["readiness"]["section"]
    assert section["counts"]["met"] == 1 and overall["counts"]["met"] == 1
    assert (section["open"], overall["open"]) == (4, 64)  # what the section links at the top show
    assert section["percent"] > overall["percent"] > 0  # one of section 4's few requirements, of all
    assert section["percent_text"] == f"{section['percent']}%"
    assert section["bar"] == f"w-{section['percent'] - section['percent'] % 5}"
    cleared = post_json(client, project, "4.1", status="not_assessed", owner="", due_date="").get_json()
    assert cleared["owner"] == "—" and cleared["due"] == "—"
    assert cleared["readiness"]["overall"]["counts"]["met"] == 0


def test_an_expired_page_is_told_to_reload_and_nothing_is_saved(app, client, tree):
    project = tree["project"]
    app.config["WTF_CSRF_ENABLED"] = True
    answer = post_json(client, project, "4.1", status="met")  # no CSRF token: the page's token expired
    assert answer.status_code == 400
    assert answer.get_json() == {"ok": False, "message": EXPIRED_PAGE_MESSAGE}
    plain = client.post(f"/projects/{project.id}/requirements/4.1", data=verdict_data("4.1", status="met"))
    assert plain.status_code == 400 and "This page has expired" in plain.text
    db.session.expire_all()
    assert verdict(project, "4.1").status == "not_assessed"
