"""Benchmarks with generated data. They print figures and never fail on time.

``python -m bench`` (``make bench``) runs them all; ``python -m bench NAME`` runs one (``--help`` lists them).
"""
