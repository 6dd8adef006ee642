"""What may be uploaded, decided on content: every accepted type, every refusal and its reason."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.domain.file_types import (
    ALLOWED,
    MAX_OFFICE_PARTS,
    check_file,
    declared_parts,
    may_show_inline,
    sniff,
)
from tests import evidence_samples as samples

ACCEPTED = [
    ("procedure.pdf", samples.pdf(), "application/pdf"),
    ("photo.png", samples.png(), "image/png"),
    ("photo.jpg", samples.JPEG, "image/jpeg"),
    ("photo.JPEG", samples.JPEG, "image/jpeg"),
    ("anim.gif", samples.GIF, "image/gif"),
    ("shot.webp", samples.WEBP, "image/webp"),
    ("manual.docx", samples.office("word"), ALLOWED["docx"].content_type),
    ("budget.xlsx", samples.office("xl"), ALLOWED["xlsx"].content_type),
    ("training.pptx", samples.office("ppt"), ALLOWED["pptx"].content_type),
    ("old.doc", samples.OLE2, "application/msword"),
    ("old.xls", samples.OLE2, "application/vnd.ms-excel"),
    ("old.ppt", samples.OLE2, "application/vnd.ms-powerpoint"),
    ("records.csv", samples.CSV, "text/csv"),
    ("notes.txt", samples.TEXT, "text/plain"),
    ("bom.txt", b"\xef\xbb\xbfwith a byte order mark", "text/plain"),
]


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED)
def test_accepted_files_get_the_content_type_of_their_extension(name, data, content_type):
    checked = check_file(name, io.BytesIO(data))
    assert checked.error is None
    assert checked.content_type == content_type and checked.name == name


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("virus.exe", samples.EXE, "Files ending in .exe are not accepted"),
        ("drawing.svg", b"<svg onload='alert(1)'/>", "Files ending in .svg are not accepted"),
        ("page.html", b"<script>alert(1)</script>", "Files ending in .html are not accepted"),
        ("macro.docm", samples.office("word"), "Files ending in .docm are not accepted"),
        ("invoice.pdf", samples.EXE, "The content is not a PDF, an image"),
        ("invoice.pdf", samples.png(), "The name ends in .pdf but the content is a PNG image."),
        ("photo.png", samples.pdf(), "The name ends in .png but the content is a PDF document."),
        ("photo.jpg", samples.png(), "The name ends in .jpg but the content is a PNG image."),
        ("notes.txt", samples.pdf(), "The name ends in .txt but the content is a PDF document."),
        ("photo.png", samples.TEXT, "The name ends in .png but the content is plain text."),
        ("sheet.xlsx", samples.office("word"), "The name ends in .xlsx but the content is a Word document."),
        ("sheet.xlsx", samples.OLE2, "The name ends in .xlsx but the content is an older Office document"),
        ("old.doc", samples.office("word"), "The name ends in .doc but the content is a Word document."),
        ("bundle.docx", samples.plain_zip(), "This is a ZIP archive, not a Word"),
        ("bundle.docx", b"PK\x03\x04not really a zip", "This is a ZIP archive, not a Word"),
        ("macro.docx", samples.office("word", ("word/vbaProject.bin",)), "with macros are not accepted"),
        ("mixed.docx", samples.office("word", ("xl/sheet.xml",)), "This is a ZIP archive"),
        ("nul.txt", b"text\x00with a NUL", "The content is not"),
        ("latin1.csv", "café;1\n".encode("latin-1"), "The content is not"),
        ("cut.txt", "đ".encode()[:1], "The content is not"),
        ("old", samples.OLE2, "Name the file with its extension: .doc, .xls or .ppt."),
    ],
)
def test_refusals_say_why(name, data, reason):
    checked = check_file(name, io.BytesIO(data))
    assert checked.error is not None and reason in checked.error
    assert checked.content_type == ""


@pytest.mark.parametrize(
    ("name", "data", "recorded"),
    [
        ("", samples.png(), "evidence.png"),
        ("scan", samples.pdf(), "scan.pdf"),
        ("list", samples.CSV, "list.txt"),
    ],
)
def test_a_name_without_extension_gets_the_one_its_content_shows(name, data, recorded):
    checked = check_file(name, io.BytesIO(data))
    assert checked.error is None and checked.name == recorded


def test_text_is_checked_to_the_end_in_chunks():
    late_nul = io.BytesIO(b"a" * 200_000 + b"\x00")
    assert sniff(late_nul) is None
    assert late_nul.tell() == 0  # left at the start for whoever reads next
    split_character = io.BytesIO(b"a" * (64 * 1024 - 1) + "đ".encode())  # a character across two chunks
    assert sniff(split_character) == "text"


def test_only_images_and_pdf_preview_inline():
    assert all(
        may_show_inline(t) for t in ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")
    )
    assert not any(may_show_inline(ALLOWED[e].content_type) for e in ("docx", "xls", "csv", "txt"))
    assert not may_show_inline("image/svg+xml") and not may_show_inline("text/html")


def many_parts(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for number in range(count - 2):
            archive.writestr(f"word/empty{number}.xml", b"")
    return buffer.getvalue()


def test_an_office_file_with_too_many_parts_is_refused_from_its_end_record_alone(monkeypatch):
    content = io.BytesIO(many_parts(MAX_OFFICE_PARTS + 1))
    assert declared_parts(content) == MAX_OFFICE_PARTS + 1

    def no_directory_parse(*_args, **_kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", no_directory_parse)
    result = check_file("minutes.docx", content)
    assert result.error is not None and "parts" in result.error


def test_an_office_file_at_the_bound_is_still_accepted():
    assert check_file("register.docx", io.BytesIO(many_parts(2_000))).error is None


def test_a_zip_bomb_dressed_as_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"\x00" * (40 * 1024 * 1024))  # 40 MB of zeros, ~40 kB packed
    result = check_file("budget.xlsx", io.BytesIO(buffer.getvalue()))
    assert result.error is not None and "implausible" in result.error


def test_a_zip_without_an_end_record_is_not_an_office_file():
    content = io.BytesIO(samples.office("word")[:-22])
    assert declared_parts(content) is None
    assert sniff(content) == "zip"
