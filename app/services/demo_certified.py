"""The demo's certified factory, as plain data that :mod:`app.services.demo_certificates` writes.

Tan Phu Plastics (Vietnam, ISO 9001) moulds food containers for export retailers. It went the whole way with
the consultancy: gap analysis, its six documents, training (started early, with the owner's reason, to train
the operators of the new moulding line), two internal audits and a management review, stage 1 (one concern,
resolved) and stage 2 (two minors, closed), the certification decision about thirteen months ago and a
certificate from Example Certification Asia (accredited by BoA, on the IAF MLA list). The system kept
running: documents reviewed, refreshers held, a second round of internal audits and a review, and the first
surveillance audit six weeks ago (one minor, its action planned). A buyer holds a share link to the
certificate.

Every day is counted back from the demo's ``today`` (``days_ago``; negative in the future), so the records
read the same whenever the demo is seeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services.demo_documents import APPROVED, REVISED, Plan
from app.services.demo_record_plans import (
    AuditPlan,
    Checked,
    Closed,
    FindingPlan,
    Implemented,
    ObjectivePlan,
    OutputPlan,
    Planned,
    Records,
    ReviewPlan,
)
from app.services.demo_staff import AWARENESS_9001, Need, Session, Staff, Training

BODY = "Example Certification Asia"
BODY_ACCREDITATION_NUMBER = "VICB 027"
LEAD_AUDITOR = "Nguyen Minh Quan"
CB_CHECKER = f"{LEAD_AUDITOR} (lead auditor, {BODY})"

FACTORY: dict[str, dict[str, Any]] = {
    "client": {
        "name": "Tan Phu Plastics JSC",
        "country": "VN",
        "contact_name": "Pham Thi Thu",
        "contact_email": "thu@tanphuplastics.example",
    },
    "site": {
        "name": "Nhon Trach moulding plant",
        "country": "VN",
        "employee_count": 64,
        "address": "Road 2, Nhon Trach 3 Industrial Park, Nhon Trach, Dong Nai, Vietnam",
        "products": "Injection-moulded food containers, storage boxes and kitchenware for export retailers",
        "scope_statement": "Injection moulding, printing and packing of plastic food containers and "
        "household ware",
    },
    "project": {"standard": "iso9001", "status": "in_progress", "currency": "VND"},
}
NO_DESIGN = (
    "The containers are moulded to the retailers' own designs, on moulds they own or approve; no product "
    "design is done on site."
)
DESIGN_CLAUSES = ("8.3.1", "8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.3.6")


@dataclass(frozen=True)
class Days:
    """When each step happened, in days before the demo's today."""

    gap_start: int = 640
    gap_done: int = 620
    documentation_done: int = 545
    training_start: int = 560  # early: the documentation was not done yet
    training_done: int = 520
    audits_start: int = 518
    audits_done: int = 486
    review_done: int = 480
    stage1: int = 470
    concerns_resolved: int = 452
    stage2_start: int = 432
    stage2_end: int = 430
    decision: int = 400
    issued: int = 396
    documents_reviewed: int = 160
    surveillance_start: int = 44
    surveillance_end: int = 43
    quote_received: int = 505
    quote_accepted: int = 500


DAYS = Days()
EARLY_TRAINING = (
    "Training starts before the last procedures are approved, so that the operators of the new moulding "
    "line are trained before it starts up; they train on each procedure once it is approved."
)

DOCUMENTS = Plan(
    prefix="TPP",
    owner="Pham Thi Thu",
    approved_weeks_ago=79,  # 553 days ago, during the documentation stage
    histories={"4.3": REVISED, "8.5.1": REVISED},
    rest=APPROVED,
    notes={
        "4.3": "Adds the printing of lids to the scope after the second printing line was bought.",
        "8.5.1": "Adds the first-off inspection of every mould change to the moulding procedure.",
    },
)

KHANH, THU, LONG, GIANG = "Nguyen Van Khanh", "Pham Thi Thu", "Hoang Van Long", "Mac Thi Giang"
PHUONG, DAT = "Doan Thi Phuong", "Lam Quoc Dat"

