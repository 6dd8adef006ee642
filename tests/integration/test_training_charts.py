"""The training charts on the charts page: completion by department over the last twelve months and the
required trainings by state today, each over a table of its numbers, and said instead of drawn while
nothing is required."""

from __future__ import annotations

from datetime import date, timedelta

from tests.integration.test_charts_pages import figures, table
from tests.integration.training_support import add_person, add_requirement, add_role, add_session

TODAY = date.today()


def charts_page(client, project):
    response = client.get(f"/projects/{project.id}/charts")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_training_charts_follow_the_matrix(client, owner, tree):
    project, site = tree["project"], tree["site"]
    awareness = add_requirement(project, "Quality policy awareness", everyone=True)
    welding = add_requirement(project, "Welding", refresher_months=12)
    add_role(project, "Welder", [welding])
    anna = add_person(site, "Anna", "Production", "Welder", TODAY - timedelta(days=3000))
    add_person(site, "Bao", "Production", "Welder", TODAY - timedelta(days=3000))
    chi = add_person(site, "Chi", "Quality", "Inspector", TODAY - timedelta(days=3000))
    add_session(project, awareness, TODAY - timedelta(days=200), [anna, chi], result="pass")
    add_session(project, welding, TODAY - timedelta(days=2), [anna], result="fail")

    html = charts_page(client, project)
    drawn = figures(html)
    assert f'href="/projects/{project.id}/training-matrix" id="training-matrix-link"' in html

    lines = {trace["name"]: trace for trace in drawn["training-completion"]["data"]}
    assert list(lines) == ["Production", "Quality", "All departments"]
    assert len(lines["Production"]["x"]) == 12 and lines["Production"]["x"][-1] == TODAY.isoformat()
    # Production: awareness and welding for Anna and Bao; Anna's awareness done, her welding check failed.
    assert lines["Production"]["y"][-1] == 25 and lines["Quality"]["y"][-1] == 100
    assert lines["All departments"]["y"][-1] == 40  # 2 of 5
    assert lines["Production"]["y"][0] == 0  # a year ago nobody had been trained
    completion = table(html, "training-completion")
    assert "Month end Production Quality All departments" in completion
    assert f"{TODAY:%d %b %Y} 25% (1 of 4) 100% (1 of 1) 40% (2 of 5)" in completion

    (bars,) = drawn["training-states"]["data"]
    assert bars["y"] == ["Done", "Due", "Outdated", "Expired", "Failed check"]
    assert bars["x"] == [40, 40, 0, 0, 20]
    assert "Done 2 40% Due 2 40% Outdated 0 0% Expired 0 0% Failed check 1 20%" in table(
        html, "training-states"
    )


def test_without_training_required_the_charts_say_so(client, owner, tree):
    add_person(tree["site"], "Anna")
    html = charts_page(client, tree["project"])
    assert "training-completion" not in figures(html) and "training-states" not in figures(html)
    assert html.count("No training is required of anyone yet") == 2
