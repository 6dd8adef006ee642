"""Standards catalogs: the clause tree of ISO 9001 / ISO 13485 as plain, validated values.

The catalogs live as YAML in ``app/standards/``. This module parses and checks them; it knows
nothing of Flask or the database (the ``load-standards`` command copies them into tables).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

# libyaml's C loader is several times faster where it is installed; both are safe loaders.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STANDARDS_DIR = Path(__file__).resolve().parent.parent / "standards"

STAGE_KEYS: tuple[str, ...] = (
    "gap_analysis",
    "documentation",
    "training",
    "internal_audit",
    "management_review",
    "external_audit",
)
DOCUMENTED_INFORMATION: tuple[str, ...] = ("none", "maintain", "retain", "both")
NOT_APPLICABLE_RULES: tuple[str, ...] = ("scope", "clauses_6_7_8")
# ISO 13485's own scope clause limits non-application to requirements in clauses 6, 7 and 8.
ISO13485_NOT_APPLICABLE_SECTIONS = frozenset({"6", "7", "8"})

_NUMBER = re.compile(r"\d+(\.\d+)*")
_CLAUSE_KEYS = frozenset(
    {
        "number", "parent", "level", "title", "label", "requirement", "summary",
        "documented_information", "di_note", "stage_hint", "evidence",
        "may_be_not_applicable", "documented_procedure", "notes", "iso9001_map",
    }
)  # fmt: skip
_CATALOG_KEYS = frozenset(
    {
        "code", "name", "version", "title", "not_applicable_rule", "not_applicable_note",
        "sections", "amendments", "clauses",
    }
)  # fmt: skip


class CatalogError(ValueError):
    """A catalog file or mapping that breaks the schema; the message names the clause."""


@dataclass(frozen=True)
class ClauseSpec:
    number: str
    parent: str | None
    level: int
    title: str
    label: str | None
    requirement: bool
    summary: str
    documented_information: str
    di_note: str | None
    stage_hint: str
    evidence: tuple[str, ...] = ()
    may_be_not_applicable: bool = False
    documented_procedure: bool = False
    notes: str | None = None
    iso9001_map: tuple[str, ...] = ()

    @property
    def title_is_label(self) -> bool:
        """The standard gives this paragraph no title: ``title`` is the app's own label, shown as such."""
        return self.label is not None

    @property
    def needs_document(self) -> bool:
        """A controlled document must be maintained."""
        return self.documented_information in ("maintain", "both")

    @property
    def needs_record(self) -> bool:
        """A record must be retained."""
        return self.documented_information in ("retain", "both")


@dataclass(frozen=True)
class Amendment:
    id: str
    name: str
    published: str
    affects: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class Catalog:
    code: str
    name: str
    version: str
    title: str
    not_applicable_rule: str
    not_applicable_note: str
    sections: tuple[str, ...]
    clauses: tuple[ClauseSpec, ...]
    amendments: tuple[Amendment, ...] = ()

    @cached_property
    def _by_number(self) -> dict[str, ClauseSpec]:
        return {clause.number: clause for clause in self.clauses}

    @cached_property
    def leaves(self) -> tuple[ClauseSpec, ...]:
        """The assessable requirements: requirement clauses with no children, in document order."""
        parents = {clause.parent for clause in self.clauses}
        return tuple(c for c in self.clauses if c.requirement and c.number not in parents)

    @property
    def mandatory_documents(self) -> tuple[ClauseSpec, ...]:
        return tuple(c for c in self.clauses if c.requirement and c.needs_document)

    @property
    def mandatory_records(self) -> tuple[ClauseSpec, ...]:
        return tuple(c for c in self.clauses if c.requirement and c.needs_record)

    def get(self, number: str) -> ClauseSpec | None:
        return self._by_number.get(number)

    def section_of(self, number: str) -> str:
        """The top-level clause ("7") that contains ``number`` ("7.1.5.1"); KeyError if unknown."""
        clause = self._by_number[number]
        while clause.parent is not None:
            clause = self._by_number[clause.parent]
        return clause.number


