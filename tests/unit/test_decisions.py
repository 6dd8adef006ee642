"""The cautious rules chosen for issue 8, item 13, with plain values: who lifts a major finding, and which
Office files count as carrying macros."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.domain.file_types import OLE2_MAGIC, check_file
from app.domain.permissions import Action, action_to_change_finding, can

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>{extra}</Types>'
)


@pytest.mark.parametrize(
    ("before", "after", "action"),
    [
        (("major", "open"), ("major", "closed"), Action.MANAGE_PROJECTS),  # closing a major
        (("major", "open"), ("minor", "open"), Action.MANAGE_PROJECTS),  # lowering it lifts the same block
        (("major", "open"), ("observation", "closed"), Action.MANAGE_PROJECTS),
        (None, ("major", "closed"), Action.MANAGE_PROJECTS),  # recorded as closed at once
        (None, ("major", "open"), Action.EDIT_CONTENT),  # raising one is content work
        (("major", "open"), ("major", "open"), Action.EDIT_CONTENT),  # the corrective action, the description
        (("major", "closed"), ("major", "open"), Action.EDIT_CONTENT),  # reopening
        (("major", "closed"), ("major", "closed"), Action.EDIT_CONTENT),
        (("minor", "open"), ("minor", "closed"), Action.EDIT_CONTENT),
        (("minor", "open"), ("major", "open"), Action.EDIT_CONTENT),
        (None, ("observation", "closed"), Action.EDIT_CONTENT),
    ],
)
def test_lifting_a_major_finding_needs_manage_projects(before, after, action):
    assert action_to_change_finding(before, after) is action


def test_so_contributors_propose_and_consultants_close():
    lift = action_to_change_finding(("major", "open"), ("major", "closed"))
    assert {role for role in ("owner", "consultant", "client_manager", "contributor") if can(role, lift)} == {
        "owner",
        "consultant",
        "client_manager",
    }


def package(folder: str, content_types: str = "", parts: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(extra=content_types))
        archive.writestr(f"{folder}/document.xml", "<document/>")
        for name in parts:
            archive.writestr(name, b"\xd0\xcf\x11\xe0 macro bytes")
    return buffer.getvalue()


def override(part: str, content_type: str) -> str:
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def default(extension: str, content_type: str) -> str:
    return f'<Default Extension="{extension}" ContentType="{content_type}"/>'


OOXML = "application/vnd.openxmlformats-officedocument"


def checked(name: str, data: bytes) -> str | None:
    return check_file(name, io.BytesIO(data)).error


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "report.docx",
            package(
                "word",
                override("/word/macros.bin", "application/vnd.ms-office.vbaProject"),
                ("word/macros.bin",),
            ),
        ),
        (
            "report.docx",
            package("word", default("bin", "application/vnd.ms-office.vbaProject")),
        ),
        (
            "report.docx",
            package(
                "word",
                override("/word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
            ),
        ),
        (
            "report.docx",
            package(
                "word",
                override("/word/vbaData.xml", "application/vnd.ms-word.vbaData+xml"),
            ),
        ),
        (
            "book.xlsx",
            package(
                "xl",
                override("/xl/macrosheets/sheet1.xml", "application/vnd.ms-excel.macrosheet+xml"),
            ),
        ),
        (
            "book.xlsx",
            package("xl", default("bin", "application/vnd.ms-office.activeX")),
        ),
        ("deck.pptx", package("ppt", parts=("ppt/vbaProject.bin",))),
        (
            "old.doc",
            OLE2_MAGIC + b"\x00" * 504 + "Macros".encode("utf-16-le") + "_VBA_PROJECT".encode("utf-16-le"),
        ),
        ("old.xls", OLE2_MAGIC + b"\x00" * 70_000 + "_VBA_PROJECT_CUR".encode("utf-16-le")),
    ],
    ids=[
        "vba under another name",
        "vba by extension",
        "macro-enabled main part",
        "vba data",
        "excel 4 macro sheet",
        "activex",
        "vbaProject.bin",
        "doc with a vba storage",
        "xls with a vba storage past the first chunk",
    ],
)
def test_office_files_with_macros_are_refused_whatever_their_parts_are_called(name, data):
    assert checked(name, data) == "Office documents with macros are not accepted: save it without them."


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "report.docx",
            package(
                "word",
                override("/word/document.xml", f"{OOXML}.wordprocessingml.document.main+xml"),
            ),
        ),
        (
            "book.xlsx",
            package(
                "xl",
                default("bin", f"{OOXML}.spreadsheetml.printerSettings"),
                ("xl/printerSettings/printerSettings1.bin",),
            ),
        ),
        ("old.doc", OLE2_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le")),
    ],
    ids=["docx", "xlsx with printer settings", "doc"],
)
def test_the_same_files_without_macros_are_accepted(name, data):
    assert checked(name, data) is None
