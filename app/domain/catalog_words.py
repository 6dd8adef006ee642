"""The standards catalogs' words for translators: each clause's title and our summary of it, extracted by
``pybabel extract`` (babel.cfg names this function for ``app/standards/*.yaml``) into the same message
catalogs as the app's own words. Clause numbers are never translated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

from app.domain.catalog import parse_catalog


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    catalog = parse_catalog(yaml.safe_load(fileobj.read().decode("utf-8")))
    for clause in catalog.clauses:
        yield 0, None, clause.title, [f"{catalog.code} {clause.number}: the clause's title"]
        if clause.summary:
            yield 0, None, clause.summary, [f"{catalog.code} {clause.number}: what the clause asks"]
