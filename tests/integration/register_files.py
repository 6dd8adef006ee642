"""A register entry with files in every revision state, built through the services, for the tests of what
happens to stored files (backup, purge, storage use)."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, ControlledDocument, DocumentRevision
from app.services import documents as service
from app.services.documents import DocumentFields, NewRevision
from app.services.evidence import Upload, store
from tests.evidence_samples import pdf, scope_for


def document_with_files(
    project: CertificationProject, code: str = "QP-04", clause: str = "7.5.1", user_id: int | None = None
) -> ControlledDocument:
    """A document whose revision A is superseded, B approved and C a draft, each with its own file
    (of a different size); committed, as a finished request would be."""
    scope = scope_for(user_id, project)
    fields = DocumentFields(code=code, title=f"Procedure {code}", doc_type="procedure", clauses=[clause])
    document = service.create_document(scope, project, fields)
    for number, label in enumerate("ABC", start=1):
        upload = Upload(f"{code}-{label}.pdf", io.BytesIO(pdf(padding=100 * number)))
        revision = service.add_revision(
            scope, document, NewRevision(label, "First issue" if label == "A" else "Changed", upload)
        )
        if label != "C":
            service.act(scope, document, revision, "submit")
            service.act(scope, document, revision, "approve")
    db.session.commit()
    return document


def revision_paths(*project_ids: int) -> list[Path]:
    """The stored files of every revision of these projects' registers."""
    names = db.session.execute(
        select(DocumentRevision.storage_name)
        .join(ControlledDocument, ControlledDocument.id == DocumentRevision.document_id)
        .where(ControlledDocument.project_id.in_(project_ids))
    ).scalars()
    return [store().path(name) for name in names]
