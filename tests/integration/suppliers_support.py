"""PLACEHOLDER: replaced by the register's test support (see tests/integration/register_walks.py)."""

from __future__ import annotations

from typing import Any

from app.models import CertificationProject

PATHS: tuple[str, ...] = ()
API_CALLS = 0
OPTIONAL_BODIES: set[str] = set()


def walk_values(project: CertificationProject) -> dict[str, Any]:
    return {}


def call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    return {}
