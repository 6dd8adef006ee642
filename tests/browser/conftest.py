"""A live server on a free local port, and Playwright driving Debian's Chromium (no browser download)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app.extensions import db
from app.services.standards import load_bundled_standards
from tests.browser import a11y
from tests.conftest import make_test_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
a11y.install()  # axe-core checks every page a journey leaves (tests/browser/a11y.py)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                # .ci/run installs Debian's chromium; on a laptop without it these tests say why they skip.
                item.add_marker(
                    pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
                )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, None]:
    outcome = yield
    if outcome.excinfo is None:
        a11y.check_open_pages()  # the pages the test ends on; raising here fails the test itself
    else:
        a11y.forget_pages()


@pytest.fixture(scope="session", autouse=True)
def _accessibility_marks(tmp_path_factory: pytest.TempPathFactory) -> None:
    """What axe checked, shared by the run's processes: a pytest-xdist worker's temporary directory is one of
    the run's, beside the other workers'."""
    root = tmp_path_factory.getbasetemp()
    a11y.share_marks((root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root) / "axe-checked")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("live")
    app = make_test_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'live.db'}"},
        tmp,
        WTF_CSRF_ENABLED=True,
        # a browser keeps the stylesheets and scripts for the test rather than asking again on every page
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    with app.app_context():
        upgrade()
        load_bundled_standards()
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(live_app: Any) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
