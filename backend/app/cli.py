"""Commands for `flask --app app ...` (run them from backend/)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import flask_migrate
from flask import Flask, current_app
from flask.cli import with_appcontext
from pydantic import ValidationError
from sqlalchemy import MetaData

from app import keys
from app.config import make_secret
from app.demo import accounts_in_force, listed_accounts, room_teacher_password, seed_demo_users
from app.extensions import db
from app.lifecycle import prune_expired, revoke_sessions
from app.models import REVOKED, ROLES, STUDENT, AuthSession, User
from app.schemas import SignupIn, normalise_username
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
    echo_demo_accounts()


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--password", help="Asked for (twice) when not given: prefer the prompt.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@click.option("--role", type=click.Choice(ROLES), default=STUDENT, show_default=True)
def create_user(username: str, password: str | None, password_stdin: bool, role: str) -> None:
    """Create an account, with the same rules as POST /api/signup (and a role).

    A password on the command line stays in the shell's history and the process list; the
    prompt or --password-stdin (`... --password-stdin < file`) keep it out of both.
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        body = SignupIn.model_validate({"username": username, "password": password})
    except ValidationError as e:
        for field, message in field_errors(SignupIn, e).items():
            click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from None
    user = User.register(body.username, body.password, role=role)
    if user is None:
        raise click.ClickException(f"Username already taken: {body.username}")
    click.echo(f"Created user {user.username} (id {user.id}, role {user.role}).")


@click.command("set-role")
@with_appcontext
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def set_role(username: str, role: str) -> None:
    """Make a user a student or a teacher, and log out every session of theirs.

    Teacher-only routes trust the `role` claim of the token, so a token made before the change
    would keep the old role until it expires; revoking the user's sessions makes a demotion
    take effect at once (they log in again and get the new role).
    """
    user = db.session.scalar(db.select(User).where(User.username == normalise_username(username)))
    if user is None:
        raise click.ClickException(f"No such user: {username}")
    user.role = role
    revoked = revoke_sessions(AuthSession.user_id == user.id, reason=REVOKED)
    db.session.commit()
    click.echo(f"{user.username} is now a {role}; {revoked} session(s) logged out.")


@click.command("gen-secret")
def gen_secret() -> None:
    """Print a new random JWT_SECRET_KEY (64 characters) to put in the environment or .env."""
    click.echo(make_secret())


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


@click.command("reset-demo")
@with_appcontext
def reset_demo() -> None:
    """Back to a fresh database with only the demo accounts (`make reset`). Asks nothing.

    Drops every table (found by reading the database, so tables from older versions go too),
    rebuilds the schema with the migrations and seeds the demo accounts. Refused in production.
    """
    if current_app.config.get("APP_ENV") == "production":
        raise click.ClickException("reset-demo deletes every account: refused in production.")
    engine = db.engine
    click.echo(f"Resetting {engine.url.render_as_string(hide_password=True)}")
    existing = MetaData()
    existing.reflect(bind=engine)
    names = sorted(existing.tables)
    existing.drop_all(bind=engine)
    click.echo(f"  dropped {len(names)} table(s): {', '.join(names) or 'none'}")
    flask_migrate.upgrade()
    click.echo("  rebuilt the schema (flask db upgrade)")
    kept = Path(current_app.config["TEACHER_PASSWORD_FILE"])
    if kept.exists():
        kept.unlink()
        click.echo(f"  forgot the room's teacher password ({kept}): `make room` makes a new one")
    for change in seed_demo_users():
        click.echo(f"  {change}")
    echo_demo_accounts()


@click.command("teacher-password")
@with_appcontext
@click.option(
    "--new", is_flag=True, help="Make a new one (and end the old one's sessions at the next start)."
)
def teacher_password(new: bool) -> None:
    """Print the room's teacher password (`make room`): made once, kept until `make reset`.

    Only the password goes to standard output, so `make room` can read it; where it is kept goes
    to standard error, for the person at the terminal.
    """
    password = room_teacher_password(new=new)
    click.echo(password)
    path = current_app.config["TEACHER_PASSWORD_FILE"]
    click.echo(
        f"The room's teacher (username teacher) logs in with this password. It is kept in {path}"
        " (only you can read it) until `make reset`; `make room NEW_TEACHER_PASSWORD=1` makes a"
        " new one.",
        err=True,
    )


@click.command("rotate-key")
@with_appcontext
def rotate_key() -> None:
    """Make a new signing key: every new token is signed by it (and names it in `kid`).

    Tokens signed by the old key keep working (nobody is logged out) until they expire or the
    old key is retired (`flask retire-key`). Every API process signs with the new key within
    SIGNING_KEYS_REFRESH seconds.
    """
    key = keys.rotate()
    click.echo(f"New signing key {key.kid} ({key.alg}): it signs every new token from now on.")
    click.echo(
        "The older keys still verify their tokens. Retire the previous one with "
        "`flask retire-key` once its tokens have expired (REFRESH_TOKEN_TTL after now)."
    )


@click.command("retire-key")
@with_appcontext
@click.argument("kid", required=False)
def retire_key(kid: str | None) -> None:
    """Retire a key (by default the newest verify-only one): its tokens get 401 from now on.

    Its holders log in again. The current key cannot be retired: rotate first.
    """
    try:
        key = keys.retire(kid)
    except keys.KeyChangeRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Retired key {key.kid} ({key.alg}): tokens it signed now get 401.")


@click.command("list-keys")
@with_appcontext
def list_keys() -> None:
    """List the signing keys: kid, algorithm, state and when each was made (public facts)."""
    key_set = keys.ring().read()
    for key in key_set.newest_first():
        retired = f", retired {key.retired_at:%Y-%m-%d %H:%M} UTC" if key.retired_at else ""
        click.echo(
            f"{key.kid}  {key.alg:<5}  {key_set.state(key):<11}  "
            f"made {key.created_at:%Y-%m-%d %H:%M} UTC{retired}"
        )


def echo_demo_accounts() -> None:
    """The demo accounts for the terminal, a private teacher password included and marked."""
    listed = listed_accounts()
    click.echo("Demo accounts (username / password):")
    for account in accounts_in_force():
        private = "" if account in listed else "  (the teacher's: not on the login page)"
        click.echo(f"  {account['username']} / {account['password']}{private}")


def register_commands(app: Flask) -> None:
    """Add the commands above to `flask` (called by `create_app`)."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(set_role)
    app.cli.add_command(prune_tokens)
    app.cli.add_command(gen_secret)
    app.cli.add_command(reset_demo)
    app.cli.add_command(teacher_password)
    app.cli.add_command(rotate_key)
    app.cli.add_command(retire_key)
    app.cli.add_command(list_keys)