TRAINING = Training(
    needs=(
        Need("aware", AWARENESS_9001, "7.3", everyone=True),
        Need("audit", "Internal auditor course (ISO 9001 and ISO 19011)", "9.2.2", auditor=True),
        Need("moulding", document="TPP-QP-02"),
        Need("hygiene", "Food-contact hygiene (GMP)", "7.1.4", refresher_months=12),
        Need("inspect", "Visual and dimensional inspection of moulded parts", "8.6"),
        Need("forklift", "Forklift licence", "7.2", refresher_months=36),
    ),
    roles={
        "General director": "",
        "QA manager": "audit",
        "QC inspector": "moulding inspect hygiene",
        "Production supervisor": "audit moulding hygiene",
        "Moulding operator": "moulding hygiene",
        "Printing and packing operator": "moulding hygiene",
        "Mould technician": "moulding",
        "Warehouse keeper": "forklift",
        "Purchasing officer": "",
        "HR officer": "audit",
    },
    staff=(
        Staff("khanh", KHANH, "Management", "General director", 5200),
        Staff("thu", THU, "Quality", "QA manager", 2900),
        Staff("an", "Le Hoang An", "Quality", "QC inspector", 1400),
        Staff("nhung", "Vu Thi Nhung", "Quality", "QC inspector", 700),
        Staff("long", LONG, "Production", "Production supervisor", 2600),
        Staff("trang", "Dinh Thi Trang", "Production", "Moulding operator", 1900),
        Staff("tam", "Luong Van Tam", "Production", "Moulding operator", 1200),
        Staff("hieu", "Trinh Minh Hieu", "Production", "Moulding operator", 800),
        Staff("xuan", "Kieu Thi Xuan", "Production", "Moulding operator", 95),
        Staff("lien", "Ha Thi Lien", "Production", "Printing and packing operator", 1600),
        Staff("sang", "Chu Van Sang", "Production", "Printing and packing operator", 650),
        Staff("quynh", "Ta Thi Quynh", "Production", "Printing and packing operator", 1500,
              left_days_ago=120),
        Staff("dat", DAT, "Maintenance", "Mould technician", 2200),
        Staff("kiet", "Quach Tuan Kiet", "Warehouse", "Warehouse keeper", 1700),
        Staff("phuong", PHUONG, "Purchasing", "Purchasing officer", 1300),
        Staff("giang", GIANG, "Administration", "HR officer", 2000),
    ),
    sessions=(
        Session("audit", 556, "Example Training Centre, Ho Chi Minh City", "external_course", 960,
                "thu long giang", "Course exam", 14, evidence="Internal auditor course certificates"),
        Session("aware", 558, THU, "classroom", 120,
                "khanh thu an nhung long trang tam hieu lien sang quynh dat kiet phuong giang", "Short quiz",
                2, evidence="Attendance sheet, quality policy and objectives briefing"),
        Session("moulding", 548, LONG, "classroom", 90, "an nhung long trang tam hieu lien sang quynh dat",
                "Observation on the line", 7),
        Session("hygiene", 545, THU, "classroom", 60, "an nhung long trang tam hieu lien sang quynh",
                "Written quiz", 1),
        Session("inspect", 540, THU, "on_the_job", 240, "an nhung", "Supervised inspection of 5 lots", 10),
        Session("forklift", 900, "Example Training Centre, Ho Chi Minh City", "external_course", 480, "kiet",
                "Practical test", 0),
        Session("hygiene", 180, THU, "classroom", 60, "an nhung long trang tam hieu lien sang quynh",
                "Written quiz", 1, evidence="Attendance sheet, food-contact hygiene refresher"),
        # The new moulding operator's induction.
        Session("aware", 90, GIANG, "classroom", 60, "xuan", "Short quiz", 1),
        Session("hygiene", 90, THU, "classroom", 60, "xuan", "Written quiz", 1),
        Session("moulding", 88, LONG, "on_the_job", 480, "xuan", "Observation on the line", 7),
    ),
    competence_clause="7.2",
)  # fmt: skip

SYSTEM_SCOPE = ("4", "5", "6", "9", "10")
SYSTEM_DEPARTMENTS = "Management; Quality; Administration"
OPERATION_SCOPE = ("7", "8")
OPERATION_DEPARTMENTS = "Production; Maintenance; Warehouse; Purchasing"

