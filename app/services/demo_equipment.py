"""The demo factories' measuring equipment registers: the instruments each relies on for its products, with
their calibration history, written through :mod:`app.services.equipment` (so every rule the pages apply holds,
and each record has its history) as the workspace's owner.

The cork-stopper plant, still preparing, has an extraction-force tester overdue and a moisture meter found
out of tolerance twelve days ago whose earlier results are not assessed yet; the sachet plant has a new
seal-strength tester not calibrated yet; the infusion-set plant has one gauge due soon and one out of
service; Tan Phu Plastics, certified, is in order (its one out-of-tolerance finding assessed and acted on).
Every day is counted back from the demo's ``today``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.pathway import StandardFamily, standard_family
from app.extensions import db
from app.models import CertificationProject
from app.services import equipment as service
from app.services.demo_register_history import dated, owner_scope
from app.services.equipment import AssessmentFields, CalibrationFields, InstrumentFields

QUATEST = "QUATEST 3 (VILAS 004)"
NIMT = "National Institute of Metrology (Thailand)"
SIRIM = "SIRIM QAS International (SAMM 037)"
IN_HOUSE = "In-house, QA technician, against certified gauge blocks"
SI = "Calibrated against reference standards traceable to SI through the national metrology institute."


@dataclass(frozen=True)
class Cal:
    """One calibration, ``days_ago``; its next due one interval on."""

    days_ago: int
    by: str
    certificate: str
    result: str = "pass"
    notes: str = ""
    assessed: tuple[int, str, str] | None = None  # days ago, the assessment, the action taken


@dataclass(frozen=True)
class Kit:
    code: str
    description: str
    location: str
    measuring_range: str
    accuracy: str
    interval_months: int
    calibrations: tuple[Cal, ...] = ()
    traceability: str = SI
    out_of_service: tuple[int, str] | None = None  # days ago, and why it was taken out of service


# fmt: off
CORK = (
    Kit("CK-CAL-01", "Digital caliper, 0 to 150 mm", "Finishing line", "0 to 150 mm", "± 0.02 mm", 12,
        (Cal(380, QUATEST, "Q3-24-1187"), Cal(15, QUATEST, "Q3-25-1204"))),
    Kit("CK-CAL-02", "Digital caliper, 0 to 150 mm", "Final inspection", "0 to 150 mm", "± 0.02 mm", 12,
        (Cal(200, QUATEST, "Q3-25-0611"),)),
    Kit("CK-MM-01", "Cork moisture meter (capacitance)", "Final inspection", "4 to 12 %", "± 0.5 % moisture",
        6, (Cal(190, QUATEST, "Q3-25-0588"),
            Cal(12, QUATEST, "Q3-25-1230", "out_of_tolerance",
                "Read 1.1 % high against the reference samples; adjusted and re-checked within tolerance."))),
    Kit("CK-EF-01", "Stopper extraction force tester", "QC lab", "0 to 600 N", "± 1 % of reading", 12,
        (Cal(760, QUATEST, "Q3-23-0902"), Cal(395, QUATEST, "Q3-24-0977"))),
    Kit("CK-BAL-01", "Analytical balance, 220 g (density)", "QC lab", "0 to 220 g", "± 0.1 mg", 12,
        (Cal(100, QUATEST, "Q3-25-0342"),)),
    Kit("CK-RG-01", "Ring gauge set, 24 mm stopper diameter", "Final inspection", "23.5 / 24.5 mm",
        "± 0.005 mm", 24, (Cal(300, QUATEST, "Q3-24-1019"),)),
    Kit("CK-TH-01", "Thermo-hygrometer, cork store", "Raw cork store", "0 to 50 °C, 10 to 95 % RH",
        "± 0.5 °C, ± 3 % RH", 12, (Cal(340, QUATEST, "Q3-24-1102"),)),
)
SACHET = (
    Kit("SP-CW-01", "Check-weigher, sachet line 1", "Filling line 1", "1 to 50 g", "± 0.05 g", 6,
        (Cal(170, NIMT, "NIMT-M-25-2210"),)),
    Kit("SP-SS-01", "Seal strength tester (peel)", "QC lab", "0 to 50 N", "± 0.5 % of reading", 12),
    Kit("SP-TC-01", "Thermocouple probe, sealing jaws", "Filling line 1", "0 to 300 °C", "± 1.5 °C", 12,
        (Cal(90, NIMT, "NIMT-T-25-0870"),)),
    Kit("SP-MA-01", "Moisture analyser (sugar, salt)", "QC lab", "0 to 100 %", "± 0.05 %", 12,
        (Cal(350, NIMT, "NIMT-M-24-1915"),)),
    Kit("SP-PS-01", "Platform scale, 150 kg (raw material receipt)", "Warehouse", "0 to 150 kg", "± 20 g", 12,
        (Cal(60, NIMT, "NIMT-M-25-2630", "adjusted", "Adjusted at 100 kg; within tolerance after."),)),
    Kit("SP-MD-01", "Metal detector test pieces (Fe 1.5, non-Fe 2.0, SS 2.5 mm)", "Filling line 1",
        "Fe 1.5 / non-Fe 2.0 / SS 2.5 mm", "Certified sphere size", 24, (Cal(400, NIMT, "NIMT-D-24-0412"),)),
)
INFUSION = (
    Kit("PM-PG-01", "Pressure gauge, leak test station 1", "Assembly cleanroom", "0 to 160 kPa",
        "± 0.25 % FS", 6, (Cal(340, SIRIM, "SQ-P-24-5512"), Cal(165, SIRIM, "SQ-P-25-1180"))),
    Kit("PM-PG-02", "Pressure gauge, leak test station 2", "Assembly cleanroom", "0 to 160 kPa",
        "± 0.25 % FS", 6, (Cal(550, SIRIM, "SQ-P-24-2107"), Cal(370, SIRIM, "SQ-P-24-4410")),
        out_of_service=(205, "Needle sticks at 40 kPa; replaced by PM-PG-03")),
    Kit("PM-FR-01", "Flow-rate test bench (gravity drip)", "QC lab", "1 to 500 mL/h", "± 2 % of reading", 12,
        (Cal(120, SIRIM, "SQ-F-25-0331"),)),
    Kit("PM-TT-01", "Tensile tester, tubing-to-connector bond", "QC lab", "0 to 500 N", "± 0.5 % of reading",
        12, (Cal(410, SIRIM, "SQ-F-24-1002"),
             Cal(45, SIRIM, "SQ-F-25-1090", "out_of_tolerance", "Load cell 2.4 % low at 150 N; replaced.",
                 assessed=(41, "Bond-strength results of lots IS-2507 to IS-2519 were re-tested on retained "
                               "samples: every lot still met the 15 N minimum with margin.",
                           "Lots released on the re-test; a check of the load cell before each shift was "
                           "added to WI-QC-07.")))),
    Kit("PM-TQ-01", "Torque tester, luer-lock connectors", "QC lab", "0 to 1 N·m", "± 0.5 % of reading", 12,
        (Cal(70, SIRIM, "SQ-T-25-0455"),)),
    Kit("PM-EO-01", "EO steriliser temperature and humidity sensors", "Sterilisation",
        "20 to 60 °C, 30 to 90 % RH", "± 0.3 °C, ± 2 % RH", 6, (Cal(160, SIRIM, "SQ-T-25-0210"),)),
    Kit("PM-PG-03", "Pressure gauge, leak test station 2 (replacement)", "Assembly cleanroom", "0 to 160 kPa",
        "± 0.25 % FS", 6, (Cal(200, SIRIM, "SQ-P-25-0288"), Cal(20, SIRIM, "SQ-P-25-1402"))),
)
MOULDING = (
    Kit("TP-CAL-01", "Digital caliper, 0 to 200 mm", "Moulding hall", "0 to 200 mm", "± 0.03 mm", 12,
        (Cal(400, QUATEST, "Q3-24-0815"), Cal(40, QUATEST, "Q3-25-1150"))),
    Kit("TP-CAL-02", "Digital caliper, 0 to 200 mm", "QC lab", "0 to 200 mm", "± 0.03 mm", 12,
        (Cal(210, IN_HOUSE, "TP-VR-25-014"),),
        traceability="Gauge blocks certified by QUATEST 3, traceable to SI."),
    Kit("TP-HG-01", "Height gauge, 300 mm", "QC lab", "0 to 300 mm", "± 0.04 mm", 12,
        (Cal(380, QUATEST, "Q3-24-0990", "out_of_tolerance", "Read 0.09 mm high over 200 mm; repaired.",
             assessed=(376, "Container wall-height checks since the previous calibration were re-measured "
                            "on retained samples of the twelve lots concerned: none was out of spec.",
                       "No product affected; the lots stay released. The gauge is zeroed on the granite "
                       "plate at the start of each shift.")),
         Cal(20, QUATEST, "Q3-25-1231"))),
    Kit("TP-BAL-01", "Precision balance, 3 kg (part weight)", "Moulding hall", "0 to 3 kg", "± 0.01 g", 12,
        (Cal(150, QUATEST, "Q3-25-0466"),)),
    Kit("TP-TH-01", "Contact thermometer, mould temperature", "Moulding hall", "0 to 200 °C", "± 1 °C", 12,
        (Cal(260, QUATEST, "Q3-24-1276"),)),
    Kit("TP-DT-01", "Drop tester height scale", "QC lab", "0.3 to 1.5 m", "± 5 mm", 24,
        (Cal(330, IN_HOUSE, "TP-VR-24-031"),), traceability="Steel tape certified by QUATEST 3."),
)
TAPE = (
    Kit("LT-TT-01", "Tensile tester (tape strength and elongation)", "QC lab", "0 to 1 kN",
        "± 0.5 % of reading", 12, (Cal(200, QUATEST, "Q3-25-0620"),)),
    Kit("LT-PA-01", "Peel adhesion tester, 180°", "QC lab", "0 to 50 N", "± 1 % of reading", 12,
        (Cal(320, QUATEST, "Q3-24-1150"),)),
    Kit("LT-MC-01", "Micrometer, 0 to 25 mm (film thickness)", "Coating line", "0 to 25 mm", "± 2 µm", 12,
        (Cal(90, QUATEST, "Q3-25-0390"),)),
    Kit("LT-TH-01", "Thermometer, coating oven", "Coating line", "0 to 250 °C", "± 1 °C", 12,
        (Cal(150, QUATEST, "Q3-25-0481"),)),
    Kit("LT-SC-01", "Bench scale, 30 kg (adhesive mixing)", "Mixing room", "0 to 30 kg", "± 1 g", 12,
        (Cal(60, QUATEST, "Q3-25-0777"),)),
    Kit("LT-RL-01", "Steel rule, 1 m (roll width)", "Slitting", "0 to 1000 mm", "± 0.2 mm", 24,
        (Cal(250, IN_HOUSE, "LT-VR-25-006"),),
        traceability="Checked against a steel tape certified by QUATEST 3."),
)
BY_SITE_WORD = {"stopper": CORK, "cork": CORK, "sachet": SACHET, "infusion": INFUSION, "moulding": MOULDING,
                "tape": TAPE, "label": TAPE}
# fmt: on


def kits_for(project: CertificationProject) -> tuple[Kit, ...]:
    """The instruments of the factory a project is for, by a word of its site's name (else its standard's)."""
    name = project.site.name.lower()
    for word, kits in BY_SITE_WORD.items():
        if word in name:
            return kits
    return INFUSION if standard_family(project.standard.code) is StandardFamily.ISO_13485 else MOULDING


def seed(project: CertificationProject, today: date) -> None:
    """Add the factory's instruments and their calibrations (the caller commits), each history line dated
    when it happened: an instrument is added the day before its first calibration (a month ago, if none)."""
    scope = owner_scope(project)
    for kit in kits_for(project):
        fields = InstrumentFields(kit.code, kit.description, kit.interval_months, kit.location,
                                  kit.measuring_range, kit.accuracy, kit.traceability)  # fmt: skip
        instrument = service.create_instrument(scope, project, fields)
        dated(today - timedelta(days=max((c.days_ago + 1 for c in kit.calibrations), default=30)))
        for cal in kit.calibrations:
            day = today - timedelta(days=cal.days_ago)
            made = CalibrationFields(day, None, cal.result, cal.by, cal.certificate, cal.notes)
            calibration = service.add_calibration(scope, instrument, made, today)
            dated(day)
            if cal.assessed:
                days_ago, assessment, action = cal.assessed
                assessed = AssessmentFields(today - timedelta(days=days_ago), assessment, action)
                service.record_assessment(scope, instrument, calibration, assessed, today, None)
                dated(assessed.assessed_on or today)
        if kit.out_of_service:
            days_ago, reason = kit.out_of_service
            service.set_service(scope, instrument, False, reason, None)
            dated(today - timedelta(days=days_ago))
    db.session.flush()
