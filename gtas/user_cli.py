"""``gtas user``: create UI users, reset their passwords, disable and enable them; every change is audited."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click
from sqlalchemy.orm import Session

from gtas import config
from gtas.model import User, UserRole

T = TypeVar("T")
ROLES = [role.value for role in UserRole]
KEEP_IT = "Keep this password now: it is stored only as a hash. The user must change it at the first sign-in."


@click.group("user")
def user() -> None:
    """Create UI users, reset their passwords, disable and enable them."""


def _in_transaction(work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction on GTAS_DATABASE_URL; account errors become clear CLI errors."""
    from gtas.ingest.batch import open_database
    from gtas.web.auth.accounts import AccountError

    sessions, engine = open_database(config.database_url())
    try:
        with sessions.begin() as session:
            return work(session)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()


def _audit(session: Session, action: str, changed: User, before: dict[str, Any] | None = None) -> None:
    """Audit a change made from the command line, by the operating-system user who ran it."""
    from gtas.web.audit import add_event
    from gtas.web.auth.accounts import describe

    add_event(session, action, username=f"cli:{_operator()}", object_kind="user", object_id=changed.id, before=before,
              after=describe(changed))


@user.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
              help="A role to grant; repeat for several.")
@click.option("--name", "display_name", help="Name shown in the UI (default: the username).")
@click.option("--email", help="E-mail address.")
@click.option("--airport", "airports", multiple=True, help="IATA code of an airport the user covers; repeat.")
def create_command(username: str, roles: tuple[str, ...], display_name: str | None, email: str | None,
                   airports: tuple[str, ...]) -> None:
    """Create a user and print the generated password once.

    Example: gtas user create jdoe --role officer --role supervisor --name "Jane Doe" --airport JFK
    """
    from gtas.web.auth.accounts import create_user

    def work(session: Session) -> str:
        created, password = create_user(session, username, roles, display_name=display_name, email=email,
                                        airports=airports)
        _audit(session, "user.create", created)
        return password

    click.echo(_in_transaction(work))
    click.secho(KEEP_IT, fg="yellow", err=True)


@user.command("reset-password")
@click.argument("username")
def reset_password_command(username: str) -> None:
    """Give a user a new generated password (printed once) and lift a lockout; his open sessions end.

    Example: gtas user reset-password jdoe
    """
    from gtas.web.auth.accounts import describe, get_user, reset_password

    def work(session: Session) -> str:
        before = describe(get_user(session, username))
        changed, password = reset_password(session, username)
        _audit(session, "user.reset_password", changed, before)
        return password

    click.echo(_in_transaction(work))
    click.secho(KEEP_IT, fg="yellow", err=True)


@user.command("disable")
@click.argument("username")
def disable_command(username: str) -> None:
    """Disable a user: he can no longer sign in and his open sessions end.

    Example: gtas user disable jdoe
    """
    _set_enabled(username, False)


@user.command("enable")
@click.argument("username")
def enable_command(username: str) -> None:
    """Enable a disabled user again.

    Example: gtas user enable jdoe
    """
    _set_enabled(username, True)


def _set_enabled(username: str, enabled: bool) -> None:
    from gtas.web.auth.accounts import describe, get_user, set_enabled

    def work(session: Session) -> str:
        before = describe(get_user(session, username))
        changed = set_enabled(session, username, enabled)
        _audit(session, "user.enable" if enabled else "user.disable", changed, before)
        return changed.username

    name = _in_transaction(work)
    click.echo(f"{'enabled' if enabled else 'disabled'} {name}")


