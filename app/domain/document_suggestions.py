"""Starting a project's register from the catalog: the documents the standard asks to maintain, each with a
code, a title and the requirements it meets, and which of them the register already holds.

Every requirement marked ``maintain`` or ``both`` is proposed (the core documents first: scope or quality
manual, policy, objectives) and, for ISO 13485, every requirement that asks for a documented procedure. A
proposal is *present* when every clause it covers is linked to a document of the register that is not
withdrawn, so running the suggestions again never adds a document twice, whatever its code became.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.documents import CODE_PREFIXES, TITLE_MAX_LENGTH, DocumentType, normalise_code
from app.domain.text import _l


@dataclass(frozen=True)
class SuggestionClause:
    """What the suggestions need from a catalog clause."""

    number: str
    name: str  # its title, or the app's label where the standard gives none
    documented_information: str
    documented_procedure: bool = False
    requirement: bool = True
    leaf: bool = True


@dataclass(frozen=True)
class Suggestion:
    code: str
    title: str
    doc_type: DocumentType
    clauses: tuple[str, ...]


# Documents every register starts with, by the clause that asks for them: (clause, type, title).
_CORE: Mapping[str, tuple[tuple[str, DocumentType, str], ...]] = {
    "iso9001": (
        ("4.3", DocumentType.QUALITY_MANUAL, _l("Scope of the quality management system")),
        ("5.2.2", DocumentType.POLICY, _l("Quality policy")),
        ("6.2.1", DocumentType.PLAN, _l("Quality objectives and plans to achieve them")),
    ),
    "iso13485": (
        ("4.2.2", DocumentType.QUALITY_MANUAL, _l("Quality manual")),
        ("5.3", DocumentType.POLICY, _l("Quality policy")),
        ("5.4.1", DocumentType.PLAN, _l("Quality objectives")),
    ),
}


def _type_for(clause: SuggestionClause) -> DocumentType:
    if clause.documented_procedure:
        return DocumentType.PROCEDURE
    name = clause.name.lower()
    if "plan" in name:
        return DocumentType.PLAN
    if any(word in name for word in ("specification", "requirements for", "characteristics")):
        return DocumentType.SPECIFICATION
    return DocumentType.PROCEDURE


def suggestions(family: str, clauses: Sequence[SuggestionClause]) -> list[Suggestion]:
    """The documents the standard asks a project to maintain, each with a code, a title and its clauses.

    Every requirement marked ``maintain`` or ``both`` gets one (the core documents first: scope or quality
    manual, policy, objectives), and for ISO 13485 every requirement that asks for a documented procedure.
    Codes are numbered per type in catalog order, so the same catalog always gives the same list.
    """
    wanted = [
        c
        for c in clauses
        if c.requirement
        and c.leaf
        and (
            c.documented_information in ("maintain", "both")
            or (family == "iso13485" and c.documented_procedure)
        )
    ]
    by_number = {c.number: c for c in wanted}
    counters: dict[DocumentType, int] = {}
    out: list[Suggestion] = []

    def add(doc_type: DocumentType, title: str, number: str) -> None:
        counters[doc_type] = counters.get(doc_type, 0) + 1
        code = f"{CODE_PREFIXES[doc_type]}-{counters[doc_type]:02d}"
        out.append(
            Suggestion(
                code,
                title if len(title) <= TITLE_MAX_LENGTH else title[:TITLE_MAX_LENGTH],
                doc_type,
                (number,),
            )
        )

    core_numbers = set()
    for number, doc_type, title in _CORE.get(family, ()):
        if number in by_number:
            core_numbers.add(number)
            add(doc_type, title, number)
    for clause in wanted:
        if clause.number not in core_numbers:
            add(_type_for(clause), clause.name, clause.number)
    return out


@dataclass(frozen=True)
class Proposal:
    """A suggestion as the page offers it: already in the register, or to add under a free code."""

    suggestion: Suggestion
    present: bool
    code: str  # the suggestion's code, or the next free one of its prefix when another document has it


def proposals(suggested: Sequence[Suggestion], codes: Iterable[str], linked: Iterable[str]) -> list[Proposal]:
    """Mark each suggestion already present when every clause it covers is linked to a document of the
    register that is not withdrawn (``linked``); give the others a code no document uses (``codes``).

    Running the suggestions again therefore never proposes a document twice, whatever its code became.
    """
    taken, covered = {normalise_code(c) for c in codes}, set(linked)
    out = []
    for suggestion in suggested:
        if set(suggestion.clauses) <= covered:
            out.append(Proposal(suggestion, True, suggestion.code))
            continue
        code = suggestion.code
        if code in taken:
            prefix = CODE_PREFIXES[suggestion.doc_type]
            code = next(f"{prefix}-{n:02d}" for n in range(1, 10_000) if f"{prefix}-{n:02d}" not in taken)
        taken.add(code)
        out.append(Proposal(suggestion, False, code))
    return out
