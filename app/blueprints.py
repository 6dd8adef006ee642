"""The URL map of the whole app: every blueprint, and the areas of a project nested in its parent.

Everything under ``/projects/<id>`` (and ``/api/v1/projects/<id>``) is a child of the project blueprint,
which loads the project once per request. The nesting is done here, once, when this module is imported.
"""

from __future__ import annotations

from flask import Blueprint

from app.activity.routes import bp as activity_bp
from app.api import activity as activity_api
from app.api import audit_pack as audit_pack_api
from app.api import audits as audits_api
from app.api import bodies as bodies_api
from app.api import budget as budget_api
from app.api import certification as certification_api
from app.api import complaints as complaints_api
from app.api import context as context_api
from app.api import documents as documents_api
from app.api import equipment as equipment_api
from app.api import evidence as evidence_api
from app.api import exports as exports_api
from app.api import findings as findings_api
from app.api import history as history_api
from app.api import project as project_api
from app.api import reports as reports_api
from app.api import reviews as reviews_api
from app.api import risk_files as risk_files_api
from app.api import risks as risks_api
from app.api import satisfaction as satisfaction_api
from app.api import sharing as sharing_api
from app.api import software as software_api
from app.api import suppliers as suppliers_api
from app.api import training as training_api
from app.api.routes import bp as api_bp
from app.audit_pack.routes import bp as audit_pack_bp
from app.audits.routes import bp as audits_bp
from app.auth.routes import bp as auth_bp
from app.bodies.routes import bp as bodies_bp
from app.budget.routes import bp as budget_bp
from app.calendar.routes import bp as calendar_bp
from app.certificates.routes import bp as certificates_bp
from app.chart_pages.routes import bp as charts_bp
from app.checklist.routes import bp as checklist_bp
from app.clients.routes import bp as clients_bp
from app.complaints.routes import bp as complaints_bp
from app.context.routes import bp as context_bp
from app.documents.routes import bp as documents_bp
from app.equipment.routes import bp as equipment_bp
from app.evidence.routes import bp as evidence_bp
from app.exports.routes import bp as exports_bp
from app.exports.routes import portfolio_bp as portfolio_exports_bp
from app.extensions import csrf
from app.external_audits.routes import bp as external_audits_bp
from app.findings.routes import bp as findings_bp
from app.gap.routes import bp as gap_bp
from app.gonogo.routes import bp as gonogo_bp
from app.language.routes import bp as language_bp
from app.members.routes import bp as members_bp
from app.objectives.routes import bp as objectives_bp
from app.people.routes import bp as people_bp
from app.portfolio.routes import bp as portfolio_bp
from app.projects.area import bp as project_bp
from app.projects.routes import bp as projects_bp
from app.quotes.routes import bp as quotes_bp
from app.registers.routes import bp as registers_bp
from app.reports.routes import bp as reports_bp
from app.reports.routes import portfolio_bp as portfolio_pdf_bp
from app.reviews.routes import bp as reviews_bp
from app.risk_files.routes import bp as risk_files_bp
from app.risks.routes import bp as risks_bp
from app.satisfaction.routes import bp as satisfaction_bp
from app.sharing.public import bp as check_bp
from app.sharing.routes import bp as sharing_bp
from app.software.routes import bp as software_bp
from app.stages.routes import bp as stages_bp
from app.suppliers.routes import bp as suppliers_bp
from app.training.routes import bp as training_bp
from app.training_matrix.routes import bp as training_matrix_bp
from app.trash.routes import bp as trash_bp

PROJECT_AREAS = (
    gap_bp,
    stages_bp,
    evidence_bp,
    documents_bp,
    budget_bp,
    checklist_bp,
    charts_bp,
    people_bp,
    training_bp,
    training_matrix_bp,
    audits_bp,
    findings_bp,
    reviews_bp,
    objectives_bp,
    quotes_bp,
    gonogo_bp,
    external_audits_bp,
    registers_bp,
    context_bp,
    risks_bp,
    equipment_bp,
    suppliers_bp,
    complaints_bp,
    satisfaction_bp,
    risk_files_bp,
    software_bp,
    audit_pack_bp,
    reports_bp,
    exports_bp,
)
API_PROJECT_AREAS = (
    activity_api.project_bp,
    budget_api.bp,
    evidence_api.bp,
    history_api.bp,
    documents_api.bp,
    training_api.bp,
    audits_api.bp,
    findings_api.bp,
    reviews_api.bp,
    bodies_api.quotes_bp,
    certification_api.bp,
    context_api.bp,
    risks_api.bp,
    equipment_api.bp,
    suppliers_api.bp,
    complaints_api.bp,
    satisfaction_api.bp,
    risk_files_api.bp,
    software_api.bp,
    audit_pack_api.bp,
    reports_api.bp,
)

for _area in PROJECT_AREAS:
    project_bp.register_blueprint(_area)
for _area in API_PROJECT_AREAS:
    project_api.bp.register_blueprint(_area)
api_bp.register_blueprint(project_api.bp)
# ?format=xlsx|csv (or Accept) on a list: the whole table as a file, answered before its JSON view
project_api.bp.before_request(exports_api.answer_project_export)
api_bp.before_request(exports_api.answer_portfolio_export)
api_bp.register_blueprint(bodies_api.bp)  # /api/v1/certification-bodies: the workspace's
api_bp.register_blueprint(sharing_api.bp)  # /api/v1/share-links: the workspace's, named by no project
api_bp.register_blueprint(certification_api.certificates_bp)  # /api/v1/certificates: the workspace's
api_bp.register_blueprint(activity_api.bp)  # /api/v1/activity: the workspace's audit trail
for _api in (
    project_api.bp,
    activity_api.bp,
    bodies_api.bp,
    sharing_api.bp,
    certification_api.certificates_bp,
    *API_PROJECT_AREAS,
):
    csrf.exempt(_api)  # like their parent: authenticated by a bearer token, never by the session cookie

BLUEPRINTS: tuple[Blueprint, ...] = (
    api_bp,
    auth_bp,
    clients_bp,
    members_bp,
    projects_bp,
    project_bp,
    trash_bp,
    bodies_bp,  # /certification-bodies: the workspace's, named by no project
    sharing_bp,
    check_bp,  # public: the buyer verification page, opened by a share link's token, no log-in
    certificates_bp,
    calendar_bp,  # public: a user's calendar feed, opened by its token; and its settings on the account page
    portfolio_bp,  # /portfolio and /review-queue: every project the user may see
    portfolio_pdf_bp,  # /portfolio.pdf: one page per client the user sees
    portfolio_exports_bp,  # /portfolio.xlsx and .csv: every project the user may see
    language_bp,  # the header's language switcher, for everyone
    activity_bp,  # /activity: the workspace's audit trail
)
