"""Every model, imported here so Alembic and the app see one complete metadata."""

from app.models.base import Base
from app.models.project import PROJECT_STATUSES, CertificationProject
from app.models.standards import Clause, Standard
from app.models.tenancy import ROLES, WORKSPACE_KINDS, Client, Membership, Site, User, Workspace

__all__ = [
    "PROJECT_STATUSES",
    "ROLES",
    "WORKSPACE_KINDS",
    "Base",
    "CertificationProject",
    "Clause",
    "Client",
    "Membership",
    "Site",
    "Standard",
    "User",
    "Workspace",
]
