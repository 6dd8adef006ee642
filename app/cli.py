"""Flask commands: load the standards, seed the demo, create users."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app

from app.extensions import db
from app.models import ROLES
from app.services import accounts, demo
from app.services.standards import load_bundled_standards


def register(app: Flask) -> None:
    app.cli.add_command(load_standards)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)


@click.command("load-standards")
def load_standards() -> None:
    """Load the bundled standards catalogs (safe to re-run: existing versions are left alone)."""
    results = load_bundled_standards()
    db.session.commit()
    for result in results:
        state = "added" if result.added else "already loaded"
        click.echo(f"{result.name} ({result.version}): {result.clauses} clauses, {state}")


@click.command("seed-demo")
def seed_demo() -> None:
    """Create the demo consultancy with three client factories (development only)."""
    if current_app.config["ENVIRONMENT"] == "production":
        raise click.ClickException("seed-demo refuses to run against a production configuration.")
    load_bundled_standards()
    if demo.demo_exists():
        db.session.commit()
        click.echo("The demo workspace already exists; nothing changed.")
        return
    demo.create_demo()
    db.session.commit()
    click.echo(f"Demo created. Log in as {demo.DEMO_EMAIL} with password: {demo.DEMO_PASSWORD}")


@click.command("create-user")
@click.argument("email")
@click.option("--workspace", "workspace_name", required=True, help="Workspace to join (created if new).")
@click.option("--role", type=click.Choice(ROLES), default="owner", show_default=True)
@click.option("--name", default="", help="Display name (defaults to the part of the email before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, workspace_name: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a user and give them a role in a workspace."""
    if accounts.email_taken(email):
        raise click.ClickException(f"An account with the email {email} already exists.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise click.ClickException("The password must have at least 10 characters.")
    try:
        membership = accounts.add_user_to_workspace(
            email, name or email.split("@")[0], password, workspace_name, role
        )
    except accounts.AmbiguousWorkspace as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {membership.user.email} as {role} in workspace “{membership.workspace.name}”.")
