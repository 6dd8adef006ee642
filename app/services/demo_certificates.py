"""The demo's certificate: a fourth factory that is certified, with the whole way there on record, and the
medical-device factory booking its stage 1 on NO-GO (the data is :mod:`app.services.demo_certified`).

Written through the same code as the rest of the demo and, where the app has a service for it, through the
service a user's save goes through, so every record passes the rules a user's would: the stage order
(:func:`app.services.demo_progress.start_stage`), documents and their periodic review
(:func:`app.services.documents.confirm_review`), training, audits, findings and reviews (demo_training,
demo_records), the quote (:mod:`app.services.quotes`), the external audits (:mod:`.external_audits`), the
certificate (:mod:`.certificates`) and the buyer's share link (:mod:`.sharing`: only its hash is kept, so the
demo cannot show the token; a user makes a new link on the share links page).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select

from app.domain import certification as cert_rules
from app.domain import nonconformities as nc
from app.domain.documents import DocumentStatus
from app.domain.pathway import Stage
from app.extensions import db
from app.models import (
    Assessment,
    BudgetLine,
    Certificate,
    CertificationBody,
    CertificationProject,
    Clause,
    Client,
    ControlledDocument,
    ExternalAudit,
    Finding,
    Site,
    Standard,
)
from app.services import certificates, external_audits, quotes, sharing
from app.services import documents as document_service
from app.services.certificates import CertificateFields
from app.services.demo_budget import add_budget
from app.services.demo_certified import (
    AUDITORS,
    BODY,
    BODY_ACCREDITATION_NUMBER,
    CERTIFICATE,
    DAYS,
    DESIGN_CLAUSES,
    DOCUMENTS,
    EARLY_TRAINING,
    FACTORY,
    FIRST_YEAR,
    NO_DESIGN,
    QUOTE,
    SECOND_YEAR,
    SHARE_DAYS,
    SHARE_LABEL,
    STAGE1_CONCERNS,
    STAGE2_REPORT,
    SURVEILLANCE_REPORT,
    TRAINING,
)
from app.services.demo_documents import add_documents
from app.services.demo_progress import add_evidence, finish_stage, finish_tasks, plan_stages, start_stage
from app.services.demo_records import add_records
from app.services.demo_training import add_training
from app.services.external_audits import AuditFields
from app.services.pathway import setup_project
from app.services.quotes import QuoteFields
from app.services.scope import Scope

# The medical-device factory books stage 1 for its target date although its go / no-go says NO-GO: the
# audit is recorded with the warning and the reasons.
INFUSION_STAGE1_IN_DAYS = 21
INFUSION_STAGE1_NOTES = (
    "Booked with the certification body for the target date, while the go / no-go still says NO-GO: the open "
    "major, the training and the audit programme are to be finished first."
)
EVIDENCE_NOTE = (
    "Kept in the quality office; sampled by the certification body at stage 2 and at the first surveillance "
    "audit."
)


def add_certification(
    scope: Scope, projects: Sequence[CertificationProject], user_id: int, today: date
) -> CertificationProject:
    """The certified factory (returned, for the demo's history), and the stage 1 the medical-device factory
    among ``projects`` booked on NO-GO. After the other factories' quotes (its body's website is set)."""
    for project in projects:
        if project.standard.code == "iso13485":
            _book_stage1_on_no_go(scope, project, today)
    return _certified_factory(scope, user_id, today)


def _ago(today: date, days: int) -> date:
    return today - timedelta(days=days)


def _book_stage1_on_no_go(scope: Scope, project: CertificationProject, today: date) -> None:
    starts = today + timedelta(days=INFUSION_STAGE1_IN_DAYS)
    fields = AuditFields("stage1", starts, starts + timedelta(days=1), notes=INFUSION_STAGE1_NOTES)
    external_audits.create_audit(scope, project, fields, today)


def _certified_factory(scope: Scope, user_id: int, today: date) -> CertificationProject:
    body = db.session.execute(
        select(CertificationBody).where(
            CertificationBody.workspace_id == scope.workspace_id, CertificationBody.name == BODY
        )
    ).scalar_one()
    body.accreditation_number = body.accreditation_number or BODY_ACCREDITATION_NUMBER
    project = _project(scope.workspace_id, body, today)
    _assess(project)
    add_documents(scope, project, today, DOCUMENTS)
    _review_documents(scope, project, _ago(today, DAYS.documents_reviewed))
    add_training(scope, project, today, TRAINING)
    add_records(project, today, FIRST_YEAR)
    add_records(project, today, SECOND_YEAR)
    _add_evidence(project, today, user_id)
    _walk_stages(project, today, user_id)
    _budget(scope, project, today)
    certificate = _external_audits(scope, project, today)
    sharing.create_link(
        scope, sharing.Target(certificate=certificate), SHARE_LABEL, today + timedelta(days=SHARE_DAYS), today
    )
    db.session.flush()
    return project


def _project(workspace_id: int, body: CertificationBody, today: date) -> CertificationProject:
    client = Client(workspace_id=workspace_id, **FACTORY["client"])
    db.session.add(client)
    db.session.flush()
    site = Site(workspace_id=workspace_id, client_id=client.id, **FACTORY["site"])
    db.session.add(site)
    db.session.flush()
    spec = dict(FACTORY["project"])
    code = spec.pop("standard")
    standard = db.session.execute(
        select(Standard).where(Standard.code == code).order_by(Standard.id.desc()).limit(1)
    ).scalar_one()
    project = CertificationProject(
        workspace_id=workspace_id,
        client_id=client.id,
        site_id=site.id,
        standard=standard,
        body=body,
        target_date=_ago(today, DAYS.decision),
        **spec,
    )
    db.session.add(project)
    setup_project(project)
    db.session.flush()
    return project


def _assess(project: CertificationProject) -> None:
    """Every requirement met, design not applicable (with the reason): the gap analysis as it stood when
    the certification body recommended the certificate."""
    rows = db.session.execute(
        select(Clause.number, Assessment)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id)
    ).all()
    for number, assessment in rows:
        if number in DESIGN_CLAUSES:
            assessment.status, assessment.justification = "not_applicable", NO_DESIGN
        else:
            assessment.status = "met"


def _review_documents(scope: Scope, project: CertificationProject, day: date) -> None:
    """The yearly review of the register, each document confirmed as it is (its next review a year on)."""
    documents = db.session.execute(
        select(ControlledDocument).where(
            ControlledDocument.project_id == project.id, ControlledDocument.status == DocumentStatus.ACTIVE
        )
    ).scalars()
    for document in documents:
        document_service.confirm_review(scope, document, day)


def _add_evidence(project: CertificationProject, today: date, user_id: int) -> None:
    """Accepted evidence for every requirement met, named after the catalog's first example of it."""
    clauses = db.session.execute(
        select(Clause)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id, Assessment.status == "met")
        .order_by(Clause.position)
    ).scalars()
    specs = []
    for clause in clauses:
        examples = [str(e) for e in clause.evidence_examples or () if str(e).strip()]
        title = examples[0][:1].upper() + examples[0][1:] if examples else f"{clause.title} records"
        specs.append((clause.number, "note", title, EVIDENCE_NOTE, "accepted", None))
    add_evidence(project, today, user_id, tuple(specs))


