"""The demo factories' risks and opportunities (ISO 9001 6.1), each checked by the rules the app applies to
what a user records (:mod:`app.domain.risks`); a plan breaking a rule raises ValueError.

The factories still preparing have some that need attention (a high risk without an action, an overdue
action); Tan Phu Plastics, certified, keeps its register in order: every action reviewed or not yet due.
Where the context register already holds a matching issue or interested party (the context demo runs
first), the risk is linked to it; it is looked up by words, never by id. An ISO 13485 project gets nothing:
its risk management is the risk-management file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.domain import risks as rules
from app.domain.pathway import StandardFamily, standard_family
from app.domain.registers import RecordKind
from app.extensions import db
from app.models import CertificationProject, ContextIssue, InterestedParty, Risk
from app.services.demo_register_history import RECORDED_AT, dated, owner_scope
from app.services.register_records import log
from app.services.scope import Scope


@dataclass(frozen=True)
class Plan:
    kind: str
    description: str
    likelihood: int
    impact: int
    action: str = ""
    owner: str = ""
    due_in_days: int | None = None  # negative: already past
    reviewed_days_ago: int | None = None
    effective: bool | None = None
    review_notes: str = ""
    residual: tuple[int, int] | None = None
    # Words to find in one of the project's context issues ("issue") or interested parties ("party").
    source: tuple[str, tuple[str, ...]] | None = None
    recorded_days_ago: int = 150
    starter_key: str | None = None


RISK, OPPORTUNITY = rules.RiskKind.RISK.value, rules.RiskKind.OPPORTUNITY.value

CORK = (
    Plan(RISK, "TCA cork taint in a lot of natural stoppers reaches a winery, which claims the spoiled "
         "wine from us.", 3, 5, "Screen every lot for TCA by GC-MS before release and keep the results "
         "with the lot.",
         "Ms Lan, QA manager", -20, 10, True, "No lot above 1 ng/l has shipped since the screening started; "
         "two lots were held and reworked.", (1, 5), ("party", ("winer", "customer", "buyer"))),
    Plan(RISK, "The only cork bark supplier delivers late in the harvest season and the punching line "
         "stops.", 3, 4, "Qualify a second bark supplier in Portugal and keep six weeks of bark in stock.",
         "Mr Hai, purchasing", -15, source=("issue", ("bark", "raw-material")),
         starter_key="single_source_material"),
    Plan(RISK, "Humidity in the rainy season raises the stoppers' moisture in the warehouse above the "
         "specification.", 4, 3, source=("issue", ("humid", "moisture", "climate"))),
    Plan(RISK, "The EU food-contact rules for the stoppers' surface coating change and a shipment to "
         "Europe is refused.", 2, 4, "Follow the EU food-contact updates and ask the coating supplier for "
         "a yearly declaration of compliance.", "Ms Lan, QA manager", 30,
         source=("issue", ("food-contact", "regulat"))),
    Plan(RISK, "The only setter of the punching machines leaves and the bore diameters start to drift.",
         2, 3, "Write the punching set-up into a work instruction and train a second setter on it.",
         "Mr Phuc, production", 45, source=("issue", ("staff", "operator", "people"))),
    Plan(RISK, "Congestion at Cat Lai port holds a container for a few days before it sails.", 2, 2),
    Plan(OPPORTUNITY, "The ISO 9001 certificate opens tenders with the wineries that only buy from "
         "certified suppliers.", 4, 4, "Send the certificate to the five Chilean and French wineries that "
         "asked for a certified supplier.", "Mr Tuan, sales", 120,
         source=("issue", ("certif", "export-buyer", "market")), starter_key="certified_buyers"),
    Plan(OPPORTUNITY, "Technical stoppers made from the granulate of punching waste can be sold to the "
         "bar-top market.", 3, 3),
)  # fmt: skip

# The sachet plant scores on 3 points.
SACHETS = (
    Plan(RISK, "A sealing jaw runs too cold and sachets leak in the customer's outer carton.", 2, 3),
    Plan(RISK, "Food-grade film from the single supplier in Rayong arrives late during the monsoon.", 2, 3,
         "Approve a second film supplier and hold three weeks of film in stock.", "Khun Malee, purchasing",
         60, source=("issue", ("film", "raw-material"))),
    Plan(RISK, "Soy from the condiment line is carried over into the salt sachets after a changeover.", 2, 3,
         "Validate the changeover cleaning with allergen swab tests and record every changeover.",
         "Khun Somchai, QA", -5, source=("party", ("fda", "authorit"))),
    Plan(RISK, "Sugar prices rise sharply and the fixed-price contract with the airline caterer loses "
         "money.", 3, 2, "Agree a quarterly price review with the caterer and buy sugar on three-month "
         "contracts.", "Khun Niran, sales", 90, source=("issue", ("raw-material", "price"))),
    Plan(RISK, "Flooding around Bang Phli in the rainy season stops the deliveries of film and cartons.",
         1, 3, source=("issue", ("flood", "climate"))),
    Plan(OPPORTUNITY, "Stick packs for the coffee chains grow faster than sachets and use the same "
         "film.", 2, 3, "Run stick-pack trials for two coffee chains and quote the volumes they ask for.",
         "Khun Niran, sales", 100, source=("party", ("customer", "buyer"))),
)  # fmt: skip

LABEL_TAPE = (
    Plan(RISK, "Adhesive from the single supplier in Korea varies in tack and labels lift on the customer's "
         "bottles.", 3, 4, "Test the tack of every adhesive lot on arrival and approve a second "
         "adhesive supplier.", "Ms Dewi, QA", -10, source=("issue", ("raw-material", "supplier"))),
    Plan(RISK, "A print misregistration on a long run is only found at the customer's labelling line.", 3,
         3, "Add a camera inspection at the rewinder and keep its reject log with each roll.",
         "Mr Budi, production", 40),
    Plan(RISK, "Only two operators know how to set up the flexo press for the metallic inks.", 2, 3,
         source=("issue", ("staff", "people"))),
    Plan(RISK, "Ink and film prices rise with the oil price and erode the margin on yearly contracts.", 3, 2,
         "Agree a half-yearly price review with the three largest customers.", "Mr Hendra, sales", -60, 20,
         True, "Both price reviews held on time recovered the ink increase without losing a customer.",
         (2, 2), ("issue", ("price", "economic"))),
    Plan(OPPORTUNITY, "Digital printing would let the plant take the short runs that the flexo press "
         "turns away.", 3, 3),
    Plan(RISK, "A roll core is crushed in transit to a customer in Surabaya.", 1, 3),
)  # fmt: skip

TAN_PHU = (
    Plan(RISK, "The export retailers, who now require a certified supplier, could drop the plant before "
         "it is certified.", 2, 5, "Certify the plant to ISO 9001 and send the certificate to each "
         "retailer's sourcing team.", "Ms Thu, QA manager", -200, 150, True, "All three retailers renewed "
         "their supplier approval once they had the certificate.", (1, 5),
         ("issue", ("retailer", "export-buyer", "market")), 420),
    Plan(RISK, "A rise in polypropylene resin prices erodes the margin on the retailers' yearly price "
         "lists.", 4, 3, "Buy resin on three-month contracts with a price ceiling agreed with two "
         "suppliers.", "Mr Long, purchasing", -240, 120, True, "The ceiling held through the last two "
         "price rises; the margin stayed within plan.", (2, 3),
         ("issue", ("polypropylene", "resin price", "raw-material")), 400),
    Plan(RISK, "Ink from the second printing line could mark the food-contact face of the containers.",
         2, 4, "Shield the food-contact face on the printing jig and wipe-test ten containers an hour.",
         "Mr Khoa, printing", 30, source=("issue", ("contact with food", "food-contact", "regulat")),
         recorded_days_ago=40),
    Plan(RISK, "A mould breaks in the peak season and the retailers' orders are delivered late.", 2, 4,
         "Keep spare inserts for the six busiest moulds and service them every 50,000 shots.",
         "Mr Khoa, maintenance", -150, 90, True, "No mould has stopped a delivery since the spares were "
         "stocked; one insert was swapped in an hour.", (1, 4), ("issue", ("hot-runner", "maintenance")),
         380),
    Plan(RISK, "Heat in the dry season slows the cooling of the moulds and lengthens the cycle time.", 2, 2,
         source=("issue", ("hotter", "heat", "cooling")), recorded_days_ago=380),
    Plan(OPPORTUNITY, "A Japanese retailer looking for certified suppliers could take the stackable "
         "containers.", 3, 4, "Send samples and the certificate to the retailer's buyer in Osaka.",
         "Ms Thu, sales", 60, recorded_days_ago=60),
    Plan(OPPORTUNITY, "Regrinding the sprues into non-food storage boxes lowers the resin bought.", 4, 2,
         "Regrind the sprues of the storage-box moulds and test the boxes' drop strength.",
         "Mr Long, production", -100, 40, True, "Resin bought fell by four percent; every box lot passed "
         "the drop test.", (4, 1), recorded_days_ago=300),
)  # fmt: skip


def _plans(project: CertificationProject) -> tuple[Sequence[Plan], int]:
    """The plans and the scale of a demo factory, by its site's name."""
    name = project.site.name.lower()
    if "stopper" in name:
        return CORK, 5
    if "sachet" in name:
        return SACHETS, 3
    if "label" in name or "tape" in name:
        return LABEL_TAPE, 5
    if "moulding" in name:
        return TAN_PHU, 5
    return (), 5


