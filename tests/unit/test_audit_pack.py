"""The audit pack's rules: safe names, folders by first requirement, de-duplication, the index by
requirement, the manifest and the file checks."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain import audit_pack as pack
from app.domain.audit_pack import ClauseRef, FileCheck, IndexLine, Kind, PackFile

C41 = ClauseRef("4.1", "Understanding the organization and its context", 10)
C751 = ClauseRef("7.5.1", "General", 50)
C851 = ClauseRef("8.5.1", "Control of production and service provision", 80)
SHA = "ab" * 32


def file(title: str = "Record", clauses: tuple[ClauseRef, ...] = (C851,), **fields: object) -> PackFile:
    values: dict[str, object] = {
        "kind": Kind.EVIDENCE,
        "reference": "E1",
        "title": title,
        "version": "v1",
        "filename": "record.pdf",
        "storage_name": "0" * 64,
        "size": 10,
        "sha256": SHA,
        "approved_by": "Lan",
        "approved_at": datetime(2026, 11, 2, 8, 0),
        "clauses": clauses,
    }
    return PackFile(**(values | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("Control of production", "Control of production"),
        ("../../etc/passwd", "-..-etc-passwd"),
        ("/absolute/path", "-absolute-path"),
        ("..", "untitled"),
        ("  . hidden.  ", "hidden"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("tab\there\nnew line\x00nul", "tab here new line_nul"),
        ("CON", "_CON"),
        ("lpt1.pdf", "_lpt1.pdf"),
        ("Kiểm soát sản xuất", "Kiểm soát sản xuất"),
        ("ควบคุมเอกสาร", "ควบคุมเอกสาร"),
        ("", "untitled"),
    ],
)
def test_safe_segment(text, safe):
    assert pack.safe_segment(text) == safe


def test_a_long_name_is_cut_without_a_trailing_space_or_dot():
    name = pack.safe_segment("word " * 40)
    assert len(name) <= pack.MAX_SEGMENT and not name.endswith((" ", "."))


def test_a_file_goes_in_the_folder_of_its_first_requirement():
    [entry] = pack.plan([file(clauses=(C751, C851))])
    assert entry.path == "7.5.1 General/Record v1.pdf"


def test_a_document_is_named_by_code_revision_and_title():
    doc = file(
        "Control of documents", kind=Kind.DOCUMENT, reference="QP-01", version="rev B", filename="x.DOCX"
    )
    assert pack.file_name(doc) == "QP-01 rev B - Control of documents.docx"


def test_a_file_on_no_requirement_goes_in_its_own_folder_last():
    entries = pack.plan([file("Loose", clauses=()), file("Context", clauses=(C41,))])
    assert [e.path for e in entries] == [
        "4.1 Understanding the organization and its context/Context v1.pdf",
        "Not linked to a requirement/Loose v1.pdf",
    ]


def test_duplicate_names_are_numbered_ignoring_case():
    entries = pack.plan([file("Record"), file("RECORD", filename="b.pdf"), file("record", filename="c.pdf")])
    names = [e.path.split("/")[1] for e in entries]
    assert names == ["Record v1.pdf", "RECORD v1 (2).pdf", "record v1 (3).pdf"]
    assert len({e.path.casefold() for e in entries}) == 3


def test_a_bad_extension_is_dropped():
    assert pack.extension_of("evil.p/df") == ""
    assert pack.extension_of(".bashrc") == ""
    assert pack.extension_of("scan.JPEG") == ".jpeg"


def test_the_index_lists_a_file_under_each_requirement_in_catalog_order():
    shared = file("Shared", clauses=(C851, C41))
    loose = file("Loose", clauses=())
    lines = [IndexLine(entry, FileCheck.OK) for entry in pack.plan([shared, loose])]
    sections = pack.index_sections(lines)
    assert [s.heading for s in sections] == [C41.label, C851.label, "Not linked to a requirement"]
    assert [len(s.lines) for s in sections] == [1, 1, 1]
    assert sections[0].lines[0] is sections[1].lines[0]


def test_href_quotes_each_part():
    [entry] = pack.plan([file("Bản ghi #1 50%")])
    assert (
        entry.href == "8.5.1%20Control%20of%20production%20and%20service%20provision/"
        "B%E1%BA%A3n%20ghi%20%231%2050%25%20v1.pdf"
    )


def test_checks():
    assert pack.check_of(SHA, SHA) is FileCheck.OK
    assert pack.check_of(SHA.upper(), SHA) is FileCheck.OK
    assert pack.check_of(SHA, "cd" * 32) is FileCheck.CORRUPT
    assert pack.check_of(SHA, None) is FileCheck.MISSING


def test_manifest_is_in_sha256sum_format():
    assert pack.manifest([(SHA.upper(), "a/b c.pdf"), (SHA, "index.html")]) == (
        f"{SHA}  a/b c.pdf\n{SHA}  index.html\n"
    )


def test_summary_counts_what_was_shipped():
    entries = pack.plan([file("A", size=5), file("B", size=7), file("C", size=11)])
    checks = [FileCheck.OK, FileCheck.CORRUPT, FileCheck.MISSING]
    summary = pack.summarise([IndexLine(e, c) for e, c in zip(entries, checks, strict=True)])
    assert (summary.files, summary.total_size) == (2, 12)
    assert [line.entry.file.title for line in summary.corrupt] == ["B"]
    assert [line.entry.file.title for line in summary.missing] == ["C"]


def test_pack_filename():
    name = pack.pack_filename("Mekong / Garments", "Bình Dương plant", "ISO 9001:2015", "2026-12-02")
    assert name == "Audit pack - Mekong - Garments - Bình Dương plant - ISO 9001_2015 - 2026-12-02.zip"
