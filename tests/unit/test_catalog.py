"""The bundled standards catalogs and the rules of app.domain.catalog (no app, no database)."""

from __future__ import annotations

import copy
import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.domain.catalog import (
    STAGE_KEYS,
    STANDARDS_DIR,
    Catalog,
    CatalogError,
    bundled_catalogs,
    clause_sort_key,
    load_catalog,
    not_applicable_allowed,
    parse_catalog,
)


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {catalog.code: catalog for catalog in bundled_catalogs()}


@pytest.fixture(scope="module")
def iso9001(catalogs: dict[str, Catalog]) -> Catalog:
    return catalogs["iso9001"]


@pytest.fixture(scope="module")
def iso13485(catalogs: dict[str, Catalog]) -> Catalog:
    return catalogs["iso13485"]


def numbers(clauses: Any) -> list[str]:
    return [clause.number for clause in clauses]


# ---------------------------------------------------------------- bundled catalogs


def test_bundled_catalogs_hold_every_source_entry(catalogs: dict[str, Catalog]) -> None:
    assert sorted(catalogs) == ["iso13485", "iso9001"]
    assert len(catalogs["iso9001"].clauses) == 94
    assert len(catalogs["iso13485"].clauses) == 91


def test_catalog_identity(iso9001: Catalog, iso13485: Catalog) -> None:
    assert (iso9001.name, iso9001.version, iso9001.not_applicable_rule) == (
        "ISO 9001:2015",
        "2015+A1:2024",
        "scope",
    )
    assert (iso13485.name, iso13485.version, iso13485.not_applicable_rule) == (
        "ISO 13485:2016",
        "2016",
        "clauses_6_7_8",
    )
    assert iso9001.not_applicable_note and iso13485.not_applicable_note


def test_clauses_are_in_document_order(iso9001: Catalog, iso13485: Catalog) -> None:
    for catalog in (iso9001, iso13485):
        assert numbers(catalog.clauses) == sorted(numbers(catalog.clauses), key=clause_sort_key)


def test_sections(iso9001: Catalog, iso13485: Catalog) -> None:
    assert iso9001.sections == ("4", "5", "6", "7", "8", "9", "10")
    assert iso13485.sections == ("4", "5", "6", "7", "8")


def test_leaves_are_the_assessable_requirements(iso9001: Catalog, iso13485: Catalog) -> None:
    assert len(iso9001.leaves) == 65
    assert len(iso13485.leaves) == 72
    leaves_9001 = numbers(iso9001.leaves)
    assert leaves_9001[:3] == ["4.1", "4.2", "4.3"]
    assert leaves_9001[-1] == "10.3"
    assert {"4.4.1", "4.4.2", "7.1.5.1", "7.1.5.2", "10.2.2"} <= set(leaves_9001)
    # Parents and the informative clauses 1-3 are not assessed.
    assert not {"1", "2", "3", "4", "4.4", "7.1.5", "8.3"} & set(leaves_9001)
    assert {"4.1.1", "4.1.6", "7.3.10", "7.5.9.2", "8.5.3"} <= set(numbers(iso13485.leaves))
    assert not {"4.1", "7.3"} & set(numbers(iso13485.leaves))


def test_every_leaf_belongs_to_a_section(iso9001: Catalog, iso13485: Catalog) -> None:
    for catalog in (iso9001, iso13485):
        assert {catalog.section_of(leaf.number) for leaf in catalog.leaves} == set(catalog.sections)


def test_deep_clause_7_1_5_1(iso9001: Catalog) -> None:
    clause = iso9001.get("7.1.5.1")
    assert clause is not None
    assert (clause.title, clause.level, clause.parent) == ("General", 4, "7.1.5")
    assert clause.documented_information == "retain"
    assert iso9001.section_of("7.1.5.1") == "7"


def test_untitled_paragraph_uses_its_label_as_title(iso9001: Catalog) -> None:
    clause = iso9001.get("4.4.2")
    assert clause is not None
    assert clause.label == "Process approach — documented information"
    assert clause.title == clause.label
    assert clause.title_is_label
    titled = iso9001.get("4.1")
    assert titled is not None and titled.label is None and not titled.title_is_label
    assert titled.title == "Understanding the organization and its context"


@pytest.mark.parametrize("number", ["4.4.1", "6.1.1", "7.5.3.1", "8.2.3.1", "8.7.1", "9.2.1", "10.2.1"])
def test_untitled_iso9001_paragraphs_are_flagged_as_labels(iso9001: Catalog, number: str) -> None:
    clause = iso9001.get(number)
    assert clause is not None and clause.title_is_label and clause.title == clause.label


