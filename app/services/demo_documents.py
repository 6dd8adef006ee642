"""The demo factories' document registers: the documents the catalog suggests, at different states.

Each revision has a small real PDF (one page naming the document), stored through the evidence store like
an upload, so the content checks, the SHA-256 and the storage use apply to the demo as to anyone's files.
The rows are written with their dates set relative to the demo's ``today`` (approved weeks ago, one
review past due), by the rules of :mod:`app.domain.documents`: at most one approved revision per
document, the one before it superseded, next review = approval day + interval.

The demo workspace has a single member, so the approvals are recorded as self-approved (the four-eyes
rule's exception), exactly as the approve action would record them.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from app.domain import documents as rules
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, ControlledDocument, DocumentRevision
from app.services import documents as document_service
from app.services.evidence import Upload, store_upload
from app.services.scope import Scope

# What has happened to a demo document (Plan.histories).
APPROVED = "approved"  # revision 1 approved
REVISED = "revised"  # revision 1 approved, then superseded by an approved revision 2
# Revision 1 approved, revision 2 approved RECENT_DAYS ago: whoever was trained on 1 needs retraining.
REVISED_LATELY = "revised_lately"
OVERDUE = "overdue"  # revision 1 approved 13 months ago, reviewed every 12 months: the review is late
IN_REVIEW = "in_review"  # revision 1 waiting for approval
CHANGE_IN_REVIEW = "change_in_review"  # revision 1 approved, revision 2 waiting for approval
DRAFT = "draft"  # revision 1 being written
ENTRY = "entry"  # in the register, no revision yet
RECENT_DAYS = 10


@dataclass(frozen=True)
class Withdrawn:
    """A document the factory had before and withdrew since: it stays in the register's history."""

    code: str
    title: str
    clause: str
    reason: str


@dataclass(frozen=True)
class Plan:
    """A factory's register: the catalog's suggestions, each with its history.

    ``histories`` maps a suggestion's clause to its history; every other suggestion gets ``rest`` (None
    leaves it out of the register). Suggestions whose requirements are all not applicable are left out.
    """

    prefix: str  # the factory's prefix on its document codes: SCC-QP-01
    owner: str
    approved_weeks_ago: int  # when most documents were approved
    histories: Mapping[str, str]
    rest: str | None = None
    notes: Mapping[str, str] = field(default_factory=dict)  # clause -> change note of revision 2
    withdrawn: Withdrawn | None = None


PLANS: dict[str, Plan] = {
    # Vietnam, ISO 9001, documentation under way: the core documents approved, one procedure waiting for
    # approval, one plan being written, and the production procedure the plant already had, past its review.
    "VN": Plan(
        prefix="SCC",
        owner="Nguyen Thi Lan",
        approved_weeks_ago=3,
        histories={
            "4.3": APPROVED,
            "5.2.2": APPROVED,
            "6.2.1": APPROVED,
            "4.4.2": IN_REVIEW,
            "8.1": DRAFT,
            "8.5.1": OVERDUE,
        },
    ),
    # Thailand, ISO 9001, gap analysis just started: the first two entries of the register.
    "TH": Plan(
        prefix="CPS",
        owner="Somchai Prasert",
        approved_weeks_ago=0,
        histories={"4.3": ENTRY, "5.2.2": DRAFT},
    ),
    # Malaysia, ISO 13485, documentation done: every applicable document approved; the quality manual in
    # its second revision; the contamination control procedure revised ten days ago (the clean-room
    # operators trained on revision 1 are to retrain); after the internal audit's finding, a change to
    # process validation in review.
    "MY": Plan(
        prefix="PMT",
        owner="Tan Wei Ming",
        approved_weeks_ago=9,
        histories={"4.2.2": REVISED, "6.4.2": REVISED_LATELY, "7.5.6": CHANGE_IN_REVIEW},
        rest=APPROVED,
        notes={
            "4.2.2": "Adds the contracted EO sterilisation to the outsourced processes.",
            "6.4.2": "Adds weekly settle-plate monitoring and a stricter gowning sequence at the airlock.",
            "7.5.6": "Adds the validation of the pouch sealing process (internal audit finding, major).",
        },
        withdrawn=Withdrawn(
            "WI-01",
            "Gowning in the clean room",
            "6.4.2",
            "Replaced by the contamination control procedure, which now holds the gowning steps.",
        ),
    ),
}


def add_documents(scope: Scope, project: CertificationProject, today: date, plan: Plan) -> None:
    """Put the factory's documents in the project's register as ``plan`` says."""
    not_applicable = _not_applicable(project)
    numbers: set[str] = set()
    chosen = []
    for proposal in document_service.proposals(project):
        suggestion = proposal.suggestion
        history = plan.histories.get(suggestion.clauses[0], plan.rest)
        if history is None or set(suggestion.clauses) <= not_applicable:
            continue
        chosen.append((suggestion, history))
        numbers.update(suggestion.clauses)
    if plan.withdrawn:
        numbers.add(plan.withdrawn.clause)
    clauses = _clauses(project, numbers)
    writer = _Writer(scope, project, today, plan)
    for suggestion, history in chosen:
        document = writer.document(
            suggestion.code, suggestion.title, suggestion.doc_type, [clauses[n] for n in suggestion.clauses]
        )
        writer.history(document, history, plan.notes.get(suggestion.clauses[0], ""))
    if plan.withdrawn:
        gone = plan.withdrawn
        document = writer.document(
            gone.code, gone.title, rules.DocumentType.WORK_INSTRUCTION, [clauses[gone.clause]]
        )
        writer.withdraw(document, gone.reason)
    db.session.flush()


