"""Every model, imported here so Alembic and the app see one complete metadata."""

from app.models.api import ApiToken
from app.models.base import Base
from app.models.pathway import (
    FINDING_SEVERITIES,
    FINDING_STAGES,
    FINDING_STATUSES,
    Assessment,
    Finding,
    ProjectStage,
    Task,
)
from app.models.project import PROJECT_STATUSES, CertificationProject
from app.models.standards import Clause, Standard
from app.models.tenancy import ROLES, WORKSPACE_KINDS, Client, Membership, Site, User, Workspace

__all__ = [
    "FINDING_SEVERITIES",
    "FINDING_STAGES",
    "FINDING_STATUSES",
    "PROJECT_STATUSES",
    "ROLES",
    "WORKSPACE_KINDS",
    "ApiToken",
    "Assessment",
    "Base",
    "CertificationProject",
    "Clause",
    "Client",
    "Finding",
    "Membership",
    "ProjectStage",
    "Site",
    "Standard",
    "Task",
    "User",
    "Workspace",
]
