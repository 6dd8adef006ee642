"""The migrations build the schema the models describe, on each engine, and can be undone."""

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.domain.catalog import Catalog, bundled_catalogs
from app.extensions import db
from app.models import Assessment, Base, Clause, EvidenceItem, Standard, Task
from app.models.documents import document_clauses
from app.services.standards import add_catalog


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_migrated_database_matches_the_models(app):
    assert schema_differences() == []


def test_every_model_table_exists(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {table.name for table in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_downgrade_to_empty_and_upgrade_again(app, without_catalogs):
    db.session.remove()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert schema_differences() == []


# ---------------------------------------------------------------- 0007: catalog corrections on loaded data

NEW_PARAGRAPHS = [f"4.1.{n}" for n in range(1, 7)]
OLD_4_1_NOTES = "Roles listed for Viet Nam only; Thailand still to do."
DUE = date(2027, 3, 1)
CLAUSE_COLUMNS = (
    "number", "parent_number", "section", "position", "level", "title", "title_is_label", "is_requirement",
    "is_leaf", "summary", "documented_information", "di_note", "stage_hint", "evidence_examples",
    "may_be_not_applicable", "documented_procedure", "notes",
)  # fmt: skip


@pytest.fixture
def at_0006(app, without_catalogs):
    """The schema of revision 0006 with empty tables; back at the head afterwards, even if the test fails."""
    db.session.remove()
    downgrade(revision="0006")
    yield
    db.session.remove()
    upgrade()


def old_clause_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """The catalog as load-standards stored it before 0007: ISO 13485 4.1 a leaf, 9001 8.2.4 and 8.5.2 old."""
    old_4_1 = {"documented_information": "both", "documented_procedure": True, "di_note": "Old note on 4.1"}
    old = {
        ("iso13485", "4.1"): old_4_1 | {"evidence_examples": ["regulatory role statement"]},
        ("iso9001", "8.2.4"): {"documented_information": "maintain"},
        ("iso9001", "8.5.2"): {"may_be_not_applicable": True},
    }
    kept = [spec for spec in catalog.clauses if spec.parent != "4.1" or catalog.code != "iso13485"]
    parents = {spec.parent for spec in kept}
    return [
        {
            "number": spec.number,
            "parent_number": spec.parent,
            "section": catalog.section_of(spec.number),
            "position": position,
            "level": spec.level,
            "title": spec.title,
            "is_requirement": spec.requirement,
            "is_leaf": spec.requirement and spec.number not in parents,
            "summary": spec.summary,
            "documented_information": spec.documented_information,
            "di_note": spec.di_note or "",
            "stage_hint": spec.stage_hint,
            "evidence_examples": list(spec.evidence),
            "may_be_not_applicable": spec.may_be_not_applicable,
            "documented_procedure": spec.documented_procedure,
        }
        | old.get((catalog.code, spec.number), {})
        for position, spec in enumerate(kept)
    ]


class OldDatabase:
    """Rows written straight into the revision-0006 schema (the models describe the head, not 0006)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.tables: dict[str, sa.Table] = {}
        self.clause_ids: dict[tuple[str, str], int] = {}
        self.leaves: dict[str, list[tuple[str, int]]] = {}
        self.standard_ids: dict[str, int] = {}

    def insert(self, table_name: str, /, **values: Any) -> int:
        if table_name not in self.tables:
            self.tables[table_name] = sa.Table(table_name, sa.MetaData(), autoload_with=self.conn)
        table = self.tables[table_name]
        stamps = {"created_at": datetime.now(UTC), "version": 1}
        defaults = {name: value for name, value in stamps.items() if name in table.c}
        result = self.conn.execute(table.insert().values(**(defaults | values)))
        return result.inserted_primary_key[0] if result.inserted_primary_key else 0

    def catalogs(self) -> None:
        for catalog in bundled_catalogs():
            self.standard_ids[catalog.code] = standard_id = self.insert(
                "standards", code=catalog.code, name=catalog.name, version=catalog.version,
                title=catalog.title, not_applicable_rule=catalog.not_applicable_rule,
                not_applicable_note=catalog.not_applicable_note, sections=list(catalog.sections),
            )  # fmt: skip
            for row in old_clause_rows(catalog):
                clause_id = self.insert("clauses", standard_id=standard_id, **row)
                self.clause_ids[(catalog.code, row["number"])] = clause_id
                if row["is_leaf"]:
                    self.leaves.setdefault(catalog.code, []).append((row["number"], clause_id))

    def project(self, code: str, verdicts: dict[str, dict[str, Any]]) -> int:
        workspace = self.insert("workspaces", name=f"Old {code}", kind="consultancy")
        client = self.insert("clients", workspace_id=workspace, name="Old client", country="VN",
                             contact_name="", contact_email="", notes="")  # fmt: skip
        site = self.insert("sites", workspace_id=workspace, client_id=client, name="Plant", address="",
                           country="VN", employee_count=40, products="", scope_statement="")  # fmt: skip
        project = self.insert("projects", workspace_id=workspace, client_id=client, site_id=site,
                              standard_id=self.standard_ids[code], cb_name="", cb_accreditation_body="",
                              currency="USD", status="planning")  # fmt: skip
        for number, clause_id in self.leaves[code]:
            recorded = {"status": "not_assessed", "notes": "", "justification": "", "owner": ""}
            self.insert("assessments", project_id=project, clause_id=clause_id, updated_at=datetime.now(UTC),
                        **(recorded | verdicts.get(number, {})))  # fmt: skip
        return project


def verdicts_of(project_id: int) -> dict[str, Any]:
    stmt = sa.select(Clause.number, Assessment).join(Assessment.clause)
    rows = db.session.execute(stmt.where(Assessment.project_id == project_id)).all()
    return {row.number: row.Assessment for row in rows}


def test_0007_splits_iso13485_4_1_and_keeps_the_verdicts(at_0006):
    with db.engine.begin() as conn:
        old = OldDatabase(conn)
        old.catalogs()
        partial = {"status": "partial", "notes": OLD_4_1_NOTES, "owner": "Ms Hoa", "due_date": DUE}
        project = old.project("iso13485", {"4.1": partial})
        untouched = old.project("iso13485", {})
        excluded = {"status": "not_applicable", "justification": "We never trace lots."}
        project_9001 = old.project("iso9001", {"8.5.2": excluded})
        on_4_1 = old.clause_ids[("iso13485", "4.1")]
        evidence = old.insert(
            "evidence_items", project_id=project, clause_id=on_4_1, kind="note", title="Role statement",
            url="", note="Manufacturer in VN", review_state="accepted", reviewer_comment="",
            self_reviewed=False,
        )  # fmt: skip
        document = old.insert(
            "documents", project_id=project, code="QM-01", title="Quality manual", doc_type="quality_manual",
            owner="", review_months=12, used_where="", notes="", status="active", withdrawn_reason="",
        )  # fmt: skip
        old.insert("document_clauses", document_id=document, clause_id=on_4_1)
        task = old.insert(
            "tasks", project_id=project, stage="gap_analysis", position=0, clause_number="4.1",
            title="List the device regulations", hint="", owner="", status="open", notes="",
        )  # fmt: skip
        assert len(verdicts_of_0006(conn, project)) == 67

    upgrade()

    verdicts = verdicts_of(project)
    assert len(verdicts) == 72 and "4.1" not in verdicts
    roles = verdicts["4.1.1"]
    assert (roles.status, roles.owner, roles.due_date) == ("partial", "Ms Hoa", DUE)
    assert roles.notes.startswith("Carried over from 4.1: this verdict was made on 4.1 as a whole")
    assert "numbering 4.1.1\u20134.1.6 was used" in roles.notes and roles.notes.endswith(OLD_4_1_NOTES)
    assert [verdicts[n].status for n in NEW_PARAGRAPHS[1:]] == ["not_assessed"] * 5
    assert all(verdicts[n].notes == "" for n in NEW_PARAGRAPHS[1:])
    fresh = verdicts_of(untouched)["4.1.1"]  # nothing was recorded on 4.1: no sentence about it
    assert (len(verdicts_of(untouched)), fresh.status, fresh.notes) == (72, "not_assessed", "")

    clause_of = {c.id: c.number for c in db.session.execute(sa.select(Clause)).scalars()}
    assert clause_of[db.session.get(EvidenceItem, evidence).clause_id] == "4.1.1"
    links = db.session.execute(sa.select(document_clauses.c.clause_id)).scalars().all()
    assert [clause_of[c] for c in links] == ["4.1.1"]
    assert db.session.get(Task, task).clause_number == "4.1.1"

    identification = verdicts_of(project_9001)["8.5.2"]
    assert identification.status == "not_assessed"
    assert identification.justification == "We never trace lots."
    assert "can no longer be marked not applicable" in identification.notes
    assert_catalogs_match_the_loader()

    db.session.remove()
    downgrade(revision="0006")  # best effort: the 4.1.1 verdict goes back to 4.1 as it was
    with db.engine.connect() as conn:
        back = verdicts_of_0006(conn, project)
        assert len(back) == 67 and back["4.1"] == ("partial", OLD_4_1_NOTES)


def verdicts_of_0006(conn: Any, project_id: int) -> dict[str, tuple[str, str]]:
    rows = conn.execute(sa.text(
        "SELECT c.number, a.status, a.notes FROM assessments a JOIN clauses c ON c.id = a.clause_id "
        "WHERE a.project_id = :p"
    ), {"p": project_id})  # fmt: skip
    return {number: (status, notes) for number, status, notes in rows}


def assert_catalogs_match_the_loader() -> None:
    """The migrated catalogs hold what load-standards stores from today's files (a later change to those
    files needs a migration of its own: the loader never changes a version already loaded)."""
    for catalog in bundled_catalogs():
        add_catalog(replace(catalog, version="as loaded"))
        db.session.flush()
        migrated, loaded = (
            db.session.execute(
                sa.select(Standard).where(Standard.code == catalog.code, Standard.version == version)
            ).scalar_one()
            for version in (catalog.version, "as loaded")
        )
        assert migrated.amendments == loaded.amendments
        rows = [
            [{name: getattr(clause, name) for name in CLAUSE_COLUMNS} for clause in standard.clauses]
            for standard in (migrated, loaded)
        ]
        assert rows[0] == rows[1]
    db.session.rollback()
