"""QMS software stored as rows (committed, as a finished request would), for the tests of its pages and API,
and the ids and calls the walks of every route need (see register_walks.py)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.domain.software import name_key
from app.extensions import db
from app.models import CertificationProject, SoftwareValidation

TODAY = date.today()
_counter = itertools.count(1)

INTENDED_USE = "Prints the lot number and expiry date on every unit and shipper label."
APPROACH = "Test scripts against the label specification for each template, with printed samples kept."
RESULT = "All twelve test scripts passed and the printed samples matched the approved label artwork."

PATHS = ("/api/v1/projects/{project_id}/software", "/api/v1/projects/{project_id}/software/{software_id}")
API_CALLS = 3  # GET and POST the list, GET one
OPTIONAL_BODIES = {"SoftwareCreate"}


def add_software(
    project: CertificationProject, name: str = "BarTender label printing", **fields: Any
) -> SoftwareValidation:
    values = {"intended_use": INTENDED_USE, "risk": "medium", "version_label": "2022 R8"} | fields
    software = SoftwareValidation(project_id=project.id, name=name, name_key=name_key(name), **values)
    db.session.add(software)
    db.session.commit()
    return software


def validated(
    project: CertificationProject, name: str = "BarTender label printing", **fields: Any
) -> SoftwareValidation:
    """An application validated on its version in use a month ago, to be revalidated in a year."""
    values = {
        "validated_on": TODAY - timedelta(days=30),
        "validated_version": fields.get("version_label", "2022 R8"),
        "result": RESULT,
        "revalidate_by": TODAY + timedelta(days=335),
    } | fields
    return add_software(project, name, **values)


# The walks of every route


def walk_values(project: CertificationProject) -> dict[str, Any]:
    """The project's walk application (made once)."""
    name = f"Walk application {project.id}"
    software = db.session.execute(
        select(SoftwareValidation).where(
            SoftwareValidation.project_id == project.id, SoftwareValidation.name_key == name_key(name)
        )
    ).scalar_one_or_none() or add_software(project, name)
    return {"software_id": software.id}


def call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The body of a call of a software API route that succeeds; none for the other routes."""
    if method == "POST" and path.endswith("/software"):
        name = f"Walked application {next(_counter)}"
        return {"json": {"name": name, "intended_use": INTENDED_USE, "risk": "low"}}
    return {}
