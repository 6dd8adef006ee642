"""The OpenAPI operations of the risk-management files (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import risk_files_schemas as r
from app.api.openapi import PROJECT, Operation, Schema, paging, query
from app.domain import risk_files as rules

FILES = f"{PROJECT}/risk-files"
ONE = f"{FILES}/{{risk_file_id}}"
WRITE = ("400", "403", "404", "415", "422")

REFUSALS = {
    "403": "The token's role does not allow this (viewers).",
    "404": "No such project or risk-management file in the token's workspace (another project's ids are "
    "not found either).",
    "422": "A parameter or field is invalid (a family the project already has a file for, a score off the "
    "1-to-5 scale, a residual score higher than the initial one, controls without residual scores or "
    "residual scores without controls, a placeholder for a sentence, a review date in the future...); "
    "`fields` says which.",
}
STATE_FILTER = query(
    "state",
    {"type": "string", "enum": list(rules.FileState)},
    "no_hazards or complete: files in that state; uncontrolled: files with a hazard that needs controls; "
    "unacceptable: files with a residual risk still unacceptable.",
)

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", FILES, "listRiskFiles",
              "The project's risk-management files (ISO 13485 7.1) by device family, with their hazard "
              "counts, worst residual risk and state.",
              r.RiskFileList, "One page of files.", ("404", "422"), (STATE_FILTER, *paging("Files")),
              notes=REFUSALS),
    Operation("post", FILES, "createRiskFile",
              "Open the risk-management file of a device family: its intended use, then add its hazards.",
              r.RiskFileDetail, "The file as saved, with no hazard yet.", WRITE, body=r.RiskFileCreate,
              status=201, notes=REFUSALS),
    Operation("get", ONE, "getRiskFile",
              "One risk-management file with each hazard's initial and residual risk.",
              r.RiskFileDetail, "The file.", ("404",), notes=REFUSALS),
    Operation("post", f"{ONE}/hazards", "createHazard",
              "Add a hazard to a file: the hazardous situation and harm, its scores, and its controls with "
              "the scores after them when the initial risk is not acceptable.",
              r.RiskFileDetail, "The file with the new hazard, its counts and state.", WRITE,
              body=r.HazardCreate, status=201, notes=REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {"risk_file_id": {"schema": {"type": "integer"}}}
