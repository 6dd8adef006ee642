"""The internal audit programme: audits, scope and team, independence, checklists, and the stage's criteria.

An audit is planned with dates, the clauses in scope (a section such as ``8`` or any clause under it), the
departments it visits, a lead auditor and a team from the site's staff list. It moves
planned -> in progress -> reported -> closed. Its checklist has one line per applicable requirement in scope,
each answered conforming, minor, major or observation; it is reported once every line is answered, and each
nonconforming line then becomes a finding of the nonconformity register.

**Independence** (ISO 9001 9.2.2 c, ISO 13485 8.2.4): an auditor does not audit their own department.
The plan is refused, except at a small site (``SMALL_SITE_EMPLOYEES`` or fewer) where nobody else can audit:
there it is flagged and the reason recorded. An auditor without a passed internal-auditor training is flagged.

**The Internal audit stage** is done when every applicable section was audited in a reported audit of the
current cycle (the last ``AUDIT_CYCLE_MONTHS``), by qualified and independent auditors (or, at a small site,
with the reason recorded), and no major finding of an internal audit is still open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from app.domain.nonconformities import is_sentence
from app.domain.pathway import Criterion, describe_list
from app.domain.pathway import check_criterion as check
from app.domain.text import _, _l, grouped, ngettext

AUDIT_CYCLE_MONTHS = 12
# At or below this head count one person may audit their own department, with the reason recorded.
SMALL_SITE_EMPLOYEES = 15


class AuditStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    CLOSED = "closed"


STATUS_LABELS: Mapping[AuditStatus, str] = {
    AuditStatus.PLANNED: _l("Planned"),
    AuditStatus.IN_PROGRESS: _l("In progress"),
    AuditStatus.REPORTED: _l("Reported"),
    AuditStatus.CLOSED: _l("Closed"),
}
DONE_STATUSES = frozenset({AuditStatus.REPORTED, AuditStatus.CLOSED})


class LineResult(StrEnum):
    NOT_CHECKED = "not_checked"
    CONFORMING = "conforming"
    MINOR = "minor"
    MAJOR = "major"
    OBSERVATION = "observation"


RESULT_LABELS: Mapping[LineResult, str] = {
    LineResult.NOT_CHECKED: _l("Not checked yet"),
    LineResult.CONFORMING: _l("Conforming"),
    LineResult.MINOR: _l("Minor nonconformity"),
    LineResult.MAJOR: _l("Major nonconformity"),
    LineResult.OBSERVATION: _l("Observation / opportunity for improvement"),
}
NONCONFORMING = frozenset({LineResult.MINOR, LineResult.MAJOR, LineResult.OBSERVATION})


def section_of(number: str) -> str:
    return number.split(".", 1)[0]


def in_scope(number: str, scope: Iterable[str]) -> bool:
    """Whether clause ``number`` is one of the scope's clauses or lies under one ("8" covers "8.5.2")."""
    return any(number == item or number.startswith(f"{item}.") for item in scope)


def sections_of(scope: Iterable[str]) -> frozenset[str]:
    return frozenset(section_of(number) for number in scope)


def fold(name: str) -> str:
    return " ".join(name.casefold().split())


def departments_of(text: str) -> tuple[str, ...]:
    """The departments an audit visits, from "Production, Warehouse; QC" (commas, semicolons or lines)."""
    parts = (part.strip() for chunk in text.splitlines() for part in chunk.replace(";", ",").split(","))
    seen: dict[str, str] = {}
    for part in parts:
        if part and fold(part) not in seen:
            seen[fold(part)] = part
    return tuple(seen.values())


@dataclass(frozen=True)
class Auditor:
    person_id: int
    name: str
    department: str
    qualified: bool  # a passed internal-auditor training (``training.qualified_auditors``)


def independence_conflicts(auditors: Sequence[Auditor], departments: Iterable[str]) -> list[Auditor]:
    """The auditors who work in a department the audit visits."""
    visited = {fold(name) for name in departments}
    return [a for a in auditors if a.department.strip() and fold(a.department) in visited]


def is_small_site(employees: int) -> bool:
    return employees <= SMALL_SITE_EMPLOYEES


def independence_errors(
    auditors: Sequence[Auditor], departments: Iterable[str], employees: int, reason: str
) -> dict[str, str]:
    """Refuse an auditor of their own department; at a small site, ask for the reason instead."""
    conflicts = independence_conflicts(auditors, departments)
    if not conflicts:
        return {}
    names = "; ".join(
        _("%(name)s works in %(department)s", name=a.name, department=a.department) for a in conflicts
    )
    if not is_small_site(employees):
        return {
            "team": _(
                "An auditor may not audit their own department: %(names)s. Choose an auditor from another "
                "department (allowed only at a site of %(limit)d people or fewer).",
                names=names,
                limit=SMALL_SITE_EMPLOYEES,
            )
        }
    if not is_sentence(reason):
        return {
            "independence_reason": _(
                "%(names)s, and this audit visits that department. At a site this small it is allowed: "
                "record why nobody independent can audit it, in a real sentence.",
                names=names,
            )
        }
    return {}


