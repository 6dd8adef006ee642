"""The app's own refusals. Services and views raise them and know nothing of HTTP; each blueprint family
has one handler that turns them into a page (``app.web.errors``) or a JSON error (``app.api``)."""

from __future__ import annotations

from app.domain.text import _, _l


class ServiceError(Exception):
    """A request that cannot be carried out; nothing it asked for has been saved."""

    default_message = _l("This cannot be done.")

    def __init__(self, message: str | None = None, fields: dict[str, str] | None = None) -> None:
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(self.message)


class NotFound(ServiceError):
    """No such object where the caller may look (another workspace's object is not found either)."""

    default_message = _l("Not found.")


class Refused(ServiceError):
    """The caller's role does not allow this, on data they may see."""

    default_message = _l("Your role in this workspace does not allow this.")


class Invalid(ServiceError):
    """The values given break a rule; ``fields`` says which and why."""

    default_message = _l("The request is not valid.")


class Conflict(ServiceError):
    """The object is not in a state that allows this (someone changed it, or a rule of its state)."""

    default_message = _l("This conflicts with the record as it now stands.")


class StaleVersion(Conflict):
    """A save made from a copy of ``record`` read at another version than the one now saved: someone else
    saved it in between. Nothing was changed; the view shows the saved values and what the user typed."""

    def __init__(self, record: object, what: str) -> None:
        super().__init__(_("Someone else saved this %(what)s while you were editing it.", what=what))
        self.record = record
        self.what = what
