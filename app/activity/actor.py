"""Who the audit trail names for a change made in a request: the logged-in user (or the API token's)."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy.orm import Session

from app.models import User
from app.services import trail


def request_actor(session: Session) -> tuple[int | None, str] | None:
    """The request's user and their name; "anonymous" for a request by nobody logged in (following an
    invitation link); None outside a request, where the trail names the command."""
    if not has_request_context():
        return None
    scope = g.get("scope")
    user = g.get("_login_user")  # Flask-Login's user of this request, if it loaded one
    user_id = scope.user_id if scope is not None else getattr(user, "id", None)
    if user_id is None:
        return None, "anonymous"
    if getattr(user, "id", None) != user_id:
        user = session.get(User, user_id)  # an API token's user: loaded with its scope, no query
    return user_id, (user.name if user is not None else "")


trail.set_actor_source(request_actor)