def clause_sort_key(number: str) -> tuple[int, ...]:
    """Numeric order: 9.3 < 10.2, 7.1.5 < 7.1.5.1 < 7.1.6."""
    return tuple(int(part) for part in number.split("."))


def not_applicable_allowed(catalog: Catalog, number: str) -> bool:
    """Whether the clause may be declared not applicable; False for an unknown number."""
    clause = catalog.get(number)
    if clause is None or not clause.requirement or not clause.may_be_not_applicable:
        return False
    if catalog.not_applicable_rule == "clauses_6_7_8":
        return catalog.section_of(number) in ISO13485_NOT_APPLICABLE_SECTIONS
    return True


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 (safe)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, Mapping):
        raise CatalogError(f"{path}: expected a mapping at the top level")
    try:
        return parse_catalog(data)
    except CatalogError as exc:
        raise CatalogError(f"{path}: {exc}") from exc


def bundled_catalogs(directory: str | os.PathLike[str] = STANDARDS_DIR) -> list[Catalog]:
    """Every ``*.yaml`` catalog shipped with the app, sorted by file name (parsed once per directory)."""
    return list(_bundled(str(directory)))


@functools.cache
def _bundled(directory: str) -> tuple[Catalog, ...]:
    # Catalogs are frozen dataclasses, so one parse can serve every caller of the process.
    catalogs = [load_catalog(path) for path in sorted(Path(directory).glob("*.yaml"))]
    seen: set[tuple[str, str]] = set()
    for catalog in catalogs:
        key = (catalog.code, catalog.version)
        if key in seen:
            raise CatalogError(f"{catalog.code} version {catalog.version} is bundled twice")
        seen.add(key)
    return tuple(catalogs)


def parse_catalog(data: Mapping[str, object]) -> Catalog:
    """Build a Catalog from a decoded YAML mapping, or raise CatalogError saying what is wrong."""
    _reject_unknown_keys(data, _CATALOG_KEYS, "catalog")
    code = _text(data, "code", "catalog")
    rule = _choice(data, "not_applicable_rule", NOT_APPLICABLE_RULES, code)
    raw_clauses = data.get("clauses")
    if not isinstance(raw_clauses, list) or not raw_clauses:
        raise CatalogError(f"{code}: 'clauses' must be a non-empty list")
    clauses = tuple(_parse_clause(raw, code, index) for index, raw in enumerate(raw_clauses, start=1))
    _check_tree(code, clauses)
    catalog = Catalog(
        code=code,
        name=_text(data, "name", code),
        version=_text(data, "version", code),
        title=_text(data, "title", code),
        not_applicable_rule=rule,
        not_applicable_note=_text(data, "not_applicable_note", code),
        sections=_text_list(data, "sections", code),
        clauses=clauses,
        amendments=tuple(_parse_amendment(raw, code) for raw in _list(data, "amendments", code)),
    )
    _check_sections(catalog)
    _check_not_applicable(catalog)
    _check_amendments(catalog)
    return catalog


def _parse_clause(raw: object, code: str, index: int) -> ClauseSpec:
    where = f"{code} clause #{index}"
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{where}: expected a mapping")
    number = _text(raw, "number", where)
    if not _NUMBER.fullmatch(number):
        raise CatalogError(f"{where}: number {number!r} is not like '7.1.5'")
    where = f"{code} clause {number}"
    _reject_unknown_keys(raw, _CLAUSE_KEYS, where)
    level = raw.get("level")
    if not isinstance(level, int) or isinstance(level, bool):
        raise CatalogError(f"{where}: level must be an integer")
    title, label = _text(raw, "title", where), _optional_text(raw, "label", where)
    if label is not None and title != label:
        raise CatalogError(f"{where}: an untitled paragraph's title must repeat its label {label!r}")
    return ClauseSpec(
        number=number,
        parent=_optional_text(raw, "parent", where),
        level=level,
        title=title,
        label=label,
        requirement=_flag(raw, "requirement", where, default=True),
        summary=_text(raw, "summary", where),
        documented_information=_choice(raw, "documented_information", DOCUMENTED_INFORMATION, where),
        di_note=_optional_text(raw, "di_note", where),
        stage_hint=_choice(raw, "stage_hint", STAGE_KEYS, where),
        evidence=_text_list(raw, "evidence", where),
        may_be_not_applicable=_flag(raw, "may_be_not_applicable", where),
        documented_procedure=_flag(raw, "documented_procedure", where),
        notes=_optional_text(raw, "notes", where),
        iso9001_map=_text_list(raw, "iso9001_map", where),
    )


