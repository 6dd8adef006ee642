"""The house rules of request handling, read from the source: one commit point, services that know nothing
of HTTP, and views that never load the project themselves."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
# The request's commit point, and the command-line commands (each command is its own unit of work).
MAY_COMMIT = {APP / "web" / "app.py", APP / "cli.py"}
HTTP_NAMES = {"abort", "request", "g", "session"}


def modules(folder: Path = APP) -> Iterator[Path]:
    yield from sorted(folder.rglob("*.py"))


def calls(tree: ast.AST) -> Iterator[ast.Call]:
    yield from (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def commits_in(path: Path) -> list[int]:
    return [call.lineno for call in calls(parsed(path)) if called_name(call) == "commit"]


def flask_http_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.ImportFrom) and node.module in {"flask", "werkzeug.exceptions"}:
            found += [
                alias.name for alias in node.names if alias.name in {"abort", "request", "g", "session"}
            ]
            if node.module == "werkzeug.exceptions":
                found += [alias.name for alias in node.names]
    return found


def loads_a_project_by_id(path: Path) -> list[int]:
    """Lines that fetch a CertificationProject by id (``get_or_404_in(scope, CertificationProject, …)``,
    ``session.get(CertificationProject, …)``)."""
    lines = []
    for call in calls(parsed(path)):
        if called_name(call) in {"get_or_404_in", "get"} and any(
            isinstance(arg, ast.Name) and arg.id == "CertificationProject" for arg in call.args
        ):
            lines.append(call.lineno)
    return lines


def test_only_the_commit_point_commits():
    found = {str(path.relative_to(APP)): commits_in(path) for path in modules() if path not in MAY_COMMIT}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_services_know_nothing_of_http():
    found = {str(path.relative_to(APP)): flask_http_imports(path) for path in modules(APP / "services")}
    assert {name: names for name, names in found.items() if names} == {}


def test_no_view_loads_the_project_itself():
    views = [path for path in modules() if path.parent.name not in {"services", "models", "domain"}]
    found = {str(path.relative_to(APP)): loads_a_project_by_id(path) for path in views}
    assert {name: lines for name, lines in found.items() if lines} == {}


@pytest.mark.parametrize(
    ("source", "finds"),
    [
        ("db.session.commit()", True),
        ("from flask import abort", True),
        ("get_or_404_in(scope, CertificationProject, 3)", True),
        ("db.session.flush()", False),
    ],
)
def test_the_checks_see_what_they_look_for(tmp_path, source, finds):
    module = tmp_path / "module.py"
    module.write_text(source + "\n")
    seen = commits_in(module) or flask_http_imports(module) or loads_a_project_by_id(module)
    assert bool(seen) is finds
