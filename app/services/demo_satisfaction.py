"""A demo factory's customer satisfaction register, written through :mod:`app.services.satisfaction` (so
every rule a user meets applies, and each value is in the measure's history, dated when it was recorded).

The factories still preparing have a measure below its target or one no longer measured; the certified
factory measures everything on time and meets its targets. The values agree with what each factory's
management review says (the infusion-set distributors' survey at 4.3 of 5, the moulding retailers' at 4.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from app.extensions import db
from app.models import CertificationProject
from app.services import satisfaction as service
from app.services.demo_register_history import dated, owner_scope
from app.services.satisfaction import MeasureFields, ValueFields


@dataclass(frozen=True)
class Plan:
    name: str
    kind: str
    unit: str
    higher_is_better: bool
    target: str  # empty: no target
    every_months: int  # the values are for periods this many months long, the latest ending...
    last_months_ago: int  # ...at the end of the month this many months ago
    values: tuple[str, ...]  # oldest first
    notes: str = ""


CORK = (
    Plan("Winery survey: overall satisfaction", "survey", "points of 5", True, "4", 6, 1,
         ("3.6", "3.7", "3.9", "3.8"), "Sent to the 14 wineries; 9 to 11 answer each time."),
    Plan("Stoppers returned by wineries", "returns", "% of shipped", False, "0.3", 1, 1,
         ("0.52", "0.44", "0.38", "0.31", "0.27", "0.24")),
    Plan("Feedback from winery visits", "other", "visits", True, "", 3, 8,
         ("2", "3", "1", "2"), "Visits by the sales manager where the winery's feedback was written down."),
)  # fmt: skip
SACHET = (
    Plan("On time in full to customers", "on_time_delivery", "%", True, "98", 1, 1,
         ("95.1", "96.4", "97.2", "96.8", "97.9")),
    Plan("Complaints per million sachets shipped", "returns", "per million", False, "5", 1, 1,
         ("7.2", "6.1", "6.8", "5.5", "4.9", "5.3")),
)  # fmt: skip
INFUSION = (
    Plan("Distributor survey: average score", "survey", "points of 5", True, "4", 6, 2,
         ("3.9", "4.0", "4.1", "4.3"), "The latest: 9 of 11 distributors answered."),
    Plan("Sets returned by hospitals and distributors", "returns", "per 10,000 sets", False, "2", 1, 1,
         ("2.6", "2.2", "3.1", "1.7", "1.4", "1.2")),
    Plan("Tender lots renewed by hospitals", "other", "%", True, "80", 12, 3,
         ("72", "78", "83", "86")),
)  # fmt: skip
MOULDING = (
    Plan("Retailer survey: average score", "survey", "points of 5", True, "4", 6, 1,
         ("3.7", "3.8", "3.9", "4.0", "4.1", "4.2")),
    Plan("Containers returned by retailers", "returns", "% of units shipped", False, "0.2", 1, 1,
         ("0.18", "0.16", "0.15", "0.12", "0.14", "0.11", "0.10", "0.09")),
    Plan("Retailers' supplier scorecard", "other", "%", True, "90", 3, 1,
         ("88", "91", "92", "94", "95")),
)  # fmt: skip
OTHER = (
    Plan("Customer survey: overall satisfaction", "survey", "points of 5", True, "4", 6, 1,
         ("3.8", "3.9", "3.7", "4.0")),
    Plan("Orders delivered on the promised date", "on_time_delivery", "%", True, "95", 1, 1,
         ("92.5", "94.0", "95.5", "93.2", "96.1")),
)  # fmt: skip
PLANS = {
    "Binh Duong stopper plant": CORK,
    "Samut Prakan sachet plant": SACHET,
    "Bayan Lepas infusion-set plant": INFUSION,
    "Nhon Trach moulding plant": MOULDING,
}
RECORDED_AFTER_DAYS = 5  # a period's value is recorded a few days after it ends


def period_ends(plan: Plan, today: date) -> list[date]:
    """The last days of the plan's periods, oldest first: the latest at the end of the month
    ``last_months_ago`` months back, the others ``every_months`` apart."""
    first_of_month = today.replace(day=1)
    ends = []
    for index in range(len(plan.values)):
        months_back = plan.last_months_ago + index * plan.every_months
        ends.append(first_of_month - relativedelta(months=months_back - 1) - timedelta(days=1))
    return ends[::-1]


def seed(project: CertificationProject, today: date) -> None:
    """The factory's measures and their values (by its site's name; two generic measures otherwise)."""
    scope = owner_scope(project)
    for plan in PLANS.get(project.site.name, OTHER):
        ends = period_ends(plan, today)
        fields = MeasureFields(plan.name, plan.kind, plan.unit, plan.higher_is_better, plan.target)
        measure = service.create_measure(scope, project, fields)
        dated(ends[0] - timedelta(days=plan.every_months * 30))
        for index, (end, value) in enumerate(zip(ends, plan.values, strict=True)):
            notes = plan.notes if index == len(ends) - 1 else ""
            service.add_value(scope, measure, ValueFields(end, value, notes), today)
            dated(min(end + timedelta(days=RECORDED_AFTER_DAYS), today))
    db.session.flush()
