"""A project's document register: adding and editing documents, revisions with their files, approval,
withdrawal, and starting the register from the catalog's suggestions.

Shared by the pages and the API. The rules are :mod:`app.domain.documents`; this module loads plain values
for them and changes the session, raising :class:`~app.services.errors.Invalid` (per field, 422),
:class:`~app.services.errors.Refused` (403) or :class:`~app.services.errors.Conflict` (409) without having
changed anything. A revision's file is stored like evidence (content checks, SHA-256, size limit and quota)
and removed again when the transaction does not commit.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.domain import document_suggestions as suggest
from app.domain import documents as rules
from app.domain.ids import is_id_in_range
from app.domain.pathway import standard_family
from app.domain.permissions import Action
from app.domain.text import _
from app.extensions import db
from app.models import CertificationProject, Clause, ControlledDocument, DocumentRevision
from app.models.base import utcnow
from app.models.documents import document_clauses
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Conflict, Invalid, NotFound, Refused
from app.services.evidence import EvidenceRefused, Upload, store_upload, workspace_members
from app.services.scope import Scope, get_or_404_in

EDITABLE = ("code", "title", "doc_type", "owner", "review_months", "retention_months", "used_where", "notes")


@dataclass
class DocumentFields:
    """What a user types for a document; ``clauses`` are requirement numbers such as "7.5.3"."""

    code: str
    title: str
    doc_type: str
    clauses: list[str]
    owner: str = ""
    review_months: int | None = rules.DEFAULT_REVIEW_MONTHS
    retention_months: int | None = None
    used_where: str = ""
    notes: str = ""


@dataclass
class NewRevision:
    label: str
    change_note: str
    upload: Upload | None
    submit: bool = False  # send it for approval at once


class UploadRefused(Invalid):
    """The file store refused a revision's file; ``status`` says how, as for evidence (413 too large, 415
    a type not accepted, 422 empty or over the quota), so the API answers as its evidence upload does."""

    def __init__(self, refused: EvidenceRefused) -> None:
        super().__init__(_revision_not_saved(), refused.errors)
        self.status = refused.status


# Lookups


def document_in(scope: Scope, project: CertificationProject, document_id: int) -> ControlledDocument:
    """A document of this project the scope may see, with its revisions (and who uploaded, submitted and
    approved each, joined in the same query) and its clauses, or 404 (3 queries)."""
    document = get_or_404_in(
        scope,
        ControlledDocument,
        document_id,
        selectinload(ControlledDocument.clauses),
        selectinload(ControlledDocument.revisions).options(
            joinedload(DocumentRevision.uploaded_by),
            joinedload(DocumentRevision.submitted_by),
            joinedload(DocumentRevision.approved_by),
        ),
    )
    if document.project_id != project.id:
        raise NotFound()
    return document


def revision_in(document: ControlledDocument, revision_id: int) -> DocumentRevision:
    revision = next((r for r in document.revisions if r.id == revision_id), None)
    if revision is None:
        raise NotFound()
    return revision


def revision_by_id(scope: Scope, project: CertificationProject, revision_id: int) -> DocumentRevision:
    """A revision of this project's register found by its id alone (the API's approve URL), or 404."""
    revision = db.session.get(DocumentRevision, revision_id) if is_id_in_range(revision_id) else None
    if revision is None:
        raise NotFound()
    document = document_in(scope, project, revision.document_id)
    return revision_in(document, revision_id)


def current_revision(document: ControlledDocument) -> DocumentRevision | None:
    return next((r for r in document.revisions if r.state == rules.RevisionState.APPROVED), None)


def requirement_choices(project: CertificationProject) -> list[tuple[str, str]]:
    """(number, "number name") of every requirement of the project's standard, in catalog order."""
    rows = db.session.execute(
        select(Clause.number, Clause.title)
        .where(Clause.standard_id == project.standard_id, Clause.is_leaf)
        .order_by(Clause.position)
    ).all()
    return [(number, f"{number} {title}") for number, title in rows]


# Documents


