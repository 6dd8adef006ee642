"""Lost updates (review D4): two people open the same edit form and both save. The second save, made from a
stale copy, is refused (409) with the values saved now in the form and what that person typed listed
beside it, and the first save is kept. Two saves racing past that check are refused by the database's
version check at commit: 409 again, never 500."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Assessment, BudgetLine, Clause, Client, Finding, ProjectStage, Task
from tests.html import form_values
from tests.integration.body_support import add_body
from tests.integration.evidence_support import user_as
from tests.integration.test_api import API, bearer, token_for


def verdict_of(tree: dict[str, Any], number: str = "7.1.5.1") -> Assessment:
    return db.session.execute(
        select(Assessment)
        .join(Clause, Clause.id == Assessment.clause_id)
        .where(Assessment.project_id == tree["project"].id, Clause.number == number)
    ).scalar_one()


def stage_of(tree: dict[str, Any], key: str = "training") -> ProjectStage:
    return db.session.execute(
        select(ProjectStage).where(ProjectStage.project_id == tree["project"].id, ProjectStage.key == key)
    ).scalar_one()


def task_of(tree: dict[str, Any]) -> Task:
    stmt = select(Task).where(Task.project_id == tree["project"].id).order_by(Task.id)
    return db.session.execute(stmt).scalars().first()


def new_line(tree: dict[str, Any]) -> BudgetLine:
    row = BudgetLine(
        project_id=tree["project"].id,
        stage="training",
        category="training",
        description="Internal-auditor course",
        planned=Decimal(24_000),
        spent_on=date(2026, 9, 15),
    )
    db.session.add(row)
    db.session.commit()
    return row


def new_finding(tree: dict[str, Any]) -> Finding:
    row = Finding(
        project_id=tree["project"].id,
        source="internal_audit",
        severity="minor",
        status="open",
        description="Calibration labels missing",
        raised_on=date(2026, 10, 1),
    )
    db.session.add(row)
    db.session.commit()
    return row


@dataclass(frozen=True)
class EditForm:
    """One edit form: where it is, the record it edits, and what each of two people changes in it."""

    what: str  # as the refusal names the record
    record: Callable[[dict[str, Any]], Any]  # the record, created if needed
    page: Callable[[dict[str, Any], Any], str]  # the page holding the form
    action: Callable[[dict[str, Any], Any], str]  # where the form posts
    alice: dict[str, str]  # field -> value; each shows in the form just as typed
    bob: dict[str, str]
    bob_shown: dict[str, str] = field(default_factory=dict)  # a choice's label, where it is not its value
    prefix: str = ""  # of every field name (the gap-analysis rows)

    def key(self, name: str) -> str:
        return self.prefix + name


def _project_url(tree: dict[str, Any], path: str) -> str:
    return f"/projects/{tree['project'].id}{path}"


VERDICT = "clause-7-1-5-1-"
FORMS = {
    "verdict on the gap analysis": EditForm(
        "verdict",
        lambda tree: verdict_of(tree),
        lambda tree, _: _project_url(tree, "/gap-analysis?section=7"),
        lambda tree, _: _project_url(tree, "/requirements/7.1.5.1"),
        alice={"notes": "ALICE: calibration records checked", "owner": "Alice"},
        bob={"status": "not_met"},
        bob_shown={"status": "Not met"},
        prefix=VERDICT,
    ),
    "verdict on the requirement page": EditForm(
        "verdict",
        lambda tree: verdict_of(tree),
        lambda tree, _: _project_url(tree, "/requirements/7.1.5.1"),
        lambda tree, _: _project_url(tree, "/requirements/7.1.5.1"),
        alice={"notes": "ALICE: calibration records checked", "owner": "Alice"},
        bob={"status": "not_met", "notes": "Bob: no records"},
        bob_shown={"status": "Not met"},
        prefix=VERDICT,
    ),
    "budget line": EditForm(
        "budget line",
        new_line,
        lambda tree, line: _project_url(tree, f"/budget/lines/{line.id}"),
        lambda tree, line: _project_url(tree, f"/budget/lines/{line.id}"),
        alice={"actual": "12345.00"},
        bob={"description": "Bob renamed the line"},
    ),
    "stage": EditForm(
        "stage",
        lambda tree: stage_of(tree, "gap_analysis"),  # the first stage: starting it waits for no other
        lambda tree, _: _project_url(tree, "/stages/gap_analysis"),
        lambda tree, _: _project_url(tree, "/stages/gap_analysis"),
        alice={"planned_start": "2026-03-01", "planned_end": "2026-04-30"},
        bob={"status": "in_progress", "planned_start": "2027-01-05", "planned_end": "2027-02-02"},
        bob_shown={"status": "In progress"},
    ),
    "task": EditForm(
        "task",
        task_of,
        lambda tree, task: _project_url(tree, f"/tasks/{task.id}"),
        lambda tree, task: _project_url(tree, f"/tasks/{task.id}"),
        alice={"owner": "Alice", "notes": "ALICE: booked the trainer"},
        bob={"status": "done"},
        bob_shown={"status": "Done"},
    ),
    "finding": EditForm(
        "finding",
        new_finding,
        lambda tree, finding: _project_url(tree, f"/findings/{finding.id}"),
        lambda tree, finding: _project_url(tree, f"/findings/{finding.id}"),
        alice={"containment": "ALICE: labels printed and applied"},
        bob={"description": "Bob: labels and certificates missing"},
        prefix="edit-",
    ),
    "client": EditForm(
        "client",
        lambda tree: tree["client"],
        lambda _, client: f"/clients/{client.id}/edit",
        lambda _, client: f"/clients/{client.id}/edit",
        alice={"contact_email": "alice@saigoncork.example"},
        bob={"notes": "Bob's note"},
    ),
    "site": EditForm(
        "site",
        lambda tree: tree["site"],
        lambda _, site: f"/sites/{site.id}/edit",
        lambda _, site: f"/sites/{site.id}/edit",
        alice={"employee_count": "999"},
        bob={"products": "Bob's products"},
    ),
    "project": EditForm(
        "project",
        lambda tree: tree["project"],
        lambda tree, _: _project_url(tree, "/edit"),
        lambda tree, _: _project_url(tree, "/edit"),
        alice={"target_date": "2027-09-30"},
        bob={"status": "on_hold"},
        bob_shown={"status": "On hold"},
    ),
    "certification body": EditForm(
        "certification body",
        lambda tree: add_body(tree["workspace"], "Lost Update Cert"),
        lambda _, body: f"/certification-bodies/{body.id}/edit",
        lambda _, body: f"/certification-bodies/{body.id}/edit",
        alice={"contact_name": "Alice Nguyen"},
        bob={"notes": "Bob's note"},
    ),
}


def typed_values(response: Any) -> dict[str, str]:
    """What the refusal lists as typed but not saved: field id -> the text shown."""
    found = re.findall(
        r'<dd class="[^"]*" data-field="([^"]+)">\s*<div class="preline stale-typed">(.*?)</div>',
        response.text,
        re.S,
    )
    return {name: unescape(text) for name, text in found}


def saved_values(record: Any, names: dict[str, str]) -> dict[str, str]:
    """The record's columns named in ``names``, as their forms show them."""
    db.session.expire_all()
    shown = {}
    for name in names:
        value = getattr(record, name)
        shown[name] = f"{value:.2f}" if isinstance(value, Decimal) else "" if value is None else str(value)
    return shown


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_the_second_of_two_saves_is_refused_and_the_first_is_kept(app, make, tree, form):
    alice, bob = user_as(app, make, tree, "owner")[0], user_as(app, make, tree, "consultant")[0]
    record = form.record(tree)
    page, action = form.page(tree, record), form.action(tree, record)
    first = form.key(next(iter(form.alice)))
    alice_copy, bob_copy = (form_values(http.get(page), containing=first) for http in (alice, bob))

    def typed(changes: dict[str, str]) -> dict[str, str]:
        return {form.key(name): value for name, value in changes.items()}

    saved = alice.post(action, data=alice_copy | typed(form.alice))
    assert saved.status_code in (302, 303), saved.text
    refused = bob.post(action, data=bob_copy | typed(form.bob))

    assert refused.status_code == 409
    assert f"Someone else saved this {form.what} while you were editing it." in refused.text
    assert saved_values(record, form.alice) == form.alice  # Alice's save is kept
    current = form_values(refused, containing=first)
    assert {name: current[form.key(name)] for name in form.alice} == form.alice  # shown as saved now
    # What Bob typed is listed, to apply again (with the fields Alice changed: his copy differed there too).
    listed = typed_values(refused)
    for name, value in form.bob.items():
        assert listed[form.key(name)] == form.bob_shown.get(name, value)

    again = bob.post(action, data=current | typed(form.bob))  # Bob applies his change to the new copy
    assert again.status_code in (302, 303), again.text
    assert saved_values(record, form.alice | form.bob) == form.alice | form.bob


