"""Starter job roles and training topics per standard, so a project's training matrix starts from a
sensible shape instead of an empty page.

The starter is plain data: topics (each a named training with its clause, an optional refresher interval,
and whether it is for everyone or qualifies internal auditors) and roles (each naming the topics it
requires). :func:`to_add` says what is still missing from a project, by folded name, so adding the starter
twice adds nothing twice and never touches a role or topic the user already has. Documents of the register
are not part of the starter: the user links the procedures each role uses.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass

from app.domain.pathway import StandardFamily
from app.domain.staff_list import name_key
from app.domain.text import _l


@dataclass(frozen=True)
class StarterTopic:
    name: str
    clause_number: str | None = None
    refresher_months: int | None = None
    everyone: bool = False
    qualifies_auditor: bool = False


@dataclass(frozen=True)
class StarterRole:
    name: str
    topics: tuple[str, ...] = ()  # names of the topics it requires (besides those for everyone)


@dataclass(frozen=True)
class Starter:
    topics: tuple[StarterTopic, ...]
    roles: tuple[StarterRole, ...]

    @property
    def empty(self) -> bool:
        return not self.topics and not self.roles


# ISO 9001:2015

_AWARENESS_9001 = _l("Quality policy and objectives awareness")
_AUDITOR_9001 = _l("Internal auditor course (ISO 19011)")
_NONCONFORMING_9001 = _l("Nonconforming output: identify, label and segregate")
_TRACEABILITY_9001 = _l("Identification and traceability")
_PRESERVATION_9001 = _l("Handling, storage and preservation")
_MEASURING_9001 = _l("Measuring equipment: use and calibration status")
_RELEASE_9001 = _l("Inspection and release of products")
_RESPONSIBILITIES_9001 = _l("QMS roles, risks and management review")

ISO_9001 = Starter(
    topics=(
        StarterTopic(_AWARENESS_9001, "7.3", refresher_months=24, everyone=True),
        StarterTopic(_AUDITOR_9001, "9.2", qualifies_auditor=True),
        StarterTopic(_NONCONFORMING_9001, "8.7"),
        StarterTopic(_TRACEABILITY_9001, "8.5.2"),
        StarterTopic(_PRESERVATION_9001, "8.5.4"),
        StarterTopic(_MEASURING_9001, "7.1.5.1", refresher_months=24),
        StarterTopic(_RELEASE_9001, "8.6"),
        StarterTopic(_RESPONSIBILITIES_9001, "5.3"),
    ),
    roles=(
        StarterRole(_l("Production operator"), (_NONCONFORMING_9001, _TRACEABILITY_9001)),
        StarterRole(_l("QC inspector"), (_NONCONFORMING_9001, _MEASURING_9001, _RELEASE_9001)),
        StarterRole(_l("Warehouse"), (_TRACEABILITY_9001, _PRESERVATION_9001)),
        StarterRole(_l("Internal auditor"), (_AUDITOR_9001,)),
        StarterRole(_l("Management"), (_RESPONSIBILITIES_9001,)),
    ),
)

# ISO 13485:2016

_AWARENESS_13485 = _l("Quality policy, objectives and regulatory requirements awareness")
_AUDITOR_13485 = _l("Internal auditor course (ISO 13485 and ISO 19011)")
_COMPLAINTS_13485 = _l("Complaint handling and customer feedback")
_REPORTING_13485 = _l("Reporting to regulatory authorities (vigilance)")
_CONTAMINATION_13485 = _l("Cleanliness and contamination control")
_NONCONFORMING_13485 = _l("Control of nonconforming product")
_TRACEABILITY_13485 = _l("Identification and traceability of medical devices")
_PRESERVATION_13485 = _l("Preservation of product: handling, storage, distribution")
_INSPECTION_13485 = _l("Inspection, test and release of product")
_VALIDATION_13485 = _l("Validated processes: operating within validated parameters")
_RESPONSIBILITIES_13485 = _l("QMS responsibilities and management review")

ISO_13485 = Starter(
    topics=(
        StarterTopic(_AWARENESS_13485, "6.2", refresher_months=24, everyone=True),
        StarterTopic(_AUDITOR_13485, "8.2.4", qualifies_auditor=True),
        StarterTopic(_COMPLAINTS_13485, "8.2.2"),
        StarterTopic(_REPORTING_13485, "8.2.3"),
        StarterTopic(_CONTAMINATION_13485, "6.4.2", refresher_months=12),
        StarterTopic(_NONCONFORMING_13485, "8.3.1"),
        StarterTopic(_TRACEABILITY_13485, "7.5.8"),
        StarterTopic(_PRESERVATION_13485, "7.5.11"),
        StarterTopic(_INSPECTION_13485, "8.2.6"),
        StarterTopic(_VALIDATION_13485, "7.5.6"),
        StarterTopic(_RESPONSIBILITIES_13485, "5.5.1"),
    ),
    roles=(
        StarterRole(
            _l("Production operator"),
            (_CONTAMINATION_13485, _NONCONFORMING_13485, _TRACEABILITY_13485, _VALIDATION_13485),
        ),
        StarterRole(_l("QC inspector"), (_NONCONFORMING_13485, _INSPECTION_13485, _TRACEABILITY_13485)),
        StarterRole(_l("Warehouse"), (_CONTAMINATION_13485, _TRACEABILITY_13485, _PRESERVATION_13485)),
        StarterRole(_l("Customer service"), (_COMPLAINTS_13485,)),
        StarterRole(_l("Internal auditor"), (_AUDITOR_13485,)),
        StarterRole(_l("Management"), (_RESPONSIBILITIES_13485, _COMPLAINTS_13485, _REPORTING_13485)),
    ),
)

STARTERS = {StandardFamily.ISO_9001: ISO_9001, StandardFamily.ISO_13485: ISO_13485}


def starter_for(family: StandardFamily) -> Starter:
    return STARTERS[family]


def to_add(starter: Starter, topic_names: Iterable[str], role_names: Iterable[str]) -> Starter:
    """The part of ``starter`` a project does not have yet: topics and roles whose name (folded: case and
    spacing) it has no requirement or role of. A role already there is left as it is."""
    have_topics = {name_key(n) for n in topic_names}
    have_roles = {name_key(n) for n in role_names}
    return Starter(
        topics=tuple(t for t in starter.topics if not is_named(t.name, have_topics)),
        roles=tuple(r for r in starter.roles if not is_named(r.name, have_roles)),
    )


def is_named(name: str, keys: Container[str]) -> bool:
    """Whether a starter ``name`` is among the folded ``keys``, in English or in the reader's language."""
    return name_key(name) in keys or name_key(str(name)) in keys