def unqualified(auditors: Sequence[Auditor]) -> list[Auditor]:
    return [a for a in auditors if not a.qualified]


def scope_errors(scope: Sequence[str], known: Iterable[str], standard: str) -> dict[str, str]:
    """Every scope clause must be in the project's standard; an empty scope audits nothing."""
    if not scope:
        return {"scope": _("Choose the clauses (or whole sections) the audit covers.")}
    catalog = set(known)
    strangers = [number for number in scope if number not in catalog]
    if strangers:
        return {
            "scope": _(
                "%(standard)s has no clause %(clauses)s.", standard=standard, clauses=describe_list(strangers)
            )
        }
    return {}


def date_errors(start: date | None, end: date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if start is None:
        errors["planned_start"] = _("Give the day the audit starts.")
    if end is None:
        errors["planned_end"] = _("Give the day the audit ends.")
    if start and end and end < start:
        errors["planned_end"] = _("The audit cannot end before it starts.")
    return errors


def report_errors(
    results: Iterable[LineResult], undescribed: int, start: date, reported_on: date | None, today: date
) -> dict[str, str]:
    """A report needs every checklist line answered and a report date between the start and today."""
    errors: dict[str, str] = {}
    open_lines = sum(1 for result in results if result is LineResult.NOT_CHECKED)
    if open_lines:
        errors["checklist"] = ngettext(
            "%(num)d checklist line not answered yet: answer each first.",
            "%(num)d checklist lines not answered yet: answer each first.",
            open_lines,
        )
    if undescribed:
        errors["checklist"] = ngettext(
            "%(num)d nonconforming line without a description of what was found: write it in the line's "
            "notes.",
            "%(num)d nonconforming lines without a description of what was found: write it in the line's "
            "notes.",
            undescribed,
        )
    if reported_on is None:
        errors["reported_on"] = _("Give the date of the report.")
    elif reported_on > today:
        errors["reported_on"] = _("The report date is in the future.")
    elif reported_on < start:
        errors["reported_on"] = _("The audit cannot be reported before it started.")
    return errors


def line_needs_notes(result: LineResult, notes: str) -> bool:
    return result in NONCONFORMING and not is_sentence(notes)


@dataclass(frozen=True)
class AuditFacts:
    """One audit of the programme as plain values."""

    id: int
    title: str
    status: AuditStatus
    planned_start: date
    scope: tuple[str, ...]
    auditors: tuple[Auditor, ...] = ()
    departments: tuple[str, ...] = ()
    independence_reason: str = ""
    reported_on: date | None = None

    @property
    def sections(self) -> frozenset[str]:
        return sections_of(self.scope)

    @property
    def is_reported(self) -> bool:
        return self.status in DONE_STATUSES and self.reported_on is not None

    @property
    def independent(self) -> bool:
        """No auditor of their own department, or, where one is, the reason recorded (small site)."""
        conflicts = independence_conflicts(self.auditors, self.departments)
        return not conflicts or is_sentence(self.independence_reason)


def cycle_start(today: date) -> date:
    return today - relativedelta(months=AUDIT_CYCLE_MONTHS)


def in_cycle(audits: Iterable[AuditFacts], today: date) -> list[AuditFacts]:
    """The reported audits of the current cycle (reported in the last ``AUDIT_CYCLE_MONTHS``)."""
    start = cycle_start(today)
    return [a for a in audits if a.is_reported and a.reported_on is not None and a.reported_on >= start]


@dataclass(frozen=True)
class Coverage:
    """Per section of the programme, the audits that cover it: reported in the cycle, and only planned."""

    sections: tuple[str, ...]
    reported: Mapping[str, tuple[AuditFacts, ...]] = field(default_factory=dict)
    planned: Mapping[str, tuple[AuditFacts, ...]] = field(default_factory=dict)

    @property
    def uncovered(self) -> list[str]:
        """Sections no reported audit of the cycle covers."""
        return [s for s in self.sections if not self.reported.get(s)]

    @property
    def unplanned(self) -> list[str]:
        """Sections neither reported nor planned in the cycle."""
        return [s for s in self.uncovered if not self.planned.get(s)]


def coverage(sections: Sequence[str], audits: Sequence[AuditFacts], today: date) -> Coverage:
    reported = in_cycle(audits, today)
    pending = [a for a in audits if a.status not in DONE_STATUSES]
    return Coverage(
        tuple(sections),
        {s: tuple(a for a in reported if s in a.sections) for s in sections},
        {s: tuple(a for a in pending if s in a.sections) for s in sections},
    )


def applicable_sections(
    sections: Sequence[str], not_applicable: Iterable[str], requirements: Iterable[str]
) -> list[str]:
    """The programme's sections less those whose every requirement is marked not applicable."""
    skipped = set(not_applicable)
    by_section: dict[str, list[str]] = {}
    for number in requirements:
        by_section.setdefault(section_of(number), []).append(number)
    return [s for s in sections if not by_section.get(s) or any(n not in skipped for n in by_section[s])]


def internal_audit_criteria(
    sections: Sequence[str], audits: Sequence[AuditFacts], open_majors: int, today: date
) -> list[Criterion]:
    """The Internal audit stage's criteria, from the programme's records (module docstring)."""
    covered = coverage(sections, audits, today)
    todo = covered.uncovered
    missing = (
        ngettext(
            "%(num)d section not yet audited in a reported audit of the last %(months)d months: %(list)s.",
            "%(num)d sections not yet audited in a reported audit of the last %(months)d months: %(list)s.",
            len(todo),
            months=AUDIT_CYCLE_MONTHS,
            list=describe_list(todo, 10),
        )
        if todo
        else None
    )
    reported = in_cycle(audits, today)
    problems = []
    for audit in reported:
        if not audit.auditors:
            problems.append(_("%(audit)s has no auditor recorded", audit=audit.title))
        for auditor in unqualified(audit.auditors):
            problems.append(
                _(
                    "%(name)s (%(audit)s) has no passed internal-auditor training",
                    name=auditor.name,
                    audit=audit.title,
                )
            )
        if not audit.independent:
            problems.append(
                _("%(audit)s was audited by someone from the department audited", audit=audit.title)
            )
    auditors = None
    if not reported:
        auditors = _("No audit has been reported yet.")
    elif len(problems) > 3:
        auditors = _("%(problems)s and more.", problems="; ".join(problems[:3]))
    elif problems:
        auditors = f"{'; '.join(problems)}."
    majors = None
    if open_majors:
        majors = ngettext(
            "%(num)d major finding from internal audits still open.",
            "%(num)d major findings from internal audits still open.",
            open_majors,
        )
    every = ngettext(
        "All %(num)d section audited in the last %(months)d months.",
        "All %(num)d sections audited in the last %(months)d months.",
        len(sections),
        months=AUDIT_CYCLE_MONTHS,
    )
    return [
        check("internal_audit.all_sections_audited", _("Every section audited in a reported audit"), missing,
              every),
        check("internal_audit.auditors_qualified", _("Audited by qualified, independent auditors"), auditors,
              _("Every reported audit had qualified auditors independent of what they audited.")),
        check("internal_audit.no_open_major", _("No open major finding from the internal audits"), majors,
              _("No major finding from the internal audits is open.")),
    ]  # fmt: skip


def last_report(audits: Iterable[AuditFacts]) -> date | None:
    days = [a.reported_on for a in audits if a.is_reported and a.reported_on is not None]
    return max(days) if days else None


# Planning and working through an audit (added for the audit pages and API)

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000


class Transition(StrEnum):
    START = "start"
    REPORT = "report"
    CLOSE = "close"


TRANSITION_LABELS: Mapping[Transition, str] = {
    Transition.START: _l("Start the audit"),
    Transition.REPORT: _l("Report the audit"),
    Transition.CLOSE: _l("Close the audit"),
}
# The status each transition starts from, and the one it leads to.
_FROM: Mapping[Transition, AuditStatus] = {
    Transition.START: AuditStatus.PLANNED,
    Transition.REPORT: AuditStatus.IN_PROGRESS,
    Transition.CLOSE: AuditStatus.REPORTED,
}
_TO: Mapping[Transition, AuditStatus] = {
    Transition.START: AuditStatus.IN_PROGRESS,
    Transition.REPORT: AuditStatus.REPORTED,
    Transition.CLOSE: AuditStatus.CLOSED,
}
_ORDER_RULES: Mapping[Transition, str] = {
    Transition.START: _l("An audit is started once, when it is planned; this audit is %(status)s."),
    Transition.REPORT: _l(
        "Only an audit in progress is reported: start it and answer its checklist first; this audit is "
        "%(status)s."
    ),
    Transition.CLOSE: _l(
        "An audit is closed once it is reported and every finding it raised is closed; this audit is "
        "%(status)s."
    ),
}


def allowed_transitions(status: AuditStatus) -> tuple[Transition, ...]:
    return tuple(t for t, start in _FROM.items() if start is status)


def status_after(transition: Transition) -> AuditStatus:
    return _TO[transition]


def transition_error(status: AuditStatus, transition: Transition) -> str | None:
    """Why ``transition`` is out of order for an audit in ``status`` (None when it is allowed)."""
    if _FROM[transition] is status:
        return None
    return _ORDER_RULES[transition] % {"status": str(STATUS_LABELS[status]).lower()}


def is_editable(status: AuditStatus) -> bool:
    """The plan (title, dates, scope, team) changes only while the audit is planned."""
    return status is AuditStatus.PLANNED


def checklist_error(status: AuditStatus) -> str | None:
    """The checklist is answered while the audit is in progress, and only then."""
    if status is AuditStatus.IN_PROGRESS:
        return None
    return _(
        "The checklist is answered while the audit is in progress; this audit is %(status)s.",
        status=str(STATUS_LABELS[status]).lower(),
    )


def start_errors(lines: int) -> dict[str, str]:
    if lines:
        return {}
    return {"checklist": _("The checklist is empty: every requirement in scope is marked not applicable.")}


def close_errors(open_findings: Sequence[str]) -> dict[str, str]:
    """An audit closes once every finding it raised is closed; ``open_findings`` names those still open."""
    if not open_findings:
        return {}
    return {
        "status": ngettext(
            "%(num)d finding of this audit still open (%(findings)s): an audit is closed once every finding "
            "it raised is closed.",
            "%(num)d findings of this audit still open (%(findings)s): an audit is closed once every finding "
            "it raised is closed.",
            len(open_findings),
            findings=describe_list(list(open_findings)),
        )
    }


def checklist_numbers(
    requirements: Sequence[str], scope: Iterable[str], not_applicable: Iterable[str]
) -> list[str]:
    """The requirements a checklist asks about: those in scope, less those the gap analysis marked not
    applicable, in the order given (the catalog's)."""
    items, skipped = tuple(scope), set(not_applicable)
    return [n for n in requirements if in_scope(n, items) and n not in skipped]


def empty_scope_errors(scope: Sequence[str], requirements: Iterable[str], standard: str) -> dict[str, str]:
    """A scope clause under which the standard sets no requirement (clause 1 "Scope", say) audits nothing."""
    numbers = tuple(requirements)
    empty = [item for item in scope if not any(in_scope(n, (item,)) for n in numbers)]
    if not empty:
        return {}
    return {
        "scope": _(
            "%(standard)s sets no requirement to audit under %(clauses)s: choose the sections (or clauses) "
            "that hold requirements.",
            standard=standard,
            clauses=describe_list(empty),
        )
    }


def line_prompt(examples: Sequence[object], summary: str) -> str:
    """What an auditor looks for on a checklist line: the catalog's evidence examples, else its summary."""
    shown = [str(example).strip() for example in examples if str(example).strip()]
    if shown:
        return _("Look for: %(examples)s.", examples="; ".join(shown))
    return summary.strip()


# What a nonconforming line's notes need, per result: whole sentences, as the article and the result's name
# change together in other languages.
_NOTES_NEEDED: Mapping[LineResult, str] = {
    LineResult.MINOR: _l(
        "A minor nonconformity needs what was found, in a real sentence (at least four words): it becomes "
        "the finding's description."
    ),
    LineResult.MAJOR: _l(
        "A major nonconformity needs what was found, in a real sentence (at least four words): it becomes "
        "the finding's description."
    ),
    LineResult.OBSERVATION: _l(
        "An observation / opportunity for improvement needs what was found, in a real sentence (at least "
        "four words): it becomes the finding's description."
    ),
}


def line_errors(result: str, notes: str) -> dict[str, str]:
    """A line's answer: a known result, and a nonconforming one described in a real sentence."""
    if result not in set(LineResult):
        return {"result": _("Choose what the audit found for this requirement.")}
    if len(notes) > TEXT_MAX_LENGTH:
        return {"notes": _("Use at most %(limit)s characters.", limit=grouped(TEXT_MAX_LENGTH))}
    if line_needs_notes(LineResult(result), notes):
        return {"notes": str(_NOTES_NEEDED[LineResult(result)])}
    return {}


def summary_error(summary: str) -> str | None:
    if len(summary) > TEXT_MAX_LENGTH:
        return _("Use at most %(limit)s characters.", limit=grouped(TEXT_MAX_LENGTH))
    if not is_sentence(summary):
        return _("Write the report's conclusion in a real sentence (at least four words).")
    return None


def nonconforming(result: str) -> bool:
    return result in NONCONFORMING
