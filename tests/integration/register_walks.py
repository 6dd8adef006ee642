"""The registers' share of the walks of every route (tests/integration/test_tenancy.py, test_api.py).

Each register's tests keep their own support module (``tests/integration/<area>_support.py``) answering:

- ``walk_values(project) -> dict``: a value for each URL parameter its routes add (rows of ``project``,
  committed), chosen so that every route succeeds with them;
- ``call(method, path, values) -> dict``: the request keyword arguments of an API call that succeeds with
  those values (an empty dict for routes not its own);
- ``PATHS``: its documented API paths (OpenAPI spelling), and ``API_CALLS``: how many (method, route)
  pairs with a path parameter its API adds;
- ``OPTIONAL_BODIES``: the names of its request-body schemas that have optional fields.

The evidence routes of the registers blueprint are walked here with an instrument linked to the walk's
evidence.
"""

from __future__ import annotations

import importlib
from datetime import date
from types import ModuleType
from typing import Any

from app.extensions import db
from app.models import CertificationProject, EvidenceItem, Instrument, RegisterEvidence

AREAS = ("context", "risks", "equipment", "suppliers", "complaints", "satisfaction", "risk_files", "software")


def _modules() -> list[ModuleType]:
    return [importlib.import_module(f"tests.integration.{area}_support") for area in AREAS]


def register_walk_values(project: CertificationProject, evidence: EvidenceItem) -> dict[str, Any]:
    instrument = Instrument(
        project_id=project.id,
        code=f"WALK-{project.id}",
        description="Walked caliper",
        interval_months=12,
        last_calibrated_on=date.today(),
    )
    db.session.add(instrument)
    db.session.flush()
    db.session.add(
        RegisterEvidence(
            project_id=project.id, register="instrument", record_id=instrument.id, evidence_id=evidence.id
        )
    )
    db.session.commit()
    values: dict[str, Any] = {
        "record_kind": "instrument",
        "record_id": instrument.id,
        "instrument_id": instrument.id,
    }
    for module in _modules():
        values |= module.walk_values(project)
    return values


def register_call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    for module in _modules():
        if call := module.call(method, path, values):
            return call
    return {}


def register_paths() -> list[str]:
    return [path for module in _modules() for path in module.PATHS]


def register_api_calls() -> int:
    return sum(module.API_CALLS for module in _modules())


def optional_bodies() -> set[str]:
    return {name for module in _modules() for name in module.OPTIONAL_BODIES}
