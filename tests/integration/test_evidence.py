"""Adding evidence on the pages: files, links and notes, and every refusal (nothing is stored after one)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import EvidenceItem, Task
from tests import evidence_samples as samples
from tests.integration.evidence_support import (
    counts,
    evidence_url,
    item,
    nothing_stored,
    stored_files,
    upload,
    user_as,
)

STORAGE_NAME = re.compile(r"[0-9a-f]{64}")


@pytest.fixture
def contributor(app: Any, make: Any, tree: dict[str, Any]) -> Any:
    return user_as(app, make, tree, "contributor")[0]


def a_task(project: Any) -> Task:
    return db.session.execute(select(Task).where(Task.project_id == project.id).limit(1)).scalar_one()


def only_item() -> EvidenceItem:
    db.session.expire_all()
    return db.session.execute(select(EvidenceItem)).scalar_one()


def test_the_form_is_prefilled_from_the_link_that_opened_it(contributor, tree):
    task = a_task(tree["project"])
    page = contributor.get(evidence_url(tree["project"], f"new?clause=7.1.5.1&task={task.id}")).get_data(True)
    assert '<option selected value="7.1.5.1">' in page
    assert f'<option selected value="{task.id}">' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_photo_is_stored_under_a_random_name_with_its_hash_and_size(app, contributor, tree):
    data = samples.png()
    response = upload(contributor, tree["project"], data, "Attendance sheet.png", valid_until="2027-01-31")
    assert response.status_code == 303
    evidence = only_item()
    assert response.headers["Location"].endswith(evidence_url(tree["project"], evidence.id))
    assert (evidence.kind, evidence.review_state, evidence.clause.number) == ("file", "draft", "7.1.5.1")
    assert str(evidence.valid_until) == "2027-01-31" and evidence.added_by is not None
    [version] = evidence.versions
    assert version.number == 1 and version.filename == "Attendance sheet.png"
    assert version.content_type == "image/png" and version.size == len(data)
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert STORAGE_NAME.fullmatch(version.storage_name)
    assert stored_files(app) == [version.storage_name]  # no temporary file left beside it
    assert (Path(app.config["EVIDENCE_DIR"]) / version.storage_name).read_bytes() == data


def test_evidence_may_be_attached_to_a_task_only(contributor, tree):
    task = a_task(tree["project"])
    response = upload(contributor, tree["project"], clause="", task=str(task.id))
    assert response.status_code == 303
    assert only_item().task_id == task.id and only_item().clause_id is None


def test_a_link_and_a_note_are_stored_without_files(app, contributor, tree):
    project = tree["project"]
    link = {"kind": "link", "title": "Shared drive", "clause": "4.1", "url": "https://drive.example.com/x"}
    assert contributor.post(evidence_url(project, "new"), data=link).status_code == 303
    note = {"kind": "note", "title": "Walked the line", "clause": "8.5.1", "note": "All stations labelled."}
    assert contributor.post(evidence_url(project, "new"), data=note).status_code == 303
    assert counts() == (2, 0) and stored_files(app) == []
    page = contributor.get(evidence_url(project)).get_data(True)
    assert "Shared drive" in page and "Walked the line" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "Give the evidence a title."),
        ({"title": "x" * 201}, "title", "Use at most 200 characters."),
        ({"clause": "", "task": ""}, "clause", "Attach the evidence to a requirement, a task, or both."),
        ({"clause": "7.1"}, "clause", "has no requirement 7.1."),  # a heading, not a requirement
        ({"clause": "99.9"}, "clause", "has no requirement 99.9."),
        ({"task": "abc"}, "task", "This project has no such task."),
        ({"task": "²"}, "task", "This project has no such task."),
        ({"task": "999999"}, "task", "This project has no such task."),
        ({"valid_until": "1999-12-31"}, "valid_until", "Enter a date between 2000"),
        ({"valid_until": "31/12/2026"}, "valid_until", "Not a valid date value."),
        ({"kind": "poster"}, "kind", "Choose a file, a link or a note."),
        ({"kind": "link", "url": "javascript:alert(1)"}, "url", "starting with https://"),
        ({"kind": "link", "url": ""}, "url", "Enter the address of the page."),
        ({"kind": "note", "note": "  "}, "note", "Write the note."),
        ({"file": (b"", "")}, "file", "Choose the file to upload."),
    ],
)
def test_invalid_fields_are_refused_beside_the_field_keeping_what_was_typed(
    app, contributor, tree, fields, field, message
):
    response = upload(contributor, tree["project"], **({"title": "My typed title"} | fields))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = re.search(rf'id="{field}-errors"[^>]*>(.*?)</div>\s*</div>', page, re.S)
    assert errors and message in errors.group(1), page
    if "title" not in fields:
        assert 'value="My typed title"' in page
    assert nothing_stored(app)


def test_a_task_of_another_project_is_refused(app, make, contributor, tree):
    other = make.project(make.site(tree["client"]))
    response = upload(contributor, tree["project"], task=str(a_task(other).id))
    assert response.status_code == 422 and "This project has no such task." in response.get_data(True)
    assert nothing_stored(app)


@pytest.mark.parametrize(
    ("name", "data", "shown"),
    [
        ("../../x.pdf", samples.pdf(), "x.pdf"),
        ("..\\..\\..\\boot.ini.pdf", samples.pdf(), "boot.ini.pdf"),
        ("/etc/cron.d/job.pdf", samples.pdf(), "job.pdf"),
        ("bell\x07and\x1bescape.png", samples.png(), "bellandescape.png"),
        ("rtl\u202egnp.exe.png", samples.png(), "rtlgnp.exe.png"),
        ("n" * 300 + ".png", samples.png(), "n" * 146 + ".png"),
        ("....", samples.png(), "evidence.png"),
        ("...", samples.pdf(), "evidence.pdf"),
        ("Biên bản đào tạo.pdf", samples.pdf(), "Biên bản đào tạo.pdf"),
    ],
)
def test_hostile_names_are_stored_under_a_sanitised_display_name(app, contributor, tree, name, data, shown):
    assert upload(contributor, tree["project"], data, name).status_code == 303
    [version] = only_item().versions
    assert version.filename == shown
    assert STORAGE_NAME.fullmatch(version.storage_name)
    root = Path(app.config["EVIDENCE_DIR"])
    assert [p.name for p in root.iterdir()] == [version.storage_name]
    assert not list(root.parent.glob("**/x.pdf")) and not (root.parent.parent / "x.pdf").exists()


def test_an_empty_file_is_refused(app, contributor, tree):
    response = upload(contributor, tree["project"], b"", "empty.pdf")
    assert response.status_code == 422 and "The file is empty." in response.get_data(True)
    assert nothing_stored(app)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("tool.exe", samples.EXE, "Files ending in .exe are not accepted"),
        ("invoice.pdf", samples.EXE, "The content is not a PDF, an image"),
        ("invoice.pdf", samples.png(), "The name ends in .pdf but the content is a PNG image."),
        ("macro.docx", samples.office("word", ("word/vbaProject.bin",)), "with macros are not accepted"),
    ],
)
def test_disallowed_or_mismatched_types_are_refused_with_the_reason(
    app, contributor, tree, name, data, reason
):
    response = upload(contributor, tree["project"], data, name, title="Kept title")
    assert response.status_code == 415
    page = response.get_data(as_text=True)
    assert reason in page.split('id="file-errors"', 1)[1]
    assert 'value="Kept title"' in page
    assert nothing_stored(app)


# Who may add


def test_a_viewer_may_look_but_not_add(app, make, tree):
    viewer = user_as(app, make, tree, "viewer")[0]
    assert viewer.get(evidence_url(tree["project"])).status_code == 200
    assert viewer.get(evidence_url(tree["project"], "new")).status_code == 403
    assert upload(viewer, tree["project"]).status_code == 403
    assert nothing_stored(app)
    assert "Add evidence" not in viewer.get(evidence_url(tree["project"])).get_data(True)


def test_the_detail_page_shows_the_version_with_its_hash(contributor, tree):
    upload(contributor, tree["project"], samples.pdf(), "QP-01 rev 2.pdf")
    evidence = only_item()
    page = contributor.get(evidence_url(tree["project"], evidence.id)).get_data(True)
    version = evidence.versions[0]
    assert version.sha256 in page and "QP-01 rev 2.pdf" in page
    assert evidence_url(tree["project"], evidence.id, "versions/1/download") in page
    assert "Submit for review" in page and 'id="review-form"' not in page  # contributors do not review
    assert item(evidence.id).review_state == "draft"
