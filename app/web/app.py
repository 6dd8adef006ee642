"""The one commit point: a request commits once when its view succeeds, and rolls back otherwise.

Views and services never commit: services change the session (and flush when they need ids), and
:meth:`ReadinessApp.dispatch_request` commits when the view's response is a success or a redirect (below
400) and rolls back for a refusal, a form shown again with errors, or an exception (Indico's ``RH.process``);
a request that changed nothing neither commits nor rolls back.
A failed commit is rolled back and raised, so the error handlers answer it like any other error.
"""

from __future__ import annotations

from flask import Flask
from flask.typing import ResponseReturnValue

from app.extensions import db
from app.services.transaction import has_changes


def finish_transaction(status_code: int) -> None:
    if not has_changes():  # a read-only request: its transaction simply ends with the request
        return
    if status_code >= 400:
        db.session.rollback()
        return
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


class ReadinessApp(Flask):
    def dispatch_request(self) -> ResponseReturnValue:
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            if has_changes():
                db.session.rollback()
            raise
        finish_transaction(response.status_code)
        return response
