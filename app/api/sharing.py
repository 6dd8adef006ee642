"""The share-link API, for the whole workspace (same bearer tokens, same JSON errors as the rest of
/api/v1); the rules are :mod:`app.domain.sharing`, the loads and saves :mod:`app.services.sharing`:

- ``GET /api/v1/share-links``: the links the token sees, newest first (never their tokens).
- ``POST /api/v1/share-links``: a link to a certificate or to a project's progress; the answer carries the
  token, the public page's address and its QR codes, once.
- ``GET /api/v1/share-links/<id>`` and ``POST /api/v1/share-links/<id>/revoke``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from pydantic import ValidationError

from app.api import ApiError
from app.api.requests import _field_errors, _json_object
from app.api.sharing_schemas import ShareLinkCreate
from app.auth.emails import link as absolute_url
from app.domain.permissions import Action
from app.domain.sharing import aware
from app.domain.text import _
from app.models import ShareLink
from app.models.base import utcnow
from app.services import sharing as service
from app.services.errors import Invalid
from app.sharing.public import page_url
from app.web.access import current_scope, requires

bp = Blueprint("sharing", __name__, url_prefix="/share-links")


def _moment(value: datetime | None) -> str | None:
    return aware(value).isoformat() if value is not None else None


def link_json(link: ShareLink, now: datetime, numbers: dict[int, str]) -> dict[str, Any]:
    """A link as the API answers it; ``numbers``: the certificates' numbers by id."""
    row = service.link_row(link, now)
    certificate = link.certificate_id is not None
    return {
        "id": link.id,
        "label": link.label,
        "target": {
            "type": "certificate" if certificate else "progress",
            "certificate_id": link.certificate_id,
            "certificate_number": numbers.get(link.certificate_id or 0) if certificate else None,
            "project_id": link.project_id,
        },
        "fingerprint": row.fingerprint,
        "state": str(row.state),
        "created_at": _moment(link.created_at),
        "expires_on": row.expires_on.isoformat() if row.expires_on else None,
        "revoked_at": _moment(link.revoked_at),
        "url": url_for("api.sharing.show_link", share_link_id=link.id),
    }


def _answer(link: ShareLink) -> dict[str, Any]:
    return link_json(link, utcnow(), service.certificate_numbers([link]))


def _body() -> ShareLinkCreate:
    try:
        body = ShareLinkCreate.model_validate(_json_object(request))
    except ValidationError as error:
        fields = _field_errors(error)
        message = " ".join(f"{name}: {text}" for name, text in fields.items())
        if any(name.split(".")[0] not in ShareLinkCreate.model_fields for name in fields):
            message += " " + _(
                "Fields you may send: %(fields)s.", fields=", ".join(ShareLinkCreate.model_fields)
            )
        raise ApiError(422, message, fields) from None
    if (body.certificate_id is None) == (body.project_id is None):
        message = _("Send either certificate_id or project_id: what the link shows.")
        raise ApiError(422, message, {"certificate_id": message})
    return body


@bp.get("")
def list_links() -> Any:
    now = utcnow()
    links = service.links_of(current_scope())
    numbers = service.certificate_numbers(links)
    items = [link_json(link, now, numbers) for link in links]
    return {"items": items, "total": len(items)}


@bp.post("")
@requires(Action.MANAGE_PROJECTS)
def create_link() -> Any:
    body = _body()
    scope = current_scope()
    if body.certificate_id is not None:
        target = service.Target(certificate=service.certificate_in(scope, body.certificate_id))
    else:
        target = service.Target(project=service.project_for_progress(scope, body.project_id or 0))
    try:
        created = service.create_link(scope, target, body.label, body.expires_on, date.today())
    except Invalid as invalid:
        fields = {"project_id" if name == "target" else name: text for name, text in invalid.fields.items()}
        details = " ".join(f"{name}: {text}" for name, text in fields.items())
        raise Invalid(f"{invalid.message} {details}".strip(), fields) from None
    answer = _answer(created.row) | {
        "token": created.token,
        "page_url": page_url(created.token),
        "qr_png": absolute_url("check.qr_png", token=created.token),
        "qr_svg": absolute_url("check.qr_svg", token=created.token),
    }
    response: Response = jsonify(answer)
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"  # the token is in this answer, once
    return response


@bp.get("/<int:share_link_id>")
def show_link(share_link_id: int) -> Any:
    return _answer(service.link_in(current_scope(), share_link_id))


@bp.post("/<int:share_link_id>/revoke")
@requires(Action.MANAGE_PROJECTS)
def revoke_link(share_link_id: int) -> Any:
    link = service.link_in(current_scope(), share_link_id)
    service.revoke(link, utcnow())
    return _answer(link)
