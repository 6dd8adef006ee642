"""PLACEHOLDER: replaced by the register's pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from app.web.project_request import project as current_project

bp = Blueprint("context", __name__, url_prefix="/context")


@bp.get("")
def index() -> Any:
    return render_template("registers/placeholder.html", project=current_project())
