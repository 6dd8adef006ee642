"""The demo's QMS software validation list (ISO 13485 4.1.6, 7.5.6, 7.6): the infusion-set plant lists the
software its quality system relies on, written through :mod:`app.services.software` as the workspace's
owner (so every rule the pages apply holds and each application has its history, dated when it happened).

The ERP, the batch-record spreadsheet and the sterilisation cycle software are validated; the label printing
software's revalidation fell due a month ago, and the eQMS bought this year is not validated yet, which the
register and the next steps show. The ISO 9001 factories keep no such list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.pathway import StandardFamily, standard_family
from app.extensions import db
from app.models import CertificationProject
from app.services import software as service
from app.services.demo_register_history import dated, owner_scope
from app.services.software import SoftwareFields, ValidationFields


@dataclass(frozen=True)
class Validated:
    days_ago: int
    result: str
    revalidate_in_days: int  # from the validation


@dataclass(frozen=True)
class App:
    name: str
    version: str
    intended_use: str
    risk: str
    approach: str
    listed_days_ago: int
    validated: Validated | None = None


# fmt: off
INFUSION_SOFTWARE = (
    App("SAP Business One (ERP)", "10.0 FP 2302",
        "Keeps the bills of materials, purchase orders, stock by lot and the traceability from component "
        "lots to the shipped sets.", "medium",
        "The configured functions tested against our user requirements (lot traceability, quarantine "
        "status, first-expiry-first-out picking), with the test record signed by QA.", 420,
        Validated(300, "All 38 test cases passed; the lot genealogy report traced three sample shipments "
                  "back to their component lots without a gap.", 730)),
    App("Batch record template BR-IS-07 (Excel)", "rev D",
        "Calculates and records the fill counts, in-process checks and yields of each production batch of "
        "infusion sets.", "medium",
        "Locked cells and formulas checked against hand calculations for ten past batches; every revision "
        "goes through change control.", 170,
        Validated(150, "The formulas matched the hand calculations for all ten batches, and an operator "
                  "account could not edit the locked cells.", 365)),
    App("BarTender label printing", "2022 R8",
        "Prints the lot number, expiry date and UDI barcode on every unit pouch and shipper label from the "
        "lot released in the ERP.", "high",
        "Test scripts against the label specification for every template, barcode grading to ISO/IEC 15415 "
        "grade B or better, and a check that the printed lot matches the ERP record.", 500,
        Validated(395, "All 14 templates printed to specification, every barcode graded A or B, and the "
                  "printed lots matched the ERP on 40 sample labels.", 365)),
    App("Steri-Cycle EO controller", "v3.4.1",
        "Runs and records each ethylene oxide sterilisation cycle (preconditioning, gas dwell, aeration) "
        "and releases the load on its parameters.", "high",
        "Installation, operational and performance qualification with the sterilisation validation to "
        "ISO 11135; each cycle's parameters compared with the validated ranges; the audit trail reviewed.",
        260,
        Validated(240, "IQ, OQ and three PQ cycles passed, and the parameter records and audit trail matched "
                  "the independent data logger.", 365)),
    App("MasterControl eQMS", "2024.1",
        "Holds the controlled documents, the training records and the corrective action workflow of the "
        "quality system.", "medium",
        "The vendor's validation package reviewed, then our configured workflows (document approval, "
        "training assignment, corrective actions) tested against our requirements.", 40),
)
# fmt: on


def software_for(project: CertificationProject) -> tuple[App, ...]:
    """The applications of a demo factory: only the ISO 13485 one keeps the list."""
    return INFUSION_SOFTWARE if standard_family(project.standard.code) is StandardFamily.ISO_13485 else ()


def seed(project: CertificationProject, today: date) -> None:
    """Add the factory's QMS applications and their validations (the caller commits). A record the service
    refuses is a mistake in the demo: it raises :class:`app.services.errors.Invalid`."""
    apps = software_for(project)
    if not apps:
        return
    scope = owner_scope(project)
    for spec in apps:
        fields = SoftwareFields(spec.name, spec.intended_use, spec.risk, spec.version, spec.approach)
        software = service.create_software(scope, project, fields)
        dated(today - timedelta(days=spec.listed_days_ago))
        if spec.validated is not None:
            done = today - timedelta(days=spec.validated.days_ago)
            due = done + timedelta(days=spec.validated.revalidate_in_days)
            validation = ValidationFields(done, spec.version, spec.validated.result, due)
            db.session.flush()
            service.record_validation(scope, software, validation, software.version, today)
            dated(done)
    db.session.flush()
