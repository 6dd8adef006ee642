"""Helpers shared by the evidence tests: users by role, uploads through the page, what is on disk."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import EvidenceItem, EvidenceVersion, User
from tests.evidence_samples import png
from tests.factories import Factory, login

ROLES = ["owner", "consultant", "client_manager", "contributor", "viewer"]


class MemberClient(FlaskClient):
    """A test client for one user among several.

    Test requests share the test's app context, so ``g`` (where Flask-Login keeps the loaded user) would
    carry the last user over to another client's request; each request here loads its own.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def user_as(app: Flask, make: Factory, tree: dict[str, Any], role: str) -> tuple[FlaskClient, User]:
    """A logged-in client for a new member of the tree's workspace (a client manager of its client)."""
    clients = [tree["client"]] if role == "client_manager" else None
    user = make.user(tree["workspace"], role=role, clients=clients)
    http = MemberClient(app, app.response_class)
    login(http, user)
    return http, user


def evidence_url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/evidence", *(str(p) for p in parts)])


def post_multipart(http: FlaskClient, url: str, fields: dict[str, Any], **kwargs: Any) -> Any:
    """POST a multipart body built in memory: (bytes or stream, name) tuples are files.

    (The test client spools a large body to a temporary file it never closes; building the body here
    keeps ``filterwarnings = error`` from tripping on that ResourceWarning.)
    """
    values: MultiDict[str, Any] = MultiDict()
    for name, value in fields.items():
        if isinstance(value, tuple):  # (bytes or a stream, file name)
            stream = io.BytesIO(value[0]) if isinstance(value[0], bytes) else value[0]
            value = FileStorage(stream, filename=value[1], content_type="application/octet-stream")
        values.add(name, value)
    boundary, body = encode_multipart(values)
    return http.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}", **kwargs)


def upload(
    http: FlaskClient, project: Any, data: bytes | None = None, name: str = "photo.png", **fields: Any
) -> Any:
    form = {
        "kind": "file",
        "title": "Scale 3 calibration",
        "clause": "7.1.5.1",
        "task": "",
        "valid_until": "",
        "file": (png() if data is None else data, name),
    } | fields
    return post_multipart(http, evidence_url(project, "new"), form)


def stored_files(app: Flask) -> list[str]:
    """Every file in the evidence directory, temporary ones included."""
    root = Path(app.config["EVIDENCE_DIR"])
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def counts() -> tuple[int, int]:
    """(evidence items, versions) in the database."""
    db.session.expire_all()
    items = db.session.execute(select(func.count()).select_from(EvidenceItem)).scalar_one()
    versions = db.session.execute(select(func.count()).select_from(EvidenceVersion)).scalar_one()
    return items, versions


def nothing_stored(app: Flask) -> bool:
    return counts() == (0, 0) and stored_files(app) == []


def item(evidence_id: int) -> EvidenceItem:
    db.session.expire_all()
    found = db.session.get(EvidenceItem, evidence_id)
    assert found is not None
    return found
