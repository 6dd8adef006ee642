"""Document control: the register's rules, and when a requirement has the controlled document it needs.

A project's register lists its controlled documents (the master list). Each document has revisions::

    draft ──submit──> in_review ──approve──> approved ──(a later revision approved)──> superseded
                          └──return──> draft (the approver's comment says what to change)

- Approving a revision makes it the document's current revision; the revision approved before it becomes
  ``superseded`` (kept, read-only, downloadable). An approved revision's file never changes: a change is a
  new revision. At most one revision of a document is approved at a time.
- Four eyes: the owner, consultant and client manager roles approve, but not a revision they uploaded or
  submitted, unless the workspace has a single member (:func:`app.domain.permissions.four_eyes`); then the
  approval is recorded as self-approved.
- A document can be withdrawn (``obsolete``) with a reason: it stays in the register's history, but
  controls nothing any more.
- Next review due = the approval day of the current revision + the review interval (1 to 60 months).
  A periodic review that keeps the revision as it is (recorded by a reviewer) starts the interval again.

Whether a requirement has its document (one rule, for the checklist, the stage and the API)
------------------------------------------------------------------------------------------
A document is *controlled* on a day when it is not withdrawn, its current revision is approved, and its
review is not past due (the due day itself still counts). :func:`document_status` gives a requirement's
document status from the documents linked to it, from the first rule that applies:

1. ``accepted``: at least one linked document is controlled;
2. ``expired``: a linked document has an approved revision, but its review is past due;
3. ``submitted``: a linked document has a revision waiting for approval;
4. ``draft``: a linked document is in the register, with no revision approved or in review yet;
5. ``missing``: no document that is not withdrawn is linked to the requirement.

The Documentation stage is met when every applicable requirement marked ``maintain`` or ``both`` has the
status ``accepted`` (:func:`controlled_numbers`); the documented-information checklist shows the same
status on the requirement's line, so the two never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from app.domain.permissions import Action, FourEyes, can, four_eyes
from app.domain.text import _, _l

CODE_MAX_LENGTH = 30
TITLE_MAX_LENGTH = 200
OWNER_MAX_LENGTH = 120
USED_WHERE_MAX_LENGTH = 300
LABEL_MAX_LENGTH = 20
TEXT_MAX_LENGTH = 5_000
REVIEW_MONTHS = range(1, 61)
DEFAULT_REVIEW_MONTHS = 12
EFFECTIVE_DAYS_AHEAD = 366  # an approved revision takes effect within a year
RETENTION_MONTHS = range(1, 1201)  # up to 100 years: some device records outlive the device
CODE = re.compile(r"[A-Z0-9][A-Z0-9._/-]*")
LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class DocumentType(StrEnum):
    QUALITY_MANUAL = "quality_manual"
    POLICY = "policy"
    PROCEDURE = "procedure"
    WORK_INSTRUCTION = "work_instruction"
    FORM = "form"
    PLAN = "plan"
    SPECIFICATION = "specification"
    EXTERNAL = "external"
    RECORD = "record"


TYPE_LABELS: dict[str, str] = {
    DocumentType.QUALITY_MANUAL: _l("Quality manual"),
    DocumentType.POLICY: _l("Policy"),
    DocumentType.PROCEDURE: _l("Procedure"),
    DocumentType.WORK_INSTRUCTION: _l("Work instruction"),
    DocumentType.FORM: _l("Form or template"),
    DocumentType.PLAN: _l("Plan"),
    DocumentType.SPECIFICATION: _l("Specification"),
    DocumentType.EXTERNAL: _l("External document"),
    DocumentType.RECORD: _l("Record"),
}

# The code prefix the suggestions use for each type: QM-01, POL-01, QP-04, WI-12, F-07...
CODE_PREFIXES: dict[str, str] = {
    DocumentType.QUALITY_MANUAL: "QM",
    DocumentType.POLICY: "POL",
    DocumentType.PROCEDURE: "QP",
    DocumentType.WORK_INSTRUCTION: "WI",
    DocumentType.FORM: "F",
    DocumentType.PLAN: "PL",
    DocumentType.SPECIFICATION: "SP",
    DocumentType.EXTERNAL: "EXT",
    DocumentType.RECORD: "REC",
}


class RevisionState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


REVISION_LABELS: dict[str, str] = {
    RevisionState.DRAFT: _l("Draft"),
    RevisionState.IN_REVIEW: _l("In review"),
    RevisionState.APPROVED: _l("Approved"),
    RevisionState.SUPERSEDED: _l("Superseded"),
}


class DocumentStatus(StrEnum):
    ACTIVE = "active"
    OBSOLETE = "obsolete"


class RequirementStatus(StrEnum):
    """A requirement's document status; the values match the checklist's statuses."""

    MISSING = "missing"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    EXPIRED = "expired"


class RevisionAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


# Fields


def too_long(limit: int) -> str:
    """The message of a text over its limit of ``limit`` characters."""
    return _("Use at most %(limit)d characters.", limit=limit)


def normalise_code(code: str) -> str:
    """Codes are compared and stored in capitals without surrounding spaces: "qp-04 " is "QP-04"."""
    return code.strip().upper()


def code_error(code: str) -> str | None:
    """Why ``code`` (normalised) cannot be a document code, or None."""
    if not code:
        return _("Give the document a code, such as QP-04.")
    if len(code) > CODE_MAX_LENGTH:
        return too_long(CODE_MAX_LENGTH)
    if not CODE.fullmatch(code):
        return _("Use letters, digits and - . / _ only, starting with a letter or a digit (e.g. QP-04).")
    return None


def label_error(label: str) -> str | None:
    """Why ``label`` cannot name a revision ("A", "B", "1", "2.1"...), or None."""
    if not label:
        return _("Give the revision a label, such as A or 1.")
    if len(label) > LABEL_MAX_LENGTH:
        return too_long(LABEL_MAX_LENGTH)
    if not LABEL.fullmatch(label):
        return _("Use letters, digits and - . _ only (e.g. A, B, 1, 2.1).")
    return None


def review_months_error(months: int | None) -> str | None:
    if months is None:
        return _("Say how often the document is reviewed, in months (1 to 60).")
    if months not in REVIEW_MONTHS:
        return _("The review interval must be between 1 and 60 months.")
    return None


def retention_months_error(months: int | None) -> str | None:
    if months is not None and months not in RETENTION_MONTHS:
        return _("The retention period must be between 1 and 1200 months (100 years).")
    return None


def next_label(labels: Sequence[str]) -> str:
    """A suggestion for the next revision's label, following the last one: A → B, 3 → 4, none → A."""
    if not labels:
        return "A"
    last = labels[-1]
    if last.isdigit():
        return str(int(last) + 1)
    if len(last) == 1 and "A" <= last.upper() < "Z":
        return chr(ord(last) + 1)
    return ""


