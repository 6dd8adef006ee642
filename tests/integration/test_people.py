"""The people pages: the staff list of a project's site (filters, pages, counts), adding and editing a
person, leaving and coming back, importing a staff list (upload, preview, confirm) and exporting it; who
may do what, foreign ids, and a query count that does not grow with the list."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.domain import staff_list
from app.extensions import db
from app.models import JobRole, Person
from tests import evidence_samples as samples
from tests.html import field_errors, form_values, input_value
from tests.integration.evidence_support import post_multipart, user_as
from tests.querycount import count_queries

TODAY = date.today()
HEADER = "name,job role,department,start date\n"


# Helpers


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/people", *(str(p) for p in parts)])


def add_role(project: Any, name: str) -> JobRole:
    role = JobRole(project_id=project.id, name=name)
    db.session.add(role)
    db.session.commit()
    return role


def add_person(site_id: int, name: str, **fields: Any) -> Person:
    person = Person(site_id=site_id, name=name, name_key=staff_list.name_key(name), **fields)
    db.session.add(person)
    db.session.commit()
    return person


def people(site_id: int) -> list[Person]:
    db.session.expire_all()
    stmt = select(Person).where(Person.site_id == site_id).order_by(Person.name_key)
    return list(db.session.execute(stmt).scalars())


def names(site_id: int) -> list[str]:
    return [p.name for p in people(site_id)]


def count_people() -> int:
    return db.session.execute(select(func.count(Person.id))).scalar_one()


def listed(http: FlaskClient, project: Any, query: str = "") -> list[str]:
    html = http.get(url(project) + query).get_data(as_text=True)
    return re.findall(r'class="person-name"[^>]*>([^<]+)<', html)


def upload(http: FlaskClient, project: Any, data: bytes | str, name: str = "staff.csv") -> Any:
    content = data.encode() if isinstance(data, str) else data
    return post_multipart(http, url(project, "import"), {"file": (content, name)})


def confirm(http: FlaskClient, project: Any, preview: Any) -> Any:
    """Press the preview's confirm button (its hidden field holds the file's text)."""
    return http.post(url(project, "import", "confirm"), data=form_values(preview, "csv_text"))


def reload(person: Person) -> Person:
    db.session.expire_all()
    found = db.session.get(Person, person.id)
    assert found is not None
    return found


ENTRY = {
    "name": "Nguyen Van An",
    "job_role": "Operator",
    "department": "Assembly",
    "started_on": "2021-03-15",
}


@pytest.fixture
def editor(app: Any, make: Any, tree: dict[str, Any]) -> tuple[FlaskClient, Any]:
    """An owner of the workspace, with the project's roles Operator and QA inspector."""
    add_role(tree["project"], "Operator")
    add_role(tree["project"], "QA inspector")
    return user_as(app, make, tree, "owner")


@pytest.fixture
def viewer(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "viewer")[0]


# The staff list


def test_an_empty_list_points_to_the_import_and_the_project_page_links_it(editor, tree):
    http = editor[0]
    html = http.get(url(tree["project"])).get_data(as_text=True)
    assert 'id="people-empty"' in html and "Import the factory" in html
    assert f'href="{url(tree["project"], "import")}"' in html and 'id="add-person"' in html
    page = http.get(f"/projects/{tree['project'].id}").get_data(as_text=True)
    assert f'id="people-link" href="{url(tree["project"])}"' in page


def test_the_list_shows_active_people_with_counts_and_filters(editor, tree):
    http, project, site = editor[0], tree["project"], tree["site"].id
    add_person(site, "An", job_role="Operator", department="Assembly", started_on=date(2021, 3, 15))
    add_person(site, "Binh", job_role="QA inspector", department="QA")
    add_person(site, "Chi", department="Assembly", left_on=TODAY - timedelta(days=3))
    add_person(site, "Dung", department="QA", left_on=TODAY + timedelta(days=20))  # serving notice
    response = http.get(url(project))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert listed(http, project) == ["An", "Binh", "Dung"]
    assert '<span id="count-active">3 active</span>' in html and '<span id="count-left">1 left</span>' in html
    assert "Leaves on" in html
    assert listed(http, project, "?status=left") == ["Chi"]
    assert listed(http, project, "?status=all") == ["An", "Binh", "Chi", "Dung"]
    assert listed(http, project, "?department=Assembly") == ["An"]
    assert listed(http, project, "?department=Assembly&status=all") == ["An", "Chi"]
    assert listed(http, project, "?role=QA+inspector") == ["Binh"]
    assert listed(http, project, "?q=+bI+") == ["Binh"]
    assert listed(http, project, "?q=%25") == []  # a LIKE wildcard is a character like any other
    # Unknown filter values mean no filter.
    assert listed(http, project, "?department=Nowhere&role=Pilot&status=gone") == ["An", "Binh", "Dung"]


