"""The demo factories' audit programme, nonconformity register, management review and quality objectives, as
plain data that :mod:`app.services.demo_records` writes.

Every day is counted back from the demo's ``today`` (``days_ago``; a negative count is in the future), so the
records read the same whenever the demo is seeded. In Malaysia (ISO 13485) the first internal audit, of
sections 6 and 7, was reported three weeks ago and found the unvalidated pouch sealer (a major, its action
planned), a gowning log gap (action overdue), a gauge past its calibration (action implemented) and an
observation on supplier re-evaluation; a customer complaint's action is verified effective, a supplier's
finding closed after a second try, and a new one is open. The second audit, of sections 4, 5 and 8, is
planned; top management held a first review after the audit report. In Vietnam (ISO 9001, documentation
under way) the quality objectives are measured monthly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Planned:
    """The root cause and the corrective action recorded (open -> action planned), or revised after an
    ineffective check; with the day its effectiveness check is planned, if any."""

    days_ago: int
    method: str
    root_cause: str
    action: str
    owner: str
    due_days_ago: int
    check_due_days_ago: int | None = None


@dataclass(frozen=True)
class Implemented:
    days_ago: int


@dataclass(frozen=True)
class Checked:
    days_ago: int
    by: str
    effective: bool
    notes: str


@dataclass(frozen=True)
class Closed:
    days_ago: int


Step = Planned | Implemented | Checked | Closed


@dataclass(frozen=True)
class FindingPlan:
    """A finding and the steps of its corrective action so far. A finding of an audit is raised on the day
    the audit is reported, from its checklist line on ``clause`` (the line's result is ``severity``, its
    notes the ``description``); one of another source is raised ``raised_days_ago``."""

    clause: str
    severity: str
    description: str
    containment: str = ""
    steps: tuple[Step, ...] = ()
    source: str = "internal_audit"
    raised_days_ago: int | None = None


@dataclass(frozen=True)
class AuditPlan:
    """An audit of the programme. Its checklist has a line per applicable leaf requirement in scope: the
    lines of ``findings`` are nonconforming, the others conforming (with ``notes`` on some) once reported,
    not checked yet before."""

    title: str
    scope: tuple[str, ...]
    departments: str
    lead: str
    team: tuple[str, ...]
    start_days_ago: int
    days: int
    reported_days_ago: int | None = None
    summary: str = ""
    findings: tuple[FindingPlan, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OutputPlan:
    """A decision of a review, or an action when it has an owner and a due date."""

    category: str
    text: str
    owner: str = ""
    due_in_days: int | None = None  # counted from the review
    done_days_ago: int | None = None


@dataclass(frozen=True)
class ReviewPlan:
    """A management review. The inputs the app pre-fills from its records (earlier actions, audits, findings)
    are written as it would; ``inputs`` holds the others, where ``{objectives}`` stands for the objectives'
    latest values on the day of the review."""

    held_days_ago: int
    period_days: int
    attendees: tuple[str, ...]
    inputs: Mapping[str, str]
    outputs: tuple[OutputPlan, ...]
    notes: str = ""


@dataclass(frozen=True)
class ObjectivePlan:
    """An objective and its values at the end of each of the last months, oldest first (the last one is
    last month's)."""

    title: str
    measure: str
    unit: str
    direction: str
    target: str
    owner: str
    due_in_days: int
    values: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True)
class Records:
    audits: tuple[AuditPlan, ...] = ()
    findings: tuple[FindingPlan, ...] = ()  # of other sources than the audits
    review: ReviewPlan | None = None
    objectives: tuple[ObjectivePlan, ...] = ()


KAVITHA, FAIZAL, MEILING = "Kavitha a/p Subramaniam", "Mohd Faizal bin Ismail", "Lim Mei Ling"
WEIMING, AISYAH = "Tan Wei Ming", "Nur Aisyah binti Ahmad"