FIRST_YEAR = Records(
    audits=(
        AuditPlan(
            "Internal audit 1: context, leadership, planning, evaluation and improvement", SYSTEM_SCOPE,
            SYSTEM_DEPARTMENTS, LONG, (), start_days_ago=512, days=1, reported_days_ago=508,
            summary="The policy, objectives and risk register are in place and known to the managers; the "
            "monthly quality report does not yet analyse the scrap figures (observation).",
            findings=(
                FindingPlan(
                    "9.1.3", "observation",
                    "The monthly quality report lists the scrap figures but does not analyse their causes by "
                    "machine or by defect.",
                    steps=(
                        Planned(505, "five_whys",
                                "The report was copied from the sales report, which only totals figures; "
                                "nobody was asked to look for causes.",
                                "Add a page to the monthly quality report that ranks scrap by machine and "
                                "by defect, with the actions taken on the top three.",
                                THU, 470, 455),
                        Implemented(470),
                        Checked(455, KHANH, True,
                                "The last two monthly reports rank scrap by machine and defect, and each "
                                "names the actions on the top three causes."),
                        Closed(454),
                    ),
                ),
            ),
        ),
        AuditPlan(
            "Internal audit 2: support and operation", OPERATION_SCOPE, OPERATION_DEPARTMENTS, THU, (GIANG,),
            start_days_ago=500, days=2, reported_days_ago=495,
            summary="Moulding, printing, inspection and the warehouse follow their procedures; two moulds "
            "owned by a customer were not identified as theirs (minor).",
            findings=(
                FindingPlan(
                    "8.5.3", "minor",
                    "Two moulds owned by a customer were stored without a tag naming their owner and were "
                    "missing from the mould register.",
                    containment="Both moulds were tagged and entered in the register the same day.",
                    steps=(
                        Planned(492, "five_whys",
                                "Customer moulds are received by the warehouse, which did not know of the "
                                "mould register kept by the mould technician.",
                                "Receive every customer mould through the mould technician, who tags it with "
                                "the owner's name and lists it in the register on arrival.",
                                DAT, 478, 460),
                        Implemented(480),
                        Checked(458, THU, True,
                                "All 46 moulds in the store are tagged and listed, including the two "
                                "received since the audit."),
                        Closed(457),
                    ),
                ),
            ),
            notes={"7.1.5.2": "Gauge register sampled: five calipers and two scales, all within their "
                   "calibration dates."},
        ),
    ),
    review=ReviewPlan(
        held_days_ago=482,
        period_days=90,
        attendees=(f"{KHANH}, General director", f"{THU}, QA manager (management representative)",
                   f"{LONG}, Production supervisor", f"{PHUONG}, Purchasing officer"),
        inputs={
            "context_changes": "Two European retailers now ask every supplier for an ISO 9001 certificate "
            "they can check, and resin prices rose by a tenth over the quarter.",
            "customer_satisfaction": "Seven of the nine retailers answered the survey: 4.1 of 5 on average, "
            "the lowest marks for the lead time of new colours.",
            "objectives": "The objectives were set three months ago: scrap was 1.9 % against a target of "
            "1.5 %, on-time delivery 94 % against 97 %; both are measured monthly.",
            "process_performance": "Final inspection passed 97.8 % of lots at the first check; most rejects "
            "were short shots on the two oldest machines.",
            "monitoring_results": "Every gauge was within its calibration date; the weight checks of the "
            "containers stayed within tolerance on every shift sampled.",
            "supplier_performance": "Both resin suppliers delivered on time; one lot of masterbatch arrived "
            "without its certificate and was held until it came.",
            "resources": "The second printing line needs a trained operator per shift; everyone required is "
            "trained and two internal auditors are qualified.",
            "risk_actions": "The risk of losing the retailers without a certificate is being acted on; the "
            "resin price risk is covered by a three-month contract.",
            "improvement_opportunities": "Rank scrap by machine and defect each month, and shorten the "
            "colour change on the new line.",
        },
        outputs=(
            OutputPlan("system_changes", "Book the certification body's stage 1 audit: the system has run "
                       "for three months and every finding of the internal audits has an action."),
            OutputPlan("improvement", "Cut the colour change on the new line from ninety to sixty minutes "
                       "with a second hot-runner set.", LONG, 60, done_days_ago=430),
            OutputPlan("resources", "Buy a second set of calibrated calipers for the night shift's "
                       "inspection.", PHUONG, 45, done_days_ago=445),
        ),
        notes="First management review of the quality management system, held after the first two internal "
        "audits and before the certification audit.",
    ),
)  # fmt: skip