def test_the_list_pages_fifty_at_a_time_keeping_the_filters(editor, tree):
    http, project = editor[0], tree["project"]
    for n in range(55):
        add_person(tree["site"].id, f"Person {n:02d}", department="Assembly")
    assert len(listed(http, project)) == 50
    assert listed(http, project, "?page=2") == [f"Person {n}" for n in range(50, 55)]
    html = http.get(url(project) + "?department=Assembly").get_data(as_text=True)
    assert "page=2" in html and "department=Assembly" in html.split('aria-label="Pages"')[1]
    assert listed(http, project, "?page=abc") == listed(http, project)


def test_two_projects_of_a_site_share_its_people_and_other_sites_do_not(app, make, editor, tree):
    other_project = make.project(tree["site"], "iso13485")
    other_site = make.site(tree["client"])
    add_person(tree["site"].id, "An")
    add_person(other_site.id, "Stranger")
    http = editor[0]
    assert listed(http, tree["project"]) == listed(http, other_project) == ["An"]


def test_the_query_count_of_the_list_does_not_grow_with_the_people(editor, tree, make):
    http, project = editor[0], tree["project"]
    user_id = make.user(tree["workspace"]).id

    def queries() -> int:
        http.get(url(project))
        with count_queries() as statements:
            assert http.get(url(project)).status_code == 200
        return len(statements)

    for n in range(3):
        add_person(tree["site"].id, f"Few {n}", department=f"D{n}", job_role="Operator")
    few = queries()
    for n in range(60):
        add_person(
            tree["site"].id,
            f"Many {n}",
            department=f"D{n % 7}",
            job_role="QA inspector",
            left_on=TODAY if n % 5 == 0 else None,
            user_id=user_id if n == 0 else None,
        )
    assert queries() == few


def test_a_viewer_sees_the_list_but_no_way_to_change_it(viewer, tree):
    add_person(tree["site"].id, "An")
    html = viewer.get(url(tree["project"])).get_data(as_text=True)
    assert "An" in html and 'id="add-person"' not in html and 'id="import-people"' not in html
    assert 'href="' + url(tree["project"], "export") in html
    assert '<span class="person-name">An</span>' in html and "/edit" not in html


# Adding a person


def test_adding_a_person_saves_them_on_the_site(editor, tree, make):
    http = editor[0]
    account = make.user(tree["workspace"], role="contributor")
    response = http.post(
        url(tree["project"], "new"), data=ENTRY | {"job_role": "Operator", "user_id": account.id}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(url(tree["project"]))
    [person] = people(tree["site"].id)
    assert (person.name, person.name_key, person.job_role, person.department) == (
        "Nguyen Van An",
        "nguyen van an",
        "Operator",
        "Assembly",
    )
    assert person.started_on == date(2021, 3, 15) and person.left_on is None and person.user_id == account.id
    assert "Nguyen Van An added to the staff list" in http.get(url(tree["project"])).get_data(as_text=True)


def test_the_form_offers_the_projects_roles_and_the_workspaces_members(editor, tree, make):
    make.user(make.workspace(), email="outsider@example.com")
    html = editor[0].get(url(tree["project"], "new")).get_data(as_text=True)
    assert '<option value="Operator">Operator</option>' in html
    assert editor[1].email in html and "outsider@example.com" not in html


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": "  "}, "name", "The name is empty."),
        ({"name": "x" * 121}, "name", "The name is longer than 120 characters."),
        ({"job_role": "Pilot"}, "job_role", "Choose one of the project's job roles (or none)."),
        ({"department": "d" * 121}, "department", "Use at most 120 characters."),
        ({"started_on": (TODAY + timedelta(days=1)).isoformat()}, "started_on", "cannot be in the future"),
        ({"started_on": "1900-01-01"}, "started_on", "cannot be before 1950"),
        ({"started_on": "15/03/2021"}, "started_on", "Not a valid date value."),
        ({"user_id": "abc"}, "user_id", "Choose a member of this workspace (or no account)."),
        ({"user_id": "99999999999"}, "user_id", "Choose a member of this workspace (or no account)."),
    ],
)
def test_bad_input_is_refused_beside_its_field_keeping_what_was_typed(editor, tree, values, field, message):
    form = ENTRY | values
    response = editor[0].post(url(tree["project"], "new"), data=form)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    assert input_value(response, "department") == form["department"].strip()
    assert count_people() == 0


