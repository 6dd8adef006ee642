"""``/projects/<id>/audit-pack.zip``: the project's audit pack, for the certification body."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from app.audit_pack.download import pack_response
from app.domain.permissions import Action
from app.web.access import requires
from app.web.project_request import project

bp = Blueprint("audit_pack", __name__)


@bp.get("/audit-pack.zip")
@requires(Action.VIEW)
def download() -> Any:
    return pack_response(project())