# The certification body's findings: two minors at stage 2, closed before the decision, and one at the
# first surveillance audit, its action planned. Raised on the audit's last day (linked to it once written).
BODY_FINDINGS = (
    FindingPlan(
        "7.1.5.2", "minor",
        "The calibration certificates of two of the five digital calipers used in QC could not be found, so "
        "their traceability to national standards was not shown.",
        containment="The two calipers were taken out of use and sent to an accredited laboratory; the parts "
        "they had measured that week were measured again.",
        source="external_audit", raised_days_ago=DAYS.stage2_end,
        steps=(
            Planned(426, "five_whys",
                    "The calipers came with the new line and were entered in the gauge register without "
                    "their certificates; nobody compared the register with the certificates on file.",
                    "File every calibration certificate with the gauge register and compare the two at each "
                    "monthly quality meeting.", THU, 415, 406),
            Implemented(416),
            Checked(405, CB_CHECKER, True,
                    "Certificates of all 23 gauges are on file and traceable; the register and the "
                    "certificates agree."),
            Closed(404),
        ),
    ),
    FindingPlan(
        "8.4.2", "minor",
        "Two of the polypropylene resin lots sampled were released on the supplier's certificate alone, "
        "without the melt flow check on receipt that the incoming inspection plan asks for.",
        containment="The containers moulded from the two lots were checked for warping and short shots; "
        "none was found.",
        source="external_audit", raised_days_ago=DAYS.stage2_end,
        steps=(
            Planned(426, "five_whys",
                    "The warehouse released resin on arrival when QC was busy, because the stock system did "
                    "not hold a lot until QC signed it off.",
                    "Hold every resin lot in the stock system until QC records its melt flow check, and "
                    "brief the warehouse keeper on it.", PHUONG, 415, 406),
            Implemented(417),
            Checked(405, CB_CHECKER, True,
                    "Every resin lot received since the audit was held until its melt flow check was "
                    "recorded."),
            Closed(404),
        ),
    ),
    FindingPlan(
        "8.5.2", "minor",
        "Cartons of lot 118 in the warehouse carried the order number but not the moulding shift, so the "
        "containers could not be traced to the machine and shift that made them.",
        containment="The cartons of lot 118 were labelled again from the production records before they "
        "were shipped.",
        source="external_audit", raised_days_ago=DAYS.surveillance_end,
        steps=(
            Planned(38, "five_whys",
                    "The carton label template has no field for the shift, which is written only on the "
                    "production record.",
                    "Add the machine and the shift to the carton label template and check the labels at the "
                    "first-off inspection of every shift.", LONG, -20, -45),
        ),
    ),
)  # fmt: skip

