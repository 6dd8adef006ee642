"""PLACEHOLDER: replaced by the register's OpenAPI operations."""

from __future__ import annotations

from app.api.openapi import Operation, Schema

OPERATIONS: tuple[Operation, ...] = ()
PATH_PARAMETERS: dict[str, Schema] = {}