@user.command("list")
def list_command() -> None:
    """List users: username, name, roles, airports, enabled, locked, last sign-in (never passwords).

    Example: gtas user list
    """
    from gtas.web.auth.accounts import list_users

    rows = _in_transaction(lambda session: [
        (u.username, u.display_name, ",".join(u.roles), ",".join(u.airports) or "all", "yes" if u.enabled else "no",
         f"{u.locked_until:%Y-%m-%d %H:%M}" if u.locked_until else "-",
         f"{u.last_sign_in_at:%Y-%m-%d %H:%M}" if u.last_sign_in_at else "-") for u in list_users(session)])
    header = ("username", "name", "roles", "airports", "enabled", "locked until", "last sign-in")
    for row in [header, *rows]:
        click.echo(f"{row[0]:<20.20}  {row[1]:<24.24}  {row[2]:<30.30}  {row[3]:<12.12}  {row[4]:<7}  "
                   f"{row[5]:<16}  {row[6]}")


@user.group("token")
def token() -> None:
    """Create, list and revoke users' personal API tokens (only their hashes are stored)."""


@token.command("create")
@click.argument("username")
@click.option("--name", "purpose", required=True, help="What the token is for, e.g. \"shift report script\".")
@click.option("--days", type=int, default=90, show_default=True, help="How many days the token lives (1 to 365).")
def token_create_command(username: str, purpose: str, days: int) -> None:
    """Create a personal API token of a user (his roles and airports) and print it once.

    Example: gtas user token create jdoe --name "shift report script" --days 30
    """
    from gtas.model.base import utcnow
    from gtas.web.api.token_pages import describe
    from gtas.web.api.user_tokens import UserTokenError, create_user_token
    from gtas.web.audit import add_event
    from gtas.web.auth.accounts import get_user

    def work(session: Session) -> str:
        try:
            created, secret = create_user_token(session, get_user(session, username), purpose, days, utcnow())
        except UserTokenError as exc:
            raise click.ClickException(str(exc)) from exc
        add_event(session, "user_token.create", username=f"cli:{_operator()}", object_kind="user_token",
                  object_id=created.id, after={"user": username, **describe(created)})
        return secret

    click.echo(_in_transaction(work))
    click.secho("Keep this token now: it is stored only as a hash and cannot be shown again.", fg="yellow", err=True)


@token.command("list")
@click.argument("username")
def token_list_command(username: str) -> None:
    """List a user's tokens: id, prefix, name, created, expires, last used, revoked (never the token itself).

    Example: gtas user token list jdoe
    """
    from gtas.web.api.user_tokens import tokens_of
    from gtas.web.auth.accounts import get_user

    def when(moment: datetime | None) -> str:
        return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"

    rows = _in_transaction(lambda session: [
        (str(t.id), t.prefix, t.name, when(t.created_at), when(t.expires_at), when(t.last_used_at),
         when(t.revoked_at)) for t in tokens_of(session, get_user(session, username))])
    for row in [("id", "prefix", "name", "created", "expires", "last used", "revoked"), *rows]:
        click.echo(f"{row[0]:>5}  {row[1]:<13}  {row[2]:<24.24}  {row[3]:<16}  {row[4]:<16}  {row[5]:<16}  {row[6]}")


@token.command("revoke")
@click.argument("username")
@click.argument("token_id", type=int)
def token_revoke_command(username: str, token_id: int) -> None:
    """Revoke a user's token (its id, as `gtas user token list` shows it); it stops working at once.

    Example: gtas user token revoke jdoe 3
    """
    from gtas.model.base import utcnow
    from gtas.web.api.token_pages import describe
    from gtas.web.api.user_tokens import UserTokenError, revoke_user_token
    from gtas.web.audit import add_event
    from gtas.web.auth.accounts import get_user

    def work(session: Session) -> str:
        try:
            revoked = revoke_user_token(session, get_user(session, username), token_id, utcnow())
        except UserTokenError as exc:
            raise click.ClickException(f"{username} has no token {token_id}") from exc
        add_event(session, "user_token.revoke", username=f"cli:{_operator()}", object_kind="user_token",
                  object_id=revoked.id, after={"user": username, **describe(revoked)})
        return revoked.prefix

    click.echo(f"revoked {_in_transaction(work)}")


def _operator() -> str:
    """The operating-system user running the command (who the audit trail names)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        return "unknown"
