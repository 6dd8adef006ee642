"""Which files may be uploaded as evidence, decided on their content and not only on their name.

The first bytes (magic numbers) say what a file is: PDF, PNG, JPEG, GIF, WEBP, an Office Open XML
document (a ZIP holding ``[Content_Types].xml`` and ``word/``, ``xl/`` or ``ppt/``), a legacy Office file
(an OLE2 compound file: .doc, .xls or .ppt, told apart only by name) or, failing those, plain text (valid
UTF-8 without NUL bytes: .txt and .csv). The name's extension must agree with the content; a name without
an extension gets the one its content shows. Office files with macros (a VBA project or macro sheet
declared in the package, whatever its part is called, or a VBA storage in an older Office file) or ActiveX
controls, and SVG images (which can carry script) are not accepted.
"""

from __future__ import annotations

import codecs
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from app.domain.evidence_rules import extension_of, with_extension
from app.domain.text import _, _l, grouped

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_VBA_NAME = "_VBA_PROJECT".encode("utf-16-le")
TEXT_CHUNK = 64 * 1024

# Bounds on looking inside an Office Open XML package, so one upload cannot hold a worker for seconds:
# a real document has tens to a few thousand parts; a tiny file that claims gigabytes is a ZIP bomb.
MAX_OFFICE_PARTS = 10_000
MAX_EXPANSION_RATIO = 200  # declared uncompressed size per byte of the package
MAX_EXPANDED_BYTES = 1024 * 1024 * 1024
_END_RECORD = struct.Struct("<4s4H2LH")  # the ZIP "end of central directory" record
_END_SIGNATURE = b"PK\x05\x06"
_MAX_COMMENT = 0xFFFF


@dataclass(frozen=True)
class FileType:
    content_type: str
    family: str  # what the content shows: pdf, png, jpeg, gif, webp, docx, xlsx, pptx, ole2, text


ALLOWED: dict[str, FileType] = {
    "pdf": FileType("application/pdf", "pdf"),
    "png": FileType("image/png", "png"),
    "jpg": FileType("image/jpeg", "jpeg"),
    "jpeg": FileType("image/jpeg", "jpeg"),
    "gif": FileType("image/gif", "gif"),
    "webp": FileType("image/webp", "webp"),
    "docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "doc": FileType("application/msword", "ole2"),
    "xls": FileType("application/vnd.ms-excel", "ole2"),
    "ppt": FileType("application/vnd.ms-powerpoint", "ole2"),
    "csv": FileType("text/csv", "text"),
    "txt": FileType("text/plain", "text"),
}

FAMILY_WORDS = {
    "pdf": _l("a PDF document"),
    "png": _l("a PNG image"),
    "jpeg": _l("a JPEG image"),
    "gif": _l("a GIF image"),
    "webp": _l("a WEBP image"),
    "docx": _l("a Word document"),
    "xlsx": _l("an Excel workbook"),
    "pptx": _l("a PowerPoint presentation"),
    "ole2": _l("an older Office document (.doc, .xls or .ppt)"),
    "text": _l("plain text"),
}

# The extension given to a name that has none; an OLE2 file could be any of three, so it needs its name.
DEFAULT_EXTENSION = {
    "pdf": "pdf",
    "png": "png",
    "jpeg": "jpg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "text": "txt",
}

INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
ACCEPTED_WORDS = _l("a PDF, an image (PNG, JPEG, GIF, WEBP), an Office document, a CSV or a plain text file")
OFFICE_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
# Content types of VBA projects and their data, macro-enabled main parts (a .docm saved as .docx), Excel 4
# macro sheets and ActiveX controls, as [Content_Types].xml declares them (lower case).
MACRO_MARKERS = (b"vbaproject", b"vbadata", b"macroenabled", b"macrosheet", b"activex")


@dataclass(frozen=True)
class FileCheck:
    """The outcome: the name to record and its content type, or why the file is refused."""

    name: str
    content_type: str = ""
    error: str | None = None


def may_show_inline(content_type: str, active_content: bool = False) -> bool:
    """Images and PDFs may be previewed in the browser; everything else is only downloaded, and so is a
    PDF with script or actions (``active_content``, :func:`app.domain.pdf_content.has_active_content`)."""
    return content_type in INLINE_TYPES and not active_content


