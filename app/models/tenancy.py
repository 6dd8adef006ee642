"""Who can see what: users, workspaces, memberships, and the clients and sites a workspace holds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SoftDeleted, TimestampMixin, Versioned, utcnow

ROLES = ("owner", "consultant", "client_manager", "contributor", "viewer")
WORKSPACE_KINDS = ("consultancy", "exporter")

membership_clients = Table(
    "membership_clients",
    Base.metadata,
    Column("membership_id", ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
)


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Set when the owner of the address followed the link sent to it (sign-up or an invitation).
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Part of the session's user id: bumping it (password change, "log out everywhere") ends every session.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A password someone else chose (the old "one-time password" of adding a member): changed at next log-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # The daily digest of what is theirs (flask send-reminders); each user can turn it off.
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    # SHA-256 of the secret in the user's calendar feed URL; None: no feed (never made, or revoked).
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The language the user chose ("": the browser's Accept-Language decides), and the calendar dates are
    # shown in ("gregorian", or "buddhist": the Thai solar calendar's years); stored dates never change.
    locale: Mapped[str] = mapped_column(String(16), default="", server_default="")
    date_calendar: Mapped[str] = mapped_column(String(20), default="gregorian", server_default="gregorian")

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session user id, "<id>:<session_version>": refused once the version has moved on."""
        return f"{self.id}:{self.session_version or 0}"


class Workspace(TimestampMixin, Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="exporter")
    # The language given to members who join ("" : their browser decides until they choose).
    default_locale: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # Evidence storage allowed to this workspace, in MB; None: the configured default.
    storage_quota_mb: Mapped[int | None] = mapped_column(Integer)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan"
    )


class Membership(TimestampMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")
    workspace: Mapped[Workspace] = relationship(back_populates="memberships")
    # Only used for client_manager: the clients this membership may see.
    clients: Mapped[list[Client]] = relationship(secondary=membership_clients)


class Client(Versioned, SoftDeleted, TimestampMixin, Base):
    """A company served by the workspace (for a single exporter, itself)."""

    __tablename__ = "clients"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    country: Mapped[str] = mapped_column(String(2))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    sites: Mapped[list[Site]] = relationship(back_populates="client", order_by="Site.name")


class Site(Versioned, SoftDeleted, TimestampMixin, Base):
    """A factory: the exact site a certificate names."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    address: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    employee_count: Mapped[int] = mapped_column(Integer)
    products: Mapped[str] = mapped_column(Text, default="")
    scope_statement: Mapped[str] = mapped_column(Text, default="")

    client: Mapped[Client] = relationship(back_populates="sites")


invitation_clients = Table(
    "invitation_clients",
    Base.metadata,
    Column("invitation_id", ForeignKey("invitations.id", ondelete="CASCADE"), primary_key=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
)


class Invitation(TimestampMixin, Base):
    """An offer to join a workspace with a role, sent to an address; only following its link accepts it."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When its e-mail went out; None with an error: the mail server refused or was down ("not sent", resend).
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    send_error: Mapped[str] = mapped_column(Text, default="", server_default="")

    workspace: Mapped[Workspace] = relationship()
    clients: Mapped[list[Client]] = relationship(secondary=invitation_clients)


class ReminderSend(Base):
    """One user's daily digest on one day, written before it is sent: a second run that day sends none."""

    __tablename__ = "reminder_sends"
    __table_args__ = (UniqueConstraint("user_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_on: Mapped[date] = mapped_column(Date)
    items: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
