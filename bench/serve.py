"""WSGI factories for the gunicorn servers the benchmarks start (:func:`bench.harness.served`)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from bench.baseline import create_baseline


def readiness() -> Flask:
    """The app as deployed, configured by the environment the benchmark passes (READINESS_ENV, ...)."""
    from app import create_app  # imported here: the bare page's workers never load the app

    return create_app()


def baseline() -> Flask:
    return create_baseline(Path(os.environ["BENCH_BASELINE_DB"]))
