"""The API's requests read into checked values: query parameters and JSON bodies. Refusals raise
:class:`ApiError` with a message per field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import BadRequest

from app.api import ApiError
from app.api.schemas import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, RequirementPatch
from app.domain.readiness import ClauseStatus
from app.domain.text import _
from app.models import Assessment, Standard
from app.services.errors import Invalid


def _bounded_int(args: Mapping[str, str], name: str, default: int, highest: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= highest:
        raise ApiError(422, f"{name} must be a whole number from 1 to {highest}.", {name: "Out of range."})
    return int(raw)


def choice_param(args: Mapping[str, str], name: str, allowed: Iterable[str]) -> str | None:
    """The query parameter ``name`` if sent, one of ``allowed`` (an empty value is not one either)."""
    value = args.get(name)
    allowed = list(allowed)
    if value is not None and value not in allowed:
        message = _(
            "Unknown %(name)s %(value)s: use one of %(allowed)s.",
            name=name,
            value=repr(value),
            allowed=", ".join(allowed),
        )
        raise ApiError(422, message, {name: _("Unknown.")})
    return value


def page_params(args: Mapping[str, str]) -> tuple[int, int]:
    """``page`` and ``per_page`` from the query string; refuses rather than guesses."""
    return _bounded_int(args, "page", 1, MAX_PAGE), _bounded_int(
        args, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE
    )


def requirement_filters(args: Mapping[str, str], standard: Standard) -> tuple[str | None, str | None]:
    """``section`` and ``status`` filters, each checked against what can exist."""
    section, status = args.get("section") or None, args.get("status") or None
    if section is not None and section not in standard.sections:
        sections = ", ".join(standard.sections)
        raise ApiError(422, f"Unknown section {section!r}: use one of {sections}.", {"section": "Unknown."})
    if status is not None and status not in set(ClauseStatus):
        statuses = ", ".join(ClauseStatus)
        raise ApiError(422, f"Unknown status {status!r}: use one of {statuses}.", {"status": "Unknown."})
    return section, status


def _json_object(request: Request) -> dict[str, Any]:
    if not request.is_json:
        raise ApiError(415, "Send the body as JSON (Content-Type: application/json).")
    try:
        body = request.get_json()
    except BadRequest as exc:
        raise ApiError(400, "The body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError(422, "The body must be a JSON object.")
    return body


# What a PATCH field's pydantic error means, in the API's words; other errors keep pydantic's message.
FIELD_MESSAGES = {"extra_forbidden": "Unknown field.", "string_type": "Must be a string."}


def _field_errors(error: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"])
        errors.setdefault(name, FIELD_MESSAGES.get(problem["type"], problem["msg"]))
    return errors


def model_body(request: Request, model: type[BaseModel]) -> Any:
    """The JSON body read with ``model``; a 422 names each faulty field and, for a field the model does not
    have, the fields it does."""
    try:
        return model.model_validate(_json_object(request))
    except ValidationError as error:
        fields = _field_errors(error)
        message = " ".join(f"{name}: {text}" for name, text in fields.items())
        if any(name.split(".")[0] not in model.model_fields for name in fields):
            message += f" Fields you may send: {', '.join(model.model_fields)}."
        raise ApiError(422, message, fields) from None


def explained(invalid: Invalid, names: Mapping[str, str] | None = None, repeat: bool = True) -> Invalid:
    """A service's refusal in the API's field names (``names`` maps a service field to the API's), each
    fault named in the message; without ``repeat``, a fault that only says the message again is left out."""
    fields = {(names or {}).get(name, name): text for name, text in invalid.fields.items()}
    details = " ".join(
        f"{name}: {text}" for name, text in fields.items() if repeat or text != invalid.message
    )
    return Invalid(f"{invalid.message} {details}".strip(), fields)


def requirement_changes(request: Request) -> dict[str, Any]:
    """The fields a PATCH sets, read with :class:`RequirementPatch` (trimmed, within the domain's limits);
    unknown fields, wrong types and values out of range are refused together (422)."""
    body = _json_object(request)
    try:
        patch = RequirementPatch.model_validate(body)
    except ValidationError as error:
        errors = _field_errors(error)
        message = " ".join(f"{name}: {text}" for name, text in errors.items())
        if any(name not in RequirementPatch.model_fields for name in errors):
            message += f" Fields you may set: {', '.join(RequirementPatch.model_fields)}."
        raise ApiError(422, message, errors) from None
    return {
        name: getattr(patch, name) for name in RequirementPatch.model_fields if name in patch.model_fields_set
    }


def merged_verdict(assessment: Assessment, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The verdict after a partial update: fields not sent keep their values."""
    current = {
        "status": assessment.status,
        "notes": assessment.notes,
        "owner": assessment.owner,
        "due_date": assessment.due_date,
        "justification": assessment.justification,
    }
    return current | dict(changes)
