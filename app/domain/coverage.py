"""Evidence coverage and the documented-information checklist: what a project can show an auditor.

Current evidence
----------------
An evidence item is *current* on a given day when all three hold:

- its review state is ``accepted`` (draft, submitted and rejected items prove nothing yet);
- it is not deleted (a soft-deleted item counts for nothing until it is restored);
- it has no valid-until date, or that date is today or later (a certificate valid until 31 May
  still counts on 31 May and stops counting on 1 June).

Only evidence attached to a clause counts towards that clause; evidence attached to a task alone
counts towards no clause.

Coverage
--------
Coverage uses the requirements of readiness (the leaf clauses a project assesses)::

    coverage % = round_half_up(100 x covered / applicable)

- ``applicable`` is every requirement except those whose gap-analysis status is not_applicable.
- ``covered`` is the number of applicable requirements with at least one current evidence item.
  A requirement with several current items counts once; current evidence on a not-applicable
  requirement counts for nothing.
- Coverage is independent of the gap-analysis verdict: a requirement rated met but without current
  evidence is not covered, and one not yet assessed but with accepted evidence is.
- Overall coverage pools every requirement (not the mean of the sections); section coverage applies
  the same formula to the requirements of one section. Coverage is None (shown as a dash) when no
  requirement is applicable. Rounding is half up in Decimal, as for readiness.

Example: 4 requirements, one of them not applicable, and 2 of the other 3 with an accepted,
unexpired item give 2 / 3 = 66.67 %, shown as 67 %.

The documented-information checklist
------------------------------------
Each requirement whose catalog entry says its documented information must be maintained (a
controlled document), retained (a record), or both, is one line of the checklist, whatever its kind.
A line is ``not_applicable`` when the requirement's gap-analysis status is not_applicable. Otherwise:

- its *document* status (``maintain`` and ``both``) comes from the document register, by the one rule
  of :func:`app.domain.documents.document_status`, which the Documentation stage uses too: evidence
  items do not make a controlled document;
- its *record* status (``retain`` and ``both``) comes from the clause's evidence, the first rule that
  applies:

  1. ``accepted``: at least one current evidence item is attached to the clause.
  2. ``expired``: accepted, not deleted evidence is attached, but every such item is past its
     valid-until date. This wins over a renewal still in draft or submitted: until the renewal is
     accepted, the auditor finds the record out of date.
  3. ``submitted``: at least one not deleted item is awaiting review.
  4. ``draft``: at least one not deleted item is still a draft.
  5. ``missing``: nothing else; no evidence, or only deleted or rejected evidence.

- a ``both`` line is accepted when both parts are; otherwise it shows the part that is not, the
  document's first when neither is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.domain.catalog import clause_sort_key
from app.domain.evidence_rules import STATE_LABELS
from app.domain.readiness import ClauseAssessment, ClauseStatus, percent, section_of
from app.domain.text import _l

ACCEPTED = "accepted"
DOCUMENT_VALUES = frozenset({"maintain", "both"})
RECORD_VALUES = frozenset({"retain", "both"})


class ChecklistStatus(StrEnum):
    MISSING = "missing"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    NOT_APPLICABLE = "not_applicable"


# An item's shown state (:func:`shown_state`): its review state, or expired.
SHOWN_STATE_LABELS: dict[str, str] = {**STATE_LABELS, ChecklistStatus.EXPIRED: _l("Expired")}
# The checklist's statuses in the order the page counts them; shared states keep the same words.
CHECKLIST_LABELS: dict[str, str] = {
    ChecklistStatus.MISSING: _l("Missing"),
    **{
        status: SHOWN_STATE_LABELS[status]
        for status in (
            ChecklistStatus.DRAFT,
            ChecklistStatus.SUBMITTED,
            ChecklistStatus.ACCEPTED,
            ChecklistStatus.EXPIRED,
        )
    },
    ChecklistStatus.NOT_APPLICABLE: _l("Not applicable"),
}


@dataclass(frozen=True)
class EvidenceFact:
    """What the rules need from one evidence item."""

    clause_number: str | None
    review_state: str
    valid_until: date | None = None
    deleted: bool = False


@dataclass(frozen=True)
class Coverage:
    """Requirements with current evidence out of the applicable ones; ``percent`` per the module."""

    covered: int = 0
    applicable: int = 0

    @property
    def percent(self) -> int | None:
        return percent(Decimal(self.covered), Decimal(self.applicable))


@dataclass(frozen=True)
class CoverageResult:
    overall: Coverage
    by_section: dict[str, Coverage]  # sections with at least one requirement, in numeric order
    covered: frozenset[str]  # numbers of the applicable requirements that have current evidence

    @property
    def percent(self) -> int | None:
        return self.overall.percent


def is_expired(valid_until: date | None, today: date) -> bool:
    """Past its valid-until date: the date itself is the last valid day (module docstring)."""
    return valid_until is not None and valid_until < today


def is_current(item: EvidenceFact, today: date) -> bool:
    """Accepted, not deleted, and not past its valid-until date (module docstring).

    The one rule for current evidence; ``app.services.coverage.current_evidence`` is its SQL form,
    and a test checks the two agree.
    """
    return item.review_state == ACCEPTED and not item.deleted and not is_expired(item.valid_until, today)


def shown_state(item: EvidenceFact, today: date) -> str:
    """The state to show beside an item: its review state, or ``expired`` for an accepted item
    past its valid-until date."""
    if item.review_state == ACCEPTED and not item.deleted and is_expired(item.valid_until, today):
        return ChecklistStatus.EXPIRED.value
    return item.review_state


@dataclass(frozen=True)
class EvidenceTally:
    """The not deleted evidence of one clause, by shown state (rejected items are not counted)."""

    current: int = 0
    expired: int = 0
    submitted: int = 0
    draft: int = 0

    @property
    def total(self) -> int:
        return self.current + self.expired + self.submitted + self.draft


def tally_by_clause(items: Iterable[EvidenceFact], today: date) -> dict[str, EvidenceTally]:
    """Per clause number, how many items are current, expired, awaiting review or drafts."""
    counts: dict[str, Counter[str]] = {}
    for item in items:
        if item.clause_number and not item.deleted:
            counts.setdefault(item.clause_number, Counter())[shown_state(item, today)] += 1
    return {
        number: EvidenceTally(
            current=c[ACCEPTED],
            expired=c[ChecklistStatus.EXPIRED.value],
            submitted=c["submitted"],
            draft=c["draft"],
        )
        for number, c in counts.items()
    }


def covered_numbers(items: Iterable[EvidenceFact], today: date) -> frozenset[str]:
    """Clause numbers that have at least one current evidence item."""
    return frozenset(i.clause_number for i in items if i.clause_number and is_current(i, today))


def _count(assessments: Iterable[ClauseAssessment], covered: Set[str]) -> Coverage:
    applicable = [a.number for a in assessments if a.status is not ClauseStatus.NOT_APPLICABLE]
    return Coverage(covered=sum(1 for n in applicable if n in covered), applicable=len(applicable))


def coverage_of(assessments: Iterable[ClauseAssessment], covered: Set[str]) -> CoverageResult:
    """Overall and per-section coverage of the requirements given, ``covered`` naming those with
    current evidence (from :func:`covered_numbers`, or counted by a query applying the same rule)."""
    grouped: dict[str, list[ClauseAssessment]] = {}
    for assessment in assessments:
        grouped.setdefault(section_of(assessment.number), []).append(assessment)
    every = [a for group in grouped.values() for a in group]
    applicable = {a.number for a in every if a.status is not ClauseStatus.NOT_APPLICABLE}
    return CoverageResult(
        overall=_count(every, covered),
        by_section={s: _count(grouped[s], covered) for s in sorted(grouped, key=clause_sort_key)},
        covered=frozenset(applicable & covered),
    )


def checklist_status(applicable: bool, items: Iterable[EvidenceFact], today: date) -> ChecklistStatus:
    """The checklist status of one mandatory item from its clause's evidence (module docstring)."""
    if not applicable:
        return ChecklistStatus.NOT_APPLICABLE
    live = [item for item in items if not item.deleted]
    states = {item.review_state for item in live}
    if any(is_current(item, today) for item in live):
        return ChecklistStatus.ACCEPTED
    if ACCEPTED in states:
        return ChecklistStatus.EXPIRED
    if "submitted" in states:
        return ChecklistStatus.SUBMITTED
    if "draft" in states:
        return ChecklistStatus.DRAFT
    return ChecklistStatus.MISSING


