"""Default stage checklists per standard.

A new project starts with these tasks; users then edit them. The documentation checklist is built
from the catalog: the quality policy, the scope (with the justification of non-applicable
requirements) and the quality objectives come first, then one task per mandatory "maintain" document
that those do not already cover. Titles are written the way a consultant would put them to a client.

A template may carry a ``key`` so the service layer can recognise a task; none does now. Every task is a
plain work item: the stages are judged by their records (the internal audit, management review and external
audit stages by the audits, reviews, findings and certificates recorded). Projects created before keep their
old external audit keys on their tasks; nothing reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.domain.pathway import AUDIT_SECTIONS, Stage, StandardFamily
from app.domain.text import _, _l

MAINTAIN_VALUES = frozenset({"maintain", "both"})
ISO_9001, ISO_13485 = StandardFamily.ISO_9001, StandardFamily.ISO_13485


class CatalogClause(Protocol):
    """What the checklists need from a catalog clause (``catalog.ClauseSpec`` fits)."""

    @property
    def number(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def label(self) -> str | None: ...
    @property
    def documented_information(self) -> str: ...
    @property
    def requirement(self) -> bool: ...


@dataclass(frozen=True)
class TaskTemplate:
    title: str
    stage: Stage
    clause: str | None = None
    hint: str | None = None
    key: str | None = None


# (clause, title, hint) that open the documentation stage, whatever the catalog says.
_CORE_DOCUMENTS: Mapping[StandardFamily, tuple[tuple[str, str, str | None], ...]] = {
    ISO_9001: (
        ("4.3", _l("Write the scope of the quality system, with a justification for each requirement that "
                   "does not apply"),
         _l("A requirement may be left out only if it cannot affect product conformity.")),
        ("5.2.2", _l("Write the quality policy, have top management sign it and display it in the factory"),
         _l("Short, in the languages your staff read, committing to requirements and to improvement.")),
        ("6.2.1", _l("Set measurable quality objectives, each with a target, an owner and a date"),
         _l("For example: customer returns below 0.5 %, on-time delivery above 95 %.")),
        ("7.5.3", _l("Set up document control: numbering, approval, distribution and revision history"),
         None),
        ("7.5.3.2", _l("List the records you keep: where, who keeps them and for how long"), None),
    ),
    ISO_13485: (
        ("4.2.2", _l("Write the quality manual, including the scope and a justification for each requirement "
                     "that does not apply"),
         _l("Only clauses 6, 7 and 8 may be left out; design only where the regulations allow.")),
        ("5.3", _l("Write the quality policy, have top management sign it and tell all staff"), None),
        ("5.4.1", _l("Set measurable quality objectives, including those needed to meet regulatory "
                     "requirements"), None),
        ("4.1.1", _l("Record your regulatory roles (manufacturer, importer, distributor...) and the "
                     "regulations of each market"), None),
        ("5.5.2", _l("Appoint the management representative in writing, stating their authority"), None),
        ("4.2.3", _l("Build a medical device file for each device type or family"),
         _l("Description and intended use, labelling, specifications, manufacturing and servicing.")),
    ),
}  # fmt: skip

# Consultant wording for maintain items; other items get a generic title.
_DOCUMENT_TITLES: Mapping[StandardFamily, Mapping[str, str]] = {
    ISO_9001: {
        "4.4.2": _l("Map the main processes (inputs, outputs, owner, measures) and write their procedures"),
        "8.1": _l("Write the production plans: control plans, inspection plans and acceptance criteria"),
        "8.5.1": _l("Write the work instructions and product specifications for each production line"),
    },
    ISO_13485: {
        "4.1.5": _l("Sign a quality agreement with each provider of an outsourced process"),
        "4.1.6": _l("Write the QMS software validation procedure and validate the software you use"),
        "4.2.1": _l("List the procedures and records the QMS needs and who owns each"),
        "4.2.4": _l("Write the document control procedure"),
        "4.2.5": _l("Write the record control procedure, keeping records at least for the device lifetime"),
        "5.6.1": _l("Write the management review procedure, with how often reviews are held"),
        "6.2": _l("Write the procedure for competence, training and awareness"),
        "6.4.2": _l("Write the contamination control arrangements (clean areas, gowning, pest control)"),
        "7.1": _l("Write the risk management process (ISO 14971) and open a risk file per device family"),
        "7.3.1": _l("Write the design and development procedure (or justify excluding design)"),
        "7.4.1": _l("Write the purchasing procedure, with supplier evaluation and approved supplier list"),
        "7.5.1": _l("Write the production procedures and the batch record (device history record) form"),
        "7.5.6": _l("Write the process validation procedure and validate processes you cannot fully inspect"),
        "7.5.7": _l("Write the sterilization and sterile barrier validation procedures"),
        "7.5.9.1": _l("Write the traceability procedure: from raw material lot to the customer"),
        "7.6": _l("Write the calibration procedure and the list of measuring equipment"),
        "8.2.2": _l("Write the complaint handling procedure"),
        "8.2.3": _l("Write the procedure for reporting adverse events and advisory notices to regulators"),
        "8.2.4": _l("Write the internal audit procedure"),
        "8.3.1": _l("Write the procedure for controlling nonconforming product"),
        "8.5.2": _l("Write the corrective action procedure"),
        "8.5.3": _l("Write the preventive action procedure"),
    },
}

_TRAINING: Mapping[StandardFamily, tuple[tuple[str, str, str | None], ...]] = {
    ISO_9001: (
        ("7.3", _l("Run awareness training for all staff: the policy, the objectives, their part in them, "
                   "and what happens when work does not conform"),
         _l("Keep an attendance sheet; 2 to 4 hours per person.")),
        ("7.2", _l("Define the competence each role needs and keep evidence that people have it"),
         _l("A skills matrix with certificates or on-the-job sign-offs.")),
        ("7.2", _l("Train the people who use each new procedure and work instruction"), None),
        ("9.2.2", _l("Train at least two internal auditors"),
         _l("2 to 3 days each on an ISO 19011 based course; auditors must not audit their own work.")),
    ),
    ISO_13485: (
        ("6.2", _l("Run awareness training for all staff: the policy, regulatory requirements, and how their "
                   "work affects device safety"), _l("Keep an attendance sheet.")),
        ("6.2", _l("Define the competence each role needs, train, and keep the records"), None),
        ("6.2", _l("Check that the training worked (test, observation or sign-off) and record it"), None),
        ("6.2", _l("Train the people who use each new procedure and work instruction"), None),
        ("8.2.4", _l("Train at least two internal auditors on ISO 13485 and ISO 19011"), None),
        ("8.2.2", _l("Train customer-facing staff to log complaints and spot reportable events"), None),
    ),
}  # fmt: skip

# Clauses behind the audit and review tasks: audit programme, corrective action, and management
# review in general, its inputs, its outputs.
_CLAUSES: Mapping[StandardFamily, tuple[str, str, str, str, str]] = {
    ISO_9001: ("9.2.2", "10.2.1", "9.3.1", "9.3.2", "9.3.3"),
    ISO_13485: ("8.2.4", "8.5.2", "5.6.1", "5.6.2", "5.6.3"),
}


def clause_name(clause: CatalogClause) -> str:
    """The title, else the app-side label of an untitled paragraph, else the number alone."""
    return clause.title or clause.label or clause.number


def needs_document(clause: CatalogClause) -> bool:
    """A requirement whose documented information must be maintained ("maintain" or "both")."""
    return clause.requirement and clause.documented_information in MAINTAIN_VALUES


def maintain_items(clauses: Iterable[CatalogClause]) -> tuple[str, ...]:
    """Clause numbers of the mandatory "maintain" documents, in catalog order."""
    return tuple(clause.number for clause in clauses if needs_document(clause))


def _assess_sections(family: StandardFamily, clauses: Sequence[CatalogClause]) -> list[tuple[str, str]]:
    """The section numbers a gap analysis assesses, each with its task title."""
    names = {clause.number: clause_name(clause) for clause in clauses if "." not in clause.number}
    return [
        (s, _("Assess section %(number)s: %(name)s", number=s, name=names[s])
         if s in names else _("Assess section %(number)s", number=s))
        for s in AUDIT_SECTIONS[family]
    ]  # fmt: skip


def _gap_analysis(family: StandardFamily, clauses: Sequence[CatalogClause]) -> list[TaskTemplate]:
    stage = Stage.GAP_ANALYSIS
    tasks = [
        TaskTemplate(_("Name the quality coordinator and agree the time they give to the project"), stage),
        TaskTemplate(_("Agree the certification scope: sites, products and processes covered"), stage,
                     "4.2.2" if family is ISO_13485 else "4.3",
                     _("The certification body prices the audit on the scope and the head count.")),
    ]  # fmt: skip
    if family is ISO_13485:
        tasks.append(
            TaskTemplate(_("List the device regulations of every market you sell to"), stage, "4.1.1")
        )
    hint = _("Rate each requirement met, partial, not met or not applicable, noting the evidence seen.")
    tasks += [TaskTemplate(title, stage, s, hint) for s, title in _assess_sections(family, clauses)]
    tasks.append(TaskTemplate(_("Present the gaps to top management and agree the action plan"), stage))
    return tasks


def _documentation(family: StandardFamily, clauses: Sequence[CatalogClause]) -> list[TaskTemplate]:
    stage = Stage.DOCUMENTATION
    tasks = [TaskTemplate(title, stage, number, hint) for number, title, hint in _CORE_DOCUMENTS[family]]
    covered = {task.clause for task in tasks}
    titles = _DOCUMENT_TITLES[family]
    for clause in clauses:
        if needs_document(clause) and clause.number not in covered:
            title = titles.get(clause.number) or _(
                "Write and approve the documents required by %(number)s %(name)s",
                number=clause.number,
                name=clause_name(clause),
            )
            tasks.append(TaskTemplate(title, stage, clause.number))
    return tasks


def _training(family: StandardFamily, clauses: Sequence[CatalogClause]) -> list[TaskTemplate]:
    return [TaskTemplate(title, Stage.TRAINING, number, hint) for number, title, hint in _TRAINING[family]]


def _internal_audit(family: StandardFamily, clauses: Sequence[CatalogClause]) -> list[TaskTemplate]:
    """Work items only: the stage is judged by the audit programme's records (``domain.audits``)."""
    stage, (programme, corrective, *_review) = Stage.INTERNAL_AUDIT, _CLAUSES[family]
    return [
        TaskTemplate(_("Write the internal audit procedure: how audits are planned, done and reported"),
                     stage, programme),
        TaskTemplate(_("Plan the internal audit programme so that every section is audited in the year"),
                     stage, programme, _("Auditors must be independent of the area they audit.")),
        TaskTemplate(_("Report each audit's findings to the managers concerned"), stage, programme),
        TaskTemplate(_("Find the root cause of each nonconformity, act on it and check it worked"), stage,
                     corrective),
    ]  # fmt: skip