def _field_errors(fields: DocumentFields) -> dict[str, str]:
    errors: dict[str, str] = {}
    if problem := rules.code_error(fields.code):
        errors["code"] = problem
    if not fields.title:
        errors["title"] = _("Give the document a title.")
    elif len(fields.title) > rules.TITLE_MAX_LENGTH:
        errors["title"] = rules.too_long(rules.TITLE_MAX_LENGTH)
    if fields.doc_type not in rules.TYPE_LABELS:
        errors["doc_type"] = _("Choose the kind of document.")
    if len(fields.owner) > rules.OWNER_MAX_LENGTH:
        errors["owner"] = rules.too_long(rules.OWNER_MAX_LENGTH)
    if problem := rules.review_months_error(fields.review_months):
        errors["review_months"] = problem
    if problem := rules.retention_months_error(fields.retention_months):
        errors["retention_months"] = problem
    if len(fields.used_where) > rules.USED_WHERE_MAX_LENGTH:
        errors["used_where"] = rules.too_long(rules.USED_WHERE_MAX_LENGTH)
    if len(fields.notes) > rules.TEXT_MAX_LENGTH:
        errors["notes"] = rules.too_long(rules.TEXT_MAX_LENGTH)
    return errors


def _clauses(project: CertificationProject, numbers: list[str]) -> tuple[list[Clause], str | None]:
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not wanted:
        return [], _("Link the document to at least one requirement.")
    found = list(
        db.session.execute(
            select(Clause)
            .where(Clause.standard_id == project.standard_id, Clause.is_leaf, Clause.number.in_(wanted))
            .order_by(Clause.position)
        ).scalars()
    )
    unknown = [n for n in wanted if n not in {c.number for c in found}]
    if unknown:
        return [], _(
            "%(standard)s has no requirement %(numbers)s.",
            standard=project.standard.name,
            numbers=", ".join(unknown[:5]),
        )
    return found, None


def _code_taken(project: CertificationProject, code: str, other_than: int | None = None) -> bool:
    stmt = select(ControlledDocument.id).where(
        ControlledDocument.project_id == project.id, ControlledDocument.code == code
    )
    if other_than is not None:
        stmt = stmt.where(ControlledDocument.id != other_than)
    return db.session.execute(stmt.limit(1)).first() is not None


def _checked(
    project: CertificationProject, fields: DocumentFields, other_than: int | None = None
) -> list[Clause]:
    fields.code = rules.normalise_code(fields.code)
    errors = _field_errors(fields)
    clauses, problem = _clauses(project, fields.clauses)
    if problem:
        errors["clauses"] = problem
    if "code" not in errors and _code_taken(project, fields.code, other_than):
        errors["code"] = _code_message(fields.code)
    if errors:
        raise Invalid(_document_not_saved(), errors)
    return clauses


def create_document(
    scope: Scope, project: CertificationProject, fields: DocumentFields
) -> ControlledDocument:
    scope.require(Action.EDIT_CONTENT)
    clauses = _checked(project, fields)
    document = ControlledDocument(
        project_id=project.id,
        created_by_id=scope.user_id,
        status=rules.DocumentStatus.ACTIVE,
        clauses=clauses,
        **{name: getattr(fields, name) for name in EDITABLE},
    )
    with _unique("code", _code_message(fields.code), _document_not_saved()):
        db.session.add(document)
    return document


def _code_message(code: str) -> str:
    return _("Another document of this project already has the code %(code)s.", code=code)


def _unique(field: str, message: str, not_saved: str) -> AbstractContextManager[None]:
    return refused_if_taken(not_saved, field, message)


def _document_not_saved() -> str:
    return _("The document was not saved.")


def _revision_not_saved() -> str:
    return _("The revision was not saved.")


def _label_taken(label: str) -> str:
    return _("This document already has a revision %(label)s: give the new one another label.", label=label)


def update_document(
    scope: Scope,
    project: CertificationProject,
    document: ControlledDocument,
    fields: DocumentFields,
    version: int | None = None,
) -> None:
    """Change the register entry (not its revisions); a new review interval moves the review date."""
    scope.require(Action.EDIT_CONTENT)
    check_version(document, version)
    if document.status == rules.DocumentStatus.OBSOLETE:
        raise Conflict(_("This document is withdrawn: its entry can no longer change."))
    clauses = _checked(project, fields, other_than=document.id)
    with _unique("code", _code_message(fields.code), _document_not_saved()):
        for name in EDITABLE:
            setattr(document, name, getattr(fields, name))
        document.clauses = clauses
        _set_review_due(document)


def _set_review_due(document: ControlledDocument) -> None:
    current = current_revision(document)
    if current is None or current.approved_on is None:
        document.review_due = None
        return
    last = max(filter(None, (current.approved_on, document.reviewed_on)))
    document.review_due = rules.review_due(last, document.review_months)


