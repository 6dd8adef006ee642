"""The translations (issue 17): complete, never fuzzy, faithful to placeholders and markup, and in the words
of each country's adoption of the ISO 9000 vocabulary (translations/glossary.yaml)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.domain.languages import DEFAULT, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
GLOSSARY = yaml.safe_load((TRANSLATIONS / "glossary.yaml").read_text(encoding="utf-8"))
TRANSLATED = [code for code in LANGUAGES if code != DEFAULT]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sd]")
TAG = re.compile(r"</?[a-z][a-z0-9]*")


@cache
def catalog(code: str) -> Catalog:
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=code)


def entries(code: str) -> list[Message]:
    return [message for message in catalog(code) if message.id]


def english(message: Message) -> str:
    """The English a translation answers: the plural form where there is one (every language here has one
    form, which stands for any count)."""
    return message.id[1] if isinstance(message.id, tuple) else message.id


def translation(message: Message) -> str:
    return message.string[0] if isinstance(message.string, tuple) else message.string


@cache
def extracted() -> frozenset[str]:
    """The msgids the app's code and templates mark today, as `make messages` extracts them."""
    method_map = [
        ("app/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
        ("app/standards/*.yaml", "app.domain.catalog_words.extract"),
    ]
    options = {"templates/**.html": {"trimmed": "true"}, "templates/**.txt": {"trimmed": "true"}}
    keywords = {
        "_": None,
        "_l": None,
        "gettext": None,
        "ngettext": (1, 2),
        "lazy_gettext": None,
        "_lp": ((1, "c"), 2),
    }
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map=options, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return frozenset(found)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_string_is_translated_and_none_is_fuzzy(code: str) -> None:
    ids = {
        message.id[0] if isinstance(message.id, tuple) else message.id: message for message in entries(code)
    }
    missing = sorted(extracted() - ids.keys())
    untranslated = sorted(english(m) for m in ids.values() if not translation(m))
    fuzzy = sorted(english(m) for m in ids.values() if m.fuzzy)
    assert missing == [], f"not in translations/{code} (run make messages): {missing[:10]}"
    assert untranslated == [], f"{len(untranslated)} untranslated in {code}: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {code}: {fuzzy[:10]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder_and_tag(code: str) -> None:
    wrong = [
        (english(m), translation(m))
        for m in entries(code)
        if translation(m)
        and (
            sorted(set(PLACEHOLDER.findall(english(m)))) != sorted(set(PLACEHOLDER.findall(translation(m))))
            or sorted(TAG.findall(english(m))) != sorted(TAG.findall(translation(m)))
        )
    ]
    assert wrong == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_use_the_national_standards_words(code: str) -> None:
    astray = [
        (term["en"], english(m), translation(m))
        for m in entries(code)
        if translation(m)
        for term in GLOSSARY["terms"]
        if term["en"] in english(m).lower() and term[code].lower() not in translation(m).lower()
    ]
    assert astray == [], f"{len(astray)} translations in {code} leave the glossary: {astray[:5]}"


def test_the_glossary_names_each_language_and_its_standard() -> None:
    assert set(GLOSSARY["standards"]) == set(TRANSLATED)
    for term in GLOSSARY["terms"]:
        assert set(term) == {"en", *TRANSLATED}, term["en"]
        assert all(term[code].strip() for code in TRANSLATED), term["en"]


def test_the_glossary_check_catches_a_translation_that_strays() -> None:
    term = next(t for t in GLOSSARY["terms"] if t["en"] == "corrective action")
    message = Message("Open corrective actions", "Hành động sửa sai đang mở")
    assert term["en"] in english(message).lower()
    assert term["vi"] not in translation(message).lower()
