"""``gtas user create | reset-password | disable | enable | list`` and ``ensure_admin``, on a migrated database."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import extract_parameters, profiles
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.cli import cli
from gtas.model import AuditEvent, User
from gtas.web.auth.accounts import ensure_admin
from gtas.web.auth.passwords import verify_password


def stored(session: Session, username: str) -> User:
    """The user as the commands left him (a new transaction: SQLite would show an older snapshot)."""
    session.rollback()
    session.expire_all()
    return session.scalars(select(User).where(User.username == username)).one()


def audit_trail(session: Session) -> list[AuditEvent]:
    session.rollback()
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_create_prints_a_working_password_once(cli_session: Session) -> None:
    result = CliRunner().invoke(cli, ["user", "create", "JDoe", "--role", "officer", "--role", "supervisor",
                                      "--name", "Jane Doe", "--airport", "jfk", "--airport", "IAD"])
    assert result.exit_code == 0, result.output
    password = result.stdout.strip()
    assert len(password) == 20 and "stored only as a hash" in result.stderr
    user = stored(cli_session, "jdoe")
    assert (user.display_name, user.roles, user.airports) == ("Jane Doe", ["officer", "supervisor"], ["IAD", "JFK"])
    assert user.enabled and user.must_change_password and verify_password(user.password_hash, password)
    assert password not in user.password_hash
    assert extract_parameters(user.password_hash) == profiles.RFC_9106_LOW_MEMORY  # argon2id at full cost
    [event] = audit_trail(cli_session)
    assert (event.action, event.object_kind, event.object_id) == ("user.create", "user", str(user.id))
    assert event.username is not None and event.username.startswith("cli:") and event.before is None
    assert event.after is not None and event.after["roles"] == ["officer", "supervisor"]
    assert "password_hash" not in event.after


@pytest.mark.parametrize("arguments, message", [
    (["user", "create", "x", "--role", "officer"], "username 'x' must be 2-64 characters"),
    (["user", "create", "jane doe", "--role", "officer"], "must be 2-64 characters"),
    (["user", "create", "jdoe", "--role", "boss"], "'boss' is not one of"),
    (["user", "create", "jdoe"], "Missing option '--role'"),
    (["user", "create", "jdoe", "--role", "officer", "--airport", "JFKX"], "not an airport code: JFKX"),
    (["user", "reset-password", "nobody"], "no user 'nobody'"),
    (["user", "disable", "nobody"], "no user 'nobody'"),
])
def test_bad_input_is_a_clear_error(database: str, arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code != 0 and message in result.output


def test_a_username_is_taken_once_whatever_its_case(database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["user", "create", "jdoe", "--role", "officer"]).exit_code == 0
    again = runner.invoke(cli, ["user", "create", "JDOE", "--role", "auditor"])
    assert again.exit_code == 1 and "user 'jdoe' exists already" in again.output


def test_reset_password_replaces_it_and_lifts_the_lockout(cli_session: Session) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["user", "create", "jdoe", "--role", "officer"]).stdout.strip()
    user = stored(cli_session, "jdoe")
    with cli_session.begin_nested():
        user.failed_sign_ins, user.must_change_password = 3, False
        user.locked_until = user.created_at
    cli_session.commit()
    result = runner.invoke(cli, ["user", "reset-password", "jdoe"])
    assert result.exit_code == 0, result.output
    second = result.stdout.strip()
    user = stored(cli_session, "jdoe")
    assert second != first and verify_password(user.password_hash, second) and not verify_password(
        user.password_hash, first)
    assert (user.failed_sign_ins, user.locked_until, user.must_change_password) == (0, None, True)
    event = audit_trail(cli_session)[-1]
    assert event.action == "user.reset_password" and event.before is not None and event.after is not None
    assert (event.before["must_change_password"], event.after["must_change_password"]) == (False, True)


def test_disable_and_enable(cli_session: Session) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["user", "create", "jdoe", "--role", "officer"])
    disabled = runner.invoke(cli, ["user", "disable", "jdoe"])
    assert disabled.exit_code == 0 and disabled.output == "disabled jdoe\n"
    assert stored(cli_session, "jdoe").enabled is False
    assert runner.invoke(cli, ["user", "enable", "JDoe"]).output == "enabled jdoe\n"
    assert stored(cli_session, "jdoe").enabled is True
    actions = [(e.action, e.before and e.before["enabled"], e.after and e.after["enabled"])
               for e in audit_trail(cli_session)]
    assert actions == [("user.create", None, True), ("user.disable", True, False), ("user.enable", False, True)]


def test_list_shows_users_but_never_passwords(database: str) -> None:
    runner = CliRunner()
    password = runner.invoke(cli, ["user", "create", "jdoe", "--role", "watchlist_manager", "--airport", "JFK"]).stdout
    listed = runner.invoke(cli, ["user", "list"])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert lines[0].split()[:3] == ["username", "name", "roles"]
    assert lines[1].split()[:5] == ["jdoe", "jdoe", "watchlist_manager", "JFK", "yes"]
    assert password.strip() not in listed.output


def test_a_database_without_schema_asks_for_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTAS_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = CliRunner().invoke(cli, ["user", "list"])
    assert result.exit_code == 1 and "run `gtas init` first" in result.output


def test_ensure_admin_creates_the_first_administrator_once(cli_session: Session) -> None:
    password = ensure_admin(cli_session)
    cli_session.commit()
    assert password is not None
    admin = stored(cli_session, "admin")
    assert admin.roles == ["administrator"] and verify_password(admin.password_hash, password)
    assert admin.must_change_password is False  # the one who starts GTAS reads it; nobody else has seen it
    [event] = audit_trail(cli_session)
    assert (event.action, event.username, event.object_id) == ("user.create", "gtas:first start", str(admin.id))
    assert ensure_admin(cli_session) is None
    cli_session.commit()
    assert len(cli_session.scalars(select(User)).all()) == 1


def test_ensure_admin_leaves_an_installation_with_an_administrator_alone(cli_session: Session) -> None:
    result = CliRunner().invoke(cli, ["user", "create", "chief", "--role", "administrator"])
    assert result.exit_code == 0
    assert ensure_admin(cli_session) is None
    assert cli_session.scalars(select(User.username)).all() == ["chief"]