def review_due(approved_on: date, months: int) -> date:
    """The day the next review is due: the approval day plus ``months`` calendar months (31 Jan + 1 month
    is 28 or 29 Feb)."""
    return approved_on + relativedelta(months=months)


def effective_on_error(effective: date | None, approved_on: date) -> str | None:
    """Why a revision cannot take effect on ``effective`` when approved on ``approved_on``, or None: not
    before its approval, and within a year of it (None: it takes effect on approval)."""
    if effective is None:
        return None
    if effective < approved_on:
        return _("A revision cannot take effect before the day it is approved.")
    if effective > approved_on + timedelta(days=EFFECTIVE_DAYS_AHEAD):
        return _("Choose an effective date within %(days)d days of the approval.", days=EFFECTIVE_DAYS_AHEAD)
    return None


def review_overdue(due: date | None, today: date) -> bool:
    """Past its review date; the due day itself is not late yet."""
    return due is not None and due < today


# Revision workflow


@dataclass(frozen=True)
class Decision:
    """The state a revision moves to, or why not (``forbidden``: the role or the four-eyes rule, 403;
    ``field``: the form field the message is about, "comment" when the comment is missing or too long)."""

    state: RevisionState | None
    message: str = ""
    forbidden: bool = False
    self_approved: bool = False
    field: str | None = None


_SOURCES: Mapping[RevisionAction, tuple[RevisionState, RevisionState, Action]] = {
    RevisionAction.SUBMIT: (RevisionState.DRAFT, RevisionState.IN_REVIEW, Action.EDIT_CONTENT),
    RevisionAction.APPROVE: (RevisionState.IN_REVIEW, RevisionState.APPROVED, Action.REVIEW),
    RevisionAction.RETURN: (RevisionState.IN_REVIEW, RevisionState.DRAFT, Action.REVIEW),
}


