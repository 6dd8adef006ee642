"""Which language a page speaks, and how its dates count years (issue 17).

The app speaks English (the source) and the languages of the factories it serves. A person's own choice
wins; without one, the browser's ``Accept-Language`` picks the first language it ranks that the app speaks
(``vi-VN`` is Vietnamese, ``zh-CN`` and ``zh-Hans`` Simplified Chinese; Traditional Chinese is not spoken
yet, so ``zh-TW`` falls through to the browser's next choice); else English.

Thai users may see years in the Buddhist era (2026 CE is 2569 BE). Only what is shown changes: stored
dates stay Gregorian, and typed dates are still read as the form asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEFAULT = "en"
LANGUAGES: dict[str, str] = {  # code -> the language's name in itself, as the switcher shows it
    "en": "English",
    "vi": "Tiếng Việt",
    "th": "ไทย",
    "id": "Bahasa Indonesia",
    "zh_Hans": "简体中文",
}
CALENDARS = ("gregorian", "buddhist")
BUDDHIST_ERA_OFFSET = 543
YEAR_FIELD = re.compile(r"y+")  # the year in a CLDR date pattern (d MMM y, y年M月d日)
# Chinese written in simplified characters, as browsers name it.
SIMPLIFIED_CHINESE = {"zh", "zh_cn", "zh_sg", "zh_hans", "zh_hans_cn", "zh_hans_sg", "zh_my"}


def supported(tag: str) -> str | None:
    """The app's language for a language tag (``vi-VN``, ``zh-Hans-CN``, ``th``), or None."""
    key = tag.strip().replace("-", "_").lower()
    if key in SIMPLIFIED_CHINESE:
        return "zh_Hans"
    if key.startswith("zh"):
        return None  # Traditional Chinese (zh-TW, zh-HK, zh-Hant) is not spoken yet
    base = key.partition("_")[0]
    return base if base in LANGUAGES else None


def choose(chosen: str, accepted: Iterable[tuple[str, float]]) -> str:
    """The person's choice if the app speaks it, else the browser's best-ranked spoken language, else English.

    ``accepted`` is the ``Accept-Language`` header's (tag, quality) pairs in any order."""
    if chosen in LANGUAGES:
        return chosen
    ranked = sorted(accepted, key=lambda pair: -pair[1])  # stable: equal qualities keep the header's order
    for tag, quality in ranked:
        if quality <= 0:
            continue
        language = supported(tag)
        if language is not None:
            return language
    return DEFAULT


def shown_year(year: int, calendar: str) -> int:
    """The year as the person reads it: Buddhist era for the Thai calendar, else as stored."""
    return year + BUDDHIST_ERA_OFFSET if calendar == "buddhist" else year


def with_year(pattern: str, year: int) -> str:
    """A CLDR date pattern whose year field is the given year, as a literal (the Buddhist era's year)."""
    return YEAR_FIELD.sub(f"'{year}'", pattern)
