"""Importing a filled-in gap analysis: the uploaded workbook is checked before anything reads it, its rows are
judged by :mod:`app.domain.gap_import`, and confirming applies the accepted rows through the gap form's own
service (:func:`app.services.assessments.update_requirement`), so validation and history are the same.

Between the preview and the confirmation the file waits in the instance folder under a random name tied to
the user and the project; confirming reads it again and re-checks everything, and applies nothing when the
outcome is no longer the preview's.
"""

from __future__ import annotations

import io
import re
import secrets
import time
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from openpyxl import load_workbook

from app.domain import gap_import as rules
from app.domain.exports import ABOUT_SHEET, GAP_HEADERS, GAP_SHEET
from app.domain.gap_import import FileRefused, Plan, Saved
from app.domain.text import _, grouped
from app.models import CertificationProject
from app.services import assessments
from app.services.errors import Conflict, Invalid, NotFound
from app.services.export_tables import signing_key

MAX_FILE_BYTES = 5 * 1024 * 1024  # a gap analysis of 5,000 rows is well under 1 MB
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all parts of the zip together, as its directory declares them
MAX_RATIO = 200  # uncompressed / compressed for one large part; real sheets compress ~10:1
MAX_PARTS = 200
PENDING_HOURS = 24  # an uploaded file not confirmed within this long is removed
XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _refuse(message: str) -> Invalid:
    return Invalid(message, {"file": message})


