"""SQLite: ids are never reused (AUTOINCREMENT), so a stale reference cannot reach a newer row

Without AUTOINCREMENT SQLite hands out the highest rowid again once that row is deleted: an API token or a
session left pointing at a removed membership or user would then reach whoever gets the id next. PostgreSQL
sequences never reuse a value, so nothing changes there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:50:00

"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Parents before children, so each copy keeps pointing at the table it referenced.
TABLES = (
    'standards', 'users', 'workspaces', 'clauses', 'clients', 'memberships', 'api_tokens', 'sites',
    'projects', 'assessments', 'budget_lines', 'findings', 'project_stages', 'readiness_snapshots', 'tasks',
    'evidence_items', 'evidence_versions',
)


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate='always', table_kwargs={'sqlite_autoincrement': autoincrement}
        ):
            pass


def upgrade():
    _recreate(True)


def downgrade():
    _recreate(False)