@pytest.mark.parametrize("version", [None, "", "abc", "²", "1" * 40])
def test_a_save_that_names_no_readable_version_is_refused(client, owner, tree, version):
    url = f"/clients/{tree['client'].id}/edit"
    data = form_values(client.get(url), containing="name") | {"notes": "Changed blind"}
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    response = client.post(url, data=data)
    assert response.status_code == 409
    db.session.expire_all()
    assert tree["client"].notes != "Changed blind"


def test_a_stale_copy_is_refused_even_when_nothing_was_typed(app, client, owner, make, tree):
    other = user_as(app, make, tree, "owner")[0]
    url = f"/clients/{tree['client'].id}/edit"
    mine = form_values(client.get(url), containing="name")
    theirs = form_values(other.get(url), containing="name") | {"notes": "Their note"}
    assert other.post(url, data=theirs).status_code == 302
    response = client.post(url, data=mine)  # nothing typed, but saving it would clear their note
    assert response.status_code == 409
    assert typed_values(response) == {"notes": "(empty)"}
    db.session.expire_all()
    assert tree["client"].notes == "Their note"


# Two saves racing: both passed the version check, and the commit of the later one finds the row changed.


@pytest.fixture
def racing_writer(app: Any) -> Iterator[list[str]]:
    """Before the request's first flush, another session commits a change to each versioned row the
    request is about to update: the two writes race, and the request's UPDATE must find the row changed.
    Yields the tables it changed."""
    changed: list[str] = []

    def write_first(session: Session, _context: Any, _instances: Any) -> None:
        if changed:
            return
        for row in [row for row in session.dirty if hasattr(row, "version")]:
            model = type(row)
            with db.engine.begin() as other:  # another connection: another transaction, committed
                other.execute(update(model).where(model.id == row.id).values(version=model.version + 1))
            changed.append(model.__tablename__)

    event.listen(Session, "before_flush", write_first)
    yield changed
    event.remove(Session, "before_flush", write_first)


def test_a_save_that_loses_a_race_at_commit_is_a_409_page(client, owner, tree, racing_writer):
    url = f"/clients/{tree['client'].id}/edit"
    data = form_values(client.get(url), containing="name") | {"notes": "Raced"}
    response = client.post(url, data=data)
    assert racing_writer == ["clients"]
    assert response.status_code == 409
    assert "Someone else saved the same record at the same moment" in response.text
    db.session.expire_all()
    client_row = db.session.get(Client, tree["client"].id)
    assert (client_row.notes, client_row.version) == ("", 2)  # the other write only


def test_an_api_change_that_loses_a_race_at_commit_is_a_409_error(client, make, tree, racing_writer):
    token = token_for(make.user(tree["workspace"], role="owner"))
    response = client.patch(
        f"{API}/projects/{tree['project'].id}/requirements/7.1.5.1",
        json={"notes": "Raced"},
        headers=bearer(token),
    )
    assert racing_writer[0] == "assessments"
    assert response.status_code == 409
    assert response.get_json()["error"]["status"] == 409
    db.session.expire_all()
    assert verdict_of(tree).notes == ""