def _sources(project: CertificationProject) -> tuple[list[ContextIssue], list[InterestedParty]]:
    issues = db.session.execute(
        select(ContextIssue).where(ContextIssue.project_id == project.id).order_by(ContextIssue.id)
    ).scalars()
    parties = db.session.execute(
        select(InterestedParty).where(InterestedParty.project_id == project.id).order_by(InterestedParty.id)
    ).scalars()
    return list(issues), list(parties)


def _find(
    plan: Plan, issues: list[ContextIssue], parties: list[InterestedParty]
) -> tuple[int | None, int | None]:
    """The first issue or party holding the plan's first word, else its second, and so on."""
    if plan.source is None:
        return None, None
    kind, words = plan.source
    texts = (
        [(issue.id, f"{issue.starter_key or ''} {issue.category} {issue.description}") for issue in issues]
        if kind == "issue"
        else [(party.id, f"{party.starter_key or ''} {party.name}") for party in parties]
    )
    found = next((key for word in words for key, text in texts if word in text.lower()), None)
    return (found, None) if kind == "issue" else (None, found)


def _checked(plan: Plan, scale: int, today: date) -> tuple[date, date | None, rules.ReviewInput | None]:
    recorded = today - timedelta(days=plan.recorded_days_ago)
    due = today + timedelta(days=plan.due_in_days) if plan.due_in_days is not None else None
    values = rules.RiskInput(
        plan.kind, plan.description, plan.likelihood, plan.impact, plan.action, plan.owner, due
    )
    errors = rules.risk_errors(values, scale, today)
    review = None
    if plan.reviewed_days_ago is not None:
        residual = plan.residual or (None, None)
        review = rules.ReviewInput(
            today - timedelta(days=plan.reviewed_days_ago), plan.effective, plan.review_notes, *residual
        )
        errors |= rules.review_errors(review, plan.action, recorded, scale, today)
    if errors:
        raise ValueError(f"Demo risk {plan.description[:40]!r}: {errors}")
    return recorded, due, review


