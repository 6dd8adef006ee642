"""Each workspace keeps evidence files up to its quota (security review D12): the configured default, or
the workspace's own figure; an upload that does not fit is refused with the figures, and nothing is kept."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from app.config import ConfigError, load_settings
from app.extensions import db
from app.models.base import utcnow
from app.services import documents as document_service
from app.services.documents import NewRevision
from app.services.errors import Invalid
from app.services.evidence import Upload, storage_use
from tests import evidence_samples as samples
from tests.conftest import TEST_SECRET
from tests.integration.evidence_support import nothing_stored, stored_files, upload, user_as
from tests.integration.register_files import document_with_files

MB = 1024 * 1024


def test_storage_use_counts_every_version_of_the_workspace(app, make, tree):
    contributor, _ = user_as(app, make, tree, "contributor")
    assert upload(contributor, tree["project"]).status_code == 303
    other = make.tree()
    other_contributor, _ = user_as(app, make, other, "contributor")
    assert upload(other_contributor, other["project"]).status_code == 303
    use = storage_use(tree["workspace"].id)
    assert use.used_bytes == len(samples.png())
    assert use.quota_bytes == app.config["STORAGE_QUOTA_MB"] * MB


def test_storage_use_counts_every_revision_of_the_register_until_its_project_is_purged(
    app, make, tree, runner
):
    document = document_with_files(tree["project"])
    samples.add_file(tree["project"], data=samples.png())
    document_with_files(make.tree()["project"])  # another workspace's register
    sizes = [revision.size for revision in document.revisions]
    assert len(set(sizes)) == 3  # superseded, approved and draft, each counted once
    assert storage_use(tree["workspace"].id).used_bytes == sum(sizes) + len(samples.png())

    scope = samples.scope_for(None, tree["project"])
    document_service.withdraw(scope, document, "Merged into QP-05.")
    db.session.commit()
    assert storage_use(tree["workspace"].id).used_bytes == sum(sizes) + len(samples.png())  # still kept

    tree["project"].deleted_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert runner.invoke(args=["purge-deleted"]).exit_code == 0
    assert storage_use(tree["workspace"].id).used_bytes == 0


def test_a_revision_past_the_workspace_quota_is_refused_and_nothing_is_kept(app, tree):
    document = document_with_files(tree["project"])
    before = storage_use(tree["workspace"].id).used_bytes
    tree["workspace"].storage_quota_mb = 1
    db.session.commit()
    big = samples.pdf(padding=MB - before)  # a little over 1 MB with what is kept already
    scope = samples.scope_for(None, tree["project"])
    with pytest.raises(Invalid) as refused:
        document_service.add_revision(
            scope, document, NewRevision("D", "Bigger", Upload("big.pdf", io.BytesIO(big)))
        )
    assert "of its 1 MB" in refused.value.fields["file"]
    db.session.rollback()
    assert storage_use(tree["workspace"].id).used_bytes == before
    assert len(stored_files(app)) == 3  # A, B and C: no fourth file, not even a temporary one


def test_an_upload_past_the_workspace_quota_is_refused_and_nothing_is_kept(app, make, tree):
    tree["workspace"].storage_quota_mb = 1
    db.session.commit()
    contributor, _ = user_as(app, make, tree, "contributor")
    big = samples.png() + b"\x00" * (MB - len(samples.png()) + 1)  # one byte over 1 MB
    response = upload(contributor, tree["project"], data=big)
    assert response.status_code == 413
    assert "of its 1 MB" in response.get_data(as_text=True)
    assert nothing_stored(app)


def test_the_default_quota_comes_from_the_environment(tmp_path):
    env = {"READINESS_ENV": "testing", "SECRET_KEY": TEST_SECRET}
    assert load_settings({**env, "STORAGE_QUOTA_MB": "500"}, tmp_path)["STORAGE_QUOTA_MB"] == 500
    with pytest.raises(ConfigError, match="STORAGE_QUOTA_MB"):
        load_settings({**env, "STORAGE_QUOTA_MB": "lots"}, tmp_path)


def test_the_account_page_shows_the_workspaces_storage_use(app, client, owner, tree):
    tree["workspace"].storage_quota_mb = 2048
    db.session.commit()
    samples.add_file(tree["project"], data=samples.png())
    page = client.get("/account").get_data(as_text=True)
    assert "Evidence storage of this workspace: <strong>1 MB</strong>" in page
    assert "of 2,048 MB used (0%)" in page
