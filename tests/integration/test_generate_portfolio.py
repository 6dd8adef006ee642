"""generate-portfolio: a consultancy of generated client factories for measuring the app at scale."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Assessment,
    Attendance,
    BudgetLine,
    CertificationProject,
    Clause,
    Client,
    ContextIssue,
    ControlledDocument,
    EvidenceItem,
    EvidenceVersion,
    Finding,
    Instrument,
    InternalAudit,
    Person,
    ProjectStage,
    ReadinessSnapshot,
    RegisterEvent,
    RiskFile,
    Site,
    SoftwareValidation,
    Supplier,
    Task,
    Workspace,
)
from app.services.generator import portfolio

LAST_LINE = re.compile(r"Log in as (\S+) with password: (\S+)")


def generate(runner: Any, clients: int = 3, seed: int = 5) -> tuple[str, str]:
    result = runner.invoke(args=["generate-portfolio", "--clients", str(clients), "--seed", str(seed)])
    assert result.exit_code == 0, result.output
    found = LAST_LINE.fullmatch(result.output.strip().splitlines()[-1])
    assert found, result.output
    return found.group(1), found.group(2)


def count(model: Any, *where: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def of_project(model: Any, project_id: int) -> int:
    return count(model, model.project_id == project_id)


@pytest.fixture
def generated(runner: Any) -> tuple[str, str]:
    return generate(runner)


def test_every_model_gets_its_rows_and_registers_go_to_two_projects_in_five(app, generated):
    assert (count(Workspace), count(Client), count(Site), count(CertificationProject)) == (1, 3, 3, 3)
    projects = (
        db.session.execute(select(CertificationProject).order_by(CertificationProject.id)).scalars().all()
    )
    # One project in ten on ISO 13485, the second of every ten.
    assert [p.standard.code for p in projects] == ["iso9001", "iso13485", "iso9001"]
    for project in projects:
        leaves = count(Clause, Clause.standard_id == project.standard_id, Clause.is_leaf)
        assessed = count(
            Assessment, Assessment.project_id == project.id, Assessment.status != "not_applicable"
        )
        assert of_project(Assessment, project.id) == leaves
        assert 2.5 * assessed <= of_project(EvidenceItem, project.id) <= 5.5 * assessed  # ~4 a requirement
        assert (of_project(ProjectStage, project.id), of_project(BudgetLine, project.id)) == (6, 10)
        assert of_project(Task, project.id) > 30
        assert of_project(ReadinessSnapshot, project.id) == 90
    first, medical, plain = projects
    for project in (first, medical):  # index 0 and 1 modulo 5 keep registers
        assert of_project(ControlledDocument, project.id) >= 15
        assert of_project(InternalAudit, project.id) == 2 and of_project(Finding, project.id) >= 2
        assert count(Person, Person.site_id == project.site_id) >= 20
        assert of_project(Instrument, project.id) == 8 and of_project(Supplier, project.id) == 8
    assert count(Attendance) >= 300
    assert (of_project(ContextIssue, first.id), of_project(RiskFile, first.id)) == (6, 0)  # ISO 9001's
    assert (of_project(ContextIssue, medical.id), of_project(RiskFile, medical.id)) == (0, 2)  # ISO 13485's
    assert of_project(SoftwareValidation, medical.id) == 5
    assert of_project(RegisterEvent, medical.id) > 0
    assert all(of_project(model, plain.id) == 0 for model in (ControlledDocument, InternalAudit, Instrument))


def test_evidence_files_are_stored_with_their_hash(app, generated):
    versions = db.session.execute(select(EvidenceVersion)).scalars().all()
    items = count(EvidenceItem)
    assert 0.04 * items <= len(versions) <= 0.2 * items  # about one item in ten is a file
    for version in versions:
        content = (Path(app.config["EVIDENCE_DIR"]) / version.storage_name).read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (version.size, version.sha256)
        assert version.item.kind == "file"


def test_verdicts_follow_the_realistic_mix_and_leave_out_only_what_the_catalog_allows(app, generated):
    rows = db.session.execute(
        select(Assessment, Clause)
        .join(Clause, Clause.id == Assessment.clause_id)
        .where(Clause.is_requirement)
    ).all()
    statuses = Counter(assessment.status for assessment, _ in rows)
    assert statuses["not_assessed"] == 0  # every requirement assessed
    judged = statuses["met"] + statuses["partial"] + statuses["not_met"]
    assert 0.45 <= statuses["met"] / judged <= 0.65
    assert 0.14 <= statuses["partial"] / judged <= 0.32
    assert 0.13 <= statuses["not_met"] / judged <= 0.31
    left_out = [(a, c) for a, c in rows if a.status == "not_applicable"]
    assert left_out and all(
        clause.may_be_not_applicable and a.justification.strip() for a, clause in left_out
    )
    gaps = [a for a, _ in rows if a.status in ("partial", "not_met")]
    assert all(a.owner and a.due_date for a in gaps)
    evidence = Counter(db.session.execute(select(EvidenceItem.review_state)).scalars())
    assert 0.45 <= evidence["accepted"] / evidence.total() <= 0.65


def test_stages_and_tasks_stand_at_varied_points_with_some_overdue(app, runner):
    generate(runner, clients=12)
    stages = Counter(db.session.execute(select(ProjectStage.status)).scalars())
    assert set(stages) == {"done", "in_progress", "not_started"}
    tasks = db.session.execute(select(Task)).scalars().all()
    assert {task.status for task in tasks} == {"done", "in_progress", "open"}
    today = max(s for s in db.session.execute(select(ReadinessSnapshot.taken_on)).scalars())
    overdue = [t for t in tasks if t.status != "done" and t.due_date and t.due_date < today]
    assert 0 < len(overdue) < len(tasks) / 5


def portfolio_of(workspace_id: int) -> list[Any]:
    """What a portfolio holds, without its ids, names of its owner or its files' random names."""
    projects = db.session.execute(
        select(CertificationProject)
        .where(CertificationProject.workspace_id == workspace_id)
        .order_by(CertificationProject.id)
    ).scalars()
    held: list[Any] = []
    for project in projects:
        verdicts = db.session.execute(
            select(Clause.number, Assessment.status, Assessment.owner, Assessment.due_date)
            .join(Clause)
            .where(Assessment.project_id == project.id)
            .order_by(Clause.position)
        ).all()
        evidence = db.session.execute(
            select(EvidenceItem.kind, EvidenceItem.title, EvidenceItem.review_state, EvidenceItem.valid_until)
            .where(EvidenceItem.project_id == project.id)
            .order_by(
                EvidenceItem.title, EvidenceItem.kind, EvidenceItem.review_state, EvidenceItem.valid_until
            )
        ).all()
        history = db.session.execute(
            select(ReadinessSnapshot.taken_on, ReadinessSnapshot.readiness)
            .where(ReadinessSnapshot.project_id == project.id)
            .order_by(ReadinessSnapshot.taken_on)
        ).all()
        held.append((project.client.name, project.site.country, project.standard.code, project.status))
        held += [verdicts, evidence, history, of_project(ControlledDocument, project.id)]
        held.append(count(Person, Person.site_id == project.site_id))
    return held