def test_a_name_already_on_the_staff_list_is_refused_whatever_the_case(editor, tree):
    add_person(tree["site"].id, "Nguyen Van An")
    response = editor[0].post(url(tree["project"], "new"), data=ENTRY | {"name": "NGUYEN  van an"})
    assert response.status_code == 422
    assert "already on the staff list of this site" in field_errors(response, "name")[0]


def test_only_a_member_of_the_workspace_may_be_linked_and_to_one_person(editor, tree, make):
    stranger = make.user(make.workspace())
    response = editor[0].post(url(tree["project"], "new"), data=ENTRY | {"user_id": stranger.id})
    assert response.status_code == 422 and count_people() == 0
    assert field_errors(response, "user_id") == ["Choose a member of this workspace (or no account)."]
    add_person(tree["site"].id, "Binh", user_id=editor[1].id)
    response = editor[0].post(url(tree["project"], "new"), data=ENTRY | {"user_id": editor[1].id})
    assert field_errors(response, "user_id") == ["This account is already linked to Binh."]


# Editing a person


def edit_form(http: FlaskClient, project: Any, person: Person) -> dict[str, str]:
    return form_values(http.get(url(project, person.id, "edit")), "name")


def test_editing_a_person_saves_the_changes(editor, tree):
    http, project = editor[0], tree["project"]
    person = add_person(tree["site"].id, "An", job_role="Operator", department="Assembly")
    page = http.get(url(project, person.id, "edit"))
    assert page.status_code == 200 and input_value(page, "name") == "An"
    values = edit_form(http, project, person) | {"name": "An Nguyen", "job_role": "QA inspector"}
    response = http.post(url(project, person.id, "edit"), data=values)
    assert response.status_code == 303
    saved = reload(person)
    assert (saved.name, saved.name_key, saved.job_role, saved.version) == (
        "An Nguyen",
        "an nguyen",
        "QA inspector",
        2,
    )


def test_a_person_keeps_a_role_given_by_another_project_of_the_site(editor, tree):
    http, project = editor[0], tree["project"]
    person = add_person(tree["site"].id, "An", job_role="Welder")  # a role of the site's other project
    page = http.get(url(project, person.id, "edit")).get_data(as_text=True)
    assert "Welder (a role of another project)" in page
    values = edit_form(http, project, person) | {"department": "Welding"}
    assert http.post(url(project, person.id, "edit"), data=values).status_code == 303
    assert reload(person).job_role == "Welder"
    response = http.post(url(project, person.id, "edit"), data=values | {"job_role": "Pilot", "version": "2"})
    assert response.status_code == 422 and field_errors(response, "job_role")


