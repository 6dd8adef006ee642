"""Another workspace's data is unreachable by URL: every route with an id answers 404.

The walk covers every rule in the app's URL map, so a new route is tested as soon as it exists; a route
whose parameter has no entry in ``ids_for`` fails the test until one is added.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import select

from app.extensions import db
from app.models import (
    BudgetLine,
    ControlledDocument,
    EvidenceItem,
    Finding,
    Invitation,
    Membership,
    Person,
    Task,
)
from app.models.base import utcnow
from app.services.accounts import create_user
from tests.audit_samples import audit_ids
from tests.document_samples import add_document_with_revision
from tests.evidence_samples import add_file
from tests.factories import login
from tests.integration.body_support import body_walk_values
from tests.integration.certification_support import certification_walk_values
from tests.integration.register_walks import register_walk_values
from tests.integration.review_support import review_walk_values
from tests.sharing_samples import sharing_ids
from tests.training_samples import training_ids

SKIP_METHODS = {"HEAD", "OPTIONS"}


def ids_for(tree: dict[str, Any]) -> dict[str, Any]:
    """A value for each URL parameter, taken from one workspace's objects."""
    project = tree["project"]
    task = db.session.execute(select(Task).where(Task.project_id == project.id).limit(1)).scalar_one()
    finding = db.session.execute(select(Finding).where(Finding.project_id == project.id)).scalar_one_or_none()
    if finding is None:
        finding = Finding(
            project_id=project.id,
            source="internal_audit",
            severity="minor",
            description="x",
            raised_on=date(2026, 10, 1),
        )
        db.session.add(finding)
        db.session.commit()
    member = db.session.execute(
        select(Membership).where(Membership.workspace_id == tree["workspace"].id)
    ).scalars().first() or Membership(
        user=create_user(f"member{project.id}@example.com", "Member", "member-password-1"),
        workspace_id=tree["workspace"].id,
        role="viewer",
    )
    db.session.add(member)
    db.session.commit()
    line = db.session.execute(
        select(BudgetLine).where(BudgetLine.project_id == project.id).limit(1)
    ).scalar_one_or_none() or BudgetLine(
        project_id=project.id, stage="training", category="training", description="x", planned=Decimal(1)
    )
    db.session.add(line)
    db.session.commit()
    evidence = db.session.execute(
        select(EvidenceItem).where(EvidenceItem.project_id == project.id, EvidenceItem.kind == "file")
    ).scalars().first() or add_file(project)
    invitation = db.session.execute(
        select(Invitation).where(Invitation.workspace_id == tree["workspace"].id)
    ).scalar_one_or_none() or Invitation(
        workspace_id=tree["workspace"].id,
        email=f"invited{project.id}@example.com",
        role="viewer",
        token_hash=f"{project.id:064d}",
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(invitation)
    db.session.commit()
    document = db.session.execute(
        select(ControlledDocument).where(ControlledDocument.project_id == project.id).limit(1)
    ).scalar_one_or_none() or add_document_with_revision(project)
    person = db.session.execute(
        select(Person).where(Person.site_id == tree["site"].id).limit(1)
    ).scalar_one_or_none() or Person(
        site_id=tree["site"].id, name=f"Walk person {project.id}", name_key=f"walk person {project.id}"
    )
    db.session.add(person)
    db.session.commit()
    return {
        "line_id": line.id,
        "membership_id": member.id,
        "invitation_id": invitation.id,
        "client_id": tree["client"].id,
        "site_id": tree["site"].id,
        "project_id": project.id,
        "stage": "internal_audit",  # a real stage: only the project id is foreign
        "clause": "4.1",
        "what": "gap",  # an export of the project (app.exports): gap.xlsx
        "fmt": "xlsx",
        "task_id": task.id,
        "finding_id": finding.id,
        "transition": "plan",  # a step of the finding's workflow
        "evidence_id": evidence.id,
        "number": 1,  # its first file version
        "document_id": document.id,
        "revision_id": document.revisions[0].id,
        "action": "submit",  # a step of the revision's workflow (approve and return are tried elsewhere)
        "person_id": person.id,  # someone on the staff list of the project's site
        **training_ids(project, tree["site"]),  # role_id, requirement_id, session_id, attendance_id
        **review_walk_values(project),  # review_id, output_id (an open action), objective_id
        **audit_ids(project),  # audit_id, audit_line_id and a step of the audit (start)
        **certification_walk_values(project),  # external_audit_id (a held stage 2), certificate_id
        **sharing_ids(project),  # share_link_id: a link to a certificate of the project
        **body_walk_values(project),  # body_id (the project's certification body), quote_id (received)
        **register_walk_values(project, evidence),  # record_kind, record_id and each register's ids
    }


# Routes that delete what they are given: walked last, children before parents, so that with the
# user's own ids every other route still finds its object.
DELETES_LAST = (
    "project.budget.delete_line",
    "project.delete",
    "clients.delete_site",
    "clients.delete_client",
)


def walk_order(rule: Any) -> int:
    return DELETES_LAST.index(rule.endpoint) + 1 if rule.endpoint in DELETES_LAST else 0


def routes_with_ids(app: Flask) -> list[Any]:
    # The API ignores the session (401 without a token); test_api.py walks its routes with a token.
    # A link's token (confirm an address, reset a password, accept an invitation) is not an id but the
    # credential itself; test_auth, test_password_reset and test_invitations try forged, old and used ones.
    # So is a buyer's share link (/check/<token>): public, reached without a workspace or a log-in;
    # test_sharing tries unknown, revoked and expired ones and another workspace's links.
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.arguments
        and rule.arguments != {"token"}
        and rule.endpoint != "static"
        and not rule.endpoint.startswith("api.")
    ]
    return sorted(rules, key=walk_order)  # a stable sort: the others keep the URL map's order


