"""portfolio, mail, calendar and trail: the audit trail, reminder digests, calendar feed tokens, invitation
delivery, and passwords to change at next log-in

``users.must_change_password`` is set for the accounts that may still hold a "one-time password" an owner
chose and passed on by hand: those made before hardening (0005, which set ``email_verified_at`` to
``created_at`` for them) whose only memberships are not owners' (owners signed up with their own password).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 17:26:48.289322

"""

import sqlalchemy as sa
from alembic import op

# SQLite: a copied table keeps ids that are never reused (see 0004).
KEEP_IDS = {"sqlite_autoincrement": True}

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=254), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("object_label", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_audit_entries_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("audit_entries", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_audit_entries_object", ["kind", "object_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_project_id"), ["project_id"], unique=False)
        batch_op.create_index(
            "ix_audit_entries_workspace_time", ["workspace_id", "occurred_at"], unique=False
        )

    op.create_table(
        "reminder_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminder_sends_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sends")),
        sa.UniqueConstraint("user_id", "sent_on", name=op.f("uq_reminder_sends_user_id_sent_on")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("reminder_sends", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_sends_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("invitations", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("send_error", sa.Text(), server_default="", nullable=False))

    with op.batch_alter_table("users", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("reminders_enabled", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("calendar_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_calendar_token_hash"), ["calendar_token_hash"])

    # Invitations sent before this revision went out by mail as they were made.
    op.execute("UPDATE invitations SET sent_at = created_at")
    op.execute(
        sa.text(
            "UPDATE users SET must_change_password = :yes "
            "WHERE email_verified_at = created_at "
            "AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id) "
            "AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.role = 'owner')"
        ).bindparams(yes=True)
    )


def downgrade():
    with op.batch_alter_table("users", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_calendar_token_hash"), type_="unique")
        batch_op.drop_column("calendar_token_hash")
        batch_op.drop_column("reminders_enabled")
        batch_op.drop_column("must_change_password")

    with op.batch_alter_table("invitations", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column("send_error")
        batch_op.drop_column("sent_at")

    with op.batch_alter_table("reminder_sends", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_sends_user_id"))
    op.drop_table("reminder_sends")

    with op.batch_alter_table("audit_entries", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index("ix_audit_entries_workspace_time")
        batch_op.drop_index(batch_op.f("ix_audit_entries_project_id"))
        batch_op.drop_index("ix_audit_entries_object")
        batch_op.drop_index(batch_op.f("ix_audit_entries_client_id"))
    op.drop_table("audit_entries")
