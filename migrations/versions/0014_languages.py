"""languages: a user's language and calendar, and a workspace's language for new members (issue 17)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 17:40:00

"""

import sqlalchemy as sa
from alembic import op

# SQLite: a copied table keeps ids that are never reused (see 0004).
KEEP_IDS = {"sqlite_autoincrement": True}

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=16), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("date_calendar", sa.String(length=20), server_default="gregorian", nullable=False)
        )
    with op.batch_alter_table("workspaces", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column("default_locale", sa.String(length=16), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("workspaces", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column("default_locale")
    with op.batch_alter_table("users", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column("date_calendar")
        batch_op.drop_column("locale")
