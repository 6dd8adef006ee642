"""The role rules of app/domain/permissions.py, called with plain values (no app)."""

from __future__ import annotations

import pytest

from app.domain.permissions import ROLE_ACTIONS, ROLE_LABELS, Action, can, sees_all_clients
from app.models.tenancy import ROLES

EXPECTED = {
    "owner": set(Action),
    "consultant": set(Action) - {Action.MANAGE_WORKSPACE},
    "client_manager": {Action.VIEW, Action.EDIT_CONTENT, Action.MANAGE_PROJECTS, Action.REVIEW},
    "contributor": {Action.VIEW, Action.EDIT_CONTENT},
    "viewer": {Action.VIEW},
}


def test_every_role_of_the_model_has_rules_and_a_label():
    assert set(ROLE_ACTIONS) == set(ROLES) == set(EXPECTED) == set(ROLE_LABELS)


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("action", list(Action))
def test_can_follows_the_table(role, action):
    assert can(role, action) is (action in EXPECTED[role])


@pytest.mark.parametrize("role", ["", "admin", "Owner", "superuser"])
def test_unknown_roles_can_do_nothing(role):
    assert not any(can(role, action) for action in Action)
    assert sees_all_clients(role) is False


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", True),
        ("consultant", True),
        ("client_manager", False),
        ("contributor", True),
        ("viewer", True),
    ],
)
def test_only_client_managers_are_limited_to_named_clients(role, expected):
    assert sees_all_clients(role) is expected


def test_only_owners_and_consultants_create_clients():
    assert {role for role in EXPECTED if can(role, Action.CREATE_CLIENTS)} == {"owner", "consultant"}


def test_only_the_owner_manages_the_workspace():
    assert {role for role in EXPECTED if can(role, Action.MANAGE_WORKSPACE)} == {"owner"}
