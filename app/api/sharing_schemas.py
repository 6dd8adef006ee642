"""The share-link API's bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; bodies are validated with their model).
The values themselves (a label, an expiry from today to five years ahead, a project that shows its
progress) are checked by :mod:`app.services.sharing` with the messages the page shows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from app.api.schemas import NO_NUL, Closed, _iso_date, one_of
from app.domain import sharing as rules
from app.domain.ids import MAX_ID

IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


# Answers


class ShareTarget(Closed):
    type: one_of(["certificate", "progress"]) = Field(
        description="certificate: the link shows a certificate; progress: a project not yet certified."
    )
    certificate_id: int | None
    certificate_number: str | None
    project_id: int | None


class ShareLinkItem(Closed):
    id: int
    label: str = Field(description="Who the link is for; only the workspace sees it.")
    target: ShareTarget
    fingerprint: str = Field(
        description="The start of the token's SHA-256: tells links apart, opens nothing."
    )
    state: one_of(rules.LinkState)
    created_at: datetime
    expires_on: date | None = Field(description="The last day the link opens; null: until revoked.")
    revoked_at: datetime | None
    url: str = Field(description="The link in this API.")


class NewShareLink(ShareLinkItem):
    token: str = Field(
        description="The link's secret token. Shown once: it is not stored and cannot be read again."
    )
    page_url: str = Field(description="The public page a buyer opens (HTML); .json gives the same as JSON.")
    qr_png: str = Field(description="A QR code of page_url, as PNG.")
    qr_svg: str = Field(description="A QR code of page_url, as SVG.")


class ShareLinkList(Closed):
    items: list[ShareLinkItem] = Field(description="Newest first.")
    total: int


# Bodies


class ShareLinkCreate(BaseModel):
    """A link to a certificate (``certificate_id``) or, for a project whose progress is shown to buyers and
    that holds no valid certificate, to its progress (``project_id``): exactly one of the two."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    certificate_id: Id | None = None
    project_id: Id | None = None
    label: StrictStr = Field(
        description="Who the link is for, e.g. Buyer: Acme GmbH.",
        json_schema_extra={"maxLength": rules.LABEL_MAX_LENGTH, "pattern": NO_NUL},
    )
    expires_on: IsoDate = Field(
        default=None,
        description="The last day the link opens (today to five years ahead); null: until revoked.",
    )