SECOND_YEAR = Records(
    audits=(
        AuditPlan(
            "Internal audit 3: context, leadership, planning, evaluation and improvement", SYSTEM_SCOPE,
            SYSTEM_DEPARTMENTS, LONG, (), start_days_ago=130, days=1, reported_days_ago=126,
            summary="The objectives are measured monthly and the management review's actions are done; the "
            "risk register was not reviewed when the second printing line started (observation).",
            findings=(
                FindingPlan(
                    "6.1.2", "observation",
                    "The risk register was not reviewed when the second printing line started, though the "
                    "line brought a new risk of ink on food-contact surfaces.",
                    steps=(
                        Planned(120, "other",
                                "Starting a line is handled as a purchase; the change procedure does not ask "
                                "for the risk register to be reviewed.",
                                "Review the risk register for the printing line now and add a risk review to "
                                "the change procedure's checklist.", THU, -30),
                    ),
                ),
            ),
        ),
        AuditPlan(
            "Internal audit 4: support and operation", OPERATION_SCOPE, OPERATION_DEPARTMENTS, THU, (GIANG,),
            start_days_ago=112, days=2, reported_days_ago=107,
            summary="Training, calibration, purchasing and production records are complete; rejects on the "
            "night shift were left beside the machines without a hold label (minor).",
            findings=(
                FindingPlan(
                    "8.7.1", "minor",
                    "Rejected containers from machine M-07 were stacked beside good parts without a hold "
                    "label during the night shift.",
                    containment="The stack was sorted and the rejects moved to the hold area before the "
                    "shift ended.",
                    steps=(
                        Planned(104, "five_whys",
                                "The hold area is at the far end of the hall and the night shift has one "
                                "inspector for twelve machines, so rejects wait beside the machines.",
                                "Put a labelled red hold bin at every machine and empty the bins into the "
                                "hold area at each inspection round.", LONG, 90, -10),
                        Implemented(88),
                    ),
                ),
            ),
        ),
    ),
    findings=BODY_FINDINGS,
    review=ReviewPlan(
        held_days_ago=75,
        period_days=406,  # since the first review
        attendees=(f"{KHANH}, General director", f"{THU}, QA manager (management representative)",
                   f"{LONG}, Production supervisor", f"{PHUONG}, Purchasing officer", f"{GIANG}, HR officer"),
        inputs={
            "previous_actions": "Both actions of the previous review are done: the colour change on the new "
            "line takes sixty minutes with the second hot-runner set, and the night shift has its own "
            "calibrated calipers.",
            "context_changes": "The company was certified to ISO 9001 in the period; a third European "
            "retailer now checks the certificate through the share link before each season's order.",
            "customer_satisfaction": "Eight of the nine retailers answered the survey: 4.4 of 5 on average; "
            "the lead time of new colours is no longer the lowest mark.",
            "objectives": "Quality objectives:\n{objectives}",
            "process_performance": "Final inspection passed 98.6 % of lots at the first check; scrap fell "
            "every quarter since the monthly report ranks it by machine and defect.",
            "monitoring_results": "Every gauge was within its calibration date; the weight checks stayed "
            "within tolerance on every shift sampled.",
            "supplier_performance": "Both resin suppliers delivered on time; every resin lot was held until "
            "its melt flow check, as the certification body's finding required.",
            "resources": "Training is complete and current for everyone on the staff list; three internal "
            "auditors are qualified.",
            "risk_actions": "The actions on the retailer and resin price risks worked; the printing line's "
            "risk of ink on food-contact surfaces is to be added to the register (internal audit 3).",
            "improvement_opportunities": "Trace every carton to its machine and shift, and keep the night "
            "shift's rejects in hold bins at the machines.",
        },
        outputs=(
            OutputPlan("improvement", "Add the machine and the shift to the carton label so that every "
                       "carton can be traced to them.", LONG, 90),
            OutputPlan("system_changes", "Move the training matrix into the app so that refresher dates are "
                       "flagged a month ahead.", GIANG, 30, done_days_ago=50),
            OutputPlan("resources", "Keep a second inspector on the night shift through the peak season."),
        ),
        notes="Second management review, held after the year's internal audits and before the first "
        "surveillance audit.",
    ),
    objectives=(
        ObjectivePlan(
            "Keep scrap below one and a half percent of the resin moulded",
            "kg scrapped in the month / kg of resin moulded in the month x 100", "%", "at_most", "1.5", THU,
            200, ("2.1", "1.9", "1.8", "1.7", "1.6", "1.5", "1.4", "1.4", "1.3", "1.3", "1.2", "1.2"),
        ),
        ObjectivePlan(
            "Deliver on time to the retailers",
            "orders shipped on the promised date / orders shipped in the month x 100", "%", "at_least", "97",
            KHANH, 200,
            ("94.0", "95.2", "96.1", "97.3", "97.8", "96.5", "95.9", "97.2", "96.8", "96.1", "95.7", "96.4"),
            notes="Late orders wait for new colours: the second hot-runner set shortened the change.",
        ),
    ),
)  # fmt: skip

STAGE1_CONCERNS = (
    "Stage 1 at the Nhon Trach plant (one day): the documented system meets the standard. Area of concern to "
    "resolve before stage 2: the monthly scrap figures are collected but their causes are not analysed "
    "(9.1.3)."
)
STAGE2_REPORT = (
    "Stage 2 over three days: the system is implemented and effective. Two minor nonconformities (the "
    "calibration records of two calipers; resin released without its melt flow check); recommended for "
    "certification once their corrective actions are accepted."
)
SURVEILLANCE_REPORT = (
    "First surveillance audit over two days: the system is maintained and improving; one minor "
    "nonconformity (cartons not traceable to the moulding shift). Certification maintained."
)
AUDITORS = f"{LEAD_AUDITOR} (lead auditor); Le Thi Bich (auditor)"

CERTIFICATE = {
    "number": "ECA-QMS-0417",
    "scope": "Injection moulding, printing and packing of plastic food containers and household ware",
    "sector_codes": "14",
    "notes": "Certificate and its schedule received by e-mail; the original is framed in the lobby.",
}
SHARE_LABEL = "Buyer: Nordhaus Retail GmbH, supplier approval"
SHARE_DAYS = 365  # the link expires a year after it was made, with the retailer's approval

QUOTE = {
    "audit_days": "7",
    "day_rate": "20000000",
    "surveillance_days": "2.5",
    "fees": "5000000",
    "travel": "3000000",
    "notes": "Stage 1 on site; stage 2 with two auditors about six weeks later.",
}
