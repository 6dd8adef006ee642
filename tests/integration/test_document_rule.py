"""The Documentation stage and the documented-information checklist read the register through one rule,
against the database: approved and reviewed documents count, superseded, overdue, withdrawn and
draft ones do not, and the two never disagree."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest

from app.extensions import db
from app.models import ControlledDocument
from app.services import documents as service
from app.services.doc_checklist import documented_information
from app.services.documents import DocumentFields, NewRevision
from app.services.errors import Conflict, Invalid, Refused
from app.services.evidence import Upload
from app.services.pathway import project_overview
from tests import evidence_samples as samples

TODAY = date.today()


@pytest.fixture
def people(make: Any, tree: dict[str, Any]) -> dict[str, Any]:
    author = make.user(tree["workspace"], role="contributor")
    approver = make.user(tree["workspace"], role="consultant")
    project = tree["project"]
    return {
        "project": project,
        "author": samples.scope_for(author.id, project),
        "approver": samples.scope_for(approver.id, project),
    }


def maintain_numbers(project: Any) -> list[str]:
    rows = documented_information(project, TODAY).rows
    return [row.line.clause.number for row in rows if row.line.document]


def approved_document(people: dict[str, Any], code: str, numbers: list[str], label: str = "A") -> Any:
    project, author = people["project"], people["author"]
    document = service.create_document(
        author,
        project,
        DocumentFields(code=code, title=f"Document {code}", doc_type="procedure", clauses=numbers),
    )
    revise(people, document, label)
    return document


def revise(people: dict[str, Any], document: Any, label: str) -> Any:
    upload = Upload("procedure.pdf", io.BytesIO(samples.pdf()))
    revision = service.add_revision(
        people["author"], document, NewRevision(label, "First issue", upload, submit=True)
    )
    service.act(people["approver"], document, revision, "approve")
    db.session.commit()
    return revision


def criterion(project: Any) -> Any:
    [met] = project_overview(project, TODAY).stage("documentation").criteria
    return met


def document_statuses(project: Any) -> dict[str, str]:
    rows = documented_information(project, TODAY).rows
    return {row.line.clause.number: row.line.document_status for row in rows if row.line.document}


def agree(project: Any) -> bool:
    """The stage is met exactly when every document line of the checklist is accepted."""
    statuses = document_statuses(project)
    return criterion(project).met == all(status == "accepted" for status in statuses.values())


def test_every_maintain_requirement_controlled_meets_the_stage(people):
    project = people["project"]
    numbers = maintain_numbers(project)
    assert not criterion(project).met and agree(project)
    for n, number in enumerate(numbers[:-1], start=1):
        approved_document(people, f"QP-{n:02d}", [number])
    assert not criterion(project).met and numbers[-1] in criterion(project).reason
    assert agree(project)
    approved_document(people, "QP-99", [numbers[-1]])
    assert criterion(project).met and agree(project)
    assert set(document_statuses(project).values()) == {"accepted"}


def test_overdue_superseded_and_withdrawn(people):
    project = people["project"]
    numbers = maintain_numbers(project)
    documents = [approved_document(people, f"QP-{n:02d}", [number]) for n, number in enumerate(numbers)]
    first = documents[0]
    assert criterion(project).met

    first.review_due = TODAY - timedelta(days=1)  # the review is overdue
    db.session.commit()
    assert (
        not criterion(project).met and document_statuses(project)[numbers[0]] == "expired" and agree(project)
    )

    service.confirm_review(people["approver"], first, TODAY)  # a periodic review confirms revision A
    db.session.commit()
    assert first.review_due == service.rules.review_due(TODAY, 12) and criterion(project).met

    second = revise(people, first, "B")  # revision B supersedes A
    states = {r.label: r.state for r in first.revisions}
    assert states == {"A": "superseded", "B": "approved"} and second.approved_on == TODAY
    assert criterion(project).met and agree(project)

    service.withdraw(people["approver"], first, "Merged into the quality manual")
    db.session.commit()
    assert (
        document_statuses(project)[numbers[0]] == "missing" and not criterion(project).met and agree(project)
    )


def test_a_revision_waiting_for_approval_counts_as_submitted_not_approved(people):
    project, author = people["project"], people["author"]
    number = maintain_numbers(project)[0]
    document = service.create_document(
        author,
        project,
        DocumentFields(code="POL-01", title="Quality policy", doc_type="policy", clauses=[number]),
    )
    assert document_statuses(project)[number] == "draft"
    upload = Upload("policy.pdf", io.BytesIO(samples.pdf()))
    service.add_revision(author, document, NewRevision("1", "First issue", upload, submit=True))
    db.session.commit()
    assert document_statuses(project)[number] == "submitted" and agree(project)
    overview = project_overview(project, TODAY)
    assert any("POL-01 rev 1" in step.detail for step in overview.next_steps)


def test_the_author_cannot_approve_and_a_second_approval_is_refused(people):
    project, author, approver = people["project"], people["author"], people["approver"]
    document = service.create_document(
        approver, project, DocumentFields(code="QP-01", title="Doc", doc_type="procedure", clauses=["4.3"])
    )
    upload = Upload("p.pdf", io.BytesIO(samples.pdf()))
    revision = service.add_revision(approver, document, NewRevision("A", "First issue", upload, submit=True))
    with pytest.raises(Refused):
        service.act(approver, document, revision, "approve")  # four eyes: the consultant uploaded it
    with pytest.raises(Refused):
        service.act(author, document, revision, "approve")  # a contributor does not approve
    owner = samples.scope_for(None, project)
    service.act(owner, document, revision, "approve")
    with pytest.raises(Conflict):
        service.act(owner, document, revision, "approve")


def test_bad_input_is_refused_per_field(people):
    project, author = people["project"], people["author"]
    service.create_document(
        author, project, DocumentFields(code="QP-01", title="Doc", doc_type="procedure", clauses=["4.3"])
    )
    bad = DocumentFields(code="qp-01", title="", doc_type="poem", clauses=["99.9"], review_months=61)
    with pytest.raises(Invalid) as refused:
        service.create_document(author, project, bad)
    assert set(refused.value.fields) == {"code", "title", "doc_type", "clauses", "review_months"}


def test_a_code_taken_between_the_check_and_the_insert_is_refused_not_a_500(people, monkeypatch):
    project, author = people["project"], people["author"]
    fields = DocumentFields(code="QP-01", title="Doc", doc_type="procedure", clauses=["4.3"])
    service.create_document(author, project, fields)
    monkeypatch.setattr(service, "_code_taken", lambda *args, **kwargs: False)  # the race: both passed it
    again = DocumentFields(code="QP-01", title="Same code", doc_type="procedure", clauses=["4.3"])
    with pytest.raises(Invalid) as refused:
        service.create_document(author, project, again)
    assert "already has the code QP-01" in refused.value.fields["code"]
    db.session.commit()  # the session is still usable: the first document stands
    assert [d.title for d in project_documents(project)] == ["Doc"]


def project_documents(project: Any) -> list[Any]:
    return list(db.session.query(ControlledDocument).filter_by(project_id=project.id))


def test_the_effective_date_is_not_before_approval_nor_over_a_year_after(people):
    project, author, approver = people["project"], people["author"], people["approver"]
    document = service.create_document(
        author, project, DocumentFields(code="QP-01", title="Doc", doc_type="procedure", clauses=["4.3"])
    )
    upload = Upload("p.pdf", io.BytesIO(samples.pdf()))
    revision = service.add_revision(author, document, NewRevision("A", "First issue", upload, submit=True))
    for bad in (TODAY - timedelta(days=1), TODAY + timedelta(days=367)):
        with pytest.raises(Invalid) as refused:
            service.act(approver, document, revision, "approve", effective_on=bad)
        assert "effective_on" in refused.value.fields and revision.state == "in_review"
    service.act(approver, document, revision, "approve", effective_on=TODAY + timedelta(days=30))
    assert (revision.state, revision.effective_on) == ("approved", TODAY + timedelta(days=30))
