"""PLACEHOLDER: replaced by the register's API."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("risk_files", __name__)
