"""A demo factory's customer complaint register, written through :mod:`app.services.complaints` (so every
rule a user meets applies, and each step is in the complaint's history, dated when it happened).

The factories still preparing have complaints that need attention (one open for more than 30 days, one not
investigated yet; the infusion-set factory one awaiting its reportability decision, ISO 13485 8.2.3); the
certified factory's are all closed within the month. A nonconformity is raised from a complaint only
through the findings service; the infusion-set factory's kinked-line complaint is linked to the finding its
records already hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.domain import nonconformities as nc
from app.domain.complaints import ComplaintValues
from app.extensions import db
from app.models import CertificationProject, Complaint, Finding
from app.services import complaints as service
from app.services.complaints import Decision
from app.services.demo_register_history import dated, owner_scope
from app.services.scope import Scope


@dataclass(frozen=True)
class Step:
    """Something done on a complaint, ``days_ago`` before the demo's today."""

    days_ago: int


@dataclass(frozen=True)
class Investigated(Step):
    text: str


@dataclass(frozen=True)
class Closed(Step):
    text: str


@dataclass(frozen=True)
class NotReportable(Step):
    reason: str


@dataclass(frozen=True)
class RaisedFinding(Step):
    severity: str
    text: str


@dataclass(frozen=True)
class LinkedFinding(Step):
    """Link the project's finding from this source and clause (raised by its records), if it has one."""

    source: str
    clause: str


@dataclass(frozen=True)
class Plan:
    received_days_ago: int
    customer: str
    product: str
    description: str
    steps: tuple[Step, ...] = ()


CORK = (
    Plan(
        45, "Siam Winery", "Natural cork 45x24, lot NC-0412",
        "Fourteen bottles leaked at the neck during the customer's filling trial with corks of lot NC-0412.",
        (Investigated(38, "The retained samples of lot NC-0412 measured 0.4 mm under the ordered diameter: "
                          "the sorting machine's gauge had drifted after its belt was replaced."),),
    ),
    Plan(
        18, "Vang Dalat (Ladofoods)", "Technical cork 38x24",
        "The winery's tasting panel found a musty smell (suspected TCA) in six bottles of the 2025 red.",
    ),
    Plan(
        70, "Bodega Andina Imports", "Bar-top stopper T-cap 19.5",
        "Thirty stoppers lost their plastic head when the bottles were opened at a tasting event.",
        (
            Investigated(66, "The heads were glued with a batch of adhesive past its shelf life; the store "
                             "issued it because the label date was misread."),
            RaisedFinding(65, "minor", "Adhesive past its shelf life was issued to the T-cap line and thirty "
                                       "stoppers lost their heads at a customer's event."),
            Closed(55, "Replacement stoppers sent by air with a letter explaining the cause; the store now "
                       "issues adhesive first-expired first-out and checks the date at issue."),
        ),
    ),
)  # fmt: skip
SACHET = (
    Plan(
        34, "Siam Noodle Co.", "Chilli sauce sachet 8 g",
        "Sachets burst in the outer cartons at the customer's warehouse; about two hundred were stained.",
    ),
    Plan(
        50, "Bangkok Fresh Mart", "Sugar sachet 5 g",
        "The customer's receiving check weighed fifty sachets at 4.2 g on average instead of 5 g.",
        (
            Investigated(47, "The dosing auger of filler 2 was worn; its check weighing was done once a "
                             "shift instead of every hour as the work instruction asks."),
            Closed(35, "Credit note for the short weight; the auger was replaced and hourly check weighing "
                       "is now signed on the line's record."),
        ),
    ),
)  # fmt: skip
REASON_CARTON = (
    "The sterile pouches inside were intact: only the shipping carton was damaged, which cannot harm a "
    "patient or lead to a serious deterioration of health."
)
INFUSION = (
    Plan(
        77, "MedLine Distributors Pte Ltd (Singapore)", "Infusion set IS-200, lot 2417",
        "The distributor returned three infusion sets whose extension line was kinked and slowed the flow.",
        (
            Investigated(74, "Lot 2417 and the two lots after it were inspected: eleven more kinked sets "
                             "were found; the line is coiled while still warm from the bonding station."),
            LinkedFinding(73, nc.Source.CUSTOMER_COMPLAINT, "7.5.1"),
            NotReportable(72, "The kink slows the flow visibly before use and no patient was harmed; it "
                              "meets none of the Medical Device Authority's reporting criteria."),
            Closed(19, "Replacement sets sent; the corrective action (a cooling rack and a wider coiling "
                       "jig) was checked effective over four weeks."),
        ),
    ),
    Plan(
        60, "Hospital Pulau Pinang", "Extension line EL-150, box of 50",
        "Two cartons arrived torn at one corner.",
        (
            Investigated(58, "The carrier's photographs show the pallet was dropped at the hub; the pouches "
                             "were checked and none was damaged."),
            NotReportable(58, REASON_CARTON),
            Closed(52, "The hospital kept the sets after our check of the pouches; the carrier accepted the "
                       "claim for the cartons."),
        ),
    ),
    Plan(
        40, "KPJ Penang Specialist Hospital", "Infusion set IS-200, box of 50",
        "A box held 48 sets instead of the 50 on its label.",
        (
            Investigated(38, "The packer counted by weight on a scale set for the older, heavier pouch."),
            NotReportable(38, "A short count cannot harm a patient; the sets themselves conformed to their "
                              "specification."),
            Closed(30, "The two sets were sent the same day; a count check at packing was added and the "
                       "scale's reference weight corrected."),
        ),
    ),
    Plan(
        9, "Hospital Seberang Jaya", "Infusion set IS-200, lot 2533",
        "A nurse found that the roller clamp of one set would not stop the flow during a saline infusion; "
        "the set was replaced before any harm.",
        (Investigated(6, "The returned set's clamp wheel sits loose in its housing; the retained samples of "
                         "lot 2533 are being tested for the same fault."),),
    ),
)  # fmt: skip
MOULDING = (
    Plan(
        290, "Nordhaus Retail GmbH", "Food container 1.2 L with clip lid",
        "The retailer's store staff reported clip lids that would not close on one pallet of containers.",
        (
            Investigated(285, "The lids came from a mould run just after a repair; their clips were 0.3 mm "
                              "short and the first-off check was skipped."),
            Closed(271, "The pallet was replaced; the first-off check after any mould repair now needs the "
                        "QA inspector's signature before the run continues."),
        ),
    ),
    Plan(
        160, "AEON Vietnam", "Storage box 5 L, printed",
        "The print on one carton of storage boxes was smudged and the retailer could not sell them.",
        (
            Investigated(157, "The ink of that shift was mixed with too much thinner by a new operator on "
                              "the second printing line."),
            Closed(146, "The boxes were replaced and the new operator trained on the mixing instruction; a "
                        "print sample is now checked every hour."),
        ),
    ),
    Plan(
        65, "Co.op Mart", "Kitchen bowl set, three pieces",
        "One shipment held the green bowls instead of the blue ones ordered.",
        (
            Investigated(63, "The picking list printed the colour code in a small font and two codes differ "
                             "by one digit."),
            Closed(51, "The shipment was exchanged; the picking list now shows the colour by name and the "
                       "packer checks one box per pallet against the order."),
        ),
    ),
)  # fmt: skip
OTHER = (
    Plan(
        20, "A regular customer", "Main product",
        "Two cartons were delivered a week after the promised date without any notice to the customer.",
    ),
    Plan(
        60, "An export customer", "Main product",
        "The delivery documents named another customer's order number.",
        (
            Investigated(57, "The shipping clerk copied the documents from the previous order's template."),
            Closed(50, "Corrected documents sent; the template is now cleared before each new order."),
        ),
    ),
)  # fmt: skip
PLANS = {
    "Binh Duong stopper plant": CORK,
    "Samut Prakan sachet plant": SACHET,
    "Bayan Lepas infusion-set plant": INFUSION,
    "Nhon Trach moulding plant": MOULDING,
}


