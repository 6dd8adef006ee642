"""The portfolio export: every project the user may see, summarised as the project list does (readiness,
evidence coverage, current stage), a batch of projects at a time so the workbook streams them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.exports import Cell, Column, Export, Kind, Table
from app.domain.gates import status_label
from app.domain.pathway import STAGES as PATHWAY_STAGES
from app.domain.text import _, _l
from app.extensions import db
from app.models import CertificationProject
from app.models.base import utcnow
from app.services.project_list import summarise
from app.services.scope import Scope, scoped

PORTFOLIO_BATCH = 200  # projects summarised per round of queries
STAGE_TITLES = {info.key.value: info.title for info in PATHWAY_STAGES}


PORTFOLIO_COLUMNS = (
    Column(_l("Project"), Kind.INTEGER, 9),
    Column(_l("Client"), Kind.TEXT, 30),
    Column(_l("Site"), Kind.TEXT, 24),
    Column(_l("Country"), Kind.TEXT, 8),
    Column(_l("Standard"), Kind.TEXT, 22),
    Column(_l("Status"), Kind.TEXT, 14),
    Column(_l("Current stage"), Kind.TEXT, 18),
    Column(_l("Readiness (%)"), Kind.INTEGER, 12),
    Column(_l("Met"), Kind.INTEGER, 7),
    Column(_l("Partly met"), Kind.INTEGER, 9),
    Column(_l("Not met"), Kind.INTEGER, 8),
    Column(_l("Not assessed"), Kind.INTEGER, 10),
    Column(_l("Not applicable"), Kind.INTEGER, 10),
    Column(_l("Evidence coverage (%)"), Kind.INTEGER, 12),
    Column(_l("Target date"), Kind.DATE, 12),
)


def portfolio_rows(scope: Scope, today: date) -> Iterator[Sequence[Cell]]:
    """Every project the scope may see, by id, summarised a batch at a time (a fixed number of queries per
    batch), so the workbook streams them without holding them all."""
    base: Any = scoped(scope, select(CertificationProject), CertificationProject)
    after = 0
    while True:
        stmt = (
            base.options(
                joinedload(CertificationProject.client, innerjoin=True),
                joinedload(CertificationProject.site, innerjoin=True),
                joinedload(CertificationProject.standard, innerjoin=True),
            )
            .where(CertificationProject.id > after)
            .order_by(CertificationProject.id)
            .limit(PORTFOLIO_BATCH)
        )
        projects = list(db.session.execute(stmt).scalars())
        if not projects:
            return
        for summary in summarise(projects, today):
            project, counts = summary.project, summary.readiness
            stage = summary.current_stage
            yield [
                project.id,
                project.client.name,
                project.site.name,
                project.site.country,
                project.standard.label,
                status_label(summary.status),
                STAGE_TITLES.get(stage.value, stage.value) if stage else None,
                counts.percent,
                counts.met,
                counts.partial,
                counts.not_met,
                counts.not_assessed,
                counts.not_applicable,
                summary.coverage,
                project.target_date,
            ]
        after = projects[-1].id  # the session's identity map holds them weakly: a written batch is let go


def portfolio_export(scope: Scope, today: date) -> Export:
    table = Table(_("Portfolio"), PORTFOLIO_COLUMNS, portfolio_rows(scope, today))
    return Export("portfolio", (table,), ((_("Exported at (UTC)"), utcnow()),))