FIRST_AUDIT = AuditPlan(
    title="Internal audit 1: resources and product realisation",
    scope=("6", "7"),
    departments="Management; Production; Clean room; Engineering; Warehouse",
    lead=WEIMING,
    team=(AISYAH,),
    start_days_ago=26,
    days=3,
    reported_days_ago=21,
    summary="Design control, traceability and the sterilisation records are in good order. The pouch "
    "sealer runs without a validation (major); the gowning log and one gauge's calibration slipped (minor); "
    "supplier re-evaluation dates are not recorded (observation).",
    findings=(
        FindingPlan(
            "7.5.6", "major",
            "The sealing process of the sterile barrier pouches has no validation record: sealer SL-02, "
            "installed last year, has never had an IQ, OQ or PQ.",
            containment="Every lot sealed on SL-02 is held for a dye-penetration test of 32 pouches before "
            "release; no leak found so far.",
            steps=(
                Planned(14, "fishbone",
                        "The new sealer was bought as a like-for-like replacement: the change request form "
                        "does not ask whether a process must be validated again, so nobody wrote a protocol.",
                        "Validate SL-02 (IQ, OQ and PQ on three lots with seal-strength and dye-penetration "
                        "tests) and add the question of revalidation to the change request form.",
                        KAVITHA, -21, -60),
            ),
        ),
        FindingPlan(
            "6.4.1", "minor",
            "The gowning log at the clean-room airlock was not signed on 3 of the 10 days sampled, so "
            "gowning cannot be shown for those shifts.",
            containment="The supervisors confirmed with the operators of those shifts that they gowned; the "
            "sheets were countersigned.",
            steps=(
                Planned(19, "five_whys",
                        "The sheet hangs inside the gowning room: operators who gown again after a break do "
                        "not pass it, and nobody checks it at the end of the shift.",
                        "Move the gowning log to the airlock door, add it to the supervisor's end-of-shift "
                        "round and brief every clean-room operator.",
                        FAIZAL, 5),
            ),
        ),
        FindingPlan(
            "7.6", "minor",
            "Torque gauge TG-03 on the cap assembly line was used two months past its calibration due date.",
            containment="TG-03 was taken out of use and calibrated the same day; it was found within "
            "tolerance, so the caps torqued since were released.",
            steps=(
                Planned(18, "five_whys",
                        "The calibration register lists the gauges by location: TG-03 was moved to the cap "
                        "line and its entry was never updated, so its due date did not come up.",
                        "List every gauge by its number in the calibration register and compare the register "
                        "with the gauges on the floor every quarter.",
                        "Lee Chun Hao", 4, -24),
                Implemented(6),
            ),
        ),
        FindingPlan(
            "7.4.1", "observation",
            "The approved supplier list does not show when each supplier was last re-evaluated; the dates "
            "are only in e-mails.",
        ),
    ),
    notes={
        "6.2": "Training records of 12 clean-room operators sampled: all complete, two retrainings on the "
        "revised contamination control procedure still to do.",
        "7.3.10": "Design file of the standard infusion set complete; the extension-line file sampled.",
        "7.5.5": "Records of the last 12 sterilisation loads checked: every parameter within the validated "
        "range.",
        "7.5.9.2": "The sets are not implantable: nothing more is required here.",
    },
)  # fmt: skip

SECOND_AUDIT = AuditPlan(
    title="Internal audit 2: system, management and measurement",
    scope=("4", "5", "8"),
    departments="Management; Quality; Regulatory affairs",
    lead=KAVITHA,
    team=(),
    start_days_ago=-10,
    days=2,
)

INFUSION_FINDINGS = (
    FindingPlan(
        "7.5.1", "minor",
        "A distributor in Singapore returned 3 infusion sets of lot 2417 whose extension line was kinked and "
        "slowed the flow.",
        containment="Lot 2417 and the two lots after it inspected: 11 more kinked sets found and scrapped; "
        "the distributor was sent replacements.",
        source="customer_complaint", raised_days_ago=75,
        steps=(
            Planned(72, "fishbone",
                    "The line is coiled while still warm from the bonding station, on a jig whose radius is "
                    "too tight; no cooling time was ever set.",
                    "Add a two-minute cooling rack before coiling, widen the jig to a 60 mm radius and check "
                    "20 sets a shift for kinks for three months.",
                    "Yap Kok Leong", 45, 20),
            Implemented(48),
            Checked(19, AISYAH, True,
                    "No kinked line in the 2,400 sets checked over four weeks, and no new complaint from the "
                    "distributor."),
        ),
    ),
    FindingPlan(
        "7.4.3", "minor",
        "Lot 5521 of PVC tubing arrived without its certificate of conformity and was released to "
        "production.",
        containment="The tubing of lot 5521 was quarantined and released only when the supplier sent the "
        "certificate.",
        source="supplier", raised_days_ago=120,
        steps=(
            Planned(117, "five_whys",
                    "The receiving form asks for the quantity and damage only, and the quality agreement "
                    "does not require a certificate with each lot.",
                    "Add the certificate to the receiving checklist, quarantine any lot without one, and "
                    "require it in the supplier's quality agreement.",
                    "Azman bin Osman", 100, 70),
            Implemented(102),
            Checked(70, AISYAH, False,
                    "Two lots received since were again released without a certificate: the night shift did "
                    "not use the new checklist."),
            Planned(69, "five_whys",
                    "The receiving form did not ask for the certificate; once it did, the night shift was "
                    "never briefed on it, and the stock system still released a lot without one.",
                    "Brief both shifts on the checklist and block the release of a tubing lot in the stock "
                    "system until its certificate is recorded.",
                    "Azman bin Osman", 60, 35),
            Implemented(60),
            Checked(35, AISYAH, True,
                    "All nine tubing lots received in the month had their certificate checked and filed "
                    "before release."),
            Closed(33),
        ),
    ),
    FindingPlan(
        "7.5.5", "minor",
        "The contract EO steriliser sent the cycle record of load 2431 nine days late, where the quality "
        "agreement asks for it within two days.",
        containment="The sets of load 2431 stay in quarantine until the record is received and reviewed.",
        source="supplier", raised_days_ago=3,
    ),
)  # fmt: skip

