"""Loading standards catalogs into the database, idempotently."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.catalog import Catalog, bundled_catalogs
from app.extensions import db
from app.models import Clause, Standard


@dataclass(frozen=True)
class LoadResult:
    name: str
    version: str
    clauses: int
    added: bool


def find_standard(code: str, version: str) -> Standard | None:
    stmt = select(Standard).where(Standard.code == code, Standard.version == version)
    return db.session.execute(stmt).scalar_one_or_none()


def add_catalog(catalog: Catalog) -> LoadResult:
    """Add a catalog version unless it is already there; an existing version is never changed."""
    if find_standard(catalog.code, catalog.version) is not None:
        return LoadResult(catalog.name, catalog.version, len(catalog.clauses), added=False)
    standard = Standard(
        code=catalog.code,
        name=catalog.name,
        version=catalog.version,
        title=catalog.title,
        not_applicable_rule=catalog.not_applicable_rule,
        not_applicable_note=catalog.not_applicable_note,
        sections=list(catalog.sections),
        amendments=[
            {
                "id": amendment.id,
                "name": amendment.name,
                "published": amendment.published,
                "affects": list(amendment.affects),
                "summary": amendment.summary,
            }
            for amendment in catalog.amendments
        ],
    )
    leaves = {clause.number for clause in catalog.leaves}
    standard.clauses = [
        Clause(
            number=spec.number,
            parent_number=spec.parent,
            section=catalog.section_of(spec.number),
            position=position,
            level=spec.level,
            title=spec.title,
            title_is_label=spec.title_is_label,
            is_requirement=spec.requirement,
            is_leaf=spec.number in leaves,
            summary=spec.summary,
            documented_information=spec.documented_information,
            di_note=spec.di_note or "",
            stage_hint=spec.stage_hint,
            evidence_examples=list(spec.evidence),
            may_be_not_applicable=spec.may_be_not_applicable,
            documented_procedure=spec.documented_procedure,
            notes=spec.notes or "",
        )
        for position, spec in enumerate(catalog.clauses)
    ]
    db.session.add(standard)
    return LoadResult(catalog.name, catalog.version, len(catalog.clauses), added=True)


def load_bundled_standards() -> list[LoadResult]:
    """Add every catalog shipped in ``app/standards/``. The caller commits."""
    return [add_catalog(catalog) for catalog in bundled_catalogs()]
