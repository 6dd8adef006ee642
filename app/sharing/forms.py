"""The forms of the share-link management page. They read what was typed; the link's rules (label,
expiry) are :func:`app.domain.sharing.link_errors`, checked by the service and shown beside the fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField
from wtforms.validators import AnyOf, Optional

from app.domain.ids import is_id
from app.domain.sharing import LABEL_MAX_LENGTH
from app.domain.text import _, _l
from app.forms import TrimmedStringField, VersionField, select_choices


class ShareLinkForm(FlaskForm):
    # Checked by the view: a certificate or project the user does not see is not found (404), as by URL.
    target = SelectField(_l("What to share"), validate_choice=False)
    label = TrimmedStringField(
        _l("Who it is for"),
        description=_l(
            "Only you see it, to tell your links apart, e.g. “Buyer: Acme GmbH” or “Catalog 2026”."
        ),
        render_kw={"maxlength": LABEL_MAX_LENGTH},
    )
    expires_on = DateField(
        _l("Expires on"),
        validators=[Optional()],
        description=_l(
            "Optional. The link stops opening after this day; leave it empty to keep it until you revoke it."
        ),
    )

    def offer(self, choices: Iterable[tuple[str, str]]) -> ShareLinkForm:
        self.target.choices = select_choices([("", _("Choose…")), *choices])
        return self


class RevokeForm(FlaskForm):
    """Only the CSRF token: the link is named by the URL."""


class ProgressForm(FlaskForm):
    version = VersionField()
    show = HiddenField(validators=[AnyOf(["on", "off"], message=_l("Turn it on or off."))])


TARGET_KINDS = ("certificate", "project")


def target_value(kind: str, object_id: Any) -> str:
    return f"{kind}-{object_id}"


def parse_target(value: str | None) -> tuple[str, int] | None:
    """``"certificate-12"`` -> ("certificate", 12); None for anything else."""
    kind, _, raw = (value or "").partition("-")
    if kind not in TARGET_KINDS or not is_id(raw):
        return None
    return kind, int(raw)