def decide(
    action: str,
    *,
    role: str,
    state: str,
    document_status: str,
    actor_id: int | None = None,
    author_ids: Iterable[int | None] = (),
    members: int = 2,
    comment: str = "",
) -> Decision:
    """Whether ``role`` may take ``action`` on a revision in ``state``, and the state it leads to.

    ``author_ids`` are the people who uploaded and submitted the revision, ``members`` the number of
    members of the workspace: together they apply the four-eyes rule to approving.
    """
    try:
        source, target, needs = _SOURCES[RevisionAction(action)]
    except ValueError:
        return Decision(None, _("Choose submit, approve or return."))
    if not can(role, needs):
        if needs is Action.EDIT_CONTENT:
            refusal = _("Your role does not allow you to submit documents for approval.")
        else:
            refusal = _("Your role does not allow you to approve documents.")
        return Decision(None, refusal, forbidden=True)
    if document_status == DocumentStatus.OBSOLETE:
        return Decision(None, _("This document is withdrawn: its revisions can no longer change."))
    if state != source:
        return Decision(None, _wrong_state(action, state))
    if action == RevisionAction.RETURN and not comment.strip():
        return Decision(None, _("Say what must change before it can be approved."), field="comment")
    if len(comment.strip()) > TEXT_MAX_LENGTH:
        return Decision(None, too_long(TEXT_MAX_LENGTH), field="comment")
    self_approved = False
    if action == RevisionAction.APPROVE:
        rule = four_eyes(actor_id, author_ids, members)
        if rule is FourEyes.REFUSED:
            return Decision(
                None,
                _("You uploaded or submitted this revision, so someone else must approve it (four eyes)."),
                forbidden=True,
            )
        self_approved = rule is FourEyes.SELF_APPROVED
    return Decision(target, self_approved=self_approved)


def _wrong_state(action: str, state: str) -> str:
    label = str(REVISION_LABELS.get(state, state)).lower()
    if action == RevisionAction.SUBMIT:
        return _("This revision is %(state)s: only a draft can be submitted for approval.", state=label)
    return _(
        "This revision is %(state)s: only a revision in review can be approved or returned.", state=label
    )


def may_upload(role: str, document_status: str) -> str | None:
    """Why a new revision cannot be added, or None."""
    if not can(role, Action.EDIT_CONTENT):
        return _("Your role does not allow you to change documents.")
    if document_status == DocumentStatus.OBSOLETE:
        return _("This document is withdrawn: it takes no new revision.")
    return None


def may_withdraw(role: str, document_status: str, reason: str) -> tuple[str, str] | None:
    """(field, message) saying why the document cannot be withdrawn, or None."""
    if not can(role, Action.REVIEW):
        return "reason", _("Your role does not allow you to withdraw documents.")
    if document_status == DocumentStatus.OBSOLETE:
        return "reason", _("This document is already withdrawn.")
    if not reason.strip():
        return "reason", _("Say why the document is withdrawn.")
    if len(reason.strip()) > TEXT_MAX_LENGTH:
        return "reason", too_long(TEXT_MAX_LENGTH)
    return None


# Status of a requirement's document


@dataclass(frozen=True)
class DocumentFact:
    """What the rule needs from one document: its status, its best revision state and its review date.

    ``revision_state`` is the most advanced state among its revisions (approved over in review over
    draft), None when it has none.
    """

    clauses: frozenset[str]
    status: str = DocumentStatus.ACTIVE
    revision_state: str | None = None
    review_due: date | None = None


def is_controlled(document: DocumentFact, today: date) -> bool:
    """Not withdrawn, its current revision approved, and its review not past due (module docstring)."""
    return (
        document.status == DocumentStatus.ACTIVE
        and document.revision_state == RevisionState.APPROVED
        and not review_overdue(document.review_due, today)
    )


def best_revision_state(states: Iterable[str]) -> str | None:
    """The most advanced state among a document's revisions: approved, in review, draft; else None."""
    present = set(states)
    for state in (RevisionState.APPROVED, RevisionState.IN_REVIEW, RevisionState.DRAFT):
        if state in present:
            return state.value
    return None


def document_status(documents: Iterable[DocumentFact], today: date) -> RequirementStatus:
    """The document status of one requirement, from the documents linked to it (module docstring)."""
    live = [d for d in documents if d.status == DocumentStatus.ACTIVE]
    if any(is_controlled(d, today) for d in live):
        return RequirementStatus.ACCEPTED
    states = {d.revision_state for d in live}
    if RevisionState.APPROVED in states:
        return RequirementStatus.EXPIRED
    if RevisionState.IN_REVIEW in states:
        return RequirementStatus.SUBMITTED
    if live:
        return RequirementStatus.DRAFT
    return RequirementStatus.MISSING


def statuses_by_clause(
    numbers: Iterable[str], documents: Iterable[DocumentFact], today: date
) -> dict[str, RequirementStatus]:
    """The document status of each requirement in ``numbers``."""
    linked: dict[str, list[DocumentFact]] = {}
    for document in documents:
        for number in document.clauses:
            linked.setdefault(number, []).append(document)
    return {number: document_status(linked.get(number, ()), today) for number in numbers}


def controlled_numbers(
    numbers: Iterable[str], documents: Iterable[DocumentFact], today: date
) -> frozenset[str]:
    """The requirements among ``numbers`` that have a controlled document: the Documentation stage's
    rule, the same one the checklist shows."""
    statuses = statuses_by_clause(numbers, documents, today)
    return frozenset(n for n, status in statuses.items() if status is RequirementStatus.ACCEPTED)
