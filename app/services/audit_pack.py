"""The audit pack of a project: its current approved document revisions and its current accepted evidence
files in a ZIP, by requirement, with an index (HTML and PDF) and a SHA-256 manifest, for the
certification body before stage 1. The names and the rules are :mod:`app.domain.audit_pack`.

:func:`pack_of` reads what goes in (three queries at most, whatever the number of files) into plain
values; :func:`stream` then writes the ZIP as it is sent, reading each stored file in chunks and hashing
it on the way. It needs no database and no request: the caller hands it the store, and the index's
renderers.

What is in it:

- of each active controlled document, its approved revision's file (not drafts, revisions in review or
  superseded ones; not withdrawn documents);
- of each evidence file, its latest version when the item is current (accepted, not deleted, not past its
  valid-until date: :func:`app.services.coverage.current_evidence`, the rule coverage counts by). An
  item attached to a task alone is filed under the task's requirement, if it has one. Links and notes
  have no file and are not in the pack.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import BinaryIO

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.domain import audit_pack as rules
from app.domain.documents import DocumentStatus, RevisionState
from app.extensions import db
from app.models import (
    CertificationProject,
    Clause,
    ControlledDocument,
    DocumentRevision,
    EvidenceItem,
    EvidenceVersion,
    Task,
)
from app.services.coverage import current_evidence
from app.services.evidence_store import EvidenceStore
from app.services.zip_stream import ZipStream

FILE_KIND = "file"


@dataclass(frozen=True)
class Cover:
    """Who and what the pack is for, as the index's heading and the download's name say."""

    client: str
    site: str
    standard: str
    body: str  # the certification body ("" when not chosen yet)
    day: date


@dataclass(frozen=True)
class Pack:
    cover: Cover
    entries: tuple[rules.PackEntry, ...]

    @property
    def filename(self) -> str:
        cover = self.cover
        return rules.pack_filename(cover.client, cover.site, cover.standard, cover.day.isoformat())


IndexRenderer = Callable[[Pack, Sequence[rules.IndexLine]], str]
PdfRenderer = Callable[[Pack, Sequence[rules.IndexLine]], bytes]


def _clause(clause: Clause) -> rules.ClauseRef:
    return rules.ClauseRef(clause.number, clause.title, clause.position)


def _moment(at: datetime | None, on: date | None = None) -> datetime | None:
    if at is None and on is not None:
        return datetime.combine(on, time(), UTC)
    return at


def _documents(project: CertificationProject) -> list[rules.PackFile]:
    rows = db.session.execute(
        select(ControlledDocument, DocumentRevision)
        .join(DocumentRevision, DocumentRevision.document_id == ControlledDocument.id)
        .where(
            ControlledDocument.project_id == project.id,
            ControlledDocument.status == DocumentStatus.ACTIVE,
            DocumentRevision.state == RevisionState.APPROVED,
        )
        .options(selectinload(ControlledDocument.clauses), joinedload(DocumentRevision.approved_by))
    ).all()
    return [
        rules.PackFile(
            kind=rules.Kind.DOCUMENT,
            reference=document.code,
            title=document.title,
            version=f"rev {revision.label}",
            filename=revision.filename,
            storage_name=revision.storage_name,
            size=revision.size,
            sha256=revision.sha256,
            approved_by=revision.approved_by.name if revision.approved_by else "",
            approved_at=_moment(revision.approved_at, revision.approved_on),
            clauses=tuple(_clause(clause) for clause in document.clauses),
        )
        for document, revision in rows
    ]


def _task_clauses(project: CertificationProject, task_ids: set[int]) -> dict[int, rules.ClauseRef]:
    """The requirement each task names (by number, in the project's standard)."""
    if not task_ids:
        return {}
    rows = db.session.execute(
        select(Task.id, Clause)
        .join(Clause, and_(Clause.standard_id == project.standard_id, Clause.number == Task.clause_number))
        .where(Task.id.in_(task_ids))
    ).all()
    return {task_id: _clause(clause) for task_id, clause in rows}


def _evidence(project: CertificationProject, today: date) -> list[rules.PackFile]:
    other = aliased(EvidenceVersion)
    latest = select(func.max(other.number)).where(other.evidence_id == EvidenceItem.id).scalar_subquery()
    rows = db.session.execute(
        select(EvidenceItem, EvidenceVersion)
        .join(EvidenceVersion, EvidenceVersion.evidence_id == EvidenceItem.id)
        .where(
            EvidenceItem.project_id == project.id,
            EvidenceItem.kind == FILE_KIND,
            current_evidence(today),
            EvidenceVersion.number == latest,
        )
        .options(joinedload(EvidenceItem.clause), joinedload(EvidenceItem.reviewed_by))
    ).all()
    unfiled = {item.task_id for item, _ in rows if item.clause is None and item.task_id is not None}
    task_clauses = _task_clauses(project, unfiled)
    files = []
    for item, version in rows:
        clause = _clause(item.clause) if item.clause else task_clauses.get(item.task_id or 0)
        files.append(
            rules.PackFile(
                kind=rules.Kind.EVIDENCE,
                reference=f"E{item.id}",
                title=item.title,
                version=f"v{version.number}",
                filename=version.filename,
                storage_name=version.storage_name,
                size=version.size,
                sha256=version.sha256,
                approved_by=item.reviewed_by.name if item.reviewed_by else "",
                approved_at=item.reviewed_at,
                clauses=(clause,) if clause else (),
            )
        )
    return files


def pack_of(project: CertificationProject, today: date) -> Pack:
    """What the pack of ``project`` (already scoped to the caller) holds today, and under which names."""
    cover = Cover(
        client=project.client.name,
        site=project.site.name,
        standard=project.standard.label,
        body=project.body.name if project.body else "",
        day=today,
    )
    return Pack(cover, rules.plan([*_documents(project), *_evidence(project, today)]))


def _chunks(source: BinaryIO, size: int, digest: hashlib._Hash) -> Iterator[bytes]:
    while chunk := source.read(size):
        digest.update(chunk)
        yield chunk


def _open(store: EvidenceStore, storage_name: str) -> BinaryIO | None:
    try:
        return store.open(storage_name)
    except (OSError, ValueError):
        return None


def _stored_files(
    pack: Pack, store: EvidenceStore, zipped: ZipStream, lines: list[rules.IndexLine], log: logging.Logger
) -> Iterator[bytes]:
    for entry in pack.entries:
        source = _open(store, entry.file.storage_name)
        if source is None:
            log.error("Audit pack: %s (%s) is missing from the store.", entry.path, entry.file.storage_name)
            lines.append(rules.IndexLine(entry, rules.FileCheck.MISSING))
            continue
        digest = hashlib.sha256()
        with source:
            chunks = _chunks(source, store.chunk_size, digest)
            yield from zipped.member(entry.path, chunks, entry.file.approved_at)
        check = rules.check_of(entry.file.sha256, digest.hexdigest())
        if check is rules.FileCheck.CORRUPT:
            log.error(
                "Audit pack: %s (%s) does not match its recorded SHA-256 %s (read %s).",
                entry.path,
                entry.file.storage_name,
                entry.file.sha256,
                digest.hexdigest(),
            )
        lines.append(rules.IndexLine(entry, check))


def stream(
    pack: Pack,
    store: EvidenceStore,
    render_index: IndexRenderer,
    render_pdf: PdfRenderer | None,
    log: logging.Logger,
) -> Iterator[bytes]:
    """The ZIP's bytes, written as the stored files are read: the files by requirement, then the index
    (HTML, and PDF when ``render_pdf`` is given) and the manifest, which list what was found."""
    zipped = ZipStream()
    lines: list[rules.IndexLine] = []
    yield from _stored_files(pack, store, zipped, lines, log)
    made = datetime.now(UTC)
    html = render_index(pack, lines)
    generated = [(rules.INDEX_HTML, html.encode())]
    if render_pdf is not None:
        generated.append((rules.INDEX_PDF, render_pdf(pack, lines)))
    for name, content in generated:
        yield from zipped.member(name, [content], made, compress=True)
    shipped = [line for line in lines if line.check is not rules.FileCheck.MISSING]
    sums = [(line.entry.file.sha256, line.entry.path) for line in shipped]
    sums += [(hashlib.sha256(content).hexdigest(), name) for name, content in generated]
    yield from zipped.member(rules.MANIFEST, [rules.manifest(sums).encode()], made, compress=True)
    yield from zipped.finish()
