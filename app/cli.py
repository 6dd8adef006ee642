"""Flask commands: load the standards, seed the demo, create users and tokens, record readiness snapshots,
purge deleted data, back up and restore."""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from pathlib import Path

import click
from flask import Flask, current_app

from app.extensions import db
from app.models import ROLES
from app.services import accounts, backup, demo, history, mail, purge, reminders, tokens
from app.services.generator import portfolio
from app.services.passwords import password_problem, personal_words
from app.services.standards import load_bundled_standards


def register(app: Flask) -> None:
    app.cli.add_command(load_standards)
    app.cli.add_command(seed_demo)
    app.cli.add_command(generate_portfolio)
    app.cli.add_command(create_user)
    app.cli.add_command(create_token)
    app.cli.add_command(snapshot_readiness)
    app.cli.add_command(send_reminders)
    app.cli.add_command(purge_deleted)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


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
    """Create the demo consultancy with four client factories (development only)."""
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


@click.command("generate-portfolio")
@click.option("--clients", default=200, show_default=True, type=click.IntRange(1, 10_000), help="Factories.")
@click.option("--seed", default=1, show_default=True, help="The same seed gives the same portfolio.")
def generate_portfolio(clients: int, seed: int) -> None:
    """Create a consultancy of CLIENTS generated client factories, to measure the app at scale (development
    only). Run again, it adds another consultancy with its own consultant."""
    if current_app.config["ENVIRONMENT"] == "production":
        raise click.ClickException("generate-portfolio refuses to run against a production configuration.")
    started = time.perf_counter()

    def report(line: str) -> None:
        click.echo(f"[{time.perf_counter() - started:5.1f} s] {line}")

    made = portfolio.generate_portfolio(clients, seed, report=report)
    db.session.commit()
    portfolio.refresh_statistics()
    db.session.commit()
    click.echo(f"Generated in {time.perf_counter() - started:.1f} s.")
    click.echo(f"Log in as {made.email} with password: {made.password}")


@click.command("create-user")
@click.argument("email")
@click.option("--workspace", "workspace_name", required=True, help="Workspace to join (created if new).")
@click.option("--role", type=click.Choice(ROLES), default="owner", show_default=True)
@click.option("--name", default="", help="Display name (defaults to the part of the email before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--client", "client_names", multiple=True, help="For a client_manager: a client they may see.")
def create_user(
    email: str, workspace_name: str, role: str, name: str, password_stdin: bool, client_names: tuple[str, ...]
) -> None:
    """Create a user (their address counts as confirmed) and give them a role in a workspace."""
    if accounts.email_taken(email):
        raise click.ClickException(f"An account with the email {email} already exists.")
    if (role == "client_manager") != bool(client_names):
        raise click.ClickException("Name the clients (--client NAME) of a client_manager, and only of one.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, personal_words(email, name, workspace_name))
    if problem:
        raise click.ClickException(f"Choose another password. {problem}")
    try:
        membership = accounts.add_user_to_workspace(
            email, name or email.split("@")[0], password, workspace_name, role, client_names
        )
    except (accounts.AmbiguousWorkspace, accounts.UnknownClient) as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {membership.user.email} as {role} in workspace “{membership.workspace.name}”.")


@click.command("create-token")
@click.argument("email")
@click.option("--workspace", "workspace_name", help="Workspace the token acts in (needed if several).")
@click.option("--name", default="Command line", show_default=True, help="What the token is for.")
def create_token(email: str, workspace_name: str | None, name: str) -> None:
    """Create a personal API token and print it (it is shown this once; only its hash is kept)."""
    if not name.strip() or len(name.strip()) > tokens.NAME_MAX_LENGTH:
        raise click.ClickException(f"Give the token a name of 1 to {tokens.NAME_MAX_LENGTH} characters.")
    try:
        membership = tokens.membership_for(email, workspace_name)
    except tokens.NoSuchMembership as exc:
        raise click.ClickException(str(exc)) from exc
    created = tokens.create(membership.id, name)
    db.session.commit()
    click.echo(
        f"API token “{name.strip()}” for {membership.user.email} in “{membership.workspace.name}”.", err=True
    )
    click.echo("Copy it now: it is not shown again.", err=True)
    click.echo(created.secret)


@click.command("snapshot-readiness")
def snapshot_readiness() -> None:
    """Record today's readiness and evidence coverage of every project (run daily from cron)."""
    count = history.record_all(date.today())
    db.session.commit()
    click.echo(f"Recorded today's readiness snapshot of {count} project(s).")


@click.command("send-reminders")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="The digests' day (default: today).")
def send_reminders(day: datetime | None) -> None:
    """E-mail each user with reminders on the digest of what is theirs today (cron, daily). A second run the
    same day sends nobody a second digest: each one is recorded, and committed, before it is sent."""
    today = day.date() if day else date.today()
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        click.echo("Warning: PUBLIC_URL is not set, so the digests link to http://localhost.", err=True)
    # The links are built as in a request to PUBLIC_URL, like those of the other e-mails.
    with current_app.test_request_context("/", base_url=base or "http://localhost"):
        run = reminders.claim_digests(today)
        db.session.commit()  # recorded before sending: a second run, even a concurrent one, sends none again
        mail.deliver(run.messages)
    mail.wait_for_delivery(timeout=max(10, len(run.messages)))
    click.echo(
        f"Sent {len(run.messages)} reminder digest(s) for {today.isoformat()}; "
        f"{run.nothing_to_say} user(s) had nothing due, {run.already_sent} had theirs already."
    )


@click.command("purge-deleted")
@click.option("--days", default=30, show_default=True, type=click.IntRange(min=0), help="Keep for this long.")
def purge_deleted(days: int) -> None:
    """Remove for good, with their evidence files, what was deleted more than DAYS days ago (cron, daily)."""
    report = purge.purge_deleted(days)
    db.session.commit()  # then the files go (app.services.transaction.remove_on_commit)
    if report.nothing:
        click.echo(f"Nothing was deleted more than {days} days ago.")
        return
    counts = ", ".join(
        f"{count} {subject.replace('_', ' ')}(s)" for subject, count in sorted(report.rows.items())
    )
    click.echo(f"Purged {counts}; removed {report.files} evidence file(s).")


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def backup_command(folder: Path) -> None:
    """Back up the database and every evidence file into FOLDER (new or empty), with a manifest."""
    try:
        result = backup.create_backup(folder)
    except (backup.BackupError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    for name in result.missing:
        click.echo(
            f"Warning: evidence file {name} is named in the database but missing from the store.", err=True
        )
    for name in result.mismatched:
        click.echo(f"Warning: evidence file {name} does not have the SHA-256 recorded at upload.", err=True)
    manifest = result.manifest
    click.echo(
        f"Backed up {sum(manifest['tables'].values())} rows ({manifest['engine']}, revision "
        f"{manifest['alembic_revision']}) and {len(manifest['files'])} file(s) to {folder}."
    )


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(folder: Path) -> None:
    """Restore the backup in FOLDER into this instance, which must be empty (a new, migrated database)."""
    try:
        manifest = backup.restore_backup(folder)
    except backup.BackupError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Restored the backup of {manifest['created_at']} (revision {manifest['alembic_revision']}).")
