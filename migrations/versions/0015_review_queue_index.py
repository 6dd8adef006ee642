"""review queue index: evidence items waiting for review, by project and age

The consultant's review queue counts and pages the evidence waiting for review across every project of the
workspace. Without an index it read every item (50,000 in the generated portfolio of 200 clients, a quarter
of them submitted) and dropped the others row by row; this partial index holds only submitted, live items.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 03:35:00

"""

import sqlalchemy as sa
from alembic import op

# SQLite: a copied table keeps ids that are never reused (see 0004).
KEEP_IDS = {"sqlite_autoincrement": True}
# Repeated from app.models.evidence.AWAITING_REVIEW_ROWS: a migration keeps the schema of its day.
AWAITING_REVIEW_ROWS = "review_state = 'submitted' AND deleted_at IS NULL"

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evidence_items", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index(
            "ix_evidence_items_awaiting_review",
            ["project_id", "created_at"],
            unique=False,
            sqlite_where=sa.text(AWAITING_REVIEW_ROWS),
            postgresql_where=sa.text(AWAITING_REVIEW_ROWS),
        )


def downgrade():
    with op.batch_alter_table("evidence_items", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index("ix_evidence_items_awaiting_review")
