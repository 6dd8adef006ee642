"""The demo factories' context registers (ISO 9001 4.1, 4.2 and the climate decision), written through
:mod:`app.services.context` so every record has its history, dated when it happened.

- Binh Duong stopper plant (cork stoppers for wineries): a register started from the suggestions and made its
  own, climate change decided relevant (humidity and heat on the cork's moisture), yet two records not
  reviewed for over a year and one suggestion added but never reviewed.
- Samut Prakan sachet plant (still planning): a first few issues and parties, and no climate decision yet.
- Nhon Trach moulding plant (Tan Phu Plastics, certified): a full register reviewed at the last management
  review, with the climate decision's history (not relevant at first, relevant since the 2024 amendment).
- Any other ISO 9001 factory (the label-tape one included): the typical issues and parties, reviewed, with a
  climate decision. ISO 13485 projects get nothing: their standard has no such register.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from app.domain.pathway import StandardFamily, standard_family
from app.extensions import db
from app.models import CertificationProject
from app.services import context as service
from app.services.context import DecisionFields, IssueFields, PartyFields
from app.services.demo_register_history import dated, owner_scope
from app.services.scope import Scope


@dataclass(frozen=True)
class Issue:
    kind: str
    category: str
    description: str
    effect: str
    owner: str
    reviewed_days_ago: int | None


@dataclass(frozen=True)
class Party:
    name: str
    kind: str
    requirements: str
    monitoring: str
    reviewed_days_ago: int | None


@dataclass(frozen=True)
class Suggested:
    """A starter suggestion added, then (unless ``reviewed_days_ago`` is None) reviewed, an issue given its
    owner."""

    key: str
    owner: str = ""
    reviewed_days_ago: int | None = None


@dataclass(frozen=True)
class Decision:
    days_ago: int
    relevant: bool
    reasoning: str
    decided_by: str


@dataclass(frozen=True)
class Plan:
    started_days_ago: int  # when the register was started: the records' "added" day
    issues: tuple[Issue | Suggested, ...]
    parties: tuple[Party | Suggested, ...]
    decisions: tuple[Decision, ...] = ()


CORK = Plan(
    started_days_ago=420,
    issues=(
        Issue(
            "external",
            "market",
            "French and Australian wineries ask for a TCA (cork taint) test on every lot "
            "and for a certified quality system before they renew their contracts.",
            "Lots are released only with their TCA result; a taint complaint costs the whole season's order.",
            "Nguyen Thi Lan (QA supervisor)",
            60,
        ),
        Issue(
            "external",
            "economic",
            "The price of cork bark from Portugal rose sharply after two dry summers, "
            "and deliveries now come in fewer, larger shipments.",
            "Bark lots must still pass incoming grading and moisture checks even when supply is short.",
            "Tran Van Hung (plant manager)",
            60,
        ),
        Issue(
            "external",
            "regulatory",
            "The EU food-contact rules for cork stoppers and their coatings require "
            "declarations of compliance that buyers now check at every order.",
            "Coating suppliers' declarations and our own must be kept current and traceable to each lot.",
            "Nguyen Thi Lan (QA supervisor)",
            400,
        ),
        Issue(
            "external",
            "climate",
            "The humid, hotter rainy season raises the moisture content of stored cork "
            "and the risk of mould in the warehouse.",
            "Storage humidity and the moisture of finished stoppers must be controlled, or lots are rejected "
            "by the wineries for mould or poor sealing.",
            "Truong Van Khoa (warehouse)",
            60,
        ),
        Suggested("staff-turnover", "Ly Thi Yen (HR and admin)", 60),
        Suggested("power-cuts"),
    ),
    parties=(
        Party(
            "Wineries and wine distributors",
            "external",
            "Stoppers to the agreed dimensions, moisture and TCA limits, delivered before bottling with the "
            "certificate of each lot.",
            "Lot certificates, complaints and the wineries' yearly supplier scorecards.",
            60,
        ),
        Party(
            "Cork bark suppliers in Portugal",
            "external",
            "Firm orders placed a season ahead and payment on the agreed date.",
            "Supplier evaluation each year and the grading results of every bark lot.",
            410,
        ),
        Suggested("employees", "Ly Thi Yen (HR and admin)", 60),
        Suggested("certification-body", "Nguyen Thi Lan (QA supervisor)", 60),
        Party(
            "VSIP II industrial park management",
            "external",
            "Wastewater and cork dust kept within the park's limits, and fire-safety rules followed.",
            "Quarterly meetings with the park and its inspection reports.",
            60,
        ),
    ),
    decisions=(
        Decision(
            60,
            True,
            "Heat and humidity in the rainy season change the moisture of stored cork and bring "
            "mould, and buyers in Europe start asking about the carbon footprint of our stoppers.",
            "Tran Van Hung (plant manager) with the management team",
        ),
    ),
)

SACHET = Plan(
    started_days_ago=25,
    issues=(
        Issue(
            "external",
            "market",
            "Food brands in Thailand and Vietnam ask for FSSC 22000 or ISO 9001 before "
            "they add a new sachet packer to their approved list.",
            "Winning the two new brands depends on certification and on clean audit results.",
            "Somchai Prasert (QA manager)",
            20,
        ),
        Suggested("raw-material-prices", "Wichai Thongdee (plant manager)", 20),
        Suggested("climate-flooding"),
    ),
    parties=(
        Suggested("customers", "Somchai Prasert (QA manager)", 20),
        Party(
            "Thai FDA",
            "external",
            "Food-contact packaging and filling done under the conditions of the factory's licence.",
            "Licence conditions and inspection visits followed by the QA manager.",
            20,
        ),
    ),
)

MOULDING = Plan(
    started_days_ago=560,
    issues=(
        Issue(
            "external",
            "market",
            "European retailers buy our food containers only from suppliers with a valid "
            "certificate and a clean migration test report for each resin.",
            "The certificate and the test reports must be kept valid; a lapse stops shipments to two buyers.",
            "Nguyen Van Khanh (general director)",
            75,
        ),
        Issue(
            "external",
            "economic",
            "Polypropylene resin prices follow the oil price and the dong's exchange rate.",
            "A new resin is used only after a supplier evaluation and a melt flow check of its first lot.",
            "Doan Thi Phuong (purchasing)",
            75,
        ),
        Issue(
            "external",
            "regulatory",
            "EU rules on plastics in contact with food set migration limits that change with each amendment.",
            "Each amendment is checked against our resins and test reports.",
            "Pham Thi Thu (QA manager)",
            75,
        ),
        Issue(
            "external",
            "climate",
            "Flooding in Nhon Trach during the rainy season can close the roads to the "
            "port for several days.",
            "Shipments are planned with a buffer stock during the rainy season, and "
            "buyers are told early of any delay.",
            "Hoang Van Long (production supervisor)",
            75,
        ),
        Issue(
            "external",
            "climate",
            "Hotter afternoons in the moulding hall slow the cooling of the moulds.",
            "Cycle times and cooling water settings are checked each shift in the hot season (7.1.4).",
            "Hoang Van Long (production supervisor)",
            75,
        ),
        Issue(
            "internal",
            "people",
            "Trained moulding operators are hard to keep when new factories open nearby.",
            "Operators are trained and signed off on each machine before they work alone.",
            "Mac Thi Giang (HR officer)",
            75,
        ),
        Issue(
            "internal",
            "technology",
            "The second hot-runner set and the new moulding line make us depend on one "
            "maintenance technician.",
            "A second technician is being trained; spare parts are stocked.",
            "Hoang Van Long (production supervisor)",
            75,
        ),
    ),
    parties=(
        Party(
            "European retail buyers",
            "external",
            "Containers to specification, valid migration reports, a valid ISO 9001 certificate and on-time "
            "shipments.",
            "Monthly on-time delivery, complaints, buyer audits and the certificate's share link.",
            75,
        ),
        Party(
            "Resin suppliers",
            "external",
            "Orders placed a month ahead and payment within thirty days.",
            "Supplier evaluations and the melt flow check of every lot.",
            75,
        ),
        Party(
            "Employees",
            "internal",
            "Safe machines, wages on time and training for each new mould.",
            "Monthly meeting with the team leaders and the training matrix.",
            75,
        ),
        Party(
            "Certification body",
            "external",
            "A system that meets ISO 9001, surveillance audits each year and findings closed on time.",
            "Audit reports and the nonconformity register.",
            75,
        ),
        Party(
            "Dong Nai authorities",
            "external",
            "Environmental and fire-safety permits kept valid, waste plastics taken by a licensed collector.",
            "The list of legal requirements, reviewed each quarter.",
            75,
        ),
    ),
    decisions=(
        Decision(
            482,
            False,
            "The site has not flooded in ten years and no buyer has climate requirements for our containers.",
            "Nguyen Van Khanh (general director), management review",
        ),
        Decision(
            75,
            True,
            "Since the 2024 amendment we looked again: flooding closes the port roads, heat slows "
            "the moulds, and two buyers now ask for our energy use.",
            "Nguyen Van Khanh (general director), management review",
        ),
    ),
)

TYPICAL = Plan(
    started_days_ago=90,
    issues=tuple(
        Suggested(key, "Quality manager", 30)
        for key in (
            "export-buyer-demands",
            "raw-material-prices",
            "power-cuts",
            "staff-turnover",
            "climate-heat",
        )
    ),
    parties=tuple(Suggested(key, "Quality manager", 30) for key in ("customers", "employees", "suppliers")),
    decisions=(
        Decision(
            30,
            True,
            "Hot weather affects the adhesive on our tapes and the comfort of the operators in "
            "the coating room.",
            "Plant manager, management meeting",
        ),
    ),
)

PLANS = {
    "Binh Duong stopper plant": CORK,
    "Samut Prakan sachet plant": SACHET,
    "Nhon Trach moulding plant": MOULDING,
}


def _day(today: date, days_ago: int | None) -> date | None:
    return None if days_ago is None else today - timedelta(days=days_ago)


def _issue(
    scope: Scope, project: CertificationProject, seed: Issue | Suggested, today: date, added: date
) -> None:
    if isinstance(seed, Issue):
        fields = IssueFields(seed.kind, seed.category, seed.description, seed.effect, seed.owner)
        issue = service.create_issue(scope, project, fields, today)
    else:
        issue = service.add_suggested_issue(scope, project, seed.key)
        fields = IssueFields(issue.kind, issue.category, issue.description, issue.effect, seed.owner)
    dated(added)
    if (reviewed := _day(today, seed.reviewed_days_ago)) is not None:
        service.update_issue(scope, issue, replace(fields, reviewed_on=reviewed), None, today)
        dated(reviewed)


def _party(
    scope: Scope, project: CertificationProject, seed: Party | Suggested, today: date, added: date
) -> None:
    if isinstance(seed, Party):
        fields = PartyFields(seed.name, seed.kind, seed.requirements, seed.monitoring)
        party = service.create_party(scope, project, fields, today)
    else:
        party = service.add_suggested_party(scope, project, seed.key)
        fields = PartyFields(party.name, party.kind, party.requirements, party.monitoring)
    dated(added)
    if (reviewed := _day(today, seed.reviewed_days_ago)) is not None:
        service.update_party(scope, party, replace(fields, reviewed_on=reviewed), None, today)
        dated(reviewed)


def seed(project: CertificationProject, today: date) -> None:
    """Add the demo context register of ``project`` (ISO 9001 only), chosen by its site's name."""
    if standard_family(project.standard.code) is not StandardFamily.ISO_9001:
        return
    plan = PLANS.get(project.site.name, TYPICAL)
    scope = owner_scope(project)
    added = today - timedelta(days=plan.started_days_ago)
    for issue in plan.issues:
        _issue(scope, project, issue, today, added)
    for party in plan.parties:
        _party(scope, project, party, today, added)
    for decision in plan.decisions:
        fields = DecisionFields(
            today - timedelta(days=decision.days_ago),
            decision.relevant,
            decision.reasoning,
            decision.decided_by,
        )
        service.record_decision(scope, project, fields, today)
    db.session.flush()
