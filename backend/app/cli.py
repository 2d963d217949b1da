"""Commands for `flask --app app ...` (run them from backend/)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from app.demo import DEMO_ACCOUNTS, seed_demo_users
from app.extensions import db
from app.lifecycle import prune_expired
from app.models import User
from app.schemas import SignupIn
from app.validation import field_errors


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create the demo accounts if DEMO_MODE is on (safe to run again)."""
    if not current_app.config["DEMO_MODE"]:
        click.echo("DEMO_MODE is off: no demo accounts seeded.")
        return
    for change in seed_demo_users():
        click.echo(f"  {change}")
    click.echo("Demo accounts (username / password):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account['username']} / {account['password']}")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.password_option(help="Asked for (twice) when not given.")
def create_user(username: str, password: str) -> None:
    """Create an account, with the same rules as POST /api/signup."""
    try:
        body = SignupIn.model_validate({"username": username, "password": password})
    except ValidationError as e:
        for field, message in field_errors(SignupIn, e).items():
            click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from None
    user = User(username=body.username)
    user.password = body.password
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException(f"Username already taken: {body.username}") from None
    click.echo(f"Created user {user.username} (id {user.id}).")


@click.command("prune-tokens")
@with_appcontext
def prune_tokens() -> None:
    """Delete expired refresh tokens, revoked access tokens and sessions (safe to run any time).

    Logins also prune, at most every 10 minutes; run this from cron for a quiet server.
    """
    counts = prune_expired()
    click.echo(
        f"Deleted {counts['refresh_tokens']} expired refresh token(s), "
        f"{counts['revoked_tokens']} expired revoked access token(s), "
        f"{counts['sessions']} expired session(s)."
    )


def register_commands(app: Flask) -> None:
    """Add the commands above to `flask` (called by `create_app`)."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(prune_tokens)