def check_file(name: str, content: BinaryIO) -> FileCheck:
    """Check a sanitised ``name`` against ``content`` (a seekable binary file, read from the start)."""
    extension = extension_of(name)
    if extension and extension not in ALLOWED:
        return FileCheck(
            name,
            error=_(
                "Files ending in .%(extension)s are not accepted: upload %(accepted)s.",
                extension=extension,
                accepted=ACCEPTED_WORDS,
            ),
        )
    family = sniff(content)
    if family == "zip":
        return FileCheck(name, error=_("This is a ZIP archive, not a Word, Excel or PowerPoint document."))
    if family == "macro":
        return FileCheck(
            name, error=_("Office documents with macros are not accepted: save it without them.")
        )
    if family == "oversized":
        return FileCheck(
            name,
            error=_(
                "This Office file has more than %(parts)s parts or expands to an implausible size: it cannot "
                "be checked. Save it again from Word, Excel or PowerPoint.",
                parts=grouped(MAX_OFFICE_PARTS),
            ),
        )
    if family is None:
        return FileCheck(name, error=_("The content is not %(accepted)s.", accepted=ACCEPTED_WORDS))
    if not extension:
        if family not in DEFAULT_EXTENSION:
            return FileCheck(name, error=_("Name the file with its extension: .doc, .xls or .ppt."))
        extension = DEFAULT_EXTENSION[family]
        name = with_extension(name, extension)
    expected = ALLOWED[extension]
    if expected.family != family:
        return FileCheck(
            name,
            error=_(
                "The name ends in .%(extension)s but the content is %(family)s.",
                extension=extension,
                family=FAMILY_WORDS[family],
            ),
        )
    return FileCheck(name, expected.content_type)


def sniff(content: BinaryIO) -> str | None:
    """The family the content belongs to, "zip", "macro" or "oversized" for refused archives, or None."""
    content.seek(0)
    head = content.read(16)
    content.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _office_family(content)
    if head.startswith(OLE2_MAGIC):
        return "macro" if _has_vba_storage(content) else "ole2"
    return "text" if _is_text(content) else None


def declared_parts(content: BinaryIO) -> int | None:
    """How many entries the ZIP's end record declares, read from its last bytes alone (None: no record).

    ZIP64 archives (65,535 entries or more) declare 0xFFFF here, which is over the bound anyway.
    """
    size = content.seek(0, 2)
    tail_length = min(size, _END_RECORD.size + _MAX_COMMENT)
    content.seek(size - tail_length)
    tail = content.read(tail_length)
    content.seek(0)
    start = tail.rfind(_END_SIGNATURE)
    if start < 0 or len(tail) - start < _END_RECORD.size:
        return None
    return int(_END_RECORD.unpack_from(tail, start)[4])


def _office_family(content: BinaryIO) -> str:
    """docx, xlsx or pptx for an Office Open XML package; "macro", "oversized" or "zip" otherwise."""
    parts = declared_parts(content)
    if parts is None:
        return "zip"
    if parts > MAX_OFFICE_PARTS:
        return "oversized"  # refused before the directory of every part is parsed
    package_size = content.seek(0, 2)
    try:
        with zipfile.ZipFile(content) as archive:
            entries = archive.infolist()
            content_types = _content_types(archive, entries)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        return "zip"
    finally:
        content.seek(0)
    expanded = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_OFFICE_PARTS or expanded > min(
        MAX_EXPANDED_BYTES, max(package_size, 1) * MAX_EXPANSION_RATIO
    ):
        return "oversized"
    names = [entry.filename for entry in entries]
    if "[Content_Types].xml" not in names:
        return "zip"
    if content_types is None:
        return "oversized"
    if any(n.lower().endswith("vbaproject.bin") for n in names) or _declares_macros(content_types):
        return "macro"
    found = {family for folder, family in OFFICE_FOLDERS.items() if any(n.startswith(folder) for n in names)}
    return found.pop() if len(found) == 1 else "zip"


def _content_types(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> bytes | None:
    """The package's ``[Content_Types].xml`` (empty if it has none), or None when it is too large to read."""
    entry = next((e for e in entries if e.filename == "[Content_Types].xml"), None)
    if entry is None:
        return b""
    if entry.file_size > MAX_CONTENT_TYPES_BYTES:
        return None
    with archive.open(entry) as part:
        data = part.read(MAX_CONTENT_TYPES_BYTES + 1)
    return None if len(data) > MAX_CONTENT_TYPES_BYTES else data


def _declares_macros(content_types: bytes) -> bool:
    """Whether the package declares a macro or ActiveX part: Office runs such a part whatever it is named
    (``word/macros.bin`` as well as ``vbaProject.bin``), as long as its content type is declared."""
    declared = content_types.lower()
    return any(marker in declared for marker in MACRO_MARKERS)


def _has_vba_storage(content: BinaryIO) -> bool:
    """Whether an older Office file (OLE2) holds a VBA project: Word keeps it under ``Macros``, Excel under
    ``_VBA_PROJECT_CUR``, both with a ``_VBA_PROJECT`` stream, named in UTF-16 in the file's directory."""
    tail = b""
    try:
        while chunk := content.read(TEXT_CHUNK):
            data = tail + chunk
            if OLE2_VBA_NAME in data:
                return True
            tail = data[-len(OLE2_VBA_NAME) :]
    finally:
        content.seek(0)
    return False


def _is_text(content: BinaryIO) -> bool:
    """Valid UTF-8 from start to end, with no NUL byte (read in chunks: never all in memory)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    seen = False
    try:
        while chunk := content.read(TEXT_CHUNK):
            seen = True
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        content.seek(0)
    return seen