def _walk_stages(project: CertificationProject, today: date, user_id: int) -> None:
    """Every stage started in turn and done; Training started early, with the owner's reason."""
    days, rows = DAYS, plan_stages(project, _ago(today, DAYS.gap_start))

    def start(index: int, days_ago: int, reason: str = "") -> None:
        start_stage(rows, index, _ago(today, days_ago), user_id, reason)

    def finish(index: int, days_ago: int) -> None:
        finish_stage(rows, index, _ago(today, days_ago))

    start(0, days.gap_start)
    finish(0, days.gap_done)
    start(1, days.gap_done)
    start(2, days.training_start, EARLY_TRAINING)
    finish(1, days.documentation_done)
    finish(2, days.training_done)
    for index, (began, ended) in enumerate(
        ((days.audits_start, days.audits_done), (days.audits_done, days.review_done),
         (days.review_done, days.issued)),
        start=3,
    ):  # fmt: skip
        start(index, began)
        finish(index, ended)
    finish_tasks(project, set(Stage))


def _budget(scope: Scope, project: CertificationProject, today: date) -> None:
    """The estimator's budget, its initial certification audit replaced by the accepted quote's lines;
    paid up to today (the second surveillance audit is still to come)."""
    add_budget(project, project.site.employee_count, today)
    estimated = db.session.execute(
        select(BudgetLine).where(
            BudgetLine.project_id == project.id,
            BudgetLine.category == "certification_body",
            BudgetLine.description.startswith("Certification body: initial audit"),
        )
    ).scalars()
    for line in estimated:
        db.session.delete(line)
    db.session.flush()
    received = _ago(today, DAYS.quote_received)
    fields = QuoteFields(body_id=project.body_id, received_on=received, **QUOTE)
    quote = quotes.create_quote(scope, project, fields, today)
    for line in quotes.accept_quote(scope, project, quote, _ago(today, DAYS.quote_accepted)):
        if line.spent_on is not None and line.spent_on <= today:
            line.actual = line.planned


