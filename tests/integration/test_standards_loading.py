"""Loading the bundled catalogs into the database: counts, leaves, and idempotence."""

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.domain.catalog import bundled_catalogs
from app.extensions import db
from app.models import Clause, Standard
from app.services.standards import add_catalog

# These tests load the catalogs themselves, into empty tables.
pytestmark = pytest.mark.usefixtures("without_catalogs")


def clause_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(Standard.code, func.count(Clause.id)).join(Clause).group_by(Standard.code)
    ).all()
    return dict(rows)


def test_load_standards_command_loads_both_catalogs(runner):
    result = runner.invoke(args=["load-standards"])
    assert result.exit_code == 0, result.output
    assert "ISO 9001:2015 (2015+A1:2024): 94 clauses, added" in result.output
    assert "ISO 13485:2016 (2016): 91 clauses, added" in result.output
    assert clause_counts() == {"iso9001": 94, "iso13485": 91}


def test_leaves_and_sections_are_stored(runner):
    runner.invoke(args=["load-standards"])
    leaves = dict(
        db.session.execute(
            select(Standard.code, func.count(Clause.id))
            .join(Clause)
            .where(Clause.is_leaf)
            .group_by(Standard.code)
        ).all()
    )
    assert leaves == {"iso9001": 65, "iso13485": 72}
    clause = db.session.execute(select(Clause).where(Clause.number == "7.1.5.1")).scalars().one()
    assert (clause.section, clause.parent_number, clause.is_leaf) == ("7", "7.1.5", True)
    assert clause.documented_information == "retain"


def clause(code: str, number: str) -> Clause:
    return db.session.execute(
        select(Clause).join(Standard).where(Standard.code == code, Clause.number == number)
    ).scalar_one()


def test_labels_notes_and_amendments_are_stored(runner):
    runner.invoke(args=["load-standards"])
    labelled = db.session.execute(
        select(Standard.code, Clause.number).join(Standard).where(Clause.title_is_label).order_by(Clause.id)
    ).all()
    assert [number for code, number in labelled if code == "iso13485"] == [f"4.1.{n}" for n in range(1, 7)]
    assert {"4.4.1", "6.1.1", "7.5.3.1", "8.2.3.1", "8.7.1", "9.2.1", "10.2.1"} <= {
        number for code, number in labelled if code == "iso9001"
    }
    assert not clause("iso9001", "4.1").title_is_label
    assert "Amd 1:2024" in clause("iso9001", "4.1").notes
    assert "ISO 9001:2026" in clause("iso9001", "7.3").notes
    assert clause("iso9001", "8.4").notes == ""
    iso9001 = clause("iso9001", "4.1").standard
    assert [a["id"] for a in iso9001.amendments] == ["ISO 9001:2015/Amd 1:2024"]
    assert [a["id"] for a in iso9001.amendments_to("4.2")] == ["ISO 9001:2015/Amd 1:2024"]
    assert iso9001.amendments_to("4.3") == []
    assert clause("iso13485", "4.1").standard.amendments == []


def test_iso13485_4_1_is_a_parent_of_six_requirements(runner):
    runner.invoke(args=["load-standards"])
    parent = clause("iso13485", "4.1")
    assert not parent.is_leaf and not parent.documented_procedure
    assert parent.documented_information == "none"
    software = clause("iso13485", "4.1.6")
    assert software.is_leaf and (software.parent_number, software.level, software.section) == ("4.1", 3, "4")
    assert (software.documented_information, software.documented_procedure) == ("both", True)
    assert parent.position < clause("iso13485", "4.1.1").position < software.position
    assert software.position < clause("iso13485", "4.2").position


def test_reloading_changes_nothing(runner):
    runner.invoke(args=["load-standards"])
    before = db.session.execute(select(Clause.id, Clause.number, Clause.summary).order_by(Clause.id)).all()
    result = runner.invoke(args=["load-standards"])
    assert result.exit_code == 0
    assert result.output.count("already loaded") == 2
    after = db.session.execute(select(Clause.id, Clause.number, Clause.summary).order_by(Clause.id)).all()
    assert after == before
    assert db.session.execute(select(func.count(Standard.id))).scalar_one() == 2


def test_new_catalog_version_is_added_beside_the_old(app):
    catalog = next(c for c in bundled_catalogs() if c.code == "iso9001")
    assert add_catalog(catalog).added
    newer = replace(catalog, version="2026")
    assert add_catalog(newer).added
    db.session.commit()
    versions = db.session.execute(select(Standard.version).where(Standard.code == "iso9001")).scalars().all()
    assert sorted(versions) == ["2015+A1:2024", "2026"]
    assert clause_counts()["iso9001"] == 188
