"""Upload limits and interruptions: too large (declared, chunked, or only found while copying), a client
gone midway, a read error, a failed commit. After each, no file (not even a temporary one) and no row."""

from __future__ import annotations

import io
from typing import Any

import pytest
from werkzeug.exceptions import ClientDisconnected

from app.extensions import db
from tests import evidence_samples as samples
from tests.integration.evidence_support import evidence_url, nothing_stored, upload, user_as


@pytest.fixture
def contributor(app: Any, make: Any, tree: dict[str, Any]) -> Any:
    return user_as(app, make, tree, "contributor")[0]


# Size limits: MAX_UPLOAD_MB, enforced before the whole body is read


@pytest.fixture
def one_mb(app: Any) -> None:
    app.config["MAX_UPLOAD_MB"] = 1
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024 + 64 * 1024  # as create_app sets it: limit + form fields


def test_a_file_just_over_the_limit_is_refused_with_the_form_and_413(app, contributor, tree, one_mb):
    response = upload(contributor, tree["project"], samples.pdf(padding=1024 * 1024), "big.pdf")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is larger than 1 MB, the most this site accepts." in page.split('id="file-errors"', 1)[1]
    assert nothing_stored(app)


def test_a_file_at_the_limit_is_accepted(app, contributor, tree, one_mb):
    data = samples.pdf()
    data += b"%" * (1024 * 1024 - len(data))
    assert upload(contributor, tree["project"], data, "exact.pdf").status_code == 303


def test_a_body_declared_too_large_is_refused_before_it_is_read(app, contributor, tree, one_mb):
    response = upload(contributor, tree["project"], samples.pdf(padding=2 * 1024 * 1024), "huge.pdf")
    assert response.status_code == 413
    assert "files may be at most 1 MB" in response.get_data(as_text=True)
    assert nothing_stored(app)


# When werkzeug's parser stops mid-body (limit passed, client gone) it drops the spool file of the part it
# was writing without closing it; the garbage collector closes it, with a ResourceWarning. It lives in the
# system temp dir, never in EVIDENCE_DIR (which these tests check is empty).
WERKZEUG_DROPS_ITS_SPOOL = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def chunked_upload(http: Any, project: Any, body: bytes, boundary: str) -> Any:
    """A body without Content-Length (as with Transfer-Encoding: chunked)."""
    return http.post(
        evidence_url(project, "new"),
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )


def multipart(data: bytes, name: str) -> tuple[bytes, str]:
    boundary = "evidence-boundary"
    fields = {"kind": "file", "title": "Chunked", "clause": "7.1.5.1"}
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ]
    head = "".join(parts) + (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    return head.encode() + data + f"\r\n--{boundary}--\r\n".encode(), boundary


@WERKZEUG_DROPS_ITS_SPOOL
def test_a_chunked_body_is_cut_off_at_the_limit(app, contributor, tree, one_mb):
    body, boundary = multipart(samples.pdf(padding=3 * 1024 * 1024), "chunked.pdf")
    response = chunked_upload(contributor, tree["project"], body, boundary)
    assert response.status_code == 413
    assert nothing_stored(app)


def test_the_copy_stops_at_the_limit_even_when_the_body_is_not_limited(app, contributor, tree, one_mb):
    app.config["MAX_CONTENT_LENGTH"] = None  # e.g. a proxy that lets anything through
    body, boundary = multipart(samples.pdf(padding=3 * 1024 * 1024), "chunked.pdf")
    response = chunked_upload(contributor, tree["project"], body, boundary)
    assert response.status_code == 413 and "larger than 1 MB" in response.get_data(True)
    assert nothing_stored(app)


# Interrupted uploads: no partial file, no row


class Interrupted(io.BytesIO):
    """An upload whose reading fails after ``after`` bytes (the client went away, a disk error)."""

    def __init__(self, error: Exception, after: int = 64 * 1024) -> None:
        super().__init__()
        self.error, self.after, self.served = error, after, 0

    def read(self, size: int | None = -1) -> bytes:
        if self.served >= self.after:
            raise self.error
        chunk = super().read(size)
        self.served += len(chunk)
        return chunk


@pytest.fixture
def interrupted(app: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    def use(error: Exception) -> None:
        monkeypatch.setattr(app.request_class, "_get_file_stream", lambda *_a, **_k: Interrupted(error))

    return use


def test_a_client_that_goes_away_midway_leaves_nothing(app, contributor, tree, interrupted):
    interrupted(ClientDisconnected())
    response = upload(contributor, tree["project"], samples.pdf(padding=300 * 1024), "cut.pdf")
    assert response.status_code == 400
    assert nothing_stored(app)


def test_a_read_error_midway_leaves_nothing(app, contributor, tree, interrupted):
    interrupted(OSError("disk error"))
    with pytest.raises(OSError, match="disk error"):
        upload(contributor, tree["project"], samples.pdf(padding=300 * 1024), "cut.pdf")
    assert nothing_stored(app)


@WERKZEUG_DROPS_ITS_SPOOL
def test_a_body_shorter_than_announced_leaves_nothing(app, contributor, tree):
    body, boundary = multipart(samples.pdf(padding=200 * 1024), "short.pdf")
    response = contributor.post(
        evidence_url(tree["project"], "new"),
        input_stream=io.BytesIO(body[: len(body) // 2]),
        content_type=f"multipart/form-data; boundary={boundary}",
        environ_overrides={"CONTENT_LENGTH": str(len(body))},
    )
    assert response.status_code == 400
    assert nothing_stored(app)


def test_a_failed_commit_removes_the_file_it_had_stored(app, contributor, tree, monkeypatch):
    def fail() -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", fail)
    with pytest.raises(RuntimeError, match="database went away"):
        upload(contributor, tree["project"])
    monkeypatch.undo()
    db.session.rollback()
    assert nothing_stored(app)
