"""The OpenAPI operations of the measuring equipment register (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import equipment_schemas as e
from app.api.openapi import Operation, Schema, paging, query
from app.api.schemas import NO_NUL
from app.domain import calibration as rules

INSTRUMENTS = "/projects/{project_id}/instruments"
ONE = f"{INSTRUMENTS}/{{instrument_id}}"
CALIBRATIONS = f"{ONE}/calibrations"
ASSESSMENT = f"{CALIBRATIONS}/{{calibration_id}}/assessment"
REFUSALS = {
    "403": "The token's role does not allow this (viewers read only).",
    "404": "No such project, instrument or calibration in the token's workspace (another instrument's "
    "calibration is not found either).",
    "409": "The version sent is not the calibration's any more (someone else recorded its assessment), or "
    "someone else saved the instrument at the same moment; nothing of this request was saved.",
    "422": "A parameter or field is invalid, or breaks a rule (a code another instrument has, an interval "
    "outside 1 to 120 months, a date in the future, a next calibration not after this one, an unknown "
    "result, a placeholder for a sentence, an assessment of a calibration that was not out of tolerance or "
    "is assessed already...); `message` names the rule and `fields` the field.",
}
FILTERS = (
    query(
        "status",
        {"type": "string", "enum": list(rules.Status)},
        "Only the instruments with this status (among their statuses).",
    ),
    query(
        "location",
        {"type": "string", "maxLength": rules.LOCATION_MAX_LENGTH, "pattern": NO_NUL},
        "Only the instruments at this location (exact).",
    ),
)

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", INSTRUMENTS, "listInstruments",
              "The project's measuring equipment register: most urgent first (overdue, results not assessed, "
              "not calibrated, due soon), then by next calibration due.",
              e.InstrumentList, "One page of instruments.", ("404", "422"),
              (*FILTERS, *paging("Instruments")), notes=REFUSALS),
    Operation("post", INSTRUMENTS, "createInstrument",
              "Add a measuring instrument (not calibrated until a calibration is recorded).",
              e.InstrumentDetail, "The instrument as stored.", ("400", "403", "404", "409", "415", "422"),
              body=e.InstrumentCreate, status=201, notes=REFUSALS, etag=True),
    Operation("get", ONE, "getInstrument",
              "One instrument with its statuses and calibrations, each out-of-tolerance one with the "
              "assessment of earlier results.",
              e.InstrumentDetail, "The instrument.", ("404",), notes=REFUSALS, etag=True),
    Operation("post", CALIBRATIONS, "calibrateInstrument",
              "Record a calibration; the instrument's last calibrated and next due dates follow its latest "
              "calibration.",
              e.InstrumentDetail, "The instrument with the calibration.",
              ("400", "403", "404", "409", "415", "422"), body=e.CalibrationCreate, status=201,
              notes=REFUSALS, etag=True),
    Operation("post", ASSESSMENT, "assessCalibration",
              "Record the assessment of the results measured with the instrument before this calibration "
              "found it out of tolerance (ISO 9001 7.1.5.2, ISO 13485 7.6), with the calibration's version.",
              e.InstrumentDetail, "The instrument with the assessment.",
              ("400", "403", "404", "409", "415", "422"), body=e.AssessmentCreate, notes=REFUSALS, etag=True),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {
    "instrument_id": {"schema": {"type": "integer"}},
    "calibration_id": {"schema": {"type": "integer"}},
}
