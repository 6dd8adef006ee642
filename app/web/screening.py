"""Input no field may hold, refused before any view sees it: a NUL character.

PostgreSQL cannot store NUL in text (it raises an error mid-request) and SQLite would store it silently,
so a NUL anywhere in the path, the query string, a form field or a JSON body is refused up front with a
clear message (422, the field named), the same on both databases. Uploaded files are not text and are
not screened.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.domain.text import _
from app.services.errors import Invalid

NUL = "\x00"


def _first_with_nul(pairs: Iterable[tuple[str, str]]) -> str | None:
    return next((name for name, value in pairs if NUL in name or NUL in value), None)


def _json_strings(value: Any, path: str = "body") -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            yield from _json_strings(item, str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, path)


def _form_pairs() -> Iterable[tuple[str, str]]:
    if request.mimetype not in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        return []
    try:
        return list(request.form.items(multi=True))
    except RequestEntityTooLarge:
        return []  # the view refuses the size itself, with its own message


def refuse_nul() -> None:
    if NUL in request.path:
        raise Invalid(
            _("The address contains a NUL character, which cannot be stored. Remove it and send again.")
        )
    name = _first_with_nul(request.args.items(multi=True)) or _first_with_nul(_form_pairs())
    if name is None and request.is_json:
        name = _first_with_nul(_json_strings(request.get_json(silent=True)))
    if name is not None:
        shown = name.replace(NUL, "␀")
        raise Invalid(
            _(
                "The field “%(name)s” contains a NUL character, which cannot be stored. Remove it and send "
                "again.",
                name=shown,
            ),
            {shown: _("Remove the NUL character.")},
        )


def register(app: Flask) -> None:
    app.before_request(refuse_nul)
