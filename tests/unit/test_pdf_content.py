"""Which PDFs may preview inline (app/domain/pdf_content.py): none with script, actions or parts it cannot
read."""

from __future__ import annotations

import io
import zlib

import pytest

from app.domain import pdf_content
from app.domain.pdf_content import has_active_content
from tests.evidence_samples import pdf


def document(*objects: bytes) -> bytes:
    body = b"".join(
        b"%d 0 obj\n" % number + content + b"\nendobj\n" for number, content in enumerate(objects, 1)
    )
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data)
    return (
        b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"
    )


def active(data: bytes) -> bool:
    return has_active_content(io.BytesIO(data))


@pytest.mark.parametrize(
    "content",
    [
        pdf(),
        document(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"),
        document(b"<< /Type /Catalog /OpenAction [3 0 R /Fit] >>", stream(b"BT /F1 12 Tf (JS) Tj ET")),
        document(
            b"<< /Type /Catalog >>",
            b"<< /Length 4 /Filter /DCTDecode >>\nstream\n\xff\xd8\xff\xd9\nendstream",
        ),
    ],
)
def test_plain_pdfs_may_preview_inline(content):
    assert not active(content)


@pytest.mark.parametrize(
    "content",
    [
        document(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
        document(b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>"),
        document(b"<< /Type /Catalog /Names << /JavaScript 3 0 R >> >>"),
        document(b"<< /Type /Catalog /AA << /O << /S /Launch /F (calc.exe) >> >> >>"),
        document(b"<< /Type /Catalog /AcroForm << /XFA 3 0 R >> >>"),
        document(b"<< /Type /Catalog /Names << /EmbeddedFiles 3 0 R >> >>"),
        document(
            b"<< /Type /Catalog >>",
            stream(b"4 0 << /S /JavaScript /JS (x) >>", b"/Type /ObjStm /N 1 /First 4 "),
        ),
        document(b"<< /Type /Catalog >>") + b"trailer << /Encrypt 5 0 R >>",
        document(
            b"<< /Type /Catalog >>",
            b"<< /Type /ObjStm /Filter /LZWDecode >>\nstream\n\x80\x0b\x60\nendstream",
        ),
    ],
    ids=[
        "javascript",
        "escaped names",
        "named scripts",
        "launch",
        "xfa",
        "attachments",
        "in an object stream",
        "encrypted",
        "undecodable object stream",
    ],
)
def test_pdfs_with_script_actions_or_unreadable_parts_do_not(content):
    assert active(content)


def test_more_than_it_will_inflate_or_read_counts_as_active(monkeypatch):
    content = document(b"<< /Type /Catalog >>", stream(b" " * 10_000))
    assert not active(content)
    monkeypatch.setattr(pdf_content, "MAX_INFLATED", 1000)
    assert active(content)
    monkeypatch.setattr(pdf_content, "MAX_SCANNED", 10)
    assert active(pdf())


def test_the_stream_is_left_at_its_start():
    content = io.BytesIO(pdf())
    content.read(5)
    has_active_content(content)
    assert content.tell() == 0
