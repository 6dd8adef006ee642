"""Register entries built through the services (committed, as a finished request would), and the calls of
the document API routes that succeed, for the tests that walk every API route."""

from __future__ import annotations

import io
import itertools
from typing import Any

from app.extensions import db
from app.models import CertificationProject, ControlledDocument, DocumentRevision
from app.services import documents as service
from app.services.documents import DocumentFields, NewRevision
from app.services.evidence import Upload
from tests.evidence_samples import pdf, scope_for

_counter = itertools.count(1)


def add_document(
    project: CertificationProject,
    code: str = "QP-04",
    clauses: tuple[str, ...] = ("7.5.1",),
    user_id: int | None = None,
    **fields: Any,
) -> ControlledDocument:
    values = {"title": f"Control of documented information ({code})", "doc_type": "procedure"} | fields
    document = service.create_document(
        scope_for(user_id, project), project, DocumentFields(code=code, clauses=list(clauses), **values)
    )
    db.session.commit()
    return document


def add_revision(
    project: CertificationProject,
    document: ControlledDocument,
    label: str = "A",
    user_id: int | None = None,
    submit: bool = False,
    data: bytes | None = None,
) -> DocumentRevision:
    upload = Upload(f"{document.code}-{label}.pdf", io.BytesIO(pdf() if data is None else data))
    new = NewRevision(label=label, change_note="First issue", upload=upload, submit=submit)
    revision = service.add_revision(scope_for(user_id, project), document, new)
    db.session.commit()
    return revision


def document_walk_values(project: CertificationProject) -> dict[str, int]:
    """Ids for the document routes: a document with a draft revision (to submit) and one in review (to
    approve, by anyone: nobody's account uploaded it)."""
    document = add_document(project, code=f"WALK-{next(_counter)}")
    draft = add_revision(project, document, "A")
    in_review = add_revision(project, document, "B", submit=True)
    return {"document_id": document.id, "revision_id": in_review.id, "draft_revision_id": draft.id}


def document_call(method: str, path: str, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(path values, request keyword arguments) of a call of a document route that succeeds with
    ``values`` (from :func:`document_walk_values`); ``path`` in Flask's or OpenAPI's spelling. Other
    routes get ``values`` back and no keyword arguments."""
    if method != "POST":
        return values, {}
    if path.endswith("/submit"):
        return values | {"revision_id": values["draft_revision_id"]}, {}
    if path.endswith("/approve"):
        return values, {"json": {"comment": "Checked."}}
    if path.endswith("/documents"):
        body = {"code": f"NEW-{next(_counter)}", "title": "Walk", "type": "form", "clauses": ["7.5.1"]}
        return values, {"json": body}
    if path.endswith("/revisions"):
        form = {"label": f"R{next(_counter)}", "change_note": "Walk", "file": (io.BytesIO(pdf()), "walk.pdf")}
        return values, {"data": form}
    return values, {}
