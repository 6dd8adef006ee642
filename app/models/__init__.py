"""Every model, imported here so Alembic and the app see one complete metadata."""

from app.models.api import ApiToken
from app.models.base import Base
from app.models.budget import BudgetLine
from app.models.documents import ControlledDocument, DocumentRevision, document_clauses
from app.models.evidence import EVIDENCE_KINDS, REVIEW_STATES, EvidenceItem, EvidenceVersion
from app.models.history import DataEvent, ReadinessSnapshot
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
from app.models.tenancy import ROLES, WORKSPACE_KINDS, Client, Invitation, Membership, Site, User, Workspace
from app.models.training import (
    Attendance,
    JobRole,
    Person,
    TrainingRequirement,
    TrainingSession,
    role_requirements,
)

__all__ = [
    "EVIDENCE_KINDS",
    "FINDING_SEVERITIES",
    "FINDING_STAGES",
    "FINDING_STATUSES",
    "PROJECT_STATUSES",
    "REVIEW_STATES",
    "ROLES",
    "WORKSPACE_KINDS",
    "ApiToken",
    "Assessment",
    "Attendance",
    "Base",
    "BudgetLine",
    "CertificationProject",
    "Clause",
    "Client",
    "ControlledDocument",
    "DataEvent",
    "DocumentRevision",
    "EvidenceItem",
    "EvidenceVersion",
    "Finding",
    "Invitation",
    "JobRole",
    "Membership",
    "Person",
    "ProjectStage",
    "ReadinessSnapshot",
    "Site",
    "Standard",
    "Task",
    "TrainingRequirement",
    "TrainingSession",
    "User",
    "Workspace",
    "document_clauses",
    "role_requirements",
]