def _parse_amendment(raw: object, code: str) -> Amendment:
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{code}: each amendment must be a mapping")
    where = f"{code} amendment {raw.get('id')!r}"
    return Amendment(
        id=_text(raw, "id", where),
        name=_text(raw, "name", where),
        published=_text(raw, "published", where),
        affects=_text_list(raw, "affects", where),
        summary=_text(raw, "summary", where),
    )


def _check_tree(code: str, clauses: Sequence[ClauseSpec]) -> None:
    """Numbers unique; each parent defined earlier, one level up, and a prefix of the number."""
    seen: dict[str, ClauseSpec] = {}
    for clause in clauses:
        where = f"{code} clause {clause.number}"
        if clause.number in seen:
            raise CatalogError(f"{where}: duplicate number")
        expected_parent = clause.number.rpartition(".")[0] or None
        if clause.parent != expected_parent:
            raise CatalogError(f"{where}: parent is {clause.parent!r}, expected {expected_parent!r}")
        parent = seen.get(clause.parent) if clause.parent is not None else None
        if clause.parent is not None and parent is None:
            raise CatalogError(f"{where}: parent {clause.parent} is not defined before it")
        expected_level = 1 if parent is None else parent.level + 1
        if clause.level != expected_level:
            raise CatalogError(f"{where}: level is {clause.level}, expected {expected_level}")
        if parent is not None and parent.requirement != clause.requirement:
            raise CatalogError(f"{where}: 'requirement' differs from its parent {parent.number}")
        seen[clause.number] = clause


def _check_sections(catalog: Catalog) -> None:
    top_level = tuple(c.number for c in catalog.clauses if c.parent is None and c.requirement)
    if catalog.sections != top_level:
        raise CatalogError(
            f"{catalog.code}: sections {list(catalog.sections)} do not match the top-level "
            f"requirement clauses {list(top_level)}"
        )


def _check_not_applicable(catalog: Catalog) -> None:
    for clause in catalog.clauses:
        if not clause.may_be_not_applicable:
            continue
        where = f"{catalog.code} clause {clause.number}"
        if not clause.requirement:
            raise CatalogError(f"{where}: only a requirement may be flagged may_be_not_applicable")
        section = catalog.section_of(clause.number)
        if catalog.not_applicable_rule == "clauses_6_7_8" and section not in ISO13485_NOT_APPLICABLE_SECTIONS:
            raise CatalogError(f"{where}: may_be_not_applicable outside clauses 6, 7 and 8")


def _check_amendments(catalog: Catalog) -> None:
    for amendment in catalog.amendments:
        unknown = [number for number in amendment.affects if catalog.get(number) is None]
        if unknown:
            raise CatalogError(f"{catalog.code} amendment {amendment.id}: unknown clauses {unknown}")


def _reject_unknown_keys(raw: Mapping[str, object], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(str(key) for key in raw if key not in allowed)
    if unknown:
        raise CatalogError(f"{where}: unknown fields {unknown}")


def _text(raw: Mapping[str, object], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{where}: {key!r} must be a non-empty string")
    return value


def _optional_text(raw: Mapping[str, object], key: str, where: str) -> str | None:
    return None if raw.get(key) is None else _text(raw, key, where)


def _choice(raw: Mapping[str, object], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or value not in allowed:
        raise CatalogError(f"{where}: {key} {value!r} is not one of {', '.join(allowed)}")
    return value


def _flag(raw: Mapping[str, object], key: str, where: str, *, default: bool = False) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise CatalogError(f"{where}: {key!r} must be true or false")
    return value


def _list(raw: Mapping[str, object], key: str, where: str) -> list[object]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise CatalogError(f"{where}: {key!r} must be a list")
    return value


def _text_list(raw: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
    items = _list(raw, key, where)
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise CatalogError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(str(item) for item in items)
