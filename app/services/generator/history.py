"""A generated project's budget and readiness history: ten budget lines over the stages (amounts in the
project's currency, paid for the stages done), and a snapshot a day for 90 days, readiness rising to
today's verdicts; today's is recorded by the app itself (:func:`app.services.history.record_snapshots`).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from app.domain.budget import CATEGORIES
from app.domain.pathway import Stage
from app.domain.readiness import Readiness
from app.models import BudgetLine, ReadinessSnapshot
from app.services import history
from app.services.demo_progress import STAGE_WEEKS
from app.services.generator.progress import Planned
from app.services.generator.rows import Batch, insert_rows, moment

HISTORY_DAYS = 90
BUDGET_LINES = (  # stage, category, description, planned amount in US dollars
    ("gap_analysis", "consultant", "Gap analysis workshops", 1_800),
    ("documentation", "consultant", "Drafting the quality manual and procedures", 4_500),
    ("documentation", "documentation_translation", "Procedures translated into English", 900),
    ("training", "training", "Awareness training for all staff", 1_200),
    ("training", "training", "Internal auditor course (two people)", 1_600),
    ("training", "internal_time", "Staff hours in training", 2_000),
    ("internal_audit", "equipment_calibration", "Calibration of measuring equipment", 1_100),
    ("internal_audit", "consultant", "Support for the first internal audit", 1_400),
    ("external_audit", "certification_body", "Stage 1 and stage 2 audits", 5_500),
    ("external_audit", "travel", "Auditor travel", 700),
)
# Rough local-currency units per US dollar, so that the amounts read like local quotes.
RATES = {"VND": 25_000, "THB": 35, "MYR": 4.5, "IDR": 16_000, "PHP": 57, "SGD": 1.35, "USD": 1, "INR": 84,
         "BDT": 120, "LKR": 300, "CNY": 7.2, "TWD": 32}  # fmt: skip


def add_budget(planned: Planned, batch: Batch) -> None:
    """Ten budget lines over the stages, paid (an actual, a day) for the stages done, into ``batch``."""
    rng = random.Random(f"{planned.seed}:budget")
    order = [stage.value for stage in Stage]
    rate = Decimal(str(RATES.get(planned.currency, 1)))
    rows = []
    for stage, category, description, dollars in BUDGET_LINES:
        assert category in CATEGORIES
        amount = (Decimal(dollars) * rate * Decimal(rng.randint(80, 130)) / 100).quantize(Decimal(1))
        paid = order.index(stage) < planned.progress
        weeks_before = sum(STAGE_WEEKS[s] for s in list(Stage)[: order.index(stage)])
        actual = (amount * Decimal(rng.randint(85, 125)) / 100).quantize(Decimal(1))
        rows.append(
            {
                "project_id": planned.project_id,
                "stage": stage,
                "category": category,
                "description": description,
                "vendor": "",
                "planned": amount,
                "actual": actual if paid else None,
                "spent_on": planned.started + timedelta(weeks=weeks_before) if paid else None,
                "basis": "",
            }
        )
    batch.add(BudgetLine, rows)


def add_history(projects: list[Planned], today: date) -> None:
    """A snapshot a day for the last 90 days (readiness rising from a third of today's verdicts, with the
    project's start as its floor), then today's, recorded by the app from the verdicts themselves."""
    rows = []
    for planned in projects:
        now = planned.counts
        for days_ago in range(HISTORY_DAYS - 1, 0, -1):
            share = Decimal(HISTORY_DAYS - days_ago) / HISTORY_DAYS
            share = share * 2 / 3 + Decimal(1) / 3
            part = {name: int(getattr(now, name) * share) for name in ("met", "partial", "not_met")}
            past = Readiness(**part, not_assessed=now.applicable - sum(part.values()),
                             not_applicable=now.not_applicable)  # fmt: skip
            rows.append(
                {
                    "project_id": planned.project_id,
                    "taken_on": today - timedelta(days=days_ago),
                    "readiness": past.percent,
                    "coverage": int(70 * share),
                    **{name: getattr(past, name) for name in history.COUNTED},
                    "recorded_at": moment(today - timedelta(days=days_ago)),
                }
            )
        if len(rows) >= 9_000:  # a few statements rather than one of 90,000 rows at 1,000 clients
            insert_rows(ReadinessSnapshot, rows)
            rows = []
    insert_rows(ReadinessSnapshot, rows)
    history.record_snapshots([planned.project_id for planned in projects], today)