def _not_applicable(project: CertificationProject) -> set[str]:
    rows = db.session.execute(
        select(Clause.number)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id, Assessment.status == "not_applicable")
    ).scalars()
    return set(rows)


def _clauses(project: CertificationProject, numbers: set[str]) -> dict[str, Clause]:
    rows = db.session.execute(
        select(Clause).where(Clause.standard_id == project.standard_id, Clause.number.in_(numbers))
    ).scalars()
    return {clause.number: clause for clause in rows}


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=UTC)


class _Writer:
    """Writes one factory's documents and revisions, with their files."""

    def __init__(self, scope: Scope, project: CertificationProject, today: date, plan: Plan) -> None:
        self.scope, self.project, self.today, self.plan = scope, project, today, plan
        self.approved_on = today - timedelta(weeks=plan.approved_weeks_ago)

    def document(self, code: str, title: str, doc_type: str, clauses: Sequence[Clause]) -> ControlledDocument:
        document = ControlledDocument(
            project_id=self.project.id,
            code=f"{self.plan.prefix}-{code}",
            title=title,
            doc_type=doc_type,
            owner=self.plan.owner,
            review_months=rules.DEFAULT_REVIEW_MONTHS,
            status=rules.DocumentStatus.ACTIVE,
            created_by_id=self.scope.user_id,
            clauses=list(clauses),
        )
        db.session.add(document)
        return document

    def history(self, document: ControlledDocument, history: str, note: str) -> None:
        draft, in_review, approved = (
            rules.RevisionState.DRAFT,
            rules.RevisionState.IN_REVIEW,
            rules.RevisionState.APPROVED,
        )
        if history == DRAFT:
            self.revision(document, "1", draft)
        elif history == IN_REVIEW:
            self.revision(document, "1", in_review, submitted=self.today - timedelta(days=3))
        elif history == OVERDUE:
            self.revision(document, "1", approved, approved=self.today - relativedelta(months=13))
        elif history == REVISED:
            first = self.revision(document, "1", approved, approved=self.approved_on - timedelta(weeks=8))
            self.revision(document, "2", approved, approved=self.approved_on, note=note)
            first.state, first.superseded_at = rules.RevisionState.SUPERSEDED, _moment(self.approved_on)
        elif history == REVISED_LATELY:
            first = self.revision(document, "1", approved, approved=self.approved_on)
            lately = self.today - timedelta(days=RECENT_DAYS)
            self.revision(document, "2", approved, approved=lately, note=note)
            first.state, first.superseded_at = rules.RevisionState.SUPERSEDED, _moment(lately)
        elif history in (APPROVED, CHANGE_IN_REVIEW):
            self.revision(document, "1", approved, approved=self.approved_on)
            if history == CHANGE_IN_REVIEW:
                self.revision(document, "2", in_review, submitted=self.today - timedelta(days=2), note=note)
        current = next((r for r in document.revisions if r.state == approved), None)
        if current is not None and current.approved_on is not None:
            document.review_due = rules.review_due(current.approved_on, document.review_months)

    def revision(
        self,
        document: ControlledDocument,
        label: str,
        state: str,
        approved: date | None = None,
        submitted: date | None = None,
        note: str = "",
    ) -> DocumentRevision:
        if approved is not None:
            submitted = approved - timedelta(days=3)
        content = demo_pdf(
            (
                f"{document.code} {document.title}",
                f"Revision {label}",
                self.project.client.name,
                "Demo document of Readiness: a placeholder for the factory's own text.",
            )
        )
        stored = store_upload(self.scope, Upload(f"{document.code} rev {label}.pdf", io.BytesIO(content)))
        revision = DocumentRevision(
            label=label,
            change_note=note or "First issue.",
            state=state,
            storage_name=stored.storage_name,
            filename=stored.filename,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by_id=self.scope.user_id,
        )
        if submitted is not None:
            revision.submitted_by_id, revision.submitted_at = self.scope.user_id, _moment(submitted)
        if approved is not None:
            revision.approved_by_id, revision.approved_at = self.scope.user_id, _moment(approved)
            revision.approved_on = revision.effective_on = approved
            revision.self_approved = True  # the demo workspace has a single member
        document.revisions.append(revision)
        return revision

    def withdraw(self, document: ControlledDocument, reason: str) -> None:
        approved = self.approved_on - timedelta(weeks=30)
        self.revision(document, "1", rules.RevisionState.APPROVED, approved=approved)
        document.status = rules.DocumentStatus.OBSOLETE
        document.withdrawn_reason = reason
        document.withdrawn_at = _moment(self.approved_on)
        document.withdrawn_by_id = self.scope.user_id


def demo_pdf(lines: Sequence[str]) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica (ASCII only), valid enough for any viewer."""
    shown = " T* ".join(f"({_pdf_text(line)}) Tj" for line in lines)
    content = f"BT /F1 12 Tf 16 TL 72 770 Td {shown} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


def _pdf_text(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("\u2014", "-").replace("\u2013", "-"))
    ascii_only = plain.encode("ascii", "ignore").decode("ascii")
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
