"""The running registers and what each evidences: the clauses of each standard it answers, which standard it
belongs to, and how its state reads ("12 instruments, 2 overdue").

The gap analysis, the documented-information checklist, the management review and the next steps all read
this table; each register's own rules (due, overdue, residual risk, supplier status) live in its own module
(:mod:`app.domain.context`, :mod:`app.domain.risks`, :mod:`app.domain.calibration`,
:mod:`app.domain.suppliers`, :mod:`app.domain.complaints`, :mod:`app.domain.satisfaction`,
:mod:`app.domain.risk_files`, :mod:`app.domain.software`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.pathway import StandardFamily
from app.domain.text import _, _l, ngettext


class RegisterKey(StrEnum):
    CONTEXT = "context"
    RISKS = "risks"
    EQUIPMENT = "equipment"
    SUPPLIERS = "suppliers"
    COMPLAINTS = "complaints"
    SATISFACTION = "satisfaction"
    RISK_FILES = "risk_files"
    SOFTWARE = "software"


class RecordKind(StrEnum):
    """The kinds of register record that carry a history and linked evidence."""

    CONTEXT_ISSUE = "context_issue"
    INTERESTED_PARTY = "interested_party"
    RISK = "risk"
    INSTRUMENT = "instrument"
    SUPPLIER = "supplier"
    COMPLAINT = "complaint"
    SATISFACTION_MEASURE = "satisfaction_measure"
    RISK_FILE = "risk_file"
    SOFTWARE = "software"


@dataclass(frozen=True)
class Register:
    key: RegisterKey
    title: str
    records_counted: Callable[[int], str]  # its records counted: "1 instrument", "12 instruments"
    summary: str  # one line of guidance from the clause
    clauses: dict[StandardFamily, tuple[str, ...]]  # the requirements it evidences, per standard
    records: tuple[RecordKind, ...]  # its kinds of record

    def applies_to(self, family: StandardFamily) -> bool:
        return bool(self.clauses.get(family))

    def clauses_for(self, family: StandardFamily) -> tuple[str, ...]:
        return self.clauses.get(family, ())


NINE = StandardFamily.ISO_9001
MED = StandardFamily.ISO_13485

REGISTERS: tuple[Register, ...] = (
    Register(
        RegisterKey.CONTEXT,
        _l("Context and interested parties"),
        lambda n: ngettext("%(num)d issue", "%(num)d issues", n),
        _l(
            "The internal and external issues that bear on the QMS, the climate-change decision, and the "
            "interested parties with their relevant requirements, reviewed."
        ),
        {NINE: ("4.1", "4.2")},
        (RecordKind.CONTEXT_ISSUE, RecordKind.INTERESTED_PARTY),
    ),
    Register(
        RegisterKey.RISKS,
        _l("Risks and opportunities"),
        lambda n: ngettext("%(num)d risk or opportunity", "%(num)d risks and opportunities", n),
        _l("Risks and opportunities from the context, scored, with actions whose effectiveness is reviewed."),
        {NINE: ("6.1", "6.1.1", "6.1.2")},
        (RecordKind.RISK,),
    ),
    Register(
        RegisterKey.EQUIPMENT,
        _l("Measuring equipment and calibration"),
        lambda n: ngettext("%(num)d instrument", "%(num)d instruments", n),
        _l(
            "Every instrument whose results are relied on, calibrated at intervals against traceable "
            "standards; "
            "earlier results assessed when one is found out of calibration."
        ),
        {NINE: ("7.1.5", "7.1.5.1", "7.1.5.2"), MED: ("7.6",)},
        (RecordKind.INSTRUMENT,),
    ),
    Register(
        RegisterKey.SUPPLIERS,
        _l("Approved suppliers"),
        lambda n: ngettext("%(num)d supplier", "%(num)d suppliers", n),
        _l(
            "External providers selected and re-evaluated against criteria, with controls proportionate "
            "to risk."
        ),
        {NINE: ("8.4", "8.4.1", "8.4.2", "8.4.3"), MED: ("7.4", "7.4.1", "7.4.2", "7.4.3")},
        (RecordKind.SUPPLIER,),
    ),
    Register(
        RegisterKey.COMPLAINTS,
        _l("Customer complaints"),
        lambda n: ngettext("%(num)d complaint", "%(num)d complaints", n),
        _l(
            "Complaints from receipt through investigation to closure, with a corrective action where one is "
            "raised (and, for medical devices, the regulatory reportability decision)."
        ),
        {NINE: ("8.2.1", "9.1.2", "10.2"), MED: ("8.2.1", "8.2.2", "8.2.3")},
        (RecordKind.COMPLAINT,),
    ),
    Register(
        RegisterKey.SATISFACTION,
        _l("Customer satisfaction"),
        lambda n: ngettext("%(num)d measure", "%(num)d measures", n),
        _l(
            "How customers' perception is monitored (surveys, returns, on-time delivery), as values "
            "over time."
        ),
        {NINE: ("9.1.2",), MED: ("8.2.1",)},
        (RecordKind.SATISFACTION_MEASURE,),
    ),
    Register(
        RegisterKey.RISK_FILES,
        _l("Risk-management files"),
        lambda n: ngettext("%(num)d device family", "%(num)d device families", n),
        _l(
            "One risk-management file per device family: hazards, risk controls and residual risk "
            "(ISO 14971)."
        ),
        {MED: ("7.1",)},
        (RecordKind.RISK_FILE,),
    ),
    Register(
        RegisterKey.SOFTWARE,
        _l("QMS software validation"),
        lambda n: ngettext("%(num)d application", "%(num)d applications", n),
        _l("Every piece of software used in the QMS, its intended use and risk, and its validation record."),
        {MED: ("4.1", "7.5.6", "7.6")},
        (RecordKind.SOFTWARE,),
    ),
)

BY_KEY: dict[RegisterKey, Register] = {register.key: register for register in REGISTERS}
OWNER_OF: dict[RecordKind, Register] = {kind: r for r in REGISTERS for kind in r.records}
ISO_14971_REFERENCE = "ISO 14971:2019 Medical devices — Application of risk management to medical devices"


def registers_for(family: StandardFamily) -> list[Register]:
    """The registers of a standard, in the order the pages list them."""
    return [register for register in REGISTERS if register.applies_to(family)]


def registers_for_clause(family: StandardFamily, number: str) -> list[Register]:
    """The registers that evidence one requirement of a standard."""
    return [register for register in registers_for(family) if number in register.clauses_for(family)]


@dataclass(frozen=True)
class Concern:
    """A count of records needing attention: (2, "overdue")."""

    count: int
    label: str
    urgent: bool = True  # shown as a problem, not only as information
    # What to do about it, as a next step ("Calibrate the 2 overdue instruments (7.1.5.1)"); none: no step.
    action: str = ""
    # The register list's filter that shows these records, as query-string pairs (("status", "overdue"),).
    query: tuple[tuple[str, str], ...] = ()
    # Shown with its count ("2 overdue"), or, for a concern that is a fact rather than a number of records
    # ("no risk-management file", "climate decision not recorded"), its label alone.
    counted: bool = True

    @property
    def text(self) -> str:
        return _("%(count)d %(label)s", count=self.count, label=self.label) if self.counted else self.label


@dataclass(frozen=True)
class RegisterState:
    """What a register holds: its record count and the counts that need attention."""

    key: RegisterKey
    count: int
    concerns: tuple[Concern, ...] = field(default=())

    @property
    def register(self) -> Register:
        return BY_KEY[self.key]

    @property
    def empty(self) -> bool:
        return self.count == 0

    @property
    def has_problems(self) -> bool:
        return any(concern.urgent and concern.count for concern in self.concerns)

    @property
    def text(self) -> str:
        """ "12 instruments, 2 overdue" (only the non-zero concerns)."""
        parts = [self.register.records_counted(self.count)]
        parts += [concern.text for concern in self.concerns if concern.count]
        return ", ".join(parts)


def state(key: RegisterKey, count: int, concerns: Iterable[tuple[int, str] | Concern] = ()) -> RegisterState:
    """A register's state from its count and (count, label) concerns."""
    made = tuple(c if isinstance(c, Concern) else Concern(c[0], c[1]) for c in concerns)
    return RegisterState(key, count, made)


def states_for_clause(
    family: StandardFamily, number: str, states: Sequence[RegisterState]
) -> list[RegisterState]:
    """The states of the registers that evidence one requirement."""
    wanted = {register.key for register in registers_for_clause(family, number)}
    return [s for s in states if s.key in wanted]
