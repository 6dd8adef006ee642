"""No stale reference reaches a newer row: foreign keys are enforced on every engine (SQLite too), ids are
never reused, and a token is checked against a live membership at every use (security review D1)."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import column, delete, func, insert, select, table
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import ApiToken, Membership, Workspace
from app.models.base import utcnow
from app.services import tokens


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_every_connection_enforces_foreign_keys(app):
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), db.engine.begin() as connection:
        connection.execute(
            insert(ApiToken.__table__).values(membership_id=999_999, name="x", prefix="p", token_hash="h")
        )


def test_removing_a_member_removes_their_tokens(app, make, tree):
    user = make.user(tree["workspace"], role="consultant")
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    tokens.create(membership.id, "laptop")
    db.session.commit()
    db.session.execute(delete(Membership).where(Membership.id == membership.id))
    db.session.commit()
    left = db.session.execute(select(func.count(ApiToken.id)).where(ApiToken.membership_id == membership.id))
    assert left.scalar_one() == 0


def test_a_removed_members_token_never_reaches_the_next_workspace(app, client, make, tree):
    """The review's reproduction: remove a member with a token, let a stranger sign up, use the old token."""
    leaver = make.user(tree["workspace"], role="consultant")
    membership = db.session.execute(select(Membership).where(Membership.user_id == leaver.id)).scalar_one()
    old = tokens.create(membership.id, "laptop")
    db.session.commit()
    old_id = membership.id
    assert client.get("/api/v1/projects", headers=bearer(old.secret)).status_code == 200

    db.session.execute(delete(Membership).where(Membership.id == old_id))
    db.session.commit()
    stranger = make.tree(make.workspace("Gamma Secret Ltd"))
    newcomer = make.user(stranger["workspace"], role="owner")
    new_membership = db.session.execute(
        select(Membership).where(Membership.user_id == newcomer.id)
    ).scalar_one()

    assert new_membership.id != old_id  # the id of a deleted row is never handed out again
    response = client.get("/api/v1/projects", headers=bearer(old.secret))
    assert response.status_code == 401
    assert "Gamma" not in response.get_data(as_text=True)


def test_a_token_whose_membership_is_gone_is_refused_even_if_the_row_survived(app, make, tree):
    # Belt and braces: should a token row ever outlive its membership, it authenticates nobody.
    user = make.user(tree["workspace"], role="consultant")
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    created = tokens.create(membership.id, "laptop")
    db.session.commit()
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # Outside a transaction (SQLite ignores the pragma inside one); PostgreSQL skips FK triggers.
        connection.exec_driver_sql(
            "PRAGMA foreign_keys=OFF" if sqlite else "SET session_replication_role = replica"
        )
        connection.commit()
        connection.execute(delete(Membership.__table__).where(Membership.__table__.c.id == membership.id))
        connection.commit()
        connection.exec_driver_sql(
            "PRAGMA foreign_keys=ON" if sqlite else "SET session_replication_role = DEFAULT"
        )
        connection.commit()
    db.session.expire_all()
    assert tokens.authenticate(created.secret) is None


def test_ids_are_not_reused_after_the_newest_row_is_deleted(app):
    first = Workspace(name="First", kind="consultancy")
    db.session.add(first)
    db.session.commit()
    first_id = first.id
    db.session.execute(delete(Workspace).where(Workspace.id == first_id))
    db.session.commit()
    second = Workspace(name="Second", kind="consultancy")
    db.session.add(second)
    db.session.commit()
    assert second.id > first_id


def test_the_migration_to_never_reused_ids_keeps_rows_and_references(app, without_catalogs):
    db.session.remove()
    downgrade(revision="0003")
    with db.engine.begin() as connection:
        # The table as it was at 0003 (the model has columns added since).
        then = table("workspaces", column("id"), column("name"), column("kind"), column("created_at"))
        connection.execute(insert(then).values(id=5, name="Kept", kind="exporter", created_at=utcnow()))
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(select(Workspace.__table__.c.name)).scalars().all() == ["Kept"]
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_every_sqlite_table_with_an_id_never_reuses_it(app):
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL sequences never hand a value out twice
    with db.engine.connect() as connection:
        tables = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all()
    with_ids = {name: sql for name, sql in tables if "\n\tid INTEGER" in sql}
    assert len(with_ids) >= 19
    assert [name for name, sql in with_ids.items() if "AUTOINCREMENT" not in sql] == []
