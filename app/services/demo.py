"""The demo consultancy: four client factories at different points on the way to certification, one of them
certified (demo_certificates)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import (
    CertificationBody,
    CertificationProject,
    Client,
    Membership,
    Site,
    Standard,
    User,
    Workspace,
)
from app.services.accounts import create_user, find_user
from app.services.demo_budget import add_budget, add_history
from app.services.demo_certificates import add_certification
from app.services.demo_certification_bodies import add_quotes
from app.services.demo_documents import PLANS, add_documents
from app.services.demo_progress import PROFILES
from app.services.demo_record_plans import RECORDS, Records
from app.services.demo_records import add_records
from app.services.demo_registers import add_registers
from app.services.demo_staff import TRAINING
from app.services.demo_training import add_training
from app.services.pathway import setup_project
from app.services.scope import Scope

DEMO_EMAIL = "demo@example.com"
# Printed by seed-demo and given in the README; seed-demo refuses to run in production.
DEMO_PASSWORD = "readiness-demo"  # noqa: S105
DEMO_WORKSPACE = "Mekong Quality Partners (demo)"

DEMO_FACTORIES = (
    {
        "client": {
            "name": "Saigon Cork Co.",
            "country": "VN",
            "contact_name": "Nguyen Thi Lan",
            "contact_email": "lan@saigoncork.example",
        },
        "site": {
            "name": "Binh Duong stopper plant",
            "country": "VN",
            "employee_count": 38,
            "address": "Lot B4, VSIP II Industrial Park, Thu Dau Mot, Binh Duong, Vietnam",
            "products": "Natural and technical cork wine stoppers; bar-top stoppers",
            "scope_statement": "Manufacture and finishing of natural and technical cork wine stoppers "
            "for export",
        },
        "project": {
            "standard": "iso9001",
            "status": "in_progress",
            "target_weeks": 16,
            "currency": "VND",
            "cb_name": "Example Certification Asia",
            "cb_accreditation_body": "BoA",
        },
    },
    {
        "client": {
            "name": "Chao Phraya Sachets Ltd.",
            "country": "TH",
            "contact_name": "Somchai Prasert",
            "contact_email": "somchai@cpsachets.example",
        },
        "site": {
            "name": "Samut Prakan sachet plant",
            "country": "TH",
            "employee_count": 72,
            "address": "88 Moo 4, Bang Phli Industrial Estate, Samut Prakan 10540, Thailand",
            "products": "Sugar, salt and condiment sachets; stick packs",
            "scope_statement": "Filling and packing of food-grade sachets and stick packs",
        },
        "project": {
            "standard": "iso9001",
            "status": "planning",
            "target_weeks": 40,
            "currency": "THB",
            "cb_name": "",
            "cb_accreditation_body": "",
        },
    },
    {
        "client": {
            "name": "Penang MedTech Sdn Bhd",
            "country": "MY",
            "contact_name": "Tan Wei Ming",
            "contact_email": "weiming@penangmedtech.example",
        },
        "site": {
            "name": "Bayan Lepas infusion-set plant",
            "country": "MY",
            "employee_count": 140,
            "address": "Plot 12, Bayan Lepas Free Industrial Zone, 11900 Penang, Malaysia",
            "products": "Sterile infusion sets and extension lines (class IIa)",
            "scope_statement": "Design, manufacture and sterilisation of infusion sets",
        },
        "project": {
            "standard": "iso13485",
            "status": "in_progress",
            "target_weeks": 8,
            "currency": "MYR",
            "cb_name": "Example Medical Certification",
            "cb_accreditation_body": "DSM",
        },
    },
)


def _body(workspace_id: int, name: str, accreditation_body: str) -> CertificationBody | None:
    """The workspace's certification body of that name, added the first time."""
    if not name:
        return None
    found = db.session.execute(
        select(CertificationBody).where(
            CertificationBody.workspace_id == workspace_id, CertificationBody.name == name
        )
    ).scalar_one_or_none()
    if found is None:
        found = CertificationBody(workspace_id=workspace_id, name=name, accreditation_body=accreditation_body)
        db.session.add(found)
        db.session.flush()
    return found


def demo_exists() -> bool:
    workspace = db.session.execute(select(Workspace.id).where(Workspace.name == DEMO_WORKSPACE)).first()
    return workspace is not None or find_user(DEMO_EMAIL) is not None


def _latest_standard(code: str) -> Standard:
    stmt = select(Standard).where(Standard.code == code).order_by(Standard.id.desc()).limit(1)
    return db.session.execute(stmt).scalar_one()


def create_demo(today: date | None = None) -> Workspace:
    """Build the demo workspace. The caller commits (its documents' files are removed again if it does
    not); standards must already be loaded."""
    today = today or date.today()
    workspace = Workspace(name=DEMO_WORKSPACE, kind="consultancy")
    user: User = create_user(DEMO_EMAIL, "Demo Consultant", DEMO_PASSWORD, verified=True)
    membership = Membership(user=user, workspace=workspace, role="owner")
    db.session.add_all([workspace, membership])
    db.session.flush()
    scope = Scope.of(membership)
    projects = []
    for factory in DEMO_FACTORIES:
        client = Client(workspace_id=workspace.id, **factory["client"])
        db.session.add(client)
        db.session.flush()
        site = Site(workspace_id=workspace.id, client_id=client.id, **factory["site"])
        db.session.add(site)
        db.session.flush()
        spec = dict(factory["project"])
        standard = _latest_standard(spec.pop("standard"))
        body = _body(workspace.id, spec.pop("cb_name"), spec.pop("cb_accreditation_body"))
        target = today + timedelta(weeks=spec.pop("target_weeks"))
        project = CertificationProject(
            workspace_id=workspace.id,
            client_id=client.id,
            site_id=site.id,
            standard=standard,
            body=body,
            target_date=target,
            **spec,
        )
        db.session.add(project)
        setup_project(project)
        db.session.flush()
        PROFILES[client.country](project, today, user.id)
        add_documents(scope, project, today, PLANS[client.country])
        add_training(scope, project, today, TRAINING[client.country])
        add_records(project, today, RECORDS.get(client.country, Records()))
        projects.append(project)
        add_budget(project, site.employee_count, today)
    add_quotes(scope, projects, today)
    projects.append(add_certification(scope, projects, user.id, today))
    db.session.flush()
    add_registers(projects, today)
    db.session.flush()
    add_history(projects, today)
    return workspace