INFUSION_REVIEW = ReviewPlan(
    held_days_ago=5,
    period_days=140,
    attendees=(
        "Rajesh a/l Krishnan, General manager",
        f"{WEIMING}, QA manager (management representative)",
        f"{MEILING}, Regulatory affairs officer",
        f"{FAIZAL}, Production supervisor",
        f"{KAVITHA}, Process engineer",
    ),
    inputs={
        "feedback": "Distributor survey (9 of 11 answered): 4.3 of 5 on average, the lowest marks for "
        "delivery lead time. Two hospital buyers asked for the extension lines in boxes of 25.",
        "complaints": "Three complaints, all answered within the 30-day target: kinked extension lines in "
        "lot 2417 (corrective action verified effective), a torn outer carton (transport damage) and a box "
        "of 48 sets instead of 50 (a count check added at packing).",
        "regulatory_reporting": "Nothing was reportable to the Medical Device Authority in the period; the "
        "kinked-line complaint was assessed against the reporting criteria and recorded as not reportable.",
        "process_monitoring": "Clean-room particle counts and pressure differentials stayed within limits on "
        "every day monitored; every sterilisation load ran within its validated parameters. Quality "
        "objectives:\n{objectives}",
        "product_monitoring": "Final inspection passed 186 of 188 lots; the two rejected for seal width were "
        "reworked and passed. 0.9 % of seal-strength samples were below the minimum, all from sealer SL-02.",
        "preventive_action": "A second PVC tubing supplier is being qualified after the first one's late "
        "deliveries, and a humidity alarm was added in the packing room after readings near the upper limit.",
        "qms_changes": "The contamination control procedure was revised (new gowning sequence) and the "
        "operators are being retrained; a 150 cm extension line will go through design change control; "
        "headcount grew from 132 to 140.",
        "improvement_recommendations": "Validate sealer SL-02 before any other change on the sealing line, "
        "make a missed gowning signature visible the same day, and record supplier re-evaluation dates.",
        "regulatory_changes": "No new regulation applies to the sets in the period; two export customers "
        "asked for EU MDR labelling of the extension lines, which regulatory affairs is assessing.",
    },
    outputs=(
        OutputPlan("system_improvement", "Complete the audit programme with sections 4, 5 and 8 before the "
                   "certification audit, and hold a second review after its report."),
        OutputPlan("system_improvement", "Move the gowning log to a tablet at the airlock so that a missing "
                   "signature is flagged the same day.", FAIZAL, 25),
        OutputPlan("product_improvement", "Offer the extension lines in boxes of 25 once the pouch "
                   "validation is confirmed to cover the smaller box.", KAVITHA, 60),
        OutputPlan("regulatory_changes", "Assess the EU MDR labelling the extension lines need for the two "
                   "export customers and report to the general manager.", MEILING, 30),
        OutputPlan("resources", "Buy a second seal-strength tester so that both sealing lines can test "
                   "every shift.", "Rajesh a/l Krishnan", 20, done_days_ago=2),
    ),
    notes="First management review of the quality management system, held after the first internal audit.",
)  # fmt: skip

INFUSION_OBJECTIVES = (
    ObjectivePlan(
        "Keep complaints below one per 10,000 sets shipped",
        "complaints received in the month / sets shipped in the month x 10,000", "per 10,000 sets",
        "at_most", "1", MEILING, 200, ("1.6", "1.3", "2.1", "0.9", "0.8", "0.7"),
    ),
    ObjectivePlan(
        "Seal every pouch right first time",
        "pouches passing the seal-strength test at the first try / pouches tested", "%",
        "at_least", "99.5", KAVITHA, 200, ("99.2", "99.4", "99.1", "99.3", "99.0", "99.2"),
        notes="Held back by sealer SL-02 until it is validated (finding of internal audit 1).",
    ),
    ObjectivePlan(
        "Ship orders on the promised date",
        "orders shipped on or before the promised date / orders shipped in the month", "%",
        "at_least", "95", "Azman bin Osman", 200, ("93.5", "94.8", "96.2", "95.5", "97.1", "96.4"),
    ),
)  # fmt: skip

CORK_OBJECTIVES = (
    ObjectivePlan(
        "Keep customer complaints under half a percent of shipments",
        "complaints received in the month / shipments in the month x 100", "%",
        "at_most", "0.5", "Nguyen Thi Lan", 180, ("0.8", "0.6", "0.4", "0.3"),
    ),
    ObjectivePlan(
        "Deliver on time to the wineries",
        "orders shipped on the promised date / orders shipped in the month x 100", "%",
        "at_least", "95", "Tran Van Hung", 180, ("91.0", "93.5", "96.0", "93.8"),
        notes="Reviewed monthly at the production meeting; the late orders were waiting for cork bark.",
    ),
)  # fmt: skip

RECORDS: Mapping[str, Records] = {
    "MY": Records(
        audits=(FIRST_AUDIT, SECOND_AUDIT),
        findings=INFUSION_FINDINGS,
        review=INFUSION_REVIEW,
        objectives=INFUSION_OBJECTIVES,
    ),
    "VN": Records(objectives=CORK_OBJECTIVES),
}
