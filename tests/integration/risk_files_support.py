"""Risk-management files stored as rows (committed, as a finished request would), for the tests of their
pages and API, and the ids and calls the walks of every route need (see register_walks.py)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy import select

from app.domain.risk_files import family_key
from app.extensions import db
from app.models import CertificationProject, Hazard, RiskFile

TODAY = date.today()
_counter = itertools.count(1)

INTENDED_USE = "Single-use gravity infusion of fluids into a patient's vein, by trained nurses in hospitals."
SITUATION = "The set is primed incompletely and air is infused into the patient's vein."
CONTROLS = "A hydrophobic air-stop filter in the drip chamber and priming instructions on the label."

PATHS = (
    "/api/v1/projects/{project_id}/risk-files",
    "/api/v1/projects/{project_id}/risk-files/{risk_file_id}",
    "/api/v1/projects/{project_id}/risk-files/{risk_file_id}/hazards",
)
API_CALLS = 4  # GET and POST the list, GET one, POST a hazard
OPTIONAL_BODIES = {"RiskFileCreate", "HazardCreate"}


def hazard_values(**fields: Any) -> dict[str, Any]:
    """An uncontrolled hazard (initial risk unacceptable: severity 4, probability 4) unless told otherwise."""
    return {
        "hazard": "Air in the fluid path",
        "situation": SITUATION,
        "harm": "Air embolism",
        "severity": 4,
        "probability": 4,
    } | fields


def controlled(**fields: Any) -> dict[str, Any]:
    """A hazard brought from unacceptable to acceptable by its controls."""
    return hazard_values(**{"controls": CONTROLS, "residual_severity": 4, "residual_probability": 1} | fields)


def add_risk_file(
    project: CertificationProject,
    device_family: str = "Gravity infusion sets",
    hazards: tuple[dict[str, Any], ...] = (),
    **fields: Any,
) -> RiskFile:
    values = {"intended_use": INTENDED_USE} | fields
    risk_file = RiskFile(
        project_id=project.id,
        device_family=device_family,
        family_key=family_key(device_family),
        hazards=[Hazard(**hazard) for hazard in hazards],
        **values,
    )
    db.session.add(risk_file)
    db.session.commit()
    return risk_file


# The walks of every route


def walk_values(project: CertificationProject) -> dict[str, Any]:
    """The project's walk file (made once) with a hazard."""
    family = f"Walk family {project.id}"
    risk_file = db.session.execute(
        select(RiskFile).where(RiskFile.project_id == project.id, RiskFile.family_key == family_key(family))
    ).scalar_one_or_none() or add_risk_file(project, family, (controlled(),))
    return {"risk_file_id": risk_file.id, "hazard_id": risk_file.hazards[0].id}


def call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The body of a call of a risk-file API route that succeeds; none for the other routes."""
    if method == "POST" and path.endswith("/risk-files"):
        return {"json": {"device_family": f"Walked family {next(_counter)}", "intended_use": INTENDED_USE}}
    if method == "POST" and path.endswith("/hazards"):
        return {"json": controlled()}
    return {}
