"""Every id on a stage page is unique and every label points at its own control (issue 16: the Dates form's
"Status" label pointed at the new task's status select, both having id="status")."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest

from app.domain.catalog import STAGE_KEYS

CONTROLS = {"input", "select", "textarea", "button", "meter", "output", "progress"}


class Ids(HTMLParser):
    """The ids of a page, which element carries each, and the ``for`` of each label."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.tags: dict[str, str] = {}
        self.label_for: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
            self.tags[attributes["id"]] = tag
        if tag == "label" and attributes.get("for"):
            self.label_for.append(attributes["for"])


def check(html: str) -> Ids:
    page = Ids()
    page.feed(html)
    assert [name for name, count in page.ids.items() if count > 1] == []
    strays = [target for target in page.label_for if page.tags.get(target) not in CONTROLS]
    assert strays == []  # a label for a missing id, or for something that is not a form control
    return page


@pytest.mark.parametrize("key", STAGE_KEYS)
def test_every_id_on_a_stage_page_is_unique_and_labels_point_at_their_controls(app, client, owner, tree, key):
    app.config["WTF_CSRF_ENABLED"] = True  # each form's csrf_token field has an id too
    response = client.get(f"/projects/{tree['project'].id}/stages/{key}")
    assert response.status_code == 200
    page = check(response.get_data(as_text=True))
    assert page.tags.get("dates-status") == "select"  # the Dates form's "Status" is its own select
    assert "dates-status" in page.label_for and "task-status" in page.label_for
    assert {"dates-csrf_token", "task-csrf_token"} <= set(page.tags)


@pytest.mark.parametrize("key", ["gap_analysis", "internal_audit"])
def test_ids_stay_unique_when_the_forms_come_back_with_errors(client, owner, tree, key):
    url = f"/projects/{tree['project'].id}/stages/{key}"
    for path, data in [
        (url, {"status": "nonsense", "planned_start": "1900-01-01"}),
        (f"{url}/tasks", {"title": "", "status": "nonsense"}),
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 422, path
        check(response.get_data(as_text=True))
