"""The audit trail's API answers (GET /api/v1/activity and /api/v1/projects/<id>/activity)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from app.api.schemas import Closed, Count, PageNumber, PerPage, one_of
from app.domain.trail import KIND_LABELS, TrailAction


class ActivityChange(Closed):
    field: str = Field(description="The field's name as the app shows it.")
    old: str = Field(description="Its value before, as text (empty: none).")
    new: str = Field(description="Its value after, as text (empty: none).")


class ActivityEntry(Closed):
    id: int
    occurred_at: datetime
    actor_id: int | None = Field(
        description="The user who made the change; null for a command or the system."
    )
    actor_name: str = Field(description="Their name then, or the command's.")
    kind: one_of(KIND_LABELS) = Field(description="What kind of record changed.")  # type: ignore[valid-type]
    object_id: int = Field(description="The record (for a revision, its document; for a check, its finding).")
    object_label: str
    action: one_of(TrailAction) = Field(description="created, changed, deleted or restored.")  # type: ignore[valid-type]
    client_id: int | None
    project_id: int | None
    changes: list[ActivityChange]


class ActivityList(Closed):
    items: list[ActivityEntry] = Field(description="Newest first.")
    page: PageNumber
    per_page: PerPage
    total: Count