def confirm_review(
    scope: Scope, document: ControlledDocument, today: date, version: int | None = None
) -> None:
    """Record a periodic review that keeps the current revision as it is: the next review is due one
    interval from today. A document without an approved revision has nothing to confirm."""
    scope.require(Action.REVIEW)
    check_version(document, version)
    if document.status == rules.DocumentStatus.OBSOLETE:
        raise Conflict(_("This document is withdrawn: it is no longer reviewed."))
    if current_revision(document) is None:
        raise Conflict(_("This document has no approved revision to confirm yet."))
    document.reviewed_on = today
    _set_review_due(document)


def withdraw(scope: Scope, document: ControlledDocument, reason: str, version: int | None = None) -> None:
    check_version(document, version)
    if problem := rules.may_withdraw(scope.role, document.status, reason):
        field, message = problem
        if not scope.can(Action.REVIEW):
            raise Refused(message)
        if document.status == rules.DocumentStatus.OBSOLETE:
            raise Conflict(message)
        raise Invalid(message, {field: message})
    document.status = rules.DocumentStatus.OBSOLETE
    document.withdrawn_reason = reason.strip()
    document.withdrawn_at = utcnow()
    document.withdrawn_by_id = scope.user_id
    document.review_due = None


# Revisions


def add_revision(scope: Scope, document: ControlledDocument, new: NewRevision) -> DocumentRevision:
    """A new draft revision with its file (or straight into review with ``submit``)."""
    if problem := rules.may_upload(scope.role, document.status):
        if not scope.can(Action.EDIT_CONTENT):
            raise Refused(problem)
        raise Conflict(problem, {"file": problem})
    label = new.label.strip()
    errors: dict[str, str] = {}
    if problem := rules.label_error(label):
        errors["label"] = problem
    elif any(r.label.lower() == label.lower() for r in document.revisions):
        errors["label"] = _label_taken(label)
    if len(new.change_note.strip()) > rules.TEXT_MAX_LENGTH:
        errors["change_note"] = rules.too_long(rules.TEXT_MAX_LENGTH)
    elif not new.change_note.strip():
        errors["change_note"] = _("Say what this revision changes (for a first issue: “First issue”).")
    if new.upload is None:
        errors["file"] = _("Choose the file of this revision.")
    if errors:
        raise Invalid(_revision_not_saved(), errors)
    assert new.upload is not None
    try:
        stored = store_upload(scope, new.upload)
    except EvidenceRefused as exc:
        raise UploadRefused(exc) from exc
    revision = DocumentRevision(
        label=label,
        change_note=new.change_note.strip(),
        state=rules.RevisionState.DRAFT,
        uploaded_by_id=scope.user_id,
        storage_name=stored.storage_name,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
    )
    with _unique("label", _label_taken(label), _revision_not_saved()):
        document.revisions.append(revision)
    if new.submit:
        act(scope, document, revision, rules.RevisionAction.SUBMIT)
    return revision


def act(
    scope: Scope,
    document: ControlledDocument,
    revision: DocumentRevision,
    action: str,
    comment: str = "",
    effective_on: date | None = None,
    version: int | None = None,
) -> None:
    """Submit, approve or return a revision as the rules allow. Approving supersedes the revision
    approved before and sets the document's next review date."""
    check_version(revision, version)
    decision = rules.decide(
        action,
        role=scope.role,
        state=revision.state,
        document_status=document.status,
        actor_id=scope.user_id,
        author_ids=(revision.uploaded_by_id, revision.submitted_by_id),
        members=workspace_members(scope.workspace_id) if action == rules.RevisionAction.APPROVE else 2,
        comment=comment,
    )
    if decision.state is None:
        if decision.forbidden:
            raise Refused(decision.message)
        if action == rules.RevisionAction.RETURN and decision.field:
            raise Invalid(decision.message, {decision.field: decision.message})
        raise Conflict(decision.message)
    today = date.today()
    if decision.state is rules.RevisionState.APPROVED and (
        problem := rules.effective_on_error(effective_on, today)
    ):
        raise Invalid(problem, {"effective_on": problem})
    if decision.state is rules.RevisionState.IN_REVIEW:
        revision.submitted_by_id, revision.submitted_at = scope.user_id, utcnow()
    elif decision.state is rules.RevisionState.APPROVED:
        previous = current_revision(document)
        if previous is not None:
            previous.state = rules.RevisionState.SUPERSEDED
            previous.superseded_at = utcnow()
        revision.approved_by_id, revision.approved_at, revision.approved_on = scope.user_id, utcnow(), today
        document.reviewed_on = None  # a new revision starts a new review cycle
        revision.effective_on = effective_on or today
        revision.self_approved = decision.self_approved
        if comment.strip():
            note = _("Approval note: %(comment)s", comment=comment.strip())
            revision.change_note = f"{revision.change_note}\n\n{note}".strip()
    else:  # returned to draft
        note = _("Returned: %(comment)s", comment=comment.strip())
        revision.change_note = f"{revision.change_note}\n\n{note}".strip()
        revision.submitted_by_id, revision.submitted_at = None, None
    revision.state = decision.state
    db.session.flush()
    _set_review_due(document)


