"""The demo's risk-management files (ISO 13485 7.1): the infusion-set plant keeps one file per device family,
written through :mod:`app.services.risk_files` as the workspace's owner (so every rule the pages apply holds
and each file has its history, dated when it was written).

Its gravity infusion sets are analysed and controlled, the file reviewed two months ago; the extension lines'
file, opened six weeks ago, still has one hazard without controls (DEHP leaching from the PVC tubing), which
the register and the next steps show. The ISO 9001 factories keep no risk-management file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.pathway import StandardFamily, standard_family
from app.extensions import db
from app.models import CertificationProject
from app.services import risk_files as service
from app.services.demo_register_history import dated, owner_scope
from app.services.risk_files import HazardFields, RiskFileFields


@dataclass(frozen=True)
class H:
    hazard: str
    situation: str
    harm: str
    severity: int
    probability: int
    controls: str = ""
    residual: tuple[int, int] | None = None
    verification: str = ""


@dataclass(frozen=True)
class File:
    family: str
    intended_use: str
    opened_days_ago: int
    reviewed_days_ago: int | None
    hazards: tuple[H, ...]
    policy: str = ""


POLICY = (
    "Risks are read from the 5 by 5 matrix of procedure QP-12: acceptable risks need no further action, "
    "risks in the review band are reduced as far as possible and their residual risk weighed against the "
    "clinical benefit, and unacceptable risks are never released."
)

# fmt: off
INFUSION_FILES = (
    File("Gravity infusion sets",
         "Single-use sterile sets for the gravity infusion of fluids into a patient's vein, used by trained "
         "nurses in hospitals and clinics for up to 24 hours.",
         200, 60,
         (H("Air in the fluid path",
            "The set is primed incompletely, or the drip chamber runs dry, and air is infused into the "
            "patient's vein.", "Air embolism", 5, 3,
            "Hydrophobic air-stop filter at the drip chamber outlet, the fill line marked on the chamber, "
            "and the priming steps illustrated in the instructions for use.", (5, 1),
            "Air-stop filter tested to ISO 8536-4 on three validation lots; the instructions tried with "
            "fifteen nurses in a usability study."),
          H("Microbial contamination of the fluid path",
            "A set whose sterile barrier is breached, or whose sterilisation failed, is connected to the "
            "patient.", "Bloodstream infection", 4, 3,
            "Validated ethylene oxide sterilisation with parametric release, pouch seal strength tested on "
            "every lot, and 'do not use if the package is damaged' on the label.", (4, 1),
            "Sterilisation validated to ISO 11135; seal peel tests recorded for every lot."),
          H("Residual ethylene oxide",
            "Sets released before aeration is complete leave sterilant residues in the fluid path.",
            "Toxic reaction and tissue irritation", 3, 3,
            "Aeration at 45 °C for at least 72 hours and EO residuals tested to ISO 10993-7 before each "
            "release.", (3, 1), "Residuals of the last twelve loads all below a quarter of the limit."),
          H("Inaccurate flow rate",
            "The roller clamp slips and the flow rate drifts while the infusion runs unattended.",
            "Over- or under-infusion of a medication", 4, 3,
            "A roller clamp with a locking groove, the drip chamber calibrated to 20 drops per mL on every "
            "lot, and a warning in the instructions to check the drip rate.", (4, 2),
            "Clamp slip test over eight hours on three lots; drop volume checked on every lot."),
          H("Particles from the spike",
            "Coring of the bag port by the spike releases rubber particles into the fluid.",
            "Phlebitis from particles", 3, 2,
            "A 15 micrometre fluid filter in the drip chamber.", (3, 1),
            "Particle counts of the filtered fluid within the limit of ISO 8536-4.")),
         POLICY),
    File("Extension lines and three-way stopcocks",
         "Single-use sterile extension lines and three-way stopcocks that connect infusion sets and syringes "
         "to a patient's cannula, used for up to 72 hours.",
         45, None,
         (H("Misconnection of the Luer connector",
            "The line's connector is joined to an enteral or epidural system by mistake.",
            "Wrong-route administration", 5, 2,
            "Luer connectors to ISO 80369-7, colour coding of the line, and the intended route printed on "
            "the label.", (5, 1), "Connectors tested for non-interconnectability with enteral connectors."),
          H("Disconnection at the Luer lock",
            "A loose Luer lock separates while the line is in use, so the patient bleeds back or air enters.",
            "Blood loss or air embolism", 4, 3,
            "A rotating Luer lock collar torque-tested on every lot, and instructions to check the "
            "connections.", (4, 1), "Separation force and torque tests recorded for every lot."),
          H("Leaking stopcock",
            "A stopcock body cracked by lipid emulsions leaks during the infusion.",
            "Under-infusion and contamination of the line", 3, 3,
            "Stopcock body moulded from a lipid-resistant copolymer and every stopcock leak-tested at "
            "300 kPa.", (3, 1), "Stress-cracking test with lipid emulsion passed on three lots."),
          H("Kinked tubing",
            "The tubing kinks under the patient's arm and the infusion stops without anyone noticing.",
            "Delayed therapy", 3, 3,
            "Kink-resistant tubing with a thicker wall, kink test on every lot.", (3, 2),
            "Kink test at a 20 mm bend radius passed on every lot since the change."),
          H("DEHP leaching from the PVC tubing",
            "The plasticiser leaches from the tubing into lipid drugs given to neonates through the line.",
            "Reproductive toxicity in neonates", 4, 3)),
         POLICY),
)
# fmt: on


def files_for(project: CertificationProject) -> tuple[File, ...]:
    """The files of a demo factory: only the ISO 13485 one keeps them."""
    return INFUSION_FILES if standard_family(project.standard.code) is StandardFamily.ISO_13485 else ()


def _hazard(h: H) -> HazardFields:
    residual_severity, residual_probability = h.residual or (None, None)
    return HazardFields(
        hazard=h.hazard,
        situation=h.situation,
        harm=h.harm,
        severity=h.severity,
        probability=h.probability,
        controls=h.controls,
        residual_severity=residual_severity,
        residual_probability=residual_probability,
        verification=h.verification,
    )


def seed(project: CertificationProject, today: date) -> None:
    """Add the factory's risk-management files and their hazards (the caller commits). A record the service
    refuses is a mistake in the demo: it raises :class:`app.services.errors.Invalid`."""
    files = files_for(project)
    if not files:
        return
    scope = owner_scope(project)
    for spec in files:
        opened = today - timedelta(days=spec.opened_days_ago)
        reviewed = None if spec.reviewed_days_ago is None else today - timedelta(days=spec.reviewed_days_ago)
        fields = RiskFileFields(spec.family, spec.intended_use, spec.policy, reviewed)
        risk_file = service.create_risk_file(scope, project, fields, today)
        dated(opened)
        for index, hazard in enumerate(spec.hazards):
            service.add_hazard(scope, risk_file, _hazard(hazard))
            dated(opened + timedelta(days=index))
    db.session.flush()