def test_titled_clauses_are_not_flagged(iso9001: Catalog, iso13485: Catalog) -> None:
    for number in ("7.1.5.1", "8.2.4", "9.1.1", "10.2"):
        clause = iso9001.get(number)
        assert clause is not None and not clause.title_is_label, number
    assert [c.number for c in iso13485.clauses if c.title_is_label] == [f"4.1.{n}" for n in range(1, 7)]


def test_iso13485_4_1_is_split_into_its_six_paragraphs(iso13485: Catalog) -> None:
    children = [c for c in iso13485.clauses if c.parent == "4.1"]
    assert numbers(children) == ["4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.1.5", "4.1.6"]
    assert all(c.requirement and c.level == 3 and c.label and c.summary for c in children)
    parent = iso13485.get("4.1")
    assert parent is not None and parent.documented_information == "none" and not parent.documented_procedure
    kinds = {c.number: (c.documented_information, c.documented_procedure) for c in children}
    assert kinds["4.1.1"] == ("maintain", False)  # the QMS and the regulatory roles, documented
    assert kinds["4.1.5"] == ("maintain", False)  # written quality agreements
    assert kinds["4.1.6"] == ("both", True)  # a validation procedure and its records
    assert "role(s) your organization plays" in children[0].summary
    assert "outsource" in children[4].summary
    assert "software" in children[5].title.lower() and "records" in children[5].summary


def test_get_and_section_of_unknown_number(iso9001: Catalog) -> None:
    assert iso9001.get("11.1") is None
    with pytest.raises(KeyError):
        iso9001.section_of("11.1")


def test_informative_clauses_are_not_requirements(iso9001: Catalog, iso13485: Catalog) -> None:
    assert [c.number for c in iso9001.clauses if not c.requirement] == ["1", "2", "3"]
    assert all(c.requirement for c in iso13485.clauses)


def test_documented_information_mapping(iso9001: Catalog, iso13485: Catalog) -> None:
    expected = {"4.4.2": "both", "8.1": "both", "4.3": "maintain", "7.2": "retain", "4.1": "none"}
    for number, kind in expected.items():
        clause = iso9001.get(number)
        assert clause is not None and clause.documented_information == kind, number
    clause_13485 = iso13485.get("4.1.6")
    assert clause_13485 is not None and clause_13485.documented_information == "both"


def test_mandatory_documents_and_records_iso9001(iso9001: Catalog) -> None:
    assert numbers(iso9001.mandatory_documents) == ["4.3", "4.4.2", "5.2.2", "6.2.1", "8.1", "8.5.1"]
    assert numbers(iso9001.mandatory_records) == [
        "4.4.2", "7.1.5.1", "7.1.5.2", "7.2", "8.1", "8.2.3.2", "8.3.2", "8.3.3", "8.3.4", "8.3.5",
        "8.3.6", "8.4.1", "8.5.2", "8.5.3", "8.5.6", "8.6", "8.7.2", "9.1.1", "9.2.2", "9.3.3", "10.2.2",
    ]  # fmt: skip


def test_iso9001_8_2_4_amends_existing_documents(iso9001: Catalog) -> None:
    clause = iso9001.get("8.2.4")
    assert clause is not None and not clause.needs_document and not clause.needs_record
    assert clause.di_note is not None and "amended" in clause.di_note


def test_iso9001_8_5_2_identification_is_never_excludable(iso9001: Catalog) -> None:
    clause = iso9001.get("8.5.2")
    assert clause is not None and not clause.may_be_not_applicable
    assert not not_applicable_allowed(iso9001, "8.5.2")
    assert clause.di_note is not None and "only where traceability is a requirement" in clause.di_note


def test_mandatory_documents_and_records_iso13485(iso13485: Catalog) -> None:
    documents = numbers(iso13485.mandatory_documents)
    records = numbers(iso13485.mandatory_records)
    assert {"4.1.1", "4.1.5", "4.1.6", "4.2.2", "4.2.3", "5.6.1"} <= set(documents)
    assert "4.1.6" in records and "4.1" not in documents
    assert "5.6.3" not in documents and "5.6.3" in records
    assert "5.6.1" in records


def test_stage_hints_are_app_stage_keys(iso9001: Catalog, iso13485: Catalog) -> None:
    for catalog in (iso9001, iso13485):
        assert {clause.stage_hint for clause in catalog.clauses} <= set(STAGE_KEYS)
    # The source's "implementation" stage is folded into documentation.
    clause = iso9001.get("6.3")
    assert clause is not None and clause.stage_hint == "documentation"
    clause = iso9001.get("7.2")
    assert clause is not None and clause.stage_hint == "training"


