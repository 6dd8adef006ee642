"""Evidence items of a project: adding files, links and notes, new file versions, review, soft delete.

Shared by the pages and the API. Operations change the session and raise :class:`EvidenceRefused` (with
a message per field and the HTTP status it deserves) without changing anything. A stored file is removed
again when the request's transaction does not commit, so a refused request or a failed commit leaves none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from app.domain import evidence_rules as rules
from app.domain.file_types import check_file
from app.domain.permissions import FourEyes, four_eyes
from app.domain.text import _, grouped
from app.extensions import db
from app.models import (
    CertificationProject,
    Clause,
    ControlledDocument,
    DocumentRevision,
    EvidenceItem,
    EvidenceVersion,
    Membership,
    Task,
    Workspace,
)
from app.models.base import utcnow
from app.services.errors import Refused
from app.services.evidence_store import EvidenceStore, TooLarge
from app.services.scope import Scope
from app.services.transaction import remove_on_rollback

KINDS = ("file", "link", "note")
MB = 1024 * 1024
REFUSAL_STATUS = {rules.Refusal.FORBIDDEN: 403, rules.Refusal.INVALID: 409, rules.Refusal.INCOMPLETE: 422}


class EvidenceRefused(Exception):
    """Nothing was changed: ``errors`` says why, per field; ``status`` is 403, 409, 413, 415 or 422."""

    def __init__(self, errors: dict[str, str], status: int = 422) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors
        self.status = status


@dataclass
class Upload:
    """A file as sent: the name the client gave and a binary stream (werkzeug's FileStorage fits)."""

    filename: str
    stream: BinaryIO


@dataclass
class NewEvidence:
    kind: str
    title: str
    clause: str | None = None  # a requirement number such as "7.1.5.1"
    task_id: int | None = None
    valid_until: date | None = None
    url: str = ""
    note: str = ""
    upload: Upload | None = field(default=None, repr=False)


def store() -> EvidenceStore:
    return EvidenceStore(current_app.config["EVIDENCE_DIR"])


def max_upload_mb() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"])


def too_large_message() -> str:
    return _("The file is larger than %(limit)d MB, the most this site accepts.", limit=max_upload_mb())


def create_item(scope: Scope, project: CertificationProject, new: NewEvidence) -> EvidenceItem:
    """Add a file, link or note; a file is stored as version 1. Refuses before anything is stored."""
    errors = _field_errors(new)
    clause, task, attach_errors = _attachments(project, new.clause, new.task_id)
    errors |= attach_errors
    if errors:
        raise EvidenceRefused(errors)
    item = EvidenceItem(
        project_id=project.id,
        clause_id=clause.id if clause else None,
        task_id=task.id if task else None,
        kind=new.kind,
        title=new.title,
        url=new.url if new.kind == "link" else "",
        note=new.note if new.kind == "note" else "",
        valid_until=new.valid_until,
        review_state=rules.ReviewState.DRAFT,
        added_by_id=scope.user_id,
    )
    if new.kind == "file" and new.upload is not None:
        item.versions.append(_receive(scope, new.upload, 1))
    db.session.add(item)
    db.session.flush()
    return item


def _field_errors(new: NewEvidence) -> dict[str, str]:
    errors: dict[str, str] = {}
    if new.kind not in KINDS:
        errors["kind"] = _("Choose a file, a link or a note.")
    if not new.title:
        errors["title"] = _("Give the evidence a title.")
    elif len(new.title) > rules.TITLE_MAX_LENGTH:
        errors["title"] = _("Use at most %(limit)d characters.", limit=rules.TITLE_MAX_LENGTH)
    if new.kind == "file" and new.upload is None:
        errors["file"] = _("Choose the file to upload.")
    if new.kind == "link" and (problem := rules.link_error(new.url)):
        errors["url"] = problem
    if new.kind == "note" and not new.note:
        errors["note"] = _("Write the note.")
    elif new.kind == "note" and len(new.note) > rules.NOTE_MAX_LENGTH:
        errors["note"] = _("Use at most %(limit)d characters.", limit=rules.NOTE_MAX_LENGTH)
    if problem := rules.valid_until_error(new.valid_until, date.today()):
        errors["valid_until"] = problem
    return errors


def _attachments(
    project: CertificationProject, number: str | None, task_id: int | None
) -> tuple[Clause | None, Task | None, dict[str, str]]:
    """The clause (a requirement of the project's standard) and the task (of this project)."""
    errors: dict[str, str] = {}
    clause = task = None
    if number:
        clause = db.session.execute(
            select(Clause).where(
                Clause.standard_id == project.standard_id, Clause.number == number, Clause.is_leaf
            )
        ).scalar_one_or_none()
        if clause is None:
            errors["clause"] = _(
                "%(standard)s has no requirement %(number)s.", standard=project.standard.name, number=number
            )
    if task_id is not None:
        task = db.session.execute(
            select(Task).where(Task.project_id == project.id, Task.id == task_id)
        ).scalar_one_or_none()
        if task is None:
            errors["task"] = _("This project has no such task.")
    if not number and task_id is None:
        errors["clause"] = _("Attach the evidence to a requirement, a task, or both.")
    return clause, task, errors


@dataclass(frozen=True)
class StoredFile:
    """A checked upload moved into the store: what a version or a document revision records of it."""

    storage_name: str
    filename: str
    content_type: str
    size: int
    sha256: str


def store_upload(scope: Scope, upload: Upload) -> StoredFile:
    """Store an upload, checked on size, content and the workspace's quota; a refused upload leaves no
    file, and a stored one is removed again when the transaction naming it does not commit."""
    files = store()
    name = rules.sanitise_filename(upload.filename or "")
    try:
        with files.receive(upload.stream, max_upload_mb() * 1024 * 1024) as received:
            if received.size == 0:
                raise EvidenceRefused({"file": _("The file is empty.")})
            with received.open() as content:
                checked = check_file(name, content)
            if checked.error:
                raise EvidenceRefused({"file": checked.error}, 415)
            _check_quota(scope.workspace_id, received.size)
            storage_name = files.keep(received)
            remove_on_rollback(files.path(storage_name))  # the file goes if its rows are not committed
    except TooLarge as exc:
        raise EvidenceRefused({"file": too_large_message()}, 413) from exc
    return StoredFile(storage_name, checked.name, checked.content_type, received.size, received.sha256)


def _receive(scope: Scope, upload: Upload, number: int) -> EvidenceVersion:
    """Store an upload as a version of an evidence item."""
    stored = store_upload(scope, upload)
    return EvidenceVersion(
        number=number,
        storage_name=stored.storage_name,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=scope.user_id,
    )


@dataclass(frozen=True)
class StorageUse:
    used_bytes: int
    quota_bytes: int

    @property
    def used_mb(self) -> int:
        return -(-self.used_bytes // MB)  # rounded up: 1 byte used shows as 1 MB

    @property
    def quota_mb(self) -> int:
        return self.quota_bytes // MB

    @property
    def percent_used(self) -> int:
        return min(100, round(100 * self.used_bytes / self.quota_bytes)) if self.quota_bytes else 100


def storage_use(workspace_id: int) -> StorageUse:
    """The bytes a workspace keeps, evidence (deleted items too, until purged) and document revisions,
    against its quota (2 queries)."""
    documents = db.session.execute(
        select(func.coalesce(func.sum(DocumentRevision.size), 0))
        .join(ControlledDocument, ControlledDocument.id == DocumentRevision.document_id)
        .join(CertificationProject, CertificationProject.id == ControlledDocument.project_id)
        .where(CertificationProject.workspace_id == workspace_id)
    ).scalar_one()
    row = db.session.execute(
        select(func.coalesce(func.sum(EvidenceVersion.size), 0), Workspace.storage_quota_mb)
        .select_from(Workspace)
        .outerjoin(CertificationProject, CertificationProject.workspace_id == Workspace.id)
        .outerjoin(EvidenceItem, EvidenceItem.project_id == CertificationProject.id)
        .outerjoin(EvidenceVersion, EvidenceVersion.evidence_id == EvidenceItem.id)
        .where(Workspace.id == workspace_id)
        .group_by(Workspace.storage_quota_mb)
    ).one()
    quota_mb = row[1] if row[1] is not None else int(current_app.config["STORAGE_QUOTA_MB"])
    return StorageUse(int(row[0]) + int(documents), quota_mb * MB)


def _check_quota(workspace_id: int, size: int) -> None:
    use = storage_use(workspace_id)
    if use.used_bytes + size > use.quota_bytes:
        raise EvidenceRefused(
            {
                "file": _(
                    "This workspace keeps %(used)s MB of evidence of its %(quota)s MB: this file does not "
                    "fit. Ask the workspace owner to make room or raise the quota.",
                    used=grouped(use.used_mb),
                    quota=grouped(use.quota_mb),
                )
            },
            413,
        )


def add_version(scope: Scope, item: EvidenceItem, upload: Upload) -> EvidenceVersion:
    """Replace the file, keeping the old versions; an accepted item goes back to submitted."""
    if not rules.may_add_version(scope.role):
        raise EvidenceRefused({"file": _("Your role does not allow you to change evidence.")}, 403)
    if item.kind != "file":
        raise EvidenceRefused(
            {"file": _("Only a file has versions; this evidence is a link or a note.")}, 409
        )
    # Lock the item so two uploads at once number their versions one after the other (PostgreSQL).
    db.session.execute(select(EvidenceItem.id).where(EvidenceItem.id == item.id).with_for_update())
    last = db.session.execute(
        select(func.max(EvidenceVersion.number)).where(EvidenceVersion.evidence_id == item.id)
    ).scalar_one_or_none()
    version = _receive(scope, upload, (last or 0) + 1)
    item.versions.append(version)
    item.review_state = rules.state_after_new_version(item.review_state)
    # The item's row changes even when its state does not, so its version moves: a review that read the
    # item before this upload then fails at commit instead of accepting bytes its reviewer never saw.
    flag_modified(item, "review_state")
    return version


def review(
    scope: Scope, item: EvidenceItem, action: str, comment: str = "", seen_version: int | None = None
) -> None:
    """Submit, accept or reject, as the domain's rules allow for the scope's role. ``seen_version`` is the
    number of the file version the reviewer saw; a review of an older one than the latest is refused."""
    latest = item.versions[-1].number if item.versions else None
    decision = rules.decide_review(
        scope.role, item.review_state, action, comment, seen_version=seen_version, latest_version=latest
    )
    if decision.state is None:
        assert decision.refusal is not None
        target = "comment" if decision.refusal is rules.Refusal.INCOMPLETE else "review"
        raise EvidenceRefused({target: decision.message}, REFUSAL_STATUS[decision.refusal])
    self_reviewed = False
    if action == rules.ReviewAction.ACCEPT:
        rule = four_eyes(scope.user_id, _authors(item), workspace_members(scope.workspace_id))
        if rule is FourEyes.REFUSED:
            own = _("You added this evidence, so someone else in the workspace must accept it (four eyes).")
            raise EvidenceRefused({"review": own}, 403)
        self_reviewed = rule is FourEyes.SELF_APPROVED
    item.review_state = decision.state
    if action != rules.ReviewAction.SUBMIT:  # the last review stays on record until the next one
        item.self_reviewed = self_reviewed
        item.reviewer_comment = comment.strip()
        item.reviewed_by_id = scope.user_id
        item.reviewed_at = utcnow()


def _authors(item: EvidenceItem) -> list[int | None]:
    """Who put the evidence there: whoever added it and whoever uploaded its latest file."""
    return [item.added_by_id, *(v.uploaded_by_id for v in item.versions[-1:])]


def workspace_members(workspace_id: int) -> int:
    return int(
        db.session.execute(
            select(func.count(Membership.id)).where(Membership.workspace_id == workspace_id)
        ).scalar_one()
    )


def actions_for(scope: Scope, item: EvidenceItem) -> frozenset[str]:
    """What the item's page offers; reviewing is not offered on your own evidence while someone else in
    the workspace could review it (four eyes)."""
    actions = rules.available_actions(
        scope.role,
        item.review_state,
        is_file=item.kind == "file",
        added_it=item.added_by_id == scope.user_id,
        deleted=item.deleted_at is not None,
    )
    if (
        "review" in actions
        and scope.user_id in _authors(item)
        and (
            four_eyes(scope.user_id, _authors(item), workspace_members(scope.workspace_id))
            is FourEyes.REFUSED
        )
    ):
        return actions - {"review"}
    return actions


def soft_delete(scope: Scope, item: EvidenceItem) -> None:
    if not rules.may_delete(scope.role, item.added_by_id == scope.user_id, item.review_state):
        raise Refused()
    item.deleted_at = utcnow()
    item.deleted_by_id = scope.user_id


def restore(scope: Scope, item: EvidenceItem) -> None:
    if not rules.may_restore(scope.role):
        raise Refused()
    item.deleted_at = None
    item.deleted_by_id = None
