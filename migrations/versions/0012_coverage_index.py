"""coverage index: current evidence by project and requirement

Coverage (which requirements of some projects have a current evidence item) is asked on the project list, the
API's project list and every project page. Through the index on ``project_id`` alone it read every item of the
projects (~6,500 for a page of 25) and dropped the drafts, rejected and deleted ones row by row. This partial
index holds only accepted, live items, with the columns the query reads, so the database answers from it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:45:17.986300

"""

import sqlalchemy as sa
from alembic import op

# SQLite: a copied table keeps ids that are never reused (see 0004).
KEEP_IDS = {"sqlite_autoincrement": True}
# Repeated from app.models.evidence.CURRENT_EVIDENCE_ROWS: a migration keeps the schema of its day.
CURRENT_EVIDENCE_ROWS = "review_state = 'accepted' AND deleted_at IS NULL"

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evidence_items", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index(
            "ix_evidence_items_current",
            ["project_id", "clause_id", "valid_until"],
            unique=False,
            sqlite_where=sa.text(CURRENT_EVIDENCE_ROWS),
            postgresql_where=sa.text(CURRENT_EVIDENCE_ROWS),
        )


def downgrade():
    with op.batch_alter_table("evidence_items", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index("ix_evidence_items_current")