def test_a_stale_edit_is_refused_with_what_was_typed(editor, tree):
    http, project = editor[0], tree["project"]
    person = add_person(tree["site"].id, "An", department="Assembly")
    values = edit_form(http, project, person)
    reload(person).department = "Warehouse"
    db.session.commit()
    response = http.post(url(project, person.id, "edit"), data=values | {"department": "QA"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Someone else saved this person" in html
    assert input_value(response, "department") == "Warehouse" and 'class="preline stale-typed">QA<' in html
    assert reload(person).department == "Warehouse"


def test_the_start_date_cannot_follow_the_leaving_day(editor, tree):
    http, project = editor[0], tree["project"]
    person = add_person(tree["site"].id, "An", left_on=date(2024, 6, 30))
    values = edit_form(http, project, person) | {"started_on": "2024-07-01"}
    response = http.post(url(project, person.id, "edit"), data=values)
    assert response.status_code == 422
    assert field_errors(response, "started_on") == ["They left on 2024-06-30: they cannot start after it."]


# Leaving and coming back


def test_marking_someone_as_left_and_back(editor, tree):
    http, project = editor[0], tree["project"]
    person = add_person(tree["site"].id, "An", started_on=date(2020, 1, 1))
    page = http.get(url(project, person.id, "edit"))
    left = form_values(page, "left_on")
    assert left["left_on"] == TODAY.isoformat()
    response = http.post(url(project, person.id, "left"), data=left | {"left_on": "2025-12-31"})
    assert response.status_code == 303 and reload(person).left_on == date(2025, 12, 31)
    assert listed(http, project) == [] and listed(http, project, "?status=left") == ["An"]
    page = http.get(url(project, person.id, "edit"))
    assert "An left on" in page.get_data(as_text=True)
    assert 'id="mark-back"' in page.text
    response = http.post(url(project, person.id, "back"), data={"version": str(reload(person).version)})
    assert response.status_code == 303 and reload(person).left_on is None
    assert listed(http, project) == ["An"]


def test_a_leaving_day_ahead_keeps_them_active_until_then(editor, tree):
    http, project = editor[0], tree["project"]
    person = add_person(tree["site"].id, "An")
    day = TODAY + timedelta(days=30)
    left = form_values(http.get(url(project, person.id, "edit")), "left_on") | {"left_on": day.isoformat()}
    assert http.post(url(project, person.id, "left"), data=left).status_code == 303
    assert listed(http, project) == ["An"]
    assert "stays on the training matrix until that day" in http.get(url(project, person.id, "edit")).text


@pytest.mark.parametrize(
    ("left_on", "message"),
    [
        ("", "Give the day they leave (or left)."),
        ("2019-12-31", "They started on 2020-01-01: the leaving day cannot be before it."),
        ((TODAY + timedelta(days=400)).isoformat(), "The leaving day can be given at most a year ahead."),
        ("31/12/2025", "Not a valid date value."),
    ],
)
def test_a_bad_leaving_day_is_refused_beside_its_field(editor, tree, left_on, message):
    http, project = editor[0], tree["project"]
    person = add_person(tree["site"].id, "An", started_on=date(2020, 1, 1))
    left = form_values(http.get(url(project, person.id, "edit")), "left_on") | {"left_on": left_on}
    response = http.post(url(project, person.id, "left"), data=left)
    assert response.status_code == 422
    assert message in field_errors(response, "left_on")
    assert input_value(response, "left_on") == left_on and reload(person).left_on is None


def test_stale_leaving_and_coming_back_are_refused(editor, tree):
    http, project = editor[0], tree["project"]
    person = add_person(tree["site"].id, "An")
    left = form_values(http.get(url(project, person.id, "edit")), "left_on")
    reload(person).department = "QA"
    db.session.commit()
    response = http.post(url(project, person.id, "left"), data=left)
    assert response.status_code == 409 and "Someone else saved this person" in response.text
    assert reload(person).left_on is None
    response = http.post(url(project, person.id, "back"), data={"version": "1"})
    assert response.status_code == 409


# Who may change people, and whose


def test_a_viewer_may_not_change_anything(viewer, tree):
    person = add_person(tree["site"].id, "An")
    project = tree["project"]
    assert viewer.get(url(project, "new")).status_code == 403
    assert viewer.get(url(project, "import")).status_code == 403
    posts = {
        url(project, "new"): ENTRY,
        url(project, person.id, "edit"): ENTRY | {"version": "1"},
        url(project, person.id, "left"): {"left_on": "2025-01-01", "version": "1"},
        url(project, person.id, "back"): {"version": "1"},
        url(project, "import", "confirm"): {"csv_text": HEADER + "Binh,,,\n"},
    }
    for target, data in posts.items():
        assert viewer.post(target, data=data).status_code == 403, target
    assert upload(viewer, project, HEADER + "Binh,,,\n").status_code == 403
    assert names(tree["site"].id) == ["An"] and reload(person).left_on is None
    assert viewer.get(url(project, "export")).status_code == 200


def test_people_of_another_site_or_workspace_are_not_found(app, make, editor, tree):
    http, project = editor[0], tree["project"]
    same_workspace = make.site(tree["client"])
    theirs = make.tree()
    for person in (
        add_person(same_workspace.id, "Other site"),
        add_person(theirs["site"].id, "Other workspace"),
    ):
        assert http.get(url(project, person.id, "edit")).status_code == 404
        assert http.post(url(project, person.id, "edit"), data=ENTRY | {"version": "1"}).status_code == 404
        assert http.post(url(project, person.id, "left"), data={"left_on": "2025-01-01"}).status_code == 404
        assert http.post(url(project, person.id, "back"), data={"version": "1"}).status_code == 404
        assert reload(person).left_on is None and reload(person).name != ENTRY["name"]
    assert http.get(url(theirs["project"])).status_code == 404
    assert http.get(url(project, 2**31, "edit")).status_code == 404


# Importing the staff list


STAFF = (
    HEADER
    + "Nguyen Van An,Operator,Assembly,2021-03-15\n"
    + ",Operator,Assembly,2021-03-15\n"  # empty name
    + "Tran Thi Binh,operator,Assembly,15/03/2021\n"  # bad date
    + "Le Van Cuong,Forklift driver,Warehouse,\n"  # unknown role
    + "Pham Thi Dung,QA inspector,QA,2019-07-01\n"
    + "Hoang Van Em,,Warehouse,\n"  # already on the staff list
    + "nguyen  van an,,,\n"  # repeated in the file
)


def test_an_upload_previews_every_row_and_saves_nothing(editor, tree):
    http, project = editor[0], tree["project"]
    add_person(tree["site"].id, "Hoang Van Em")
    response = upload(http, project, STAFF)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert names(tree["site"].id) == ["Hoang Van Em"]
    rows = dict(re.findall(r'<tr data-line="(\d+)" data-clean="(yes|no)"', html))
    assert rows == {"2": "yes", "3": "no", "4": "no", "5": "no", "6": "yes", "7": "no", "8": "no"}
    assert "The name is empty." in html
    assert "“15/03/2021” is not a date: write it as YYYY-MM-DD" in html
    assert "Unknown job role “Forklift driver”" in html
    assert "Already on the staff list: not imported again." in html
    assert "Same name as line 2 of this file" in html
    assert "7 rows:" in html and "<strong>2 ready to import</strong>" in html
    assert "3 with problems" in html and "2 already on the staff list" in html
    assert 'id="confirm-button">Import 2 clean rows<' in html
    assert form_values(response, "csv_text")["csv_text"] == STAFF


def test_confirming_saves_only_the_clean_rows_and_a_second_import_adds_nobody(editor, tree):
    http, project, site = editor[0], tree["project"], tree["site"].id
    add_person(site, "Hoang Van Em")
    response = confirm(http, project, upload(http, project, STAFF))
    assert response.status_code == 303 and response.headers["Location"].endswith(url(project))
    assert names(site) == ["Hoang Van Em", "Nguyen Van An", "Pham Thi Dung"]
    dung = next(p for p in people(site) if p.name == "Pham Thi Dung")
    assert (dung.job_role, dung.department, dung.started_on) == ("QA inspector", "QA", date(2019, 7, 1))
    assert "2 people added to the staff list" in http.get(url(project)).get_data(as_text=True)
    again = upload(http, project, STAFF)
    assert again.status_code == 200 and 'id="nothing-to-import"' in again.text
    assert 'name="csv_text"' not in again.text
    response = http.post(url(project, "import", "confirm"), data={"csv_text": STAFF})
    assert response.status_code == 422 and 'id="nothing-to-import"' in response.text
    assert len(names(site)) == 3


def test_the_confirmation_reads_the_file_again(editor, tree):
    http, project, site = editor[0], tree["project"], tree["site"].id
    preview = upload(http, project, STAFF)
    add_person(site, "Pham Thi Dung")  # added by someone else meanwhile
    assert confirm(http, project, preview).status_code == 303
    assert names(site) == ["Hoang Van Em", "Nguyen Van An", "Pham Thi Dung"]
    assert "2 people added" in http.get(url(project)).text
    tampered = HEADER.replace("name", "full name") + "Eve,,,\n"
    response = http.post(url(project, "import", "confirm"), data={"csv_text": tampered})
    assert response.status_code == 422 and "The first line must name the columns" in response.text
    assert len(names(site)) == 3


def test_the_confirmation_takes_back_a_file_near_the_limit_as_a_browser_sends_it(editor, tree):
    """Line breaks come back as CRLF, a field of about 1 MB (more than Werkzeug's default 500 kB)."""
    http, project = editor[0], tree["project"]
    rows = "".join(f"{'N' * 95} {n:04d},,{'D' * 110},\n" for n in range(4_880))
    text = HEADER + rows
    assert staff_list.CSV_MAX_BYTES - 20_000 < len(text.encode()) <= staff_list.CSV_MAX_BYTES
    preview = upload(http, project, text)
    assert preview.status_code == 200 and "<strong>4880 ready to import</strong>" in preview.text
    response = post_multipart(
        http, url(project, "import", "confirm"), {"csv_text": text.replace("\n", "\r\n")}
    )
    assert response.status_code == 303 and count_people() == 4_880


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"full name;role\nAn;Operator\n",
            "The first line must name the columns: name, job role, department",
        ),
        (samples.png(), "This is not a CSV text file (save the spreadsheet as CSV UTF-8)."),
        (b"", "The file is empty."),
        (
            (HEADER + "An,,,\n" * 300_000).encode(),
            "The file is larger than 1 MB: split it into smaller files.",
        ),
        (b"x" * (10 * 1024 * 1024), "The file is larger than 1 MB"),
        ((HEADER + "".join(f"P{n},,,\n" for n in range(5_001))).encode(), "more than 5,000 rows"),
    ],
)
def test_a_file_that_cannot_be_imported_is_reported_plainly_and_nothing_saved(editor, tree, data, message):
    http, project = editor[0], tree["project"]
    response = upload(http, project, data, "staff.png" if data[:4] == b"\x89PNG" else "staff.csv")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert 'name="csv_text"' not in response.text and count_people() == 0