def check_package(data: bytes) -> zipfile.ZipFile:
    """The bytes as a zip that may be opened: an .xlsx (by its signature, not its name), no larger than the
    caps once uncompressed (its central directory is read before any part is), and without macros."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(
            _(
                "The file is larger than %(mb)s MB: not a gap analysis export.",
                mb=MAX_FILE_BYTES // (1024 * 1024),
            )
        )
    if data.startswith(OLE_SIGNATURE):
        raise _refuse(
            _("This is an old Excel .xls file: save it as an Excel workbook (.xlsx) and upload that.")
        )
    if not data.startswith(XLSX_SIGNATURE):
        raise _refuse(_("This is not an Excel workbook (.xlsx): upload the gap analysis file exported here."))
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(
            _("This is not an Excel workbook (.xlsx): the file is damaged or not a workbook.")
        ) from exc
    _check_sizes(parts)
    names = {part.filename.lower() for part in parts}
    content_types = package.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroenabled" in content_types.lower():
        raise _refuse(
            _("The workbook contains macros, which are never opened here: save it as a plain .xlsx.")
        )
    if "xl/workbook.xml" not in names:
        raise _refuse(_("This is not an Excel workbook (.xlsx): it has no workbook inside."))
    _check_sheet_parts(package, [p.filename for p in parts])
    return package


def _check_sizes(parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > MAX_PARTS:
        raise _refuse(_("The workbook has too many parts to be a gap analysis export."))
    if sum(part.file_size for part in parts) > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(_("The workbook unpacks to more than 50 MB (a zip bomb?): it is not opened."))
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise _refuse(_("The workbook is compressed suspiciously well (a zip bomb?): it is not opened."))


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")


def _check_sheet_parts(package: zipfile.ZipFile, names: list[str]) -> None:
    """Merged cells (which shift what a row means; read-only openpyxl does not report them) and more rows
    than an import takes, found by scanning each sheet's XML in chunks before openpyxl parses it (the
    sizes are already capped): a sheet of 100,000 rows is refused in a fraction of a second."""
    for name in names:
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        tail, rows = b"", 0
        with package.open(name) as part:
            while chunk := part.read(256 * 1024):
                window = tail + chunk
                if b"mergeCell" in window:
                    raise _refuse(
                        _("The workbook has merged cells: unmerge them so each row keeps its columns.")
                    )
                # a tag that ends in the tail was counted with the chunk before
                rows += sum(1 for tag in _ROW_TAG.finditer(window) if tag.end() > len(tail))
                if rows > rules.MAX_ROWS + 1:
                    raise _refuse(
                        _(
                            "A sheet has more than %(rows)s rows, the most a gap analysis import takes.",
                            rows=grouped(rules.MAX_ROWS),
                        )
                    )
                tail = chunk[-16:]


def _about(workbook: Any) -> dict[str, Any]:
    about: dict[str, Any] = {}
    for row in workbook[ABOUT_SHEET].iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
        if row and row[0] is not None:
            about[str(row[0]).strip()] = row[1] if len(row) > 1 else None
    return about


def _sheet_rows(sheet: Any) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    """The header and the data rows of the gap sheet, refusing formulas and more than MAX_ROWS rows (the
    sheet's declared dimension first, so a huge sheet is refused before it is read)."""
    declared = sheet.max_row
    if isinstance(declared, int) and declared > rules.MAX_ROWS + 1:
        raise _refuse(
            _(
                "The sheet has %(rows)s rows; a gap analysis import takes at most %(most)s.",
                rows=grouped(declared - 1),
                most=grouped(rules.MAX_ROWS),
            )
        )
    header: list[Any] = []
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number > rules.MAX_ROWS + 1:
            raise _refuse(
                _(
                    "A sheet has more than %(rows)s rows, the most a gap analysis import takes.",
                    rows=grouped(rules.MAX_ROWS),
                )
            )
        values = []
        for cell in cells:
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
                where = getattr(cell, "coordinate", f"row {number}")
                raise _refuse(
                    _(
                        "Cell %(cell)s holds a formula; formulas are not imported. Type the values instead.",
                        cell=where,
                    )
                )
            values.append(value)
        if number == 1:
            header = values
        else:
            rows.append((number, values[: len(GAP_HEADERS)]))
    return header, rows


def read_plan(project: CertificationProject, data: bytes, today: date) -> Plan:
    """What importing ``data`` would do; raises Invalid (nothing saved) when the file is refused whole."""
    package = check_package(data)
    package.close()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged part
        raise _refuse(_("The workbook could not be read: it is damaged or not made by Excel.")) from exc
    try:
        if GAP_SHEET not in workbook.sheetnames or ABOUT_SHEET not in workbook.sheetnames:
            raise _refuse(
                _(
                    "The workbook has no “%(gap)s” and “%(about)s” sheets: upload the gap analysis "
                    "exported here.",
                    gap=GAP_SHEET,
                    about=ABOUT_SHEET,
                )
            )
        standard = project.standard
        rules.check_about(_about(workbook), project.id, standard.code, standard.version)
        header, rows = _sheet_rows(workbook[GAP_SHEET])
        rules.check_headers(header)
    except FileRefused as refused:
        raise _refuse(refused.message) from refused
    finally:
        workbook.close()
    return rules.plan(
        rows,
        saved_verdicts(project),
        key=signing_key(),
        project_id=project.id,
        not_applicable_rule=standard.not_applicable_rule,
        today=today,
    )


def saved_verdicts(project: CertificationProject) -> dict[str, Saved]:
    """Every requirement's verdict as saved now, by clause number (one query)."""
    return {
        found.clause.number: Saved(
            version=found.assessment.version,
            status=found.assessment.status,
            owner=found.assessment.owner or "",
            due_date=found.assessment.due_date,
            notes=found.assessment.notes or "",
            justification=found.assessment.justification or "",
            may_be_not_applicable=found.clause.may_be_not_applicable,
        )
        for found in assessments.requirements(project)
    }


@dataclass(frozen=True)
class Applied:
    changed: int
    refused: int


def apply(project: CertificationProject, data: bytes, digest: str, today: date) -> Applied:
    """Apply the accepted rows, all in the caller's one transaction, if the outcome is still the one the
    user confirmed (``digest``); else Conflict, nothing changed. The caller commits."""
    plan = read_plan(project, data, today)
    if plan.digest() != digest:
        raise Conflict(
            _(
                "The gap analysis changed since the preview (someone saved a verdict): check the new "
                "preview, then confirm again."
            )
        )
    by_number = {found.clause.number: found for found in assessments.requirements(project)}
    for change in plan.changes:
        errors = assessments.update_requirement(
            project, by_number[change.clause], version=change.version, **change.verdict
        )
        if errors:  # judged by the same rules a moment ago; kept as a guard
            raise Invalid(
                _(
                    "Row %(row)s (%(clause)s): %(error)s",
                    row=change.row,
                    clause=change.clause,
                    error=next(iter(errors.values())),
                )
            )
    return Applied(len(plan.changes), len(plan.refused))


# The uploaded file between the preview and the confirmation


def _folder() -> Path:
    configured = current_app.config.get("GAP_IMPORT_DIR")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "gap-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(project: CertificationProject, user_id: int, token: str) -> Path:
    return _folder() / f"gap-{project.id}-{user_id}-{token}.xlsx"


def stash(project: CertificationProject, user_id: int, data: bytes) -> str:
    """Keep the upload for its confirmation; returns its token. Uploads left unconfirmed are removed."""
    _remove_stale()
    token = secrets.token_hex(16)
    _path(project, user_id, token).write_bytes(data)
    return token


def stashed(project: CertificationProject, user_id: int, token: str) -> bytes:
    """The upload kept for this user and project under ``token`` (NotFound for anyone else's)."""
    path = _path(project, user_id, token) if _TOKEN.fullmatch(token or "") else None
    if path is None or not path.is_file():
        raise NotFound(
            _("The uploaded file is no longer here (it was applied or has expired): upload it again.")
        )
    return path.read_bytes()


def discard(project: CertificationProject, user_id: int, token: str) -> None:
    if _TOKEN.fullmatch(token or ""):
        _path(project, user_id, token).unlink(missing_ok=True)


def _remove_stale() -> None:
    cutoff = time.time() - PENDING_HOURS * 3600
    for path in _folder().glob("gap-*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