def test_the_same_seed_gives_the_same_portfolio_and_a_second_run_adds_a_second_consultancy(app, runner):
    first_email, _ = generate(runner, seed=11)
    second_email, _ = generate(runner, seed=11)
    assert (first_email, second_email) == ("consultant@portfolio.example", "consultant-2@portfolio.example")
    other_email, _ = generate(runner, seed=12)
    workspaces = db.session.execute(select(Workspace.id).order_by(Workspace.id)).scalars().all()
    first, second, other = (portfolio_of(workspace_id) for workspace_id in workspaces)
    assert first == second
    assert first != other
    assert other_email == "consultant-3@portfolio.example"


def test_the_printed_log_in_works_and_shows_the_clients(app, client, generated):
    email, password = generated
    assert password == portfolio.PASSWORD
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302
    page = client.get("/clients")
    assert page.status_code == 200
    for name in db.session.execute(select(Client.name)).scalars():
        assert name.replace("&", "&amp;") in page.get_data(as_text=True)


def test_production_is_refused_and_nothing_is_written(app, runner):
    app.config["ENVIRONMENT"] = "production"
    result = runner.invoke(args=["generate-portfolio", "--clients", "3"])
    assert result.exit_code != 0
    assert "refuses to run against a production configuration" in result.output
    assert (count(Workspace), count(Client), count(EvidenceItem)) == (0, 0, 0)
    assert not Path(app.config["EVIDENCE_DIR"]).exists()
