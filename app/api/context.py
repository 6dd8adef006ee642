"""PLACEHOLDER: replaced by the register's API."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("context", __name__)
