"""Every model, imported here so Alembic and the app see one complete metadata."""

from app.models.api import ApiToken
from app.models.audits import AuditLine, InternalAudit, audit_line_evidence, audit_scope, audit_team
from app.models.base import Base
from app.models.budget import BudgetLine
from app.models.certification import (
    Certificate,
    CertificationBody,
    EditionTransition,
    ExternalAudit,
    Quote,
    ShareLink,
    certificate_sites,
)
from app.models.documents import ControlledDocument, DocumentRevision, document_clauses
from app.models.evidence import EVIDENCE_KINDS, REVIEW_STATES, EvidenceItem, EvidenceVersion
from app.models.findings import EffectivenessCheckRecord, Finding
from app.models.history import DataEvent, ReadinessSnapshot
from app.models.pathway import Assessment, ProjectStage, Task
from app.models.project import PROJECT_STATUSES, CertificationProject
from app.models.registers import (
    Calibration,
    ClimateDecision,
    Complaint,
    ContextIssue,
    Hazard,
    Instrument,
    InterestedParty,
    RegisterEvent,
    RegisterEvidence,
    Risk,
    RiskFile,
    SatisfactionMeasure,
    SatisfactionValue,
    SoftwareValidation,
    Supplier,
    SupplierEvaluation,
)
from app.models.reviews import (
    ManagementReview,
    ObjectiveMeasurement,
    QualityObjective,
    ReviewInputEntry,
    ReviewOutput,
)
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
    "PROJECT_STATUSES",
    "REVIEW_STATES",
    "ROLES",
    "WORKSPACE_KINDS",
    "ApiToken",
    "Assessment",
    "Attendance",
    "AuditLine",
    "Base",
    "BudgetLine",
    "Calibration",
    "Certificate",
    "CertificationBody",
    "CertificationProject",
    "Clause",
    "Client",
    "ClimateDecision",
    "Complaint",
    "ContextIssue",
    "ControlledDocument",
    "DataEvent",
    "DocumentRevision",
    "EditionTransition",
    "EffectivenessCheckRecord",
    "EvidenceItem",
    "EvidenceVersion",
    "ExternalAudit",
    "Finding",
    "Hazard",
    "Instrument",
    "InterestedParty",
    "InternalAudit",
    "Invitation",
    "JobRole",
    "ManagementReview",
    "Membership",
    "ObjectiveMeasurement",
    "Person",
    "ProjectStage",
    "QualityObjective",
    "Quote",
    "ReadinessSnapshot",
    "RegisterEvent",
    "RegisterEvidence",
    "ReviewInputEntry",
    "ReviewOutput",
    "Risk",
    "RiskFile",
    "SatisfactionMeasure",
    "SatisfactionValue",
    "ShareLink",
    "Site",
    "SoftwareValidation",
    "Standard",
    "Supplier",
    "SupplierEvaluation",
    "Task",
    "TrainingRequirement",
    "TrainingSession",
    "User",
    "Workspace",
    "audit_line_evidence",
    "audit_scope",
    "audit_team",
    "certificate_sites",
    "document_clauses",
    "role_requirements",
]