def _held(
    scope: Scope,
    project: CertificationProject,
    today: date,
    fields: AuditFields,
) -> ExternalAudit:
    """An audit the body held, recorded as a user would; a warning (outside its window) is a demo mistake."""
    audit, warnings = external_audits.create_audit(scope, project, fields, today)
    if warnings:
        raise ValueError(f"Demo {fields.kind} audit: {warnings}")
    return audit


def _external_audits(scope: Scope, project: CertificationProject, today: date) -> Certificate:
    """Stage 1 (its concern resolved), stage 2 and the decision, the certificate, the first surveillance
    audit of its cycle; the body's findings linked to the audit that raised them."""
    days = DAYS

    def fields(kind: str, first: int, last: int, report: str) -> AuditFields:
        return AuditFields(
            kind, _ago(today, first), _ago(today, last), True, auditors=AUDITORS, report=report
        )

    stage1 = fields("stage1", days.stage1, days.stage1, STAGE1_CONCERNS)
    stage1.concerns_resolved_on = _ago(today, days.concerns_resolved)
    _held(scope, project, today, stage1)
    decision = _ago(today, days.decision)
    stage2 = fields("stage2", days.stage2_start, days.stage2_end, STAGE2_REPORT)
    stage2.decision_on = decision
    stage2_audit = _held(scope, project, today, stage2)
    certificate = certificates.create_certificate(
        scope,
        project.client,
        CertificateFields(
            site_ids=[project.site_id],
            body_id=project.body_id,
            standard_id=project.standard_id,
            original_on=decision,
            decision_on=decision,
            issued_on=_ago(today, days.issued),
            project_id=project.id,
            number=CERTIFICATE["number"],
            scope=CERTIFICATE["scope"],
            sector_codes=CERTIFICATE["sector_codes"],
            notes=CERTIFICATE["notes"],
        ),
        today,
    )
    surveillance = fields(
        "surveillance1", days.surveillance_start, days.surveillance_end, SURVEILLANCE_REPORT
    )
    surveillance_audit = _held(scope, project, today, surveillance)
    if surveillance_audit.certificate_id != certificate.id:
        raise ValueError("Demo surveillance audit: not in its certificate's cycle.")
    _link_findings(project, (stage2_audit, surveillance_audit))
    return certificate


def _link_findings(project: CertificationProject, audits: Sequence[ExternalAudit]) -> None:
    """Each finding of the certification body belongs to the audit whose last day it was raised on."""
    by_day = {audit.ends_on: audit for audit in audits}
    findings = db.session.execute(
        select(Finding).where(Finding.project_id == project.id, Finding.source == nc.Source.EXTERNAL_AUDIT)
    ).scalars()
    for finding in findings:
        audit = by_day.get(finding.raised_on)
        if audit is None or cert_rules.AuditKind(audit.kind) is cert_rules.AuditKind.STAGE1:
            raise ValueError(f"Demo finding on {finding.clause_number}: raised on no audit's last day.")
        finding.external_audit_id = audit.id
