"""Deleting a client, site, project or budget line: soft, gone from every page, list and API answer, and
restored by an owner (the whole group deleted together) for 30 days."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import BudgetLine, CertificationProject, Client, DataEvent, Membership, Site
from app.models.base import utcnow
from app.services import clients as client_service
from app.services import documents as document_service
from app.services.errors import NotFound
from tests.evidence_samples import add_file, scope_for
from tests.factories import login
from tests.integration.register_files import document_with_files, revision_paths
from tests.integration.test_api import bearer, token_for

API = "/api/v1"


@pytest.fixture
def token(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="owner")))


def fresh(model: Any, object_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, object_id)


def events(action: str) -> list[tuple[str, int | None]]:
    rows = db.session.execute(select(DataEvent).where(DataEvent.action == action).order_by(DataEvent.id))
    return [(event.subject, event.subject_id) for event in rows.scalars()]


def project_urls(project_id: int) -> list[str]:
    pages = ["", "/edit", "/delete", "/gap", "/budget", "/evidence", "/charts", "/stages/training"]
    api = ["", "/requirements", "/budget", "/evidence", "/history"]
    return [f"/projects/{project_id}{path}" for path in pages] + [
        f"{API}/projects/{project_id}{path}" for path in api
    ]


def assert_gone(client: Any, token: dict[str, str], project_id: int) -> None:
    for url in project_urls(project_id):
        headers = token if url.startswith(API) else {}
        assert client.get(url, headers=headers).status_code == 404, url
    listed = client.get(f"{API}/projects", headers=token).json
    assert project_id not in [item["id"] for item in listed["items"]]
    assert f'/projects/{project_id}"' not in client.get("/projects").get_data(as_text=True)


def test_deleting_a_project_asks_first_then_hides_it_everywhere(client, owner, tree, token):
    project, site = tree["project"], tree["site"]
    item = add_file(project)
    confirm = client.get(f"/projects/{project.id}/delete")
    assert confirm.status_code == 200 and "confirm-delete" in confirm.get_data(as_text=True)
    assert fresh(CertificationProject, project.id).deleted_at is None  # asking deletes nothing

    response = client.post(f"/projects/{project.id}/delete")
    assert response.status_code == 303 and response.location.endswith(f"/sites/{site.id}")
    row = fresh(CertificationProject, project.id)
    assert row.deleted_at is not None and row.deleted_by_id == owner.id
    assert_gone(client, token, project.id)
    assert client.get(f"{API}/evidence/{item.id}/download", headers=token).status_code == 404
    for page in (f"/sites/{site.id}", f"/clients/{tree['client'].id}"):
        assert f'/projects/{project.id}"' not in client.get(page).get_data(as_text=True)
    assert events("deleted") == [("project", project.id)]


def test_a_deleted_projects_register_is_out_of_reach_and_comes_back_whole_with_it(client, owner, tree):
    project = tree["project"]
    document = document_with_files(project)
    paths = revision_paths(project.id)
    scope = scope_for(owner.id, project)
    assert client.post(f"/projects/{project.id}/delete").status_code == 303
    with pytest.raises(NotFound):
        document_service.document_in(scope, fresh(CertificationProject, project.id), document.id)
    assert len(paths) == 3 and all(path.is_file() for path in paths)  # kept until the purge

    assert client.post(f"/trash/projects/{project.id}/restore").status_code == 303
    back = document_service.document_in(scope, fresh(CertificationProject, project.id), document.id)
    assert [revision.state for revision in back.revisions] == ["superseded", "approved", "draft"]


def test_deleting_a_site_takes_its_projects_at_the_same_moment(client, owner, tree, token, make):
    site, project = tree["site"], tree["project"]
    second = make.project(site, "iso13485")
    other_site = make.site(tree["client"])
    page = client.get(f"/sites/{site.id}/delete").get_data(as_text=True)
    assert "ISO 13485" in page  # the confirmation names what goes with it

    assert client.post(f"/sites/{site.id}/delete").status_code == 303
    moment = fresh(Site, site.id).deleted_at
    assert moment is not None
    assert {fresh(CertificationProject, p.id).deleted_at for p in (project, second)} == {moment}
    assert client.get(f"/sites/{site.id}").status_code == 404
    assert_gone(client, token, project.id)
    shown = client.get(f"/clients/{tree['client'].id}").get_data(as_text=True)
    assert f'/sites/{site.id}"' not in shown and f'/sites/{other_site.id}"' in shown


def test_deleting_a_client_takes_its_sites_and_projects_as_one_group(client, owner, tree, token):
    client_row, site, project = tree["client"], tree["site"], tree["project"]
    assert client.post(f"/clients/{client_row.id}/delete").status_code == 303
    moment = fresh(Client, client_row.id).deleted_at
    assert fresh(Site, site.id).deleted_at == moment == fresh(CertificationProject, project.id).deleted_at
    for url in (f"/clients/{client_row.id}", f"/clients/{client_row.id}/edit", f"/sites/{site.id}"):
        assert client.get(url).status_code == 404, url
    assert_gone(client, token, project.id)
    assert client_row.name not in client.get("/clients").get_data(as_text=True)


def test_lists_and_counts_leave_deleted_rows_out(client, owner, tree, make):
    client_row = tree["client"]
    extra_site = make.site(client_row)
    extra = make.project(extra_site)
    assert client.post(f"/sites/{extra_site.id}/delete").status_code == 303
    page = client.get("/clients").get_data(as_text=True)
    assert f'/projects/{extra.id}"' not in page and f'/projects/{tree["project"].id}"' in page
    from app.services.clients import client_rows
    from app.services.scope import Scope

    membership = db.session.execute(select(Membership).where(Membership.user_id == owner.id)).scalar_one()
    [row], _ = client_rows(Scope.of(membership), 1, 25)
    assert (row.site_count, row.project_count) == (1, 1)


def test_a_deleted_budget_line_leaves_every_roll_up_and_comes_back(client, owner, tree, token):
    project = tree["project"]
    kept = BudgetLine(project_id=project.id, stage="training", category="training", description="Kept")
    gone = BudgetLine(project_id=project.id, stage="training", category="training", description="Gone")
    kept.planned, gone.planned = Decimal(100), Decimal(900)
    db.session.add_all([kept, gone])
    db.session.commit()
    assert client.post(f"/projects/{project.id}/budget/lines/{gone.id}/delete").status_code == 303
    budget = client.get(f"{API}/projects/{project.id}/budget", headers=token).json
    assert [line["description"] for line in budget["lines"]] == ["Kept"]
    assert budget["total"]["planned"] == "100.00"
    assert "900.00" not in client.get("/clients").get_data(as_text=True)
    assert client.get(f"/projects/{project.id}/budget/lines/{gone.id}").status_code == 404

    assert client.post(f"/trash/budget-lines/{gone.id}/restore").status_code == 303
    budget = client.get(f"{API}/projects/{project.id}/budget", headers=token).json
    assert budget["total"]["planned"] == "1000.00"
    assert events("deleted") == [("budget_line", gone.id)] and events("restored") == [
        ("budget_line", gone.id)
    ]


def test_the_owner_restores_the_group_deleted_together_and_only_that(client, owner, tree, make):
    client_row, site = tree["client"], tree["site"]
    earlier = make.project(site, "iso13485")
    assert client.post(f"/projects/{earlier.id}/delete").status_code == 303
    assert client.post(f"/clients/{client_row.id}/delete").status_code == 303
    listed = client.get("/trash").get_data(as_text=True)
    assert f'data-kind="client" data-id="{client_row.id}"' in listed
    assert f'data-kind="project" data-id="{earlier.id}"' in listed  # its own group, deleted before
    assert f'data-kind="site" data-id="{site.id}"' not in listed  # part of the client's group

    assert client.post(f"/trash/clients/{client_row.id}/restore").status_code == 303
    assert client.get(f"/clients/{client_row.id}").status_code == 200
    assert client.get(f"/sites/{site.id}").status_code == 200
    assert client.get(f"/projects/{tree['project'].id}").status_code == 200
    assert client.get(f"/projects/{earlier.id}").status_code == 404  # still deleted: another group
    assert client.post(f"/trash/projects/{earlier.id}/restore").status_code == 303
    assert client.get(f"/projects/{earlier.id}").status_code == 200
    assert events("restored") == [("client", client_row.id), ("project", earlier.id)]
    record = client.get("/trash").get_data(as_text=True)
    assert f"Deleted client: {client_row.name}, with 1 site and 1 project" in record
    assert f"Restored client: {client_row.name}, with 2 more" in record


def test_a_site_waits_for_its_deleted_client(client, owner, tree):
    site, client_row = tree["site"], tree["client"]
    client.post(f"/sites/{site.id}/delete")
    client.post(f"/clients/{client_row.id}/delete")
    assert "Restore " + client_row.name + " first" in client.get("/trash").get_data(as_text=True)
    assert client.post(f"/trash/sites/{site.id}/restore").status_code == 409
    assert client.post(f"/trash/clients/{client_row.id}/restore").status_code == 303
    assert client.get(f"/sites/{site.id}").status_code == 404  # deleted on its own, before
    assert client.post(f"/trash/sites/{site.id}/restore").status_code == 303
    assert client.get(f"/projects/{tree['project'].id}").status_code == 200


def test_a_project_replaced_since_is_not_restored_beside_its_replacement(client, owner, tree, make):
    project = tree["project"]
    client.post(f"/projects/{project.id}/delete")
    make.project(tree["site"])  # a new ISO 9001 project on the same site
    assert client.post(f"/trash/projects/{project.id}/restore").status_code == 409
    assert fresh(CertificationProject, project.id).deleted_at is not None


def test_restore_answers_409_for_a_live_row_and_404_for_anothers(client, owner, tree, make):
    theirs = make.tree()
    client.post(f"/clients/{theirs['client'].id}/delete")  # not theirs to delete: 404
    assert fresh(Client, theirs["client"].id).deleted_at is None
    assert client.post(f"/trash/clients/{tree['client'].id}/restore").status_code == 409
    theirs_client = theirs["client"]
    theirs_client.deleted_at = utcnow()
    db.session.commit()
    assert client.post(f"/trash/clients/{theirs_client.id}/restore").status_code == 404
    assert theirs_client.name not in client.get("/trash").get_data(as_text=True)


def test_only_what_was_deleted_in_the_last_30_days_can_be_restored(client, owner, tree, make):
    recent, old = tree["project"], make.project(make.site(tree["client"]))
    for project in (recent, old):
        client.post(f"/projects/{project.id}/delete")
    old_row = fresh(CertificationProject, old.id)
    old_row.deleted_at = utcnow() - timedelta(days=31)
    recent_row = fresh(CertificationProject, recent.id)
    recent_row.deleted_at = utcnow() - timedelta(days=29, hours=23)
    db.session.commit()
    page = client.get("/trash").get_data(as_text=True)
    assert f'data-id="{recent.id}"' in page and f'data-id="{old.id}"' not in page
    assert client.post(f"/trash/projects/{old.id}/restore").status_code == 404
    assert client.post(f"/trash/projects/{recent.id}/restore").status_code == 303


@pytest.mark.parametrize("role", ["consultant", "client_manager", "contributor", "viewer"])
def test_only_owners_see_deleted_items_and_restore(client, make, tree, role):
    tree["project"].deleted_at = utcnow()
    db.session.commit()
    clients = [tree["client"]] if role == "client_manager" else []
    login(client, make.user(tree["workspace"], role=role, clients=clients))
    assert client.get("/trash").status_code == 403
    assert client.post(f"/trash/projects/{tree['project'].id}/restore").status_code == 403
    assert fresh(CertificationProject, tree["project"].id).deleted_at is not None


@pytest.mark.parametrize(
    ("role", "client_code", "site_code", "project_code"),
    [
        ("consultant", 303, 303, 303),
        ("client_manager", 403, 303, 303),  # their own client's sites and projects, not the client
        ("contributor", 403, 403, 403),
        ("viewer", 403, 403, 403),
    ],
)
def test_who_may_delete(client, make, role, client_code, site_code, project_code):
    make.standards()
    workspace = make.workspace()
    trees = [make.tree(workspace) for _ in range(3)]
    clients = [t["client"] for t in trees] if role == "client_manager" else []
    login(client, make.user(workspace, role=role, clients=clients))
    buttons = {
        "delete-project": client.get(f"/projects/{trees[0]['project'].id}").get_data(as_text=True),
        "delete-site": client.get(f"/sites/{trees[1]['site'].id}").get_data(as_text=True),
        "delete-client": client.get(f"/clients/{trees[2]['client'].id}").get_data(as_text=True),
    }
    assert client.post(f"/projects/{trees[0]['project'].id}/delete").status_code == project_code
    assert client.post(f"/sites/{trees[1]['site'].id}/delete").status_code == site_code
    assert client.post(f"/clients/{trees[2]['client'].id}/delete").status_code == client_code
    codes = {"delete-project": project_code, "delete-site": site_code, "delete-client": client_code}
    assert {name: f'id="{name}"' in page for name, page in buttons.items()} == {
        name: code == 303 for name, code in codes.items()
    }


def test_a_client_manager_cannot_delete_another_client_of_the_workspace(client, make):
    make.standards()
    workspace = make.workspace()
    named, other = make.tree(workspace), make.tree(workspace)
    login(client, make.user(workspace, role="client_manager", clients=[named["client"]]))
    for url in (
        f"/clients/{other['client'].id}/delete",
        f"/sites/{other['site'].id}/delete",
        f"/projects/{other['project'].id}/delete",
        f"/trash/clients/{other['client'].id}/restore",
    ):
        assert client.post(url).status_code == 404, url


def test_nothing_new_goes_under_a_deleted_parent(make, tree):
    client_row = tree["client"]
    client_row.deleted_at = utcnow()
    db.session.commit()
    with pytest.raises(NotFound):
        client_service.create_site(client_row, name="Late", address="x", country="VN", employee_count=3)
    db.session.rollback()


def test_a_removed_member_is_recorded(client, owner, tree, make):
    viewer = make.user(tree["workspace"], role="viewer", email="leaving@example.com")
    membership = db.session.execute(select(Membership).where(Membership.user_id == viewer.id)).scalar_one()
    assert client.post(f"/members/{membership.id}/remove").status_code == 303
    db.session.expire_all()
    [event] = db.session.execute(select(DataEvent)).scalars()
    assert (event.action, event.subject, event.subject_id) == ("removed_member", "membership", membership.id)
    assert event.actor_id == owner.id and "leaving@example.com" in event.detail
    record = client.get("/trash").get_data(as_text=True)
    assert "Removed a member: leaving@example.com (Viewer)" in record
