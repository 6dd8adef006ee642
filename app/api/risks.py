"""PLACEHOLDER: replaced by the register's API."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("risks", __name__)
