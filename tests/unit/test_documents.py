"""Document control rules: fields, the revision workflow with four eyes, review dates, the one rule that
says whether a requirement has its controlled document, and the register's suggestions."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import document_suggestions as suggest
from app.domain import documents as d
from app.domain.catalog import bundled_catalogs
from app.domain.documents import DocumentFact, RequirementStatus, RevisionState
from app.domain.permissions import FourEyes, four_eyes

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("code", "ok"),
    [("QP-04", True), ("WI-12", True), ("F-07.1", True), ("QM/01", True), ("", False), ("-QP", False),
     ("QP 04", False), ("X" * 31, False), ("QP-ü", False)],
)  # fmt: skip
def test_document_codes(code, ok):
    assert (d.code_error(d.normalise_code(code)) is None) is ok


def test_codes_are_compared_in_capitals():
    assert d.normalise_code("  qp-04 ") == "QP-04"


@pytest.mark.parametrize(("label", "ok"), [("A", True), ("2.1", True), ("", False), ("A B", False)])
def test_revision_labels(label, ok):
    assert (d.label_error(label) is None) is ok


@pytest.mark.parametrize(("labels", "expected"), [([], "A"), (["A"], "B"), (["1", "2"], "3"), (["Z"], "")])
def test_the_next_label_follows_the_last(labels, expected):
    assert d.next_label(labels) == expected


@pytest.mark.parametrize(
    ("months", "ok"), [(1, True), (12, True), (60, True), (0, False), (61, False), (None, False)]
)
def test_review_interval_is_1_to_60_months(months, ok):
    assert (d.review_months_error(months) is None) is ok


def test_retention_is_optional_but_bounded():
    assert d.retention_months_error(None) is None
    assert d.retention_months_error(120) is None
    assert d.retention_months_error(0) is not None


def test_review_due_adds_calendar_months():
    assert d.review_due(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert d.review_due(date(2026, 3, 10), 12) == date(2027, 3, 10)


def test_the_due_day_itself_is_not_overdue():
    assert not d.review_overdue(TODAY, TODAY)
    assert d.review_overdue(date(2026, 6, 14), TODAY)
    assert not d.review_overdue(None, TODAY)


# Workflow


def decide(
    action,
    role="consultant",
    state="in_review",
    status="active",
    actor=1,
    authors=(2,),
    members=3,
    comment="",
):
    return d.decide(action, role=role, state=state, document_status=status, actor_id=actor,
                    author_ids=authors, members=members, comment=comment)  # fmt: skip


def test_submit_then_approve():
    assert decide("submit", role="contributor", state="draft").state is RevisionState.IN_REVIEW
    decision = decide("approve")
    assert decision.state is RevisionState.APPROVED and not decision.self_approved


@pytest.mark.parametrize("role", ["owner", "consultant", "client_manager"])
def test_reviewer_roles_approve(role):
    assert decide("approve", role=role).state is RevisionState.APPROVED


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_other_roles_do_not_approve(role):
    decision = decide("approve", role=role)
    assert decision.state is None and decision.forbidden


def test_viewers_do_not_submit():
    decision = decide("submit", role="viewer", state="draft")
    assert decision.state is None and decision.forbidden


def test_four_eyes_refuses_the_author():
    decision = decide("approve", actor=2, authors=(2, None))
    assert decision.state is None and decision.forbidden and "someone else" in decision.message


def test_a_workspace_of_one_self_approves():
    decision = decide("approve", actor=2, authors=(2,), members=1)
    assert decision.state is RevisionState.APPROVED and decision.self_approved


def test_four_eyes_rule():
    assert four_eyes(1, [2, None], 5) is FourEyes.ALLOWED
    assert four_eyes(1, [1], 5) is FourEyes.REFUSED
    assert four_eyes(1, [2, 1], 1) is FourEyes.SELF_APPROVED
    assert four_eyes(None, [None], 5) is FourEyes.ALLOWED


@pytest.mark.parametrize("state", ["draft", "approved", "superseded"])
def test_only_a_revision_in_review_is_approved(state):
    decision = decide("approve", state=state)
    assert decision.state is None and not decision.forbidden
    assert "only a revision in review" in decision.message


def test_a_withdrawn_document_changes_no_more():
    assert decide("approve", status="obsolete").state is None
    assert d.may_upload("consultant", "obsolete") is not None
    assert d.may_upload("consultant", "active") is None
    assert d.may_upload("viewer", "active") is not None


def test_returning_needs_a_comment():
    assert decide("return").state is None
    assert decide("return", comment="Add the sampling plan.").state is RevisionState.DRAFT


def test_withdrawing_needs_a_reviewer_and_a_reason():
    assert d.may_withdraw("consultant", "active", "Replaced by QP-09") is None
    assert d.may_withdraw("consultant", "active", " ") == ("reason", "Say why the document is withdrawn.")
    assert d.may_withdraw("contributor", "active", "x") is not None
    assert d.may_withdraw("consultant", "obsolete", "x") is not None


def test_an_unknown_action_is_refused():
    assert decide("publish").state is None


# The one rule


def doc(*clauses, state="approved", due=date(2027, 1, 1), status="active"):
    return DocumentFact(frozenset(clauses), status, state, due)


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        ([], RequirementStatus.MISSING),
        ([doc("4.3", state=None, due=None)], RequirementStatus.DRAFT),
        ([doc("4.3", state="draft", due=None)], RequirementStatus.DRAFT),
        ([doc("4.3", state="in_review", due=None)], RequirementStatus.SUBMITTED),
        ([doc("4.3")], RequirementStatus.ACCEPTED),
        ([doc("4.3", due=TODAY)], RequirementStatus.ACCEPTED),  # due today: still current
        ([doc("4.3", due=date(2026, 6, 14))], RequirementStatus.EXPIRED),  # review overdue
        ([doc("4.3", status="obsolete")], RequirementStatus.MISSING),  # withdrawn counts for nothing
        ([doc("4.3", due=date(2026, 1, 1)), doc("4.3")], RequirementStatus.ACCEPTED),  # one current is enough
        (
            [doc("4.3", due=date(2026, 1, 1)), doc("4.3", state="in_review", due=None)],
            RequirementStatus.EXPIRED,
        ),
    ],
)
def test_document_status_of_a_requirement(documents, expected):
    assert d.document_status(documents, TODAY) is expected


def test_best_revision_state_prefers_approved_then_review_then_draft():
    # A superseded revision alone makes nothing current: the approved one does.
    assert d.best_revision_state(["superseded", "draft"]) == "draft"
    assert d.best_revision_state(["superseded", "approved", "in_review"]) == "approved"
    assert d.best_revision_state(["draft", "in_review"]) == "in_review"
    assert d.best_revision_state(["superseded"]) is None


def test_the_stage_rule_and_the_checklist_statuses_agree():
    documents = [
        doc("4.3"),
        doc("5.2.2", due=date(2026, 1, 1)),
        doc("6.2.1", state="in_review", due=None),
        doc("8.1", "8.5.1", status="obsolete"),
        doc("7.5.3.2", "8.1"),
    ]
    numbers = ["4.3", "5.2.2", "6.2.1", "7.5.3.2", "8.1", "8.5.1"]
    statuses = d.statuses_by_clause(numbers, documents, TODAY)
    controlled = d.controlled_numbers(numbers, documents, TODAY)
    assert controlled == {n for n, s in statuses.items() if s is RequirementStatus.ACCEPTED}
    assert controlled == {"4.3", "7.5.3.2", "8.1"}
    assert statuses["5.2.2"] is RequirementStatus.EXPIRED and statuses["8.5.1"] is RequirementStatus.MISSING


# Suggestions


def catalog_clauses(code):
    catalog = next(c for c in bundled_catalogs() if c.code == code)
    leaves = {c.number for c in catalog.leaves}
    return catalog, [
        suggest.SuggestionClause(c.number, c.title or c.label or c.number, c.documented_information,
                           c.documented_procedure, c.requirement, c.number in leaves)
        for c in catalog.clauses
    ]  # fmt: skip


@pytest.mark.parametrize("code", ["iso9001", "iso13485"])
def test_suggestions_cover_every_maintain_requirement_once_with_unique_codes(code):
    catalog, clauses = catalog_clauses(code)
    suggested = suggest.suggestions(code, clauses)
    covered = [n for s in suggested for n in s.clauses]
    assert len(covered) == len(set(covered))
    assert {c.number for c in catalog.mandatory_documents} <= set(covered)
    assert len({s.code for s in suggested}) == len(suggested)
    assert all(d.code_error(s.code) is None for s in suggested)


def test_iso13485_suggests_every_documented_procedure():
    catalog, clauses = catalog_clauses("iso13485")
    suggested = suggest.suggestions("iso13485", clauses)
    procedures = {c.number for c in catalog.leaves if c.documented_procedure}
    assert procedures <= {n for s in suggested for n in s.clauses}


def test_iso9001_starts_with_scope_policy_and_objectives():
    _, clauses = catalog_clauses("iso9001")
    first = suggest.suggestions("iso9001", clauses)[:3]
    assert [(s.code, s.clauses) for s in first] == [
        ("QM-01", ("4.3",)),
        ("POL-01", ("5.2.2",)),
        ("PL-01", ("6.2.1",)),
    ]


def test_proposals_mark_what_is_present_and_never_reuse_a_code():
    suggested = [
        suggest.Suggestion("QP-01", "Control of documents", d.DocumentType.PROCEDURE, ("7.5.3",)),
        suggest.Suggestion("QP-02", "Records", d.DocumentType.PROCEDURE, ("7.5.3.2",)),
    ]
    first = suggest.proposals(suggested, codes=["QP-01"], linked=[])
    assert [(p.present, p.code) for p in first] == [(False, "QP-02"), (False, "QP-03")]
    again = suggest.proposals(suggested, codes=["QP-01", "QP-02", "QP-03"], linked=["7.5.3", "7.5.3.2"])
    assert [p.present for p in again] == [True, True]


def test_effective_date_from_approval_to_a_year_after():
    assert d.effective_on_error(None, TODAY) is None
    assert d.effective_on_error(TODAY, TODAY) is None
    assert d.effective_on_error(date(2026, 6, 14), TODAY) is not None
    assert d.effective_on_error(date(2027, 6, 16), TODAY) is None  # 366 days
    assert d.effective_on_error(date(2027, 6, 17), TODAY) is not None
