"""The OpenAPI operations of the management reviews and quality objectives (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import review_schemas as r
from app.api.openapi import IF_MATCH, PROJECT, Operation, Schema

REVIEWS = f"{PROJECT}/management-reviews"
REVIEW = f"{REVIEWS}/{{review_id}}"
OBJECTIVES = f"{PROJECT}/objectives"
OBJECTIVE = f"{OBJECTIVES}/{{objective_id}}"
WRITE = ("400", "403", "404", "415", "422")

REFUSALS = {
    "403": "The token's role does not allow this (viewers).",
    "404": "No such project, review or objective in the token's workspace (another project's ids are not "
    "found either).",
    "422": "A field is invalid (a date in the future, a period ending after the review, an input that is "
    "a placeholder rather than a sentence, an action without an owner or a due date, a target that is no "
    "number...); `fields` says which.",
}

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", REVIEWS, "listManagementReviews",
              "The project's management reviews, newest first, with their inputs recorded, decisions and "
              "actions, and open and overdue actions.",
              r.ReviewList, "Every review.", ("404",), notes=REFUSALS),
    Operation("post", REVIEWS, "createManagementReview",
              "Record a management review as held. Its required inputs are written in from the app's "
              "records (earlier actions, internal audits, findings, readiness, evidence, training, budget, "
              "objectives) where it can; edit them with PATCH.",
              r.ReviewDetail, "The review as recorded, with its inputs.", WRITE, body=r.ReviewCreate,
              status=201, etag=True, notes=REFUSALS),
    Operation("get", REVIEW, "getManagementReview",
              "One review: its record, each required input's text by key, and its decisions and actions "
              "under the standard's outputs.",
              r.ReviewDetail, "The review.", ("404",), etag=True, notes=REFUSALS),
    Operation("patch", REVIEW, "updateManagementReview",
              "Change the review's record and any of its inputs (by key); what is left out keeps its "
              "value. Send the ETag you read in If-Match so that minutes saved meanwhile by someone else "
              "are never overwritten.",
              r.ReviewDetail, "The review as saved.", (*WRITE, "409", "412"), (IF_MATCH,),
              body=r.ReviewPatch, etag=True, notes=REFUSALS),
    Operation("post", f"{REVIEW}/outputs", "createReviewOutput",
              "Add a decision or an action (with its owner and due date) under one of the outputs the "
              "standard requires of the review.",
              r.ReviewOutputItem, "The decision or action as recorded.", WRITE, body=r.OutputCreate,
              status=201, notes=REFUSALS),
    Operation("get", OBJECTIVES, "listObjectives",
              "The project's quality objectives with their targets and latest values, the soonest due "
              "first.",
              r.ObjectiveList, "Every objective.", ("404",), notes=REFUSALS),
    Operation("post", OBJECTIVES, "createObjective",
              "Add a quality objective: what is measured, the target, the owner and the date.",
              r.ObjectiveDetail, "The objective as saved.", WRITE, body=r.ObjectiveCreate, status=201,
              notes=REFUSALS),
    Operation("get", OBJECTIVE, "getObjective",
              "One quality objective with every measured value.",
              r.ObjectiveDetail, "The objective.", ("404",), notes=REFUSALS),
    Operation("post", f"{OBJECTIVE}/measurements", "createObjectiveMeasurement",
              "Record a measured value of an objective.",
              r.ObjectiveDetail, "The objective with the new value and its status.", WRITE,
              body=r.MeasurementCreate, status=201, notes=REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {
    "review_id": {"schema": {"type": "integer"}},
    "objective_id": {"schema": {"type": "integer"}},
}
