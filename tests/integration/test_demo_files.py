"""A demo built but never committed leaves none of its documents' files behind."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.services import demo
from app.services.evidence import store


def test_a_demo_that_is_not_committed_leaves_no_file(app):
    demo.create_demo(date(2026, 6, 15))
    db.session.flush()
    folder = store().root
    assert any(folder.iterdir())
    db.session.rollback()
    assert not [p for p in folder.iterdir() if not p.name.startswith(".")]
