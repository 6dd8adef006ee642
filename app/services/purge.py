"""Purging: what was soft-deleted more than N days ago is removed for good, with its stored files.

Run by ``flask purge-deleted`` (cron). Clients, sites, projects and budget lines deleted before the cutoff
go with everything they hold (the database cascades: a project's stages, verdicts, tasks, findings,
evidence rows, document register, budget and snapshots; the files of its evidence versions and document
revisions), and so do evidence items deleted before the cutoff. Each purged row is recorded as a data
event with its name, so the record says what was there.

The files go only once the deletion of their rows is committed (:func:`remove_on_commit`): a purge that
fails leaves every row with its file, and a crash between commit and removal leaves at worst a file that
nothing names, never a row whose file is gone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select

from app.domain.retention import RESTORE_DAYS, purge_cutoff
from app.extensions import db
from app.models import (
    BudgetLine,
    CertificationProject,
    Client,
    ControlledDocument,
    DocumentRevision,
    EvidenceItem,
    EvidenceVersion,
    Site,
)
from app.models.base import utcnow
from app.services import data_events
from app.services.evidence import store
from app.services.transaction import remove_on_commit


@dataclass
class PurgeReport:
    rows: Counter[str] = field(default_factory=Counter)  # subject -> rows purged
    files: int = 0

    @property
    def nothing(self) -> bool:
        return not self.rows


def _deleted_before(model: Any, cutoff: datetime) -> list[Any]:
    stmt = select(model).where(model.deleted_at.is_not(None), model.deleted_at < cutoff).order_by(model.id)
    return list(db.session.execute(stmt).scalars())


def _storage_names(condition: Any) -> list[str]:
    stmt = select(EvidenceVersion.storage_name).join(EvidenceItem).where(condition)
    return list(db.session.execute(stmt).scalars())


def _revision_files(project_ids: list[int]) -> list[str]:
    """The files of every revision in these projects' registers (withdrawn documents too)."""
    stmt = (
        select(DocumentRevision.storage_name)
        .join(ControlledDocument, ControlledDocument.id == DocumentRevision.document_id)
        .where(ControlledDocument.project_id.in_(project_ids))
    )
    return list(db.session.execute(stmt).scalars())


def _remove_files(names: list[str], report: PurgeReport) -> None:
    files = store()
    for name in names:
        remove_on_commit(files.path(name))
    report.files += len(names)


def _record(report: PurgeReport, subject: str, row: Any, workspace_id: int | None, detail: str) -> None:
    report.rows[subject] += 1
    data_events.record("purged", subject, row.id, workspace_id, None, detail)


def _purge_projects(projects: list[CertificationProject], report: PurgeReport) -> None:
    ids = [project.id for project in projects]
    if not ids:
        return
    _remove_files(_storage_names(EvidenceItem.project_id.in_(ids)), report)
    _remove_files(_revision_files(ids), report)
    for project in projects:
        detail = f"{project.standard.name} at {project.site.name} ({project.client.name})"
        _record(report, "project", project, project.workspace_id, detail)
    db.session.execute(delete(CertificationProject).where(CertificationProject.id.in_(ids)))


def purge_deleted(days: int = RESTORE_DAYS, now: datetime | None = None) -> PurgeReport:
    """Remove what was deleted more than ``days`` days ago; the caller commits (then the files go)."""
    cutoff = purge_cutoff(now or utcnow(), days)
    report = PurgeReport()
    clients = _deleted_before(Client, cutoff)
    sites = _deleted_before(Site, cutoff)
    client_ids = [client.id for client in clients]
    site_ids = [site.id for site in sites]
    # A project under a purged site or client goes too, whenever it was deleted.
    projects = list(
        db.session.execute(
            select(CertificationProject)
            .where(
                or_(
                    CertificationProject.deleted_at < cutoff,
                    CertificationProject.site_id.in_(site_ids),
                    CertificationProject.client_id.in_(client_ids),
                )
            )
            .order_by(CertificationProject.id)
        ).scalars()
    )
    _purge_projects(projects, report)
    for site in sites:
        _record(report, "site", site, site.workspace_id, f"{site.name} ({site.client.name})")
    db.session.execute(delete(Site).where(Site.id.in_(site_ids)))
    for client in clients:
        _record(report, "client", client, client.workspace_id, client.name)
    db.session.execute(delete(Client).where(Client.id.in_(client_ids)))
    _purge_lines(cutoff, report)
    _purge_evidence(cutoff, report)
    return report


def _purge_lines(cutoff: datetime, report: PurgeReport) -> None:
    lines = db.session.execute(
        select(BudgetLine, CertificationProject.workspace_id)
        .join(CertificationProject, CertificationProject.id == BudgetLine.project_id)
        .where(BudgetLine.deleted_at.is_not(None), BudgetLine.deleted_at < cutoff)
    ).all()
    for line, workspace_id in lines:
        _record(report, "budget_line", line, workspace_id, f"{line.description} (project {line.project_id})")
    db.session.execute(delete(BudgetLine).where(BudgetLine.id.in_([line.id for line, _ in lines])))


def _purge_evidence(cutoff: datetime, report: PurgeReport) -> None:
    deleted = EvidenceItem.deleted_at.is_not(None) & (EvidenceItem.deleted_at < cutoff)
    items = db.session.execute(
        select(EvidenceItem, CertificationProject.workspace_id)
        .join(CertificationProject, CertificationProject.id == EvidenceItem.project_id)
        .where(deleted)
    ).all()
    _remove_files(_storage_names(deleted), report)
    for item, workspace_id in items:
        _record(report, "evidence", item, workspace_id, f"{item.title} (project {item.project_id})")
    db.session.execute(delete(EvidenceItem).where(EvidenceItem.id.in_([item.id for item, _ in items])))
