"""Who may reach a view: one declaration per view, the same for pages and the API.

``@requires(Action.EDIT_CONTENT)`` refuses the request (:class:`~app.services.errors.Refused`: a 403
page or JSON error) before the view runs when the caller's role does not allow the action;
``methods=("POST",)`` limits the check to those methods, for a page that anybody may look at but only
some may change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from app.domain.permissions import Action
from app.domain.text import _
from app.services.errors import Refused
from app.services.scope import Scope

View = TypeVar("View", bound=Callable[..., Any])


def current_scope() -> Scope:
    """The scope loaded for this request (from the session or the API token); none is a refusal."""
    scope: Scope | None = g.get("scope")
    if scope is None:
        raise Refused(_("You are not a member of any workspace."))
    return scope


def requires(action: Action, methods: Iterable[str] | None = None) -> Callable[[View], View]:
    checked_methods = frozenset(methods) if methods is not None else None

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if checked_methods is None or request.method in checked_methods:
                current_scope().require(action)
            return view(*args, **kwargs)

        checked.required_action = action  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate
