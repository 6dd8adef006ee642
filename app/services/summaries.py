"""Moved to :mod:`app.services.project_list` (the name says what it is); this alias remains only while
``app/api/routes.py`` and ``app/api/responses.py`` still import ``summaries``. Delete it with them."""

from app.services.project_list import ProjectSummary, project_page, summarise

__all__ = ["ProjectSummary", "project_page", "summarise"]
