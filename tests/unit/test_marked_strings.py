"""Every word the app shows is marked for translation (issue 17): the templates' text and read attributes,
and the Python places whose words reach a person (tests/i18n_marks.py says which)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.i18n_marks import ROOT, needs_translation, unmarked, unmarked_in_python, unmarked_in_template


def test_no_template_shows_an_unmarked_word() -> None:
    found = unmarked([ROOT / "templates"])
    assert found == [], "\n".join(map(str, found[:30]))


def test_no_python_sink_gets_an_unmarked_word() -> None:
    found = unmarked([ROOT / "app"])
    assert found == [], "\n".join(map(str, found[:30]))


@pytest.mark.parametrize(
    ("source", "unmarked_texts"),
    [
        ("<h1>Gap analysis</h1>", ["Gap analysis"]),
        ('<input placeholder="Search" title="{{ _(\'Find\') }}">', ['placeholder="Search"']),
        ("<h1>{{ _('Gap analysis') }}</h1><p>{{ project.name }} · 7.1.5 · ISO 9001 · 65%</p>", []),
        ("<p>{% trans n=3 %}Open {{ n }} findings{% endtrans %}</p>", []),
        ("<script>const x = 'Saving';</script>", []),
    ],
)
def test_the_finder_sees_unmarked_template_words(
    tmp_path: Path, source: str, unmarked_texts: list[str]
) -> None:
    page = tmp_path / "page.html"
    page.write_text(source, encoding="utf-8")
    assert [item.text for item in unmarked_in_template(page)] == unmarked_texts


def test_the_finder_sees_unmarked_python_words(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "flash('Saved.')\nflash(_('Saved.'))\nname = StringField('Name')\nraise Invalid(f'No {x}.')\n"
        "ok = StringField(_l('Name'), validators=[Length(max=5, message='Too long.')])\n",
        encoding="utf-8",
    )
    assert [item.line for item in unmarked_in_python(module)] == [1, 3, 4, 5]


def test_words_that_need_no_translation() -> None:
    assert not needs_translation("ISO 9001 · 7.1.5 — 65%")
    assert not needs_translation("PDF · XLSX")
    assert needs_translation("Export to PDF")


def test_every_plural_names_its_count() -> None:
    """``{% pluralize %}`` without a name counts with the block's first variable, which is not always the
    number (a standard's name, say): in a language with plural rules that is a page that fails to render."""
    loose = []
    for page in sorted((ROOT / "templates").rglob("*.html")):
        source = page.read_text(encoding="utf-8")
        for match in re.finditer(r"\{%-? *pluralize *-?%\}", source):
            opening = list(re.finditer(r"\{%-? *trans\b([^%]*)%\}", source[: match.start()]))[-1]
            if len(re.findall(r"\w+\s*=", opening.group(1))) > 1:
                loose.append(f"{page.relative_to(ROOT)}:{source[: match.start()].count(chr(10)) + 1}")
    assert loose == []


def test_no_template_filters_a_constant_into_words() -> None:
    """Jinja works out ``'stale'|satisfaction_status`` once, when it compiles the template, in whatever
    language that first request read: every later reader got those words. Words come from variables."""
    harmless = {"safe", "e", "format", "join", "default", "length", "int", "string", "replace", "trim"}
    constant_filtered = re.compile(r"""['"][^'"{}]*['"]\s*\|\s*([a-z_]+)""")
    found = [
        f"{page.relative_to(ROOT)}: {match.group(0)}"
        for page in sorted((ROOT / "templates").rglob("*.html"))
        for match in constant_filtered.finditer(page.read_text(encoding="utf-8"))
        if match.group(1) not in harmless
        and _inside_expression(page.read_text(encoding="utf-8"), match.start())
    ]
    assert found == []


def _inside_expression(source: str, at: int) -> bool:
    return source.rfind("{{", 0, at) > source.rfind("}}", 0, at) or source.rfind("{%", 0, at) > source.rfind(
        "%}", 0, at
    )
