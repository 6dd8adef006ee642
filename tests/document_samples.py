"""Register entries and revisions built through the document service, committed (as a finished request
would): for the page tests and for the URL walks that need a document and a revision to exist."""

from __future__ import annotations

import io
from typing import Any

from app.extensions import db
from app.models import ControlledDocument, DocumentRevision
from app.services import documents as service
from tests.evidence_samples import pdf, scope_for

PDF = pdf()


def add_document(
    project: Any,
    user_id: int | None = None,
    code: str = "QP-01",
    clauses: tuple[str, ...] = ("7.5.3.1",),
    **fields: Any,
) -> ControlledDocument:
    values = {"title": f"Procedure {code}", "doc_type": "procedure"} | fields
    document = service.create_document(
        scope_for(user_id, project),
        project,
        service.DocumentFields(code=code, clauses=list(clauses), **values),
    )
    db.session.commit()
    return document


def add_revision(
    project: Any,
    user_id: int | None,
    document: ControlledDocument,
    label: str = "A",
    submit: bool = False,
    name: str = "qp.pdf",
) -> DocumentRevision:
    new = service.NewRevision(label, "First issue", service.Upload(name, io.BytesIO(PDF)), submit)
    revision = service.add_revision(scope_for(user_id, project), document, new)
    db.session.commit()
    return revision


def approve(
    project: Any, user_id: int | None, document: ControlledDocument, revision: DocumentRevision
) -> None:
    service.act(scope_for(user_id, project), document, revision, "approve")
    db.session.commit()


def add_document_with_revision(project: Any) -> ControlledDocument:
    """A document of ``project`` (any requirement of its standard) with a draft revision and its file."""
    number = "7.5.3.1" if project.standard.code.startswith("iso9001") else "4.2.4"
    document = add_document(project, None, "QP-99", (number,))
    add_revision(project, None, document)
    return document