def walk(app: Flask, http: Any, tree: dict[str, Any]) -> dict[str, int]:
    """Status of every (method, url) reached with ``tree``'s ids."""
    values = ids_for(tree)
    statuses = {}
    for rule in routes_with_ids(app):
        missing = rule.arguments - values.keys()
        assert not missing, f"{rule.rule}: add a value for {missing} to ids_for()"
        with app.test_request_context():
            url = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
        for method in sorted(rule.methods - SKIP_METHODS):
            # buffered: the response is read and closed (a download holds its file open until then)
            statuses[f"{method} {url}"] = http.open(url, method=method, buffered=True).status_code
    return statuses


@pytest.fixture
def two_workspaces(make: Any) -> dict[str, Any]:
    make.standards()
    mine = make.tree()
    theirs = make.tree()
    return {"mine": mine, "theirs": theirs}


def test_routes_exist_to_walk(app):
    assert len(routes_with_ids(app)) >= 8


def test_every_route_is_404_with_another_workspaces_ids(app, client, make, two_workspaces):
    login(client, make.user(two_workspaces["mine"]["workspace"], role="owner"))
    statuses = walk(app, client, two_workspaces["theirs"])
    assert statuses
    assert {url: code for url, code in statuses.items() if code != 404} == {}


def test_the_same_routes_answer_with_own_ids(app, client, make, two_workspaces):
    """The walk above can fail: with the user's own ids no route is a 404."""
    login(client, make.user(two_workspaces["mine"]["workspace"], role="owner"))
    statuses = walk(app, client, two_workspaces["mine"])
    assert {url: code for url, code in statuses.items() if code == 404} == {}


def test_client_manager_cannot_reach_unnamed_client_of_own_workspace(app, client, make):
    make.standards()
    workspace = make.workspace()
    named = make.tree(workspace)
    other = make.tree(workspace)
    login(client, make.user(workspace, role="client_manager", clients=[named["client"]]))
    statuses = walk(app, client, other)
    assert {url: code for url, code in statuses.items() if code != 404} == {}
    assert client.get(f"/clients/{named['client'].id}").status_code == 200


def test_user_without_workspace_is_refused(client, make):
    from app.extensions import db
    from app.models import Membership

    user = make.user()
    db.session.query(Membership).filter_by(user_id=user.id).delete()
    db.session.commit()
    login(client, user)
    assert client.get("/clients").status_code == 403


def test_ids_too_large_for_the_database_are_404(client, make):
    login(client, make.user())
    for url in [
        "/clients/99999999999999999999",
        "/sites/2147483648",
        "/projects/9223372036854775808/stages/training",
    ]:
        assert client.get(url).status_code == 404, url
