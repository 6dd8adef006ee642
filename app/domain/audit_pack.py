"""The audit pack: what goes in the ZIP sent to the certification body, under which names, and how each
file's check is read.

- Each file goes in one folder, named after its first requirement in catalog order (``8.5.1 Control of
  production and service provision/``); a file linked to several requirements is listed in the index
  under each of them. A file linked to none goes in :data:`NO_CLAUSE_FOLDER`.
- Every name is safe to unpack anywhere: one path segment per folder and file, no ``..``, no absolute
  path, no character a file system refuses (``/ \\ : * ? " < > |`` and control characters), no leading
  or trailing dot or space, no Windows device name (``CON``, ``LPT1``...), at most
  :data:`MAX_SEGMENT` characters; two files that would have the same name (ignoring case, as Windows and
  macOS do) are told apart by `` (2)``, `` (3)``...
- The manifest is in ``sha256sum`` format, one ``<hex>  <path>`` line per file in the pack, with the
  SHA-256 recorded when the file was uploaded: ``sha256sum -c manifest-sha256.txt`` then checks what the
  certification body received against the register, and a file whose bytes no longer match (see
  :class:`FileCheck`) fails that check as the index says it does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote

from app.domain.text import _, _l

MAX_SEGMENT = 80
NO_CLAUSE_FOLDER = _l("Not linked to a requirement")  # a folder name in the reader's language
INDEX_HTML = "index.html"
INDEX_PDF = "index.pdf"
MANIFEST = "manifest-sha256.txt"
FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
SLASHES = re.compile(r"[/\\]")
SPACES = re.compile(r"\s+")
DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
)
EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}")


class Kind(StrEnum):
    DOCUMENT = "document"
    EVIDENCE = "evidence"


KIND_LABELS = {Kind.DOCUMENT: _l("Controlled document"), Kind.EVIDENCE: _l("Evidence")}


class FileCheck(StrEnum):
    """What streaming a file found: its bytes match the SHA-256 recorded at upload, they do not (the
    file was damaged or changed in the store: shipped, marked in the index, failing the manifest's
    check), or the file is missing from the store (not in the pack, marked in the index)."""

    OK = "ok"
    CORRUPT = "corrupt"
    MISSING = "missing"


@dataclass(frozen=True)
class ClauseRef:
    number: str
    title: str
    position: int  # catalog order

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


@dataclass(frozen=True)
class PackFile:
    """One stored file for the pack, as the document register or the evidence records it."""

    kind: Kind
    reference: str  # the document's code, or "E<id>" for evidence
    title: str
    version: str  # "rev B" for a revision, "v3" for an evidence file
    filename: str  # the name recorded at upload
    storage_name: str
    size: int
    sha256: str
    approved_by: str  # who approved the revision or accepted the evidence ("" when unknown)
    approved_at: datetime | None
    clauses: tuple[ClauseRef, ...]  # in catalog order; empty when linked to none


@dataclass(frozen=True)
class PackEntry:
    file: PackFile
    path: str  # inside the ZIP: "<clause folder>/<name>"

    @property
    def href(self) -> str:
        """The link from the index (at the ZIP's root) to the file."""
        return "/".join(quote(part) for part in self.path.split("/"))


@dataclass(frozen=True)
class IndexLine:
    entry: PackEntry
    check: FileCheck


@dataclass(frozen=True)
class IndexSection:
    heading: str
    lines: tuple[IndexLine, ...]


def safe_segment(text: str, fallback: str = "untitled", limit: int = MAX_SEGMENT) -> str:
    """``text`` as one file or folder name that every file system and unzip tool accepts as it is."""
    name = unicodedata.normalize("NFC", text)
    name = SPACES.sub(" ", SLASHES.sub("-", name))
    name = FORBIDDEN.sub("_", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        name = fallback
    if name.split(".")[0].strip().casefold() in DEVICE_NAMES:
        name = f"_{name}"
    return name[:limit].rstrip(" .") or fallback


def clause_folder(clause: ClauseRef | None) -> str:
    if clause is None:
        return str(NO_CLAUSE_FOLDER)
    return safe_segment(clause.label, fallback=safe_segment(clause.number, "clause"))


def extension_of(filename: str) -> str:
    """The upload's extension (".pdf"), or "" when it has none worth keeping."""
    dot = filename.rfind(".")
    suffix = filename[dot:] if dot > 0 else ""
    return suffix.lower() if EXTENSION.fullmatch(suffix) else ""


def file_name(file: PackFile) -> str:
    """``QP-01 rev B - Control of documents.pdf``, ``Calibration certificate v2.pdf``."""
    ext = extension_of(file.filename)
    if file.kind is Kind.DOCUMENT:
        stem = f"{file.reference} {file.version} - {file.title}"
    else:
        stem = f"{file.title} {file.version}"
    return safe_segment(stem, limit=MAX_SEGMENT - len(ext)) + ext


def _unique(folder: str, name: str, taken: set[str]) -> str:
    stem, ext = (name[: -len(e)], e) if (e := extension_of(name)) else (name, "")
    candidate, number = name, 1
    while f"{folder}/{candidate}".casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = stem[: MAX_SEGMENT - len(ext) - len(suffix)].rstrip(" .") + suffix + ext
    taken.add(f"{folder}/{candidate}".casefold())
    return f"{folder}/{candidate}"


def _order(file: PackFile) -> tuple[int, int, str, str]:
    first = file.clauses[0].position if file.clauses else 1 << 30
    return (first, 0 if file.kind is Kind.DOCUMENT else 1, file.reference.casefold(), file.title.casefold())


def plan(files: Iterable[PackFile]) -> tuple[PackEntry, ...]:
    """Every file with its path in the ZIP, in catalog order of its first requirement (documents before
    evidence within a requirement), every path different from the others."""
    taken: set[str] = set()
    entries = []
    for file in sorted(files, key=_order):
        folder = clause_folder(file.clauses[0] if file.clauses else None)
        entries.append(PackEntry(file, _unique(folder, file_name(file), taken)))
    return tuple(entries)


def check_of(recorded_sha256: str, read_sha256: str | None) -> FileCheck:
    """``read_sha256`` is the SHA-256 of the bytes streamed, None when the file could not be opened."""
    if read_sha256 is None:
        return FileCheck.MISSING
    return FileCheck.OK if read_sha256 == recorded_sha256.lower() else FileCheck.CORRUPT


def index_sections(lines: Sequence[IndexLine]) -> tuple[IndexSection, ...]:
    """The index by requirement, in catalog order: each file under every requirement it is linked to, the
    files linked to none last."""
    by_clause: dict[ClauseRef, list[IndexLine]] = {}
    unlinked: list[IndexLine] = []
    for line in lines:
        for clause in line.entry.file.clauses:
            by_clause.setdefault(clause, []).append(line)
        if not line.entry.file.clauses:
            unlinked.append(line)
    sections = [
        IndexSection(clause.label, tuple(by_clause[clause]))
        for clause in sorted(by_clause, key=lambda c: c.position)
    ]
    if unlinked:
        sections.append(IndexSection(str(NO_CLAUSE_FOLDER), tuple(unlinked)))
    return tuple(sections)


def manifest(lines: Iterable[tuple[str, str]]) -> str:
    """``sha256sum`` lines ("<hex>  <path>") of (sha256, path) pairs. The paths hold no newline or
    backslash (:func:`safe_segment`), so none needs sha256sum's escaping."""
    return "".join(f"{sha256.lower()}  {path}\n" for sha256, path in lines)


def pack_filename(client: str, site: str, standard: str, day: str) -> str:
    """The download's name: ``Audit pack - <client> - <site> - <standard> - <day>.zip``."""
    parts = [_("Audit pack"), *(safe_segment(p, "", 60) for p in (client, site, standard)), day]
    return " - ".join(part for part in parts if part) + ".zip"


@dataclass(frozen=True)
class IndexSummary:
    files: int  # in the pack (the missing ones are not)
    total_size: int  # bytes of the files in the pack
    corrupt: tuple[IndexLine, ...]
    missing: tuple[IndexLine, ...]


def summarise(lines: Sequence[IndexLine]) -> IndexSummary:
    shipped = [line for line in lines if line.check is not FileCheck.MISSING]
    return IndexSummary(
        files=len(shipped),
        total_size=sum(line.entry.file.size for line in shipped),
        corrupt=tuple(line for line in lines if line.check is FileCheck.CORRUPT),
        missing=tuple(line for line in lines if line.check is FileCheck.MISSING),
    )
