"""Every page of the demo in each language (issue 17): none of the app's own words is left in English.

Each page is read as a person reads it (its text between tags, and the attributes read aloud or shown on
hover); a piece of text that is exactly one of the app's English sentences, which the language's catalog
translates otherwise, is English left on a page that should not have any. Data (names, notes, what people
typed) is not the app's words and is not checked; nor is what the app itself saved as data in the language
of the person who made it (the default task titles of a project, say)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import String, Text, select

from app.domain.languages import DEFAULT, LANGUAGES
from app.extensions import db
from app.models import Base, CertificationProject
from app.services import demo
from tests.conftest import demo_built
from tests.i18n_marks import ROOT
from tests.querycount import count_queries

TODAY = date(2026, 6, 15)
TRANSLATED = [code for code in LANGUAGES if code != DEFAULT]
FILES = re.compile(r"\.(pdf|csv|xlsx|zip|ics)$|/export$")
# Pages for someone not logged in, and a page that only redirects.
NOT_WALKED = {
    "/",
    "/login",
    "/signup",
    "/password/forgot",
    "/check-email",
    "/verify",
    "/account/new-password",
}
# Words the app saves as data, in the language of whoever made them: a new project's default tasks, the
# starter roles and topics, suggested document titles. They are shown as saved.
SAVED_AS_DATA = (
    "app/domain/checklists.py",
    "app/domain/training_starters.py",
    "app/domain/document_suggestions.py",
)
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
BRAND = "Readiness"  # the product's name, also a word the charts translate (the readiness measure)


@cache
def english_left_behind(code: str) -> frozenset[str]:
    """The English sentences (one line, no markup) that ``code`` translates into other words."""
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=code)
    found = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or not message.string or "%" in message.id:
            continue
        if "<" in message.id or message.string == message.id:
            continue
        if all(place.startswith(SAVED_AS_DATA) for place, _line in message.locations):
            continue
        found.add(message.id)
    return frozenset(found)


class _Shown(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.texts += [" ".join(value.split()) for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def shown_texts(html: str) -> list[str]:
    parser = _Shown()
    parser.feed(html)
    return parser.texts


def pages(app: Flask, project_ids: list[int]) -> list[str]:
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
        and set(rule.arguments) <= {"project_id"}
        and not rule.rule.startswith(("/api", "/static"))
        and not FILES.search(rule.rule)
        and rule.rule not in NOT_WALKED
    ]
    urls = set()
    for rule in rules:
        if "project_id" in rule.arguments:
            urls.update(rule.rule.replace("<int:project_id>", str(pid)) for pid in project_ids)
        else:
            urls.add(rule.rule)
    return sorted(urls)


@pytest.fixture(scope="module")
def demo_app(database: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with demo_built(database, tmp_path_factory.mktemp("demo-evidence"), TODAY) as app:
        yield app


@pytest.fixture(scope="module")
def data_texts(demo_app: Flask) -> frozenset[str]:
    """Every text the demo holds as data (names, titles, notes, the catalog's clause titles, codes): shown as
    saved, whatever the reader's language."""
    found: set[str] = set()
    for table in Base.metadata.sorted_tables:
        for column in table.c:
            if isinstance(column.type, String | Text):
                found.update(
                    " ".join(str(value).split())
                    for value in db.session.execute(select(column).distinct()).scalars()
                    if value
                )
    return frozenset(found)


@pytest.fixture(scope="module")
def walk(demo_app: Flask) -> list[str]:
    projects = db.session.execute(select(CertificationProject).order_by(CertificationProject.id)).scalars()
    first_of_each = {}
    for project in projects:
        first_of_each.setdefault(project.standard_id, project.id)
    return pages(demo_app, list(first_of_each.values()))


def logged_in(app: Flask, code: str) -> FlaskClient:
    http = app.test_client()
    response = http.post("/login", data={"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    assert http.post("/language", data={"locale": code, "next": "/clients"}).status_code == 303
    return http


@pytest.fixture(scope="module")
def english_queries(demo_app: Flask, walk: list[str]) -> dict[str, int]:
    """Each page's number of queries in English (the walk done twice, so caches filled on a first visit
    count for neither language)."""
    http = logged_in(demo_app, DEFAULT)
    counts = {}
    for _visit in range(2):
        for url in walk:
            with count_queries() as queries:
                assert http.get(url).status_code == 200, url
            counts[url] = len(queries)
    return counts


def test_the_walk_covers_the_main_pages(walk: list[str]) -> None:
    for page in ("/portfolio", "/clients", "/account", "/members", "/activity"):
        assert page in walk
    for page in (
        "",
        "/gap-analysis",
        "/evidence",
        "/budget",
        "/documents",
        "/training-matrix",
        "/audits",
        "/risks",
    ):
        assert any(re.fullmatch(rf"/projects/\d+{page}", url) for url in walk), page
    assert len(walk) > 100


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_page_speaks_the_readers_language(
    demo_app: Flask, walk: list[str], data_texts: frozenset[str], english_queries: dict[str, int], code: str
) -> None:
    """No English left on any page, and no page asks the database more than it does in English."""
    http = logged_in(demo_app, code)
    english = english_left_behind(code) - data_texts - {BRAND}
    left: dict[str, list[str]] = {}
    more_queries = {}
    for url in walk:
        with count_queries() as queries:
            response = http.get(url)
        assert response.status_code == 200, url
        if len(queries) != english_queries[url]:
            more_queries[url] = (english_queries[url], len(queries))
        assert f'<html lang="{code.replace("_", "-")}"' in response.text, url
        found = sorted({text for text in shown_texts(response.text) if text in english})
        if found:
            left[url] = found
    assert left == {}, f"English left on {len(left)} pages: {list(left.items())[:5]}"
    assert more_queries == {}, f"queries (English, {code}) differ: {more_queries}"


def test_the_check_sees_english_left_on_a_page() -> None:
    english = english_left_behind("vi")
    sentence = next(iter(sorted(english)))
    page = f"<main><h1>Tiêu đề</h1><p title='{sentence}'>x</p><button>{sentence}</button></main>"
    assert [text for text in shown_texts(page) if text in english] == [sentence, sentence]
