"""What the audit pages and the API show: the programme with its coverage, an audit with its team's flags and
findings, and its checklist grouped by section, each read in a fixed number of queries (the operations that
change audits are in :mod:`app.services.audits`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.domain import audits as rules
from app.domain.catalog import clause_sort_key
from app.domain.nonconformities import FindingState
from app.domain.pathway import AUDIT_SECTIONS, standard_family
from app.domain.readiness import ClauseStatus
from app.extensions import db
from app.models import (
    Assessment,
    AuditLine,
    CertificationProject,
    Clause,
    EvidenceItem,
    Finding,
    InternalAudit,
    Person,
)
from app.services.audits import auditor_of, line_evidence, programme_facts, qualified_ids


@dataclass(frozen=True)
class ProgrammeRow:
    """An audit of the programme as its list shows it."""

    audit: rules.AuditFacts
    planned_end: date
    lead: str | None
    findings: int

    @property
    def sections(self) -> list[str]:
        return sorted(self.audit.sections, key=clause_sort_key)


@dataclass(frozen=True)
class Programme:
    rows: list[ProgrammeRow]
    coverage: rules.Coverage  # per applicable section of the programme
    section_titles: dict[str, str]
    cycle_start: date


def programme(project: CertificationProject, today: date) -> Programme:
    """The audits of the project and which sections the cycle covers, in seven queries whatever the data."""
    facts = programme_facts(project, ())
    extra = {
        audit_id: (end, lead)
        for audit_id, end, lead in db.session.execute(
            select(InternalAudit.id, InternalAudit.planned_end, Person.name)
            .outerjoin(Person, Person.id == InternalAudit.lead_auditor_id)
            .where(InternalAudit.project_id == project.id)
        )
    }
    counts = dict(
        db.session.execute(
            select(Finding.audit_id, func.count())
            .where(Finding.project_id == project.id, Finding.audit_id.is_not(None))
            .group_by(Finding.audit_id)
        ).all()
    )
    verdicts = db.session.execute(
        select(Clause.number, Assessment.status)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id)
    ).all()
    sections = rules.applicable_sections(
        AUDIT_SECTIONS[standard_family(project.standard.code)],
        [number for number, status in verdicts if status == ClauseStatus.NOT_APPLICABLE],
        [number for number, _status in verdicts],
    )
    rows = [ProgrammeRow(a, extra[a.id][0], extra[a.id][1], counts.get(a.id, 0)) for a in facts]
    return Programme(
        rows, rules.coverage(sections, facts, today), section_titles(project), rules.cycle_start(today)
    )


def section_titles(project: CertificationProject) -> dict[str, str]:
    rows = db.session.execute(
        select(Clause.number, Clause.title).where(
            Clause.standard_id == project.standard_id, Clause.level == 1
        )
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class TeamMember:
    person: Person
    lead: bool
    qualified: bool  # a passed internal-auditor training
    own_department: bool  # works in a department the audit visits


@dataclass(frozen=True)
class AuditView:
    """An audit with what its page says about it: the team's flags, the allowed steps, its findings."""

    audit: InternalAudit
    team: list[TeamMember]
    transitions: tuple[rules.Transition, ...]
    findings: list[Finding]
    results: dict[str, int]  # checklist lines by result
    sections: list[str]  # the sections the scope touches, in numeric order

    @property
    def unqualified(self) -> list[TeamMember]:
        return [member for member in self.team if not member.qualified]

    @property
    def not_independent(self) -> list[TeamMember]:
        return [member for member in self.team if member.own_department]

    @property
    def open_findings(self) -> list[Finding]:
        """The findings raised that are not closed yet: the audit closes once there are none."""
        return [f for f in self.findings if f.status != FindingState.CLOSED]

    @property
    def lines(self) -> int:
        return sum(self.results.values())

    @property
    def answered(self) -> int:
        return self.lines - self.results.get(rules.LineResult.NOT_CHECKED, 0)


def audit_view(project: CertificationProject, audit: InternalAudit, today: date) -> AuditView:
    """Six queries beyond the audit's own."""
    qualified = qualified_ids(project, today)
    people = [(p, p.id == audit.lead_auditor_id) for p in (audit.lead_auditor, *audit.team) if p is not None]
    visited = rules.departments_of(audit.departments)
    auditors = [auditor_of(p) for p, _ in people]
    conflicts = {a.person_id for a in rules.independence_conflicts(auditors, visited)}
    team = [TeamMember(p, lead, p.id in qualified, p.id in conflicts) for p, lead in people]
    findings = list(
        db.session.execute(select(Finding).where(Finding.audit_id == audit.id).order_by(Finding.id)).scalars()
    )
    results = dict(
        db.session.execute(
            select(AuditLine.result, func.count())
            .where(AuditLine.audit_id == audit.id)
            .group_by(AuditLine.result)
        ).all()
    )
    return AuditView(
        audit=audit,
        team=team,
        transitions=rules.allowed_transitions(rules.AuditStatus(audit.status)),
        findings=findings,
        results=results,
        sections=sorted(rules.sections_of(c.number for c in audit.scope), key=clause_sort_key),
    )


@dataclass(frozen=True)
class LineRow:
    line: AuditLine
    evidence: list[EvidenceItem]  # checked against (not deleted)
    choices: list[EvidenceItem]  # what the picker offers: the requirement's evidence and the linked


@dataclass(frozen=True)
class SectionLines:
    section: str
    title: str
    lines: list[LineRow]


def checklist(
    project: CertificationProject, audit: InternalAudit, choices: bool = False
) -> list[SectionLines]:
    """The audit's lines (loaded with their clauses) by section, each with its evidence and, with
    ``choices``, the evidence the picker offers; three queries whatever the number of lines."""
    linked = line_evidence(line.id for line in audit.lines)
    offered: dict[int, list[EvidenceItem]] = {}
    if choices:
        clause_ids = {line.clause_id for line in audit.lines}
        for item in db.session.execute(
            select(EvidenceItem)
            .where(
                EvidenceItem.project_id == project.id,
                EvidenceItem.deleted_at.is_(None),
                EvidenceItem.clause_id.in_(clause_ids),
            )
            .order_by(EvidenceItem.title, EvidenceItem.id)
        ).scalars():
            offered.setdefault(item.clause_id or 0, []).append(item)
    titles = section_titles(project)
    groups: dict[str, list[LineRow]] = {}
    for line in audit.lines:
        mine = linked.get(line.id, [])
        picks = list({item.id: item for item in (*offered.get(line.clause_id, []), *mine)}.values())
        groups.setdefault(line.clause.section, []).append(LineRow(line, mine, picks))
    return [SectionLines(section, titles.get(section, ""), rows) for section, rows in groups.items()]
