"""The approved-supplier pages: the list (filters, "overdue" among them, an unknown filter said, pages, the
same queries at two sizes), adding a supplier (its name unique without case or accents, even in a race;
ISO 13485's risk class and controls), its page (edit on the version read, a stale edit 409, evaluations that
set its status, history and evidence), foreign ids 404, viewers 403; and the register's state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import RegisterEvent, Supplier, SupplierEvaluation
from app.registers.links import register_url
from app.services import suppliers as service
from tests.evidence_samples import add_file
from tests.html import field_errors, form_values
from tests.integration.evidence_support import user_as
from tests.integration.suppliers_support import CONTROLS, NOTES, TODAY, add_supplier, evaluate, many_suppliers
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries


def url(project: Any, *parts: Any, query: str = "") -> str:
    return "/".join([f"/projects/{project.id}/suppliers", *(str(p) for p in parts)]) + query


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(supplier_id: int) -> Supplier:
    db.session.expire_all()
    found = db.session.get(Supplier, supplier_id)
    assert found is not None
    return found


def history(supplier_id: int) -> list[str]:
    db.session.expire_all()
    rows = db.session.execute(
        select(RegisterEvent.summary)
        .where(RegisterEvent.register == "supplier", RegisterEvent.record_id == supplier_id)
        .order_by(RegisterEvent.id)
    ).scalars()
    return list(rows)


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


def supplier_data(**fields: Any) -> dict[str, str]:
    return {
        "name": "Công ty Nhựa Đông Á",
        "supplies": "PP resin, food grade",
        "criteria": "Certificate of analysis with each lot; delivery within the week ordered.",
        "risk_class": "medium",
        "controls": "",
        "reevaluate_months": "12",
        "contact": "Mr Hai, +84 28 0000 0000",
    } | fields


def evaluation_data(day: Any = None, **fields: Any) -> dict[str, str]:
    values = {
        "evaluated_on": (day or TODAY).isoformat(),
        "evaluated_by": "Ms Lan (purchasing)",
        "outcome": "approved",
        "score": "86",
        "notes": NOTES,
    } | fields
    return {f"evaluation-{name}": value for name, value in values.items()}


# Adding


def test_a_supplier_is_added_not_evaluated_with_its_history(http, tree):
    project = tree["project"]
    assert http.get(url(project, "new")).status_code == 200
    response = http.post(url(project, "new"), data=supplier_data())
    assert response.status_code == 303
    supplier = db.session.execute(select(Supplier)).scalar_one()
    assert response.headers["Location"].endswith(url(project, supplier.id))
    assert (supplier.name_key, supplier.status, supplier.reevaluate_months) == (
        "cong ty nhua dong a",
        "not_evaluated",
        12,
    )
    page = http.get(response.headers["Location"])
    assert 'data-supplier-status="not_evaluated"' in page.text and 'id="no-evaluations"' in page.text
    assert 'id="evidence"' in page.text and 'id="history"' in page.text
    assert history(supplier.id) == [
        "Added to the supplier list: Công ty Nhựa Đông Á, supplying PP resin, food grade."
    ]


SUPPLIER_REFUSALS = [
    ({"name": "CONG TY NHUA DONG A"}, "name", "is already on the supplier list"),
    ({"supplies": ""}, "supplies", "Say what it supplies"),
    ({"reevaluate_months": "48"}, "reevaluate_months", "from 1 to 36"),
    ({"reevaluate_months": "yearly"}, "reevaluate_months", "whole months"),
    ({"risk_class": "extreme"}, "risk_class", "low, medium or high"),
]


def test_a_supplier_that_breaks_a_rule_is_refused_beside_its_field(http, tree):
    project = tree["project"]
    add_supplier(project, "Cong ty Nhua Dong A")
    for fields, field, message in SUPPLIER_REFUSALS:
        response = http.post(url(project, "new"), data=supplier_data(**fields))
        assert response.status_code == 422
        assert any(message in error for error in field_errors(response, field)), fields
        assert form_values(response, "supplies")["criteria"] == supplier_data()["criteria"]
    assert count(Supplier) == 1


def test_an_iso_13485_supplier_needs_its_risk_class_and_a_high_risk_one_its_controls(app, make):
    tree = make.tree(code="iso13485")
    http, project = user_as(app, make, tree, "contributor")[0], tree["project"]
    refused = http.post(url(project, "new"), data=supplier_data(risk_class=""))
    assert refused.status_code == 422 and "ISO 13485 (7.4.1)" in field_errors(refused, "risk_class")[0]
    high = supplier_data(risk_class="high", controls="audits", reevaluate_months="24")
    refused = http.post(url(project, "new"), data=high)
    assert refused.status_code == 422
    assert "as a sentence" in field_errors(refused, "controls")[0]
    assert "every 12 months" in field_errors(refused, "reevaluate_months")[0]
    fine = supplier_data(risk_class="high", controls=CONTROLS, reevaluate_months="12")
    assert http.post(url(project, "new"), data=fine).status_code == 303
    assert count(Supplier) == 1


def test_two_adds_racing_past_the_name_check_are_refused_beside_the_name(http, tree, monkeypatch):
    project = tree["project"]
    add_supplier(project, "Cong ty Nhua Dong A")
    monkeypatch.setattr(service, "_name_taken", lambda *args: False)  # the other request saved meanwhile
    response = http.post(url(project, "new"), data=supplier_data())
    assert response.status_code == 422
    assert "is already on the supplier list" in field_errors(response, "name")[0]
    assert count(Supplier) == 1


# The supplier's page


def test_a_supplier_is_edited_on_the_version_read_and_its_history_names_the_changes(http, tree):
    supplier = add_supplier(tree["project"], "Thai Cork Ltd.")
    sent = supplier_data(name="Thai Cork Ltd.", risk_class="high", version=str(supplier.version))
    assert http.post(url(tree["project"], supplier.id), data=sent).status_code == 303
    saved = reload(supplier.id)
    assert (saved.risk_class, saved.supplies, saved.version) == ("high", "PP resin, food grade", 2)
    assert history(supplier.id)[-1] == "Changed the supplies, criteria, risk class and contact."
    page = http.get(url(tree["project"], supplier.id))
    assert "Changed the supplies" in page.text


def test_a_stale_edit_is_409_showing_the_saved_values_and_what_was_typed(http, tree):
    supplier = add_supplier(tree["project"], "Thai Cork Ltd.")
    supplier.contact = "Khun Somchai"
    db.session.commit()  # saved by someone else after the page was read at version 1
    sent = supplier_data(name="Thai Cork Ltd.", contact="Khun Niran", version="1")
    response = http.post(url(tree["project"], supplier.id), data=sent)
    assert response.status_code == 409
    assert "Someone else saved this supplier" in response.text and "Khun Niran" in response.text
    form = form_values(response, "supplies")
    assert form["contact"] == "Khun Somchai" and form["version"] == "2"
    assert reload(supplier.id).supplies == "Natural cork bark, graded"


def test_an_edit_that_breaks_a_rule_is_422_and_saves_nothing(http, tree):
    supplier = add_supplier(tree["project"], "Thai Cork Ltd.")
    add_supplier(tree["project"], "Binh Duong Cartons")
    sent = supplier_data(name="binh duong  cartons", version=str(supplier.version))
    response = http.post(url(tree["project"], supplier.id), data=sent)
    assert response.status_code == 422 and field_errors(response, "name")
    assert reload(supplier.id).name == "Thai Cork Ltd."


def test_evaluations_set_the_status_from_the_latest_and_log_on_the_supplier(http, tree):
    project = tree["project"]
    supplier = add_supplier(project, "Thai Cork Ltd.")
    post = url(project, supplier.id, "evaluations")
    assert (
        http.post(post, data=evaluation_data(TODAY - timedelta(days=3), outcome="conditional")).status_code
        == 303
    )
    assert (
        http.post(post, data=evaluation_data(TODAY - timedelta(days=400), outcome="blocked")).status_code
        == 303
    )
    saved = reload(supplier.id)
    assert (saved.status, saved.last_evaluated_on) == ("conditional", TODAY - timedelta(days=3))
    page = http.get(url(project, supplier.id))
    assert page.text.count("data-evaluation-id") == 2 and "86 %" in page.text
    assert (
        'id="supplier-status"><span class="badge text-bg-warning" data-supplier-status="conditional"'
        in page.text
    )
    day = TODAY - timedelta(days=3)
    expected = (
        f"Evaluated on {day.day} {day:%b %Y} by Ms Lan (purchasing): approved with conditions, scored 86 %."
    )
    assert expected in history(supplier.id)


EVALUATION_REFUSALS = [
    ({"day": TODAY + timedelta(days=1)}, "evaluated_on", "A supplier cannot be evaluated in the future."),
    ({"score": "120"}, "score", "from 0 to 100"),
    ({"outcome": ""}, "outcome", "Choose the outcome"),
    ({"notes": "fine"}, "notes", "real sentence"),
]


def test_an_evaluation_that_breaks_a_rule_is_refused_beside_its_field(http, tree):
    supplier = add_supplier(tree["project"])
    for fields, field, message in EVALUATION_REFUSALS:
        response = http.post(url(tree["project"], supplier.id, "evaluations"), data=evaluation_data(**fields))
        assert response.status_code == 422
        assert any(message in error for error in field_errors(response, f"evaluation-{field}")), fields
    assert count(SupplierEvaluation) == 0 and reload(supplier.id).status == "not_evaluated"


def test_a_viewer_reads_the_list_and_a_supplier_but_changes_nothing(app, make, tree):
    viewer = user_as(app, make, tree, "viewer")[0]
    project = tree["project"]
    supplier = evaluate(add_supplier(project, "Thai Cork Ltd."))
    assert viewer.get(url(project)).status_code == 200
    page = viewer.get(url(project, supplier.id))
    assert page.status_code == 200 and 'id="supplier-details"' in page.text
    assert 'id="supplier-form"' not in page.text and 'id="evaluation-form"' not in page.text
    assert viewer.get(url(project, "new")).status_code == 403
    assert viewer.post(url(project, "new"), data=supplier_data()).status_code == 403
    sent = supplier_data(version=str(supplier.version))
    assert viewer.post(url(project, supplier.id), data=sent).status_code == 403
    assert viewer.post(url(project, supplier.id, "evaluations"), data=evaluation_data()).status_code == 403
    assert count(Supplier) == 1 and count(SupplierEvaluation) == 1


def test_another_workspaces_supplier_is_404(http, make, tree):
    theirs = add_supplier(make.tree()["project"])
    project = tree["project"]
    assert http.get(url(project, theirs.id)).status_code == 404
    assert http.post(url(project, theirs.id), data=supplier_data(version="1")).status_code == 404
    assert http.post(url(project, theirs.id, "evaluations"), data=evaluation_data()).status_code == 404
    assert count(SupplierEvaluation) == 0


def test_the_supplier_page_links_evidence_and_its_ids_are_unique(http, tree):
    project = tree["project"]
    supplier = evaluate(add_supplier(project))
    item = add_file(project)
    linked = http.post(
        f"/projects/{project.id}/registers/supplier/{supplier.id}/evidence", data={"evidence_id": item.id}
    )
    assert linked.headers["Location"].endswith(f"{url(project, supplier.id)}#evidence")
    page = http.get(url(project, supplier.id))
    assert f"/evidence/{item.id}" in page.text and "Linked the evidence" in page.text
    for address in (url(project), url(project, supplier.id), url(project, "new")):
        check_ids(http.get(address).text)


# The list


@pytest.fixture
def suppliers(tree: dict[str, Any]) -> dict[str, Supplier]:
    project = tree["project"]
    late = evaluate(add_supplier(project, "Amata Films", risk_class="high"), TODAY - timedelta(days=400))
    fresh = evaluate(
        add_supplier(project, "Binh Duong Cartons", risk_class="low"), TODAY - timedelta(days=20)
    )
    blocked = evaluate(
        add_supplier(project, "Cheap Glue Co."), TODAY - timedelta(days=900), outcome="blocked"
    )
    conditional = evaluate(add_supplier(project, "Dong Nai Resin"), TODAY - timedelta(days=10), "conditional")
    new = add_supplier(project, "Eastern Ink", risk_class="")
    return {"late": late, "fresh": fresh, "blocked": blocked, "conditional": conditional, "new": new}


def listed(http: FlaskClient, project: Any, query: str = "") -> list[int]:
    response = http.get(url(project, query=query))
    assert response.status_code == 200
    return [int(part.split('"')[0]) for part in response.text.split('data-supplier-id="')[1:]]


def test_the_list_filters_by_status_overdue_and_risk_class(http, tree, suppliers):
    project, s = tree["project"], suppliers
    assert listed(http, project) == [s[k].id for k in ("late", "fresh", "blocked", "conditional", "new")]
    assert listed(http, project, "?status=overdue") == [s["late"].id]
    assert listed(http, project, "?status=not_evaluated") == [s["new"].id]
    assert listed(http, project, "?status=blocked") == [s["blocked"].id]
    assert listed(http, project, "?risk_class=high") == [s["late"].id]
    assert listed(http, project, "?status=approved&risk_class=low") == [s["fresh"].id]
    page = http.get(url(project))
    row = page.text[page.text.index(f'data-supplier-id="{s["late"].id}"') :]
    assert 'data-overdue="1"' in row.split("</tr>")[0] and "Overdue" in row.split("</tr>")[0]
    blocked = page.text[page.text.index(f'data-supplier-id="{s["blocked"].id}"') :].split("</tr>")[0]
    assert '<span class="text-nowrap supplier-due">—</span>' in blocked  # not used: nothing due
    assert "5 suppliers, 1 not evaluated, 1 re-evaluation overdue, 1 conditional, 1 blocked" in page.text


def test_an_unknown_filter_is_said_and_everything_shown(http, tree, suppliers):
    response = http.get(url(tree["project"], query="?status=pending&risk_class=huge"))
    assert response.status_code == 200
    assert (
        "There is no status “pending”" in response.text and "There is no risk class “huge”" in response.text
    )
    assert response.text.count("data-supplier-id=") == 5


def test_the_list_pages_and_runs_the_same_queries_at_two_sizes(http, make, tree):
    project = tree["project"]
    evaluate(add_supplier(project, "Only One"))
    other = make.tree(tree["workspace"])["project"]
    many_suppliers(other, 27)
    counts = []
    for address in (url(project), url(other), url(other, query="?status=overdue")):
        with count_queries() as statements:
            assert http.get(address).status_code == 200
        counts.append(len(statements))
    assert len(set(counts)) == 1
    second = http.get(url(other, query="?page=2"))
    assert second.text.count("data-supplier-id=") == 2 and "Page 2 of 2" in second.text


def test_the_register_state_counts_what_needs_attention_with_the_filter_that_shows_it(app, tree, suppliers):
    state = service.register_state(tree["project"], TODAY)
    assert (state.count, state.has_problems) == (5, True)
    concerns = {c.label: c for c in state.concerns}
    assert concerns["not evaluated"].action == "Evaluate the 1 supplier not yet evaluated (8.4.1)"
    assert (
        concerns["re-evaluation overdue"].action == "Re-evaluate the 1 supplier whose evaluation is overdue"
    )
    assert not concerns["conditional"].urgent and not concerns["blocked"].urgent
    with app.test_request_context():
        link = register_url(tree["project"].id, state.key, **dict(concerns["re-evaluation overdue"].query))
    assert link.endswith("/suppliers?status=overdue")