@dataclass(frozen=True)
class MandatoryClause:
    """A requirement as the checklist sees it: its catalog entry and its gap-analysis status."""

    number: str
    title: str
    documented_information: str
    di_note: str = ""
    status: ClauseStatus = ClauseStatus.NOT_ASSESSED
    title_is_label: bool = False  # the standard gives the paragraph no title: ``title`` is the app's label


@dataclass(frozen=True)
class ChecklistLine:
    clause: MandatoryClause
    status: ChecklistStatus
    document_status: ChecklistStatus | None = None  # from the register, for "maintain" and "both"
    record_status: ChecklistStatus | None = None  # from the evidence, for "retain" and "both"

    @property
    def document(self) -> bool:
        """A controlled document must be maintained ("maintain" or "both")."""
        return self.clause.documented_information in DOCUMENT_VALUES

    @property
    def record(self) -> bool:
        """Records must be retained ("retain" or "both")."""
        return self.clause.documented_information in RECORD_VALUES


def is_mandatory(documented_information: str) -> bool:
    return documented_information in DOCUMENT_VALUES | RECORD_VALUES


def combined_status(document: ChecklistStatus | None, record: ChecklistStatus | None) -> ChecklistStatus:
    """A line's status from its parts (module docstring): accepted when every part is, otherwise the
    first part, document before record, that is not."""
    parts = [part for part in (document, record) if part is not None]
    return next((part for part in parts if part is not ChecklistStatus.ACCEPTED), ChecklistStatus.ACCEPTED)


