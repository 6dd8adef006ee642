"""The project a ``/projects/<id>`` URL names, for both parent blueprints (the pages' and the API's):
the id is taken out of the URL's values, the project is loaded once, scoped to the caller, into
``g.project``, and views read it with :func:`project`."""

from __future__ import annotations

from typing import Any

from flask import g

from app.models import CertificationProject
from app.services.projects import project_in
from app.web.access import current_scope


def take_project_id(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.project_id = values.pop("project_id") if values else None


def load_project() -> None:
    g.project = project_in(current_scope(), g.project_id)


def project() -> CertificationProject:
    """The project of this request (typed, for views)."""
    loaded: CertificationProject = g.project
    return loaded
