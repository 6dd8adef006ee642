"""Migration 0010: each project's free-text certification body becomes a body of its workspace (one per name
in a workspace, whatever its case or spaces, with the accreditation body typed with it), the project points
at it, and a status typed as "certified" becomes in progress (certified is now derived from a certificate)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app.extensions import db
from app.models import CertificationBody, CertificationProject


def test_free_text_bodies_become_the_workspaces_bodies_and_certified_is_no_longer_typed(
    app, make, without_catalogs
):
    mine = make.tree()
    second = make.project(make.site(mine["client"]))
    third = make.project(make.site(mine["client"]))
    theirs = make.tree()
    ids = {
        "first": mine["project"].id,
        "second": second.id,
        "third": third.id,
        "theirs": theirs["project"].id,
    }
    workspaces = {"mine": mine["workspace"].id, "theirs": theirs["workspace"].id}
    db.session.remove()
    downgrade(revision="0009")
    typed = {
        "first": ("Example Cert", "UKAS", "certified"),
        "second": ("  example CERT ", "(not IAF)", "in_progress"),
        "third": ("   ", "DAkkS", "certified"),
        "theirs": ("Example Cert", "BoA", "on_hold"),
    }
    with db.engine.begin() as conn:
        for key, (name, accreditation, status) in typed.items():
            conn.execute(
                text(
                    "UPDATE projects SET cb_name = :n, cb_accreditation_body = :a, status = :s WHERE id = :p"
                ),
                {"n": name, "a": accreditation, "s": status, "p": ids[key]},
            )
    upgrade()

    bodies = db.session.execute(
        select(
            CertificationBody.workspace_id, CertificationBody.name, CertificationBody.accreditation_body
        ).order_by(CertificationBody.id)
    ).all()
    assert bodies == [
        (workspaces["mine"], "Example Cert", "UKAS"),  # the first project's spelling and accreditation
        (workspaces["theirs"], "Example Cert", "BoA"),  # another workspace: a body of its own
    ]
    projects = {
        project.id: project
        for project in db.session.execute(
            select(CertificationProject).where(CertificationProject.id.in_(ids.values()))
        ).scalars()
    }
    mine_body = db.session.execute(
        select(CertificationBody.id).where(CertificationBody.workspace_id == workspaces["mine"])
    ).scalar_one()
    theirs_body = db.session.execute(
        select(CertificationBody.id).where(CertificationBody.workspace_id == workspaces["theirs"])
    ).scalar_one()
    assert [projects[ids[key]].body_id for key in ("first", "second", "third", "theirs")] == [
        mine_body,
        mine_body,
        None,  # only spaces: no body
        theirs_body,
    ]
    assert [projects[ids[key]].status for key in ("first", "second", "third", "theirs")] == [
        "in_progress",
        "in_progress",
        "in_progress",
        "on_hold",
    ]
