"""The portfolio's status rule (app.domain.portfolio): late, at risk, on track, and its edges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain import portfolio as rules
from app.domain.portfolio import ProjectFacts, Status, status_of

TODAY = date(2026, 12, 2)
CALM = ProjectFacts(
    target_date=TODAY + timedelta(days=200),
    all_stages_done=False,
    milestone_on=TODAY + timedelta(days=10),
    readiness=50,
    overdue_items=0,
    open_majors=0,
    planned=Decimal("1000"),
    spent=Decimal("400"),
)


def test_a_project_with_nothing_wrong_is_on_track():
    assert status_of(CALM, TODAY) is Status.ON_TRACK


@pytest.mark.parametrize(
    "change",
    [
        {"target_date": TODAY - timedelta(days=1)},
        {"milestone_on": TODAY - timedelta(days=1)},
        {"target_date": TODAY - timedelta(days=1), "open_majors": 2},  # late outranks at risk
    ],
)
def test_late(change):
    assert status_of(replace(CALM, **change), TODAY) is Status.LATE


def test_a_passed_target_is_not_late_once_every_stage_is_done():
    done = replace(CALM, target_date=TODAY - timedelta(days=30), all_stages_done=True, readiness=100)
    assert status_of(done, TODAY) is Status.ON_TRACK


def test_the_due_day_itself_is_not_late():
    assert (
        status_of(replace(CALM, target_date=TODAY, milestone_on=TODAY, readiness=90), TODAY)
        is Status.ON_TRACK
    )


@pytest.mark.parametrize(
    "change",
    [
        {"open_majors": 1},
        {"overdue_items": 1},
        {"spent": Decimal("1000.01")},
        {"target_date": TODAY + timedelta(days=rules.TARGET_SOON_DAYS), "readiness": rules.READY_PERCENT - 1},
        {"target_date": TODAY + timedelta(days=rules.TARGET_SOON_DAYS), "readiness": None},
    ],
)
def test_at_risk(change):
    assert status_of(replace(CALM, **change), TODAY) is Status.AT_RISK


@pytest.mark.parametrize(
    "change",
    [
        {"spent": Decimal("1000")},  # exactly the plan is not over it
        {"planned": Decimal(0), "spent": Decimal(50)},  # nothing planned: no plan to be over
        {"target_date": TODAY + timedelta(days=rules.TARGET_SOON_DAYS + 1), "readiness": 10},
        {"target_date": TODAY + timedelta(days=5), "readiness": rules.READY_PERCENT},
        {"target_date": None, "milestone_on": None, "readiness": None},
    ],
)
def test_still_on_track(change):
    assert status_of(replace(CALM, **change), TODAY) is Status.ON_TRACK


def test_the_legend_names_every_status_worst_first():
    assert [status for status, _ in rules.legend()] == sorted(Status, key=rules.STATUS_ORDER.__getitem__)


@pytest.mark.parametrize(
    ("percent", "band"), [(None, "Not known"), (0, "0-19 %"), (19, "0-19 %"), (80, "80-99 %"), (100, "100 %")]
)
def test_readiness_bands(percent, band):
    assert rules.readiness_band(percent) == band


def test_weeks_and_days_from_today():
    assert rules.week_of(TODAY, TODAY) == 0
    assert rules.week_of(TODAY + timedelta(days=6), TODAY) == 0
    assert rules.week_of(TODAY + timedelta(days=7), TODAY) == 1
    assert rules.days_to(TODAY - timedelta(days=3), TODAY) == -3
    assert rules.days_to(None, TODAY) is None


def test_milestones_are_named_and_sorted_into_audits_and_deadlines():
    assert rules.milestone_label("documentation") == "End of documentation"
    assert rules.milestone_label("stage2") == "Stage 2 audit"
    assert rules.milestone_label(None) == "—"
    assert rules.is_audit("surveillance1_due") and rules.is_audit("stage1")
    assert not rules.is_audit("expiry") and not rules.is_audit("training")