def _finding(project: CertificationProject, step: LinkedFinding) -> int | None:
    return db.session.execute(
        select(Finding.id)
        .where(
            Finding.project_id == project.id,
            Finding.source == step.source,
            Finding.clause_number == step.clause,
        )
        .order_by(Finding.id)
        .limit(1)
    ).scalar_one_or_none()


def _step(scope: Scope, project: CertificationProject, complaint: Complaint, step: Step, today: date) -> None:
    day = today - timedelta(days=step.days_ago)
    if isinstance(step, Investigated):
        service.update_details(scope, project, complaint, {"investigation": step.text}, None, today)
    elif isinstance(step, NotReportable):
        service.decide_reportability(scope, project, complaint, Decision(False, step.reason), None, today)
    elif isinstance(step, Closed):
        service.close(scope, project, complaint, day, step.text, None, today)
    elif isinstance(step, RaisedFinding):
        service.raise_finding(scope, project, complaint, step.severity, step.text, None, day)
    elif isinstance(step, LinkedFinding):
        finding_id = _finding(project, step)
        if finding_id is None:
            return
        service.link_finding(scope, project, complaint, finding_id, None)
    dated(day)


def seed(project: CertificationProject, today: date) -> None:
    """The factory's complaints (by its site's name; a short generic register for any other factory)."""
    scope = owner_scope(project)
    for plan in PLANS.get(project.site.name, OTHER):
        received = today - timedelta(days=plan.received_days_ago)
        values = ComplaintValues(received, plan.customer, plan.product, plan.description)
        complaint = service.create_complaint(scope, project, values, today)
        dated(received)
        for step in plan.steps:
            _step(scope, project, complaint, step, today)
    db.session.flush()
