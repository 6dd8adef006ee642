"""The project's own files as a newcomer meets them (issue 16): `make run` takes another port, and installing
prints no setuptools deprecation box about the licence."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*args: str, **environment: str) -> str:
    """The command `make run` would end with, without running anything."""
    unset = {"PORT", "HOST", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}  # not those of a `make test` around this
    env = {name: value for name, value in os.environ.items() if name not in unset} | environment
    result = subprocess.run(
        ["make", "-n", "run", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_takes_a_port_and_keeps_its_defaults():
    assert dry_run().endswith("run --host 127.0.0.1 --port 5000")
    assert dry_run("PORT=5001").endswith("run --host 127.0.0.1 --port 5001")
    assert dry_run("HOST=127.0.0.2", "PORT=8080").endswith("run --host 127.0.0.2 --port 8080")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_an_exported_host_name_does_not_widen_make_run():
    assert dry_run(HOST="factory-laptop").endswith("run --host 127.0.0.1 --port 5000")
    assert dry_run(PORT="5002").endswith("run --host 127.0.0.1 --port 5002")


def test_the_licence_is_an_spdx_string_with_a_setuptools_that_reads_it():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"  # a TOML table here is deprecated (PEP 639)
    assert not any(c.startswith("License ::") for c in pyproject["project"].get("classifiers", []))
    assert "setuptools>=77" in pyproject["build-system"]["requires"]  # the first to accept the string
