"""The OpenAPI operation of the PDF readiness report (merged into the document by :mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api.openapi import Operation, Schema, query

REPORT = "/projects/{project_id}/report"

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", REPORT, "getProjectReport",
              "The project's PDF readiness report (A4): cover, readiness overall and by section, the "
              "stages with their exit criteria, gaps, open findings, evidence coverage and the "
              "documented-information checklist, the document register, training, budget and certificate, "
              "each chart followed by its table. Ask for it with Accept: application/pdf or format=pdf.",
              None, "The report as a PDF (an attachment).", ("404", "406", "422"),
              (query("format", {"type": "string", "enum": ["pdf"]},
                     "pdf: the PDF whatever the Accept header says."),),
              content={"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
              notes={"404": "No such project in the token's workspace.",
                     "406": "The Accept header takes no application/pdf and no format=pdf was given.",
                     "422": "format is not pdf."}),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {}