def seed(project: CertificationProject, today: date) -> None:
    """Add the demo factory's risks and opportunities (nothing for an ISO 13485 project)."""
    if standard_family(project.standard.code) is not StandardFamily.ISO_9001:
        return
    plans, scale = _plans(project)
    if not plans:
        return
    project.risk_scale = scale
    issues, parties = _sources(project)
    scope = owner_scope(project)
    for plan in plans:
        recorded, due, review = _checked(plan, scale, today)
        issue_id, party_id = _find(plan, issues, parties)
        risk = Risk(
            project_id=project.id,
            kind=plan.kind,
            issue_id=issue_id,
            party_id=party_id,
            description=plan.description,
            likelihood=plan.likelihood,
            impact=plan.impact,
            action=plan.action,
            owner=plan.owner,
            due_date=due,
            starter_key=plan.starter_key,
            created_at=datetime.combine(recorded, RECORDED_AT, tzinfo=UTC),
        )
        if review is not None:
            risk.reviewed_on = review.reviewed_on
            risk.effective = review.effective
            risk.review_notes = review.notes
            risk.residual_likelihood, risk.residual_impact = (
                review.residual_likelihood,
                review.residual_impact,
            )
        db.session.add(risk)
        db.session.flush()
        _log(scope, project, risk, scale)


def _log(scope: Scope, project: CertificationProject, risk: Risk, scale: int) -> None:
    """The history a user's recording and review would have written, dated the days they happened."""
    points = rules.score(risk.likelihood, risk.impact)
    scored = f"{rules.score_text(risk.likelihood, risk.impact)} ({rules.level(points, scale)})"
    log(scope, project.id, RecordKind.RISK, risk.id, f"Recorded the {risk.kind}, scored {scored}.")
    dated(risk.created_at.date())
    if risk.reviewed_on is not None:
        verdict = "effective" if risk.effective else "not effective"
        log(
            scope,
            project.id,
            RecordKind.RISK,
            risk.id,
            f"Reviewed on {risk.reviewed_on:%d %b %Y}: {verdict}.",
        )
        dated(risk.reviewed_on)
