"""Instruments and calibrations stored as rows (committed, as a finished request would), for the tests of the
measuring equipment pages and API, and the ids and calls the walks of every route need
(tests/integration/register_walks.py)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from app.extensions import db
from app.models import Calibration, CertificationProject, Instrument

TODAY = date.today()
ASSESSMENT = (
    "Lots 2411 to 2418 were measured with it since May; re-measured with CAL-02, all within tolerance."
)
ACTION = "The eight lots were re-inspected and released; the customer was told of the check in writing."
_counter = itertools.count(1)

PATHS: tuple[str, ...] = (
    "/api/v1/projects/{project_id}/instruments",
    "/api/v1/projects/{project_id}/instruments/{instrument_id}",
    "/api/v1/projects/{project_id}/instruments/{instrument_id}/calibrations",
    "/api/v1/projects/{project_id}/instruments/{instrument_id}/calibrations/{calibration_id}/assessment",
)
API_CALLS = 5  # GET and POST the list, GET one, POST a calibration, POST an assessment
OPTIONAL_BODIES: set[str] = {"InstrumentCreate", "CalibrationCreate", "AssessmentCreate"}


def add_instrument(
    project: CertificationProject | int,
    code: str | None = None,
    calibrations: Sequence[tuple[date, date, str]] = (),
    **fields: Any,
) -> Instrument:
    """An instrument with calibrations given as (calibrated on, next due, result), its dates mirroring the
    latest as the service keeps them."""
    values = {"description": "Digital caliper", "interval_months": 12, "location": "QC lab"} | fields
    project_id = project if isinstance(project, int) else project.id
    instrument = Instrument(project_id=project_id, code=code or f"CAL-{next(_counter):03}", **values)
    for calibrated_on, next_due, result in calibrations:
        instrument.calibrations.append(
            Calibration(
                calibrated_on=calibrated_on, next_due=next_due, result=result, performed_by="Vinacontrol"
            )
        )
    if calibrations:
        latest = max(calibrations)
        instrument.last_calibrated_on, instrument.next_due = latest[0], latest[1]
    db.session.add(instrument)
    db.session.commit()
    return instrument


def calibrated(days_ago: int, due_in: int, result: str = "pass") -> tuple[date, date, str]:
    return TODAY - timedelta(days=days_ago), TODAY + timedelta(days=due_in), result


# The walks of every route (tests/integration/test_tenancy.py, test_api.py)


def walk_values(project: CertificationProject) -> dict[str, Any]:
    """An instrument with a calibration found out of tolerance, not assessed (so that every route, the
    assessment's too, succeeds)."""
    instrument = add_instrument(
        project, f"WALK-EQ-{project.id}-{next(_counter)}", [calibrated(10, 355, "out_of_tolerance")]
    )
    return {"instrument_id": instrument.id, "calibration_id": instrument.calibrations[0].id}


def call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request keyword arguments of a call of an equipment API route that succeeds with ``values``;
    none for the other routes."""
    if method != "POST" or "/instruments" not in path:
        return {}
    if path.endswith("/assessment"):
        return {
            "json": {"assessed_on": TODAY.isoformat(), "assessment": ASSESSMENT, "assessment_action": ACTION}
        }
    if path.endswith("/calibrations"):
        return {"json": {"calibrated_on": TODAY.isoformat(), "result": "pass", "performed_by": "QUATEST 3"}}
    return {"json": {"code": f"WALKED-{next(_counter)}", "description": "Walked scale", "interval_months": 6}}
