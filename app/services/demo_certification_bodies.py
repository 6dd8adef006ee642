"""Demo certification body quotes: every demo project has a quote or two, compared with the IAF audit days.

The infusion-set factory accepted its body's quote, which replaced the estimator's figures for the initial
audit in its budget (the quote's lines, the surveillance audits included); a second offer, far below IAF
MD 9 for 140 staff and from a body whose accreditation is not on the IAF MLA list, was declined and stays
flagged. The cork factory is still comparing: its body's quote and an offer too cheap to be a real audit.
The sachet plant, with no body chosen yet, has one quote in hand. Written through the services, so each
figure passes the rules a user's would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import BudgetLine, CertificationBody, CertificationProject
from app.services import bodies, quotes
from app.services.quotes import QuoteFields
from app.services.scope import Scope

# A body whose "accreditation" no IAF MLA signatory gives: the warning sign buyers are told about.
UNACCREDITED = {
    "name": "QuickCert Global",
    "accreditation_body": "United Accreditation Registry (UAR)",
    "contact_email": "sales@quickcert.example",
    "notes": "Offers certificates within two weeks.",
}


@dataclass(frozen=True)
class DemoQuote:
    body: str  # the workspace's body of that name
    days_ago: int  # received
    audit_days: str
    day_rate: str
    fees: str = "0"
    travel: str = "0"
    surveillance_days: str = ""
    decision: str = ""  # "accept" or "decline"
    notes: str = ""


QUOTES: dict[str, tuple[DemoQuote, ...]] = {
    "VN": (
        DemoQuote("Example Certification Asia", 12, "4", "20000000", "5000000", "3000000", "1.5",
                  notes="Stage 1 on site; stage 2 about six weeks later."),
        DemoQuote("QuickCert Global", 9, "1.5", "15000000", "2000000",
                  notes="Promises the certificate within two weeks of the visit."),
    ),
    "TH": (
        DemoQuote("Example Certification Asia", 5, "6", "28000", "9000", "6000", "2",
                  notes="Thai-speaking lead auditor offered."),
    ),
    "MY": (
        DemoQuote("Example Medical Certification", 40, "11", "4200", "2500", "0", "4", decision="accept",
                  notes="Travel billed at cost (see the travel line)."),
        DemoQuote("QuickCert Global", 38, "5", "3000", decision="decline",
                  notes="Declined: 5 days cannot cover ISO 13485 at a site of 140 staff."),
    ),
}  # fmt: skip
# The estimator's lines an accepted quote replaces in the demo budget.
ESTIMATED_AUDIT = "Certification body: initial audit"


def _workspace_bodies(scope: Scope) -> dict[str, CertificationBody]:
    found = {body.name: body for body in bodies.bodies_of(scope)}
    if UNACCREDITED["name"] not in found:
        # Added as a row, like the demo's other bodies: a new demo workspace has no name to race for.
        body = CertificationBody(workspace_id=scope.workspace_id, **UNACCREDITED)
        db.session.add(body)
        db.session.flush()
        found[body.name] = body
    for body in found.values():
        if body.name == "Example Certification Asia":
            body.sector_codes, body.website = "14, 19, 22", "https://example-cert-asia.example/certificates"
    return found


def _drop_estimated_audit(project: CertificationProject) -> None:
    """The estimator's unpaid lines for the initial audit, which the accepted quote's lines replace."""
    rows = db.session.execute(
        select(BudgetLine).where(
            BudgetLine.project_id == project.id,
            BudgetLine.category == "certification_body",
            BudgetLine.description.startswith(ESTIMATED_AUDIT),
            BudgetLine.actual.is_(None),
        )
    ).scalars()
    for row in rows:
        db.session.delete(row)
    db.session.flush()


def add_quotes(scope: Scope, projects: Sequence[CertificationProject], today: date) -> None:
    """The demo's quotes, after the budgets (an accepted quote's lines replace the estimated ones)."""
    found = _workspace_bodies(scope)
    for project in projects:
        for spec in QUOTES.get(project.client.country, ()):
            received = today - timedelta(days=spec.days_ago)
            fields = QuoteFields(
                body_id=found[spec.body].id,
                received_on=received,
                audit_days=spec.audit_days,
                day_rate=spec.day_rate,
                surveillance_days=spec.surveillance_days,
                fees=spec.fees,
                travel=spec.travel,
                notes=spec.notes,
            )
            quote = quotes.create_quote(scope, project, fields, today)
            if spec.decision == "accept":
                _drop_estimated_audit(project)
                quotes.accept_quote(scope, project, quote, received + timedelta(days=3))
            elif spec.decision == "decline":
                quotes.decline_quote(scope, quote)
