"""One rule, one place, read from the source: templates display values decided in Python, and a rule's
query is written once."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

from app import charts, domain
from app.charts.base import percent_text
from app.domain.coverage import CHECKLIST_LABELS, SHOWN_STATE_LABELS, ChecklistStatus
from app.domain.evidence_rules import STATE_LABELS
from app.templating import EVIDENCE_BADGES, UNKNOWN_BADGE, evidence_badge_class, evidence_state_label

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
SERVICES = sorted((ROOT / "app" / "services").rglob("*.py"))

# A date compared with today ("overdue", "expired"): the view passes the domain's answer instead.
DATE_COMPARISON = re.compile(r"[<>]=?\s*today\b|\btoday\s*[<>]=?")
# A mapping written in a template ({% set badges = {...} %}): labels and colours come from Python.
MAP_IN_TEMPLATE = re.compile(r"{%-?\s*set\s+\w+\s*=\s*{", re.S)
# The inline percent format; the ``percent`` filter (app.charts.base.percent_text) says it once.
INLINE_PERCENT = re.compile(r"~\s*'%'|else\s*'—'\s*}}\s*%")


def found(pattern: re.Pattern[str], paths: list[Path]) -> dict[str, list[str]]:
    hits = {str(path.relative_to(ROOT)): pattern.findall(path.read_text(encoding="utf-8")) for path in paths}
    return {name: matches for name, matches in hits.items() if matches}


def test_templates_exist():
    assert len(TEMPLATES) > 30


@pytest.mark.parametrize(
    "pattern", [DATE_COMPARISON, MAP_IN_TEMPLATE, INLINE_PERCENT], ids=["dates", "maps", "percent"]
)
def test_templates_display_and_do_not_compute(pattern):
    assert found(pattern, TEMPLATES) == {}


def test_the_patterns_catch_what_they_are_meant_to():
    assert DATE_COMPARISON.search("{% if task.due_date < today %}")
    assert DATE_COMPARISON.search("{% if today > item.valid_until %}")
    assert not DATE_COMPARISON.search("whether the factory meets it today: <strong>met</strong>")
    assert MAP_IN_TEMPLATE.search("{% set badges = {\n  'missing': 'text-bg-danger',\n} %}")
    assert INLINE_PERCENT.search("{{ x ~ '%' if x is not none else '—' }}")
    assert INLINE_PERCENT.search("{{ x if x is not none else '—' }}%")


def test_the_verdict_count_query_is_written_once():
    group_by = re.compile(r"group_by\(\s*Assessment\.project_id,\s*Assessment\.status\s*\)")
    assert list(found(group_by, SERVICES)) == ["app/services/history.py"]


def test_the_current_evidence_condition_is_written_once():
    valid_until = re.compile(r"EvidenceItem\.valid_until\s*(?:>=|<|>|<=)")
    assert list(found(valid_until, SERVICES)) == ["app/services/coverage.py"]


def test_chart_builders_do_not_share_a_name_with_a_domain_function():
    """``charts.readiness_by_section_chart`` draws what ``domain.readiness.readiness_by_section`` decides."""
    builders = {name for name in charts.__all__ if inspect.isfunction(getattr(charts, name))}
    rules = set()
    for info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"{domain.__name__}.{info.name}")
        rules |= {name for name, value in vars(module).items() if inspect.isfunction(value)}
    assert {"readiness_by_section_chart", "stage_progress_chart"} <= builders
    assert builders & rules == set()


def test_percent_filter():
    assert [percent_text(v) for v in (None, 0, 67, 100)] == ["—", "0%", "67%", "100%"]


def test_every_shown_state_and_checklist_status_has_a_badge_and_a_label():
    states = {*STATE_LABELS, *(s.value for s in ChecklistStatus)}
    assert set(EVIDENCE_BADGES) == states
    assert set(CHECKLIST_LABELS) == set(ChecklistStatus)
    assert {evidence_state_label(s) for s in STATE_LABELS} == set(STATE_LABELS.values())
    assert evidence_state_label("expired") == "Expired"
    assert evidence_badge_class("expired") == "text-bg-warning"
    assert (evidence_badge_class("bogus"), evidence_state_label("bogus")) == (UNKNOWN_BADGE, "bogus")


def test_a_state_has_the_same_words_on_the_evidence_pages_and_the_checklist():
    shared = set(CHECKLIST_LABELS) & set(SHOWN_STATE_LABELS)
    assert shared == {"draft", "submitted", "accepted", "expired"}
    assert all(CHECKLIST_LABELS[s] == SHOWN_STATE_LABELS[s] for s in shared)
    assert list(CHECKLIST_LABELS.values()) == [
        "Missing",
        "Draft",
        "Awaiting review",
        "Accepted",
        "Expired",
        "Not applicable",
    ]
