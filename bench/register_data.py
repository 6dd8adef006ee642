"""A throw-away instance holding one ISO 13485 project with a large document register, for the benchmarks.

The account, client, site and project are made by the app's own services; the register goes in as plain
rows (300 documents and 600 revisions take about a second): documents of every type linked to one to three
requirements, most approved (half of them in a later revision, the earlier ones superseded), some with a
change waiting for approval or in draft, some only in review or draft, one in ten withdrawn, and review
dates spread over two years so that some reviews are overdue. No file is stored: the pages measured only
read rows.

Other projects of the instance get registers of their own (``others`` x 100 documents), so that a query
reading more than its project's register shows; the measured project also gets 10 budget lines, for its
budget page, which the performance review measured with the same 10 lines (a reference point).
"""

from __future__ import annotations

import io
import secrets
from contextlib import redirect_stderr
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.domain import documents as rules
from app.domain.budget import CATEGORIES
from app.extensions import db
from app.models import BudgetLine, Clause, Client, ControlledDocument, DocumentRevision, Site, Standard
from app.services.accounts import create_account
from app.services.projects import create_project
from app.services.standards import load_bundled_standards

EMAIL = "bench@example.com"
PASSWORD = "bench-password-long-enough"
SECRET_KEY = secrets.token_hex(32)
# The revisions of each document, by its number modulo 10: 20 revisions for every 10 documents.
A, S, R, D = (
    rules.RevisionState.APPROVED,
    rules.RevisionState.SUPERSEDED,
    rules.RevisionState.IN_REVIEW,
    rules.RevisionState.DRAFT,
)
HISTORIES: tuple[tuple[str, ...], ...] = (
    (A,),  # withdrawn since (see WITHDRAWN)
    (S, A),
    (S, S, A),
    (S, A, R),
    (A, D),
    (D,),
    (R,),
    (S, A),
    (S, A, D),
    (A, R),
)
WITHDRAWN = 0
TYPES = list(rules.DocumentType)


@dataclass(frozen=True)
class Instance:
    app: Flask
    folder: Path
    database: Path
    project_id: int
    document_ids: list[int]  # in the order made
    revisions: int


def config(folder: Path) -> dict[str, Any]:
    """The in-process app's settings (the served one reads the same from its environment)."""
    return {
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'readiness.db'}",
        "EVIDENCE_DIR": str(folder / "evidence"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # a cheap hash: the served app checks it all the same
        "RATELIMIT_ENABLED": False,
    }


def served_env(folder: Path) -> dict[str, str]:
    """The environment of the gunicorn workers: the app as deployed, on the same database."""
    return {
        "READINESS_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{folder / 'readiness.db'}",
        "EVIDENCE_DIR": str(folder / "evidence"),
    }


def build(folder: Path, documents: int = 300, others: int = 10) -> Instance:
    app = create_app(config(folder))
    with app.app_context():
        with redirect_stderr(io.StringIO()):  # Alembic's log of every migration
            upgrade()
        load_bundled_standards()
        membership = create_account(EMAIL, "Bench Owner", PASSWORD, "Bench consultancy", "consultancy")
        db.session.flush()
        client = Client(workspace_id=membership.workspace_id, name="Bench MedTech", country="MY")
        db.session.add(client)
        db.session.flush()
        site = Site(
            workspace_id=client.workspace_id,
            client_id=client.id,
            name="Plant",
            address="x",
            country="MY",
            employee_count=140,
        )
        db.session.add(site)
        db.session.flush()
        standard = db.session.execute(select(Standard).where(Standard.code == "iso13485")).scalar_one()
        project = create_project(site, standard, currency="MYR")
        ids, revisions = add_register(project.id, project.standard_id, membership.user_id, documents)
        add_budget(project.id)
        for number in range(others):
            other = Site(
                workspace_id=client.workspace_id,
                client_id=client.id,
                name=f"Plant {number + 2}",
                address="x",
                country="MY",
                employee_count=40,
            )
            db.session.add(other)
            db.session.flush()
            neighbour = create_project(other, standard, currency="MYR")
            add_register(neighbour.id, neighbour.standard_id, membership.user_id, 100)
        db.session.commit()
        project_id = project.id
        db.session.remove()
    return Instance(app, folder, folder / "readiness.db", project_id, ids, revisions)


