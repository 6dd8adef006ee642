"""The one way a request reaches workspace data.

Every object fetched by id goes through :func:`get_or_404_in`, and every list through :func:`scoped`.
Both filter on the caller's workspace and, for a client manager, on the clients named on their membership.
An id from elsewhere is not found (:class:`NotFound`, a 404), exactly as if it did not exist.
A deleted client, site, project or budget line (and everything of a deleted project) is not found either:
only the deleted-items service (:mod:`app.services.trash`) looks at them, with ``deleted=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, false, select

from app.domain.ids import is_id_in_range
from app.domain.permissions import Action, can, sees_all_clients
from app.extensions import db
from app.models import CertificationProject, Client, Membership
from app.models.base import SoftDeleted
from app.services.errors import NotFound, Refused

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    membership_id: int
    user_id: int
    workspace_id: int
    workspace_name: str
    role: str
    client_ids: frozenset[int] | None  # None: every client of the workspace
    workspace_kind: str = "consultancy"  # app.models.tenancy.WORKSPACE_KINDS; the words pages use

    @classmethod
    def of(cls, membership: Membership) -> Scope:
        """The scope of a membership loaded with its workspace; only a client manager's clients are read
        here (one query), as no other role needs them."""
        client_ids = (
            None if sees_all_clients(membership.role) else frozenset(c.id for c in membership.clients)
        )
        return cls(
            membership_id=membership.id,
            user_id=membership.user_id,
            workspace_id=membership.workspace_id,
            workspace_name=membership.workspace.name,
            role=membership.role,
            client_ids=client_ids,
            workspace_kind=membership.workspace.kind,
        )

    def can(self, action: Action) -> bool:
        return can(self.role, action)

    def require(self, action: Action) -> None:
        """Refuse an action the role does not allow on data the user can see."""
        if not self.can(action):
            raise Refused()


def _client_column(model: Any) -> Any:
    if model is Client:
        return Client.id
    if hasattr(model, "client_id"):
        return model.client_id
    return None


def is_soft_deleted(model: Any) -> bool:
    return isinstance(model, type) and issubclass(model, SoftDeleted)


def scoped(scope: Scope, stmt: Select[Any], model: Any, deleted: bool = False) -> Select[Any]:
    """Limit ``stmt`` to rows of ``model`` the scope may see: live rows, or with ``deleted=True`` only
    soft-deleted ones (for the deleted-items page; a child of a deleted project is never seen)."""
    if is_soft_deleted(model):
        stmt = stmt.where(model.deleted_at.is_not(None) if deleted else model.deleted_at.is_(None))
    if hasattr(model, "workspace_id"):
        stmt = stmt.where(model.workspace_id == scope.workspace_id)
    elif hasattr(model, "project_id"):
        stmt = stmt.join(CertificationProject, CertificationProject.id == model.project_id).where(
            CertificationProject.workspace_id == scope.workspace_id,
            CertificationProject.deleted_at.is_(None),
        )
    else:
        raise TypeError(f"{model.__name__} has no workspace to scope by")
    if scope.client_ids is not None:
        column = _client_column(model)
        if column is None and hasattr(model, "project_id"):
            column = CertificationProject.client_id  # joined above when the model has no workspace_id
            if hasattr(model, "workspace_id"):
                stmt = stmt.join(CertificationProject, CertificationProject.id == model.project_id)
        if column is None:
            # Workspace-level rows (members, settings) belong to no client: hidden from client managers.
            return stmt.where(false())
        stmt = stmt.where(column.in_(scope.client_ids))
    return stmt


def get_or_404_in(scope: Scope, model: type[T], object_id: int, *options: Any, deleted: bool = False) -> T:
    """Fetch one object by id within the caller's scope, or raise :class:`NotFound` (a 404). A deleted
    object is not found, unless ``deleted=True`` asks for one that is (and only for one that is)."""
    if not is_id_in_range(object_id):
        raise NotFound()
    stmt = scoped(scope, select(model), model, deleted).where(model.id == object_id)  # type: ignore[attr-defined]
    if options:
        stmt = stmt.options(*options)
    obj = db.session.execute(stmt).scalar_one_or_none()
    if obj is None:
        raise NotFound()
    return obj