def test_evidence_and_notes(iso9001: Catalog) -> None:
    context = iso9001.get("4.1")
    assert context is not None
    assert "climate-change relevance statement" in context.evidence
    assert context.notes is not None and "Amd 1:2024" in context.notes
    scope = iso9001.get("1")
    assert scope is not None and scope.evidence == () and scope.notes is None


def test_iso9001_amendment_is_kept(iso9001: Catalog, iso13485: Catalog) -> None:
    assert [a.id for a in iso9001.amendments] == ["ISO 9001:2015/Amd 1:2024"]
    assert iso9001.amendments[0].affects == ("4.1", "4.2")
    assert iso13485.amendments == ()


def test_documented_procedure_only_in_iso13485(iso9001: Catalog, iso13485: Catalog) -> None:
    assert not any(clause.documented_procedure for clause in iso9001.clauses)
    flagged = {clause.number for clause in iso13485.clauses if clause.documented_procedure}
    assert len(flagged) == 28
    assert {"4.1.6", "4.2.4", "4.2.5", "8.2.2", "8.5.3"} <= flagged and not {"4.1", "4.2.3"} & flagged


# ---------------------------------------------------------------- not applicable


@pytest.mark.parametrize(
    ("number", "allowed"),
    [("8.3", True), ("8.3.4", True), ("7.1.5.2", True), ("8.5.3", True),
     ("8.2.1", False), ("8.5.2", False), ("4.3", False), ("7.1.5.1", False), ("1", False), ("99.9", False)],
)  # fmt: skip
def test_not_applicable_iso9001(iso9001: Catalog, number: str, allowed: bool) -> None:
    assert not_applicable_allowed(iso9001, number) is allowed


@pytest.mark.parametrize(
    ("number", "allowed"),
    [("7.3", True), ("7.3.10", True), ("6.4.1", True), ("7.5.9.2", True),
     ("4.2.3", False), ("5.6.1", False), ("7.5.9.1", False), ("8.2.2", False)],
)  # fmt: skip
def test_not_applicable_iso13485(iso13485: Catalog, number: str, allowed: bool) -> None:
    assert not_applicable_allowed(iso13485, number) is allowed


def test_iso13485_flags_lie_in_clauses_6_7_8(iso13485: Catalog) -> None:
    flagged = [c.number for c in iso13485.clauses if c.may_be_not_applicable]
    assert len(flagged) == 20
    assert {iso13485.section_of(number) for number in flagged} <= {"6", "7", "8"}


def test_clauses_6_7_8_rule_refuses_a_flag_elsewhere() -> None:
    # Built directly, bypassing parse_catalog's check, to pin the rule itself.
    catalog = parse_catalog(minimal_mapping())
    flagged = dataclasses.replace(catalog.clauses[3], may_be_not_applicable=True)
    clauses = (*catalog.clauses[:3], flagged)
    assert flagged.number == "4.1.1"
    by_scope = dataclasses.replace(catalog, clauses=clauses, not_applicable_rule="scope")
    by_clauses = dataclasses.replace(catalog, clauses=clauses, not_applicable_rule="clauses_6_7_8")
    assert not_applicable_allowed(by_scope, "4.1.1") is True
    assert not_applicable_allowed(by_clauses, "4.1.1") is False


# ---------------------------------------------------------------- sort key


def test_clause_sort_key_orders_numerically() -> None:
    shuffled = ["10.2", "7.1.6", "9.3", "7.1.5.1", "4", "7.1.5", "10.1", "7.10", "7.2"]
    assert sorted(shuffled, key=clause_sort_key) == [
        "4", "7.1.5", "7.1.5.1", "7.1.6", "7.2", "7.10", "9.3", "10.1", "10.2",
    ]  # fmt: skip
    assert clause_sort_key("7.1.5.1") == (7, 1, 5, 1)


# ---------------------------------------------------------------- validation


def clause(number: str, parent: str | None, level: int, **extra: Any) -> dict[str, Any]:
    return {
        "number": number,
        "parent": parent,
        "level": level,
        "title": f"Clause {number}",
        "summary": "Something to do.",
        "documented_information": "none",
        "stage_hint": "gap_analysis",
        **extra,
    }


def minimal_mapping() -> dict[str, Any]:
    return {
        "code": "demo",
        "name": "DEMO 1:2020",
        "version": "2020",
        "title": "A demonstration standard",
        "not_applicable_rule": "scope",
        "not_applicable_note": "Only where the scope allows.",
        "sections": ["4"],
        "clauses": [
            clause("1", None, 1, requirement=False),
            clause("4", None, 1),
            clause("4.1", "4", 2),
            clause("4.1.1", "4.1", 3, documented_information="both", evidence=["a form"]),
        ],
    }


