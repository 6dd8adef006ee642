"""The API's requests read into checked values: query parameters and JSON bodies. Refusals raise
:class:`ApiError` with a message per field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Request
from werkzeug.exceptions import BadRequest

from app.api import ApiError
from app.domain.assessment import verdict_limit_errors
from app.domain.readiness import ClauseStatus
from app.models import Assessment, Standard

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
PATCH_FIELDS = ("status", "notes", "owner", "due_date", "justification")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _bounded_int(args: Mapping[str, str], name: str, default: int, highest: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= highest:
        raise ApiError(422, f"{name} must be a whole number from 1 to {highest}.", {name: "Out of range."})
    return int(raw)


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


def _check_field(name: str, value: Any) -> tuple[Any, str | None]:
    """The cleaned value of one PATCH field, and a message if it is not of the field's type."""
    if name == "due_date":
        if value is None:
            return None, None
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            return None, "Use an ISO date (YYYY-MM-DD) or null."
        try:
            return date.fromisoformat(value), None
        except ValueError:
            return None, f"{value} is not a date."
    if not isinstance(value, str):
        return None, "Must be a string."
    return value.strip(), None


def requirement_changes(request: Request) -> dict[str, Any]:
    """The fields a PATCH sets, cleaned; unknown fields, wrong types and values outside the domain's limits
    are refused together (422)."""
    body = _json_object(request)
    errors = {name: "Unknown field." for name in body if name not in PATCH_FIELDS}
    changes = {}
    for name in PATCH_FIELDS:
        if name in body:
            changes[name], errors[name] = _check_field(name, body[name])
    errors = {name: message for name, message in errors.items() if message}
    errors = verdict_limit_errors(changes, date.today()) | errors
    if errors:
        message = " ".join(f"{name}: {text}" for name, text in errors.items())
        if any(name not in PATCH_FIELDS for name in errors):
            message += f" Fields you may set: {', '.join(PATCH_FIELDS)}."
        raise ApiError(422, message, errors)
    return changes


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
