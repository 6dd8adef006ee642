"""Certification bodies and quotes stored as rows (committed, as a finished request would), for the tests of
their pages and API, and the ids and calls the walks of every route need."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import CertificationBody, CertificationProject, Quote, Workspace

TODAY = date.today()
_counter = itertools.count(1)


def add_body(workspace: Workspace | int, name: str | None = None, **fields: Any) -> CertificationBody:
    workspace_id = workspace if isinstance(workspace, int) else workspace.id
    values = {"accreditation_body": "UKAS", "sector_codes": "14, 19"} | fields
    body = CertificationBody(workspace_id=workspace_id, name=name or f"Test body {next(_counter)}", **values)
    db.session.add(body)
    db.session.commit()
    return body


def add_quote(
    project: CertificationProject,
    body: CertificationBody,
    audit_days: str = "4",
    day_rate: str = "1000",
    **fields: Any,
) -> Quote:
    values = {
        "received_on": TODAY - timedelta(days=3),
        "fees": Decimal(500),
        "travel": Decimal(300),
        "surveillance_days": Decimal("1.5"),
        "status": "received",
    } | fields
    quote = Quote(
        project_id=project.id,
        body_id=body.id,
        audit_days=Decimal(audit_days),
        day_rate=Decimal(day_rate),
        **values,
    )
    db.session.add(quote)
    db.session.commit()
    return quote


def choose(project: CertificationProject, body: CertificationBody) -> None:
    project.body_id = body.id
    db.session.commit()


# The walks of every route (tests/integration/test_tenancy.py, test_api.py)


def body_walk_values(project: CertificationProject) -> dict[str, int]:
    """The project's certification body (chosen, so that only who sees the project reads it) and a quote
    of it, received (to accept)."""
    name = f"Walk body {project.id}"
    body = db.session.execute(
        select(CertificationBody).where(
            CertificationBody.workspace_id == project.workspace_id, CertificationBody.name == name
        )
    ).scalar_one_or_none() or add_body(project.workspace_id, name)
    choose(project, body)
    return {"body_id": body.id, "quote_id": add_quote(project, body).id}


def body_call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request keyword arguments of a call of a body or quote API route that succeeds with ``values``
    (from :func:`body_walk_values`); none for the other routes."""
    if method == "POST" and path.endswith("/certification-bodies"):
        return {"json": {"name": f"Walked body {next(_counter)}", "accreditation_body": "DAkkS"}}
    if method == "PATCH" and "/certification-bodies/" in path:
        return {"json": {"notes": "Walked."}}
    if method == "POST" and path.endswith("/quotes"):
        body = {"body_id": values["body_id"], "received_on": (TODAY - timedelta(days=1)).isoformat(),
                "audit_days": 4, "day_rate": "1200.50"}  # fmt: skip
        return {"json": body}
    if method == "POST" and "/quotes/" in path and path.endswith("/accept"):
        return {"data": b""}
    return {}