def test_an_upload_without_a_file_is_refused_beside_the_field(editor, tree):
    response = editor[0].post(url(tree["project"], "import"), data={})
    assert response.status_code == 422
    assert field_errors(response, "file") == ["Choose the CSV file of your staff list."]


def test_a_confirmation_over_the_limit_saves_nothing(editor, tree):
    text = HEADER + "An,,,\n" * 200_000
    response = post_multipart(editor[0], url(tree["project"], "import", "confirm"), {"csv_text": text})
    assert response.status_code == 422 and "larger than 1 MB" in response.text and count_people() == 0


def test_the_import_page_explains_the_columns_and_roles(editor, tree):
    html = editor[0].get(url(tree["project"], "import")).get_data(as_text=True)
    assert '<code id="import-columns">name,job role,department,start date</code>' in html
    assert "Job roles of this project: Operator, QA inspector." in html


# Exporting the staff list


def test_the_export_is_a_csv_download_named_after_the_site(editor, tree):
    http, project, site = editor[0], tree["project"], tree["site"]
    site.name = "Nhà máy Bình Dương"
    db.session.commit()
    add_person(site.id, "An", job_role="Operator", department="Assembly", started_on=date(2021, 3, 15))
    add_person(site.id, "=cmd", department="QA")
    add_person(site.id, "Gone", left_on=TODAY - timedelta(days=1))
    response = http.get(url(project, "export"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Staff list Nha may Binh Duong')
    assert "filename*=UTF-8''Staff%20list%20Nh%C3%A0%20m%C3%A1y" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data(as_text=True).lstrip("\ufeff").splitlines() == [
        "name,job role,department,start date",
        "'=cmd,,QA,",
        "An,Operator,Assembly,2021-03-15",
    ]
    left = http.get(url(project, "export") + "?status=left").get_data(as_text=True)
    assert left.splitlines()[1:] == ["Gone,,,"]


def test_an_export_imports_back_into_another_site_and_adds_nobody_to_its_own(app, make, editor, tree):
    http, project, site = editor[0], tree["project"], tree["site"].id
    add_person(site, "An", job_role="Operator", department="Assembly", started_on=date(2021, 3, 15))
    add_person(site, "-Binh", job_role="QA inspector", department='Dock "B"')
    add_person(site, "Le, Van Cuong")
    exported = http.get(url(project, "export")).get_data()
    again = upload(http, project, exported)
    assert again.status_code == 200 and 'id="nothing-to-import"' in again.text
    confirmed = http.post(url(project, "import", "confirm"), data={"csv_text": exported.decode("utf-8-sig")})
    assert confirmed.status_code == 422
    assert len(names(site)) == 3
    other_site = make.site(tree["client"])
    other = make.project(other_site)
    add_role(other, "Operator")
    add_role(other, "QA inspector")
    assert confirm(http, other, upload(http, other, exported)).status_code == 303
    copied = [(p.name, p.job_role, p.department, p.started_on) for p in people(other_site.id)]
    assert copied == [(p.name, p.job_role, p.department, p.started_on) for p in people(site)]
