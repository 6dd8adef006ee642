"""seed-demo and create-user."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import CertificationProject, Client, Membership, Site, User, Workspace
from app.services.accounts import authenticate
from app.services.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_WORKSPACE
from app.services.passwords import LENGTH_RULE, TOO_GUESSABLE


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


# The demo takes seconds to build on each engine: one build serves every check of seed-demo's outcome.
def test_seed_demo_creates_four_factories_prints_the_password_and_does_nothing_the_second_time(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output and DEMO_EMAIL in result.output
    workspace = db.session.execute(select(Workspace).where(Workspace.name == DEMO_WORKSPACE)).scalar_one()
    clients = db.session.execute(select(Client).where(Client.workspace_id == workspace.id)).scalars().all()
    assert sorted(c.country for c in clients) == ["MY", "TH", "VN", "VN"]  # one of them certified
    codes = db.session.execute(
        select(Site.country, CertificationProject.standard_id).join(
            Site, Site.id == CertificationProject.site_id
        )
    ).all()
    assert len(codes) == 4
    assert authenticate(DEMO_EMAIL, DEMO_PASSWORD) is not None

    # Each factory's project uses its standard, and they are at different points.
    rows = db.session.execute(
        select(Client.country, CertificationProject).join(
            CertificationProject, CertificationProject.client_id == Client.id
        )
    ).all()
    by_country = {country: project.standard.code for country, project in rows}
    assert by_country == {"VN": "iso9001", "TH": "iso9001", "MY": "iso13485"}
    statuses = {project.status for _, project in rows}
    assert len(statuses) > 1

    # A second run finds the demo and adds nothing.
    before = (count(User), count(Client), count(CertificationProject))
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "already exists" in again.output
    assert (count(User), count(Client), count(CertificationProject)) == before


def test_the_demo_and_command_line_users_can_log_in_at_once(runner, client):
    runner.invoke(args=["seed-demo"])
    runner.invoke(
        args=["create-user", "ops@example.com", "--workspace", "Ops", "--password-stdin"],
        input="a-long-enough-password\n",
    )
    for email, password in ((DEMO_EMAIL, DEMO_PASSWORD), ("ops@example.com", "a-long-enough-password")):
        user = authenticate(email, password)
        assert user is not None and user.email_verified_at is not None  # the operator vouches for them
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, email
        client.post("/logout")


def test_seed_demo_refuses_production(app, runner):
    app.config["ENVIRONMENT"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert count(Workspace) == 0


def test_create_user_with_password_from_stdin(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "Ana@Example.com",
            "--workspace",
            "Cork Consulting",
            "--role",
            "consultant",
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    user = authenticate("ana@example.com", "a-long-enough-password")
    assert user is not None
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    assert (membership.role, membership.workspace.name) == ("consultant", "Cork Consulting")


def test_create_user_joins_an_existing_workspace(runner, make):
    workspace = make.workspace("Existing Co")
    result = runner.invoke(
        args=["create-user", "b@example.com", "--workspace", "Existing Co", "--password-stdin"],
        input="another-long-password\n",
    )
    assert result.exit_code == 0, result.output
    assert count(Workspace) == 1
    member = db.session.execute(
        select(Membership).join(User).where(User.email == "b@example.com")
    ).scalar_one()
    assert member.workspace_id == workspace.id


def test_create_user_refusals(runner, make):
    make.user(email="taken@example.com")
    taken = runner.invoke(
        args=["create-user", "taken@example.com", "--workspace", "W", "--password-stdin"],
        input="a-long-enough-password\n",
    )
    assert taken.exit_code != 0 and "already exists" in taken.output
    short = runner.invoke(
        args=["create-user", "new@example.com", "--workspace", "W", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and LENGTH_RULE in short.output
    guessable = runner.invoke(
        args=["create-user", "new@example.com", "--workspace", "W", "--password-stdin"],
        input="new@example.com\n",
    )
    assert guessable.exit_code != 0 and TOO_GUESSABLE in guessable.output
    bad_role = runner.invoke(
        args=["create-user", "new@example.com", "--workspace", "W", "--role", "king", "--password-stdin"],
        input="a-long-enough-password\n",
    )
    assert bad_role.exit_code != 0
    assert count(User) == 1
