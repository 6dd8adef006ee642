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
    assert "ISO 13485:2016 (2016): 85 clauses, added" in result.output
    assert clause_counts() == {"iso9001": 94, "iso13485": 85}


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
    assert leaves == {"iso9001": 65, "iso13485": 67}
    clause = db.session.execute(select(Clause).where(Clause.number == "7.1.5.1")).scalars().one()
    assert (clause.section, clause.parent_number, clause.is_leaf) == ("7", "7.1.5", True)
    assert clause.documented_information == "retain"


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