def test_minimal_mapping_parses() -> None:
    catalog = parse_catalog(minimal_mapping())
    assert numbers(catalog.leaves) == ["4.1.1"]
    assert numbers(catalog.mandatory_documents) == ["4.1.1"]
    assert catalog.clauses[3].evidence == ("a form",)


def _set_clause(index: int, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        data["clauses"][index].update(changes)

    return mutate


def _duplicate(data: dict[str, Any]) -> None:
    data["clauses"].append(copy.deepcopy(data["clauses"][2]))


def _child_before_parent(data: dict[str, Any]) -> None:
    data["clauses"][2], data["clauses"][3] = data["clauses"][3], data["clauses"][2]


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        del data[key]

    return mutate


def _add_amendment(affects: list[str]) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        amendment = {"id": "A1", "name": "Climate", "published": "2024-02-23", "summary": "s"}
        data["amendments"] = [{**amendment, "affects": affects}]

    return mutate


INVALID = [
    (_duplicate, "clause 4.1: duplicate number"),
    (_set_clause(3, number="4.2.1", parent="4.2"), "clause 4.2.1: parent 4.2 is not defined before it"),
    (_child_before_parent, "clause 4.1.1: parent 4.1 is not defined before it"),
    (_set_clause(2, parent="1"), "clause 4.1: parent is '1', expected '4'"),
    (_set_clause(3, level=4), "clause 4.1.1: level is 4, expected 3"),
    (_set_clause(2, documented_information="maintain_and_retain"), "clause 4.1: documented_information"),
    (_set_clause(2, stage_hint="implementation"), "clause 4.1: stage_hint 'implementation'"),
    (_set_clause(2, may_be_not_applicable="yes"), "clause 4.1: 'may_be_not_applicable' must be"),
    (_set_clause(0, may_be_not_applicable=True), "clause 1: only a requirement may be flagged"),
    (_set_clause(2, number="4.x"), "clause #3: number '4.x'"),
    (_set_clause(2, title=None), "clause 4.1: 'title' must be a non-empty string"),
    (_set_clause(2, label="Our words"), "clause 4.1: an untitled paragraph's title must repeat its label"),
    (_set_clause(2, evidence="a form"), "clause 4.1: 'evidence' must be a list"),
    (_set_clause(2, stage="training"), "clause 4.1: unknown fields ['stage']"),
    (lambda data: data.update(not_applicable_rule="anything"), "demo: not_applicable_rule 'anything'"),
    (lambda data: data.update(sections=["4", "5"]), "sections ['4', '5'] do not match"),
    (lambda data: data.update(clauses=[]), "'clauses' must be a non-empty list"),
    (_drop("version"), "demo: 'version' must be a non-empty string"),
    (_add_amendment(affects=["9"]), "amendment A1: unknown clauses ['9']"),
]


@pytest.mark.parametrize(("mutate", "message"), INVALID)
def test_invalid_mapping_is_refused(mutate: Callable[[dict[str, Any]], None], message: str) -> None:
    data = minimal_mapping()
    mutate(data)
    with pytest.raises(CatalogError) as excinfo:
        parse_catalog(data)
    assert message in str(excinfo.value)


def test_clauses_6_7_8_catalog_refuses_a_flag_outside_them() -> None:
    data = minimal_mapping()
    data["not_applicable_rule"] = "clauses_6_7_8"
    data["clauses"][3]["may_be_not_applicable"] = True
    with pytest.raises(
        CatalogError, match=r"clause 4\.1\.1: may_be_not_applicable outside clauses 6, 7 and 8"
    ):
        parse_catalog(data)


def test_catalog_error_is_a_value_error() -> None:
    assert issubclass(CatalogError, ValueError)


# ---------------------------------------------------------------- files


def test_load_catalog_names_the_file_in_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken\.yaml: not valid YAML"):
        load_catalog(broken)
    listed = tmp_path / "listed.yaml"
    listed.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"listed\.yaml: expected a mapping"):
        load_catalog(listed)


def test_load_catalog_reads_a_bundled_file(iso9001: Catalog) -> None:
    assert load_catalog(STANDARDS_DIR / "iso9001_2015.yaml") == iso9001


def test_bundled_catalogs_refuse_the_same_version_twice(tmp_path: Path) -> None:
    shutil.copy(STANDARDS_DIR / "iso9001_2015.yaml", tmp_path / "a.yaml")
    shutil.copy(STANDARDS_DIR / "iso9001_2015.yaml", tmp_path / "b.yaml")
    with pytest.raises(CatalogError, match=r"iso9001 version 2015\+A1:2024 is bundled twice"):
        bundled_catalogs(tmp_path)
