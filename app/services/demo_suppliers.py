"""The demo factories' approved-supplier lists: the suppliers each relies on for its products, with their
evaluations, written through :mod:`app.services.suppliers` (so every rule the pages apply holds, ISO 13485's
controls proportionate to risk among them, and each record has its history) as the workspace's owner.

The cork-stopper plant, still preparing, has its surface-treatment supplier's re-evaluation overdue and its
new laser-branding subcontractor not evaluated yet; the sachet plant has a new ink supplier not evaluated and
its pest-control contractor blocked; the infusion-set plant classifies every supplier by risk, writes the
controls of the high-risk ones and re-evaluates them yearly, with a second tubing source under qualification;
Tan Phu Plastics, certified, is in order. The names are made up. Every day is counted back from ``today``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.pathway import StandardFamily, standard_family
from app.extensions import db
from app.models import CertificationProject
from app.services import suppliers as service
from app.services.demo_register_history import owner_scope
from app.services.suppliers import EvaluationFields, SupplierFields


@dataclass(frozen=True)
class Ev:
    """One evaluation, ``days_ago``."""

    days_ago: int
    outcome: str
    by: str
    notes: str
    score: int | None = None


@dataclass(frozen=True)
class Spec:
    name: str
    supplies: str
    risk: str
    months: int
    criteria: str
    controls: str = ""
    contact: str = ""
    evaluations: tuple[Ev, ...] = ()


LAN = "Nguyen Thi Lan (QA manager)"
DUC = "Tran Van Duc (purchasing)"
SOMCHAI = "Somchai Prasert (QA)"
KANYA = "Kanya Wongsa (purchasing)"
WEI_MING = "Tan Wei Ming (quality)"
NURUL = "Nurul Aisyah (supplier quality engineer)"
THU = "Pham Thi Thu (QA)"
LOTS = "Lots rejected at incoming inspection, delivery on time, response to complaints."
CONTROLS = (
    "Certificate of analysis with every lot, incoming inspection against the specification, a "
    "quality agreement with notice of changes, and an on-site audit every year."
)

# fmt: off
CORK = (
    Spec("Corticeira Vale do Sado Lda.", "Natural cork planks, boiled and graded, from Portugal", "high", 12,
         f"{LOTS} FSC chain of custody and a TCA screening report with each container.",
         contact="Ms Ana Sousa, export desk",
         evaluations=(Ev(560, "approved", LAN, "All twelve containers met the grade mix ordered, with "
                         "complete TCA screening reports.", 85),
                      Ev(200, "approved", LAN, "One container of eleven was downgraded on moisture and "
                         "replaced at no cost; TCA reports complete.", 88))),
    Spec("Keo Dan Phuong Nam Co., Ltd.", "Food-contact polyurethane binder for technical stoppers", "high",
         12, f"{LOTS} A migration test report to EU 10/2011 for each formulation.",
         contact="Mr Vo Minh Tri",
         evaluations=(Ev(90, "conditional", LAN, "Lots were in specification but the migration report of "
                         "the new formulation is awaited; approved until it arrives.", 70),)),
    Spec("Siam Paraffin & Silicone Co., Ltd.", "Paraffin and silicone emulsion for the surface treatment",
         "medium", 12, f"{LOTS} Certificate of analysis with each drum.", contact="Khun Pimchanok",
         evaluations=(Ev(410, "approved", DUC, "Every drum came with its certificate and the extraction "
                         "forces of treated stoppers stayed in range.", 90),)),
    Spec("Song Be Packaging Printing", "Printed cartons and polyethylene bags", "low", 24,
         "Print and carton against the approved sample, delivery on time.",
         evaluations=(Ev(150, "approved", DUC, "Cartons matched the approved sample and every delivery "
                         "arrived on the day promised.", 92),)),
    Spec("Hoa Sen Laser Marking", "Laser and ink branding of stoppers (outsourced process)", "medium", 12,
         "Marks checked against the winery's artwork on the first hundred of each lot.",
         contact="Mr Hoang, workshop manager"),
    Spec("Saigon Food Lab", "TCA and moisture testing of stopper lots (ISO/IEC 17025)", "high", 12,
         "Accreditation covering releasable TCA; results within five working days.",
         evaluations=(Ev(60, "approved", LAN, "The accreditation covers the method and every result of the "
                         "quarter came within five working days.", 94),)),
    Spec("Tan Cang Inland Logistics", "Container haulage to Cat Lai port", "low", 24,
         "Pick-up on the booked day, containers clean and dry, seals recorded.",
         evaluations=(Ev(300, "approved", DUC, "No container was refused for dirt or damp and every pick-up "
                         "was on the booked day.", 89),)),
)

SACHET = (
    Spec("Chao Phraya Polyfilm Co., Ltd.", "Printed PET/AL/PE laminate film for sachets", "high", 12,
         f"{LOTS} Food-contact declaration; a print proof approved for each new design.",
         contact="Khun Anan, key accounts",
         evaluations=(Ev(120, "approved", SOMCHAI, "Seal strength of every reel sampled was in range and the "
                         "food-contact declaration was renewed.", 84),)),
    Spec("Ratchaburi Sugar Refinery", "Refined white sugar in 50 kg bags", "high", 12,
         f"{LOTS} Certificate of analysis with each lot; FSSC 22000 certified.",
         evaluations=(Ev(200, "approved", SOMCHAI, "Every lot came with its certificate and no foreign "
                         "matter was found at the sieve this year.", 91),)),
    Spec("Samut Sakhon Salt Works", "Iodised table salt, fine grade", "medium", 12,
         f"{LOTS} Moisture at most 0.5 % and iodine on each certificate.",
         evaluations=(Ev(45, "conditional", SOMCHAI, "One lot arrived damp and caked; approved on condition "
                         "that we test moisture on every lot for six months.", 62),)),
    Spec("Bangkok Inks & Coatings", "Low-migration printing ink for the film printer", "medium", 12,
         "Low-migration declaration; colour within the approved tolerance."),
    Spec("Rama Corrugated Box Co., Ltd.", "Shipper cartons, five-ply", "low", 24,
         "Bursting strength on the certificate, size against the drawing, delivery on time.",
         evaluations=(Ev(500, "approved", KANYA, "Cartons met the bursting strength and sizes on every "
                         "delivery checked over two years.", 87),)),
    Spec("Eastern Pest Services", "Pest control of the plant and warehouse, monthly", "medium", 12,
         "Visits as contracted, bait station map up to date, reports within a week.",
         evaluations=(Ev(400, "approved", SOMCHAI, "All twelve visits were made and every report arrived "
                         "within a week."),
                      Ev(30, "blocked", SOMCHAI, "Three monthly visits were missed and the bait map was out "
                         "of date; the contract is ended and a new provider sought."))),
)

INFUSION = (
    Spec("PT Plastik Medika Nusantara", "DEHP-free medical-grade PVC compound for tubing", "high", 12,
         f"{LOTS} ISO 13485 certificate; ISO 10993 data for the grade.", CONTROLS, "Ibu Dewi Lestari",
         (Ev(520, "approved", WEI_MING, "The on-site audit found no nonconformity and every lot passed "
             "incoming inspection.", 89),
          Ev(150, "approved", NURUL, "The yearly audit closed with one observation on record keeping and "
             "every lot passed incoming inspection.", 90))),
    Spec("Steri-Tech Sterilisation Sdn Bhd", "EO sterilisation of finished sets (validated to ISO 11135)",
         "high", 12, "ISO 13485 certificate covering EO; the validated cycle unchanged; load records.",
         "Validated cycle under a quality agreement, every load's indicators and records reviewed before "
         "release, and a yearly on-site audit.", "Mr Rajesh Kumar, plant manager",
         (Ev(80, "approved", WEI_MING, "The revalidation report was accepted and every load record of the "
             "year was complete with negative indicators.", 94),)),
    Spec("Klang Valley Medical Packaging", "Paper and film pouches (sterile barrier)", "high", 12,
         f"{LOTS} Seal strength to ISO 11607 on each certificate.",
         "Seal strength tested on every lot received, a quality agreement and a yearly audit of the line.",
         "Ms Lee Mei Ling",
         (Ev(40, "conditional", NURUL, "Two lots were at the low limit of seal strength; approved with "
             "tightened sampling until the corrective action is verified.", 68),)),
    Spec("Suzhou Precision Medical Components", "Roller clamps, spikes and luer connectors", "high", 6,
         f"{LOTS} Dimensional report of the first articles of each mould.",
         "First-article inspection of each mould, AQL 0.65 on critical dimensions at receipt, a quality "
         "agreement, and an audit every six months.", "Mr Zhang Wei",
         (Ev(170, "approved", NURUL, "First articles of all four moulds were in tolerance and no lot was "
             "rejected at incoming inspection.", 86),)),
    Spec("Penang Carton Industries", "Shipper cartons and printed instructions for use", "medium", 24,
         "Instructions at the approved revision on every lot; carton strength.",
         evaluations=(Ev(300, "approved", WEI_MING, "The instructions were at the current revision on every "
                         "lot and the cartons met their strength.", 91),)),
    Spec("Bayan Lepas Laboratory Services", "Bioburden, endotoxin and sterility testing", "high", 12,
         "ISO/IEC 17025 accreditation covering the methods; results on time.",
         "A testing agreement naming the methods, the accreditation scope checked yearly, and a yearly "
         "audit of the laboratory.", "lab@bllabs.example",
         (Ev(100, "approved", WEI_MING, "The accreditation scope still covers every method we use and all "
             "results came on time.", 95),)),
    Spec("Chonburi Medical Polymers", "DEHP-free PVC tubing compound (second source, in qualification)",
         "high", 12, f"{LOTS} ISO 13485 certificate; three qualification lots.", CONTROLS, "Khun Wichai"),
)

PLASTICS = (
    Spec("Map Ta Phut Polyolefins", "Polypropylene resin, food-contact grades", "high", 12,
         f"{LOTS} Melt flow on each lot's certificate; food-contact declaration.", contact="Khun Suda",
         evaluations=(Ev(460, "approved", THU, "Melt flow was in range on every certificate and no lot was "
                         "rejected at the dryer.", 90),
                      Ev(100, "approved", THU, "Melt flow was in range on every certificate and the "
                         "food-contact declaration was renewed.", 91))),
    Spec("Phu My Masterbatch Co.", "Colour masterbatches, food-contact", "medium", 12,
         f"{LOTS} Colour against the master plaque.",
         evaluations=(Ev(220, "approved", THU, "Colour matched the master plaque on every lot sampled and "
                         "the declarations are current.", 88),)),
    Spec("Tan Thanh Mould Engineering", "Mould maintenance and repair (outsourced)", "medium", 12,
         "Repairs back in the days agreed; first shots in tolerance after each repair.",
         evaluations=(Ev(60, "approved", THU, "All five repairs of the half year came back on time and the "
                         "first shots were in tolerance.", 86),)),
    Spec("Dong Nai Packaging JSC", "Cartons and polybags for finished goods", "low", 12,
         "Size and print against the approved sample, delivery on time.",
         evaluations=(Ev(330, "approved", THU, "Every delivery matched the approved sample and arrived on "
                         "the day ordered.", 93),)),
    Spec("Saigon Pad Print Supplies", "Pad-printing inks, food-contact compliant", "medium", 12,
         f"{LOTS} Compliance declaration for each ink.",
         evaluations=(Ev(140, "approved", THU, "Declarations are on file for every ink and no print failed "
                         "the tape test.", 87),)),
    Spec("Cat Lai Container Haulage", "Container haulage to the port", "low", 24,
         "Pick-up on the booked day, containers clean and dry.",
         evaluations=(Ev(400, "approved", THU, "Every container was clean and dry and collected on the "
                         "booked day.", 90),)),
)

TAPE = (
    Spec("Thai BOPP Film Industries", "BOPP film, 25 to 40 micron, corona treated", "high", 12,
         f"{LOTS} Thickness and treatment on each reel's certificate.",
         evaluations=(Ev(110, "approved", SOMCHAI, "Thickness and treatment were in range on every reel "
                         "sampled this half year.", 88),)),
    Spec("Long An Acrylic Adhesives", "Water-based acrylic pressure-sensitive adhesive", "high", 12,
         f"{LOTS} Solids and viscosity on each drum's certificate.",
         evaluations=(Ev(380, "approved", LAN, "Solids and viscosity were in range on every drum and the "
                         "tack tests of our coated rolls passed.", 85),)),
    Spec("Nam Viet Paper Cores", "Paper cores, 76 mm", "low", 24, "Crush strength and diameter.",
         evaluations=(Ev(200, "approved", DUC, "Every core was in diameter tolerance and none arrived "
                         "crushed this year.", 90),)),
    Spec("Mekong Release Liners", "Silicone-coated release liner", "medium", 12,
         "Release force within the specification on each roll."),
)

BY_SITE_WORD = {"stopper": CORK, "cork": CORK, "sachet": SACHET, "infusion": INFUSION, "moulding": PLASTICS,
                "tape": TAPE, "label": TAPE}
# fmt: on


def suppliers_for(project: CertificationProject) -> tuple[Spec, ...]:
    """The suppliers of the factory a project is for, by a word of its site's name (else its standard's)."""
    name = project.site.name.lower()
    for word, specs in BY_SITE_WORD.items():
        if word in name:
            return specs
    return INFUSION if standard_family(project.standard.code) is StandardFamily.ISO_13485 else PLASTICS


def seed(project: CertificationProject, today: date) -> None:
    """Add the factory's suppliers and their evaluations (the caller commits). A supplier the service
    refuses is a mistake in the demo: it raises :class:`app.services.errors.Invalid`."""
    scope = owner_scope(project)
    for spec in suppliers_for(project):
        fields = SupplierFields(
            spec.name, spec.supplies, spec.risk, str(spec.months), spec.criteria, spec.controls, spec.contact
        )
        supplier = service.create_supplier(scope, project, fields)
        for ev in sorted(spec.evaluations, key=lambda e: -e.days_ago):
            score = "" if ev.score is None else str(ev.score)
            made = EvaluationFields(today - timedelta(days=ev.days_ago), ev.by, ev.outcome, ev.notes, score)
            service.add_evaluation(scope, project, supplier, made, today)
    db.session.flush()