def _management_review(family: StandardFamily, clauses: Sequence[CatalogClause]) -> list[TaskTemplate]:
    """Work items only: the stage is judged by the review's minutes (``domain.reviews``)."""
    stage, (*_audit, general, inputs, outputs) = Stage.MANAGEMENT_REVIEW, _CLAUSES[family]
    return [
        TaskTemplate(_("Set the date of the management review with top management"), stage, general),
        TaskTemplate(_("Gather the figures the review needs: objectives, customer feedback, suppliers"),
                     stage, inputs, _("The app pre-fills what it knows when you record the review.")),
        TaskTemplate(_("Follow up the actions the review decided until each is done"), stage, outputs),
    ]  # fmt: skip


def _external_audit(family: StandardFamily, clauses: Sequence[CatalogClause]) -> list[TaskTemplate]:
    """Work items only: the stage is judged by the external audits, the certification body's findings and the
    certificate recorded (``domain.external_audit.external_audit_criteria``)."""
    stage = Stage.EXTERNAL_AUDIT
    if family is ISO_13485:
        choose = _("Check it is accredited for ISO 13485 and can serve the markets you sell to (e.g. MDSAP).")
    else:
        choose = _("Check its accreditation on IAF CertSearch; ask at least three bodies for a quote.")
    return [
        TaskTemplate(_("Choose an accredited certification body and sign the contract"), stage, hint=choose),
        TaskTemplate(_("Send the certification body the documents it asks for before stage 1"), stage),
        TaskTemplate(_("Stage 1 audit: documentation and readiness review"), stage),
        TaskTemplate(_("Resolve the concerns raised at stage 1"), stage),
        TaskTemplate(_("Stage 2 audit: the system at work"), stage),
        TaskTemplate(_("Close out the findings: correction and corrective action for each nonconformity"),
                     stage, hint=_("Majors must be verified closed, usually within 90 days; minors need an "
                            "accepted action plan.")),
        TaskTemplate(_("Certificate received: check the scope, site address and dates on it"), stage),
    ]  # fmt: skip


_BUILDERS: Mapping[Stage, Callable[[StandardFamily, Sequence[CatalogClause]], list[TaskTemplate]]] = {
    Stage.GAP_ANALYSIS: _gap_analysis,
    Stage.DOCUMENTATION: _documentation,
    Stage.TRAINING: _training,
    Stage.INTERNAL_AUDIT: _internal_audit,
    Stage.MANAGEMENT_REVIEW: _management_review,
    Stage.EXTERNAL_AUDIT: _external_audit,
}


def stage_checklist(
    stage: Stage, family: StandardFamily, clauses: Sequence[CatalogClause]
) -> list[TaskTemplate]:
    """The default tasks of one stage; ``clauses`` is the standard's catalog in document order."""
    return _BUILDERS[stage](family, clauses)


def default_checklist(family: StandardFamily, clauses: Sequence[CatalogClause]) -> list[TaskTemplate]:
    """Every stage's default tasks, stage by stage in pathway order."""
    return [task for stage in Stage for task in stage_checklist(stage, family, clauses)]