def actions_for(
    scope: Scope, document: ControlledDocument, revision: DocumentRevision, members: int | None = None
) -> frozenset[str]:
    """What the document page offers this user on ``revision``: submit, approve, return. ``members``
    (the workspace's, for the four-eyes rule) is counted when not given."""
    members = workspace_members(scope.workspace_id) if members is None else members
    offered = set()
    for action in rules.RevisionAction:
        decision = rules.decide(
            action,
            role=scope.role,
            state=revision.state,
            document_status=document.status,
            actor_id=scope.user_id,
            author_ids=(revision.uploaded_by_id, revision.submitted_by_id),
            members=members if action == rules.RevisionAction.APPROVE else 2,
            comment="-",
        )
        if decision.state is not None:
            offered.add(action.value)
    return frozenset(offered)


def revision_actions(scope: Scope, document: ControlledDocument) -> dict[int, frozenset[str]]:
    """:func:`actions_for` each revision of ``document``, by id, counting the members once (one query)."""
    members = workspace_members(scope.workspace_id)
    return {revision.id: actions_for(scope, document, revision, members) for revision in document.revisions}


# Suggestions


def _catalog(project: CertificationProject) -> list[suggest.SuggestionClause]:
    rows = db.session.execute(
        select(Clause).where(Clause.standard_id == project.standard_id).order_by(Clause.position)
    ).scalars()
    return [
        suggest.SuggestionClause(
            c.number,
            c.title or c.number,
            c.documented_information,
            c.documented_procedure,
            c.is_requirement,
            c.is_leaf,
        )
        for c in rows
    ]


def proposals(project: CertificationProject) -> list[suggest.Proposal]:
    """The catalog's suggested documents, each marked present or given a free code (3 queries)."""
    suggested = suggest.suggestions(standard_family(project.standard.code).value, _catalog(project))
    codes = db.session.execute(
        select(ControlledDocument.code).where(ControlledDocument.project_id == project.id)
    ).scalars()
    linked = db.session.execute(
        select(Clause.number)
        .join(document_clauses, document_clauses.c.clause_id == Clause.id)
        .join(ControlledDocument, ControlledDocument.id == document_clauses.c.document_id)
        .where(
            ControlledDocument.project_id == project.id,
            ControlledDocument.status == rules.DocumentStatus.ACTIVE,
        )
    ).scalars()
    return suggest.proposals(suggested, list(codes), list(linked))


def add_suggested(scope: Scope, project: CertificationProject, codes: list[str]) -> list[ControlledDocument]:
    """Add the ticked proposals (by their offered code) as draft documents; present ones are skipped."""
    scope.require(Action.EDIT_CONTENT)
    wanted, every = set(codes), proposals(project)
    offered = {p.code: p for p in every if not p.present}
    if not wanted or wanted - {p.code for p in every}:
        raise Invalid(_("Nothing was added."), {"codes": _("Tick documents from the list shown.")})
    numbers = {n for code in wanted if code in offered for n in offered[code].suggestion.clauses}
    clauses = {
        c.number: c
        for c in db.session.execute(
            select(Clause).where(
                Clause.standard_id == project.standard_id, Clause.is_leaf, Clause.number.in_(numbers)
            )
        ).scalars()
    }
    added = []
    for code, proposal in offered.items():
        if code not in wanted:
            continue
        document = ControlledDocument(
            project_id=project.id,
            code=code,
            title=str(proposal.suggestion.title),  # a title of the app's own: in the adder's language
            doc_type=proposal.suggestion.doc_type.value,
            review_months=rules.DEFAULT_REVIEW_MONTHS,
            status=rules.DocumentStatus.ACTIVE,
            created_by_id=scope.user_id,
            clauses=[clauses[n] for n in proposal.suggestion.clauses if n in clauses],
        )
        db.session.add(document)
        added.append(document)
    db.session.flush()
    return added


def fields_of(document: ControlledDocument) -> dict[str, Any]:
    """The entry's values as a form or the API shows them."""
    return {
        **{name: getattr(document, name) for name in EDITABLE},
        "clauses": [c.number for c in document.clauses],
    }
