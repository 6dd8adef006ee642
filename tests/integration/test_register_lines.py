"""The master list's lines as SQL reads them (document_register.register_page: one pass over the project's
revisions, statements built once per shape of filters) agree with what each document's own revisions say,
on every page, for every sort and filter; and a line's link is the one url_for builds."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.documents.words import row_url
from app.domain import documents as rules
from app.extensions import db
from app.models import ControlledDocument
from app.services import document_register as register
from bench import register_data
from tests.integration.document_support import add_document, add_revision

PER_PAGE = 7  # several pages for 42 documents, the last one short
STATES = rules.RevisionState


def expected_line(document: ControlledDocument, today: date) -> register.RegisterRow:
    """The line of one document, from its loaded revisions."""
    states = {revision.state for revision in document.revisions}
    current = next((r for r in document.revisions if r.state == STATES.APPROVED), None)
    waiting = [r for r in document.revisions if r.state in (STATES.DRAFT, STATES.IN_REVIEW)]
    pending = max(waiting, key=lambda r: r.id, default=None)
    return register.RegisterRow(
        id=document.id,
        code=document.code,
        title=document.title,
        doc_type=document.doc_type,
        owner=document.owner,
        status=register.row_status(
            document.status, current is not None, STATES.IN_REVIEW in states, document.review_due, today
        ),
        current_label=current.label if current else None,
        pending_label=pending.label if pending else None,
        pending_state=pending.state if pending else None,
        review_due=document.review_due,
        clauses=tuple(clause.number for clause in document.clauses),
    )


def passes(document: ControlledDocument, status: str, today: date) -> bool:
    """The status filter's meaning, said in Python."""
    states = {revision.state for revision in document.revisions}
    active = document.status == rules.DocumentStatus.ACTIVE
    approved, in_review = STATES.APPROVED in states, STATES.IN_REVIEW in states
    overdue = document.review_due is not None and document.review_due < today
    return {
        "approved": active and approved and not overdue,
        "overdue": active and approved and overdue,
        "in_review": active and in_review,
        "draft": active and not approved and not in_review,
        "obsolete": not active,
    }[status]


@pytest.fixture
def documents(make: Any, tree: dict[str, Any]) -> list[ControlledDocument]:
    """40 documents at every revision history (bench.register_data), one of them due for review today,
    one with no revision yet, one with a draft and a newer revision in review, and another project's
    register beside them."""
    user = make.user(tree["workspace"], role="owner")
    project = tree["project"]
    ids, _ = register_data.add_register(project.id, project.standard_id, user.id, 40)
    db.session.get(ControlledDocument, ids[1]).review_due = date.today()  # approved: due today, not overdue
    other = make.project(tree["site"])
    register_data.add_register(other.id, other.standard_id, user.id, 20)
    add_document(project, "NEW-01", ("7.5.1", "7.1.6"))
    two = add_document(project, "TWO-01")
    add_revision(project, two, "A")
    add_revision(project, two, "B", submit=True)
    db.session.commit()
    db.session.expire_all()
    return list(
        db.session.execute(
            select(ControlledDocument)
            .where(ControlledDocument.project_id == project.id)
            .options(selectinload(ControlledDocument.revisions), selectinload(ControlledDocument.clauses))
        ).scalars()
    )


def every_line(project_id: int, filters: register.RegisterFilters, today: date) -> list[register.RegisterRow]:
    lines: list[register.RegisterRow] = []
    number = 1
    while True:
        rows, total = register.register_page(project_id, filters, number, PER_PAGE, today)
        assert len(rows) == min(PER_PAGE, max(0, total - len(lines)))
        if not rows:
            return lines
        lines += rows
        number += 1


@pytest.mark.parametrize("sort", list(register.SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_page_of_every_sort_shows_each_document_as_its_revisions_say(documents, sort, descending):
    today = date.today()
    project_id = documents[0].project_id
    order = [c.desc() if descending else c for c in register.SORTS[sort]]
    in_order = db.session.execute(
        select(ControlledDocument.id)
        .where(ControlledDocument.project_id == project_id)
        .order_by(*order, ControlledDocument.id)
    ).scalars()
    lines = every_line(project_id, register.RegisterFilters(sort=sort, descending=descending), today)
    by_id = {document.id: document for document in documents}
    assert [line.id for line in lines] == list(in_order)
    assert lines == [expected_line(by_id[line.id], today) for line in lines]
    assert {line.status for line in lines} == set(register.STATUS_FILTERS)


@pytest.mark.parametrize("status", register.STATUS_FILTERS)
def test_a_status_filter_keeps_the_documents_it_names_and_counts_them(documents, status):
    today = date.today()
    project_id = documents[0].project_id
    lines = every_line(project_id, register.RegisterFilters(status=status, sort="review"), today)
    wanted = {document.id for document in documents if passes(document, status, today)}
    assert wanted and {line.id for line in lines} == wanted
    _, total = register.register_page(project_id, register.RegisterFilters(status=status), 1, 1, today)
    assert total == len(wanted)


def test_type_and_requirement_filters_combine_with_a_status(documents):
    today = date.today()
    project_id = documents[0].project_id
    procedures = {d.id for d in documents if d.doc_type == rules.DocumentType.PROCEDURE}
    filters = register.RegisterFilters(doc_type=rules.DocumentType.PROCEDURE)
    assert {line.id for line in every_line(project_id, filters, today)} == procedures
    number = documents[0].clauses[0].number
    linked = {d.id for d in documents if number in {c.number for c in d.clauses}}
    filters = register.RegisterFilters(clause=number)
    assert {line.id for line in every_line(project_id, filters, today)} == linked
    drafts = {d.id for d in documents if d.id in linked and passes(d, "draft", today)}
    filters = register.RegisterFilters(clause=number, status="draft", sort="title", descending=True)
    assert {line.id for line in every_line(project_id, filters, today)} == drafts


@pytest.mark.parametrize(
    "endpoint, key, values, value",
    [
        ("project.documents.show", "document_id", {}, 7),
        ("project.documents.show", "document_id", {}, 123456),
        ("project.gap.requirement", "clause", {}, "7.5.3.1"),
        ("project.gap.requirement", "clause", {}, "a b/ü?x#y%"),
        ("project.documents.download", "revision_id", {"document_id": 5, "inline": 1}, 9),
    ],
)
def test_a_line_url_is_the_one_url_for_builds(app, endpoint, key, values, value):
    with app.test_request_context():
        line_url = row_url(endpoint, key, project_id=12, **values)
        assert line_url(value) == url_for(endpoint, project_id=12, **values, **{key: value})
