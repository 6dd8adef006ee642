"""E-mails are written in their recipient's language (issue 17): the user's own choice; for an invitation,
the workspace's language, else the inviter's; the language is forced while the message is written
(``flask_babel.force_locale``) and named in its ``Content-Language`` header."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from flask_babel import force_locale, gettext

from app.extensions import db
from app.services import mail
from tests.factories import login
from tests.mailbox import sent_to


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The languages forced while e-mails were written, in order (Flask-Babel's force_locale still runs)."""
    calls: list[str] = []
    real = mail.force_locale

    @contextmanager
    def recording(locale: str) -> Iterator[None]:
        calls.append(locale)
        with real(locale):
            yield

    monkeypatch.setattr(mail, "force_locale", recording)
    return calls


def test_a_password_reset_is_written_in_the_users_language(client, make, outbox, forced):
    user = make.user(email="lan@example.com")
    user.locale = "vi"
    db.session.commit()

    client.post("/password/forgot", data={"email": "lan@example.com"}, headers={"Accept-Language": "th"})

    [message] = sent_to("lan@example.com")
    assert forced == ["vi"] and message["Content-Language"] == "vi"


def test_without_a_choice_the_request_s_language_is_used(client, make, outbox, forced):
    make.user(email="lan@example.com")
    client.post("/password/forgot", data={"email": "lan@example.com"}, headers={"Accept-Language": "zh-CN"})
    [message] = sent_to("lan@example.com")
    assert forced == ["zh_Hans"] and message["Content-Language"] == "zh-Hans"


def invite(client: Any, email: str) -> Any:
    return client.post("/members/invite", data={"email": email, "role": "viewer"})


def test_an_invitation_is_written_in_the_workspace_s_language(client, make, outbox, forced):
    workspace = make.workspace("Mekong QP")
    workspace.default_locale = "th"
    owner = make.user(workspace, role="owner", email="owner@example.com")
    owner.locale = "vi"
    db.session.commit()
    login(client, owner)

    assert invite(client, "new@example.com").status_code == 303
    [message] = sent_to("new@example.com")
    assert forced == ["th"] and message["Content-Language"] == "th"


def test_else_an_invitation_is_written_in_the_inviter_s_language(client, make, outbox, forced):
    workspace = make.workspace("Mekong QP")
    owner = make.user(workspace, role="owner", email="owner@example.com")
    owner.locale = "id"
    db.session.commit()
    login(client, owner)

    assert invite(client, "new@example.com").status_code == 303
    [message] = sent_to("new@example.com")
    assert forced == ["id"] and message["Content-Language"] == "id"


def test_the_reminder_digest_is_written_in_each_user_s_language(app, runner, make, tree, outbox, forced):
    from tests.integration.agenda_support import member, populate

    consultant = member(make, tree["workspace"], role="consultant")
    consultant.locale = "vi"
    db.session.commit()
    populate(tree["project"], consultant, date(2026, 12, 2))

    result = runner.invoke(args=["send-reminders", "--date", "2026-12-02"])

    assert result.exit_code == 0, result.output
    [message] = sent_to(consultant.email)
    assert message["Content-Language"] == "vi" and "vi" in forced
    with force_locale("vi"):
        vietnamese = gettext("Your Readiness digest: %(parts)s", parts="")
    assert vietnamese != "Your Readiness digest: " and message["Subject"].startswith(vietnamese)