def add_register(project_id: int, standard_id: int, user_id: int, count: int) -> tuple[list[int], int]:
    """``count`` documents with their revisions, as described above; (document ids, revisions)."""
    clauses = list(
        db.session.execute(
            select(Clause).where(Clause.standard_id == standard_id, Clause.is_leaf).order_by(Clause.position)
        ).scalars()
    )
    today = date.today()
    made, revisions = [], 0
    for n in range(count):
        doc_type = TYPES[n % len(TYPES)]
        approved_on = today - timedelta(days=(n * 37) % 720 + 1)
        history = HISTORIES[n % len(HISTORIES)]
        document = ControlledDocument(
            project_id=project_id,
            code=f"{rules.CODE_PREFIXES[doc_type]}-{n + 1:03d}",
            title=f"{rules.TYPE_LABELS[doc_type]} {n + 1}: {clauses[n % len(clauses)].title or 'general'}",
            doc_type=doc_type,
            owner=("Quality lead", "Production manager", "Regulatory affairs")[n % 3],
            review_months=(12, 24, 6)[n % 3],
            status=rules.DocumentStatus.OBSOLETE if n % 10 == WITHDRAWN else rules.DocumentStatus.ACTIVE,
            withdrawn_reason="Merged into another procedure." if n % 10 == WITHDRAWN else "",
            created_by_id=user_id,
            clauses=[clauses[(n * 7 + k * 13) % len(clauses)] for k in range(n % 3 + 1)],
        )
        for position, state in enumerate(history):
            document.revisions.append(_revision(document.code, position, state, approved_on, user_id))
        if A in history and document.status == rules.DocumentStatus.ACTIVE:
            document.review_due = rules.review_due(approved_on, document.review_months)
        db.session.add(document)
        made.append(document)
        revisions += len(history)
    db.session.flush()
    return [document.id for document in made], revisions


def add_budget(project_id: int) -> None:
    stages = ("gap_analysis", "documentation", "training", "internal_audit", "external_audit")
    for n in range(10):
        db.session.add(
            BudgetLine(
                project_id=project_id,
                stage=stages[n % len(stages)],
                category=list(CATEGORIES)[n % len(CATEGORIES)],
                description=f"Budget line {n + 1}",
                planned=Decimal(1000 + 250 * n),
                actual=Decimal(900 + 300 * n) if n % 2 else None,
                spent_on=date.today() - timedelta(days=10 * n) if n % 2 else None,
            )
        )


def _revision(code: str, position: int, state: str, approved_on: date, user_id: int) -> DocumentRevision:
    label = chr(ord("A") + position)
    approved = state in (A, S)
    day = approved_on - timedelta(days=200 * (2 - position)) if state == S else approved_on
    moment = datetime.combine(day, time(9), tzinfo=UTC)
    return DocumentRevision(
        label=label,
        change_note="First issue." if position == 0 else f"Revision {label}: changes after the review.",
        state=state,
        storage_name=secrets.token_hex(32),
        filename=f"{code} rev {label}.pdf",
        content_type="application/pdf",
        size=20_000 + 1_000 * position,
        sha256=secrets.token_hex(32),
        uploaded_by_id=user_id,
        submitted_by_id=user_id if state != D else None,
        submitted_at=moment if state != D else None,
        approved_by_id=user_id if approved else None,
        approved_at=moment if approved else None,
        approved_on=day if approved else None,
        effective_on=day if approved else None,
        self_approved=approved,
        superseded_at=datetime.combine(approved_on, time(9), tzinfo=UTC) if state == S else None,
    )
