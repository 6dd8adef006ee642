"""Reference lists used by forms and pages: countries and currencies (ISO 3166 / ISO 4217 via pycountry)."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    countries = ((c.alpha_2, getattr(c, "common_name", c.name)) for c in pycountry.countries)
    return tuple(sorted(countries, key=lambda pair: pair[1]))


@cache
def country_names() -> dict[str, str]:
    return dict(country_choices())


def country_name(code: str | None) -> str:
    return country_names().get(code or "", code or "")


@cache
def currency_choices() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((c.alpha_3, f"{c.alpha_3} — {c.name}") for c in pycountry.currencies))


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(code for code, _ in currency_choices())
