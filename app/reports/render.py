"""The reports' HTML and PDF: the templates are given the services' values and the labels they show, and
:func:`app.services.pdf.html_to_pdf` prints them. Shared by the pages and the API."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from flask import Response, render_template

from app.charts.base import money_text
from app.charts.progress import STAGE_STATUS_LABELS
from app.domain import portfolio as portfolio_rules
from app.domain.assessment import VERDICT_LABELS
from app.domain.coverage import CHECKLIST_LABELS
from app.domain.nonconformities import STATE_LABELS as FINDING_STATES
from app.domain.pathway import STAGES
from app.domain.text import _, _l
from app.models import CertificationProject
from app.services import report as report_service
from app.services.pdf import html_to_pdf
from app.services.scope import Scope
from app.web.download import content_disposition

STYLESHEETS = ("css/report.css",)
PDF = "application/pdf"
SECTIONS = (
    ("readiness", _l("Readiness")),
    ("stages", _l("Stages and exit criteria")),
    ("gaps", _l("Gaps")),
    ("findings", _l("Open findings and actions")),
    ("evidence", _l("Evidence coverage and documented information")),
    ("documents", _l("Document register")),
    ("training", _l("Training")),
    ("budget", _l("Budget")),
    ("certificate", _l("Certificate and cycle")),
)


def project_html(project: CertificationProject, workspace: str, today: date) -> str:
    report = report_service.project_report(project, today)
    unit = report.budget.minor_unit
    return render_template(
        "reports/project.html",
        report=report,
        charts={drawn.chart.key: drawn for drawn in report.charts},
        workspace=workspace,
        sections=SECTIONS,
        stage_labels=STAGE_STATUS_LABELS,
        verdict_labels=VERDICT_LABELS,
        finding_states=FINDING_STATES,
        checklist_labels=CHECKLIST_LABELS,
        money=lambda amount: money_text(Decimal(amount), unit),
    )


def project_pdf(project: CertificationProject, workspace: str, today: date) -> bytes:
    return html_to_pdf(project_html(project, workspace, today), STYLESHEETS)


def portfolio_pdf(scope: Scope, today: date) -> bytes:
    report = report_service.portfolio_report(scope, today)
    html = render_template(
        "reports/portfolio.html",
        report=report,
        stage_titles={"done": _("All stages done"), **{info.key.value: info.title for info in STAGES}},
        status_labels=portfolio_rules.STATUS_LABELS,
        milestone_label=portfolio_rules.milestone_label,
    )
    return html_to_pdf(html, STYLESHEETS)


def filename(*parts: str) -> str:
    """``readiness-saigon-garment-iso-9001-2026-12-02.pdf``: the parts folded to ASCII, safe in any header."""
    words = unicodedata.normalize("NFKD", "-".join(parts)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-") + ".pdf"


def pdf_response(content: bytes, name: str) -> Response:
    response = Response(content, mimetype=PDF)
    response.headers["Content-Disposition"] = content_disposition("attachment", name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def project_filename(project: CertificationProject, today: date) -> str:
    return filename("readiness", project.client.name, project.standard.name, today.isoformat())
