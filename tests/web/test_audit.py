"""The audit trail: what signing in and out writes, what ``record`` captures, and that events cannot change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Executable

from gtas.model import AuditEvent, UserRole
from gtas.model.audit import AppendOnlyError
from gtas.web.audit import add_event, record
from gtas.web.auth.guard import signed_in
from gtas.web.database import get_session
from tests.web.auth_helpers import add_user, install_clock, post_form, sign_in, sign_in_as

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Test/1.0"


def trail(sessions: sessionmaker[Session]) -> list[tuple[str, str | None, bool, dict[str, object] | None]]:
    """(action, username, has user id, details) of every event, oldest first."""
    with sessions() as session:
        return [(e.action, e.username, e.user_id is not None, e.details)
                for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_signing_in_and_out_leaves_a_trail(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    app.config["SIGN_IN_ATTEMPTS"] = 2
    clock = install_clock(app)
    add_user(sessions, "jdoe")
    sign_in(client, "ghost", "whatever")
    sign_in(client, "jdoe", "guess 1")
    sign_in(client, "jdoe", "guess 2")
    locked_until = clock.now + timedelta(minutes=15)
    sign_in(client, "jdoe")
    clock.advance(minutes=16)
    sign_in(client, "jdoe")
    post_form(client, "/auth/sign-out", {})
    sign_in(client, "jdoe")
    clock.advance(minutes=31)
    client.get("/")
    events = trail(sessions)
    assert [(action, name, known) for action, name, known, _ in events] == [
        ("auth.sign_in_failed", "ghost", False),
        ("auth.sign_in_failed", "jdoe", True),
        ("auth.sign_in_failed", "jdoe", True),
        ("auth.lockout", "jdoe", True),
        ("auth.sign_in_failed", "jdoe", True),
        ("auth.sign_in", "jdoe", True),
        ("auth.sign_out", "jdoe", True),
        ("auth.sign_in", "jdoe", True),
        ("auth.session_ended", "jdoe", True),
    ]
    assert [details for *_, details in events] == [
        {"reason": "unknown_user"}, {"reason": "wrong_password"}, {"reason": "wrong_password"},
        {"locked_until": locked_until.isoformat()}, {"reason": "locked"}, None, None, None, {"reason": "idle"},
    ]


def test_record_names_the_user_the_address_and_the_browser(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    @app.get("/probe/traveller/<int:traveller_id>")
    @signed_in
    def view_traveller(traveller_id: int) -> str:
        record("traveller.view", object_kind="traveller", object_id=traveller_id, traveller_id=traveller_id,
               details={"tab": "pnr"})
        get_session().commit()
        return "ok"

    user_id = sign_in_as(app, client, sessions, UserRole.OFFICER)
    response = client.get("/probe/traveller/42", headers={"User-Agent": BROWSER},
                          environ_base={"REMOTE_ADDR": "2001:db8::7"})
    assert response.status_code == 200
    with sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "traveller.view")).one()
    assert (event.user_id, event.object_kind, event.object_id, event.traveller_id, event.details) == (
        user_id, "traveller", "42", 42, {"tab": "pnr"})
    assert (event.remote_address, event.user_agent) == ("2001:db8::7", BROWSER)
    assert event.at.tzinfo is not None and event.username is not None and event.username.startswith("as-officer")


def test_a_long_user_agent_is_cut_to_fit(app: Flask, sessions: sessionmaker[Session]) -> None:
    with app.test_request_context("/", headers={"User-Agent": "x" * 1000}):
        event = record("search", details={"query": "SMITH"}, username="somebody-" + "y" * 100)
        get_session().flush()
        assert event.user_agent == "x" * 300 and event.username == "somebody-" + "y" * 55
        get_session().rollback()


@pytest.mark.parametrize("change", [
    lambda session, event: setattr(event, "action", "nothing.happened"),
    lambda session, event: session.delete(event),
], ids=["update", "delete"])
def test_the_orm_refuses_to_change_an_event(
        session: Session, change: Callable[[Session, AuditEvent], None]) -> None:
    event = add_event(session, "user.create", username="cli:root")
    session.flush()
    change(session, event)
    with pytest.raises(AppendOnlyError, match="append-only"):
        session.flush()


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(action="nothing.happened"),
    delete(AuditEvent),
], ids=["update", "delete"])
def test_the_database_refuses_to_change_an_event(session: Session, statement: Executable) -> None:
    add_event(session, "user.create", username="cli:root", after={"username": "jdoe"})
    session.flush()
    savepoint = session.begin_nested()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(statement)
    savepoint.rollback()
    assert session.scalar(text("SELECT count(*) FROM audit_event WHERE action = 'user.create'")) == 1