def documented_information_checklist(
    clauses: Iterable[MandatoryClause],
    evidence: Mapping[str, Iterable[EvidenceFact]],
    documents: Mapping[str, str],
    today: date,
    register_records: Mapping[str, int] | None = None,
) -> list[ChecklistLine]:
    """One line per requirement with mandatory documented information, in the order given.

    ``evidence`` maps a clause number to the evidence items attached to it, ``documents`` a clause
    number to its document status from the register (:func:`app.domain.documents.statuses_by_clause`;
    a number it lacks is missing), ``register_records`` a clause number to the records the running
    registers that evidence it hold (:mod:`app.domain.registers`): a register that holds records is the
    retained records the clause asks for.
    """
    kept = register_records or {}
    lines = []
    for clause in clauses:
        if not is_mandatory(clause.documented_information):
            continue
        if clause.status is ClauseStatus.NOT_APPLICABLE:
            na = ChecklistStatus.NOT_APPLICABLE
            lines.append(ChecklistLine(clause, na))
            continue
        document = record = None
        if clause.documented_information in DOCUMENT_VALUES:
            document = ChecklistStatus(documents.get(clause.number, ChecklistStatus.MISSING))
        if clause.documented_information in RECORD_VALUES:
            record = checklist_status(True, evidence.get(clause.number, ()), today)
            if kept.get(clause.number, 0) > 0:
                record = ChecklistStatus.ACCEPTED
        lines.append(ChecklistLine(clause, combined_status(document, record), document, record))
    return lines


def checklist_counts(lines: Iterable[ChecklistLine]) -> dict[ChecklistStatus, int]:
    """How many lines have each status, every status present (0 when none)."""
    counts = dict.fromkeys(ChecklistStatus, 0)
    for line in lines:
        counts[line.status] += 1
    return counts
