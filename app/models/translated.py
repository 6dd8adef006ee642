"""Text the app ships as content and translates for the reader: the standards' clause titles and our
summaries of them (issue 17). Stored in English, as the catalogs give them; read back as ``LazyText``, whose
value stays English (comparisons, sorting, JSON, the API) and which pages, PDFs and exports show in the
reader's language, from the same message catalogs as the app's own words (``make messages`` extracts the
catalogs' titles and summaries with app.domain.catalog_words)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.types import TypeDecorator

from app.domain.text import LazyText


class TranslatedString(TypeDecorator[str]):
    impl = String
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else LazyText(value)


class TranslatedText(TypeDecorator[str]):
    impl = Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else LazyText(value)
